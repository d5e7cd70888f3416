import { describe, expect, it } from 'vitest'
import { avgQueueWaitS, dailyOption, heatmapCells, noShowRate, splitOption, utilisationOption, type ChartLabels } from './charts'

const l: ChartLabels = {
  sessions: 'S',
  energy: 'E',
  revenue: 'R',
  charging: 'C',
  occupied: 'O',
  faulted: 'F',
  idle: 'I',
  weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  fast: 'Fast',
  slow: 'Slow',
  splitEnergy: 'Energy split',
  splitRevenue: 'Revenue split',
}

describe('charts', () => {
  it('daily: energy in kWh and revenue in yuan', () => {
    const o = dailyOption(
      { days: [{ date: '2026-11-24', sessions: 3, energy_wh: 12_345, revenue_fen: 1_099 }], totals: { sessions: 3, energy_wh: 12_345, revenue_fen: 1_099 } },
      l,
    )
    expect(o.xAxis.data).toEqual(['2026-11-24'])
    expect(o.series.map((s) => s.data)).toEqual([[3], [12.35], [10.99]])
  })

  it('heatmap cells are [hour, weekday, count]', () => {
    const counts = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0))
    counts[6]![23] = 5
    const cells = heatmapCells({ counts, max: 5 })
    expect(cells.length).toBe(168)
    expect(cells.filter((c) => c[2] > 0)).toEqual([[23, 6, 5]])
  })

  it('utilisation sorts by charging share and shows percent', () => {
    const use = (name: string, charging: number) =>
      ({ name, charge_point_id: name, charging_share: charging, occupied_share: 0.1, faulted_share: 0, idle_share: 0.9 - charging }) as never
    const o = utilisationOption([use('a', 0.1), use('b', 0.456)], l)
    expect(o.yAxis.data).toEqual(['b', 'a'])
    expect(o.series[0]?.data).toEqual([45.6, 10])
  })

  it('split names the kinds', () => {
    const o = splitOption([{ kind: 'fast', chargers: 2, sessions: 1, energy_wh: 1000, revenue_fen: 150 }], l)
    expect(o.series[0]?.data).toEqual([{ name: 'Fast', value: 1 }])
    expect(o.series[1]?.data).toEqual([{ name: 'Fast', value: 1.5 }])
  })

  it('split titles each pie over its centre', () => {
    const o = splitOption([], l)
    expect(o.title.map((x) => [x.text, x.left])).toEqual([
      ['Energy split', o.series[0]?.center[0]],
      ['Revenue split', o.series[1]?.center[0]],
    ])
  })
})

describe('scheduling figures', () => {
  const base = { available: true, queue_wait_available: true, avg_queue_wait_s: 420, reservations: 8, used: 5, no_shows: 2, cancelled: 1, no_show_rate: 0.25 }
  const cases = [
    { name: 'no-shows over reservations', in: base, rate: 0.25, wait: 420 },
    { name: 'not available', in: { ...base, available: false }, rate: null, wait: null },
    { name: 'no reservations', in: { ...base, reservations: 0, no_shows: 0 }, rate: null, wait: 420 },
    { name: 'no queue data', in: { ...base, queue_wait_available: false, avg_queue_wait_s: 0 }, rate: 0.25, wait: null },
    { name: 'nothing loaded', in: null, rate: null, wait: null },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(noShowRate(tc.in), 'no-show rate').toBe(tc.rate)
      expect(avgQueueWaitS(tc.in), 'queue wait').toBe(tc.wait)
    })
  }
})
