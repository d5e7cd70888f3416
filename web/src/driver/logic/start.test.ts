import { describe, expect, it } from 'vitest'
import { parseChargerCode, sessionFinish, startRequest, startStep, type Limit, type StartStep } from './start'

describe('parseChargerCode', () => {
  const cases = [
    { name: 'sticker URL', in: 'https://charge.example.edu/start/CP-NORTH-01', want: 'CP-NORTH-01' },
    { name: 'sticker URL with a slash and query', in: 'http://10.0.0.5:8080/start/CP%2001/?from=qr', want: 'CP 01' },
    { name: 'typed number', in: '  CP-NORTH-01 ', want: 'CP-NORTH-01' },
    { name: 'another site URL without /start', in: 'https://example.com/pay?x=1', want: null },
    { name: 'prose', in: 'hello world', want: null },
    { name: 'empty', in: '', want: null },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(parseChargerCode(tc.in)).toBe(tc.want)
    })
  }
})

describe('startRequest', () => {
  const cases: { name: string; limit: Limit; want: object | null }[] = [
    { name: 'until full', limit: { kind: 'full' }, want: { charger_id: 'CP1', connector_id: 2 } },
    { name: '20.5 kWh', limit: { kind: 'energy', kwh: 20.5 }, want: { charger_id: 'CP1', connector_id: 2, limit_wh: 20_500 } },
    { name: '30 yuan', limit: { kind: 'amount', yuan: 30 }, want: { charger_id: 'CP1', connector_id: 2, limit_fen: 3_000 } },
    { name: 'cents round to fen', limit: { kind: 'amount', yuan: 0.125 }, want: { charger_id: 'CP1', connector_id: 2, limit_fen: 13 } },
    { name: 'zero kWh', limit: { kind: 'energy', kwh: 0 }, want: null },
    { name: 'not a number', limit: { kind: 'energy', kwh: Number.NaN }, want: null },
    { name: 'too much money', limit: { kind: 'amount', yuan: 5_000 }, want: null },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(startRequest('CP1', 2, tc.limit)).toEqual(tc.want)
    })
  }
})

describe('sessionFinish', () => {
  const now = Date.parse('2026-03-01T08:00:00Z')
  const cases = [
    { name: 'no power: unknown', s: { energy_wh: 0, power_w: 0, soc: 50, limit_wh: 0 }, want: null },
    { name: 'no SoC, no limit: unknown', s: { energy_wh: 0, power_w: 7_000, soc: -1, limit_wh: 0 }, want: null },
    { name: 'SoC: 30 kWh left at 30 kW', s: { energy_wh: 0, power_w: 30_000, soc: 50, limit_wh: 0 }, want: now + 3_600_000 },
    { name: 'the energy limit comes first', s: { energy_wh: 5_000, power_w: 30_000, soc: 50, limit_wh: 20_000 }, want: now + 1_800_000 },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(sessionFinish(tc.s, now)).toBe(tc.want)
    })
  }
})

describe('startStep', () => {
  const cases: { status: string; started: boolean; want: StartStep }[] = [
    { status: 'Available', started: false, want: 'plug' },
    { status: 'Preparing', started: false, want: 'plug' },
    { status: 'Preparing', started: true, want: 'starting' },
    { status: 'Available', started: true, want: 'starting' },
    { status: 'Charging', started: false, want: 'charging' },
    { status: 'Charging', started: true, want: 'charging' },
    { status: 'SuspendedEV', started: true, want: 'charging' },
    { status: 'SuspendedEVSE', started: true, want: 'charging' },
    { status: 'Faulted', started: false, want: 'plug' },
  ]
  for (const tc of cases) {
    it(`${tc.status}, session ${tc.started ? 'started' : 'not started'}`, () => {
      const got = startStep(tc.status, tc.started)
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }
})
