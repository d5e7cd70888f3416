import { describe, expect, it } from 'vitest'
import type { Role } from '@/api'
import { can, homeFor, menu, menuFor, type MenuEntry, type Permission } from './menu'

describe('menuFor', () => {
  const entries: MenuEntry[] = [
    { route: 'users', label: 'admin.menu.users', needs: 'users.read' },
    { route: 'audit', label: 'console.menu.audit', needs: 'audit.read' },
  ]
  const cases = [
    { role: 'admin', want: ['users', 'audit'] },
    { role: 'operator', want: ['users'] },
    { role: 'maintainer', want: [] },
    { role: 'driver', want: [] },
  ] as const
  for (const tc of cases) {
    it(`shows ${tc.role} only its entries`, () => {
      expect(menuFor(tc.role, entries).map((e) => e.route)).toEqual(tc.want)
    })
  }
})

describe('the console menu per role', () => {
  const cases: { role: Role; want: string[] }[] = [
    {
      role: 'admin',
      want: ['dashboard', 'alarms', 'tasks', 'my-tasks', 'chargers', 'sessions', 'bills', 'tariffs', 'reports', 'stats', 'support', 'users', 'sites', 'system', 'audit'],
    },
    { role: 'operator', want: ['dashboard', 'alarms', 'tasks', 'chargers', 'sessions', 'bills', 'tariffs', 'reports', 'stats', 'users', 'sites'] },
    { role: 'maintainer', want: ['dashboard', 'alarms', 'tasks', 'my-tasks', 'chargers'] },
    { role: 'support', want: ['sessions', 'bills', 'support', 'users'] },
    { role: 'driver', want: [] },
  ]
  for (const tc of cases) {
    it(tc.role, () => {
      const got = menuFor(tc.role).map((e) => e.route)
      expect(got, `got ${got.join(',')}, want ${tc.want.join(',')}`).toEqual(tc.want)
    })
  }
})

describe('homeFor', () => {
  const cases: { role: Role; want: string | null }[] = [
    { role: 'admin', want: 'dashboard' },
    { role: 'support', want: 'sessions' },
    { role: 'driver', want: null },
  ]
  for (const tc of cases) {
    it(tc.role, () => {
      expect(homeFor(tc.role, menu)).toBe(tc.want)
    })
  }
})

describe('can', () => {
  const cases: { role: Role | undefined; p: Permission; want: boolean }[] = [
    { role: 'admin', p: 'system.write', want: true },
    { role: 'operator', p: 'chargers.control', want: true },
    { role: 'operator', p: 'audit.read', want: false },
    { role: 'maintainer', p: 'chargers.control', want: false },
    { role: 'support', p: 'orders.write', want: false },
    { role: 'driver', p: 'chargers.read', want: false },
    { role: undefined, p: 'chargers.read', want: false },
  ]
  for (const tc of cases) {
    it(`${tc.role} ${tc.p}`, () => {
      expect(can(tc.role, tc.p)).toBe(tc.want)
    })
  }
})
