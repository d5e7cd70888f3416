import type { Pinia } from 'pinia'
import type { Router } from 'vue-router'
import { useSessionStore } from './session'

/** GuardRoutes names the login route and the route to land on once logged in. */
export interface GuardRoutes {
  login: string
  home: string
}

/**
 * installAuthGuard sends visitors without a session to the login route and
 * logged-in users away from it. Routes with meta.public skip the check; the
 * first navigation asks the server (GET /me) whether the session is alive.
 */
export function installAuthGuard(router: Router, pinia: Pinia, routes: GuardRoutes): void {
  router.beforeEach(async (to) => {
    const session = useSessionStore(pinia)
    if (!session.checked) await session.restore().catch(() => undefined)
    if (to.name === routes.login) {
      return session.loggedIn ? { name: routes.home } : true
    }
    if (to.meta.public || session.loggedIn) return true
    return { name: routes.login, query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  })
}

declare module 'vue-router' {
  interface RouteMeta {
    /** The route is shown without a session. */
    public?: boolean
  }
}
