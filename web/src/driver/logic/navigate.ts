// Links that open a route to a charger in Baidu Maps or Amap. Chargers and the
// browser's position are WGS-84; each app gets its own datum.
import { wgs84ToBd09, wgs84ToGcj02, type LatLng } from './geo'

/** Place is a named position (WGS-84 degrees). */
export interface Place extends LatLng {
  name: string
}

/** TravelMode is how the driver gets there. */
export type TravelMode = 'walk' | 'drive'

const fix = (v: number) => v.toFixed(6)

function baiduQuery(from: Place | null, to: Place, mode: TravelMode, web: boolean): string {
  const point = (p: Place) => {
    const b = wgs84ToBd09(p)
    return `latlng:${fix(b.lat)},${fix(b.lng)}|name:${p.name}`
  }
  const q = new URLSearchParams()
  if (from) q.set('origin', point(from))
  q.set('destination', point(to))
  q.set('mode', mode === 'walk' ? 'walking' : 'driving')
  q.set('coord_type', 'bd09ll')
  if (web) q.set('output', 'html')
  q.set('src', 'campuscharge')
  return q.toString()
}

/** baiduWebUrl opens Baidu Maps' route page in the browser, from the driver (when known) to the charger. */
export function baiduWebUrl(from: Place | null, to: Place, mode: TravelMode): string {
  return `https://api.map.baidu.com/direction?${baiduQuery(from, to, mode, true)}`
}

/** baiduAppUrl opens the route in the Baidu Maps app on a phone. */
export function baiduAppUrl(from: Place | null, to: Place, mode: TravelMode): string {
  return `baidumap://map/direction?${baiduQuery(from, to, mode, false)}`
}

/** amapUrl opens Amap's route page (it hands over to the Amap app on phones that have it). */
export function amapUrl(from: Place | null, to: Place, mode: TravelMode): string {
  const point = (p: Place) => {
    const g = wgs84ToGcj02(p)
    return `${fix(g.lng)},${fix(g.lat)},${p.name}`
  }
  const q = new URLSearchParams()
  if (from) q.set('from', point(from))
  q.set('to', point(to))
  q.set('mode', mode === 'walk' ? 'walk' : 'car')
  q.set('coordinate', 'gaode')
  q.set('callnative', '1')
  q.set('src', 'campuscharge')
  return `https://uri.amap.com/navigation?${q.toString()}`
}

/** isPhone tells whether the user agent is a phone, where app links make sense. */
export function isPhone(userAgent: string): boolean {
  return /Android|iPhone|iPad|iPod|Mobile/i.test(userAgent)
}
