/** formatTime shows an RFC 3339 time in the viewer's zone and language; empty for none. */
export function formatTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' })
}
