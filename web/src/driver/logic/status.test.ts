import { describe, expect, it } from 'vitest'
import { chargerStatus, connectorStatus, type AppStatus, type ChargerLike } from './status'

describe('connectorStatus', () => {
  const cases: [string, AppStatus][] = [
    ['Available', 'free'],
    ['Preparing', 'busy'],
    ['Charging', 'busy'],
    ['SuspendedEV', 'busy'],
    ['SuspendedEVSE', 'busy'],
    ['Finishing', 'busy'],
    ['Reserved', 'reserved'],
    ['Faulted', 'fault'],
    ['Unavailable', 'maintenance'],
    ['Offline', 'offline'],
    ['', 'offline'],
    ['Bogus', 'offline'],
  ]
  for (const [ocpp, want] of cases) {
    it(`${ocpp || '(empty)'} is ${want}`, () => {
      const got = connectorStatus(ocpp)
      expect(got, `got ${got}, want ${want}`).toBe(want)
    })
  }
})

describe('chargerStatus', () => {
  const c = (statuses: string[], over: Partial<ChargerLike> = {}): ChargerLike => ({
    online: true,
    state: 'active',
    connectors: statuses.map((status) => ({ status })),
    ...over,
  })
  const cases: { name: string; in: ChargerLike; want: AppStatus }[] = [
    { name: 'one free connector makes it free', in: c(['Charging', 'Available']), want: 'free' },
    { name: 'all in use is busy', in: c(['Charging', 'Finishing']), want: 'busy' },
    { name: 'busy beats fault', in: c(['Faulted', 'Charging']), want: 'busy' },
    { name: 'all faulted is fault', in: c(['Faulted']), want: 'fault' },
    { name: 'reserved', in: c(['Reserved', 'Faulted']), want: 'reserved' },
    { name: 'offline charger', in: c(['Available'], { online: false }), want: 'offline' },
    { name: 'disabled charger', in: c(['Available'], { state: 'disabled' }), want: 'maintenance' },
    { name: 'under maintenance', in: c(['Available'], { maintenance: { kind: 'maintenance' } }), want: 'maintenance' },
    { name: 'under repair', in: c(['Unavailable'], { maintenance: { kind: 'repair' } }), want: 'maintenance' },
    { name: 'being cleaned', in: c(['Unavailable'], { maintenance: { kind: 'cleaning' } }), want: 'cleaning' },
    { name: 'cleaning while disabled is maintenance', in: c(['Available'], { state: 'disabled', maintenance: { kind: 'cleaning' } }), want: 'maintenance' },
    { name: 'offline beats cleaning', in: c(['Available'], { online: false, maintenance: { kind: 'cleaning' } }), want: 'offline' },
    { name: 'no connectors', in: c([]), want: 'offline' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = chargerStatus(tc.in)
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }
})
