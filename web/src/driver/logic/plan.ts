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
