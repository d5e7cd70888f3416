// What a charger's QR sticker encodes and says.

/**
 * startUrl is the address a charger's QR code encodes: {base}/start/{charge point id}.
 * base is the server's public base URL, the page's origin when that is empty.
 */
export function startUrl(base: string, chargePointId: string, origin: string): string {
  const root = (base.trim() || origin).replace(/\/+$/, '')
  return `${root}/start/${encodeURIComponent(chargePointId)}`
}

/** stickerFileName names a sticker's PNG after the charger, keeping only safe characters. */
export function stickerFileName(chargePointId: string): string {
  return `charger-${chargePointId.replace(/[^A-Za-z0-9._-]+/g, '_')}.png`
}
