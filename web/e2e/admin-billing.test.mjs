// Browser tests of the console's money pages against the real server with the
// demo campus: a new tariff version changes the price chargers quote (and the
// driver app's list follows without a reload), and a paid bill is refunded in
// part from the bills page.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { adminToken as loginAdmin, apiCall, consoleLogin, driverLogin, launchBrowser, screenshot, startServer, until } from './server.mjs'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser
let adminToken = ''

/** call calls the server's API with a bearer token. */
const call = (token, method, path, body) => apiCall(server.url, token, method, path, body)


before(async () => {
  server = await startServer({ args: ['--demo'] })
  browser = await launchBrowser()
  adminToken = await loginAdmin(server)
  await until('online demo chargers', async () => ((await call(adminToken, 'GET', '/chargers?limit=200')).items ?? []).filter((c) => c.online).length >= 10)
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

async function consolePage(path) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  await consoleLogin(page, server)
  await page.goto(`${server.url}/admin${path}`)
  return { context, page }
}

test('tariffs: a new version with one all-day price shows on the chargers prices and in the driver app', { timeout: 120_000 }, async () => {
  const tariffs = await call(adminToken, 'GET', '/tariffs')
  const tariff = tariffs.find((x) => x.default) ?? tariffs[0]
  assert.ok(tariff, 'got no tariff, want the default one')
  const onDefault = ((await call(adminToken, 'GET', '/chargers?limit=200')).items ?? []).find((x) => !x.tariff_id)
  assert.ok(onDefault, 'got no charger on the default tariff')

  // A driver has the charger list open on a phone before the price changes.
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' })
  const driver = await phone.newPage()
  await driver.goto(`${server.url}/`)
  await driver.getByLabel('手机号').fill('13900000088')
  await driver.getByRole('button', { name: '登录' }).click()
  await driver.waitForURL(/\/chargers/)
  const card = driver.locator(`[data-charger="${onDefault.charge_point_id}"]`)
  await card.locator('.card__price').waitFor()
  const priceBefore = (await card.locator('.card__price').innerText()).trim()

  const { context, page } = await consolePage('/tariffs')
  try {
    await page.getByRole('button', { name: `新版本 ${tariff.name}` }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByTestId('timeline-segment').first().waitFor()
    await screenshot(page, 'admin-tariff-version')
    // Merge every period into the first, then set its prices.
    for (;;) {
      const n = await dialog.getByRole('button', { name: '删除' }).count()
      if (n <= 1) break
      await dialog.getByRole('button', { name: '删除' }).nth(1).click()
    }
    await dialog.getByLabel('电价 (元/kWh) 1').fill('1.2345')
    await dialog.getByLabel('电价 (元/kWh) 1').blur()
    await dialog.getByLabel('服务费 (元/kWh) 1').fill('0.5')
    await dialog.getByLabel('服务费 (元/kWh) 1').blur()
    await screenshot(page, 'admin-tariff-edited')
    await dialog.getByRole('button', { name: '保存' }).click()
    await page.getByText(`已保存 ${tariff.name} 的新版本`).waitFor()
    await screenshot(page, 'admin-tariffs')

    const chargers = (await call(adminToken, 'GET', '/chargers?limit=200')).items
    const c = chargers.find((x) => !x.tariff_id)
    const prices = await until('the new price', async () => {
      const p = await call(adminToken, 'GET', `/chargers/${c.id}/prices`)
      return p.current.energy_price === 12345 ? p : null
    }, 5_000)
    assert.equal(prices.current.service_price, 5000, `got service price ${prices.current.service_price}, want 5000`)

    // The driver's list shows 1.2345 + 0.5 = 1.73 元/度 without a reload (the tariff.updated event).
    await card.locator('.card__price', { hasText: '1.73 元/度' }).waitFor({ timeout: 30_000 }).catch(async (err) => {
      const now = (await card.locator('.card__price').innerText()).trim()
      throw new Error(`the driver's list shows ${now} (was ${priceBefore}), want 1.73 元/度 without a reload: ${err.message}`)
    })
    await screenshot(driver, 'driver-home-new-price', { fullPage: false })
  } finally {
    await context.close()
    await phone.close()
  }
})

test('bills: refund part of a paid bill', async () => {
  // A driver charges briefly on a free fast charger, started and stopped remotely.
  const fast = await until('a free fast charger', async () =>
    ((await call(adminToken, 'GET', '/chargers?limit=200')).items ?? []).find(
      (c) => c.online && c.kind === 'fast' && c.state === 'active' && (c.connectors ?? []).every((k) => k.status === 'Available'),
    ),
  )
  // A new driver (so no simulated driver holds the tag) is started with the app's own tag.
  const driver = await driverLogin(server, '13900000077')
  const tag = (await call(driver.token, 'GET', '/me/cards'))[0].number
  const started = await call(adminToken, 'POST', `/chargers/${fast.id}/commands/RemoteStartTransaction`, { connectorId: 1, idTag: tag })
  assert.equal(started.response.status, 'Accepted', `got start ${JSON.stringify(started.response)}, want Accepted`)
  const running = await until('the session', async () => {
    const s = ((await call(adminToken, 'GET', `/sessions?charger_id=${fast.id}&status=active`)).items ?? [])[0]
    return s && s.transaction_id ? s : null
  })
  await until('energy', async () => (await call(adminToken, 'GET', `/sessions/${running.id}`)).energy_wh > 100, 25_000)
  await call(adminToken, 'POST', `/sessions/${running.id}/stop`)
  const bill = await until('the bill', async () => {
    const b = ((await call(adminToken, 'GET', `/bills?charger_id=${fast.id}`)).items ?? []).find((x) => x.session_id === running.id)
    return b && b.total_fen > 0 ? b : null
  })

  // The driver pays on the sandbox page.
  const pay = await call(driver.token, 'POST', `/bills/${bill.id}/pay`, {})
  const payContext = await browser.newContext()
  const payPage = await payContext.newPage()
  await payPage.goto(new URL(pay.pay_url, server.url).href)
  await payPage.getByRole('button', { name: /Pay/ }).click()
  await payContext.close()
  await until('the payment', async () => (await call(adminToken, 'GET', `/bills/${bill.id}`)).bill.status === 'paid')

  const { context, page } = await consolePage(`/bills?charger_id=${fast.id}`)
  try {
    await page.getByRole('button', { name: bill.number }).click()
    const drawer = page.getByRole('dialog', { name: `账单 ${bill.number}` })
    await drawer.getByTestId('bill-status').waitFor()
    await screenshot(page, 'admin-bill')
    await drawer.getByRole('button', { name: '退款', exact: true }).click()
    const refund = page.getByRole('dialog', { name: '退款' })
    await refund.getByLabel('金额 (元)').fill('0.01')
    await refund.getByLabel('原因').fill('e2e partial refund')
    await refund.getByRole('button', { name: '确定' }).click()
    await page.getByText('已退款 0.01 元').waitFor()
    await drawer.getByTestId('refunds').getByText('e2e partial refund').waitFor()
    const refunded = (await drawer.getByTestId('bill-refunded').innerText()).trim()
    assert.equal(refunded, '0.01', `got refunded ${refunded}, want 0.01`)
    const status = (await drawer.getByTestId('bill-status').innerText()).trim()
    assert.equal(status, '部分退款', `got status ${status}, want 部分退款`)
    await screenshot(page, 'admin-bill-refunded')
    const after = await call(adminToken, 'GET', `/bills/${bill.id}`)
    assert.equal(after.bill.refunded_fen, 1, `got refunded_fen ${after.bill.refunded_fen} from the API, want 1`)
  } finally {
    await context.close()
  }
})

test('statistics: charts render for the day with a bill', async () => {
  const { context, page } = await consolePage('/stats')
  try {
    for (const id of ['chart-daily', 'chart-heatmap', 'chart-split', 'chart-utilisation']) {
      await page.getByTestId(id).locator('canvas').first().waitFor()
    }
    const header = await page.getByTestId('chart-daily').locator('.el-card__header').innerText()
    const m = /合计：(\d+) 次/.exec(header)
    assert.ok(m && Number(m[1]) >= 1, `got daily header ${JSON.stringify(header)}, want at least one session`)
    // The utilisation note is in the UI's language, not the API's English.
    const note = await page.getByTestId('utilisation-note').innerText()
    assert.match(note, /充电与占用时间/, `got utilisation note ${JSON.stringify(note)}, want Chinese`)
    // No-show rate and queue wait: a figure, or "—" while the API has none.
    const rate = (await page.getByTestId('no-show-rate').innerText()).trim()
    assert.match(rate, /^(—|\d+\.\d%)$/, `got no-show rate ${JSON.stringify(rate)}`)
    const wait = (await page.getByTestId('avg-queue-wait').innerText()).trim()
    assert.match(wait, /^(—|[\d.]+ 分钟)$/, `got queue wait ${JSON.stringify(wait)}`)
    // Screenshot once every chart has finished drawing (ECharts' finished event, after the animation).
    for (const id of ['chart-daily', 'chart-heatmap', 'chart-split', 'chart-utilisation']) {
      await page.getByTestId(id).locator('.echart[data-finished="true"]').waitFor({ timeout: 20_000 })
    }
    await screenshot(page, 'admin-stats')
  } finally {
    await context.close()
  }
})
