// Session history grouped by month with totals. Pure.
import type { Bill, Session } from '@/api'

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
  /** Fee-only bills (reservation and no-show fees) of the month, newest first. */
  fees: Bill[]
  /** Total of the month's fee bills, in fen. */
  feeFen: number
}

/** isFeeBill tells a reservation's fee-only bill from a session's bill. */
export function isFeeBill(b: Pick<Bill, 'kind'>): boolean {
  return b.kind === 'reservation'
}

/** feeBillTime is when a fee bill's reservation ended (the bill's date), or when it was made. */
export function feeBillTime(b: Pick<Bill, 'stopped_at' | 'created_at'>): string {
  return b.stopped_at && !b.stopped_at.startsWith('0001-') ? b.stopped_at : b.created_at
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
      g = { month, sessions: [], energyWh: 0, durationS: 0, costFen: 0, fees: [], feeFen: 0 }
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

/**
 * groupHistory is groupByMonth with the fee-only bills among bills added to
 * the month their reservation ended in (session bills are ignored). A month
 * may hold fee bills only; such a month has no session cost (costFen 0).
 */
export function groupHistory(
  sessions: readonly Session[],
  bills: readonly Bill[],
  timeZone: string,
  cost: (s: Session) => number | null = sessionCost,
): MonthGroup[] {
  const groups = new Map(groupByMonth(sessions, timeZone, cost).map((g) => [g.month, g]))
  const fees = bills.filter(isFeeBill).sort((a, b) => (feeBillTime(a) < feeBillTime(b) ? 1 : feeBillTime(a) > feeBillTime(b) ? -1 : 0))
  for (const b of fees) {
    const month = monthOf(feeBillTime(b), timeZone)
    let g = groups.get(month)
    if (!g) {
      g = { month, sessions: [], energyWh: 0, durationS: 0, costFen: 0, fees: [], feeFen: 0 }
      groups.set(month, g)
    }
    g.fees.push(b)
    g.feeFen += b.total_fen
  }
  return [...groups.values()].sort((a, b) => (a.month < b.month ? 1 : a.month > b.month ? -1 : 0))
}
