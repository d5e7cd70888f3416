import type { User } from '@/api'

/**
 * formatTime shows an RFC 3339 time in the viewer's zone and language. It is
 * empty for none, including the zero time (year 1) the API sends for "never".
 */
export function formatTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  if (d.getUTCFullYear() <= 1) return ''
  return d.toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' })
}

/** userLabel names a user in messages: staff by login name, drivers by phone. */
export function userLabel(u: Pick<User, 'name' | 'phone' | 'id'>): string {
  return u.name || u.phone || u.id
}

/** kwh shows an energy in Wh as kWh with two decimals ("12.35"). */
export function kwh(wh: number): string {
  return (wh / 1000).toFixed(2)
}

/** kw shows a power in W as kW with one decimal, dropping ".0" ("7", "7.4"). */
export function kw(w: number): string {
  return String(Math.round(w / 100) / 10)
}

/** yuan shows an amount in fen as yuan with two decimals ("12.30"). */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2)
}

/** clock shows a duration in seconds as h:mm:ss ("1:05:03"), or m:ss under an hour. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** hoursMinutes splits a duration in seconds into whole hours and minutes (rounded to the minute). */
export function hoursMinutes(seconds: number): { h: number; m: number } {
  const total = Math.round(Math.max(0, seconds) / 60)
  return { h: Math.floor(total / 60), m: total % 60 }
}

/** timeOfDay shows an epoch-ms time as HH:mm in timeZone (the viewer's when absent). */
export function timeOfDay(ms: number, locale: string, timeZone?: string): string {
  return new Date(ms).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hour12: false, timeZone })
}
