import { createPinia } from 'pinia'
import { createApp, type Component } from 'vue'
import type { Router } from 'vue-router'
import { apiKey, createApi } from '@/api'
import { createAppI18n } from '@/i18n'
import { installAuthGuard, type GuardRoutes } from './guard'
import { useSessionStore } from './session'

/**
 * startApp wires one app (driver or admin): i18n in the remembered language,
 * the API client speaking that language, the session store, the auth guard,
 * and mounts it on #app. A 401 on a live session sends the user to login.
 */
export function startApp(root: Component, router: Router, routes: GuardRoutes): void {
  const storage = window.localStorage
  const i18n = createAppI18n(storage)
  document.documentElement.lang = i18n.global.locale.value
  const pinia = createPinia()
  const api = createApi({
    locale: () => i18n.global.locale.value,
    onUnauthorized: () => {
      const session = useSessionStore(pinia)
      if (!session.loggedIn) return
      session.forget()
      void router.push({ name: routes.login })
    },
  })
  const app = createApp(root)
  app.provide(apiKey, api)
  app.use(pinia)
  app.use(i18n)
  installAuthGuard(router, pinia, routes)
  app.use(router)
  app.mount('#app')
}
