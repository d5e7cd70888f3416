// Session history grouped by month with totals. Pure.
import type { Session } from '@/api'

/** MonthGroup is one month of sessions with totals. */
export interface MonthGroup {
  /** The month as YYYY-MM in the display time zone. */
  month: string
  sessions: Session[]
  /** Energy of all sessions, in Wh. */
  energyWh: number
  /** Duration of all sessions, in seconds. */
  durationS: number
  /** Cost of all sessions in fen, or null when the API does not report cost. */
  costFen: number | null
}

/** monthOf returns the YYYY-MM of an RFC 3339 time in timeZone. */
export function monthOf(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(new Date(iso))
  const y = parts.find((p) => p.type === 'year')?.value ?? '0000'
  const m = parts.find((p) => p.type === 'month')?.value ?? '00'
  return `${y}-${m}`
}

/** sessionCost returns a session's cost in fen when the API reports it. */
export function sessionCost(s: object): number | null {
  const v = (s as { cost_fen?: unknown }).cost_fen
  return typeof v === 'number' ? v : null
}

/**
 * groupByMonth groups sessions by the month they started in (timeZone), newest
 * month first, keeping the order within a month. A month's cost is the sum of
 * cost(s) over its stopped sessions (running ones have no final cost yet), or
 * null when a stopped session has none.
 */
export function groupByMonth(sessions: readonly Session[], timeZone: string, cost: (s: Session) => number | null = sessionCost): MonthGroup[] {
  const groups = new Map<string, MonthGroup>()
  for (const s of sessions) {
    const month = monthOf(s.started_at, timeZone)
    let g = groups.get(month)
    if (!g) {
      g = { month, sessions: [], energyWh: 0, durationS: 0, costFen: 0 }
      groups.set(month, g)
    }
    g.sessions.push(s)
    g.energyWh += s.energy_wh
    g.durationS += s.duration_s
    if (s.status === 'active') continue
    const c = cost(s)
    g.costFen = c === null || g.costFen === null ? null : g.costFen + c
  }
  return [...groups.values()].sort((a, b) => (a.month < b.month ? 1 : a.month > b.month ? -1 : 0))
}
