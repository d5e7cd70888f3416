// Live charger state for the dashboard: which bucket each charger is in, the
// counts per bucket, and how a live event changes the charger list. Pure:
// functions return new arrays and objects and never change their input.
import type { Charger, Connector, Session } from '@/api'
import type { LiveEvent } from '@/shared/events'

/** Bucket is the one state a charger is counted under on the dashboard. */
export type Bucket = 'charging' | 'free' | 'busy' | 'faulted' | 'offline' | 'maintenance'

/** buckets lists every bucket in the order the dashboard shows them. */
export const buckets: readonly Bucket[] = ['charging', 'free', 'busy', 'faulted', 'offline', 'maintenance']

/** Counts holds how many chargers are in each bucket, plus those online and in all. */
export type Counts = Record<Bucket, number> & { online: number; total: number }

const chargingStatuses = new Set(['Charging', 'SuspendedEV', 'SuspendedEVSE'])

/**
 * bucketOf puts a charger in one bucket, most urgent first: not approved or
 * disabled (maintenance), offline, faulted (the charger or any connector),
 * charging (any connector), free (any connector Available), unavailable
 * (maintenance), else busy (plugged in, finishing or reserved).
 */
export function bucketOf(c: Pick<Charger, 'state' | 'online' | 'status' | 'connectors'>): Bucket {
  if (c.state !== 'active') return 'maintenance'
  if (!c.online) return 'offline'
  const statuses = [c.status, ...(c.connectors ?? []).map((k) => k.status)]
  if (statuses.includes('Faulted')) return 'faulted'
  const ks = c.connectors ?? []
  if (ks.some((k) => chargingStatuses.has(k.status))) return 'charging'
  if (ks.some((k) => k.status === 'Available')) return 'free'
  if (c.status === 'Unavailable' || (ks.length > 0 && ks.every((k) => k.status === 'Unavailable'))) return 'maintenance'
  if (ks.length === 0 && c.status === 'Available') return 'free'
  return 'busy'
}

/** countChargers counts the chargers per bucket. */
export function countChargers(chargers: readonly Charger[]): Counts {
  const out: Counts = { charging: 0, free: 0, busy: 0, faulted: 0, offline: 0, maintenance: 0, online: 0, total: 0 }
  for (const c of chargers) {
    out[bucketOf(c)]++
    if (c.online) out.online++
    out.total++
  }
  return out
}

interface StatusData {
  connector_id?: number
  status?: string
  error_code?: string
  info?: string
  vendor_error?: string
}

/** liveOf is the connector's running session as a session event reports it. */
function liveOf(s: Session): NonNullable<Connector['session']> {
  return {
    id: s.id,
    transaction_id: s.transaction_id,
    started_at: s.started_at,
    energy_wh: s.energy_wh,
    power_w: s.power_w,
    soc: s.soc,
  }
}

/**
 * applyEvent returns the chargers as they are after e. Status events change
 * the connector (connector 0: the charger), online and offline events the
 * charger, session events the connector's running session. Events about
 * chargers not in the list, and events of other types, change nothing.
 */
export function applyEvent(chargers: readonly Charger[], e: LiveEvent): Charger[] {
  const i = chargers.findIndex((c) => c.id === e.charger_id)
  const c = chargers[i]
  if (!c) return [...chargers]
  const next = applyToCharger(c, e)
  if (next === c) return [...chargers]
  const out = [...chargers]
  out[i] = next
  return out
}

function applyToCharger(c: Charger, e: LiveEvent): Charger {
  const connectors = c.connectors ?? []
  switch (e.type) {
    case 'charger.online':
      return { ...c, online: true, last_seen_at: e.at || c.last_seen_at }
    case 'charger.offline':
      return {
        ...c,
        online: false,
        status: 'Offline',
        connectors: connectors.map((k) => ({ ...k, status: 'Offline' })),
      }
    case 'charger.status': {
      const d = (e.data ?? {}) as StatusData
      if (typeof d.connector_id !== 'number' || typeof d.status !== 'string') return c
      if (d.connector_id === 0) return { ...c, status: d.status, online: true }
      const k = {
        connector_id: d.connector_id,
        status: d.status,
        status_at: e.at,
        error_code: d.error_code ?? '',
        info: d.info ?? '',
        vendor_error: d.vendor_error ?? '',
      }
      const found = connectors.some((x) => x.connector_id === d.connector_id)
      const ks = found
        ? connectors.map((x) => (x.connector_id === d.connector_id ? { ...x, ...k } : x))
        : [...connectors, { ...k, type: '' as Connector['type'], max_power_w: 0 }].sort((a, b) => a.connector_id - b.connector_id)
      return { ...c, online: true, connectors: ks }
    }
    case 'session.started':
    case 'session.updated':
    case 'session.stopped': {
      const s = e.data as Session | undefined
      if (!s || typeof s.connector_id !== 'number') return c
      const running = e.type !== 'session.stopped'
      return {
        ...c,
        connectors: connectors.map((k) => {
          if (k.connector_id !== s.connector_id) return k
          if (running) return { ...k, session: liveOf(s) }
          return k.session && k.session.id !== s.id ? k : { ...k, session: undefined }
        }),
      }
    }
    default:
      return c
  }
}
