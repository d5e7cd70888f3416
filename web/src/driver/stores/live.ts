import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useApi, type Charger, type PublicConfig, type Session, type Site } from '@/api'
import { connectEvents, type LiveEvent } from '@/shared/events'
import { hasPosition, type LatLng } from '../logic/geo'
import { nextPriceBoundary, reloadDelay } from '../logic/prices'

/**
 * moreEventTypes are the live events of the driver's own feedback, chat,
 * queue numbers and reservations, which other stores take through listen.
 */
export const moreEventTypes = [
  'feedback.created',
  'feedback.replied',
  'feedback.closed',
  'chat.message',
  'chat.read',
  'queue.updated',
  'reservation.updated',
] as const

/** tariffUpdatedEvent is the server's event when a tariff changes: every price shown may be stale. */
export const tariffUpdatedEvent = 'tariff.updated'

/** resyncEvent is the type listeners get when events may have been missed: re-fetch what is shown. */
export const resyncEvent = 'resync'

/** PositionState is where the driver is, as far as the browser says. */
export type PositionState = { kind: 'unknown' } | { kind: 'locating' } | { kind: 'known'; at: LatLng } | { kind: 'refused'; reason: string }

/**
 * useLiveStore holds what the driver app shows live: config, sites, chargers
 * and the driver's running sessions, kept current by server-sent events.
 */
