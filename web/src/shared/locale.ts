import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { isLocale, locales, setLocale, type Locale } from '@/i18n'

/** useLocale gives a language switch its current language, the choices and a setter that ignores unknown values. */
export function useLocale() {
  const { locale } = useI18n({ useScope: 'global' })
  return {
    locale: computed(() => locale.value as Locale),
    locales,
    set: (l: unknown) => {
      if (isLocale(l)) setLocale(locale, window.localStorage, l)
    },
  }
}
