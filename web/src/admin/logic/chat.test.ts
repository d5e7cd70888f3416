import { describe, expect, it } from 'vitest'
import type { ChatMessage, Conversation } from '@/api/admin'
import { addMessages, conversationName, mergeConversations, totalUnread, upsertConversation } from './chat'

const conv = (user_id: string, at: string, staff_unread = 0): Conversation => ({
  user_id,
  display_name: '',
  phone: '',
  last_message_at: at,
  last_preview: '',
  driver_unread: 0,
  staff_unread,
})

const msg = (id: string, at: string, body = id): ChatMessage => ({
  id,
  user_id: 'u1',
  sender_id: 'u1',
  sender_name: '',
  from_staff: false,
  body,
  created_at: at,
})

describe('chat', () => {
  it('a new message moves its conversation to the top and replaces the old entry', () => {
    const list = [conv('a', '2026-11-25T10:00:00Z'), conv('b', '2026-11-25T09:00:00Z')]
    const got = upsertConversation(list, conv('b', '2026-11-25T11:00:00Z', 2))
    expect(got.map((c) => `${c.user_id}:${c.staff_unread}`)).toEqual(['b:2', 'a:0'])
    expect(totalUnread(got)).toBe(2)
  })

  it('a fetch that started before a live event neither drops nor rolls back its conversation', () => {
    const live = [conv('b', '2026-11-25T11:00:00Z', 2), conv('a', '2026-11-25T09:00:00Z', 1)]
    const stale = [conv('a', '2026-11-25T09:00:00Z', 0), conv('b', '2026-11-25T10:00:00Z', 1), conv('c', '2026-11-25T08:00:00Z')]
    const got = mergeConversations(live, stale)
    expect(got.map((c) => `${c.user_id}:${c.staff_unread}`)).toEqual(['b:2', 'a:0', 'c:0'])
    expect(mergeConversations([], stale).map((c) => c.user_id)).toEqual(['b', 'a', 'c'])
  })

  it('messages are merged once each, oldest first', () => {
    const got = addMessages([msg('m2', '2026-11-25T10:01:00Z')], [msg('m1', '2026-11-25T10:00:00Z'), msg('m2', '2026-11-25T10:01:00Z', 'again')])
    expect(got.map((m) => `${m.id}:${m.body}`)).toEqual(['m1:m1', 'm2:again'])
  })
})

describe('conversationName', () => {
  const cases = [
    { name: 'name and phone', in: { user_id: '01DRIVER0000000000000ABCDEF', display_name: '王小明', phone: '13800000003' }, want: '王小明 · 13800000003' },
    { name: 'phone only', in: { user_id: '01DRIVER0000000000000ABCDEF', display_name: '', phone: '13800000003' }, want: '13800000003' },
    { name: 'name only', in: { user_id: '01DRIVER0000000000000ABCDEF', display_name: 'Li', phone: '' }, want: 'Li' },
    { name: 'neither: the id tail', in: { user_id: '01DRIVER0000000000000ABCDEF' }, want: '…ABCDEF' },
    { name: 'blank name', in: { user_id: '01DRIVER0000000000000ABCDEF', display_name: '  ' }, want: '…ABCDEF' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = conversationName(tc.in)
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }
})
