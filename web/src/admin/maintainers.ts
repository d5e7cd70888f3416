// The maintainers a task or alarm can be assigned to, for the console's pickers.
import { computed, ref, type ComputedRef, type Ref } from 'vue'
import { useApi, type User } from '@/api'
import { useSessionStore } from '@/shared/session'
import { can } from './menu'

/** staffName shows a staff member by display name, else login name. */
export function staffName(u: Pick<User, 'display_name' | 'name' | 'id'>): string {
  return u.display_name || u.name || u.id
}

/** Maintainers is the list of maintainers and a way to name an assignee. */
export interface Maintainers {
  /** Users with role maintainer (empty when this user may not list users). */
  list: Ref<User[]>
  /** canPick tells whether this user may pick another assignee (needs users.read to list them). */
  canPick: ComputedRef<boolean>
  /** nameOf names an assignee id: a maintainer's name, this user's own name, or the id's tail. */
  nameOf: (id: string | undefined) => string
  load: () => Promise<void>
}

/** useMaintainers loads the maintainers once (call load in onMounted). Call it during setup. */
export function useMaintainers(): Maintainers {
  const api = useApi()
  const session = useSessionStore()
  const list = ref<User[]>([])
  const canPick = computed(() => can(session.user?.role, 'users.read') && can(session.user?.role, 'faults.write'))
  const byId = computed(() => new Map(list.value.map((u) => [u.id, u])))
  function nameOf(id: string | undefined): string {
    if (!id) return ''
    const u = byId.value.get(id) ?? (session.user?.id === id ? session.user : undefined)
    return u ? staffName(u) : `…${id.slice(-6)}`
  }
  async function load(): Promise<void> {
    if (!can(session.user?.role, 'users.read')) return
    try {
      const page = await api.listUsers({ role: 'maintainer', limit: 200 })
      list.value = (page.items ?? []).filter((u) => !u.blocked)
    } catch {
      list.value = []
    }
  }
  return { list, canPick, nameOf, load }
}
