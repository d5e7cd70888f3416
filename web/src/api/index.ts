import type { InjectionKey } from 'vue'
import { inject } from 'vue'
import { createClient, type ClientOptions } from './client'
import type {
  AuditEntry,
  AuditFilter,
  AuthOptions,
  BillDetail,
  BillFilter,
  Bill,
  ChargerPrices,
  PayRequest,
  PayResult,
  Card,
  Charger,
  ChargeMode,
  ChatMessage,
  JoinQueueRequest,
  Reservation,
  ReserveRequest,
  Ticket,
  Conversation,
  Feedback,
  FeedbackDetail,
  FeedbackFilter,
  NewFeedback,
  SentMessage,
  ChargerFilter,
  LoginResult,
  NewStaff,
  Page,
  PublicConfig,
  Role,
  Sample,
  Session,
  SessionFilter,
  Site,
  StartRequest,
  User,
  UserFilter,
} from './types'

export { ApiError } from './client'
export * from './types'

/** createApi returns the typed calls of /api/v1 over one client. */
export function createApi(opts: Omit<ClientOptions, 'baseUrl'> & { baseUrl?: string }) {
  const c = createClient({ baseUrl: '/api/v1', ...opts })
  const id = encodeURIComponent
  return {
    authOptions: () => c.get<AuthOptions>('/auth/options'),
    login: (name: string, password: string) => c.post<LoginResult>('/auth/login', { name, password }),
    devLogin: (phone: string) => c.post<LoginResult>('/auth/dev-login', { phone }),
    wechatLogin: (code: string) => c.post<LoginResult>('/auth/wechat', { code, source: 'oauth' }),
    logout: () => c.post<void>('/auth/logout'),
    me: () => c.get<User>('/me'),
    changePassword: (oldPassword: string, newPassword: string) =>
      c.put<void>('/me/password', { old_password: oldPassword, new_password: newPassword }),
    listUsers: (f: UserFilter = {}) => c.get<Page<User>>('/users', { ...f }),
    createStaff: (u: NewStaff) => c.post<User>('/users', u),
    setRole: (userId: string, role: Role) => c.put<User>(`/users/${id(userId)}/role`, { role }),
    block: (userId: string, reason: string) => c.post<User>(`/users/${id(userId)}/block`, { reason }),
    unblock: (userId: string) => c.post<User>(`/users/${id(userId)}/unblock`),
    listAudit: (f: AuditFilter = {}) => c.get<Page<AuditEntry>>('/audit', { ...f }),
    config: () => c.get<PublicConfig>('/config'),
    listSites: async () => (await c.get<Site[] | null>('/sites')) ?? [],
    listChargers: (f: ChargerFilter = {}) => c.get<Page<Charger>>('/chargers', { ...f }),
    /** getCharger accepts the charger id or its charge point id (as on the QR sticker). */
    getCharger: (idOrChargePoint: string) => c.get<Charger>(`/chargers/${id(idOrChargePoint)}`),
    /** startSession resolves once the charger has started (up to about a minute: the driver plugs in). */
    startSession: (req: StartRequest) => c.post<Session>('/sessions', req),
    stopSession: (sessionId: string) => c.post<Session>(`/sessions/${id(sessionId)}/stop`),
    listSessions: (f: SessionFilter = {}) => c.get<Page<Session>>('/sessions', { ...f }),
    getSession: (sessionId: string) => c.get<Session>(`/sessions/${id(sessionId)}`),
    sessionSamples: async (sessionId: string) => (await c.get<Sample[] | null>(`/sessions/${id(sessionId)}/samples`)) ?? [],
    chargerPrices: (idOrChargePoint: string) => c.get<ChargerPrices>(`/chargers/${id(idOrChargePoint)}/prices`),
    listBills: (f: BillFilter = {}) => c.get<Page<Bill>>('/bills', { ...f }),
    getBill: (billId: string) => c.get<BillDetail>(`/bills/${id(billId)}`),
    payBill: (billId: string, req: PayRequest = {}) => c.post<PayResult>(`/bills/${id(billId)}/pay`, req),
    listCards: async () => (await c.get<Card[] | null>('/me/cards')) ?? [],
    addCard: (number: string, label: string) => c.post<Card>('/me/cards', { number, label }),
    removeCard: (number: string) => c.del<void>(`/me/cards/${id(number)}`),
    sendFeedback: (f: NewFeedback) => c.post<FeedbackDetail>('/feedback', f),
    listFeedback: (f: FeedbackFilter = {}) => c.get<Page<Feedback>>('/feedback', { ...f }),
    getFeedback: (feedbackId: string) => c.get<FeedbackDetail>(`/feedback/${id(feedbackId)}`),
    replyFeedback: (feedbackId: string, body: string) => c.post<FeedbackDetail>(`/feedback/${id(feedbackId)}/replies`, { body }),
    closeFeedback: (feedbackId: string) => c.post<FeedbackDetail>(`/feedback/${id(feedbackId)}/close`),
    /** chat returns the driver's conversation (unread counts). */
    chat: () => c.get<Conversation>('/chat'),
    /** chatMessages pages the conversation, newest first. */
    chatMessages: (q: { limit?: number; cursor?: string } = {}) => c.get<Page<ChatMessage>>('/chat/messages', { ...q }),
    sendChat: (body: string) => c.post<SentMessage>('/chat/messages', { body }),
    /** readChat marks support's messages read. */
    readChat: () => c.post<Conversation>('/chat/read'),
    reserve: (r: ReserveRequest) => c.post<Reservation>('/reservations', r),
    listReservations: (q: { status?: Reservation['status']; limit?: number } = {}) => c.get<Page<Reservation>>('/reservations', { ...q }),
    cancelReservation: (reservationId: string) => c.post<Reservation>(`/reservations/${id(reservationId)}/cancel`),
    joinQueue: (r: JoinQueueRequest) => c.post<Ticket>('/queue', r),
    /** myTickets lists the driver's queue numbers. */
    myTickets: async () => (await c.get<Page<Ticket>>('/queue')).items ?? [],
    changeTicketEnergy: (ticketId: string, energyWh: number) => c.post<Ticket>(`/queue/${id(ticketId)}/energy`, { energy_wh: energyWh }),
    changeTicketMode: (ticketId: string, mode: ChargeMode) => c.post<Ticket>(`/queue/${id(ticketId)}/mode`, { mode }),
    cancelTicket: (ticketId: string) => c.post<Ticket>(`/queue/${id(ticketId)}/cancel`),
  }
}

/** Api is the set of calls returned by createApi. */
export type Api = ReturnType<typeof createApi>

/** apiKey is how an app provides its Api to components and stores. */
export const apiKey: InjectionKey<Api> = Symbol('api')

/** useApi returns the Api the app provided; call it during setup. */
export function useApi(): Api {
  const api = inject(apiKey)
  if (!api) throw new Error('useApi: no Api provided (app.provide(apiKey, createApi(...)))')
  return api
}
