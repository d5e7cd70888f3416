// Browser tests of the admin console's operator pages against the real server
// running the demo campus (simulated chargers speaking OCPP to it).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { RPCClient } from 'ocpp-rpc'
import { adminToken, apiCall, consoleLogin, driverLogin, launchBrowser, screenshot, startServer, until } from './server.mjs'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser
/** Bearer token of the first admin, for calls the test makes itself. */
let token = ''

/** api calls the server as the admin. */
const api = (method, path, body) => apiCall(server.url, token, method, path, body)


before(async () => {
  server = await startServer({ args: ['--demo'] })
  browser = await launchBrowser()
  token = await adminToken(server)
  await until('online demo chargers', async () => ((await api('GET', '/chargers?limit=200')).items ?? []).filter((c) => c.online).length >= 10)
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

/** console opens a logged-in console page in a desktop browser. */
async function consolePage(path, locale = 'zh-CN') {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale })
  const page = await context.newPage()
  await consoleLogin(page, server)
  if (path !== '/dashboard') await page.goto(`${server.url}/admin${path}`)
  return { context, page }
}

/** isFree tells whether a charger is online, active and has every connector Available. */
function isFree(c) {
  return c.online && c.state === 'active' && (c.connectors ?? []).length > 0 && c.connectors.every((k) => k.status === 'Available')
}

test('dashboard: live counts and a charger turning unavailable without reload', async () => {
  const { context, page } = await consolePage('/dashboard')
  try {
    const grid = page.getByTestId('charger-grid')
    await grid.locator('[data-charger]').first().waitFor()
    const tiles = await grid.locator('[data-charger]').count()
    assert.equal(tiles, 20, `got ${tiles} chargers in the grid, want the demo's 20`)
    const total = page.locator('[data-bucket="online"] .dash__count-n')
    const online = Number(await total.innerText())
    assert.ok(online >= 10, `got ${online} online, want at least 10`)
    // The buckets add up to every charger.
    let sum = 0
    for (const b of ['charging', 'free', 'busy', 'faulted', 'offline', 'maintenance']) {
      sum += Number(await page.locator(`.dash__counts [data-bucket="${b}"] .dash__count-n`).innerText())
    }
    assert.equal(sum, 20, `got buckets adding up to ${sum}, want 20`)
    await page.getByTestId('site-plan').waitFor()
    await screenshot(page, 'admin-dashboard')

    // Make one free charger unavailable through the API; the page must follow the live events.
    const free = await until('a free charger', async () => ((await api('GET', '/chargers?limit=200')).items ?? []).find(isFree))
    const before = Number(await page.locator('.dash__counts [data-bucket="maintenance"] .dash__count-n').innerText())
    const r = await api('POST', `/chargers/${free.id}/commands/ChangeAvailability`, { connectorId: 0, type: 'Inoperative' })
    assert.equal(r.response.status, 'Accepted', `got ChangeAvailability ${JSON.stringify(r.response)}, want Accepted`)
    await grid.locator(`[data-charger="${free.charge_point_id}"][data-bucket="maintenance"]`).waitFor({ timeout: 15_000 })
    const afterCount = Number(await page.locator('.dash__counts [data-bucket="maintenance"] .dash__count-n').innerText())
    assert.ok(afterCount >= before + 1, `got maintenance ${afterCount}, want more than ${before}`)
    await screenshot(page, 'admin-dashboard-live')
    await api('POST', `/chargers/${free.id}/commands/ChangeAvailability`, { connectorId: 0, type: 'Operative' })
  } finally {
    await context.close()
  }
})

