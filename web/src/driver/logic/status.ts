// The app's charger statuses, mapped from OCPP connector statuses.
import type { Charger, Connector } from '@/api'

/** AppStatus is what a driver needs to know about a connector or a charger. */
export type AppStatus = 'free' | 'busy' | 'reserved' | 'fault' | 'maintenance' | 'cleaning' | 'offline'

/** appStatuses lists the statuses in the order a driver prefers them (free first). */
export const appStatuses: readonly AppStatus[] = ['free', 'busy', 'reserved', 'cleaning', 'maintenance', 'fault', 'offline']

/** statusColor is the chip and marker colour of each status. */
export const statusColor: Record<AppStatus, string> = {
  free: '#07c160',
  busy: '#1989fa',
  reserved: '#7232dd',
  fault: '#ee0a24',
  maintenance: '#ff976a',
  cleaning: '#00b8d4',
  offline: '#969799',
}

const byOcpp: Record<string, AppStatus> = {
  Available: 'free',
  Preparing: 'busy',
  Charging: 'busy',
  SuspendedEV: 'busy',
  SuspendedEVSE: 'busy',
  Finishing: 'busy',
  Reserved: 'reserved',
  Faulted: 'fault',
  Unavailable: 'maintenance',
  Offline: 'offline',
}

/** connectorStatus maps an OCPP connector status (or Offline) to the app's status; unknown ones count as offline. */
export function connectorStatus(ocppStatus: string): AppStatus {
  return byOcpp[ocppStatus] ?? 'offline'
}

/** ChargerLike is the part of a charger its status depends on. */
export type ChargerLike = Pick<Charger, 'online' | 'state'> & { connectors: Pick<Connector, 'status'>[] | null; maintenance?: { kind?: string } | null }

/**
 * chargerStatus is the best status among a charger's connectors: free when any
 * connector is free. A charger that is offline is offline, and one disabled,
 * pending approval or under maintenance is in maintenance, or cleaning when
 * the task that took it out of service is a cleaning.
 */
export function chargerStatus(c: ChargerLike): AppStatus {
  if (!c.online) return 'offline'
  if (c.state === 'active' && c.maintenance?.kind === 'cleaning') return 'cleaning'
  if (c.state !== 'active' || c.maintenance) return 'maintenance'
  const rank = (s: AppStatus) => appStatuses.indexOf(s)
  let best: AppStatus = 'offline'
  for (const k of c.connectors ?? []) {
    const s = connectorStatus(k.status)
    if (rank(s) < rank(best)) best = s
  }
  return best
}
