import { createPinia } from 'pinia'
import { createApp, defineComponent } from 'vue'
import { describe, expect, it, vi } from 'vitest'
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

describe('useLiveStore prices', () => {
  it('reloadPrices reads the chargers again and bumps pricesVersion', async () => {
    vi.useFakeTimers()
    try {
      const calls: string[] = []
      const fetch = (async (input: RequestInfo | URL) => {
        calls.push(String(input))
        const items = [charger({ id: 'c1', price: { energy_price: 12345, service_price: 5000, period: 'flat', ends_at: '2026-12-06T00:00:00Z' } })]
        return new Response(JSON.stringify({ items, next_cursor: '' }), { status: 200, headers: { 'Content-Type': 'application/json' } })
      }) as typeof globalThis.fetch
      const app = createApp(defineComponent({ render: () => null }))
      const pinia = createPinia()
      app.provide(apiKey, createApi({ locale: () => 'en', fetch }))
      app.use(pinia)
      const live = app.runWithContext(() => useLiveStore(pinia))
      live.chargers = [charger({ id: 'c1' })]
      live.reloadPrices()
      live.reloadPrices()
      await vi.advanceTimersByTimeAsync(600)
      expect(calls.filter((u) => u.includes('/chargers')).length, `got calls ${calls}, want one reload`).toBe(1)
      expect(live.pricesVersion).toBe(1)
      expect(live.chargerById.get('c1')?.price?.energy_price).toBe(12345)
    } finally {
      vi.useRealTimers()
    }
  })
})
