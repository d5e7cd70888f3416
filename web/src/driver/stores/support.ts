import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { useApi, type ChatMessage, type Conversation, type Feedback } from '@/api'
import type { LiveEvent } from '@/shared/events'
import { mergeMessages, upsertFeedback } from '../logic/support'
import { resyncEvent, useLiveStore } from './live'

/** chatPageSize is how many messages one page of chat history holds. */
export const chatPageSize = 30

/**
 * useSupportStore holds the driver's support conversation (unread count,
 * messages shown) and feedback tickets, kept current by live events.
 */
export const useSupportStore = defineStore('support', () => {
  const api = useApi()
  const live = useLiveStore()
  const conversation = ref<Conversation | null>(null)
  /** Messages loaded so far, oldest first. */
  const messages = ref<ChatMessage[]>([])
  /** Cursor of the next older page; empty when the oldest message is loaded. */
  const olderCursor = ref('')
  const messagesLoaded = ref(false)
  /** Whether the chat screen is open (support's messages are read as they come). */
  const chatOpen = ref(false)
  const tickets = ref<Feedback[]>([])
  const ticketsCursor = ref('')
  const ticketsLoaded = ref(false)
  /** Bumped when a ticket changes live, so an open ticket re-fetches its replies. */
  const ticketChanges = ref<Record<string, number>>({})
  let unlisten: (() => void) | undefined

  const unread = computed(() => conversation.value?.driver_unread ?? 0)

  // pushed counts conversations received from live events: a fetch that
  // started before one of them arrived answers with older news and is dropped.
  let pushed = 0

  async function loadConversation(): Promise<void> {
    const before = pushed
    try {
      const c = await api.chat()
      if (pushed === before) conversation.value = c
    } catch {
      // The badge stays as it was; the next event or resync tries again.
    }
  }

  /** loadMessages fetches the newest page (replacing what is shown). */
  async function loadMessages(): Promise<void> {
    const page = await api.chatMessages({ limit: chatPageSize })
    messages.value = mergeMessages([], page.items ?? [])
    olderCursor.value = page.next_cursor
    messagesLoaded.value = true
  }

  /** loadOlder adds the next older page; false when there is none. */
  async function loadOlder(): Promise<boolean> {
    if (!olderCursor.value) return false
    const page = await api.chatMessages({ limit: chatPageSize, cursor: olderCursor.value })
    messages.value = mergeMessages(messages.value, page.items ?? [])
    olderCursor.value = page.next_cursor
    return true
  }

  async function send(body: string): Promise<ChatMessage> {
    const res = await api.sendChat(body)
    messages.value = mergeMessages(messages.value, [res.message])
    conversation.value = res.conversation
    return res.message
  }

  /** markRead tells the server the driver has seen support's messages. */
  async function markRead(): Promise<void> {
    if (unread.value === 0 && conversation.value) return
    try {
      conversation.value = await api.readChat()
    } catch {
      // Read again next time.
    }
  }

  async function loadTickets(): Promise<void> {
    const page = await api.listFeedback({ limit: 50 })
    tickets.value = page.items ?? []
    ticketsCursor.value = page.next_cursor
    ticketsLoaded.value = true
  }

  async function loadMoreTickets(): Promise<void> {
    if (!ticketsCursor.value) return
    const page = await api.listFeedback({ limit: 50, cursor: ticketsCursor.value })
    let list = tickets.value
    for (const f of page.items ?? []) list = upsertFeedback(list, f)
    tickets.value = list
    ticketsCursor.value = page.next_cursor
  }

  /** putTicket stores a fresh copy of a ticket. */
  function putTicket(f: Feedback): void {
    tickets.value = upsertFeedback(tickets.value, f)
    ticketChanges.value = { ...ticketChanges.value, [f.id]: (ticketChanges.value[f.id] ?? 0) + 1 }
  }

  function onEvent(e: LiveEvent): void {
    switch (e.type) {
      case 'chat.message': {
        const d = e.data as { message?: ChatMessage; conversation?: Conversation } | undefined
        if (d?.conversation) {
          conversation.value = d.conversation
          pushed++
        }
        if (d?.message && messagesLoaded.value) messages.value = mergeMessages(messages.value, [d.message])
        if (d?.message?.from_staff && chatOpen.value) void markRead()
        break
      }
      case 'chat.read': {
        const d = e.data as { conversation?: Conversation } | undefined
        if (d?.conversation) {
          conversation.value = d.conversation
          pushed++
        }
        break
      }
      case 'feedback.created':
      case 'feedback.closed': {
        const f = e.data as Feedback | undefined
        if (f?.id) putTicket(f)
        break
      }
      case 'feedback.replied': {
        const d = e.data as { feedback?: Feedback } | undefined
        if (d?.feedback?.id) putTicket(d.feedback)
        break
      }
      case resyncEvent:
        void loadConversation()
        if (messagesLoaded.value) void loadMessages().catch(() => undefined)
        if (ticketsLoaded.value) void loadTickets().catch(() => undefined)
        for (const id of Object.keys(ticketChanges.value)) ticketChanges.value[id] = (ticketChanges.value[id] ?? 0) + 1
        break
    }
  }

  /** start fetches the unread count and follows live events; stop forgets everything (the next login may be someone else). */
  function start(): void {
    if (unlisten) return
    const off = live.listen(onEvent)
    // What changed before the live stream was open is fetched once it is.
    const unwatch = watch(
      () => live.connected,
      (on) => {
        if (on) void loadConversation()
      },
    )
    unlisten = () => {
      off()
      unwatch()
    }
    void loadConversation()
  }

  function stop(): void {
    unlisten?.()
    unlisten = undefined
    conversation.value = null
    messages.value = []
    olderCursor.value = ''
    messagesLoaded.value = false
    tickets.value = []
    ticketsCursor.value = ''
    ticketsLoaded.value = false
    ticketChanges.value = {}
  }

  return {
    conversation,
    unread,
    messages,
    olderCursor,
    messagesLoaded,
    chatOpen,
    tickets,
    ticketsCursor,
    ticketsLoaded,
    ticketChanges,
    loadConversation,
    loadMessages,
    loadOlder,
    send,
    markRead,
    loadTickets,
    loadMoreTickets,
    putTicket,
    onEvent,
    start,
    stop,
  }
})
