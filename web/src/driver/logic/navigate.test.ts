import { describe, expect, it } from 'vitest'
import { wgs84ToBd09, wgs84ToGcj02 } from './geo'
import { amapUrl, baiduAppUrl, baiduWebUrl, isPhone, type Place } from './navigate'

const me: Place = { lat: 39.908692, lng: 116.397477, name: '我的位置' }
const to: Place = { lat: 39.915, lng: 116.404, name: '北门快充 1' }
// The URLs carry converted coordinates (checked against references in geo.test.ts) with 6 decimals.
const f = (v: number) => v.toFixed(6)
const meG = wgs84ToGcj02(me)
const toG = wgs84ToGcj02(to)
const toB = wgs84ToBd09(to)

describe('navigation URLs', () => {
  const cases = [
    {
      name: 'Amap walking, GCJ-02, lng first',
      got: () => amapUrl(me, to, 'walk'),
      want: `https://uri.amap.com/navigation?from=${f(meG.lng)},${f(meG.lat)},我的位置&to=${f(toG.lng)},${f(toG.lat)},北门快充 1&mode=walk&coordinate=gaode&callnative=1&src=campuscharge`,
    },
    {
      name: 'Amap driving without a start',
      got: () => amapUrl(null, to, 'drive'),
      want: `https://uri.amap.com/navigation?to=${f(toG.lng)},${f(toG.lat)},北门快充 1&mode=car&coordinate=gaode&callnative=1&src=campuscharge`,
    },
    {
      name: 'Baidu web walking, BD-09, lat first',
      got: () => baiduWebUrl(null, to, 'walk'),
      want: `https://api.map.baidu.com/direction?destination=latlng:${f(toB.lat)},${f(toB.lng)}|name:北门快充 1&mode=walking&coord_type=bd09ll&output=html&src=campuscharge`,
    },
    {
      name: 'Baidu app driving',
      got: () => baiduAppUrl(null, to, 'drive'),
      want: `baidumap://map/direction?destination=latlng:${f(toB.lat)},${f(toB.lng)}|name:北门快充 1&mode=driving&coord_type=bd09ll&src=campuscharge`,
    },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = decodeURIComponent(tc.got().replace(/\+/g, ' '))
      expect(got).toBe(tc.want)
    })
  }

  it('the Baidu origin is in BD-09 too', () => {
    const q = new URL(baiduWebUrl(me, to, 'walk')).searchParams
    expect(q.get('origin')).toMatch(/^latlng:39\.91\d+,116\.41\d+\|name:我的位置$/)
  })
})

describe('isPhone', () => {
  const cases = [
    { ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0', want: true },
    { ua: 'Mozilla/5.0 (Linux; Android 14) Mobile Safari', want: true },
    { ua: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120', want: false },
  ]
  for (const tc of cases) {
    it(tc.ua, () => {
      expect(isPhone(tc.ua)).toBe(tc.want)
    })
  }
})
