import { describe, expect, it } from 'vitest'
import {
  activeFilterCount,
  chargerFree,
  chargerPrice,
  chargerRows,
  connectorFree,
  matches,
  noFilters,
  sortRows,
  waitMinutes,
  type ChargerFilters,
  type FreeEstimate,
} from './chargers'
import { charger, connector, price } from './fixtures'

const now = Date.parse('2026-03-01T08:00:00Z')
const live = (soc: number, powerW: number) => ({
  id: 'x',
  energy_wh: 1000,
  power_w: powerW,
  soc,
  started_at: '2026-03-01T07:30:00Z',
  transaction_id: 1,
})

describe('connectorFree', () => {
  const cases: { name: string; in: Parameters<typeof connectorFree>[0]; want: FreeEstimate }[] = [
    { name: 'available is free now', in: connector('Available'), want: { kind: 'now' } },
    // 60 kWh × 50 % = 30 kWh left at 30 kW: one hour.
    { name: 'SoC and power give a time', in: connector('Charging', { session: live(50, 30_000) }), want: { kind: 'at', at: now + 3_600_000 } },
    { name: 'no power drawn: in use since', in: connector('SuspendedEV', { session: live(100, 0) }), want: { kind: 'since', since: Date.parse('2026-03-01T07:30:00Z') } },
    { name: 'no SoC: in use since', in: connector('Charging', { session: live(-1, 7_000) }), want: { kind: 'since', since: Date.parse('2026-03-01T07:30:00Z') } },
    { name: 'finishing frees up now', in: connector('Finishing'), want: { kind: 'at', at: now } },
    { name: 'busy without a session is unknown', in: connector('Preparing'), want: { kind: 'unknown' } },
    { name: 'faulted is unknown', in: connector('Faulted'), want: { kind: 'unknown' } },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(connectorFree(tc.in, now)).toEqual(tc.want)
    })
  }
})

describe('chargerFree and waitMinutes', () => {
  const cases = [
    { name: 'one free connector', c: charger({ connectors: [connector('Charging', { session: live(20, 30_000) }), connector('Available')] }), wait: 0 },
    { name: 'the sooner of two', c: charger({ connectors: [connector('Charging', { session: live(20, 30_000) }), connector('Charging', { session: live(90, 30_000) })] }), wait: 12 },
    { name: 'in use since: the assumed wait', c: charger({ connectors: [connector('Charging', { session: live(-1, 7_000) })] }), wait: 60 },
    { name: 'offline: never', c: charger({ online: false }), wait: Infinity },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = waitMinutes(chargerFree(tc.c, now), now)
      expect(Math.abs(got - tc.wait) < 1e-9 || got === tc.wait, `got ${got} min, want ${tc.wait}`).toBe(true)
    })
  }
})

describe('chargerPrice', () => {
  const cases = [
    { name: 'no tariff', in: {}, want: null },
    {
      name: 'energy and service',
      in: { price: { period: 'peak', energy_price: 6000, service_price: 4000, ends_at: '2026-03-01T10:00:00Z' } },
      want: { energy: 6000, service: 4000, total: 10000, period: 'peak' },
    },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(chargerPrice(tc.in)).toEqual(tc.want)
    })
  }
})

describe('filters', () => {
  const rows = chargerRows(
    [
      charger({ id: 'fast-free', kind: 'fast', max_power_w: 60_000 }),
      charger({ id: 'slow-busy', kind: 'slow', max_power_w: 7_000, site_id: 's2', connectors: [connector('Charging', { type: 'GBT_AC' })] }),
      charger({ id: 'fast-off', kind: 'fast', max_power_w: 120_000, online: false, connectors: [connector('Available', { type: 'CCS2' })] }),
      charger({ id: 'dear', kind: 'fast', max_power_w: 30_000, price: price(9000, 6000) }),
    ],
    null,
    now,
  )
  const f = (over: Partial<ChargerFilters>) => ({ ...noFilters(), ...over })
  const cases: { name: string; f: ChargerFilters; want: string[] }[] = [
    { name: 'none', f: noFilters(), want: ['fast-free', 'slow-busy', 'fast-off', 'dear'] },
    { name: 'fast', f: f({ kind: 'fast' }), want: ['fast-free', 'fast-off', 'dear'] },
    { name: 'free only', f: f({ statuses: ['free'] }), want: ['fast-free', 'dear'] },
    { name: 'free or busy slow', f: f({ statuses: ['free', 'busy'], kind: 'slow' }), want: ['slow-busy'] },
    { name: 'site', f: f({ siteId: 's2' }), want: ['slow-busy'] },
    { name: 'connector type', f: f({ connectorType: 'CCS2' }), want: ['fast-off'] },
    { name: 'power range', f: f({ minPowerKw: 30, maxPowerKw: 60 }), want: ['fast-free', 'dear'] },
    { name: 'price ceiling keeps unpriced chargers', f: f({ maxPrice: 12000 }), want: ['fast-free', 'slow-busy', 'fast-off'] },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = rows.filter((r) => matches(r, tc.f)).map((r) => r.charger.id)
      expect(got).toEqual(tc.want)
    })
  }

  it('activeFilterCount counts what is set', () => {
    expect(activeFilterCount(noFilters())).toBe(0)
    expect(activeFilterCount(f({ kind: 'fast', statuses: ['free'], maxPrice: 1 }))).toBe(3)
  })
})

describe('sortRows', () => {
  const origin = { lat: 30.26, lng: 120.12 }
  const rows = chargerRows(
    [
      charger({ id: 'far', lat: 30.27, max_power_w: 7_000, connectors: [connector('Available')] }),
      charger({ id: 'near-busy', lat: 30.2601, max_power_w: 120_000, connectors: [connector('Charging', { session: live(50, 30_000) })] }),
      charger({ id: 'cheap', lat: 30.262, max_power_w: 60_000, price: price(5000, 3000) }),
      charger({ id: 'nowhere', lat: 0, lng: 0, max_power_w: 30_000, connectors: [connector('Faulted')] }),
    ],
    origin,
    now,
  )
  const cases = [
    { key: 'distance' as const, want: ['near-busy', 'cheap', 'far', 'nowhere'] },
    { key: 'price' as const, want: ['cheap', 'far', 'near-busy', 'nowhere'] },
    { key: 'power' as const, want: ['near-busy', 'cheap', 'nowhere', 'far'] },
    { key: 'wait' as const, want: ['cheap', 'far', 'near-busy', 'nowhere'] },
  ]
  for (const tc of cases) {
    it(tc.key, () => {
      const got = sortRows(rows, tc.key, now).map((r) => r.charger.id)
      expect(got).toEqual(tc.want)
    })
  }
})
