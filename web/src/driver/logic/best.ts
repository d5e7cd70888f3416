// "Best for me": ranks the chargers a driver could use now by how soon they
// can charge there (walk + wait), whether it is the kind and place they
// usually use, and price, and says why in words. Pure: no I/O, no clock.
import type { Charger, Session } from '@/api'
import { waitMinutes, type ChargerRow } from './chargers'

/** Habits is what a driver usually does, learned from their sessions. */
export interface Habits {
  /** The kind of charger used in most sessions; null when none or tied. */
  kind: 'fast' | 'slow' | null
  /** The site of most sessions; null when none or tied. */
  siteId: string | null
  /** How many sessions were looked at. */
  sessions: number
}

/** majority returns the value seen most often, or null when there is none or a tie. */
function majority<T>(values: readonly T[]): T | null {
  const counts = new Map<T, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  let best: T | null = null
  let bestN = 0
  let tie = false
  for (const [v, n] of counts) {
    if (n > bestN) {
      best = v
      bestN = n
      tie = false
    } else if (n === bestN) tie = true
  }
  return tie ? null : best
}

/** learnHabits finds the driver's usual charger kind and site from their sessions; kinds come from the chargers they used. */
export function learnHabits(sessions: readonly Pick<Session, 'charger_id' | 'site_id'>[], chargers: ReadonlyMap<string, Pick<Charger, 'kind'>>): Habits {
  const kinds = sessions.map((x) => chargers.get(x.charger_id)?.kind).filter((k): k is 'fast' | 'slow' => !!k)
  const sites = sessions.map((x) => x.site_id).filter((s) => s !== '')
  return { kind: majority(kinds), siteId: majority(sites), sessions: sessions.length }
}

/** Reason is one reason a charger was chosen, rendered by reasonText. */
export type Reason =
  | { key: 'freeNow' }
  | { key: 'freeIn'; minutes: number }
  | { key: 'inUse' }
  | { key: 'distance'; meters: number }
  | { key: 'sameKind'; kind: 'fast' | 'slow' }
  | { key: 'usualSite' }
  | { key: 'price'; perKwh: number }

/** Ranked is a charger with its score (lower is better, in minutes of the driver's time) and the reasons to pick it. */
export interface Ranked {
  row: ChargerRow
  score: number
  reasons: Reason[]
}

/** Weights of the ranking, in minutes of the driver's time. */
export const bestWeights = {
  /** Walking speed, in metres a minute. */
  walkMPerMin: 80,
  /** Cost of not knowing how far a charger is. */
  unknownDistanceMin: 10,
  /** Cost of a kind the driver does not usually use. */
  otherKindMin: 15,
  /** Cost of a site the driver does not usually use. */
  otherSiteMin: 5,
  /** Cost of each yuan per kWh. */
  perYuanMin: 10,
  /** Longest wait counted. */
  maxWaitMin: 240,
}

/**
 * rankBest ranks the chargers that are free or will be (busy), best first, at
 * time now (epoch ms). Reserved, faulted, maintenance and offline chargers are
 * left out.
 */
export function rankBest(rows: readonly ChargerRow[], habits: Habits, now: number): Ranked[] {
  const w = bestWeights
  const ranked: Ranked[] = []
  for (const row of rows) {
    if (row.status !== 'free' && row.status !== 'busy') continue
    const reasons: Reason[] = []
    const wait = Math.min(waitMinutes(row.free, now), w.maxWaitMin)
    let score = wait
    if (row.status === 'free') reasons.push({ key: 'freeNow' })
    else if (row.free.kind === 'at') reasons.push({ key: 'freeIn', minutes: Math.max(1, Math.round(wait)) })
    else reasons.push({ key: 'inUse' })
    if (row.distanceM === null) score += w.unknownDistanceMin
    else {
      score += row.distanceM / w.walkMPerMin
      reasons.push({ key: 'distance', meters: row.distanceM })
    }
    if (habits.kind) {
      if (row.charger.kind === habits.kind) reasons.push({ key: 'sameKind', kind: habits.kind })
      else score += w.otherKindMin
    }
    if (habits.siteId) {
      if (row.charger.site_id === habits.siteId) reasons.push({ key: 'usualSite' })
      else score += w.otherSiteMin
    }
    if (row.price) {
      score += (row.price.total / 10_000) * w.perYuanMin
      reasons.push({ key: 'price', perKwh: row.price.total })
    }
    ranked.push({ row, score, reasons })
  }
  return ranked.sort((a, b) => a.score - b.score || a.row.charger.name.localeCompare(b.row.charger.name))
}

/** Translate is the part of vue-i18n's t that reasonText needs. */
export type Translate = (key: string, params?: Record<string, unknown>) => string

/** roundDistance rounds metres for speech: to 10 m under 1 km, else to 0.1 km. */
export function roundDistance(m: number): { unit: 'm' | 'km'; n: number } {
  if (m < 995) return { unit: 'm', n: Math.round(m / 10) * 10 }
  return { unit: 'km', n: Math.round(m / 100) / 10 }
}

/** reasonText says the reasons in the UI language, e.g. "现在空闲，距您 180 米，和您常用的一样是快充". */
export function reasonText(reasons: readonly Reason[], t: Translate, siteName = ''): string {
  const parts = reasons.map((r) => {
    switch (r.key) {
      case 'freeNow':
        return t('driver.best.freeNow')
      case 'freeIn':
        return t('driver.best.freeIn', { min: r.minutes })
      case 'inUse':
        return t('driver.best.inUse')
      case 'distance': {
        const d = roundDistance(r.meters)
        return t(d.unit === 'm' ? 'driver.best.distanceM' : 'driver.best.distanceKm', { n: d.n })
      }
      case 'sameKind':
        return t('driver.best.sameKind', { kind: t(`driver.kind.${r.kind}`) })
      case 'usualSite':
        return siteName ? t('driver.best.usualSite', { site: siteName }) : t('driver.best.usualPlace')
      case 'price':
        return t('driver.best.price', { price: (r.perKwh / 10_000).toFixed(2) })
    }
  })
  return parts.join(t('driver.best.sep'))
}
