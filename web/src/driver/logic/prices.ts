// When shown prices go stale: the next time-of-use period boundary. Pure.

const dayMs = 86_400_000

/** zoneOffsetMs is how far timeZone's wall clock is ahead of UTC at t (epoch ms). */
export function zoneOffsetMs(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(t))
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'))
  return wall - (t - (((t % 1000) + 1000) % 1000))
}

/** nextMidnight is the epoch ms of the next midnight after now in timeZone (when today's price timeline ends). */
export function nextMidnight(now: number, timeZone: string): number {
  const off = zoneOffsetMs(now, timeZone)
  const local = Math.floor((now + off) / dayMs) * dayMs + dayMs
  const guess = local - off
  // Across a daylight-saving change the offset at midnight differs from now's.
  const offThen = zoneOffsetMs(guess, timeZone)
  return offThen === off ? guess : local - offThen
}

/**
 * nextPriceBoundary is the epoch ms of the first time after now at which a
 * shown price may change: the earliest of the given period ends (RFC 3339,
 * e.g. each charger's price.ends_at or today's segments' to) that is after
 * now, or the next midnight in the site's timeZone, whichever is sooner.
 * Unparseable times are skipped.
 */
export function nextPriceBoundary(ends: readonly (string | null | undefined)[], now: number, timeZone: string): number {
  let next = nextMidnight(now, timeZone)
  for (const e of ends) {
    if (!e) continue
    const t = Date.parse(e)
    if (Number.isFinite(t) && t > now && t < next) next = t
  }
  return next
}

/** boundarySlackMs is how long after a boundary prices are read again, so the server is past it too. */
export const boundarySlackMs = 2_000

/**
 * reloadDelay is how long to wait from now before reading prices again for
 * the boundary at next: just after it, never less than minMs (a clock a
 * little behind the server's must not spin), at most 24 h.
 */
export function reloadDelay(next: number, now: number, minMs = 5_000): number {
  return Math.min(Math.max(next - now + boundarySlackMs, minMs), dayMs)
}
