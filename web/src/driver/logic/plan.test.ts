import { describe, expect, it } from 'vitest'
import { makePlan, niceStep, spread } from './plan'

describe('makePlan', () => {
  it('is null without positions', () => {
    expect(makePlan([{ lat: 0, lng: 0 }, {}], 300, 300)).toBeNull()
  })

  it('puts north up and east right, inside the margins', () => {
    const sw = { lat: 30.26, lng: 120.12 }
    const ne = { lat: 30.262, lng: 120.123 }
    const plan = makePlan([sw, ne], 320, 400, 20)
    expect(plan).not.toBeNull()
    const a = plan!.project(sw)
    const b = plan!.project(ne)
    expect(b.x > a.x, `got east x ${b.x} <= west x ${a.x}`).toBe(true)
    expect(b.y < a.y, `got north y ${b.y} >= south y ${a.y}`).toBe(true)
    for (const p of [a, b]) {
      expect(p.x >= 19.99 && p.x <= 300.01 && p.y >= 19.99 && p.y <= 380.01, `got (${p.x}, ${p.y}) outside the margins`).toBe(true)
    }
  })

  it('keeps metres equal in both axes', () => {
    // 100 m north and 100 m east of a point at 30°N.
    const o = { lat: 30, lng: 120 }
    const n = { lat: 30 + 100 / 111_320, lng: 120 }
    const e = { lat: 30, lng: 120 + 100 / (111_320 * Math.cos((30.00045 * Math.PI) / 180)) }
    const plan = makePlan([o, n, e], 300, 300)!
    const po = plan.project(o)
    const dn = po.y - plan.project(n).y
    const de = plan.project(e).x - po.x
    expect(Math.abs(dn - de) < 0.01, `got ${dn} units north and ${de} east for 100 m each`).toBe(true)
  })
})

describe('niceStep', () => {
  const cases = [
    { in: 1, want: 1 },
    { in: 23, want: 20 },
    { in: 40, want: 50 },
    { in: 80, want: 100 },
    { in: 140, want: 100 },
  ]
  for (const tc of cases) {
    it(`${tc.in} m`, () => {
      expect(niceStep(tc.in)).toBe(tc.want)
    })
  }
})

describe('spread', () => {
  it('leaves points far apart alone', () => {
    const ps = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
    ]
    expect(spread(ps, 18)).toEqual(ps)
  })

  it('puts overlapping points at least gap apart around their centre', () => {
    const ps = Array.from({ length: 8 }, (_, i) => ({ x: 50 + i * 0.5, y: 50 }))
    const got = spread(ps, 18)
    for (let i = 0; i < got.length; i++) {
      for (let j = i + 1; j < got.length; j++) {
        const d = Math.hypot(got[i]!.x - got[j]!.x, got[i]!.y - got[j]!.y)
        expect(d >= 17.9, `got points ${i} and ${j} ${d.toFixed(1)} apart, want ≥ 18`).toBe(true)
      }
    }
    const cx = got.reduce((s, p) => s + p.x, 0) / got.length
    expect(Math.abs(cx - 51.75) < 1e-9, `got centre x ${cx}, want 51.75`).toBe(true)
  })
})
