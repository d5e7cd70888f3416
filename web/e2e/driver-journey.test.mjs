// Browser test of the driver's journey on a phone against the real server with
// the demo campus (simulated chargers): find, best for me, start by number,
// watch live, stop, history, bill and pay; the offline map; English.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { adminToken, apiCall, launchBrowser, screenshot, startServer, until } from './server.mjs'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser

// Near the demo campus's north gate.
const here = { latitude: 39.9985, longitude: 116.3101 }

before(async () => {
  server = await startServer({ args: ['--demo'] })
  browser = await launchBrowser()
  // The demo seeds its chargers just after start: wait until they are listed.
  const token = await adminToken(server)
  await until('an online charger in the demo campus', async () => ((await apiCall(server.url, token, 'GET', '/chargers?limit=5')).items ?? []).some((c) => c.online), 20_000)
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

async function phone(locale = 'zh-CN') {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    permissions: ['geolocation'],
    geolocation: here,
  })
  const page = await context.newPage()
  return { context, page }
}

async function login(page, phoneNumber) {
  await page.goto(`${server.url}/`)
  await page.getByLabel('手机号').fill(phoneNumber)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL(/\/chargers/)
}

async function noSideScroll(page, where) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= 360, `${where}: got page width ${width}px, want no horizontal scroll at 360px`)
}

