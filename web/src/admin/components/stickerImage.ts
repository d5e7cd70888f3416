// Drawing a charger's QR sticker (PNG): the QR code with the charger's name and number under it.
import QRCode from 'qrcode'

/** StickerText is what a sticker says besides the code. */
export interface StickerText {
  name: string
  number: string
  caption: string
}

/** qrDataUrl renders url as a QR code PNG data URL, size pixels wide. */
export function qrDataUrl(url: string, size = 320): Promise<string> {
  return QRCode.toDataURL(url, { width: size, margin: 1, errorCorrectionLevel: 'M' })
}

/** stickerPng draws the sticker on a canvas and returns it as a PNG data URL. */
export async function stickerPng(url: string, text: StickerText): Promise<string> {
  const qr = await qrDataUrl(url, 360)
  const img = new Image()
  await new Promise<void>((ok, fail) => {
    img.onload = () => ok()
    img.onerror = () => fail(new Error('QR image failed to load'))
    img.src = qr
  })
  const canvas = document.createElement('canvas')
  canvas.width = 400
  canvas.height = 520
  const g = canvas.getContext('2d')
  if (!g) throw new Error('no 2D canvas')
  g.fillStyle = '#fff'
  g.fillRect(0, 0, canvas.width, canvas.height)
  g.fillStyle = '#409eff'
  g.font = 'bold 22px sans-serif'
  g.textAlign = 'center'
  g.fillText(text.caption, 200, 34)
  g.drawImage(img, 20, 50, 360, 360)
  g.fillStyle = '#303133'
  g.font = 'bold 26px sans-serif'
  g.fillText(text.name, 200, 452, 380)
  g.font = '20px monospace'
  g.fillText(text.number, 200, 490, 380)
  return canvas.toDataURL('image/png')
}
