// Browser tests of the driver's help and scheduling screens on a phone against
// the real server with the demo campus: feedback with a photo answered by
// staff live, support chat live with the unread badge, a reservation shown
// and cancelled, and a queue number called to a charger.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { adminToken, apiCall, launchBrowser, screenshot, startServer, until } from './server.mjs'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser
/** The admin's bearer token, to act as support staff through the API. */
let token = ''

/** api calls the server as the admin. */
const api = (method, path, body) => apiCall(server.url, token, method, path, body)

before(async () => {
  server = await startServer({ args: ['--demo'] })
  browser = await launchBrowser()
  token = await adminToken(server)
  // The demo seeds its chargers just after start: wait until some are online and free.
  await until(
    'a free online charger in the demo campus',
    async () => ((await api('GET', '/chargers?limit=200')).items ?? []).some((c) => c.online && c.connectors?.some((k) => k.status === 'Available')),
    20_000,
  )
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

async function phone(phoneNumber) {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' })
  const page = await context.newPage()
  await page.goto(`${server.url}/`)
  await page.getByLabel('手机号').fill(phoneNumber)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL(/\/chargers/)
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json())
  return { context, page, userId: me.id }
}

/** freeCharger is an online charger with connector 1 free, of the given kind. */
async function freeCharger(kind, skip = new Set()) {
  const page = await api('GET', '/chargers?limit=200')
  const c = (page.items ?? []).find((x) => x.online && x.kind === kind && !skip.has(x.id) && x.connectors?.some((k) => k.connector_id === 1 && k.status === 'Available'))
  assert.ok(c, `got no free online ${kind} charger, want one`)
  return c
}

test('feedback with a photo; the staff reply shows without reload; follow up and close', { timeout: 120_000 }, async () => {
  const { context, page } = await phone('13900139101')
  try {
    await page.getByTestId('tab-me').click()
    await page.getByText('意见反馈').click()
    await page.waitForURL(/\/feedback$/)
    await page.getByText('还没有反馈').waitFor()
    await page.getByRole('button', { name: '提交反馈' }).click()
    await page.waitForURL(/\/feedback\/new/)

    await page.getByText('计费问题').click()
    await page.getByPlaceholder('请描述问题或建议').fill('昨晚的账单多收了服务费')
    // A real photo: a screenshot of this very page (a PNG of about 720×1280).
    const photo = await page.screenshot()
    await page.locator('input[type=file]').setInputFiles({ name: 'bill.png', mimeType: 'image/png', buffer: photo })
    await page.locator('.van-uploader__preview-image').waitFor()
    // While the photo is re-encoded it shows a mask and the send button waits.
    await page.locator('.van-uploader__mask').waitFor({ state: 'detached' })
    await page.getByRole('button', { name: '提交', exact: true }).click()
    await page.waitForURL(/\/feedback\/(?!new)[^/]+$/)
    const id = page.url().split('/').pop()
    await page.getByTestId('feedback-status').getByText('等待回复').waitFor()
    assert.equal(await page.locator('.fb__photos img').count(), 1, 'got no photo on the ticket, want 1')

    const seen = await api('GET', `/feedback/${id}`)
    assert.equal(seen.feedback.category, 'billing', `got category ${seen.feedback.category}, want billing`)
    assert.equal(seen.photos.length, 1, `got ${seen.photos.length} photos stored, want 1`)
    assert.ok(seen.photos[0].size_bytes <= 2 << 20, `got a ${seen.photos[0].size_bytes}-byte photo, want at most 2 MB`)
    assert.equal(seen.photos[0].content_type, 'image/jpeg')

    // Support answers through the API; the open page shows it live.
    await api('POST', `/feedback/${id}/replies`, { body: '已核实，多收的 3.20 元将退回' })
    await page.getByText('已核实，多收的 3.20 元将退回').waitFor({ timeout: 10_000 })
    await page.getByTestId('feedback-status').getByText('已回复').waitFor()
    await page.locator('.van-toast').waitFor({ state: 'hidden' })
    await screenshot(page, 'driver-feedback', { fullPage: false })

    await page.getByPlaceholder('补充说明').fill('谢谢，已收到')
    await page.getByRole('button', { name: '补充说明' }).click()
    await page.locator('.fb__reply--me', { hasText: '谢谢，已收到' }).waitFor()
    await page.getByRole('button', { name: '关闭反馈' }).click()
    await page.getByRole('dialog').getByRole('button', { name: '关闭反馈' }).click()
    await page.getByTestId('feedback-status').getByText('已关闭').waitFor()
    const closed = await api('GET', `/feedback/${id}`)
    assert.equal(closed.feedback.status, 'closed', `got status ${closed.feedback.status}, want closed`)

    await page.goBack()
    await page.locator(`[data-feedback="${id}"]`).getByText('已关闭').waitFor()
  } finally {
    await context.close()
  }
})

test('support chat: a message from support lights the Me tab and appears live in the chat', { timeout: 120_000 }, async () => {
  const { context, page, userId } = await phone('13900139102')
  try {
    await api('POST', `/chats/${userId}/messages`, { body: '您好，有什么可以帮您？' })
    const badge = page.getByTestId('tab-me').locator('.van-badge')
    await badge.waitFor({ timeout: 10_000 })
    assert.equal((await badge.textContent())?.trim(), '1', 'got a different unread count on the Me tab, want 1')

    await page.getByTestId('tab-me').click()
    await page.getByText('在线客服').click()
    await page.waitForURL(/\/chat$/)
    await page.locator('.chat__msg--staff', { hasText: '您好，有什么可以帮您？' }).waitFor()
    await page.getByPlaceholder('输入消息').fill('3 号桩充不上电')
    await page.getByRole('button', { name: '发送' }).click()
    await page.locator('.chat__msg--me', { hasText: '3 号桩充不上电' }).waitFor()

    // Opening the chat marks support's message read (the call may still be on its way).
    let unread = -1
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; await new Promise((ok) => setTimeout(ok, 100))) {
      const conv = await api('GET', `/chats?limit=50`)
      unread = (conv.items ?? []).find((c) => c.user_id === userId)?.driver_unread ?? -1
      if (unread === 0) break
    }
    assert.equal(unread, 0, `got driver_unread ${unread} after opening the chat, want 0`)

    await api('POST', `/chats/${userId}/messages`, { body: '请换到 4 号桩，我们马上派人检查' })
    await page.locator('.chat__msg--staff', { hasText: '请换到 4 号桩' }).waitFor({ timeout: 10_000 })
    await screenshot(page, 'driver-chat', { fullPage: false })
    assert.equal(await page.locator('.chat__msg').count(), 3, 'got a different number of messages, want 3')
  } finally {
    await context.close()
  }
})

