import type { Problem } from './types'

/** ApiError is a failed API call, carrying the server's problem document. */
export class ApiError extends Error {
  /** HTTP status code, 0 when the server could not be reached. */
  readonly status: number
  readonly problem: Problem

  constructor(status: number, problem: Problem) {
    super(problemMessage(status, problem))
    this.name = 'ApiError'
    this.status = status
    this.problem = problem
  }
}

function problemMessage(status: number, p: Problem): string {
  const head = p.detail || p.title || `HTTP ${status}`
  // Field messages often repeat the detail; add only those that say more.
  const more = [...new Set((p.errors ?? []).map((e) => e.message ?? ''))].filter((m) => m !== '' && m !== head)
  return more.length > 0 ? `${head} (${more.join('; ')})` : head
}

/** Query holds URL query parameters; empty and undefined values are left out. */
export type Query = Record<string, string | number | boolean | undefined>

/** ClientOptions configures a Client. */
export interface ClientOptions {
  /** Prefix of every path, e.g. "/api/v1". */
  baseUrl: string
  /** Returns the UI language, sent as Accept-Language. */
  locale: () => string
  /** Called when a call other than a login is answered 401 (the session has ended). */
  onUnauthorized?: () => void
  /** The fetch to use; tests pass a fake. */
  fetch?: typeof fetch
}

/** Client sends JSON requests with the session cookie and turns failures into ApiError. */
export interface Client {
  get<T>(path: string, query?: Query): Promise<T>
  post<T>(path: string, body?: unknown): Promise<T>
  put<T>(path: string, body?: unknown): Promise<T>
  del<T>(path: string): Promise<T>
}

/** createClient returns a Client for the API under opts.baseUrl. */
export function createClient(opts: ClientOptions): Client {
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init))

  async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      'Accept-Language': opts.locale(),
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    let res: Response
    try {
      res = await doFetch(opts.baseUrl + path + queryString(query), {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    } catch (err) {
      throw new ApiError(0, { title: 'Network error', detail: err instanceof Error ? err.message : String(err) })
    }
    if (!res.ok) {
      const problem = await readProblem(res)
      if (res.status === 401 && !path.startsWith('/auth/')) opts.onUnauthorized?.()
      throw new ApiError(res.status, problem)
    }
    if (res.status === 204) return undefined as T
    const text = await res.text()
    return (text === '' ? undefined : JSON.parse(text)) as T
  }

  return {
    get: (path, query) => request('GET', path, undefined, query),
    post: (path, body) => request('POST', path, body),
    put: (path, body) => request('PUT', path, body),
    del: (path) => request('DELETE', path),
  }
}

function queryString(query?: Query): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== '') params.set(k, String(v))
  }
  const s = params.toString()
  return s === '' ? '' : '?' + s
}

async function readProblem(res: Response): Promise<Problem> {
  const text = await res.text().catch(() => '')
  try {
    const parsed: unknown = JSON.parse(text)
    if (parsed && typeof parsed === 'object') return { status: res.status, ...(parsed as Problem) }
  } catch {
    // Not JSON: fall through to a problem built from the status line.
  }
  return { status: res.status, title: res.statusText || `HTTP ${res.status}`, detail: text.trim() || undefined }
}
