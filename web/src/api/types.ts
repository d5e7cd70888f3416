// Types of the REST API (/api/v1), hand-written from the contract until
// schema.d.ts is generated from the server's OpenAPI document.

/** Role names a user can hold, most powerful first. */
export const roles = ['admin', 'operator', 'maintainer', 'support', 'driver'] as const

/** Role is one of the roles above. */
export type Role = (typeof roles)[number]

/** Staff roles are every role except driver. */
export const staffRoles = roles.filter((r) => r !== 'driver')

/** User is an account, staff or driver. Times are RFC 3339 UTC strings. */
export interface User {
  id: string
  name: string
  display_name: string
  phone: string
  role: Role
  blocked: boolean
  blocked_reason: string
  created_at: string
  last_login_at: string | null
}

/** LoginResult is what every login endpoint returns. */
export interface LoginResult {
  token: string
  /** When the token and the session expire, RFC 3339 UTC. */
  expires_at: string
  user: User
}

/** AuthOptions tells the login page which ways of logging in exist. */
export interface AuthOptions {
  wechat_enabled: boolean
  dev_login_enabled: boolean
  wechat_app_id: string
}

/** Page is one page of a cursor-paginated list; next_cursor is empty on the last page. */
export interface Page<T> {
  items: T[]
  next_cursor: string
}

/** AuditEntry records one change made by a staff member. */
export interface AuditEntry {
  id: string
  at: string
  actor_id: string
  actor_name: string
  action: string
  target_type: string
  target_id: string
  summary: string
  before: unknown
  after: unknown
}

/** ProblemFieldError points at one invalid input. */
export interface ProblemFieldError {
  location?: string
  message?: string
  value?: unknown
}

/** Problem is an RFC 9457 problem document; detail is localised by the server. */
export interface Problem {
  type?: string
  title?: string
  status?: number
  detail?: string
  errors?: ProblemFieldError[]
}
