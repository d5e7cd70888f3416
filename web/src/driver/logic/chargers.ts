// Chargers as the list, the map and "best for me" see them: status, expected
// free time, distance and price, with filters and sort orders. Pure: the
// current time and the driver's position are arguments.
import type { Charger, Connector, ConnectorType } from '@/api'
import { distanceM, hasPosition, type LatLng } from './geo'
import { chargerStatus, connectorStatus, type AppStatus } from './status'

/** assumedBatteryWh is the battery assumed when estimating when a car is full: 60 kWh. */
export const assumedBatteryWh = 60_000

/** assumedWaitMin is the wait assumed for a session whose end cannot be estimated, in minutes. */
export const assumedWaitMin = 60

/**
 * FreeEstimate says when a connector or charger is expected to be free:
 * now; at a time (epoch ms) estimated from the car's SoC and power; in use
 * since a time (epoch ms) when the car does not say its SoC; or unknown
 * (fault, maintenance, offline, reserved).
 */
export type FreeEstimate = { kind: 'now' } | { kind: 'at'; at: number } | { kind: 'since'; since: number } | { kind: 'unknown' }

/** connectorFree estimates when connector k is free, at time now (epoch ms), assuming a 60 kWh battery charged to 100 %. */
export function connectorFree(k: Pick<Connector, 'status' | 'session'>, now: number): FreeEstimate {
  const s = connectorStatus(k.status)
  if (s === 'free') return { kind: 'now' }
  if (s !== 'busy') return { kind: 'unknown' }
  if (k.status === 'Finishing') return { kind: 'at', at: now }
  const x = k.session
  if (!x) return { kind: 'unknown' }
  if (x.soc >= 0 && x.power_w > 0) {
    const remainingWh = (assumedBatteryWh * Math.max(0, 100 - x.soc)) / 100
    return { kind: 'at', at: now + Math.round((remainingWh / x.power_w) * 3_600_000) }
  }
  const since = Date.parse(x.started_at)
  return Number.isNaN(since) ? { kind: 'unknown' } : { kind: 'since', since }
}

/** waitMinutes is how long a driver would wait for est at time now (ms): 0 when free, Infinity when unknown. */
export function waitMinutes(est: FreeEstimate, now: number): number {
  switch (est.kind) {
    case 'now':
      return 0
    case 'at':
      return Math.max(0, (est.at - now) / 60_000)
    case 'since':
      return assumedWaitMin
    default:
      return Infinity
  }
}

/** chargerFree is the soonest a connector of c is expected to be free. */
export function chargerFree(c: Pick<Charger, 'connectors' | 'online'>, now: number): FreeEstimate {
  if (!c.online) return { kind: 'unknown' }
  let best: FreeEstimate = { kind: 'unknown' }
  for (const k of c.connectors ?? []) {
    const e = connectorFree(k, now)
    if (waitMinutes(e, now) < waitMinutes(best, now)) best = e
    else if (e.kind === 'since' && best.kind === 'since' && e.since < best.since) best = e
  }
  return best
}

/** PriceNow is a charger's current price in 1/10000 yuan per kWh (energy + service fee) and its period's name. */
export interface PriceNow {
  energy: number
  service: number
  total: number
  period: string
}

/** chargerPrice is the price in force on a charger, or null when the API sends none (no tariff). */
export function chargerPrice(c: Pick<Charger, 'price'>): PriceNow | null {
  const p = c.price
  if (!p) return null
  return { energy: p.energy_price, service: p.service_price, total: p.energy_price + p.service_price, period: p.period }
}

/** ChargerRow is a charger with what the list shows and sorts by. */
export interface ChargerRow {
  charger: Charger
  status: AppStatus
  free: FreeEstimate
  /** Distance from the driver, in metres; null when either position is unknown. */
  distanceM: number | null
  /** Current price, or null when the API has none. */
  price: PriceNow | null
}

/** chargerRows describes chargers seen from origin (the driver's position, if known) at time now (epoch ms). */
export function chargerRows(chargers: readonly Charger[], origin: LatLng | null, now: number): ChargerRow[] {
  return chargers.map((c) => ({
    charger: c,
    status: chargerStatus(c),
    free: chargerFree(c, now),
    distanceM: origin && hasPosition(c) ? distanceM(origin, c) : null,
    price: chargerPrice(c),
  }))
}

/** ChargerFilters narrows the list; empty and zero values mean "any". */
export interface ChargerFilters {
  statuses: AppStatus[]
  kind: '' | 'fast' | 'slow'
  siteId: string
  connectorType: ConnectorType
  /** Lowest maximum power, in kW. */
  minPowerKw: number
  /** Highest maximum power, in kW (0 = no ceiling). */
  maxPowerKw: number
  /** Price ceiling in 1/10000 yuan per kWh (0 = none); chargers without a price are kept. */
  maxPrice: number
}

/** noFilters lets every charger through. */
export function noFilters(): ChargerFilters {
  return { statuses: [], kind: '', siteId: '', connectorType: '', minPowerKw: 0, maxPowerKw: 0, maxPrice: 0 }
}

/** activeFilterCount counts the filters set in f (for a badge). */
export function activeFilterCount(f: ChargerFilters): number {
  return [f.statuses.length > 0, f.kind, f.siteId, f.connectorType, f.minPowerKw > 0, f.maxPowerKw > 0, f.maxPrice > 0].filter(Boolean).length
}

/** matches tells whether row r passes filters f. */
export function matches(r: ChargerRow, f: ChargerFilters): boolean {
  const c = r.charger
  if (f.statuses.length > 0 && !f.statuses.includes(r.status)) return false
  if (f.kind && c.kind !== f.kind) return false
  if (f.siteId && c.site_id !== f.siteId) return false
  if (f.connectorType && !(c.connectors ?? []).some((k) => k.type === f.connectorType)) return false
  const kw = c.max_power_w / 1000
  if (f.minPowerKw > 0 && kw < f.minPowerKw) return false
  if (f.maxPowerKw > 0 && kw > f.maxPowerKw) return false
  if (f.maxPrice > 0 && r.price && r.price.total > f.maxPrice) return false
  return true
}

/** SortKey orders the list. */
export type SortKey = 'distance' | 'price' | 'power' | 'wait'

/** sortKeys lists the orders the list offers. */
export const sortKeys: readonly SortKey[] = ['wait', 'distance', 'price', 'power']

/**
 * sortRows returns rows in order of key at time now: nearest first, cheapest
 * first, most powerful first or shortest wait first. Unknown values go last;
 * ties keep a stable order by name.
 */
export function sortRows(rows: readonly ChargerRow[], key: SortKey, now: number): ChargerRow[] {
  const value = (r: ChargerRow): number => {
    switch (key) {
      case 'distance':
        return r.distanceM ?? Infinity
      case 'price':
        return r.price?.total ?? Infinity
      case 'power':
        return -r.charger.max_power_w
      case 'wait':
        return waitMinutes(r.free, now)
    }
  }
  return [...rows].sort((a, b) => {
    const va = value(a)
    const vb = value(b)
    if (va !== vb) return va < vb ? -1 : 1
    return a.charger.name.localeCompare(b.charger.name, 'zh-CN')
  })
}
