// ECharts options of the statistics page, built from API data. Pure: they
// return plain option objects (money in yuan, energy in kWh, shares in %).
import type { ChargerUse, DailyStats, Heatmap, KindSplit, SchedulingStats } from '@/api/admin'

/** Labels are the translated words the charts show. */
export interface ChartLabels {
  sessions: string
  energy: string
  revenue: string
  charging: string
  occupied: string
  faulted: string
  idle: string
  weekdays: string[]
  fast: string
  slow: string
  /** Titles of the fast/slow pies. */
  splitEnergy: string
  splitRevenue: string
}

const round2 = (v: number) => Math.round(v * 100) / 100

/** dailyOption charts sessions (bars) and energy and revenue (lines) per day. */
export function dailyOption(d: DailyStats, l: ChartLabels) {
  const days = d.days ?? []
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [l.sessions, l.energy, l.revenue] },
    grid: { left: 50, right: 60, bottom: 30, top: 50 },
    xAxis: { type: 'category', data: days.map((x) => x.date) },
    yAxis: [
      { type: 'value', name: l.sessions },
      { type: 'value', name: `${l.energy} / ${l.revenue}` },
    ],
    series: [
      { name: l.sessions, type: 'bar', data: days.map((x) => x.sessions) },
      { name: l.energy, type: 'line', yAxisIndex: 1, data: days.map((x) => round2(x.energy_wh / 1000)) },
      { name: l.revenue, type: 'line', yAxisIndex: 1, data: days.map((x) => round2(x.revenue_fen / 100)) },
    ],
  }
}

/** heatmapCells flattens weekday × hour counts into [hour, weekday, count] cells. */
export function heatmapCells(h: Heatmap): [number, number, number][] {
  const out: [number, number, number][] = []
  ;(h.counts ?? []).forEach((row, day) => (row ?? []).forEach((n, hour) => out.push([hour, day, n])))
  return out
}

/** heatmapOption charts session starts by hour (x) and weekday (y, Monday on top). */
export function heatmapOption(h: Heatmap, l: ChartLabels) {
  return {
    tooltip: { position: 'top' },
    grid: { left: 60, right: 20, top: 10, bottom: 90 },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, i) => String(i)), splitArea: { show: true } },
    yAxis: { type: 'category', data: l.weekdays, inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max: Math.max(1, h.max), calculable: true, orient: 'horizontal', left: 'center', bottom: 0 },
    series: [{ name: l.sessions, type: 'heatmap', data: heatmapCells(h), label: { show: false } }],
  }
}

/** utilisationOption stacks each charger's time shares in %, most charging first. */
export function utilisationOption(chargers: readonly ChargerUse[], l: ChartLabels) {
  const cs = [...chargers].sort((a, b) => b.charging_share - a.charging_share)
  const pct = (v: number) => Math.round(v * 1000) / 10
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, data: [l.charging, l.occupied, l.faulted, l.idle] },
    grid: { left: 140, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', inverse: true, data: cs.map((c) => c.name || c.charge_point_id) },
    series: [
      { name: l.charging, type: 'bar', stack: 'use', itemStyle: { color: '#409eff' }, data: cs.map((c) => pct(c.charging_share)) },
      { name: l.occupied, type: 'bar', stack: 'use', itemStyle: { color: '#e6a23c' }, data: cs.map((c) => pct(c.occupied_share)) },
      { name: l.faulted, type: 'bar', stack: 'use', itemStyle: { color: '#f56c6c' }, data: cs.map((c) => pct(c.faulted_share)) },
      { name: l.idle, type: 'bar', stack: 'use', itemStyle: { color: '#dcdfe6' }, data: cs.map((c) => pct(c.idle_share)) },
    ],
  }
}

/** splitOption compares fast and slow chargers' energy (kWh) and revenue (yuan) as two pies. */
export function splitOption(split: readonly KindSplit[], l: ChartLabels) {
  const name = (k: string) => (k === 'fast' ? l.fast : k === 'slow' ? l.slow : k)
  return {
    title: [
      { text: l.splitEnergy, left: '25%', top: 0, textAlign: 'center', textStyle: { fontSize: 13, fontWeight: 'normal' } },
      { text: l.splitRevenue, left: '75%', top: 0, textAlign: 'center', textStyle: { fontSize: 13, fontWeight: 'normal' } },
    ],
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [
      {
        name: l.energy,
        type: 'pie',
        radius: '55%',
        center: ['25%', '45%'],
        data: split.map((s) => ({ name: name(s.kind), value: round2(s.energy_wh / 1000) })),
      },
      {
        name: l.revenue,
        type: 'pie',
        radius: '55%',
        center: ['75%', '45%'],
        data: split.map((s) => ({ name: name(s.kind), value: round2(s.revenue_fen / 100) })),
      },
    ],
  }
}

/**
 * noShowRate is the share of the period's reservations whose driver never
 * came (no_shows / reservations, 0..1), or null when there is no scheduling
 * data or no reservation.
 */
export function noShowRate(s: Pick<SchedulingStats, 'available' | 'reservations' | 'no_shows'> | null): number | null {
  if (!s || !s.available || s.reservations <= 0) return null
  return s.no_shows / s.reservations
}

/** avgQueueWaitS is the average wait in a queue in seconds, or null when the API has no queue data. */
export function avgQueueWaitS(s: Pick<SchedulingStats, 'available' | 'queue_wait_available' | 'avg_queue_wait_s'> | null): number | null {
  if (!s || !s.available || !s.queue_wait_available) return null
  return s.avg_queue_wait_s
}
