// Calls of /api/v1 that only the admin console makes (chargers, tariffs, bills,
// reports, sites), built on the shared client so they carry the same
// language, cookie and problem handling as every other call.
import { useI18n } from 'vue-i18n'
import { useRouter } from 'vue-router'
import { useSessionStore } from '@/shared/session'
import { createClient, type Client, type ClientOptions, type Query } from './client'
import type { components, paths } from './schema'
import type { Charger, Page, Session, Site } from './types'

type Schemas = components['schemas']
type Body<T> = Omit<T, '$schema'>

/** ChargerInput is the body of POST and PUT /chargers (power in W, lat/lng WGS-84 degrees). */
export type ChargerInput = Body<Schemas['ChargerBody']>

/** ChargerConnectorInput is one connector of a ChargerInput (power in W). */
export type ChargerConnectorInput = Schemas['Item']

/** CreatedCharger is a new charger with its HTTP Basic password, shown only once. */
export type CreatedCharger = Body<Schemas['CreateOutBody']>

/** ChargerState is what POST /chargers/{id}/state may set. */
export type ChargerState = Schemas['Chargers-set-stateRequest']['state']

/** CommandAction is an OCPP command the console may send to a charger. */
export type CommandAction = paths['/api/v1/chargers/{id}/commands/{action}']['post']['parameters']['path']['action']

/** CommandResult is a charger's answer to a remote command. */
export type CommandResult = Body<Schemas['CommandOutBody']>

/** SiteInput is the body of POST and PUT /sites (heartbeat in s). */
export type SiteInput = Body<Schemas['SiteBody']>

/** Period is one time-of-use period of a tariff: minutes of the day, prices in 1/10000 yuan per kWh. */
export type Period = Schemas['Period']

/** TariffVersion is one dated set of periods and fees (fees in fen). */
export type TariffVersion = Schemas['TariffVersionView']

/** Tariff is a named tariff with its versions. */
export type Tariff = Body<Schemas['TariffView']>

/** TariffInput is the body of POST /tariffs. */
export type TariffInput = Body<Schemas['Tariffs-createRequest']>

/** TariffVersionInput is the body of POST /tariffs/{id}/versions. */
export type TariffVersionInput = Body<Schemas['TariffBody']>

/** Bill is one itemised bill (money in fen, energy in Wh). */
export type Bill = Body<Schemas['BillView']>

/** BillLine is one time-of-use line of a bill (prices in 1/10000 yuan per kWh, fees in fen). */
export type BillLine = Schemas['Line']

/** BillDetail is a bill with its payments and refunds. */
export type BillDetail = Body<Schemas['BillDetailBody']>

/** BillStatus is a bill's payment status. */
export type BillStatus = Bill['status']

/** BillFilter narrows GET /bills and /bills.csv. */
export type BillFilter = NonNullable<paths['/api/v1/bills']['get']['parameters']['query']>

/** ReportQuery narrows GET /reports (dates YYYY-MM-DD in the site's zone). */
export type ReportQuery = NonNullable<paths['/api/v1/reports']['get']['parameters']['query']>

/** Report is a report's rows and their total (money in fen, energy in Wh, duration in s). */
export type Report = Body<Schemas['ReportOutBody']>

/** ReportRow is one row of a report. */
export type ReportRow = Schemas['ReportRow']

/** ChargerPrices is a charger's price now and today's timeline. */
export type ChargerPrices = Body<Schemas['Chargers-pricesResponse']>

/** DailyStats is sessions, energy (Wh) and revenue (fen) per day with totals. */
export type DailyStats = Body<Schemas['StatsDailyOutBody']>

/** DashboardStats is the live counts and today's totals. */
export type DashboardStats = Body<Schemas['Dashboard']>

/** Heatmap is session starts by weekday (0 = Monday) and hour. */
export type Heatmap = Body<Schemas['Heatmap']>

/** KindSplit is fast or slow chargers' sessions, energy (Wh) and revenue (fen). */
export type KindSplit = Schemas['KindSplit']

/** ChargerUse is one charger's time shares (seconds and fractions) and energy (Wh). */
export type ChargerUse = Schemas['ChargerUse']

/** Utilisation is every charger's use over a period. */
export type Utilisation = Body<Schemas['StatsUseOutBody']>

/** Ranking is the most and least used chargers. */
export type Ranking = Body<Schemas['StatsRankOutBody']>

/** SchedulingStats is the period's reservations and no-shows and the average queue wait (in s); available is false until there is data. */
export type SchedulingStats = Body<Schemas['Scheduling']>

/** StatsQuery narrows the statistics (dates YYYY-MM-DD). */
export type StatsQuery = NonNullable<paths['/api/v1/stats/daily']['get']['parameters']['query']>

/** Alarm is a fault or anomaly raised from a charger's messages. */
export type Alarm = Schemas['AlarmView']

/** AlarmFilter narrows GET /alarms. */
export type AlarmFilter = NonNullable<paths['/api/v1/alarms']['get']['parameters']['query']>

