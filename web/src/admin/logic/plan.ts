// The offline site plan: chargers drawn from their coordinates on a plain
// drawing when no map tiles are configured. Pure projection helpers.

/** LatLng is a WGS-84 position in degrees. */
export interface LatLng {
  lat: number
  lng: number
}

/** Bounds is a lat/lng box. */
export interface Bounds {
  south: number
  west: number
  north: number
  east: number
}

/** hasPosition tells whether a point has real coordinates (0,0 means none was set). */
export function hasPosition(p: LatLng): boolean {
  return Number.isFinite(p.lat) && Number.isFinite(p.lng) && !(p.lat === 0 && p.lng === 0)
}

/**
 * planBounds is the box around the points with a margin of `pad` of its size
 * on each side (and at least minSpan degrees across, so one point gets room).
 * Null when no point has a position.
 */
export function planBounds(points: readonly LatLng[], pad = 0.1, minSpan = 0.002): Bounds | null {
  const ps = points.filter(hasPosition)
  if (ps.length === 0) return null
  let south = Math.min(...ps.map((p) => p.lat))
  let north = Math.max(...ps.map((p) => p.lat))
  let west = Math.min(...ps.map((p) => p.lng))
  let east = Math.max(...ps.map((p) => p.lng))
  const growLat = Math.max((north - south) * pad, (minSpan - (north - south)) / 2, 0)
  const growLng = Math.max((east - west) * pad, (minSpan - (east - west)) / 2, 0)
  south -= growLat
  north += growLat
  west -= growLng
  east += growLng
  return { south, west, north, east }
}

/** project places a point in a width×height drawing of b (y grows downwards). */
export function project(p: LatLng, b: Bounds, width: number, height: number): { x: number; y: number } {
  return {
    x: ((p.lng - b.west) / (b.east - b.west)) * width,
    y: ((b.north - p.lat) / (b.north - b.south)) * height,
  }
}

/** unproject is the position under (x, y) of a width×height drawing of b, rounded to 6 decimals (about 0.1 m). */
export function unproject(x: number, y: number, b: Bounds, width: number, height: number): LatLng {
  const r = (v: number) => Math.round(v * 1e6) / 1e6
  return { lat: r(b.north - (y / height) * (b.north - b.south)), lng: r(b.west + (x / width) * (b.east - b.west)) }
}
