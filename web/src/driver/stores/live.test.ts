import { createPinia } from 'pinia'
import { createApp, defineComponent } from 'vue'
import { describe, expect, it } from 'vitest'
import { apiKey, createApi } from '@/api'
import { charger, connector, session } from '../logic/fixtures'
import { useLiveStore } from './live'

/** newStore returns a live store whose API answers every call with 404 (no call is expected to matter). */
function newStore() {
  const fetch = (async () => new Response(JSON.stringify({ status: 404 }), { status: 404 })) as typeof globalThis.fetch
  const app = createApp(defineComponent({ render: () => null }))
  const pinia = createPinia()
  app.provide(apiKey, createApi({ locale: () => 'en', fetch }))
  app.use(pinia)
  return app.runWithContext(() => useLiveStore(pinia))
}

describe('useLiveStore events', () => {
  it('a status change shows at once, before the charger is fetched again', () => {
    const live = newStore()
    live.chargers = [charger({ id: 'c1', connectors: [connector('Available')] })]
    live.onEvent({ type: 'charger.status', at: '', charger_id: 'c1', data: { connector_id: 1, status: 'Charging' } })
    const got = live.chargerById.get('c1')?.connectors?.[0]?.status
    expect(got, `got ${got}, want Charging`).toBe('Charging')
  })

  it('going offline and online flips the charger', () => {
    const live = newStore()
    live.chargers = [charger({ id: 'c1' })]
    live.onEvent({ type: 'charger.offline', at: '', charger_id: 'c1' })
    expect(live.chargerById.get('c1')?.online).toBe(false)
    live.onEvent({ type: 'charger.online', at: '', charger_id: 'c1' })
    expect(live.chargerById.get('c1')?.online).toBe(true)
  })

  it('a session that stops is announced once, with its final figures', () => {
    const live = newStore()
    live.onEvent({ type: 'session.started', at: '', data: session({ id: 'x', status: 'active', energy_wh: 0 }) })
    live.onEvent({ type: 'session.updated', at: '', data: session({ id: 'x', status: 'active', energy_wh: 1_200 }) })
    expect(live.active.map((s) => s.energy_wh)).toEqual([1_200])
    expect(live.finished).toBeNull()
    live.onEvent({ type: 'session.stopped', at: '', data: session({ id: 'x', status: 'stopped', energy_wh: 1_500 }) })
    expect(live.active).toEqual([])
    expect(live.finished?.energy_wh).toBe(1_500)
  })

  it('a stopped session seen for the first time is not announced', () => {
    const live = newStore()
    live.putSession(session({ id: 'old', status: 'stopped' }))
    expect(live.finished).toBeNull()
  })
})
