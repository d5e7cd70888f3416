// Browser test of the admin console against the real server.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import { launchBrowser, screenshot, startServer } from './server.mjs'

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server
/** @type {import('playwright-core').Browser} */
let browser

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

test('admin console: login, users, new operator, English', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
  const page = await context.newPage()
  try {
    await page.goto(`${server.url}/admin/`)
    await page.waitForURL(/\/admin\/login/)

    await page.getByLabel('用户名').fill(server.adminName)
    await page.getByLabel('密码', { exact: true }).fill('not-the-password')
    await page.getByRole('button', { name: '登录' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    const refused = (await alert.innerText()).trim()
    assert.notEqual(refused, '', 'got an empty login error, want the server detail')
    assert.match(page.url(), /\/admin\/login/)
    await screenshot(page, 'admin-login-refused')

    await page.getByLabel('密码', { exact: true }).fill(server.adminPassword)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL(/\/admin\/dashboard/)
    await page.getByRole('menuitem', { name: '用户' }).click()
    await page.waitForURL(/\/admin\/users/)
    const table = page.locator('.el-table')
    await table.getByRole('cell', { name: server.adminName, exact: true }).first().waitFor()
    await screenshot(page, 'admin-users')

    const name = `op-${randomBytes(3).toString('hex')}`
    await page.getByRole('button', { name: '新建员工账号' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('用户名').fill(name)
    await dialog.getByLabel('姓名').fill('E2E Operator')
    await dialog.getByLabel('初始密码').fill('operator-password')
    await screenshot(page, 'admin-new-staff')
    await dialog.getByRole('button', { name: '确定' }).click()
    const row = table.locator('tr', { has: page.getByRole('cell', { name, exact: true }) })
    await row.waitFor()
    await dialog.waitFor({ state: 'hidden' })
    const rowText = await row.innerText()
    assert.match(rowText, /E2E Operator/, `got row ${JSON.stringify(rowText)}, want the display name`)
    assert.match(rowText, /运营/, `got row ${JSON.stringify(rowText)}, want the operator role`)
    await screenshot(page, 'admin-staff-created')

    await row.locator('.el-select', { has: page.getByRole('combobox', { name: `修改 ${name} 的角色` }) }).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '客服' }).click()
    await page.getByText(`已将 ${name} 的角色改为 客服`).waitFor()
    assert.match(await row.innerText(), /客服/, 'got the old role in the row, want support')

    await row.getByRole('button', { name: `封禁 ${name}` }).click()
    const blockDialog = page.getByRole('dialog', { name: `封禁 ${name}` })
    await blockDialog.getByLabel('封禁原因').fill('e2e test')
    await blockDialog.getByRole('button', { name: '封禁' }).click()
    await blockDialog.waitFor({ state: 'hidden' })
    await row.getByText('已封禁').waitFor()
    await screenshot(page, 'admin-staff-blocked')
    await row.getByRole('button', { name: `解封 ${name}` }).click()
    await row.getByText('正常').waitFor()

    await page.getByText('English', { exact: true }).click()
    await page.locator('.el-radio-button.is-active', { hasText: 'English' }).waitFor()
    await page.getByRole('heading', { name: 'Users' }).waitFor()
    await page.getByRole('button', { name: 'New staff account' }).waitFor()
    await page.getByRole('button', { name: 'Log out' }).waitFor()
    await screenshot(page, 'admin-users-en')
  } finally {
    await context.close()
  }
})
