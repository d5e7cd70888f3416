// Calendar days in a site's time zone, for report queries and date pickers.

/** dayIn is the calendar day (YYYY-MM-DD) of an epoch-ms time in timeZone. */
export function dayIn(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(ms)
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')}`
}

/** addDays moves a YYYY-MM-DD day by n days (calendar arithmetic, no zone involved). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** bucketLabel shows a report bucket: a day 20261125 as "2026-11-25", an ISO week 202648 as "2026-W48", a month 202611 as "2026-11". */
export function bucketLabel(bucket: number, period: 'day' | 'week' | 'month'): string {
  const s = String(bucket)
  switch (period) {
    case 'day':
      return s.length === 8 ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}` : s
    case 'week':
      return s.length === 6 ? `${s.slice(0, 4)}-W${s.slice(4)}` : s
    case 'month':
      return s.length === 6 ? `${s.slice(0, 4)}-${s.slice(4)}` : s
  }
}
