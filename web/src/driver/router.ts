import { createRouter, createWebHistory, type Router } from 'vue-router'
import type { GuardRoutes } from '@/shared/guard'

/** driverRoutes names the driver app's login and landing routes. */
export const driverRoutes: GuardRoutes = { login: 'login', home: 'chargers' }

/** createDriverRouter returns the driver app's routes, served at /. Every page is its own lazy chunk. */
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
          { path: 'map', name: 'map', component: () => import('./views/MapTab.vue') },
          { path: 'history', name: 'history', component: () => import('./views/HistoryTab.vue') },
          { path: 'me', name: 'me', component: () => import('./views/MeTab.vue') },
        ],
      },
      { path: '/best', name: 'best', component: () => import('./views/BestView.vue') },
      { path: '/chargers/:id', name: 'charger', component: () => import('./views/ChargerView.vue') },
      // QR stickers encode {base_url}/start/{charge_point_id}.
      { path: '/start/:cp?', name: 'start', component: () => import('./views/StartView.vue') },
      { path: '/live/:id?', name: 'live', component: () => import('./views/LiveView.vue') },
      { path: '/history/:id', name: 'session', component: () => import('./views/SessionView.vue') },
      { path: '/bills/:id', name: 'bill', component: () => import('./views/BillView.vue') },
      { path: '/feedback', name: 'feedback', component: () => import('./views/FeedbackListView.vue') },
      { path: '/feedback/new', name: 'feedback-new', component: () => import('./views/FeedbackNewView.vue') },
      { path: '/feedback/:id', name: 'feedback-detail', component: () => import('./views/FeedbackView.vue') },
      { path: '/chat', name: 'chat', component: () => import('./views/ChatView.vue') },
      { path: '/queue', name: 'queue', component: () => import('./views/QueueView.vue') },
      { path: '/orders', redirect: { name: 'history' } },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  })
}
