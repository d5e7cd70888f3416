import type { Pinia } from 'pinia'
import type { Router } from 'vue-router'
import type { User } from '@/api'
import { useSessionStore } from './session'

/** GuardRoutes names the login route and the route to land on once logged in. */
export interface GuardRoutes {
  login: string
  home: string
  /** Whether this app admits the user; a user it does not admit is sent to login. All are admitted when absent. */
  admits?: (user: User) => boolean
}

/**
 * installAuthGuard sends visitors without an admitted session to the login
 * route and admitted users away from it. Routes with meta.public skip the
 * check; the first navigation asks the server (GET /me) whether the session
 * is alive, so a reload keeps the user logged in.
 */
export function installAuthGuard(router: Router, pinia: Pinia, routes: GuardRoutes): void {
  router.beforeEach(async (to) => {
    const session = useSessionStore(pinia)
    if (!session.checked) await session.restore().catch(() => undefined)
    const user = session.user
    const admitted = user !== null && (routes.admits?.(user) ?? true)
    if (to.name === routes.login) {
      return admitted ? { name: routes.home } : true
    }
    if (to.meta.public || admitted) return true
    return { name: routes.login, query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  })
}

declare module 'vue-router' {
  interface RouteMeta {
    /** The route is shown without a session. */
    public?: boolean
  }
}
