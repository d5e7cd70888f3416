// Coordinates: distances on the WGS-84 sphere and the conversions Chinese map
// apps need. Chargers, sites and the browser's geolocation are WGS-84; Amap
// expects GCJ-02 and Baidu BD-09. Pure functions: no I/O, no clock.

/** LatLng is a position in degrees. */
export interface LatLng {
  lat: number
  lng: number
}

const earthRadiusM = 6_371_008.8

/** distanceM is the great-circle distance between a and b, in metres. */
export function distanceM(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLng = (b.lng - a.lng) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** hasPosition tells whether p is a real place (0,0 means "not set" in the API). */
export function hasPosition(p: Partial<LatLng> | null | undefined): p is LatLng {
  return !!p && typeof p.lat === 'number' && typeof p.lng === 'number' && !(p.lat === 0 && p.lng === 0)
}

/** outsideChina tells whether p lies outside the box where GCJ-02 applies (there it equals WGS-84). */
export function outsideChina(p: LatLng): boolean {
  return p.lng < 72.004 || p.lng > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271
}

// GCJ-02 offsets on the Krasovsky 1940 ellipsoid.
const krasovskyA = 6_378_245.0
const krasovskyEE = 0.006_693_421_622_965_943_23

function offsetLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3
  return r
}

function offsetLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3
  return r
}

/** wgs84ToGcj02 converts a GPS position to the GCJ-02 system of Amap (unchanged outside China). */
export function wgs84ToGcj02(p: LatLng): LatLng {
  if (outsideChina(p)) return { ...p }
  const x = p.lng - 105
  const y = p.lat - 35
  const radLat = (p.lat / 180) * Math.PI
  const s = Math.sin(radLat)
  const magic = 1 - krasovskyEE * s * s
  const sqrtMagic = Math.sqrt(magic)
  const dLat = (offsetLat(x, y) * 180) / (((krasovskyA * (1 - krasovskyEE)) / (magic * sqrtMagic)) * Math.PI)
  const dLng = (offsetLng(x, y) * 180) / ((krasovskyA / sqrtMagic) * Math.cos(radLat) * Math.PI)
  return { lat: p.lat + dLat, lng: p.lng + dLng }
}

const bdXPi = (Math.PI * 3000) / 180

/** gcj02ToBd09 converts a GCJ-02 position to Baidu's BD-09. */
export function gcj02ToBd09(p: LatLng): LatLng {
  const z = Math.sqrt(p.lng * p.lng + p.lat * p.lat) + 0.00002 * Math.sin(p.lat * bdXPi)
  const theta = Math.atan2(p.lat, p.lng) + 0.000003 * Math.cos(p.lng * bdXPi)
  return { lat: z * Math.sin(theta) + 0.006, lng: z * Math.cos(theta) + 0.0065 }
}

/** wgs84ToBd09 converts a GPS position to Baidu's BD-09 (via GCJ-02). */
export function wgs84ToBd09(p: LatLng): LatLng {
  return gcj02ToBd09(wgs84ToGcj02(p))
}
