// Browser test: an operator stops a driver's running session from the
// console's charger page; the charger's answer shows, the session ends with
// reason Remote, and it has a bill.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { launchBrowser, screenshot, startServer } from './server.mjs'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser
let token = ''

/** api calls the server with a bearer token and returns the parsed JSON (throws on an error status). */
async function api(method, path, body, bearer = token) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text === '' ? undefined : JSON.parse(text)
}

/** until polls fn until it returns a truthy value, failing after ms with what. */
async function until(what, fn, ms = 30_000) {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((ok) => setTimeout(ok, 250))
  }
}

before(async () => {
  server = await startServer({ args: ['--demo'] })
  browser = await launchBrowser()
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: server.adminName, password: server.adminPassword }),
  })
  token = (await login.json()).token
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

test('charger page: stop a running session remotely', { timeout: 120_000 }, async () => {
  const charger = await until('a free fast charger', async () =>
    ((await api('GET', '/chargers?limit=200')).items ?? []).find(
      (c) => c.online && c.kind === 'fast' && c.state === 'active' && (c.connectors ?? []).every((k) => k.status === 'Available'),
    ),
  )
  // A new driver (no simulated driver holds the tag) is started with the app's own tag.
  const driver = await (
    await fetch(`${server.url}/api/v1/auth/dev-login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone: '13900000088' }),
    })
  ).json()
  const tag = (await api('GET', '/me/cards', undefined, driver.token))[0].number
  const started = await api('POST', `/chargers/${charger.id}/commands/RemoteStartTransaction`, { connectorId: 1, idTag: tag })
  assert.equal(started.response.status, 'Accepted', `got start ${JSON.stringify(started.response)}, want Accepted`)
  const running = await until('the running session', async () => {
    const s = ((await api('GET', `/sessions?charger_id=${charger.id}&status=active`)).items ?? [])[0]
    return s && s.transaction_id ? s : null
  })

  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  try {
    await page.goto(`${server.url}/admin/login`)
    await page.getByLabel('用户名').fill(server.adminName)
    await page.getByLabel('密码', { exact: true }).fill(server.adminPassword)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL(/\/admin\/dashboard/)
    await page.goto(`${server.url}/admin/chargers/${charger.id}`)

    // The connector shows the live session; its stop button ends it.
    const stop = page.locator('.detail__session').getByRole('button', { name: '停止当前充电' })
    await stop.waitFor({ timeout: 30_000 })
    await stop.click()
    const answer = page.getByTestId('command-answer').filter({ hasText: '停止当前充电' })
    await answer.getByTestId('answer-status').waitFor({ timeout: 30_000 })
    assert.equal((await answer.getByTestId('answer-status').innerText()).trim(), 'Accepted')

    // The session ends (reason Remote) and the page shows no running session, without reload.
    const ended = await until('the session to stop', async () => {
      const s = await api('GET', `/sessions/${running.id}`)
      return s.status === 'stopped' ? s : null
    })
    assert.equal(ended.stop_reason, 'Remote', `stop reason ${ended.stop_reason}, want Remote`)
    await page.locator('.detail__session').waitFor({ state: 'detached', timeout: 30_000 })
    await page.getByRole('cell', { name: 'Remote', exact: true }).first().waitFor({ timeout: 30_000 })
    await screenshot(page, 'admin-remote-stop')

    const bill = await until('its bill', async () =>
      ((await api('GET', `/bills?charger_id=${charger.id}`)).items ?? []).find((b) => b.session_id === running.id),
    )
    assert.ok(bill.number, 'the stopped session has a bill')
  } finally {
    await context.close()
  }
})
