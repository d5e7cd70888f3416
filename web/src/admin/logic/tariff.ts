// Editing a tariff's day as a 24-hour timeline: contiguous segments from
// 00:00 to 24:00, each with a period name and prices. Pure functions: they
// take segments and return new ones, never changing their input.
import type { Period } from '@/api/admin'

/** minutesPerDay is the length of the tariff day in minutes. */
export const minutesPerDay = 1440

/** snapMinutes is the step boundaries move in when dragged. */
export const snapMinutes = 15

/**
 * toSegments turns periods as stored (in any order, possibly wrapping past
 * midnight, e.g. 22:00–06:00) into contiguous segments sorted from 00:00 that
 * cover the whole day. Minutes no period covers become a segment named "" at
 * price 0, so the editor shows the gap.
 */
export function toSegments(periods: readonly Period[]): Period[] {
  const pieces: Period[] = []
  for (const p of periods) {
    if (p.start_minute < p.end_minute) {
      pieces.push({ ...p })
    } else if (p.start_minute > p.end_minute) {
      pieces.push({ ...p, end_minute: minutesPerDay })
      if (p.end_minute > 0) pieces.push({ ...p, start_minute: 0 })
    }
  }
  pieces.sort((a, b) => a.start_minute - b.start_minute)
  const out: Period[] = []
  let at = 0
  for (const p of pieces) {
    const start = Math.max(p.start_minute, at)
    if (start >= p.end_minute) continue
    if (start > at) out.push(gap(at, start))
    out.push({ ...p, start_minute: start })
    at = p.end_minute
  }
  if (at < minutesPerDay) out.push(gap(at, minutesPerDay))
  return mergeEqualNeighbours(out)
}

function gap(start: number, end: number): Period {
  return { name: '', start_minute: start, end_minute: end, energy_price: 0, service_price: 0 }
}

function samePrice(a: Period, b: Period): boolean {
  return a.name === b.name && a.energy_price === b.energy_price && a.service_price === b.service_price
}

/** mergeEqualNeighbours joins neighbouring segments with the same name and prices. */
export function mergeEqualNeighbours(segments: readonly Period[]): Period[] {
  const out: Period[] = []
  for (const s of segments) {
    const last = out[out.length - 1]
    if (last && last.end_minute === s.start_minute && samePrice(last, s)) {
      out[out.length - 1] = { ...last, end_minute: s.end_minute }
    } else {
      out.push({ ...s })
    }
  }
  return out
}

/** snap rounds a minute to the nearest step. */
export function snap(minute: number, step = snapMinutes): number {
  return Math.round(minute / step) * step
}

/**
 * moveBoundary moves the boundary between segment i and i+1 to minute,
 * snapped to the step and kept at least one step inside both neighbours.
 * An index without a following segment returns the segments unchanged.
 */
export function moveBoundary(segments: readonly Period[], i: number, minute: number, step = snapMinutes): Period[] {
  const left = segments[i]
  const right = segments[i + 1]
  if (!left || !right) return segments.map((s) => ({ ...s }))
  const lo = left.start_minute + step
  const hi = right.end_minute - step
  const m = Math.min(hi, Math.max(lo, snap(minute, step)))
  return segments.map((s, k) => {
    if (k === i) return { ...s, end_minute: m }
    if (k === i + 1) return { ...s, start_minute: m }
    return { ...s }
  })
}

/**
 * split cuts segment i in two at minute (snapped; the middle when absent).
 * Both halves keep the name and prices. A segment too short to split is left alone.
 */
export function split(segments: readonly Period[], i: number, minute?: number, step = snapMinutes): Period[] {
  const s = segments[i]
  const copy = segments.map((x) => ({ ...x }))
  if (!s) return copy
  const at = snap(minute ?? (s.start_minute + s.end_minute) / 2, step)
  if (at <= s.start_minute || at >= s.end_minute) return copy
  copy.splice(i, 1, { ...s, end_minute: at }, { ...s, start_minute: at })
  return copy
}

