import { createPinia } from 'pinia'
import { createApp, defineComponent } from 'vue'
import { describe, expect, it } from 'vitest'
import { apiKey, createApi, type Ticket } from '@/api'
import { useQueueStore } from './queue'

/** newStore returns a queue store whose API answers with status (404: a server without scheduling). */
function newStore(status = 404) {
  const fetch = (async () => new Response(JSON.stringify({ status, title: 'x' }), { status })) as typeof globalThis.fetch
  const app = createApp(defineComponent({ render: () => null }))
  const pinia = createPinia()
  app.provide(apiKey, createApi({ locale: () => 'en', fetch }))
  app.use(pinia)
  return app.runWithContext(() => useQueueStore(pinia))
}

function ticket(p: Partial<Ticket>): Ticket {
  return { id: 't', site_id: 's', user_id: 'u', number: 'F1', mode: 'fast', energy_wh: 20_000, delivered_wh: 0, status: 'waiting', position: 2, created_at: '2026-03-01T08:00:00Z', ...p }
}

describe('useQueueStore', () => {
  it('a queue.updated event moves the ticket', () => {
    const q = newStore()
    q.putTicket(ticket({ position: 2 }))
    q.onEvent({ type: 'queue.updated', at: '', data: ticket({ position: 1 }) })
    expect(q.ticket?.position, `got position ${q.ticket?.position}, want 1`).toBe(1)
    q.onEvent({ type: 'queue.updated', at: '', data: ticket({ status: 'cancelled' }) })
    expect(q.ticket).toBeNull()
  })

  it('a server without the scheduling API makes it unavailable', async () => {
    const q = newStore(404)
    await q.load()
    expect(q.available).toBe(false)
    expect(q.error).toBe('')
  })

  it('another failure is an error, not unavailability', async () => {
    const q = newStore(500)
    await q.load()
    expect(q.available).toBe(true)
    expect(q.error).not.toBe('')
  })
})