test('reserve a connector from the charger page, see the hold countdown, cancel', { timeout: 120_000 }, async () => {
  const { context, page } = await phone('13900139103')
  try {
    const c = await freeCharger('slow')
    await page.goto(`${server.url}/chargers/${c.id}`)
    await page.getByText('充电枪').waitFor()
    await page.getByRole('button', { name: '预约' }).click()
    await page.getByRole('button', { name: '预约 1 号枪' }).click()
    await page.waitForURL(/\/queue$/)
    await page.getByTestId('reservation').getByText(`${c.name}，1 号枪`).waitFor()
    const left = await page.getByRole('timer').first().textContent()
    assert.match(left ?? '', /^\d+:\d\d$/, `got countdown ${left}, want m:ss`)

    const rs = await page.evaluate(async () => (await fetch('/api/v1/reservations?status=active')).json())
    assert.equal(rs.items.length, 1, `got ${rs.items.length} active reservations, want 1`)
    assert.equal(rs.items[0].charger_id, c.id)

    await page.getByRole('button', { name: '取消预约' }).click()
    await page.getByRole('dialog').getByRole('button', { name: '取消预约' }).click()
    await page.getByText('没有进行中的预约').waitFor()
    const after = await page.evaluate(async () => (await fetch('/api/v1/reservations?status=active')).json())
    assert.equal((after.items ?? []).length, 0, 'got an active reservation after cancelling, want none')
  } finally {
    await context.close()
  }
})

test('join the queue from the charger page: called to a free charger at once, then leave', { timeout: 120_000 }, async () => {
  const { context, page } = await phone('13900139104')
  try {
    const c = await freeCharger('fast')
    await page.goto(`${server.url}/chargers/${c.id}`)
    await page.getByText('充电枪').waitFor()
    await page.getByRole('button', { name: '排队' }).click()
    await page.getByLabel('需要电量（kWh）').fill('15')
    await page.getByRole('button', { name: '加入排队' }).click()
    await page.waitForURL(/\/queue$/)
    const ticket = page.getByTestId('ticket')
    await ticket.waitFor()
    const number = (await page.locator('.q__number').textContent())?.trim() ?? ''
    assert.match(number, /^F\d+$/, `got queue number ${number}, want F<n>`)
    // A fast connector is free, so the number is called at once and the connector held.
    await page.getByText(/轮到您了：请在 \d+ 分钟内到 .+ 充电/).waitFor({ timeout: 15_000 })
    await page.locator('.van-toast').waitFor({ state: 'hidden' })
    await screenshot(page, 'driver-queue', { fullPage: false })

    const mine = await page.evaluate(async () => (await fetch('/api/v1/queue')).json())
    assert.equal(mine.items[0].status, 'called', `got ticket status ${mine.items[0].status}, want called`)

    // The called banner shows on the home screens too.
    await page.goto(`${server.url}/chargers`)
    await page.getByRole('alert').getByText(number).waitFor()
    await page.getByRole('alert').click()
    await page.waitForURL(/\/queue$/)
    await page.getByRole('button', { name: '退出排队' }).click()
    await page.getByRole('dialog').getByRole('button', { name: '退出排队' }).click()
    await page.getByText('您当前没有排队').waitFor()
  } finally {
    await context.close()
  }
})
