import { describe, expect, it } from 'vitest'
import { createAppI18n, localeStorageKey, savedLocale, setLocale, type KeyValueStore } from '.'
import en from './en'
import zhCN from './zh-CN'

/** leaves lists the dotted key of every message and its text. */
function leaves(obj: object, prefix = ''): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]): [string, unknown][] =>
    v !== null && typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v]],
  )
}

function memoryStore(init: Record<string, string> = {}): KeyValueStore & { data: Record<string, string> } {
  const data = { ...init }
  return {
    data,
    getItem: (k) => data[k] ?? null,
    setItem: (k, v) => {
      data[k] = v
    },
  }
}

describe('messages', () => {
  it('both locales have the same keys', () => {
    const zhKeys = leaves(zhCN).map(([k]) => k).sort()
    const enKeys = leaves(en).map(([k]) => k).sort()
    expect(enKeys).toEqual(zhKeys)
  })

  for (const [name, msgs] of [['zh-CN', zhCN], ['en', en]] as const) {
    it(`${name} has no empty messages`, () => {
      const empty = leaves(msgs).filter(([, v]) => typeof v !== 'string' || v.trim() === '')
      expect(empty).toEqual([])
    })
  }

  it('placeholders match between locales', () => {
    const names = (s: unknown) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    const enByKey = new Map(leaves(en))
    const diff = leaves(zhCN)
      .filter(([k, v]) => JSON.stringify(names(v)) !== JSON.stringify(names(enByKey.get(k))))
      .map(([k]) => k)
    expect(diff).toEqual([])
  })
})

describe('locale choice', () => {
  const cases: { name: string; saved: Record<string, string>; want: string }[] = [
    { name: 'nothing saved means zh-CN', saved: {}, want: 'zh-CN' },
    { name: 'a saved en is kept', saved: { [localeStorageKey]: 'en' }, want: 'en' },
    { name: 'an unknown saved value means zh-CN', saved: { [localeStorageKey]: 'fr' }, want: 'zh-CN' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(savedLocale(memoryStore(tc.saved))).toBe(tc.want)
    })
  }

  it('setLocale switches the messages and remembers the choice', () => {
    const store = memoryStore()
    const i18n = createAppI18n(store)
    expect(i18n.global.t('common.logout')).toBe('退出登录')
    setLocale(i18n.global.locale, store, 'en')
    expect(i18n.global.t('common.logout')).toBe('Log out')
    expect(store.data[localeStorageKey]).toBe('en')
    expect(createAppI18n(store).global.locale.value).toBe('en')
  })
})
