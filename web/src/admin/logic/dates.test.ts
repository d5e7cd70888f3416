import { describe, expect, it } from 'vitest'
import { addDays, bucketLabel, dayIn } from './dates'

describe('days', () => {
  const cases = [
    { name: 'Shanghai is already tomorrow', got: () => dayIn(Date.parse('2026-11-25T17:00:00Z'), 'Asia/Shanghai'), want: '2026-11-26' },
    { name: 'UTC is still today', got: () => dayIn(Date.parse('2026-11-25T17:00:00Z'), 'UTC'), want: '2026-11-25' },
    { name: 'add across a month', got: () => addDays('2026-11-29', 3), want: '2026-12-02' },
    { name: 'subtract across a year', got: () => addDays('2026-01-01', -1), want: '2025-12-31' },
    { name: 'day bucket', got: () => bucketLabel(20261125, 'day'), want: '2026-11-25' },
    { name: 'week bucket', got: () => bucketLabel(202648, 'week'), want: '2026-W48' },
    { name: 'month bucket', got: () => bucketLabel(202611, 'month'), want: '2026-11' },
    { name: 'odd bucket as is', got: () => bucketLabel(7, 'day'), want: '7' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = tc.got()
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }
})
