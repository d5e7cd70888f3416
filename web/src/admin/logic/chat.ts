// Support chat state on the console: conversations newest first with unread
// counts, and one conversation's messages oldest first. Pure functions.
import type { ChatMessage, Conversation } from '@/api/admin'

/** ChatEventData is the payload of chat.message and chat.read events. */
export interface ChatEventData {
  conversation?: Conversation
  message?: ChatMessage
}

/** upsertConversation puts c in the list (replacing the driver's older entry), newest message first. */
export function upsertConversation(list: readonly Conversation[], c: Conversation): Conversation[] {
  return [c, ...list.filter((x) => x.user_id !== c.user_id)].sort((a, b) => Date.parse(b.last_message_at) - Date.parse(a.last_message_at))
}

/**
 * mergeConversations takes a fetched list into the one on screen: per driver
 * the entry with the later last message wins (the fetched one on a tie), so a
 * fetch that started before a live event cannot drop or roll back what the
 * event showed. Newest message first.
 */
export function mergeConversations(list: readonly Conversation[], fetched: readonly Conversation[]): Conversation[] {
  let out = [...list]
  for (const c of fetched) {
    const had = out.find((x) => x.user_id === c.user_id)
    if (!had || Date.parse(c.last_message_at) >= Date.parse(had.last_message_at)) out = upsertConversation(out, c)
  }
  return out
}

/** addMessages merges messages into a conversation's list once each, oldest first. */
export function addMessages(list: readonly ChatMessage[], more: readonly ChatMessage[]): ChatMessage[] {
  const byId = new Map(list.map((m) => [m.id, m]))
  for (const m of more) byId.set(m.id, m)
  return [...byId.values()].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id.localeCompare(b.id))
}

/** totalUnread is how many drivers' messages support has not read. */
export function totalUnread(list: readonly Conversation[]): number {
  return list.reduce((n, c) => n + c.staff_unread, 0)
}

/** Named is the part of a conversation that names its driver. */
export interface Named {
  user_id: string
  display_name?: string
  phone?: string
}

/**
 * conversationName names a conversation's driver for support: name and
 * phone ("王小明 · 13800000003"), whichever is known, or the end of the user
 * id when neither is.
 */
export function conversationName(c: Named): string {
  const parts = [c.display_name?.trim(), c.phone?.trim()].filter((x): x is string => !!x)
  return parts.length > 0 ? parts.join(' · ') : `…${c.user_id.slice(-6)}`
}
