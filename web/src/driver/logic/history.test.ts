import { describe, expect, it } from 'vitest'
import { feeBill, session } from './fixtures'
import { feeBillTime, groupByMonth, groupHistory, isFeeBill, monthOf } from './history'

describe('monthOf', () => {
  const cases = [
    { name: 'Shanghai is ahead of UTC across a month end', iso: '2026-02-28T17:00:00Z', zone: 'Asia/Shanghai', want: '2026-03' },
    { name: 'UTC', iso: '2026-02-28T17:00:00Z', zone: 'UTC', want: '2026-02' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(monthOf(tc.iso, tc.zone)).toBe(tc.want)
    })
  }
})

describe('groupByMonth', () => {
  it('totals each month, newest first', () => {
    const got = groupByMonth(
      [
        session({ id: 'a', started_at: '2026-03-02T00:00:00Z', energy_wh: 10_000, duration_s: 3_600 }),
        session({ id: 'b', started_at: '2026-03-01T00:00:00Z', energy_wh: 5_000, duration_s: 600 }),
        session({ id: 'c', started_at: '2026-02-10T00:00:00Z', energy_wh: 1_000, duration_s: 60 }),
      ],
      'Asia/Shanghai',
    ).map((g) => ({ month: g.month, ids: g.sessions.map((s) => s.id), energyWh: g.energyWh, durationS: g.durationS, costFen: g.costFen }))
    expect(got).toEqual([
      { month: '2026-03', ids: ['a', 'b'], energyWh: 15_000, durationS: 4_200, costFen: null },
      { month: '2026-02', ids: ['c'], energyWh: 1_000, durationS: 60, costFen: null },
    ])
  })

  it('sums cost when every session reports one', () => {
    const withCost = (id: string, fen: number) => ({ ...session({ id }), cost_fen: fen })
    const got = groupByMonth([withCost('a', 1_250), withCost('b', 300)], 'UTC')
    expect(got[0]?.costFen).toBe(1_550)
  })

  it('takes cost from bills and skips running sessions', () => {
    const bills = new Map([['a', 700]])
    const got = groupByMonth([session({ id: 'a' }), session({ id: 'b', status: 'active' })], 'UTC', (s) => bills.get(s.id) ?? null)
    expect(got.map((g) => [g.sessions.length, g.costFen])).toEqual([[2, 700]])
  })
})

describe('groupHistory', () => {
  const shape = (gs: ReturnType<typeof groupHistory>) =>
    gs.map((g) => ({ month: g.month, sessions: g.sessions.map((s) => s.id), fees: g.fees.map((b) => b.id), feeFen: g.feeFen, costFen: g.costFen }))

  it('puts fee bills in the month their reservation ended, among the sessions, and ignores session bills', () => {
    const got = groupHistory(
      [session({ id: 's-mar', started_at: '2026-03-05T00:00:00Z' }), session({ id: 's-jan', started_at: '2026-01-05T00:00:00Z' })],
      [
        feeBill({ id: 'f-mar-old', stopped_at: '2026-03-02T00:00:00Z', total_fen: 200 }),
        feeBill({ id: 'f-mar-new', stopped_at: '2026-03-20T00:00:00Z', total_fen: 700 }),
        feeBill({ id: 'f-feb', stopped_at: '2026-02-10T00:00:00Z', total_fen: 500 }),
        feeBill({ id: 'session-bill', kind: 'session', session_id: 's-mar', stopped_at: '2026-03-05T01:00:00Z', total_fen: 3_000 }),
      ],
      'UTC',
      (s) => (s.id === 's-mar' ? 3_000 : 100),
    )
    expect(shape(got)).toEqual([
      { month: '2026-03', sessions: ['s-mar'], fees: ['f-mar-new', 'f-mar-old'], feeFen: 900, costFen: 3_000 },
      { month: '2026-02', sessions: [], fees: ['f-feb'], feeFen: 500, costFen: 0 },
      { month: '2026-01', sessions: ['s-jan'], fees: [], feeFen: 0, costFen: 100 },
    ])
  })

  it('dates a fee bill in the display time zone', () => {
    const got = groupHistory([], [feeBill({ stopped_at: '2026-02-28T17:00:00Z' })], 'Asia/Shanghai')
    expect(got.map((g) => g.month)).toEqual(['2026-03'])
  })

  it('without fee bills is groupByMonth', () => {
    const sessions = [session({ id: 'a' })]
    expect(groupHistory(sessions, [], 'UTC')).toEqual(groupByMonth(sessions, 'UTC'))
  })
})

describe('fee bills', () => {
  it('tells fee bills from session bills', () => {
    expect(isFeeBill(feeBill())).toBe(true)
    expect(isFeeBill(feeBill({ kind: 'session' }))).toBe(false)
  })
  it('dates a fee bill by its end, or its creation when the end is unset', () => {
    expect(feeBillTime(feeBill({ stopped_at: '2026-03-02T00:00:00Z' }))).toBe('2026-03-02T00:00:00Z')
    expect(feeBillTime(feeBill({ stopped_at: '0001-01-01T00:00:00Z', created_at: '2026-03-03T00:00:00Z' }))).toBe('2026-03-03T00:00:00Z')
    expect(feeBillTime(feeBill({ stopped_at: '', created_at: '2026-03-03T00:00:00Z' }))).toBe('2026-03-03T00:00:00Z')
  })
})