/** Task is a repair, maintenance or cleaning task. */
export type Task = Body<Schemas['TaskView']>

/** TaskInput is the body of POST /tasks. */
export type TaskInput = Body<Schemas['TaskBody']>

/** TaskFilter narrows GET /tasks. */
export type TaskFilter = NonNullable<paths['/api/v1/tasks']['get']['parameters']['query']>

/** Feedback is one feedback ticket from a driver. */
export type Feedback = Schemas['FeedbackView']

/** FeedbackDetail is a ticket with its replies and photos. */
export type FeedbackDetail = Body<Schemas['FeedbackDetailBody']>

/** FeedbackFilter narrows GET /feedback. */
export type FeedbackFilter = NonNullable<paths['/api/v1/feedback']['get']['parameters']['query']>

/** Conversation is a driver's support chat with unread counts. */
export type Conversation = Schemas['ConversationView']

/** ChatMessage is one message of a support chat. */
export type ChatMessage = Schemas['MessageView']

/** Backup is one database backup file (size in bytes). */
export type Backup = Body<Schemas['BackupView']>

/** SystemStatus is the settings in use (no secrets). */
export type SystemStatus = Body<Schemas['SystemStatus']>

/** SchedulingSettings is a site's queueing, reservation and load settings (times in s, power in W). */
export type SchedulingSettings = Body<Schemas['SchedulingSettingsView']>

/** SiteQueue is a site's queues per connector, its waiting area and displaced cars. */
export type SiteQueue = Body<Schemas['SiteQueue']>

/** QueueTicket is one car's place in a queue (energy in Wh). */
export type QueueTicket = Schemas['TicketView']

