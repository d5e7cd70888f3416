import { describe, expect, it } from 'vitest'
import type { Reservation, Ticket } from '@/api'
import { canCancel, canChange, currentReservation, currentTicket, minutesLeft, otherMode, parseKwh, secondsLeft, ticketPhase, upsertTicket } from './queue'

function ticket(p: Partial<Ticket>): Ticket {
  return { id: 't', site_id: 's', user_id: 'u', number: 'F1', mode: 'fast', energy_wh: 20_000, delivered_wh: 0, status: 'waiting', position: 1, created_at: '2026-03-01T08:00:00Z', ...p }
}

function reservation(p: Partial<Reservation>): Reservation {
  return {
    id: 'r',
    reservation_id: 1,
    user_id: 'u',
    site_id: 's',
    charger_id: 'c',
    connector_id: 1,
    kind: 'direct',
    status: 'active',
    at_charger: true,
    reserved_at: '2026-03-01T08:00:00Z',
    expires_at: '2026-03-01T08:15:00Z',
    no_show_at: '2026-03-01T08:20:00Z',
    fee_fen: 0,
    ...p,
  }
}

describe('ticketPhase and what may change', () => {
  const cases: { status: string; phase: string; change: boolean; cancel: boolean }[] = [
    { status: 'waiting', phase: 'waiting', change: true, cancel: true },
    { status: 'displaced', phase: 'waiting', change: true, cancel: true },
    { status: 'queued', phase: 'placed', change: false, cancel: true },
    { status: 'called', phase: 'called', change: false, cancel: true },
    { status: 'charging', phase: 'charging', change: false, cancel: true },
    { status: 'finished', phase: 'over', change: false, cancel: false },
    { status: 'cancelled', phase: 'over', change: false, cancel: false },
    { status: 'removed', phase: 'over', change: false, cancel: false },
  ]
  for (const c of cases) {
    it(c.status, () => {
      const t = ticket({ status: c.status })
      expect(ticketPhase(t), `phase of ${c.status}`).toBe(c.phase)
      expect(canChange(t), `canChange(${c.status})`).toBe(c.change)
      expect(canCancel(t), `canCancel(${c.status})`).toBe(c.cancel)
    })
  }
})

describe('current ticket and reservation', () => {
  it('picks the newest number still in line', () => {
    const ts = [
      ticket({ id: 'old', status: 'finished', created_at: '2026-03-01T09:00:00Z' }),
      ticket({ id: 'a', status: 'waiting', created_at: '2026-03-01T08:00:00Z' }),
      ticket({ id: 'b', status: 'called', created_at: '2026-03-01T08:30:00Z' }),
    ]
    expect(currentTicket(ts)?.id).toBe('b')
    expect(currentTicket([ticket({ status: 'cancelled' })])).toBeNull()
  })

  it('upsert replaces by id', () => {
    const got = upsertTicket([ticket({ id: 'a', position: 3 }), ticket({ id: 'b' })], ticket({ id: 'a', position: 1 }))
    expect(got.map((t) => [t.id, t.position])).toEqual([
      ['b', 1],
      ['a', 1],
    ])
  })

  it('only an active reservation is current', () => {
    const rs = [reservation({ id: 'x', status: 'cancelled', reserved_at: '2026-03-01T09:00:00Z' }), reservation({ id: 'y' })]
    expect(currentReservation(rs)?.id).toBe('y')
    expect(currentReservation([reservation({ status: 'used' })])).toBeNull()
  })
})

describe('countdowns', () => {
  const now = Date.parse('2026-03-01T08:00:00Z')
  const cases: { name: string; until: string | undefined; secs: number; mins: number }[] = [
    { name: '90 s left', until: '2026-03-01T08:01:30Z', secs: 90, mins: 2 },
    { name: 'exactly 10 min', until: '2026-03-01T08:10:00Z', secs: 600, mins: 10 },
    { name: 'past', until: '2026-03-01T07:59:00Z', secs: 0, mins: 0 },
    { name: 'none', until: undefined, secs: 0, mins: 0 },
    { name: 'zero time', until: '0001-01-01T00:00:00Z', secs: 0, mins: 0 },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(secondsLeft(c.until, now), `secondsLeft(${c.until})`).toBe(c.secs)
      expect(minutesLeft(c.until, now), `minutesLeft(${c.until})`).toBe(c.mins)
    })
  }
})

describe('parseKwh', () => {
  const cases: [string, number | null][] = [
    ['20', 20_000],
    [' 7.5 ', 7_500],
    ['0,25', 250],
    ['0.0004', null],
    ['0', null],
    ['-3', null],
    ['abc', null],
    ['1000', 1_000_000],
    ['1000.1', null],
    ['', null],
  ]
  for (const [text, want] of cases) {
    it(JSON.stringify(text), () => expect(parseKwh(text), `parseKwh(${JSON.stringify(text)})`).toBe(want))
  }
  it('otherMode flips', () => {
    expect(otherMode('fast')).toBe('slow')
    expect(otherMode('slow')).toBe('fast')
  })
})
