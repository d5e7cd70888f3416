import { createRouter, createWebHistory, type Router } from 'vue-router'
import type { GuardRoutes } from '@/shared/guard'

/** driverRoutes names the driver app's login and landing routes. */
export const driverRoutes: GuardRoutes = { login: 'login', home: 'chargers' }

/** createDriverRouter returns the driver app's routes, served at /. */
export function createDriverRouter(): Router {
  return createRouter({
    history: createWebHistory('/'),
    routes: [
      { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
      {
        path: '/',
        component: () => import('./views/HomeLayout.vue'),
        children: [
          { path: '', redirect: { name: 'chargers' } },
          { path: 'chargers', name: 'chargers', component: () => import('./views/ChargersTab.vue') },
          { path: 'orders', name: 'orders', component: () => import('./views/OrdersTab.vue') },
          { path: 'me', name: 'me', component: () => import('./views/MeTab.vue') },
        ],
      },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  })
}
