import { describe, expect, it } from 'vitest'
import { formatTime, userLabel } from './format'

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