/** createAdminApi returns the console's calls over c. */
export function createAdminApi(c: Client) {
  const id = encodeURIComponent
  return {
    listSites: async () => (await c.get<Site[] | null>('/sites')) ?? [],
    createSite: (s: SiteInput) => c.post<Site>('/sites', s),
    updateSite: (siteId: string, s: SiteInput) => c.put<Site>(`/sites/${id(siteId)}`, s),
    siteScheduling: (siteId: string) => c.get<SchedulingSettings>(`/sites/${id(siteId)}/scheduling`),
    setSiteScheduling: (siteId: string, x: SchedulingSettings) => c.put<SchedulingSettings>(`/sites/${id(siteId)}/scheduling`, x),
    siteQueue: (siteId: string) => c.get<SiteQueue>(`/sites/${id(siteId)}/queue`),

    listChargers: (q: Query = {}) => c.get<Page<Charger>>('/chargers', q),
    /** allChargers follows the cursor to the end (for the dashboard and pickers). */
    allChargers: async (q: Query = {}) => {
      const out: Charger[] = []
      let cursor = ''
      for (let i = 0; i < 100; i++) {
        const page = await c.get<Page<Charger>>('/chargers', { ...q, limit: 200, cursor })
        out.push(...(page.items ?? []))
        if (!page.next_cursor) break
        cursor = page.next_cursor
      }
      return out
    },
    getCharger: (chargerId: string) => c.get<Charger>(`/chargers/${id(chargerId)}`),
    createCharger: (x: ChargerInput) => c.post<CreatedCharger>('/chargers', x),
    updateCharger: (chargerId: string, x: ChargerInput) => c.put<Charger>(`/chargers/${id(chargerId)}`, x),
    setChargerState: (chargerId: string, state: ChargerState) =>
      c.post<Charger>(`/chargers/${id(chargerId)}/state`, { state }),
    resetChargerPassword: async (chargerId: string) =>
      (await c.post<{ password: string }>(`/chargers/${id(chargerId)}/password`)).password,
    command: (chargerId: string, action: CommandAction, payload: Record<string, unknown> = {}) =>
      c.post<CommandResult>(`/chargers/${id(chargerId)}/commands/${action}`, payload),
    chargerPrices: (chargerId: string) => c.get<ChargerPrices>(`/chargers/${id(chargerId)}/prices`),

    listSessions: (q: Query = {}) => c.get<Page<Session>>('/sessions', q),
    stopSession: (sessionId: string) => c.post<Session>(`/sessions/${id(sessionId)}/stop`),

    listTariffs: async () => (await c.get<Tariff[] | null>('/tariffs')) ?? [],
    createTariff: (x: TariffInput) => c.post<Tariff>('/tariffs', x),
    addTariffVersion: (tariffId: string, x: TariffVersionInput) => c.post<Tariff>(`/tariffs/${id(tariffId)}/versions`, x),

    listBills: (f: BillFilter = {}) => c.get<Page<Bill>>('/bills', { ...f }),
    getBill: (billId: string) => c.get<BillDetail>(`/bills/${id(billId)}`),
    adjustBill: (billId: string, adjustmentFen: number, reason: string) =>
      c.post<Bill>(`/bills/${id(billId)}/adjust`, { adjustment_fen: adjustmentFen, reason }),
    refundBill: (billId: string, amountFen: number, reason: string) =>
      c.post<Bill>(`/bills/${id(billId)}/refund`, { amount_fen: amountFen, reason }),

    report: (q: ReportQuery) => c.get<Report>('/reports', { ...q }),

    statsDaily: (q: StatsQuery) => c.get<DailyStats>('/stats/daily', { ...q }),
    statsDashboard: (siteId = '') => c.get<DashboardStats>('/stats/dashboard', { site_id: siteId }),
    statsHeatmap: (q: StatsQuery) => c.get<Heatmap>('/stats/heatmap', { ...q }),
    statsSplit: async (q: StatsQuery) => (await c.get<KindSplit[] | null>('/stats/split', { ...q })) ?? [],
    statsUtilisation: (q: StatsQuery) => c.get<Utilisation>('/stats/utilisation', { ...q }),
    statsRanking: (q: StatsQuery, n = 5) => c.get<Ranking>('/stats/ranking', { ...q, n }),
    statsScheduling: (q: StatsQuery) => c.get<SchedulingStats>('/stats/scheduling', { ...q }),

    listAlarms: (f: AlarmFilter = {}) => c.get<Page<Alarm>>('/alarms', { ...f }),
    ackAlarm: (alarmId: string) => c.post<Alarm>(`/alarms/${id(alarmId)}/ack`),
    assignAlarm: (alarmId: string, assigneeId: string) => c.post<Alarm>(`/alarms/${id(alarmId)}/assign`, { assignee_id: assigneeId }),
    resolveAlarm: (alarmId: string, note: string) => c.post<Alarm>(`/alarms/${id(alarmId)}/resolve`, { note }),
    taskFromAlarm: (alarmId: string, title = '') => c.post<Task>(`/alarms/${id(alarmId)}/task`, title ? { title } : {}),

    listTasks: (f: TaskFilter = {}) => c.get<Page<Task>>('/tasks', { ...f }),
    createTask: (x: TaskInput) => c.post<Task>('/tasks', x),
    assignTask: (taskId: string, assigneeId: string) => c.post<Task>(`/tasks/${id(taskId)}/assign`, { assignee_id: assigneeId }),
    doneTask: (taskId: string, note: string, photoBase64 = '') =>
      c.post<Task>(`/tasks/${id(taskId)}/done`, photoBase64 ? { note, photo_base64: photoBase64 } : { note }),
    cancelTask: (taskId: string, note: string) => c.post<Task>(`/tasks/${id(taskId)}/cancel`, { note }),

    listFeedback: (f: FeedbackFilter = {}) => c.get<Page<Feedback>>('/feedback', { ...f }),
    getFeedback: (feedbackId: string) => c.get<FeedbackDetail>(`/feedback/${id(feedbackId)}`),
    replyFeedback: (feedbackId: string, body: string) => c.post<FeedbackDetail>(`/feedback/${id(feedbackId)}/replies`, { body }),
    closeFeedback: (feedbackId: string) => c.post<FeedbackDetail>(`/feedback/${id(feedbackId)}/close`),

    listChats: (q: Query = {}) => c.get<Page<Conversation>>('/chats', q),
    chatMessages: (userId: string, q: Query = {}) => c.get<Page<ChatMessage>>(`/chats/${id(userId)}/messages`, q),
    sendChat: (userId: string, body: string) =>
      c.post<{ conversation: Conversation; message: ChatMessage }>(`/chats/${id(userId)}/messages`, { body }),
    readChat: (userId: string) => c.post<unknown>(`/chats/${id(userId)}/read`),

    listBackups: async () => (await c.get<Backup[] | null>('/backups')) ?? [],
    createBackup: () => c.post<Backup>('/backups'),
    systemStatus: () => c.get<SystemStatus>('/system/status'),
  }
}

/** AdminApi is the set of calls returned by createAdminApi. */
export type AdminApi = ReturnType<typeof createAdminApi>

/** adminClientOptions are the shared client's options as the console uses them. */
export function adminClientOptions(locale: () => string, onUnauthorized: () => void): ClientOptions {
  return { baseUrl: '/api/v1', locale, onUnauthorized }
}

/**
 * useAdminApi returns the console's calls speaking the UI's language; a 401
 * ends the session and sends the user to login. Call it during setup.
 */
export function useAdminApi(): AdminApi {
  const { locale } = useI18n({ useScope: 'global' })
  const router = useRouter()
  const session = useSessionStore()
  return createAdminApi(
    createClient(
      adminClientOptions(
        () => locale.value,
        () => {
          if (!session.loggedIn) return
          session.forget()
          void router.push({ name: 'login' })
        },
      ),
    ),
  )
}

/** apiUrl is the address of an API path with its query, for links and downloads (bills.csv, documents). */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== '') params.set(k, String(v))
  }
  const s = params.toString()
  return '/api/v1' + path + (s === '' ? '' : '?' + s)
}
