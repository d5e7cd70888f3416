import { createRouter, createWebHistory, type Router } from 'vue-router'
import type { GuardRoutes } from '@/shared/guard'

/** adminRoutes names the console's login and landing routes; only staff get in. */
export const adminRoutes: GuardRoutes = { login: 'login', home: 'users', admits: (u) => u.role !== 'driver' }

/** createAdminRouter returns the console's routes, served under /admin/. */
export function createAdminRouter(): Router {
  return createRouter({
    history: createWebHistory('/admin/'),
    routes: [
      { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
      {
        path: '/',
        component: () => import('./views/ConsoleLayout.vue'),
        children: [
          { path: '', redirect: { name: 'users' } },
          { path: 'users', name: 'users', component: () => import('./views/UsersView.vue') },
        ],
      },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  })
}
