import { describe, expect, it, vi } from 'vitest'
import { ApiError, createClient } from './client'

interface Call {
  url: string
  init: RequestInit
}

/** fakeFetch answers every request with res and records the calls. */
function fakeFetch(res: () => Response) {
  const calls: Call[] = []
  const f = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} })
    return res()
  })
  return { fetch: f as unknown as typeof fetch, calls }
}

function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })
}

function header(c: Call | undefined, name: string): string | undefined {
  return (c?.init.headers as Record<string, string> | undefined)?.[name]
}

describe('createClient errors', () => {
  const cases = [
    {
      name: 'problem detail becomes the message',
      res: () => json(429, { title: 'Too Many Requests', status: 429, detail: '登录失败次数过多，请 15 分钟后再试' }, 'application/problem+json'),
      status: 429,
      message: '登录失败次数过多，请 15 分钟后再试',
    },
    {
      name: 'field errors are appended to the detail',
      res: () =>
        json(422, {
          title: 'Unprocessable Entity',
          detail: 'validation failed',
          errors: [{ location: 'body.password', message: 'too short', value: 'x' }],
        }),
      status: 422,
      message: 'validation failed (too short)',
    },
    {
      name: 'field errors that repeat the detail are not repeated',
      res: () =>
        json(422, {
          detail: '用户名须为 2 到 64 个字符',
          errors: [
            { location: 'body.name', message: '用户名须为 2 到 64 个字符' },
            { location: 'body.password', message: '密码至少 8 位' },
          ],
        }),
      status: 422,
      message: '用户名须为 2 到 64 个字符 (密码至少 8 位)',
    },
    {
      name: 'title stands in when there is no detail',
      res: () => json(403, { title: 'Forbidden', status: 403 }),
      status: 403,
      message: 'Forbidden',
    },
    {
      name: 'a body that is not JSON is shown as text',
      res: () => new Response('bad gateway\n', { status: 502, statusText: 'Bad Gateway' }),
      status: 502,
      message: 'bad gateway',
    },
    {
      name: 'an empty body falls back to the status line',
      res: () => new Response('', { status: 500, statusText: 'Internal Server Error' }),
      status: 500,
      message: 'Internal Server Error',
    },
  ]
  for (const tc of cases) {
    it(tc.name, async () => {
      const { fetch } = fakeFetch(tc.res)
      const c = createClient({ baseUrl: '/api/v1', locale: () => 'zh-CN', fetch })
      const err = await c.get('/users').catch((e: unknown) => e)
      expect(err, 'got a resolved call, want an ApiError').toBeInstanceOf(ApiError)
      const apiErr = err as ApiError
      expect(apiErr.status).toBe(tc.status)
      expect(apiErr.message).toBe(tc.message)
    })
  }

  it('a network failure is an ApiError with status 0', async () => {
    const f = (async () => {
      throw new TypeError('Failed to fetch')
    }) as unknown as typeof fetch
    const c = createClient({ baseUrl: '/api/v1', locale: () => 'en', fetch: f })
    const err = (await c.get('/me').catch((e: unknown) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(0)
    expect(err.message).toBe('Failed to fetch')
  })
})

describe('createClient requests', () => {
  it('sends Accept-Language from the current locale on every call', async () => {
    let locale = 'zh-CN'
    const { fetch, calls } = fakeFetch(() => json(200, {}))
    const c = createClient({ baseUrl: '/api/v1', locale: () => locale, fetch })
    await c.get('/me')
    locale = 'en'
    await c.get('/me')
    expect(calls.map((x) => header(x, 'Accept-Language'))).toEqual(['zh-CN', 'en'])
  })

  it('sends JSON bodies with the session cookie', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { token: 't' }))
    const c = createClient({ baseUrl: '/api/v1', locale: () => 'en', fetch })
    const got = await c.post<{ token: string }>('/auth/login', { name: 'admin', password: 'pw' })
    expect(got).toEqual({ token: 't' })
    const call = calls[0]
    expect(call?.url).toBe('/api/v1/auth/login')
    expect(call?.init.method).toBe('POST')
    expect(call?.init.credentials).toBe('same-origin')
    expect(header(call, 'Content-Type')).toBe('application/json')
    expect(call?.init.body).toBe('{"name":"admin","password":"pw"}')
  })

  it('leaves empty query values out', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { items: [], next_cursor: '' }))
    const c = createClient({ baseUrl: '/api/v1', locale: () => 'en', fetch })
    await c.get('/users', { q: 'li', role: '', cursor: undefined, blocked: false, limit: 20 })
    expect(calls[0]?.url).toBe('/api/v1/users?q=li&blocked=false&limit=20')
  })

  it('returns undefined for 204 No Content', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }))
    const c = createClient({ baseUrl: '/api/v1', locale: () => 'en', fetch })
    await expect(c.post('/auth/logout')).resolves.toBeUndefined()
  })
})

describe('createClient 401 handling', () => {
  const cases = [
    { name: 'an ended session reports unauthorized', path: '/users', want: 1 },
    { name: 'a failed login does not', path: '/auth/login', want: 0 },
  ]
  for (const tc of cases) {
    it(tc.name, async () => {
      const onUnauthorized = vi.fn()
      const { fetch } = fakeFetch(() => json(401, { title: 'Unauthorized', detail: '请先登录' }))
      const c = createClient({ baseUrl: '/api/v1', locale: () => 'zh-CN', fetch, onUnauthorized })
      const err = (await c.post(tc.path, {}).catch((e: unknown) => e)) as ApiError
      expect(err.status).toBe(401)
      expect(err.message).toBe('请先登录')
      expect(onUnauthorized, `got ${onUnauthorized.mock.calls.length} calls, want ${tc.want}`).toHaveBeenCalledTimes(tc.want)
    })
  }
})
