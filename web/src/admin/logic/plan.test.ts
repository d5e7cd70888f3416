import { describe, expect, it } from 'vitest'
import { hasPosition, planBounds, project, unproject } from './plan'

describe('planBounds', () => {
  it('is null without positions', () => {
    expect(planBounds([{ lat: 0, lng: 0 }])).toBeNull()
  })

  it('pads the box around the points', () => {
    const b = planBounds([{ lat: 30, lng: 120 }, { lat: 30.01, lng: 120.02 }], 0.1)
    expect(b).not.toBeNull()
    const got = b!
    const close = (a: number, w: number) => Math.abs(a - w) < 1e-9
    if (!close(got.south, 29.999) || !close(got.north, 30.011) || !close(got.west, 119.998) || !close(got.east, 120.022)) {
      expect.fail(`got ${JSON.stringify(got)}, want 29.999..30.011 × 119.998..120.022`)
    }
  })

  it('gives one point room', () => {
    const b = planBounds([{ lat: 30, lng: 120 }], 0.1, 0.002)!
    expect(b.north - b.south).toBeCloseTo(0.002, 9)
    expect(b.east - b.west).toBeCloseTo(0.002, 9)
  })
})

describe('project and unproject', () => {
  const b = { south: 30, west: 120, north: 30.01, east: 120.02 }
  const cases = [
    { name: 'north-west corner', p: { lat: 30.01, lng: 120 }, want: { x: 0, y: 0 } },
    { name: 'south-east corner', p: { lat: 30, lng: 120.02 }, want: { x: 400, y: 200 } },
    { name: 'middle', p: { lat: 30.005, lng: 120.01 }, want: { x: 200, y: 100 } },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = project(tc.p, b, 400, 200)
      expect(got.x).toBeCloseTo(tc.want.x, 6)
      expect(got.y).toBeCloseTo(tc.want.y, 6)
      expect(unproject(got.x, got.y, b, 400, 200)).toEqual(tc.p)
    })
  }

  it('hasPosition', () => {
    expect([hasPosition({ lat: 0, lng: 0 }), hasPosition({ lat: 30, lng: 0 }), hasPosition({ lat: NaN, lng: 1 })]).toEqual([false, true, false])
  })
})
