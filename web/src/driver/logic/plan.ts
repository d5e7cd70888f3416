// The offline campus plan: places chargers and sites on a flat drawing from
// their coordinates, so the map works on a closed network. Pure.
import { hasPosition, type LatLng } from './geo'

/** PlanPoint is a point placed on the plan, in drawing units. */
export interface PlanPoint {
  x: number
  y: number
}

/** Plan projects positions onto a width × height drawing with north up, keeping distances true in both axes. */
export interface Plan {
  width: number
  height: number
  /** Metres per drawing unit. */
  metresPerUnit: number
  project: (p: LatLng) => PlanPoint
  /** Grid line positions (drawing units) every gridM metres. */
  gridX: number[]
  gridY: number[]
  gridM: number
}

const metresPerDegLat = 111_320

/** makePlan fits the positions (0,0 ones are ignored) into width × height with a margin; null when none has a position. */
export function makePlan(points: readonly Partial<LatLng>[], width: number, height: number, margin = 24): Plan | null {
  const ps = points.filter((p): p is LatLng => hasPosition(p))
  if (ps.length === 0) return null
  const minLat = Math.min(...ps.map((p) => p.lat))
  const maxLat = Math.max(...ps.map((p) => p.lat))
  const minLng = Math.min(...ps.map((p) => p.lng))
  const maxLng = Math.max(...ps.map((p) => p.lng))
  const midLat = (minLat + maxLat) / 2
  const mPerDegLng = metresPerDegLat * Math.cos((midLat * Math.PI) / 180)
  // At least 100 m across, so a single charger is not blown up.
  const spanX = Math.max((maxLng - minLng) * mPerDegLng, 100)
  const spanY = Math.max((maxLat - minLat) * metresPerDegLat, 100)
  const metresPerUnit = Math.max(spanX / (width - 2 * margin), spanY / (height - 2 * margin))
  const cx = (minLng + maxLng) / 2
  const cy = (minLat + maxLat) / 2
  const project = (p: LatLng): PlanPoint => ({
    x: width / 2 + ((p.lng - cx) * mPerDegLng) / metresPerUnit,
    y: height / 2 - ((p.lat - cy) * metresPerDegLat) / metresPerUnit,
  })
  const gridM = niceStep((Math.max(width, height) * metresPerUnit) / 6)
  const step = gridM / metresPerUnit
  const lines = (size: number) => {
    const out: number[] = []
    for (let v = (size / 2) % step; v < size; v += step) out.push(v)
    return out
  }
  return { width, height, metresPerUnit, project, gridX: lines(width), gridY: lines(height), gridM }
}

/** niceStep rounds a length in metres to 1, 2 or 5 × a power of ten. */
export function niceStep(m: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(m, 1)))
  const f = m / p
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p
}

/**
 * spread moves points that would overlap (closer than gap) onto a ring around
 * their group's centre, far enough apart to tap each one. Points keep their
 * order; lone points do not move.
 */
export function spread(points: readonly PlanPoint[], gap: number): PlanPoint[] {
  const groups: { sx: number; sy: number; members: number[] }[] = []
  points.forEach((p, i) => {
    const g = groups.find((g) => Math.hypot(g.sx / g.members.length - p.x, g.sy / g.members.length - p.y) < gap)
    if (g) {
      g.sx += p.x
      g.sy += p.y
      g.members.push(i)
    } else groups.push({ sx: p.x, sy: p.y, members: [i] })
  })
  const out = points.map((p) => ({ ...p }))
  for (const g of groups) {
    const n = g.members.length
    if (n < 2) continue
    const cx = g.sx / n
    const cy = g.sy / n
    // Neighbours on the ring are exactly gap apart.
    const r = gap / (2 * Math.sin(Math.PI / n))
    g.members.forEach((idx, k) => {
      const a = -Math.PI / 2 + (2 * Math.PI * k) / n
      out[idx] = { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) }
    })
  }
  return out
}
