import { describe, expect, it } from 'vitest'
import { createAppI18n } from '@/i18n'
import { learnHabits, rankBest, reasonText, roundDistance, type Habits, type Reason } from './best'
import { chargerRows } from './chargers'
import { charger, connector, session } from './fixtures'

const now = Date.parse('2026-03-01T08:00:00Z')
// 0.0016188° of latitude is 180 m.
const origin = { lat: 30.26, lng: 120.12 }
const north = (m: number) => ({ lat: origin.lat + (m / 180) * 0.0016188, lng: origin.lng })

function i18n(locale: 'zh-CN' | 'en') {
  const store = { getItem: () => locale, setItem: () => undefined }
  return createAppI18n(store).global.t as unknown as (k: string, p?: Record<string, unknown>) => string
}

describe('learnHabits', () => {
  const kinds = new Map([
    ['f1', { kind: 'fast' as const }],
    ['f2', { kind: 'fast' as const }],
    ['s1', { kind: 'slow' as const }],
  ])
  const cases: { name: string; in: { charger_id: string; site_id: string }[]; want: Habits }[] = [
    { name: 'no sessions', in: [], want: { kind: null, siteId: null, sessions: 0 } },
    {
      name: 'mostly fast at north',
      in: [
        { charger_id: 'f1', site_id: 'north' },
        { charger_id: 'f2', site_id: 'north' },
        { charger_id: 's1', site_id: 'south' },
      ],
      want: { kind: 'fast', siteId: 'north', sessions: 3 },
    },
    {
      name: 'a tie says nothing',
      in: [
        { charger_id: 'f1', site_id: 'north' },
        { charger_id: 's1', site_id: 'south' },
      ],
      want: { kind: null, siteId: null, sessions: 2 },
    },
    { name: 'chargers no longer listed are skipped', in: [{ charger_id: 'gone', site_id: 'north' }], want: { kind: null, siteId: 'north', sessions: 1 } },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(learnHabits(tc.in, kinds)).toEqual(tc.want)
    })
  }

  it('works from real session records', () => {
    const got = learnHabits([session({ charger_id: 'f1', site_id: 'north' })], kinds)
    expect(got).toEqual({ kind: 'fast', siteId: 'north', sessions: 1 })
  })
})

describe('rankBest', () => {
  const chargers = [
    charger({ id: 'slow-near', kind: 'slow', max_power_w: 7_000, ...north(50) }),
    charger({ id: 'fast-180', kind: 'fast', ...north(180) }),
    charger({ id: 'fast-far', kind: 'fast', ...north(2_000) }),
    // 60 kWh × 10 % = 6 kWh at 60 kW: free in 6 minutes.
    charger({ id: 'fast-busy-near', kind: 'fast', ...north(20), connectors: [connector('Charging', { session: { id: 'x', energy_wh: 0, power_w: 60_000, soc: 90, started_at: '2026-03-01T07:00:00Z', transaction_id: 1 } })] }),
    charger({ id: 'fast-faulted', kind: 'fast', ...north(10), connectors: [connector('Faulted')] }),
    charger({ id: 'fast-offline', kind: 'fast', ...north(10), online: false }),
  ]
  const rows = chargerRows(chargers, origin, now)
  const cases: { name: string; habits: Habits; want: string[] }[] = [
    {
      name: 'a fast-charging driver gets the free fast charger nearby',
      habits: { kind: 'fast', siteId: null, sessions: 5 },
      want: ['fast-180', 'fast-busy-near', 'slow-near', 'fast-far'],
    },
    {
      name: 'a slow-charging driver gets the slow one',
      habits: { kind: 'slow', siteId: null, sessions: 5 },
      want: ['slow-near', 'fast-180', 'fast-busy-near', 'fast-far'],
    },
    {
      name: 'without habits the nearest free one wins',
      habits: { kind: null, siteId: null, sessions: 0 },
      want: ['slow-near', 'fast-180', 'fast-busy-near', 'fast-far'],
    },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = rankBest(rows, tc.habits, now).map((r) => r.row.charger.id)
      expect(got).toEqual(tc.want)
    })
  }

  it('gives the reasons of the top choice', () => {
    const top = rankBest(rows, { kind: 'fast', siteId: 's1', sessions: 5 }, now)[0]
    const want: Reason[] = [{ key: 'freeNow' }, { key: 'distance', meters: top?.row.distanceM ?? -1 }, { key: 'sameKind', kind: 'fast' }, { key: 'usualSite' }]
    expect(top?.reasons).toEqual(want)
    expect(Math.round(top?.row.distanceM ?? 0)).toBe(180)
  })

  it('a busy charger says when it will be free', () => {
    const busy = rankBest(rows, { kind: 'fast', siteId: null, sessions: 1 }, now).find((r) => r.row.charger.id === 'fast-busy-near')
    expect(busy?.reasons[0]).toEqual({ key: 'freeIn', minutes: 6 })
  })
})

describe('reasonText', () => {
  const reasons: Reason[] = [{ key: 'freeNow' }, { key: 'distance', meters: 181.4 }, { key: 'sameKind', kind: 'fast' }]
  const cases = [
    { name: 'Chinese', locale: 'zh-CN' as const, reasons, want: '现在空闲，距您 180 米，和您常用的一样是快充' },
    { name: 'English', locale: 'en' as const, reasons, want: 'free now, 180 m away, fast like you usually use' },
    {
      name: 'far, busy, at the usual site, priced',
      locale: 'en' as const,
      reasons: [{ key: 'freeIn', minutes: 12 }, { key: 'distance', meters: 1_260 }, { key: 'usualSite' }, { key: 'price', perKwh: 12_500 }] as Reason[],
      want: 'free in about 12 min, 1.3 km away, at North car park, where you usually charge, 1.25 yuan/kWh now',
    },
    {
      name: 'slow, in use, in Chinese',
      locale: 'zh-CN' as const,
      reasons: [{ key: 'inUse' }, { key: 'sameKind', kind: 'slow' }] as Reason[],
      want: '正在使用中，和您常用的一样是慢充',
    },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = reasonText(tc.reasons, i18n(tc.locale), 'North car park')
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }
})

describe('roundDistance', () => {
  const cases = [
    { in: 4, want: { unit: 'm', n: 0 } },
    { in: 184, want: { unit: 'm', n: 180 } },
    { in: 994, want: { unit: 'm', n: 990 } },
    { in: 996, want: { unit: 'km', n: 1 } },
    { in: 2_345, want: { unit: 'km', n: 2.3 } },
  ]
  for (const tc of cases) {
    it(`${tc.in} m`, () => {
      expect(roundDistance(tc.in)).toEqual(tc.want)
    })
  }
})
