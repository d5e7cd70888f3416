// Browser test of a reservation's fee-only bill against the real server with the
// demo campus: with a reservation fee in every tariff, a driver reserves a fast
// charger and starts charging there, which uses the reservation and bills its
// fee. The driver sees the fee bill in history, opens it (fee lines, no period
// table) and pays it; the console lists it as a reservation bill with its fees.
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

test('fee bill: a used reservation bills its fee; the driver sees and pays it, the console shows its fee lines', { timeout: 180_000 }, async () => {
  // Every tariff gets a version with the same periods plus a 2.00 yuan reservation fee.
  const now = new Date().toISOString()
  for (const tf of await call(adminToken, 'GET', '/tariffs')) {
    const current = (tf.versions ?? []).filter((v) => v.effective_from <= now).sort((a, b) => (a.effective_from < b.effective_from ? 1 : -1))[0]
    if (!current) continue
    await call(adminToken, 'POST', `/tariffs/${tf.id}/versions`, {
      periods: current.periods,
      idle_fee_fen_per_minute: current.idle_fee_fen_per_minute,
      idle_grace_minutes: current.idle_grace_minutes,
      idle_fee_cap_fen: current.idle_fee_cap_fen,
      reservation_fee_fen: 200,
      no_show_fee_fen: 300,
    })
  }

  const phoneNumber = '13900000066'
  const driver = await driverLogin(server, phoneNumber)
  const tag = (await call(driver.token, 'GET', '/me/cards'))[0].number
  const fast = await until('a free fast charger', async () =>
    ((await call(adminToken, 'GET', '/chargers?limit=200')).items ?? []).find(
      (c) => c.online && c.kind === 'fast' && c.state === 'active' && (c.connectors ?? []).every((k) => k.status === 'Available'),
    ),
  )
  const reservation = await call(driver.token, 'POST', '/reservations', { charger_id: fast.id, connector_id: 1 })
  // Charging there uses the reservation, which bills its fee.
  const started = await call(adminToken, 'POST', `/chargers/${fast.id}/commands/RemoteStartTransaction`, { connectorId: 1, idTag: tag })
  assert.equal(started.response.status, 'Accepted', `got start ${JSON.stringify(started.response)}, want Accepted`)
  const bill = await until('the fee bill', async () =>
    ((await call(driver.token, 'GET', '/bills')).items ?? []).find((b) => b.kind === 'reservation' && b.reservation_id === reservation.id),
  )
  assert.equal(bill.total_fen, 200, `got a fee bill of ${bill.total_fen} fen, want 200 (the reservation fee; no no-show fee when used)`)
  // Stop the session so the driver's history settles (its bill is the session's, not ours).
  const running = await until('the session', async () => ((await call(adminToken, 'GET', `/sessions?charger_id=${fast.id}&status=active`)).items ?? [])[0])
  await call(adminToken, 'POST', `/sessions/${running.id}/stop`)

  const phone = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' })
  try {
    const page = await phone.newPage()
    await page.goto(`${server.url}/`)
    await page.getByLabel('手机号').fill(phoneNumber)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL(/\/chargers/)

    // History lists the fee bill in its month, unpaid.
    await page.goto(`${server.url}/history`)
    const row = page.locator(`[data-fee-bill="${bill.id}"]`)
    await row.locator('[data-bill-status="unpaid"]', { hasText: '待支付' }).waitFor({ timeout: 30_000 })
    await screenshot(page, 'driver-history-fee-bill')
    await row.click()
    await page.waitForURL(new RegExp(`/bills/${bill.id}$`))
    const billUrl = page.url()

    // The bill page: a reservation bill with its fee line and no period table.
    await page.getByTestId('bill-fees').locator('[data-fee="reservation"]', { hasText: '2.00' }).waitFor()
    await page.getByText('预约账单').first().waitFor()
    assert.equal(await page.getByText('分时明细').count(), 0, 'got a period table on a fee bill')
    await screenshot(page, 'driver-fee-bill')

    // Paid like any bill, on the sandbox page.
    await page.getByRole('button', { name: '支付 2.00 元' }).click()
    await page.waitForURL(/\/pay\/sandbox\//, { timeout: 30_000 })
    await page.getByRole('button', { name: /Pay/ }).click()
    await page.waitForURL(billUrl, { timeout: 30_000 })
    await page.locator('.bill__head .van-tag', { hasText: '已支付' }).waitFor({ timeout: 60_000 })

    await page.goto(`${server.url}/history`)
    await page.locator(`[data-fee-bill="${bill.id}"] [data-bill-status="paid"]`).waitFor({ timeout: 30_000 })
  } finally {
    await phone.close()
  }

  // The console lists it as a reservation bill and shows its fee lines.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })
  try {
    const page = await context.newPage()
    await consoleLogin(page, server)
    await page.goto(`${server.url}/admin/bills?user_id=${bill.user_id}`)
    const number = page.getByRole('button', { name: bill.number })
    await number.waitFor()
    await page.locator('.el-table__row', { has: number }).locator('[data-kind="reservation"]', { hasText: '预约' }).waitFor()
    await number.click()
    const drawer = page.getByRole('dialog', { name: `账单 ${bill.number}` })
    await drawer.getByTestId('bill-kind').filter({ hasText: '预约' }).waitFor()
    await drawer.getByTestId('bill-fees').getByText('预约费').waitFor()
    await screenshot(page, 'admin-fee-bill')
  } finally {
    await context.close()
  }
})
