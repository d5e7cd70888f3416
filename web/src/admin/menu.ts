import type { Role } from '@/api'

/**
 * Permission names something a console page or button needs; the same names
 * and grants as the server's (internal/account/roles.go), which checks them
 * again on every call: the console only hides what would be refused.
 */
export type Permission =
  | 'users.read'
  | 'users.write'
  | 'audit.read'
  | 'sites.write'
  | 'chargers.read'
  | 'chargers.write'
  | 'chargers.control'
  | 'tariffs.write'
  | 'orders.read'
  | 'orders.write'
  | 'faults.write'
  | 'support.write'
  | 'stats.read'
  | 'system.write'

const grants: Record<Exclude<Role, 'admin'>, readonly Permission[]> = {
  operator: [
    'users.read',
    'users.write',
    'sites.write',
    'chargers.read',
    'chargers.write',
    'chargers.control',
    'tariffs.write',
    'orders.read',
    'orders.write',
    'stats.read',
  ],
  maintainer: ['chargers.read', 'faults.write'],
  support: ['users.read', 'orders.read', 'support.write'],
  driver: [],
}

/** can tells whether a role holds a permission; admin holds every one. */
export function can(role: Role | undefined, p: Permission): boolean {
  if (!role) return false
  return role === 'admin' || grants[role].includes(p)
}

/** MenuEntry is one item of the console's side menu. */
export interface MenuEntry {
  /** Name of the route the entry opens. */
  route: string
  /** i18n key of the label. */
  label: string
  /** The permission a role needs to see the entry. */
  needs: Permission
}

/** menu lists every console page in menu order. */
export const menu: readonly MenuEntry[] = [
  { route: 'dashboard', label: 'console.menu.dashboard', needs: 'chargers.read' },
  { route: 'alarms', label: 'console.menu.alarms', needs: 'chargers.read' },
  { route: 'tasks', label: 'console.menu.tasks', needs: 'chargers.read' },
  { route: 'my-tasks', label: 'console.menu.myTasks', needs: 'faults.write' },
  { route: 'chargers', label: 'console.menu.chargers', needs: 'chargers.read' },
  { route: 'sessions', label: 'console.menu.sessions', needs: 'orders.read' },
  { route: 'bills', label: 'console.menu.bills', needs: 'orders.read' },
  { route: 'tariffs', label: 'console.menu.tariffs', needs: 'tariffs.write' },
  { route: 'reports', label: 'console.menu.reports', needs: 'stats.read' },
  { route: 'stats', label: 'console.menu.stats', needs: 'stats.read' },
  { route: 'support', label: 'console.menu.support', needs: 'support.write' },
  { route: 'users', label: 'admin.menu.users', needs: 'users.read' },
  { route: 'sites', label: 'console.menu.sites', needs: 'sites.write' },
  { route: 'system', label: 'console.menu.system', needs: 'system.write' },
  { route: 'audit', label: 'console.menu.audit', needs: 'audit.read' },
]

/** menuFor returns the entries a user with the given role may see. */
export function menuFor(role: Role, entries: readonly MenuEntry[] = menu): MenuEntry[] {
  return entries.filter((e) => can(role, e.needs))
}

/** homeFor is the route a role lands on: its first menu entry, or null when it has none. */
export function homeFor(role: Role, entries: readonly MenuEntry[] = menu): string | null {
  return menuFor(role, entries)[0]?.route ?? null
}
