// Remote commands from the console: the OCPP 1.6 payload of each button and
// how a charger's answer is shown.
import type { CommandAction } from '@/api/admin'

/** Control is one remote-control button of the charger page. */
export type Control =
  | { kind: 'start'; connectorId: number; idTag: string }
  | { kind: 'stop'; transactionId: number }
  | { kind: 'reset'; type: 'Soft' | 'Hard' }
  | { kind: 'unlock'; connectorId: number }
  | { kind: 'availability'; connectorId: number; available: boolean }
  | { kind: 'trigger'; message: TriggerMessage; connectorId?: number }
  | { kind: 'clearCache' }

/** TriggerMessage is a message a charger may be asked to send (OCPP 1.6 TriggerMessage). */
export type TriggerMessage =
  | 'BootNotification'
  | 'DiagnosticsStatusNotification'
  | 'FirmwareStatusNotification'
  | 'Heartbeat'
  | 'MeterValues'
  | 'StatusNotification'

/** triggerMessages lists the messages TriggerMessage may ask for. */
export const triggerMessages: readonly TriggerMessage[] = [
  'StatusNotification',
  'Heartbeat',
  'MeterValues',
  'BootNotification',
  'FirmwareStatusNotification',
  'DiagnosticsStatusNotification',
]

/** commandFor turns a button into the OCPP action and request payload. */
export function commandFor(c: Control): { action: CommandAction; payload: Record<string, unknown> } {
  switch (c.kind) {
    case 'start':
      return { action: 'RemoteStartTransaction', payload: { connectorId: c.connectorId, idTag: c.idTag } }
    case 'stop':
      return { action: 'RemoteStopTransaction', payload: { transactionId: c.transactionId } }
    case 'reset':
      return { action: 'Reset', payload: { type: c.type } }
    case 'unlock':
      return { action: 'UnlockConnector', payload: { connectorId: c.connectorId } }
    case 'availability':
      return { action: 'ChangeAvailability', payload: { connectorId: c.connectorId, type: c.available ? 'Operative' : 'Inoperative' } }
    case 'trigger':
      return {
        action: 'TriggerMessage',
        payload: c.connectorId === undefined ? { requestedMessage: c.message } : { requestedMessage: c.message, connectorId: c.connectorId },
      }
    case 'clearCache':
      return { action: 'ClearCache', payload: {} }
  }
}

/** answerStatus is the status of a charger's answer ("Accepted", "Rejected", …), "" when it has none. */
export function answerStatus(response: unknown): string {
  if (response && typeof response === 'object' && 'status' in response) {
    const s = (response as { status: unknown }).status
    return typeof s === 'string' ? s : ''
  }
  return ''
}

/** answerTag colours an answer's status: accepted green, scheduled amber, anything else red. */
export function answerTag(status: string): 'success' | 'warning' | 'danger' | 'info' {
  if (status === 'Accepted' || status === 'Unlocked') return 'success'
  if (status === 'Scheduled') return 'warning'
  if (status === '') return 'info'
  return 'danger'
}

/** ConfigEntry is one key of a charger's configuration (GetConfiguration). */
export interface ConfigEntry {
  key: string
  value: string
  readonly: boolean
}

/** parseConfiguration reads a GetConfiguration answer into sorted entries and the keys the charger did not know. */
export function parseConfiguration(response: unknown): { entries: ConfigEntry[]; unknown: string[] } {
  const r = (response ?? {}) as { configurationKey?: unknown; unknownKey?: unknown }
  const entries: ConfigEntry[] = []
  if (Array.isArray(r.configurationKey)) {
    for (const k of r.configurationKey as { key?: unknown; value?: unknown; readonly?: unknown }[]) {
      if (typeof k?.key !== 'string') continue
      entries.push({ key: k.key, value: typeof k.value === 'string' ? k.value : '', readonly: k.readonly === true })
    }
  }
  entries.sort((a, b) => a.key.localeCompare(b.key))
  const unknown = Array.isArray(r.unknownKey) ? (r.unknownKey as unknown[]).filter((k): k is string => typeof k === 'string') : []
  return { entries, unknown }
}
