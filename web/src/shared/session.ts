import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError, useApi, type LoginResult, type User } from '@/api'

/** useSessionStore holds who is logged in, shared by the pages of one app. */
export const useSessionStore = defineStore('session', () => {
  const api = useApi()
  const user = ref<User | null>(null)
  /** Whether /me has been asked since the app started. */
  const checked = ref(false)
  const loggedIn = computed(() => user.value !== null)

  /** restore asks the server whether the session cookie is still alive. */
  async function restore(): Promise<void> {
    try {
      user.value = await api.me()
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err
      user.value = null
    } finally {
      checked.value = true
    }
  }

  /** loggedInAs records the user a login endpoint returned. */
  function loggedInAs(res: LoginResult): void {
    user.value = res.user
    checked.value = true
  }

  /** forget drops the user without telling the server (e.g. after a 401). */
  function forget(): void {
    user.value = null
  }

  /** logout ends the session on the server and here. */
  async function logout(): Promise<void> {
    await api.logout()
    user.value = null
  }

  return { user, checked, loggedIn, restore, loggedInAs, forget, logout }
})
