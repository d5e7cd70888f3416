import { describe, expect, it } from 'vitest'
import { menuFor, type MenuEntry } from './menu'

describe('menuFor', () => {
  const entries: MenuEntry[] = [
    { route: 'users', label: 'admin.menu.users', roles: ['admin', 'operator'] },
    { route: 'audit', label: 'admin.menu.audit', roles: ['admin'] },
  ]
  const cases = [
    { role: 'admin', want: ['users', 'audit'] },
    { role: 'operator', want: ['users'] },
    { role: 'driver', want: [] },
  ] as const
  for (const tc of cases) {
    it(`shows ${tc.role} only its entries`, () => {
      expect(menuFor(tc.role, entries).map((e) => e.route)).toEqual(tc.want)
    })
  }
})
