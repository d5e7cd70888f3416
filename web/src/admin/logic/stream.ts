// The console's live stream: GET /api/v1/events (server-sent events) for the
// event types a page asks for, on top of the charger and session ones.
import type { LiveEvent } from '@/shared/events'

/** StreamHandlers receives events of the asked types and the connection's state. */
export interface StreamHandlers {
  onEvent: (e: LiveEvent) => void
  /** Events may have been missed (a gap, the stream (re)opening): re-fetch what is shown. */
  onResync: () => void
  onConnected?: (connected: boolean) => void
}

/**
 * connectStream listens for types on url and returns a function that closes
 * the stream. EventSource reconnects by itself; malformed events are skipped.
 */
export function connectStream(
  types: readonly string[],
  h: StreamHandlers,
  url = '/api/v1/events',
  make: (url: string) => EventSource = (u) => new EventSource(u),
): () => void {
  const es = make(url)
  // Every open resyncs: the first closes the gap between the page's first
  // fetch and the stream's start, later ones what a reconnect missed.
  es.onopen = () => {
    h.onConnected?.(true)
    h.onResync()
  }
  es.onerror = () => h.onConnected?.(false)
  es.addEventListener('gap', () => h.onResync())
  for (const type of types) {
    es.addEventListener(type, (m: MessageEvent<string>) => {
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