/** removeSegment gives segment i's time to its left neighbour (its right one for the first). */
export function removeSegment(segments: readonly Period[], i: number): Period[] {
  const copy = segments.map((x) => ({ ...x }))
  if (copy.length <= 1 || i < 0 || i >= copy.length) return copy
  const [gone] = copy.splice(i, 1)
  const heir = i === 0 ? copy[0] : copy[i - 1]
  if (!gone || !heir) return copy
  if (i === 0) heir.start_minute = gone.start_minute
  else heir.end_minute = gone.end_minute
  return copy
}

/** SegmentProblem names what is wrong with a timeline, for a message. */
export type SegmentProblem = 'empty' | 'gap' | 'unnamed' | 'price'

/** maxPrice is the highest price the server accepts, in 1/10000 yuan per kWh (100 yuan). */
export const maxPrice = 1_000_000

/** checkSegments lists what stops the segments from being saved as a tariff version. */
export function checkSegments(segments: readonly Period[]): SegmentProblem[] {
  const out = new Set<SegmentProblem>()
  if (segments.length === 0) out.add('empty')
  let at = 0
  for (const s of segments) {
    if (s.start_minute !== at || s.end_minute <= s.start_minute) out.add('gap')
    if (s.name.trim() === '') out.add('unnamed')
    const bad = (p: number) => !Number.isInteger(p) || p < 0 || p > maxPrice
    if (bad(s.energy_price) || bad(s.service_price)) out.add('price')
    at = s.end_minute
  }
  if (segments.length > 0 && at !== minutesPerDay) out.add('gap')
  return [...out]
}

/** hhmm shows a minute of the day as "HH:MM" (1440 as "24:00"). */
export function hhmm(minute: number): string {
  const h = Math.floor(minute / 60)
  const m = minute % 60
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}

/** parseHhmm reads "H:MM" or "HH:MM" (up to 24:00) as a minute of the day, null when it is not one. */
export function parseHhmm(s: string): number | null {
  const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(s)
  if (!m) return null
  const minute = Number(m[1]) * 60 + Number(m[2])
  if (Number(m[2]) > 59 || minute > minutesPerDay) return null
  return minute
}

/** minuteAt converts a pointer's x offset in a bar width pixels wide to a minute of the day. */
export function minuteAt(x: number, width: number): number {
  if (width <= 0) return 0
  return Math.min(minutesPerDay, Math.max(0, Math.round((x / width) * minutesPerDay)))
}

/** VersionState says whether a tariff version is in force, waiting for its time, or replaced. */
export type VersionState = 'current' | 'scheduled' | 'past'

/**
 * versionStates tells each version's state at nowMs: the latest version whose
 * effective_from has come is current, later ones are scheduled, earlier ones past.
 */
export function versionStates(versions: readonly { id: string; effective_from: string }[], nowMs: number): Map<string, VersionState> {
  const out = new Map<string, VersionState>()
  const byTime = [...versions].sort((a, b) => Date.parse(a.effective_from) - Date.parse(b.effective_from))
  let current = ''
  for (const v of byTime) if (Date.parse(v.effective_from) <= nowMs) current = v.id
  let seen = false
  for (const v of byTime) {
    if (v.id === current) {
      out.set(v.id, 'current')
      seen = true
    } else if (Date.parse(v.effective_from) > nowMs) {
      out.set(v.id, 'scheduled')
    } else {
      out.set(v.id, seen ? 'scheduled' : 'past')
    }
  }
  return out
}

/** periodColor gives the usual time-of-use names their colours (peak red, flat amber, valley green), others a grey. */
export function periodColor(name: string): string {
  const n = name.trim().toLowerCase()
  if (n === 'peak' || n === '峰' || n === 'sharp' || n === '尖') return '#f56c6c'
  if (n === 'flat' || n === '平') return '#e6a23c'
  if (n === 'valley' || n === '谷') return '#67c23a'
  if (n === '') return '#dcdfe6'
  return '#409eff'
}