test('driver journey: filter, best for me, start by number, live, stop, history, bill, pay', { timeout: 240_000 }, async () => {
  const { context, page } = await phone()
  try {
    await login(page, '13900139000')

    // Time to first render: a fresh load of the list until the first charger card is drawn.
    // The JS and CSS it loads on the way, gzipped, is the initial bundle.
    /** @type {Set<string>} */
    const assets = new Set()
    const onResponse = (/** @type {import('playwright-core').Response} */ r) => {
      const path = new URL(r.url()).pathname
      if (/^\/assets\/.+\.(js|css)$/.test(path)) assets.add(path)
    }
    page.on('response', onResponse)
    await page.goto(`${server.url}/chargers`)
    await page.locator('[data-charger]').first().waitFor()
    page.off('response', onResponse)
    const dist = fileURLToPath(new URL('../dist', import.meta.url))
    let gz = 0
    for (const a of assets) gz += gzipSync(await readFile(join(dist, a)), { level: 9 }).length
    console.log(`# driver initial JS+CSS: ${(gz / 1024).toFixed(1)} kB gzipped in ${assets.size} files`)
    assert.ok(![...assets].some((a) => /leaflet|jsQR/i.test(a)), `got ${[...assets].join(' ')}, want no map or QR code in the initial load`)
    const firstRenderMs = await page.evaluate(() => performance.getEntriesByName('chargers-rendered')[0]?.startTime ?? -1)
    assert.ok(firstRenderMs > 0, `got first render mark ${firstRenderMs}, want a time`)
    console.log(`# driver first render: ${Math.round(firstRenderMs)} ms after navigation start`)
    await page.getByText(/共 \d+ 个充电桩/).waitFor()
    await noSideScroll(page, 'chargers')
    await screenshot(page, 'driver-home', { fullPage: false })

    // Fast chargers only.
    const all = await page.locator('[data-charger]').count()
    await page.getByRole('button', { name: '快充', exact: true }).click()
    await page.waitForFunction((n) => document.querySelectorAll('[data-charger]').length < n, all)
    const kinds = await page.locator('[data-charger] .van-tag').allTextContents()
    assert.ok(kinds.length > 0, 'got no fast chargers, want some')
    assert.deepEqual([...new Set(kinds.map((k) => k.trim()))], ['快充'], `got kinds ${kinds}, want only 快充`)

    // Best for me.
    await page.getByRole('button', { name: '为我推荐' }).click()
    await page.waitForURL(/\/best/)
    const reason = await page.getByTestId('best-reason').textContent()
    assert.match(reason ?? '', /^(现在空闲|约 \d+ 分钟后空闲|正在使用中)，距您 [\d.]+ (米|公里)/, `got reason ${reason}`)
    await screenshot(page, 'driver-best')

    // Its detail page, then start by typing a free charger's number.
    await page.locator('.best__top [data-charger]').click()
    await page.waitForURL(/\/chargers\/.+/)
    await page.getByText('充电枪').waitFor()
    await screenshot(page, 'driver-detail')

    const free = await page.evaluate(async () => {
      const res = await fetch('/api/v1/chargers?limit=200')
      const { items } = await res.json()
      const c = items.find((x) => x.online && x.connectors.some((k) => k.status === 'Available'))
      return c?.charge_point_id ?? ''
    })
    assert.ok(free, 'got no free charger in the demo campus')
    await page.goto(`${server.url}/start`)
    await page.getByLabel('桩号').fill(free)
    await page.getByRole('button', { name: '查找' }).click()
    await page.waitForURL(new RegExp(`/start/${free}`))
    await page.getByRole('button', { name: '开始充电' }).waitFor()
    await noSideScroll(page, 'start')
    await screenshot(page, 'driver-start')
    // Record the steps the start screen shows (the app navigates in place, so the record survives).
    await page.evaluate(() => {
      const w = /** @type {any} */ (window)
      w.startSteps = []
      const note = () => {
        const s = document.querySelector('[data-testid=start-steps]')?.getAttribute('data-step')
        if (s && w.startSteps.at(-1) !== s) w.startSteps.push(s)
      }
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-step'] })
    })
    await page.getByRole('button', { name: '开始充电' }).click()
    // The charger answers once the (simulated) driver has plugged in: waiting, then the live page, or the charger's refusal.
    const outcome = await Promise.race([
      page.waitForURL(/\/live\/.+/, { timeout: 90_000 }).then(() => ''),
      page.getByRole('alert').waitFor({ timeout: 90_000 }).then(() => page.getByRole('alert').textContent()),
    ])
    assert.equal(outcome, '', `got the start refused: ${outcome}`)
    const steps = await page.evaluate(() => /** @type {any} */ (window).startSteps)
    const order = ['plug', 'starting', 'charging']
    assert.equal(steps[0], 'plug', `got steps ${steps}, want waiting for the plug first`)
    assert.ok(steps.every((s, i) => i === 0 || order.indexOf(s) > order.indexOf(steps[i - 1])), `got steps ${steps}, want them in order ${order}`)

    // Live: energy rises without a reload.
    const energy = page.getByTestId('live-energy')
    await energy.waitFor()
    const first = Number(await energy.textContent())
    await page.waitForFunction((e) => Number(document.querySelector('[data-testid=live-energy]')?.textContent) > e, first, { timeout: 90_000 })
    await screenshot(page, 'driver-live')

    // Stop with confirmation.
    await page.getByRole('button', { name: '结束充电' }).click()
    await page.getByRole('dialog').getByRole('button', { name: '结束充电' }).click()
    await page.getByText(/充电已完成：/).first().waitFor({ timeout: 60_000 })
    const sessionUrl = page.url()
    const sessionId = sessionUrl.split('/').pop()

    // History lists it; its bill is itemised.
    await page.goto(`${server.url}/history`)
    await page.locator(`[data-session="${sessionId}"]`).waitFor()
    await page.getByText(/\d+ 次 · [\d.]+ kWh/).first().waitFor()
    await screenshot(page, 'driver-history')
    await page.locator(`[data-session="${sessionId}"]`).click()
    await page.waitForURL(/\/history\/.+/)
    await page.getByText('电表读数').waitFor()
    // The bill is required: a stopped session with energy is billed.
    const bill = page.getByRole('button', { name: '查看账单' })
    await bill.waitFor({ timeout: 30_000 })
    await bill.click()
    await page.waitForURL(/\/bills\/.+/)
    const billUrl = page.url()
    await page.getByTestId('bill-total').waitFor()
    await page.getByText('分时明细').waitFor()
    await screenshot(page, 'driver-bill')

    // Pay on the sandbox page; it sends the driver back to the bill, which turns paid.
    await page.getByRole('button', { name: /^支付 [\d.]+ 元$/ }).click()
    await page.waitForURL(/\/pay\/sandbox\//, { timeout: 30_000 })
    await page.getByRole('button', { name: /Pay/ }).click()
    await page.waitForURL(billUrl, { timeout: 30_000 })
    await page.locator('.bill__head .van-tag', { hasText: '已支付' }).waitFor({ timeout: 60_000 })
    assert.equal(await page.getByRole('button', { name: /^支付 [\d.]+ 元$/ }).count(), 0, 'got a pay button on a paid bill')
    await screenshot(page, 'driver-bill-paid')

    // History shows that session's bill paid.
    await page.goto(`${server.url}/history`)
    const row = page.locator(`[data-session="${sessionId}"]`)
    await row.waitFor()
    await row.locator('[data-bill-status="paid"]', { hasText: '已支付' }).waitFor({ timeout: 30_000 })
    assert.equal(await row.locator('[data-bill-status="unpaid"]').count(), 0, 'got the paid session still tagged unpaid')
  } finally {
    await context.close()
  }
})

test('start: the charger refusing shows its answer on the steps', { timeout: 120_000 }, async () => {
  const token = await adminToken(server)
  const admin = (method, path, body) => apiCall(server.url, token, method, path, body)
  const free = ((await admin('GET', '/chargers?limit=200')).items ?? []).find(
    (c) => c.online && c.state === 'active' && (c.connectors ?? []).every((k) => k.status === 'Available'),
  )
  assert.ok(free, 'got no free charger in the demo campus')
  // The charger refuses a remote start on an inoperative connector.
  await admin('POST', `/chargers/${free.id}/commands/ChangeAvailability`, { connectorId: 0, type: 'Inoperative' })
  const { context, page } = await phone()
  try {
    await login(page, '13900139003')
    await page.goto(`${server.url}/start/${free.charge_point_id}`)
    await page.getByRole('button', { name: '开始充电' }).click()
    const alert = page.getByTestId('start-steps').getByRole('alert')
    await alert.waitFor({ timeout: 60_000 })
    const text = (await alert.innerText()).trim()
    assert.match(text, /^未能开始：.+/, `got ${JSON.stringify(text)}, want the refusal`)
    assert.ok(!/^未能开始：\s*$/.test(text), 'got an empty refusal')
    await screenshot(page, 'driver-start-refused')
    assert.match(page.url(), /\/start\//, `got ${page.url()}, want to stay on the start screen`)
  } finally {
    await context.close()
    await admin('POST', `/chargers/${free.id}/commands/ChangeAvailability`, { connectorId: 0, type: 'Operative' }).catch(() => undefined)
  }
})

test('map without tiles shows the offline campus plan with markers', { timeout: 60_000 }, async () => {
  const { context, page } = await phone()
  try {
    await login(page, '13900139001')
    await page.getByRole('tab', { name: '地图' }).click()
    await page.waitForURL(/\/map/)
    await page.getByText('离线校园平面图').waitFor()
    const markers = page.locator('svg [data-charger]')
    await markers.first().waitFor()
    assert.ok((await markers.count()) >= 5, `got ${await markers.count()} markers, want the demo's chargers`)
    await markers.first().dispatchEvent('click')
    await page.locator('.map__card [data-charger]').waitFor()
    await noSideScroll(page, 'map')
    await screenshot(page, 'driver-map')
  } finally {
    await context.close()
  }
})

test('me: cards and switching to English', { timeout: 60_000 }, async () => {
  const { context, page } = await phone()
  try {
    await login(page, '13900139002')
    await page.getByRole('tab', { name: '我的' }).click()
    await page.getByText('我的卡').waitFor()
    await page.getByRole('button', { name: '绑定充电卡' }).click()
    await page.getByLabel('卡号').fill('E2E0001')
    await page.getByRole('button', { name: '确定' }).click()
    await page.getByText('E2E0001').first().waitFor()
    await page.locator('.van-popup--bottom').waitFor({ state: 'hidden' })
    await page.locator('.van-toast').waitFor({ state: 'hidden' })
    await screenshot(page, 'driver-me')

    await page.getByText('English', { exact: true }).click()
    await page.getByRole('button', { name: 'Log out' }).waitFor()
    await page.getByRole('tab', { name: 'Chargers' }).click()
    await page.getByText(/\d+ chargers, \d+ free/).waitFor()
    await noSideScroll(page, 'chargers in English')
    await page.getByRole('button', { name: 'Best for me' }).click()
    const reason = await page.getByTestId('best-reason').textContent()
    assert.match(reason ?? '', /^(free now|free in about \d+ min|in use now), [\d.]+ (m|km) away/, `got reason ${reason}`)
  } finally {
    await context.close()
  }
})