test('charger page: a remote command shows the charger answer, configuration is read', async () => {
  const free = await until('a free charger', async () => ((await api('GET', '/chargers?limit=200')).items ?? []).find(isFree))
  const { context, page } = await consolePage(`/chargers/${free.id}`)
  try {
    await page.getByText(free.charge_point_id).first().waitFor()
    await page.getByRole('button', { name: '请求上报' }).click()
    const answer = page.getByTestId('command-answer')
    await answer.getByTestId('answer-status').waitFor()
    const status = (await answer.getByTestId('answer-status').innerText()).trim()
    assert.equal(status, 'Accepted', `got answer ${status}, want Accepted`)
    await screenshot(page, 'admin-charger-command')

    await page.getByRole('button', { name: '读取配置' }).click()
    const table = page.getByTestId('config-table')
    await table.getByText('HeartbeatInterval', { exact: true }).waitFor()
    await screenshot(page, 'admin-charger-config')

    // A refused command shows the charger's refusal as the server's localised problem.
    // (An unknown card alone is accepted: the charger checks it later, in StartTransaction.
    // An unavailable connector is refused at once.)
    await api('POST', `/chargers/${free.id}/commands/ChangeAvailability`, { connectorId: 0, type: 'Inoperative' })
    await until('no connector available', async () => ((await api('GET', `/chargers/${free.id}`)).connectors ?? []).every((k) => k.status !== 'Available'))
    await page.getByLabel('卡号 / idTag').fill('NO-SUCH-CARD')
    await page.getByRole('button', { name: '为车主启动' }).click()
    // Once the answer is about this command (its label), wait for the real answer: the
    // charger's status tag or the server's problem, not the busy "…" tag.
    const startAnswer = page.getByTestId('command-answer').filter({ hasText: '为车主启动' })
    const real = startAnswer.locator('[data-testid="answer-status"], .el-alert')
    await real.first().waitFor({ timeout: 30_000 })
    if (await startAnswer.getByTestId('answer-status').count()) {
      const got = (await startAnswer.getByTestId('answer-status').innerText()).trim()
      assert.equal(got, 'Rejected', `got the charger's answer ${got} to a start on an unavailable connector, want Rejected`)
    } else {
      const problem = (await startAnswer.locator('.el-alert__title').innerText()).trim()
      assert.match(problem, /充电桩拒绝了请求.*Rejected/, `got problem ${JSON.stringify(problem)}, want the localised refusal`)
    }
    await screenshot(page, 'admin-charger-refused')
  } finally {
    await context.close()
    await api('POST', `/chargers/${free.id}/commands/ChangeAvailability`, { connectorId: 0, type: 'Operative' }).catch(() => undefined)
  }
})

test('chargers: register a charger, password shown once, QR sticker', async () => {
  const { context, page } = await consolePage('/chargers')
  try {
    await page.getByRole('button', { name: '登记充电桩' }).click()
    const dialog = page.getByRole('dialog', { name: '登记充电桩' })
    await dialog.getByLabel('桩编号').fill('E2E-CP-01')
    await dialog.getByLabel('名称').fill('E2E 测试桩')
    await dialog.getByTestId('site-plan').click({ position: { x: 200, y: 100 } })
    await screenshot(page, 'admin-charger-create')
    await dialog.getByRole('button', { name: '保存' }).click()
    const pw = page.getByTestId('charger-password')
    await pw.waitFor()
    const password = (await pw.innerText()).trim()
    assert.ok(password.length >= 16, `got password ${JSON.stringify(password)}, want 16+ characters`)
    await screenshot(page, 'admin-charger-password')
    await page.getByRole('button', { name: '关闭', exact: true }).click()
    const c = await api('GET', '/chargers/E2E-CP-01')
    assert.notEqual(c.lat, 0, 'got lat 0, want the position picked on the plan')

    const row = page.locator('tr', { hasText: 'E2E-CP-01' })
    await row.getByRole('button', { name: '二维码' }).click()
    const img = page.getByTestId('qr-sticker')
    await img.waitFor()
    const alt = await img.getAttribute('alt')
    assert.match(alt ?? '', /\/start\/E2E-CP-01$/, `got QR for ${alt}, want …/start/E2E-CP-01`)
    await screenshot(page, 'admin-charger-qr')
  } finally {
    await context.close()
  }
})

test('support: a driver chat message appears without reload and gets an answer', async () => {
  const driver = await driverLogin(server, '13900000055')
  const asDriver = (method, path, body) => apiCall(server.url, driver.token, method, path, body)
  const { context, page } = await consolePage('/support')
  try {
    await page.getByRole('tab', { name: /在线客服/ }).waitFor()
    await asDriver('POST', '/chat/messages', { body: '你好，北门 03 号桩充不上电' })
    const conv = page.locator(`[data-user="${driver.user.id}"]`)
    await conv.waitFor({ timeout: 10_000 })
    // The driver is named by phone (dev login sets no display name), not by an id tail.
    await conv.getByText('13900000055').waitFor()
    await page.getByTestId('chat-unread').waitFor()
    await screenshot(page, 'admin-support-unread')
    await conv.click()
    const pane = page.getByTestId('chat-messages')
    await pane.getByText('你好，北门 03 号桩充不上电').waitFor()
    await page.getByTestId('chat-with').getByText('13900000055').waitFor()

    // A second message arrives while the conversation is open.
    await asDriver('POST', '/chat/messages', { body: '已经换了一根枪' })
    await pane.getByText('已经换了一根枪').waitFor({ timeout: 10_000 })

    await page.getByLabel('输入消息，回车发送').fill('请稍等，我们马上远程重启')
    await page.getByRole('button', { name: '发送' }).click()
    await pane.getByText('请稍等，我们马上远程重启').waitFor()
    await screenshot(page, 'admin-support-chat')
    const history = (await asDriver('GET', '/chat/messages')).items ?? []
    assert.ok(
      history.some((m) => m.from_staff && m.body === '请稍等，我们马上远程重启'),
      `got driver history ${JSON.stringify(history.map((m) => m.body))}, want the staff answer`,
    )
  } finally {
    await context.close()
  }
})

