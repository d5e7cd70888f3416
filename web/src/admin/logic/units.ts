// Money and price input and display for the console. Amounts travel as
// integers (fen; prices in 1/10000 yuan per kWh) and are shown and typed as
// yuan; parsing works on the decimal string so no float rounding creeps in.

/**
 * parseDecimal reads a decimal string with at most `places` decimals as an
 * integer count of 10^-places units ("1.5", 2 → 150). Null when it is not such
 * a number. A leading minus is kept when allowNegative.
 */
export function parseDecimal(s: string, places: number, allowNegative = false): number | null {
  const m = /^\s*(-?)(\d*)(?:\.(\d*))?\s*$/.exec(s)
  if (!m) return null
  const [, sign, whole, frac = ''] = m
  if (whole === '' && frac === '') return null
  if (sign === '-' && !allowNegative) return null
  if (frac.length > places) return null
  const n = Number(whole || '0') * 10 ** places + Number(frac.padEnd(places, '0') || '0')
  if (!Number.isSafeInteger(n)) return null
  return sign === '-' ? -n : n
}

/** yuanToFen reads a yuan amount typed by staff ("12.3") as fen (1230); null when it is not one. */
export function yuanToFen(s: string, allowNegative = false): number | null {
  return parseDecimal(s, 2, allowNegative)
}

/** yuanToPrice reads a price in yuan per kWh ("1.2345") as 1/10000 yuan per kWh (12345). */
export function yuanToPrice(s: string): number | null {
  return parseDecimal(s, 4)
}

/** priceYuan shows a price in 1/10000 yuan per kWh as yuan, with 2 to 4 decimals (8000 → "0.80", 12345 → "1.2345"). */
export function priceYuan(p: number): string {
  const sign = p < 0 ? '-' : ''
  const a = Math.abs(Math.round(p))
  const whole = Math.floor(a / 10000)
  let frac = String(a % 10000).padStart(4, '0')
  while (frac.length > 2 && frac.endsWith('0')) frac = frac.slice(0, -1)
  return `${sign}${whole}.${frac}`
}

/** signedYuan shows fen as yuan with an explicit sign for adjustments ("+1.00", "-0.50", "0.00"). */
export function signedYuan(fen: number): string {
  const s = (Math.abs(fen) / 100).toFixed(2)
  return fen > 0 ? `+${s}` : fen < 0 ? `-${s}` : s
}

/** csvCell quotes a value for CSV when it holds a comma, quote or line break. */
export function csvCell(v: string | number): string {
  const s = String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** toCsv joins a header and rows as CSV text with CRLF line ends and a BOM, so spreadsheet apps read the Chinese right. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return '\ufeff' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
