// Test harness: runs the real campuscharge binary on a free loopback port with
// a fresh data directory and a known first-admin password, for browser tests.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))

/** Path of the server binary: $CAMPUSCHARGE_BIN or ../bin/campuscharge (built by `make`). */
export const serverBin = resolve(process.env.CAMPUSCHARGE_BIN ?? join(here, '..', '..', 'bin', 'campuscharge'))

/** Where tests save screenshots. */
export const screenshotDir = join(here, 'screenshots')

/** freePort asks the kernel for a loopback port nobody is listening on. */
function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.once('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address())
      srv.close(() => ok(port))
    })
  })
}

/**
 * startServer runs `campuscharge serve` (with extra flags in args, e.g. ['--demo'])
 * and resolves once GET /healthz answers 200.
 * @param {{timeoutMs?: number, args?: string[]}} [opts]
 * @returns {Promise<{url: string, adminName: string, adminPassword: string, stop: () => Promise<void>}>}
 */
export async function startServer({ timeoutMs = 30_000, args = [] } = {}) {
  const port = await freePort()
  const dataDir = await mkdtemp(join(tmpdir(), 'campuscharge-e2e-'))
  const adminPassword = randomBytes(12).toString('base64url')
  const env = { ...process.env, CAMPUSCHARGE_ADMIN_PASSWORD: adminPassword }
  // The development phone login is offered only without WeChat.
  delete env.CAMPUSCHARGE_WECHAT_APP_ID
  const child = spawn(serverBin, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (/** @type {Buffer} */ b) => {
    output = (output + b.toString()).slice(-20_000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })))
  child.once('error', (err) => keep(Buffer.from(`spawn ${serverBin}: ${err.message}\n`)))

  const url = `http://127.0.0.1:${port}`
  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
    await rm(dataDir, { recursive: true, force: true })
  }

  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      await stop()
      throw new Error(`campuscharge exited before it was healthy:\n${output}`)
    }
    try {
      const res = await fetch(`${url}/healthz`)
      if (res.status === 200) break
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`campuscharge not healthy after ${timeoutMs} ms:\n${output}`)
    }
    await new Promise((ok) => setTimeout(ok, 100))
  }
  return { url, adminName: 'admin', adminPassword, stop }
}

/** launchBrowser starts Debian's headless Chromium (no browser is downloaded). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
  })
}

/**
 * screenshot saves the page as e2e/screenshots/<name>.png: the whole page, or
 * only the screen with fullPage false (long lists under fixed bars).
 */
export async function screenshot(page, name, { fullPage = true } = {}) {
  await mkdir(screenshotDir, { recursive: true })
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage, animations: 'disabled' })
}

/** until polls fn until it returns a truthy value, failing after ms with what. */
export async function until(what, fn, ms = 30_000) {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((ok) => setTimeout(ok, 250))
  }
}

/** apiCall calls the REST API at url with a bearer token and returns the parsed JSON (throws on an error status). */
export async function apiCall(url, token, method, path, body) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text === '' ? undefined : JSON.parse(text)
}

/** adminToken logs the server's first admin in through the API and returns the bearer token. */
export async function adminToken(server) {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: server.adminName, password: server.adminPassword }),
  })
  return (await res.json()).token
}

/** driverLogin logs a driver in by phone (the development login) and returns { token, user }. */
export async function driverLogin(server, phone) {
  const res = await fetch(`${server.url}/api/v1/auth/dev-login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ phone }),
  })
  return res.json()
}

/** consoleLogin logs a staff member (the server's first admin by default) into the console (zh-CN) in page. */
export async function consoleLogin(page, server, name = server.adminName, password = server.adminPassword) {
  await page.goto(`${server.url}/admin/login`)
  await page.getByLabel('用户名').fill(name)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL(/\/admin\/dashboard/)
}
