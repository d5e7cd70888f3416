import { createRouter, createWebHistory, type Router } from 'vue-router'
import type { GuardRoutes } from '@/shared/guard'
import { useSessionStore } from '@/shared/session'
import { can, homeFor, type Permission } from './menu'

/** adminRoutes names the console's login and landing routes; only staff get in. */
export const adminRoutes: GuardRoutes = { login: 'login', home: 'home', admits: (u) => u.role !== 'driver' }

/**
 * createAdminRouter returns the console's routes, served under /admin/. A
 * route's meta.needs names the permission it needs; a user without it is
 * sent to their home page (the first menu entry they may see).
 */
export function createAdminRouter(): Router {
  const router = createRouter({
    history: createWebHistory('/admin/'),
    routes: [
      { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
      {
        path: '/my-tasks',
        name: 'my-tasks',
        component: () => import('./views/MyTasksView.vue'),
        meta: { needs: 'faults.write' },
      },
      {
        path: '/stickers',
        name: 'stickers',
        component: () => import('./views/StickersView.vue'),
        meta: { needs: 'chargers.read' },
      },
      {
        path: '/',
        component: () => import('./views/ConsoleLayout.vue'),
        children: [
          {
            path: '',
            name: 'home',
            component: () => import('./views/ForbiddenView.vue'),
            beforeEnter: () => {
              const role = useSessionStore().user?.role
              const home = role ? homeFor(role) : null
              return home ? { name: home } : true
            },
          },
          { path: 'dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { needs: 'chargers.read' } },
          { path: 'chargers', name: 'chargers', component: () => import('./views/ChargersView.vue'), meta: { needs: 'chargers.read' } },
          {
            path: 'chargers/:id',
            name: 'charger',
            component: () => import('./views/ChargerDetailView.vue'),
            meta: { needs: 'chargers.read', menu: 'chargers' },
          },
          { path: 'sessions', name: 'sessions', component: () => import('./views/SessionsView.vue'), meta: { needs: 'orders.read' } },
          { path: 'bills', name: 'bills', component: () => import('./views/BillsView.vue'), meta: { needs: 'orders.read' } },
          { path: 'tariffs', name: 'tariffs', component: () => import('./views/TariffsView.vue'), meta: { needs: 'tariffs.write' } },
          { path: 'reports', name: 'reports', component: () => import('./views/ReportsView.vue'), meta: { needs: 'stats.read' } },
          { path: 'users', name: 'users', component: () => import('./views/UsersView.vue'), meta: { needs: 'users.read' } },
          { path: 'sites', name: 'sites', component: () => import('./views/SitesView.vue'), meta: { needs: 'sites.write' } },
          { path: 'alarms', name: 'alarms', component: () => import('./views/AlarmsView.vue'), meta: { needs: 'chargers.read' } },
          { path: 'tasks', name: 'tasks', component: () => import('./views/TasksView.vue'), meta: { needs: 'chargers.read' } },
          { path: 'stats', name: 'stats', component: () => import('./views/StatsView.vue'), meta: { needs: 'stats.read' } },
          { path: 'support', name: 'support', component: () => import('./views/SupportView.vue'), meta: { needs: 'support.write' } },
          { path: 'system', name: 'system', component: () => import('./views/SystemView.vue'), meta: { needs: 'system.write' } },
          { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { needs: 'audit.read' } },
        ],
      },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  })
  router.beforeResolve((to) => {
    const needs = to.meta.needs
    if (!needs) return true
    if (can(useSessionStore().user?.role, needs)) return true
    return { name: 'home' }
  })
  return router
}

declare module 'vue-router' {
  interface RouteMeta {
    /** The permission a user needs to open the route. */
    needs?: Permission
    /** The menu entry to highlight when it is not the route itself. */
    menu?: string
  }
}
