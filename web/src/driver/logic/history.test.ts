import { describe, expect, it } from 'vitest'
import { session } from './fixtures'
import { groupByMonth, monthOf } from './history'

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
