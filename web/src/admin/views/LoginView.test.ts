import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { apiKey, createApi } from '@/api'
import { createAppI18n } from '@/i18n'
import { useSessionStore } from '@/shared/session'
import LoginView from './LoginView.vue'

const admin = {
  id: '01J0000000000000000000000A',
  name: 'admin',
  display_name: 'Admin',
  phone: '',
  role: 'admin',
  blocked: false,
  blocked_reason: '',
  created_at: '2026-01-01T00:00:00Z',
  last_login_at: null,
}

/** mountLogin shows the console login page against a server that answers every request with res. */
async function mountLogin(res: () => Response) {
  const requests: Request[] = []
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(new Request(new URL(String(input), 'http://console.test'), init))
    return res()
  }) as typeof globalThis.fetch
  const router = createRouter({
    history: createMemoryHistory('/admin/'),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/', name: 'home', component: { template: '<p>home</p>' } },
    ],
  })
  await router.push('/login')
  const i18n = createAppI18n({ getItem: () => 'en', setItem: () => undefined })
  const pinia = createPinia()
  const wrapper = mount(LoginView, {
    global: {
      plugins: [pinia, i18n, router],
      provide: { [apiKey as symbol]: createApi({ locale: () => i18n.global.locale.value, fetch }) },
    },
  })
  return { wrapper, router, pinia, requests }
}

describe('admin LoginView', () => {
  it('shows the server detail when the login is refused', async () => {
    const detail = 'Too many failed logins; try again after 10:15 UTC'
    const { wrapper, router, requests } = await mountLogin(
      () => new Response(JSON.stringify({ title: 'Too Many Requests', status: 429, detail }), { status: 429 }),
    )
    await wrapper.find('input[name="username"]').setValue('admin')
    await wrapper.find('input[name="password"]').setValue('wrong')
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(wrapper.find('[role="alert"]').text()).toContain(detail)
    expect(router.currentRoute.value.name).toBe('login')
    const body: unknown = await requests[0]?.json()
    expect(body).toEqual({ name: 'admin', password: 'wrong' })
    expect(requests[0]?.headers.get('Accept-Language')).toBe('en')
  })

  it('records the user and opens the console on success', async () => {
    const { wrapper, router, pinia } = await mountLogin(
      () => new Response(JSON.stringify({ token: 't', expires_at: '2026-01-02T00:00:00Z', user: admin }), { status: 200 }),
    )
    await wrapper.find('input[name="username"]').setValue('admin')
    await wrapper.find('input[name="password"]').setValue('right')
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect(useSessionStore(pinia).user?.name).toBe('admin')
    expect(router.currentRoute.value.name).toBe('home')
  })

  it('asks for both fields before calling the server', async () => {
    const { wrapper, requests } = await mountLogin(() => new Response(null, { status: 500 }))
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(wrapper.find('[role="alert"]').text()).toContain('Enter your user name and password')
    expect(requests).toHaveLength(0)
  })
})
