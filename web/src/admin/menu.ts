import type { Role } from '@/api'

/** MenuEntry is one item of the console's side menu. */
export interface MenuEntry {
  /** Name of the route the entry opens. */
  route: string
  /** i18n key of the label. */
  label: string
  /** Roles that see the entry. */
  roles: readonly Role[]
}

/** menu lists every console page in menu order. */
export const menu: readonly MenuEntry[] = [
  { route: 'users', label: 'admin.menu.users', roles: ['admin', 'operator', 'maintainer', 'support'] },
]

/** menuFor returns the entries a user with the given role may see. */
export function menuFor(role: Role, entries: readonly MenuEntry[] = menu): MenuEntry[] {
  return entries.filter((e) => e.roles.includes(role))
}
