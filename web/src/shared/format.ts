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
