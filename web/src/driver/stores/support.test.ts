import { createPinia } from 'pinia'
import { createApp, defineComponent } from 'vue'
import { describe, expect, it } from 'vitest'
import { apiKey, createApi, type ChatMessage, type Conversation, type Feedback } from '@/api'
import { useSupportStore } from './support'

/** newStore returns a support store whose API answers every call with 404 (no call is expected to matter). */
function newStore() {
  const fetch = (async () => new Response(JSON.stringify({ status: 404 }), { status: 404 })) as typeof globalThis.fetch
  const app = createApp(defineComponent({ render: () => null }))
  const pinia = createPinia()
  app.provide(apiKey, createApi({ locale: () => 'en', fetch }))
  app.use(pinia)
  return app.runWithContext(() => useSupportStore(pinia))
}

function conv(unread: number): Conversation {
  return { user_id: 'u', display_name: '', phone: '', last_message_at: '2026-03-01T08:00:00Z', last_preview: '', driver_unread: unread, staff_unread: 0 }
}

function msg(id: string, at: string, fromStaff: boolean): ChatMessage {
  return { id, user_id: 'u', sender_id: fromStaff ? 's' : 'u', sender_name: '', from_staff: fromStaff, body: id, created_at: at }
}

function fb(id: string, status: Feedback['status'], updated: string): Feedback {
  return { id, user_id: 'u', category: 'other', body: '', charger_id: '', bill_id: '', status, photo_count: 0, reply_count: 0, created_at: updated, updated_at: updated, closed_at: '' }
}

describe('useSupportStore events', () => {
  it('a message from support raises the unread count and joins a loaded chat', () => {
    const s = newStore()
    s.messagesLoaded = true
    s.messages = [msg('a', '2026-03-01T08:00:00Z', false)]
    s.onEvent({ type: 'chat.message', at: '', data: { message: msg('b', '2026-03-01T08:01:00Z', true), conversation: conv(1) } })
    expect(s.unread, `got unread ${s.unread}, want 1`).toBe(1)
    expect(s.messages.map((m) => m.id)).toEqual(['a', 'b'])
  })

  it('a message is not added to a chat that was never loaded (it is fetched on opening)', () => {
    const s = newStore()
    s.onEvent({ type: 'chat.message', at: '', data: { message: msg('b', '2026-03-01T08:01:00Z', true), conversation: conv(2) } })
    expect(s.messages).toEqual([])
    expect(s.unread).toBe(2)
  })

  it('chat.read clears the badge', () => {
    const s = newStore()
    s.conversation = conv(3)
    s.onEvent({ type: 'chat.read', at: '', data: { conversation: conv(0) } })
    expect(s.unread).toBe(0)
  })

  it('a staff reply updates the ticket in the list and tells the open ticket to re-fetch', () => {
    const s = newStore()
    s.tickets = [fb('x', 'open', '2026-03-01T08:00:00Z'), fb('y', 'open', '2026-03-01T07:00:00Z')]
    s.onEvent({ type: 'feedback.replied', at: '', data: { feedback: fb('y', 'answered', '2026-03-01T09:00:00Z'), reply: {} } })
    expect(s.tickets.map((f) => `${f.id}:${f.status}`)).toEqual(['y:answered', 'x:open'])
    expect(s.ticketChanges.y, `got change count ${s.ticketChanges.y}, want 1`).toBe(1)
    s.onEvent({ type: 'feedback.closed', at: '', data: fb('y', 'closed', '2026-03-01T10:00:00Z') })
    expect(s.tickets[0]?.status).toBe('closed')
    expect(s.ticketChanges.y).toBe(2)
  })

  it('stop forgets the driver', () => {
    const s = newStore()
    s.conversation = conv(1)
    s.tickets = [fb('x', 'open', '2026-03-01T08:00:00Z')]
    s.stop()
    expect([s.unread, s.tickets.length]).toEqual([0, 0])
  })
})
