/// <reference types="node" />
import { inflateSync } from 'node:zlib'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import jsQR from 'jsqr'
import { describe, expect, it } from 'vitest'
import { createAppI18n } from '@/i18n'
import PayQrCode from './PayQrCode.vue'

/** readPng decodes an 8-bit RGBA or RGB PNG (what the qrcode library writes) to RGBA pixels. */
function readPng(buf: Buffer): { width: number; height: number; rgba: Uint8ClampedArray } {
  let pos = 8
  let width = 0
  let height = 0
  let channels = 4
  const idat: Buffer[] = []
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos)
    const type = buf.toString('latin1', pos + 4, pos + 8)
    const data = buf.subarray(pos + 8, pos + 8 + len)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      channels = data[9] === 6 ? 4 : 3
    } else if (type === 'IDAT') idat.push(data)
    pos += 12 + len
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const px = new Uint8Array(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x] ?? 0
      const a = x >= channels ? (px[y * stride + x - channels] ?? 0) : 0
      const b = y > 0 ? (px[(y - 1) * stride + x] ?? 0) : 0
      const c = x >= channels && y > 0 ? (px[(y - 1) * stride + x - channels] ?? 0) : 0
      const p = a + b - c
      const pa = Math.abs(p - a)
      const pb = Math.abs(p - b)
      const pc = Math.abs(p - c)
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      const pred = [0, a, b, (a + b) >> 1, paeth][filter ?? 0] ?? 0
      px[y * stride + x] = (v + pred) & 0xff
    }
  }
  const rgba = new Uint8ClampedArray(width * height * 4)
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = px[i * channels + k] ?? 0
    rgba[i * 4 + 3] = channels === 4 ? (px[i * channels + 3] ?? 255) : 255
  }
  return { width, height, rgba }
}

/** srcOf is the drawn image's data URL, empty while none is drawn. */
function srcOf(w: VueWrapper): string {
  const img = w.find('img')
  return img.exists() ? (img.attributes('src') ?? '') : ''
}

/** decode reads the QR code in a PNG data URL back to its text. */
function decode(dataUrl: string): string | undefined {
  if (!dataUrl.startsWith('data:image/png;base64,')) return undefined
  const png = readPng(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'))
  return jsQR(png.rgba, png.width, png.height)?.data
}

async function render(url: string) {
  const i18n = createAppI18n({ getItem: () => 'en', setItem: () => undefined })
  const w = mount(PayQrCode, { props: { url }, global: { plugins: [i18n], stubs: { VanLoading: true } } })
  // The qrcode library is imported when the code is shown.
  for (let i = 0; i < 20 && !w.find('img').exists(); i++) {
    await flushPromises()
    await new Promise((ok) => setTimeout(ok, 10))
  }
  return w
}

describe('PayQrCode', () => {
  const urls = ['weixin://wxpay/bizpayurl?pr=AbCdEf1', 'weixin://wxpay/bizpayurl?pr=' + 'x'.repeat(60)]
  for (const url of urls) {
    it(`draws ${url.slice(0, 40)}… as a QR code that scans back to it`, async () => {
      const w = await render(url)
      const src = srcOf(w)
      expect(src.startsWith('data:image/png;base64,'), `got src ${src.slice(0, 30)}, want a PNG data URL`).toBe(true)
      expect(decode(src)).toBe(url)
      expect(w.text()).toContain('Scan with WeChat to pay')
    })
  }

  it('redraws when the code changes', async () => {
    const w = await render(urls[0]!)
    await w.setProps({ url: urls[1]! })
    for (let i = 0; i < 20 && decode(srcOf(w)) !== urls[1]; i++) {
      await flushPromises()
      await new Promise((ok) => setTimeout(ok, 10))
    }
    expect(decode(srcOf(w))).toBe(urls[1])
  })
})
