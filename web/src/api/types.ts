// Types of the REST API (/api/v1), taken from schema.d.ts, which
// `npm run gen:api` generates from the server's OpenAPI document (openapi.json).
import type { components, paths } from './schema'

type Schemas = components['schemas']
type Body<T> = Omit<T, '$schema'>

/** User is an account, staff or driver. Times are RFC 3339 UTC strings; name is empty for drivers. */
export type User = Body<Schemas['UserView']>

/** Role is one of the roles a user can hold. */
export type Role = User['role']

// Listing every role in a Record makes the compiler catch a role added to the API.
const roleOrder: Record<Role, number> = { admin: 0, operator: 1, maintainer: 2, support: 3, driver: 4 }

/** roles lists every role, most powerful first. */
export const roles = (Object.keys(roleOrder) as Role[]).sort((a, b) => roleOrder[a] - roleOrder[b])

/** NewStaff is the body of POST /users (staff accounts only). */
export type NewStaff = Body<Schemas['CreateInBody']>

/** StaffRole is a role a new staff account may get. */
export type StaffRole = NewStaff['role']

/** staffRoles lists the roles of staff accounts: every role except driver. */
export const staffRoles = roles.filter((r): r is StaffRole => r !== 'driver')

/** LoginResult is what every login endpoint returns. */
export type LoginResult = Body<Schemas['LoginBody']>

/** AuthOptions tells the login page which ways of logging in exist. */
export type AuthOptions = Body<Schemas['OptionsOutBody']>

/** AuditEntry records one change made by a staff member. */
export type AuditEntry = Body<Schemas['AuditView']>

/** Page is one page of a cursor-paginated list; next_cursor is empty on the last page. */
export interface Page<T> {
  items: T[] | null
  next_cursor: string
}

/** UserFilter narrows GET /users. */
export type UserFilter = NonNullable<paths['/api/v1/users']['get']['parameters']['query']>

/** AuditFilter narrows GET /audit. */
export type AuditFilter = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>

/** Problem is an RFC 9457 problem document; detail is localised by the server. */
export type Problem = Partial<Body<Schemas['ErrorModel']>>

/** PublicConfig is what the web apps need before login: map tiles, time zone, the QR base URL. */
export type PublicConfig = Body<Schemas['PublicConfig']>

/** Site is a car park or campus area with chargers; lat/lng are WGS-84 degrees. */
export type Site = Body<Schemas['SiteView']>

/** Charger is a charge point with its live state; lat/lng are WGS-84 degrees, power in W. */
export type Charger = Body<Schemas['ChargerView']>

/** Connector is one outlet of a charger; status is the OCPP status or Offline. */
export type Connector = Schemas['ConnectorView']

/** ConnectorType is the plug standard of a connector ("" when unknown). */
export type ConnectorType = Connector['type']

/** LiveSession is the running session a connector shows (energy in Wh, power in W, soc -1 when unknown). */
export type LiveSession = Schemas['LiveSession']

/** Session is one charging session (energy in Wh, power in W, duration in s, limits in Wh and fen). */
export type Session = Body<Schemas['SessionView']>

/** Sample is one meter reading of a session; absent measurands are null. */
export type Sample = Schemas['SampleView']

/** Card is one of the driver's id tags: the app's own tag or an RFID card. */
export type Card = Body<Schemas['CardView']>

/** StartRequest is the body of POST /sessions (limits: 0 = none). */
export type StartRequest = Body<Schemas['StartInBody']>

/** ChargerFilter narrows GET /chargers. */
export type ChargerFilter = NonNullable<paths['/api/v1/chargers']['get']['parameters']['query']>

/** SessionFilter narrows GET /sessions. */
export type SessionFilter = NonNullable<paths['/api/v1/sessions']['get']['parameters']['query']>

/** Price is the price in force: energy and service fee in 1/10000 yuan per kWh, the period's name and when it ends. */
export type Price = Schemas['PriceView']

/** ChargerPrices is a charger's price now and today's timeline (segments with UTC from/to). */
export type ChargerPrices = Body<Schemas['Chargers-pricesResponse']>

/** PriceSegment is one stretch of today's price timeline. */
export type PriceSegment = Schemas['SegmentView']

/** Bill is the itemised bill of one session (fees in fen, prices in 1/10000 yuan per kWh). */
export type Bill = Schemas['BillView']

/** BillLine is one time-of-use period of a bill (energy in Wh, fees in fen). */
export type BillLine = Schemas['Line']

/** BillDetail is a bill with its payments and refunds. */
export type BillDetail = Body<Schemas['BillDetailBody']>

/** PayRequest is the body of POST /bills/{id}/pay. */
export type PayRequest = Body<Schemas['PayInBody']>

/** PayResult tells the app how to complete a payment: a page to open (sandbox), WeChat JSAPI arguments or a QR code URL. */
export type PayResult = Body<Schemas['PayOutBody']>

/** BillFilter narrows GET /bills. */
export type BillFilter = NonNullable<paths['/api/v1/bills']['get']['parameters']['query']>

/** FeedbackCategory is what a feedback ticket is about. */
export type FeedbackCategory = Schemas['FeedbackView']['category']

/** feedbackCategories lists every category in the order the app offers them. */
export const feedbackCategories: FeedbackCategory[] = ['charger_fault', 'billing', 'suggestion', 'other']

/** Feedback is one ticket a driver sent (status open, answered by staff, or closed). */
export type Feedback = Schemas['FeedbackView']

/** FeedbackReply is a staff reply or the driver's follow-up on a ticket. */
export type FeedbackReply = Schemas['ReplyView']

/** FeedbackPhoto is a photo of a ticket; url is fetched with the session cookie (size in bytes). */
export type FeedbackPhoto = Schemas['PhotoView']

/** FeedbackDetail is a ticket with its replies (oldest first) and photos. */
export type FeedbackDetail = Body<Schemas['FeedbackDetailBody']>

/** NewFeedback is the body of POST /feedback: photos are base64 or data: URLs, each at most 2 MB decoded. */
export type NewFeedback = Body<Schemas['FeedbackCreateInBody']>

/** FeedbackFilter narrows GET /feedback (drivers always see their own). */
export type FeedbackFilter = NonNullable<paths['/api/v1/feedback']['get']['parameters']['query']>

/** ChatMessage is one message of a driver's support conversation. */
export type ChatMessage = Schemas['MessageView']

/** Conversation is a driver's support conversation: unread counts and the last message. */
export type Conversation = Body<Schemas['ConversationView']>

/** SentMessage is what POST /chat/messages returns: the message and the conversation after it. */
export type SentMessage = Body<Schemas['MessageOutBody']>

/** Reservation is a connector held for a driver until expires_at (fee in fen). */
export type Reservation = Body<Schemas['ReservationView']>

/** ReserveRequest is the body of POST /reservations: a charger's connector, or any free connector of a mode at a site. */
export type ReserveRequest = Body<Schemas['ReserveInBody']>

/** ChargeMode is fast or slow charging, as the queue sorts drivers. */
export type ChargeMode = Schemas['JoinInBody']['mode']

/**
 * Ticket is a driver's queue number (F3, T2): status waiting, displaced,
 * queued, called or charging while in line, finished, cancelled or removed
 * once over; energy in Wh; hold_until is set while called.
 */
export type Ticket = Body<Schemas['TicketView']>

/** JoinQueueRequest is the body of POST /queue (energy in Wh). */
export type JoinQueueRequest = Body<Schemas['JoinInBody']>
