import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { ApiError, useApi, type Reservation, type Ticket } from '@/api'
import type { LiveEvent } from '@/shared/events'
import { currentReservation, currentTicket, upsertTicket } from '../logic/queue'
import { resyncEvent, useLiveStore } from './live'

/**
 * useQueueStore holds the driver's queue numbers and reservations, kept
 * current by live events (queue.updated carries the ticket; a reservation
 * change is fetched again).
 */
export const useQueueStore = defineStore('queue', () => {
  const api = useApi()
  const live = useLiveStore()
  const tickets = ref<Ticket[]>([])
  const reservations = ref<Reservation[]>([])
  const loaded = ref(false)
  /** False once the server has answered that it has no scheduling API (404). */
  const available = ref(true)
  const error = ref('')
  let unlisten: (() => void) | undefined

  const ticket = computed(() => currentTicket(tickets.value))
  const reservation = computed(() => currentReservation(reservations.value))

  async function load(): Promise<void> {
    try {
      const [ts, rs] = await Promise.all([api.myTickets(), api.listReservations({ status: 'active', limit: 20 })])
      tickets.value = ts
      reservations.value = rs.items ?? []
      available.value = true
      error.value = ''
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) available.value = false
      else error.value = err instanceof Error ? err.message : String(err)
    } finally {
      loaded.value = true
    }
  }

  /** putTicket stores a fresh copy of one of the driver's tickets. */
  function putTicket(t: Ticket): void {
    tickets.value = upsertTicket(tickets.value, t)
  }

  /** putReservation stores a fresh copy of one of the driver's reservations. */
  function putReservation(r: Reservation): void {
    reservations.value = [...reservations.value.filter((x) => x.id !== r.id), r]
  }

  function onEvent(e: LiveEvent): void {
    switch (e.type) {
      case 'queue.updated': {
        const t = e.data as Ticket | undefined
        if (t?.id && t.number) putTicket(t)
        else void load()
        // A called number holds a connector as a reservation.
        if (t?.status === 'called' || t?.status === 'charging') void load()
        break
      }
      case 'reservation.updated':
      case resyncEvent:
        void load()
        break
    }
  }

  function start(): void {
    if (unlisten) return
    const off = live.listen(onEvent)
    // What changed before the live stream was open is fetched once it is.
    const unwatch = watch(
      () => live.connected,
      (on) => {
        if (on) void load()
      },
    )
    unlisten = () => {
      off()
      unwatch()
    }
    void load()
  }

  function stop(): void {
    unlisten?.()
    unlisten = undefined
    tickets.value = []
    reservations.value = []
    loaded.value = false
    error.value = ''
  }

  return { tickets, reservations, ticket, reservation, loaded, available, error, load, putTicket, putReservation, onEvent, start, stop }
})
