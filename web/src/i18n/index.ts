import { createI18n } from 'vue-i18n'
import en from './en'
import zhCN, { type MessageSchema } from './zh-CN'
import consoleEn from './admin.en'
import consoleZhCN, { type ConsoleMessageSchema } from './admin.zh-CN'

/** Locale is a UI language; its name is also sent as Accept-Language. */
export type Locale = 'zh-CN' | 'en'

/** locales lists the UI languages with their names as shown in the switch. */
export const locales: readonly { code: Locale; label: string }[] = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
]

/** localeStorageKey is where the chosen language is remembered. */
export const localeStorageKey = 'campuscharge.locale'

/** KeyValueStore is the part of localStorage the language choice needs. */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>

/** isLocale tells whether v names one of the UI languages. */
export function isLocale(v: unknown): v is Locale {
  return locales.some((l) => l.code === v)
}

/** savedLocale returns the remembered language, zh-CN when none is. */
export function savedLocale(store: KeyValueStore): Locale {
  const s = store.getItem(localeStorageKey)
  return isLocale(s) ? s : 'zh-CN'
}

/** createAppI18n returns the i18n plugin starting in the remembered language. */
export function createAppI18n(store: KeyValueStore) {
  return createI18n<[MessageSchema & ConsoleMessageSchema], Locale, false>({
    legacy: false,
    locale: savedLocale(store),
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': { ...zhCN, ...consoleZhCN }, en: { ...en, ...consoleEn } },
  })
}

/** AppI18n is the i18n instance returned by createAppI18n. */
export type AppI18n = ReturnType<typeof createAppI18n>

/** setLocale switches the UI language held by current and remembers it in store. */
export function setLocale(current: { value: string }, store: KeyValueStore, locale: Locale): void {
  current.value = locale
  store.setItem(localeStorageKey, locale)
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}
