import { describe, expect, it } from 'vitest'
import type { Period } from '@/api/admin'
import { checkSegments, hhmm, minuteAt, moveBoundary, parseHhmm, periodColor, removeSegment, split, toSegments, versionStates } from './tariff'

const p = (name: string, start: number, end: number, energy = 1000, service = 500): Period => ({
  name,
  start_minute: start,
  end_minute: end,
  energy_price: energy,
  service_price: service,
})

const span = (xs: Period[]) => xs.map((s) => `${s.name}:${s.start_minute}-${s.end_minute}`)

describe('toSegments', () => {
  const cases = [
    { name: 'one period all day', in: [p('flat', 0, 1440)], want: ['flat:0-1440'] },
    {
      name: 'sorted and wrapping past midnight',
      in: [p('peak', 480, 1320, 12000), p('valley', 1320, 480, 3000)],
      want: ['valley:0-480', 'peak:480-1320', 'valley:1320-1440'],
    },
    { name: 'a gap becomes an unnamed segment', in: [p('peak', 600, 720)], want: [':0-600', 'peak:600-720', ':720-1440'] },
    { name: 'equal neighbours merge', in: [p('flat', 0, 600), p('flat', 600, 1440)], want: ['flat:0-1440'] },
    { name: 'overlaps: the earlier start wins', in: [p('a', 0, 700), p('b', 600, 1440)], want: ['a:0-700', 'b:700-1440'] },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = span(toSegments(tc.in))
      expect(got, `got ${got}, want ${tc.want}`).toEqual(tc.want)
    })
  }

  it('leaves its input alone', () => {
    const input = [p('valley', 1320, 480)]
    toSegments(input)
    expect(input).toEqual([p('valley', 1320, 480)])
  })
})

describe('moveBoundary', () => {
  const day = [p('a', 0, 480), p('b', 480, 1320), p('c', 1320, 1440)]
  const cases = [
    { name: 'snaps to 15 minutes', i: 0, to: 607, want: ['a:0-600', 'b:600-1320', 'c:1320-1440'] },
    { name: 'stops a step short of the next boundary', i: 0, to: 1400, want: ['a:0-1305', 'b:1305-1320', 'c:1320-1440'] },
    { name: 'stops a step after the start', i: 1, to: 100, want: ['a:0-480', 'b:480-495', 'c:495-1440'] },
    { name: 'the last segment has no boundary to move', i: 2, to: 100, want: ['a:0-480', 'b:480-1320', 'c:1320-1440'] },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = span(moveBoundary(day, tc.i, tc.to))
      expect(got, `got ${got}, want ${tc.want}`).toEqual(tc.want)
    })
  }
})

describe('split and removeSegment', () => {
  const day = [p('a', 0, 480), p('b', 480, 1440)]
  const cases = [
    { name: 'split in the middle', got: () => split(day, 0), want: ['a:0-240', 'a:240-480', 'b:480-1440'] },
    { name: 'split at a minute', got: () => split(day, 1, 1000), want: ['a:0-480', 'b:480-1005', 'b:1005-1440'] },
    { name: 'split at the edge does nothing', got: () => split(day, 0, 0), want: ['a:0-480', 'b:480-1440'] },
    { name: 'remove gives time to the left', got: () => removeSegment(day, 1), want: ['a:0-1440'] },
    { name: 'remove the first gives time to the right', got: () => removeSegment(day, 0), want: ['b:0-1440'] },
    { name: 'the last segment stays', got: () => removeSegment([p('a', 0, 1440)], 0), want: ['a:0-1440'] },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = span(tc.got())
      expect(got, `got ${got}, want ${tc.want}`).toEqual(tc.want)
    })
  }
})

describe('checkSegments', () => {
  const cases = [
    { name: 'a whole day is fine', in: [p('a', 0, 600), p('b', 600, 1440)], want: [] },
    { name: 'nothing', in: [], want: ['empty'] },
    { name: 'short of midnight', in: [p('a', 0, 600)], want: ['gap'] },
    { name: 'a hole', in: [p('a', 0, 600), p('b', 700, 1440)], want: ['gap'] },
    { name: 'no name', in: [p(' ', 0, 1440)], want: ['unnamed'] },
    { name: 'negative price', in: [p('a', 0, 1440, -1)], want: ['price'] },
    { name: 'fractional price', in: [p('a', 0, 1440, 1.5)], want: ['price'] },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(checkSegments(tc.in)).toEqual(tc.want)
    })
  }
})

describe('clock text and pointer', () => {
  const cases = [
    { name: 'hhmm', got: () => hhmm(75), want: '01:15' },
    { name: 'hhmm end of day', got: () => hhmm(1440), want: '24:00' },
    { name: 'parse', got: () => parseHhmm('7:30'), want: 450 },
    { name: 'parse 24:00', got: () => parseHhmm('24:00'), want: 1440 },
    { name: 'parse past the day', got: () => parseHhmm('24:30'), want: null },
    { name: 'parse bad minutes', got: () => parseHhmm('10:75'), want: null },
    { name: 'parse junk', got: () => parseHhmm('noon'), want: null },
    { name: 'pointer at half', got: () => minuteAt(300, 600), want: 720 },
    { name: 'pointer past the end', got: () => minuteAt(700, 600), want: 1440 },
    { name: 'pointer before the start', got: () => minuteAt(-5, 600), want: 0 },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = tc.got()
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }
})

describe('versionStates', () => {
  const versions = [
    { id: 'v2', effective_from: '2026-03-01T00:00:00Z' },
    { id: 'v1', effective_from: '2026-01-01T00:00:00Z' },
    { id: 'v3', effective_from: '2026-06-01T00:00:00Z' },
  ]
  const cases = [
    { name: 'between versions', now: '2026-04-01T00:00:00Z', want: { v1: 'past', v2: 'current', v3: 'scheduled' } },
    { name: 'at the moment one starts', now: '2026-06-01T00:00:00Z', want: { v1: 'past', v2: 'past', v3: 'current' } },
    { name: 'before all of them', now: '2025-12-01T00:00:00Z', want: { v1: 'scheduled', v2: 'scheduled', v3: 'scheduled' } },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(Object.fromEntries(versionStates(versions, Date.parse(tc.now)))).toEqual(tc.want)
    })
  }
})

describe('periodColor', () => {
  it('colours the usual names alike in both languages and others apart', () => {
    expect([periodColor('peak'), periodColor('峰'), periodColor('valley'), periodColor('谷'), periodColor('night')]).toEqual([
      '#f56c6c',
      '#f56c6c',
      '#67c23a',
      '#67c23a',
      '#409eff',
    ])
  })
})
