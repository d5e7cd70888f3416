import { describe, expect, it } from 'vitest'
import type { Charger, Connector, Session } from '@/api'
import type { LiveEvent } from '@/shared/events'
import { applyEvent, bucketOf, countChargers } from './live'

function connector(id: number, status: string): Connector {
  return { connector_id: id, status, status_at: '', error_code: '', info: '', vendor_error: '', type: 'GBT_AC', max_power_w: 7000 }
}

function charger(id: string, over: Partial<Charger> = {}, statuses: string[] = ['Available']): Charger {
  return {
    id,
    charge_point_id: `CP-${id}`,
    name: id,
    site_id: 's1',
    kind: 'slow',
    max_power_w: 7000,
    state: 'active',
    online: true,
    status: 'Available',
    connectors: statuses.map((s, i) => connector(i + 1, s)),
    lat: 0,
    lng: 0,
    location: '',
    lenient: false,
    tariff_id: '',
    vendor: '',
    model: '',
    serial: '',
    firmware: '',
    firmware_status: '',
    diagnostics_status: '',
    last_seen_at: '',
    ...over,
  } as Charger
}

describe('bucketOf', () => {
  const cases = [
    { name: 'pending is maintenance', c: charger('a', { state: 'pending' }), want: 'maintenance' },
    { name: 'disabled is maintenance even when online', c: charger('a', { state: 'disabled' }), want: 'maintenance' },
    { name: 'offline', c: charger('a', { online: false }, ['Offline']), want: 'offline' },
    { name: 'a faulted connector', c: charger('a', {}, ['Available', 'Faulted']), want: 'faulted' },
    { name: 'faulted charger', c: charger('a', { status: 'Faulted' }), want: 'faulted' },
    { name: 'one connector charging', c: charger('a', {}, ['Available', 'Charging']), want: 'charging' },
    { name: 'suspended counts as charging', c: charger('a', {}, ['SuspendedEV']), want: 'charging' },
    { name: 'free', c: charger('a', {}, ['Available']), want: 'free' },
    { name: 'unavailable', c: charger('a', {}, ['Unavailable', 'Unavailable']), want: 'maintenance' },
    { name: 'plugged in but not charging', c: charger('a', {}, ['Preparing']), want: 'busy' },
    { name: 'no connectors yet', c: charger('a', {}, []), want: 'free' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = bucketOf(tc.c)
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }
})

describe('countChargers', () => {
  it('counts each charger once, and online ones apart', () => {
    const got = countChargers([
      charger('a'),
      charger('b', {}, ['Charging']),
      charger('c', { online: false }, ['Offline']),
      charger('d', { state: 'disabled' }),
    ])
    expect(got).toEqual({ charging: 1, free: 1, busy: 0, faulted: 0, offline: 1, maintenance: 1, online: 3, total: 4 })
  })
})

function ev(type: string, charger_id: string, data?: unknown): LiveEvent {
  return { type, at: '2026-03-01T00:00:00Z', charger_id, data }
}

function session(over: Partial<Session>): Session {
  return { id: 's1', connector_id: 1, transaction_id: 7, started_at: '2026-03-01T00:00:00Z', energy_wh: 1200, power_w: 7000, soc: -1, ...over } as Session
}

describe('applyEvent', () => {
  const start = [charger('a'), charger('b', {}, ['Available', 'Available'])]
  const cases: { name: string; events: LiveEvent[]; want: string }[] = [
    { name: 'a connector starts charging', events: [ev('charger.status', 'b', { connector_id: 2, status: 'Charging' })], want: 'a:free b:charging' },
    { name: 'a connector faults', events: [ev('charger.status', 'a', { connector_id: 1, status: 'Faulted', error_code: 'GroundFailure' })], want: 'a:faulted b:free' },
    { name: 'connector 0 is the charger', events: [ev('charger.status', 'a', { connector_id: 0, status: 'Faulted' })], want: 'a:faulted b:free' },
    { name: 'offline then online', events: [ev('charger.offline', 'a')], want: 'a:offline b:free' },
    {
      name: 'back online with a fresh status',
      events: [ev('charger.offline', 'a'), ev('charger.online', 'a'), ev('charger.status', 'a', { connector_id: 1, status: 'Available' })],
      want: 'a:free b:free',
    },
    { name: 'an unknown charger changes nothing', events: [ev('charger.offline', 'zzz')], want: 'a:free b:free' },
    { name: 'a status without a connector is ignored', events: [ev('charger.status', 'a', { status: 'Faulted' })], want: 'a:free b:free' },
    { name: 'other event types are ignored', events: [ev('bill.created', 'a', {})], want: 'a:free b:free' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const after = tc.events.reduce(applyEvent, start)
      const got = after.map((c) => `${c.id}:${bucketOf(c)}`).join(' ')
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }

  it('a new connector is added in order', () => {
    const after = applyEvent(start, ev('charger.status', 'a', { connector_id: 3, status: 'Charging' }))
    expect(after[0]?.connectors?.map((k) => `${k.connector_id}:${k.status}`)).toEqual(['1:Available', '3:Charging'])
  })

  it('session events set and clear the running session', () => {
    const started = applyEvent(start, ev('session.started', 'b', session({ connector_id: 2 })))
    const updated = applyEvent(started, ev('session.updated', 'b', session({ connector_id: 2, energy_wh: 5000 })))
    expect(updated[1]?.connectors?.[1]?.session?.energy_wh).toBe(5000)
    const stopped = applyEvent(updated, ev('session.stopped', 'b', session({ connector_id: 2 })))
    expect(stopped[1]?.connectors?.[1]?.session).toBeUndefined()
  })

  it('a stop of another session keeps the running one', () => {
    const started = applyEvent(start, ev('session.started', 'b', session({ id: 'new', connector_id: 1 })))
    const stopped = applyEvent(started, ev('session.stopped', 'b', session({ id: 'old', connector_id: 1 })))
    expect(stopped[1]?.connectors?.[0]?.session?.id).toBe('new')
  })

  it('leaves its input alone', () => {
    const before = JSON.stringify(start)
    applyEvent(start, ev('charger.offline', 'a'))
    expect(JSON.stringify(start)).toBe(before)
  })
})
