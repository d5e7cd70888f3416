import { createPinia } from 'pinia'
import { createApp, defineComponent } from 'vue'
import { describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { apiKey, createApi, type User } from '@/api'
import { installAuthGuard, type GuardRoutes } from './guard'

const page = defineComponent({ render: () => null })

function user(role: User['role']): User {
  return {
    id: 'u1',
    name: role === 'driver' ? '' : 'li',
    display_name: 'Li',
    phone: '13800000000',
    role,
    blocked: false,
    blocked_reason: '',
    created_at: '2026-01-01T00:00:00Z',
    last_login_at: '2026-01-01T00:00:00Z',
  }
}

/** navigate starts an app whose /me answers me (null: 401) and reports where a visit to path ends. */
async function navigate(path: string, me: User | null, routes: GuardRoutes): Promise<string> {
  const fetch = (async () =>
    me
      ? new Response(JSON.stringify(me), { status: 200 })
      : new Response(JSON.stringify({ status: 401, detail: 'log in' }), { status: 401 })) as typeof globalThis.fetch
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: page, meta: { public: true } },
      { path: '/help', name: 'help', component: page, meta: { public: true } },
      { path: '/users', name: 'users', component: page },
      { path: '/users/:id', name: 'user', component: page },
    ],
  })
  const app = createApp(page)
  const pinia = createPinia()
  app.provide(apiKey, createApi({ locale: () => 'en', fetch }))
  app.use(pinia)
  installAuthGuard(router, pinia, routes)
  app.use(router)
  await router.push(path)
  return router.currentRoute.value.fullPath
}

describe('installAuthGuard', () => {
  const consoleRoutes: GuardRoutes = { login: 'login', home: 'users', admits: (u) => u.role !== 'driver' }
  const cases = [
    { name: 'no session goes to login with the way back', path: '/users/7', me: null, want: '/login?redirect=/users/7' },
    { name: 'public pages need no session', path: '/help', me: null, want: '/help' },
    { name: 'a live session goes straight in', path: '/users/7', me: user('operator'), want: '/users/7' },
    { name: 'a live session skips the login page', path: '/login', me: user('admin'), want: '/users' },
    { name: 'a user the app does not admit is sent to login', path: '/users', me: user('driver'), want: '/login?redirect=/users' },
    { name: 'and may use the login page', path: '/login', me: user('driver'), want: '/login' },
  ]
  for (const tc of cases) {
    it(tc.name, async () => {
      const got = await navigate(tc.path, tc.me, consoleRoutes)
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }
})
