// Pure rules of the driver's queue numbers and reservations as the app shows them.
import type { ChargeMode, Reservation, Ticket } from '@/api'

/** TicketPhase is what a queue number means to the driver right now. */
export type TicketPhase = 'waiting' | 'placed' | 'called' | 'charging' | 'over'

/** ticketPhase maps the server's ticket status to what the app shows. */
export function ticketPhase(t: Pick<Ticket, 'status'>): TicketPhase {
  switch (t.status) {
    case 'waiting':
    case 'displaced':
      return 'waiting'
    case 'queued':
      return 'placed'
    case 'called':
      return 'called'
    case 'charging':
      return 'charging'
    default:
      return 'over'
  }
}

/** canChange reports whether energy and mode may still change: only while waiting for a charger. */
export function canChange(t: Pick<Ticket, 'status'>): boolean {
  return ticketPhase(t) === 'waiting'
}

/** canCancel reports whether the driver may still leave the queue with this number. */
export function canCancel(t: Pick<Ticket, 'status'>): boolean {
  return ticketPhase(t) !== 'over'
}

/** currentTicket is the driver's number still in line (the newest one), or null. */
export function currentTicket(ts: readonly Ticket[]): Ticket | null {
  const live = ts.filter((t) => ticketPhase(t) !== 'over')
  live.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
  return live[0] ?? null
}

/** upsertTicket puts a fresh copy of a ticket into a list (by id). */
export function upsertTicket(ts: readonly Ticket[], t: Ticket): Ticket[] {
  const out = ts.filter((x) => x.id !== t.id)
  out.push(t)
  return out
}

/** currentReservation is the driver's active reservation (the newest), or null. */
export function currentReservation(rs: readonly Reservation[]): Reservation | null {
  const live = rs.filter((r) => r.status === 'active')
  live.sort((a, b) => Date.parse(b.reserved_at) - Date.parse(a.reserved_at))
  return live[0] ?? null
}

/** secondsLeft is how many whole seconds remain until an RFC 3339 time, never below 0 (0 for none). */
export function secondsLeft(untilIso: string | undefined, nowMs: number): number {
  if (!untilIso) return 0
  const until = Date.parse(untilIso)
  if (Number.isNaN(until) || new Date(until).getUTCFullYear() <= 1) return 0
  return Math.max(0, Math.floor((until - nowMs) / 1000))
}

/** minutesLeft rounds secondsLeft up to whole minutes, as "within N minutes" reads. */
export function minutesLeft(untilIso: string | undefined, nowMs: number): number {
  return Math.ceil(secondsLeft(untilIso, nowMs) / 60)
}

/** otherMode is the mode a ticket may switch to. */
export function otherMode(m: ChargeMode): ChargeMode {
  return m === 'fast' ? 'slow' : 'fast'
}

/** maxQueueWh is the most energy one queue number may ask for, in Wh (as the API allows). */
export const maxQueueWh = 1_000_000

/** parseKwh turns what the driver typed in kWh into Wh, or null unless it is a positive amount the API takes. */
export function parseKwh(text: string): number | null {
  const s = text.trim().replace(',', '.')
  if (!/^\d+(\.\d+)?$/.test(s)) return null
  const wh = Math.round(Number(s) * 1000)
  return wh >= 1 && wh <= maxQueueWh ? wh : null
}