export const useLiveStore = defineStore('live', () => {
  const api = useApi()
  const config = ref<PublicConfig | null>(null)
  const sites = ref<Site[]>([])
  const chargers = ref<Charger[]>([])
  /** The driver's sessions seen running or stopped since the app started, by id. */
  const sessions = ref<Record<string, Session>>({})
  /** The last session of this driver that stopped while the app was open. */
  const finished = ref<Session | null>(null)
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref('')
  const connected = ref(false)
  const position = ref<PositionState>({ kind: 'unknown' })
  /** The current time in epoch ms, ticking every 10 s, for estimates. */
  const now = ref(Date.now())
  /** Counts the times prices were read again (tariff changed, period boundary): pages showing prices watch it. */
  const pricesVersion = ref(0)
  let timer: ReturnType<typeof setInterval> | undefined
  let boundaryTimer: ReturnType<typeof setTimeout> | undefined
  let pricesTimer: ReturnType<typeof setTimeout> | undefined
  let close: (() => void) | undefined
  const pending = new Map<string, ReturnType<typeof setTimeout>>()
  const listeners = new Set<(e: LiveEvent) => void>()

  /** listen passes fn the events of moreEventTypes and resyncs until the returned function is called. */
  function listen(fn: (e: LiveEvent) => void): () => void {
    listeners.add(fn)
    return () => listeners.delete(fn)
  }
  function tell(e: LiveEvent): void {
    for (const fn of listeners) fn(e)
  }

  const chargerById = computed(() => {
    const m = new Map<string, Charger>()
    for (const c of chargers.value) m.set(c.id, c)
    return m
  })
  const siteById = computed(() => new Map(sites.value.map((s) => [s.id, s])))
  const active = computed(() => Object.values(sessions.value).filter((s) => s.status === 'active'))

  async function allChargers(): Promise<Charger[]> {
    const out: Charger[] = []
    let cursor = ''
    for (let i = 0; i < 20; i++) {
      const page = await api.listChargers({ limit: 200, cursor: cursor || undefined, state: 'active' })
      out.push(...(page.items ?? []))
      cursor = page.next_cursor
      if (!cursor) break
    }
    return out
  }

  /** load fetches everything shown; it keeps showing the old data while it loads. */
  async function load(): Promise<void> {
    loading.value = true
    try {
      const [cfg, ss, cs, act] = await Promise.all([
        config.value ? Promise.resolve(config.value) : api.config(),
        api.listSites(),
        allChargers(),
        api.listSessions({ status: 'active', limit: 20 }),
      ])
      config.value = cfg
      sites.value = ss
      chargers.value = cs
      scheduleBoundary()
      for (const s of Object.values(sessions.value)) if (s.status === 'active') delete sessions.value[s.id]
      for (const s of act.items ?? []) sessions.value[s.id] = s
      loaded.value = true
      error.value = ''
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err)
    } finally {
      loading.value = false
    }
  }

  /**
   * reloadPrices reads the chargers (and so their prices) again soon; calls
   * within 500 ms are one reload. Pages showing prices follow pricesVersion.
   */
  function reloadPrices(): void {
    clearTimeout(pricesTimer)
    pricesTimer = setTimeout(async () => {
      try {
        chargers.value = await allChargers()
        scheduleBoundary()
      } catch {
        // The next event, boundary or resync will try again.
      }
      pricesVersion.value++
    }, 500)
  }

  /** scheduleBoundary sets the timer that reads prices again just after the next time-of-use boundary. */
  function scheduleBoundary(): void {
    clearTimeout(boundaryTimer)
    if (!close) return
    const t = Date.now()
    const next = nextPriceBoundary(
      chargers.value.map((c) => c.price?.ends_at),
      t,
      config.value?.timezone || 'Asia/Shanghai',
    )
    boundaryTimer = setTimeout(reloadPrices, reloadDelay(next, t))
  }

  /** refreshCharger re-fetches one charger soon (changes within 300 ms are fetched once). */
  function refreshCharger(id: string): void {
    if (pending.has(id)) return
    pending.set(
      id,
      setTimeout(async () => {
        pending.delete(id)
        try {
          putCharger(await api.getCharger(id))
        } catch {
          // The next event or a resync will try again.
        }
      }, 300),
    )
  }

  /** putCharger stores a fresh copy of a charger. */
  function putCharger(c: Charger): void {
    const i = chargers.value.findIndex((x) => x.id === c.id)
    if (i >= 0) chargers.value[i] = c
    else if (c.state === 'active') chargers.value.push(c)
  }

  /** putSession stores a fresh copy of one of the driver's sessions. */
  function putSession(s: Session): void {
    const old = sessions.value[s.id]
    sessions.value[s.id] = s
    if (s.status === 'stopped' && old?.status === 'active') finished.value = s
  }

  function onEvent(e: LiveEvent): void {
    const id = e.charger_id ?? ''
    switch (e.type) {
      case 'charger.status': {
        const d = e.data as { connector_id?: number; status?: string } | undefined
        const c = chargerById.value.get(id)
        const k = c?.connectors?.find((x) => x.connector_id === d?.connector_id)
        if (k && d?.status) k.status = d.status
        if (c && d?.connector_id === 0 && d.status) c.status = d.status
        if (id) refreshCharger(id)
        break
      }
      case 'charger.online':
      case 'charger.offline': {
        const c = chargerById.value.get(id)
        if (c) c.online = e.type === 'charger.online'
        if (id) refreshCharger(id)
        break
      }
      case 'session.started':
      case 'session.updated':
      case 'session.stopped': {
        const s = e.data as Session | undefined
        if (s?.id) putSession(s)
        if (id && e.type !== 'session.updated') refreshCharger(id)
        break
      }
    }
  }

  /** start loads the data, listens to live events and ticks the clock; stop undoes it. */
  function start(): void {
    if (close) return
    void load()
    close = connectEvents(
      '/api/v1/events',
      {
        onEvent,
        onResync: () => {
          void load()
          tell({ type: resyncEvent, at: new Date().toISOString() })
        },
        onConnected: (v) => (connected.value = v),
      },
      (url) => {
        const es = new EventSource(url)
        es.addEventListener(tariffUpdatedEvent, () => reloadPrices())
        for (const type of moreEventTypes) {
          es.addEventListener(type, (m: MessageEvent<string>) => {
            try {
              tell({ ...(JSON.parse(m.data) as LiveEvent), type })
            } catch {
              // Not JSON: skip it.
            }
          })
        }
        return es
      },
    )
    timer = setInterval(() => (now.value = Date.now()), 10_000)
  }

  function stop(): void {
    close?.()
    close = undefined
    clearInterval(timer)
    clearTimeout(boundaryTimer)
    clearTimeout(pricesTimer)
    connected.value = false
    // The next login may be someone else: forget this driver's sessions.
    sessions.value = {}
    finished.value = null
  }

  /** locate asks the browser where the driver is (once; later calls reuse the answer unless again is set). */
  async function locate(again = false): Promise<LatLng | null> {
    const p = position.value
    if (p.kind === 'known' && !again) return p.at
    if (p.kind === 'refused' && !again) return null
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      position.value = { kind: 'refused', reason: 'unsupported' }
      return null
    }
    position.value = { kind: 'locating' }
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (g) => {
          const at = { lat: g.coords.latitude, lng: g.coords.longitude }
          position.value = hasPosition(at) ? { kind: 'known', at } : { kind: 'refused', reason: 'none' }
          resolve(hasPosition(at) ? at : null)
        },
        (err) => {
          position.value = { kind: 'refused', reason: err.message }
          resolve(null)
        },
        { enableHighAccuracy: true, timeout: 8_000, maximumAge: 60_000 },
      )
    })
  }

  /** here is the driver's position when known. */
  const here = computed<LatLng | null>(() => (position.value.kind === 'known' ? position.value.at : null))

  return {
    config,
    sites,
    chargers,
    sessions,
    finished,
    loaded,
    loading,
    error,
    connected,
    position,
    here,
    now,
    pricesVersion,
    chargerById,
    siteById,
    active,
    load,
    start,
    stop,
    refreshCharger,
    reloadPrices,
    putCharger,
    putSession,
    onEvent,
    listen,
    locate,
  }
})
