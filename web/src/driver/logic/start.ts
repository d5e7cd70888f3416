// Starting a session: reading the charger number from a QR code, and the
// limit the driver chose. Pure.
import type { StartRequest } from '@/api'

/** parseChargerCode returns the charge point id a QR code or typed number names, or null. QR stickers encode {base_url}/start/{charge_point_id}. */
export function parseChargerCode(text: string): string | null {
  const s = text.trim()
  const m = /\/start\/([^/?#\s]+)\/?(?:[?#].*)?$/.exec(s)
  if (m?.[1]) {
    try {
      return decodeURIComponent(m[1])
    } catch {
      return null
    }
  }
  return /^[A-Za-z0-9._:-]{1,64}$/.test(s) ? s : null
}

/** Limit is when to stop: when full, after an energy (kWh) or an amount (yuan). */
export type Limit = { kind: 'full' } | { kind: 'energy'; kwh: number } | { kind: 'amount'; yuan: number }

/** Largest limits accepted: 200 kWh, 1000 yuan. */
export const maxLimitKwh = 200
export const maxLimitYuan = 1000

/** startRequest builds the body of POST /sessions, or null when the limit is not a sensible number. */
export function startRequest(chargerId: string, connectorId: number, limit: Limit): StartRequest | null {
  const req: StartRequest = { charger_id: chargerId, connector_id: connectorId }
  switch (limit.kind) {
    case 'full':
      return req
    case 'energy': {
      const wh = Math.round(limit.kwh * 1000)
      if (!Number.isFinite(wh) || wh <= 0 || limit.kwh > maxLimitKwh) return null
      return { ...req, limit_wh: wh }
    }
    case 'amount': {
      const fen = Math.round(limit.yuan * 100)
      if (!Number.isFinite(fen) || fen <= 0 || limit.yuan > maxLimitYuan) return null
      return { ...req, limit_fen: fen }
    }
  }
}

/** sessionFinish estimates when a running session ends (epoch ms) from its energy limit or the car's SoC (60 kWh battery), or null. */
export function sessionFinish(s: { energy_wh: number; power_w: number; soc: number; limit_wh: number }, now: number, batteryWh = 60_000): number | null {
  if (s.power_w <= 0) return null
  const left: number[] = []
  if (s.limit_wh > 0) left.push(Math.max(0, s.limit_wh - s.energy_wh))
  if (s.soc >= 0) left.push((batteryWh * Math.max(0, 100 - s.soc)) / 100)
  if (left.length === 0) return null
  return now + Math.round((Math.min(...left) / s.power_w) * 3_600_000)
}

/** StartStep is how far a start has got: waiting for the plug, the charger starting the session, charging. */
export type StartStep = 'plug' | 'starting' | 'charging'

/** startSteps are the steps in order. */
export const startSteps: readonly StartStep[] = ['plug', 'starting', 'charging']

/** runningStatuses are the OCPP connector statuses of a running transaction. */
const runningStatuses = new Set(['Charging', 'SuspendedEV', 'SuspendedEVSE'])

/**
 * startStep tells how far a start has got from the connector's live OCPP
 * status and whether the charger has started a session on it: charging once
 * a transaction runs (Charging, or suspended by the car or the charger),
 * starting once the charger sent StartTransaction, else still waiting for the
 * plug (Available, Preparing).
 */
export function startStep(status: string, sessionStarted: boolean): StartStep {
  if (runningStatuses.has(status)) return 'charging'
  if (sessionStarted) return 'starting'
  return 'plug'
}
