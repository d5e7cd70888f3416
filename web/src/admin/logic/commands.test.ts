import { describe, expect, it } from 'vitest'
import { answerStatus, answerTag, commandFor, parseConfiguration, type Control } from './commands'

describe('commandFor', () => {
  const cases: { name: string; c: Control; want: unknown }[] = [
    { name: 'start', c: { kind: 'start', connectorId: 2, idTag: 'CARD1' }, want: { action: 'RemoteStartTransaction', payload: { connectorId: 2, idTag: 'CARD1' } } },
    { name: 'stop', c: { kind: 'stop', transactionId: 42 }, want: { action: 'RemoteStopTransaction', payload: { transactionId: 42 } } },
    { name: 'hard reset', c: { kind: 'reset', type: 'Hard' }, want: { action: 'Reset', payload: { type: 'Hard' } } },
    { name: 'unlock', c: { kind: 'unlock', connectorId: 1 }, want: { action: 'UnlockConnector', payload: { connectorId: 1 } } },
    {
      name: 'unavailable',
      c: { kind: 'availability', connectorId: 0, available: false },
      want: { action: 'ChangeAvailability', payload: { connectorId: 0, type: 'Inoperative' } },
    },
    {
      name: 'available',
      c: { kind: 'availability', connectorId: 1, available: true },
      want: { action: 'ChangeAvailability', payload: { connectorId: 1, type: 'Operative' } },
    },
    { name: 'trigger', c: { kind: 'trigger', message: 'Heartbeat' }, want: { action: 'TriggerMessage', payload: { requestedMessage: 'Heartbeat' } } },
    {
      name: 'trigger for a connector',
      c: { kind: 'trigger', message: 'StatusNotification', connectorId: 1 },
      want: { action: 'TriggerMessage', payload: { requestedMessage: 'StatusNotification', connectorId: 1 } },
    },
    { name: 'clear cache', c: { kind: 'clearCache' }, want: { action: 'ClearCache', payload: {} } },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(commandFor(tc.c)).toEqual(tc.want)
    })
  }
})

describe('answers', () => {
  const cases = [
    { name: 'accepted', in: { status: 'Accepted' }, status: 'Accepted', tag: 'success' },
    { name: 'rejected', in: { status: 'Rejected' }, status: 'Rejected', tag: 'danger' },
    { name: 'unlocked', in: { status: 'Unlocked' }, status: 'Unlocked', tag: 'success' },
    { name: 'scheduled', in: { status: 'Scheduled' }, status: 'Scheduled', tag: 'warning' },
    { name: 'no status', in: { configurationKey: [] }, status: '', tag: 'info' },
    { name: 'not an object', in: null, status: '', tag: 'info' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const s = answerStatus(tc.in)
      expect(s).toBe(tc.status)
      expect(answerTag(s)).toBe(tc.tag)
    })
  }
})

describe('parseConfiguration', () => {
  it('sorts keys and keeps unknown ones', () => {
    const got = parseConfiguration({
      configurationKey: [
        { key: 'MeterValueSampleInterval', readonly: false, value: '60' },
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
        { key: 'NumberOfConnectors', readonly: true, value: '2' },
        { key: 'NoValue', readonly: false },
        { value: 'no key' },
      ],
      unknownKey: ['Foo'],
    })
    expect(got).toEqual({
      entries: [
        { key: 'HeartbeatInterval', value: '300', readonly: false },
        { key: 'MeterValueSampleInterval', value: '60', readonly: false },
        { key: 'NoValue', value: '', readonly: false },
        { key: 'NumberOfConnectors', value: '2', readonly: true },
      ],
      unknown: ['Foo'],
    })
  })

  it('an empty answer', () => {
    expect(parseConfiguration(undefined)).toEqual({ entries: [], unknown: [] })
  })
})
