import { describe, expect, it } from 'vitest'
import { nextMidnight, nextPriceBoundary, reloadDelay, zoneOffsetMs } from './prices'

const at = (iso: string) => Date.parse(iso)

describe('zoneOffsetMs', () => {
  it('Shanghai is 8 h ahead all year', () => {
    for (const t of ['2026-01-15T12:00:00Z', '2026-07-15T12:34:56.789Z']) {
      const got = zoneOffsetMs(at(t), 'Asia/Shanghai')
      expect(got, `at ${t}: got ${got}`).toBe(8 * 3_600_000)
    }
  })
  it('London follows summer time', () => {
    expect(zoneOffsetMs(at('2026-01-15T12:00:00Z'), 'Europe/London')).toBe(0)
    expect(zoneOffsetMs(at('2026-07-15T12:00:00Z'), 'Europe/London')).toBe(3_600_000)
  })
})

describe('nextMidnight', () => {
  const cases = [
    { name: 'Shanghai evening', now: '2026-12-05T14:30:00Z', tz: 'Asia/Shanghai', want: '2026-12-05T16:00:00Z' },
    { name: 'Shanghai just after midnight', now: '2026-12-05T16:00:00.001Z', tz: 'Asia/Shanghai', want: '2026-12-06T16:00:00Z' },
    { name: 'exactly midnight is the next one', now: '2026-12-05T16:00:00Z', tz: 'Asia/Shanghai', want: '2026-12-06T16:00:00Z' },
    { name: 'UTC', now: '2026-12-05T23:59:59Z', tz: 'UTC', want: '2026-12-06T00:00:00Z' },
    { name: 'New York before the autumn change', now: '2026-10-31T12:00:00Z', tz: 'America/New_York', want: '2026-11-01T04:00:00Z' },
    { name: 'New York on the autumn change day', now: '2026-11-01T12:00:00Z', tz: 'America/New_York', want: '2026-11-02T05:00:00Z' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = new Date(nextMidnight(at(tc.now), tc.tz)).toISOString()
      expect(got, `got ${got}, want ${tc.want}`).toBe(new Date(tc.want).toISOString())
    })
  }
})

describe('nextPriceBoundary', () => {
  const now = at('2026-12-05T02:30:00Z') // 10:30 in Shanghai
  const cases = [
    { name: 'earliest end after now', ends: ['2026-12-05T06:00:00Z', '2026-12-05T03:00:00Z', undefined], want: '2026-12-05T03:00:00Z' },
    { name: 'ends in the past are skipped', ends: ['2026-12-05T02:00:00Z', '2026-12-05T02:30:00Z', '2026-12-05T09:00:00Z'], want: '2026-12-05T09:00:00Z' },
    { name: 'no ends: midnight in the site zone', ends: [], want: '2026-12-05T16:00:00Z' },
    { name: 'an end after midnight waits only until midnight', ends: ['2026-12-06T01:00:00Z'], want: '2026-12-05T16:00:00Z' },
    { name: 'garbage is skipped', ends: ['soon', null, ''], want: '2026-12-05T16:00:00Z' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = new Date(nextPriceBoundary(tc.ends, now, 'Asia/Shanghai')).toISOString()
      expect(got, `got ${got}, want ${tc.want}`).toBe(new Date(tc.want).toISOString())
    })
  }
})

describe('reloadDelay', () => {
  it('just after the boundary', () => expect(reloadDelay(100_000, 40_000)).toBe(62_000))
  it('never spins on a boundary already passed', () => expect(reloadDelay(40_000, 40_000)).toBe(5_000))
  it('at most a day', () => expect(reloadDelay(10 * 86_400_000, 0)).toBe(86_400_000))
})
