// Live events from GET /api/v1/events (server-sent events, cookie auth).

/** LiveEvent is one event as the server sends it; data depends on the type. */
export interface LiveEvent<T = unknown> {
  type: string
  at: string
  charger_id?: string
  site_id?: string
  session_id?: string
  data?: T
}

/** liveEventTypes are the event types the apps listen to. */
export const liveEventTypes = [
  'charger.status',
  'charger.online',
  'charger.offline',
  'session.started',
  'session.updated',
  'session.stopped',
  'gap',
] as const

/** EventHandlers receives live events and the connection's state. */
export interface EventHandlers {
  onEvent: (e: LiveEvent) => void
  /** Called when events may have been missed (a gap, or a reconnect after an error): re-fetch what is shown. */
  onResync: () => void
  onConnected?: (connected: boolean) => void
}

/**
 * connectEvents listens to url with an EventSource (which reconnects by
 * itself) and returns a function that closes it. Malformed events are ignored.
 */
export function connectEvents(url: string, h: EventHandlers, make: (url: string) => EventSource = (u) => new EventSource(u)): () => void {
  const es = make(url)
  let lost = false
  es.onopen = () => {
    h.onConnected?.(true)
    if (lost) {
      lost = false
      h.onResync()
    }
  }
  es.onerror = () => {
    lost = true
    h.onConnected?.(false)
  }
  for (const type of liveEventTypes) {
    es.addEventListener(type, (m: MessageEvent<string>) => {
      if (type === 'gap') {
        h.onResync()
        return
      }
      try {
        const e = JSON.parse(m.data) as LiveEvent
        h.onEvent({ ...e, type })
      } catch {
        // Not JSON: skip it.
      }
    })
  }
  return () => es.close()
}