test('maintainer: a task assigned in the console, finished on a phone, frees the charger', { timeout: 180_000 }, async () => {
  const maintainer = await api('POST', '/users', { name: 'e2e-fixer', display_name: 'E2E Fixer', password: 'fixer-password-1', role: 'maintainer' })
  const free = await until('a free charger', async () => ((await api('GET', '/chargers?limit=200')).items ?? []).find(isFree))
  const title = 'E2E 清洁充电枪'

  // The operator creates the task and assigns it to the maintainer in the console.
  const operator = await consolePage('/tasks')
  let task
  try {
    const { page } = operator
    await page.getByRole('button', { name: '新建任务' }).click()
    const dialog = page.getByRole('dialog', { name: '新建任务' })
    await dialog.locator('.el-select', { has: page.getByRole('combobox', { name: '充电桩' }) }).click()
    await page.keyboard.type(free.charge_point_id)
    await page.locator('.el-select-dropdown__item:visible', { hasText: `(${free.charge_point_id})` }).click()
    await dialog.locator('.el-radio-button', { hasText: '清洁' }).click()
    await dialog.getByRole('textbox', { name: '标题' }).fill(title)
    await dialog.locator('.el-select', { has: page.getByRole('combobox', { name: '负责人' }) }).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'E2E Fixer' }).click()
    await screenshot(page, 'admin-task-create')
    await dialog.getByRole('button', { name: '保存' }).click()
    await page.getByText('已保存任务').waitFor()
    const row = page.locator('tr', { hasText: title })
    await row.getByTestId('task-assignee').getByText('E2E Fixer').waitFor()
    await screenshot(page, 'admin-tasks')
    task = ((await api('GET', '/tasks?open=true&limit=200')).items ?? []).find((x) => x.title === title)
    assert.ok(task, `got no task titled ${title}`)
    assert.equal(task.assignee_id, maintainer.id, `got assignee ${task.assignee_id}, want the maintainer ${maintainer.id}`)
    assert.equal(task.charger_id, free.id, `got charger ${task.charger_id}, want ${free.id}`)

    // The task starts at once: the console shows the charger under maintenance.
    await page.goto(`${server.url}/admin/dashboard`)
    const tile = page.getByTestId('charger-grid').locator(`[data-charger="${free.charge_point_id}"]`)
    await tile.waitFor()
    await page.getByTestId('charger-grid').locator(`[data-charger="${free.charge_point_id}"][data-bucket="maintenance"]`).waitFor({ timeout: 30_000 })
  } catch (err) {
    await operator.context.close()
    throw err
  }

  const context = await browser.newContext({ viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
  const page = await context.newPage()
  try {
    await consoleLogin(page, server, 'e2e-fixer', 'fixer-password-1')
    await page.getByTestId('charger-grid').locator('[data-charger]').first().waitFor()
    const errors = await page.locator('.el-message--error').allInnerTexts()
    assert.deepEqual(errors, [], `got error messages ${JSON.stringify(errors)} on the maintainer's dashboard`)
    const menu = (await page.getByRole('menuitem').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(menu, ['总览', '故障告警', '运维任务', '我的任务', '充电桩'], `got menu ${JSON.stringify(menu)}`)
    // A page the role may not open sends it home.
    await page.goto(`${server.url}/admin/bills`)
    await page.waitForURL(/\/admin\/dashboard/)

    await page.goto(`${server.url}/admin/my-tasks`)
    const card = page.locator('article', { hasText: title })
    await card.waitFor()
    await screenshot(page, 'admin-my-tasks')
    await card.getByRole('button', { name: '完成' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('完成说明').fill('已清洁')
    await dialog.getByRole('button', { name: '完成' }).click()
    await card.waitFor({ state: 'detached' })
    const after = await api('GET', `/tasks/${task.id}`)
    assert.equal(after.status, 'done', `got task ${after.status}, want done`)

    // The operator's console shows the charger free again, without a reload.
    await operator.page
      .getByTestId('charger-grid')
      .locator(`[data-charger="${free.charge_point_id}"][data-bucket="free"]`)
      .waitFor({ timeout: 45_000 })
    await screenshot(operator.page, 'admin-dashboard-task-done')
  } finally {
    await context.close()
    await operator.context.close()
  }
})

test('alarms: a charger fault is assigned to a maintainer and its repair task is theirs', { timeout: 120_000 }, async () => {
  const fixer = await api('POST', '/users', { name: 'e2e-alarm-fixer', display_name: 'E2E Alarm Fixer', password: 'fixer-password-2', role: 'maintainer' })
  const site = (await api('GET', '/sites'))[0]
  const made = await api('POST', '/chargers', {
    charge_point_id: 'E2E-FAULT-01',
    name: 'E2E 故障桩',
    kind: 'slow',
    max_power_w: 7000,
    site_id: site.id,
    connectors: [{ connector_id: 1, type: 'GBT_AC' }],
  })
  // A charger of our own (ocpp-rpc) reports a ground failure.
  const cp = new RPCClient({
    endpoint: `${server.url.replace(/^http/, 'ws')}/ocpp`,
    identity: 'E2E-FAULT-01',
    password: made.password,
    protocols: ['ocpp1.6'],
    strictMode: false,
    reconnect: false,
  })
  const { context, page } = await consolePage('/alarms')
  try {
    await cp.connect()
    const boot = await cp.call('BootNotification', { chargePointVendor: 'E2E', chargePointModel: 'Fault' })
    assert.equal(boot.status, 'Accepted', `got boot ${JSON.stringify(boot)}, want Accepted`)
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'GroundFailure', status: 'Faulted', timestamp: new Date().toISOString() })

    // The alarm appears without a reload, unassigned.
    const row = page.locator('tr', { hasText: 'E2E 故障桩' }).filter({ hasText: 'GroundFailure' })
    await row.waitFor({ timeout: 20_000 })
    assert.equal((await row.getByTestId('alarm-assignee').innerText()).trim(), '未指派')
    await row.locator('.el-select', { has: page.getByRole('combobox', { name: '指派 GroundFailure 给' }) }).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'E2E Alarm Fixer' }).click()
    await row.getByTestId('alarm-assignee').getByText('E2E Alarm Fixer').waitFor()
    await row.getByRole('button', { name: '生成维修任务' }).click()
    await page.getByText('已生成任务').waitFor()
    await screenshot(page, 'admin-alarm-assigned')

    // The repair task made from the alarm is the maintainer's.
    const alarm = ((await api('GET', `/alarms?charger_id=${made.charger.id}&limit=50`)).items ?? []).find((a) => a.code === 'GroundFailure')
    assert.ok(alarm?.task_id, `got alarm ${JSON.stringify(alarm)}, want one with a task`)
    assert.equal(alarm.assignee_id, fixer.id, `got alarm assignee ${alarm.assignee_id}, want ${fixer.id}`)
    const task = await api('GET', `/tasks/${alarm.task_id}`)
    assert.equal(task.assignee_id, fixer.id, `got task assignee ${task.assignee_id}, want ${fixer.id}`)
    await page.goto(`${server.url}/admin/tasks`)
    await page.locator('tr', { hasText: task.title }).getByTestId('task-assignee').getByText('E2E Alarm Fixer').waitFor()
  } finally {
    await context.close()
    await cp.close({ force: true }).catch(() => undefined)
  }
})

test('sites: scheduling settings are saved and the queue opens', async () => {
  const site = (await api('GET', '/sites')).find((s) => s.code === 'NORTH')
  const { context, page } = await consolePage('/sites')
  try {
    const row = page.locator('tr', { hasText: 'NORTH' })
    await row.getByRole('button', { name: '调度' }).click()
    const dialog = page.getByRole('dialog', { name: /调度设置/ })
    const hold = dialog.getByLabel('保留时长（秒）')
    await hold.waitFor()
    await hold.fill('900')
    await hold.blur()
    await screenshot(page, 'admin-site-scheduling')
    await dialog.getByRole('button', { name: '保存' }).click()
    await page.getByText(/已保存 .* 的调度设置/).waitFor()
    const got = await api('GET', `/sites/${site.id}/scheduling`)
    assert.equal(got.hold_window_s, 900, `got hold window ${got.hold_window_s}, want 900`)

    await row.getByRole('button', { name: '排队' }).click()
    await page.getByRole('dialog', { name: /的排队情况/ }).getByText('等候区').waitFor()
    await screenshot(page, 'admin-site-queue')
  } finally {
    await context.close()
  }
})
