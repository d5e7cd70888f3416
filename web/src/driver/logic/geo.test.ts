import { describe, expect, it } from 'vitest'
import { distanceM, gcj02ToBd09, hasPosition, wgs84ToBd09, wgs84ToGcj02, type LatLng } from './geo'

// Tolerance of the conversions: 1e-5 degrees, about 1 m, far below what a
// map or a walking route can show. The reference pairs are published
// conversions of well-known Beijing points.
const tolDeg = 1e-5

function near(got: LatLng, want: LatLng): string {
  const d = Math.max(Math.abs(got.lat - want.lat), Math.abs(got.lng - want.lng))
  return d <= tolDeg ? '' : `got (${got.lat}, ${got.lng}), want (${want.lat}, ${want.lng}) ±${tolDeg}°, off by ${d}°`
}

describe('wgs84ToGcj02', () => {
  const cases = [
    { name: 'Tiananmen', in: { lat: 39.908692, lng: 116.397477 }, want: { lat: 39.910096, lng: 116.403719 } },
    { name: 'coordtransform example', in: { lat: 39.915, lng: 116.404 }, want: { lat: 39.91640428150164, lng: 116.41024449916938 } },
    { name: 'outside China is unchanged', in: { lat: 51.5007, lng: -0.1246 }, want: { lat: 51.5007, lng: -0.1246 } },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(near(wgs84ToGcj02(tc.in), tc.want)).toBe('')
    })
  }
})

describe('gcj02ToBd09', () => {
  const cases = [
    { name: 'coordtransform example', in: { lat: 39.915, lng: 116.404 }, want: { lat: 39.92133699351022, lng: 116.41036949371029 } },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(near(gcj02ToBd09(tc.in), tc.want)).toBe('')
    })
  }

  it('wgs84ToBd09 chains both shifts: BD-09 lies a few hundred metres from WGS-84 in Beijing', () => {
    const p = { lat: 39.908692, lng: 116.397477 }
    const d = distanceM(p, wgs84ToBd09(p))
    expect(d > 500 && d < 1500, `got ${d} m between WGS-84 and BD-09, want 500–1500 m`).toBe(true)
  })
})

describe('distanceM', () => {
  const cases = [
    { name: 'same point', a: { lat: 30, lng: 120 }, b: { lat: 30, lng: 120 }, want: 0, tol: 0.001 },
    { name: 'one degree of latitude', a: { lat: 30, lng: 120 }, b: { lat: 31, lng: 120 }, want: 111_195, tol: 5 },
    { name: '180 m along a campus road', a: { lat: 30.2600, lng: 120.1200 }, b: { lat: 30.2616188, lng: 120.1200 }, want: 180, tol: 0.5 },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = distanceM(tc.a, tc.b)
      expect(Math.abs(got - tc.want) <= tc.tol, `got ${got} m, want ${tc.want} ±${tc.tol}`).toBe(true)
    })
  }
})

describe('hasPosition', () => {
  const cases = [
    { name: 'a place', in: { lat: 30.1, lng: 120.2 }, want: true },
    { name: '0,0 is unset', in: { lat: 0, lng: 0 }, want: false },
    { name: 'null', in: null, want: false },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(hasPosition(tc.in)).toBe(tc.want)
    })
  }
})
