// Browser test: an operator stops a driver's running session from the
// console's charger page; the charger's answer shows, the session ends with
// reason Remote, and it has a bill.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { adminToken, apiCall, consoleLogin, driverLogin, launchBrowser, screenshot, startServer, until } from './server.mjs'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser
let token = ''

/** api calls the server with a bearer token (the admin's by default). */
const api = (method, path, body, bearer = token) => apiCall(server.url, bearer, method, path, body)


before(async () => {
  server = await startServer({ args: ['--demo'] })
  browser = await launchBrowser()
  token = await adminToken(server)
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
  const driver = await driverLogin(server, '13900000088')
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
    await consoleLogin(page, server)
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
