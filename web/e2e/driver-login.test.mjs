// Browser test of the driver app's development phone login on a small phone screen.
import assert from 'node:assert/strict'
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

test('driver app: development phone login at 360×640 and staying logged in', async () => {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  })
  const page = await context.newPage()
  try {
    await page.goto(`${server.url}/`)
    await page.waitForURL(/\/login/)
    await page.getByText('开发环境登录').waitFor()
    await screenshot(page, 'driver-login')

    const phone = '13800138000'
    await page.getByLabel('手机号').fill(phone)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL(/\/chargers/)
    await page.getByText(phone).first().waitFor()
    await screenshot(page, 'driver-logged-in')

    await page.reload()
    await page.getByText(phone).first().waitFor()
    assert.match(page.url(), /\/chargers/, 'got sent back to login after a reload, want the session kept')

    await page.getByRole('tab', { name: '我的' }).click()
    await page.getByText('English', { exact: true }).click()
    await page.getByRole('radio', { name: 'English', checked: true }).waitFor()
    await page.getByRole('button', { name: 'Log out' }).waitFor()
    await screenshot(page, 'driver-me-en')
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 360, `got page width ${width}px, want no horizontal scroll at 360px`)

    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(/\/login/)
  } finally {
    await context.close()
  }
})
