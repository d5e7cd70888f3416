import { describe, expect, it } from 'vitest'
import { clock, formatTime, hoursMinutes, kw, kwh, timeOfDay, userLabel, yuan } from './format'

describe('formatTime', () => {
  const cases = [
    { name: 'none', in: null, want: '' },
    { name: 'empty', in: '', want: '' },
    { name: 'the zero time means never', in: '0001-01-01T00:00:00Z', want: '' },
    { name: 'not a time is shown as is', in: 'soon', want: 'soon' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(formatTime(tc.in, 'en')).toBe(tc.want)
    })
  }

  it('a real time is shown localised, not as the raw string', () => {
    const iso = '2026-03-04T05:06:00Z'
    const got = formatTime(iso, 'en')
    expect(got, `got ${JSON.stringify(got)}, want a short date and time`).toMatch(/\d{1,2}\/\d{1,2}\/26, \d{1,2}:\d{2}/)
  })
})

describe('userLabel', () => {
  const cases = [
    { name: 'staff by name', in: { id: 'u1', name: 'li', phone: '13800000000' }, want: 'li' },
    { name: 'drivers by phone', in: { id: 'u2', name: '', phone: '13800000000' }, want: '13800000000' },
    { name: 'id as a last resort', in: { id: 'u3', name: '', phone: '' }, want: 'u3' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(userLabel(tc.in)).toBe(tc.want)
    })
  }
})

describe('units', () => {
  const cases = [
    { name: 'kwh', got: () => kwh(12_345), want: '12.35' },
    { name: 'kwh zero', got: () => kwh(0), want: '0.00' },
    { name: 'kw whole', got: () => kw(7_000), want: '7' },
    { name: 'kw decimal', got: () => kw(7_360), want: '7.4' },
    { name: 'yuan', got: () => yuan(1230), want: '12.30' },
    { name: 'clock under an hour', got: () => clock(125), want: '2:05' },
    { name: 'clock over an hour', got: () => clock(3903), want: '1:05:03' },
    { name: 'clock negative is zero', got: () => clock(-4), want: '0:00' },
    { name: 'hoursMinutes', got: () => JSON.stringify(hoursMinutes(3_930)), want: '{"h":1,"m":6}' },
    { name: 'timeOfDay in a zone', got: () => timeOfDay(Date.parse('2026-03-01T01:05:00Z'), 'en', 'Asia/Shanghai'), want: '09:05' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = tc.got()
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }
})
