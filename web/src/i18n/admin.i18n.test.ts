import { describe, expect, it } from 'vitest'
import consoleEn from './admin.en'
import consoleZhCN from './admin.zh-CN'
import { createAppI18n } from '.'

function leaves(obj: object, prefix = ''): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]): [string, unknown][] =>
    v !== null && typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v]],
  )
}

describe('console messages', () => {
  it('both locales have the same keys', () => {
    expect(leaves(consoleEn).map(([k]) => k).sort()).toEqual(leaves(consoleZhCN).map(([k]) => k).sort())
  })

  it('placeholders match between locales', () => {
    const names = (s: unknown) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    const enByKey = new Map(leaves(consoleEn))
    const diff = leaves(consoleZhCN)
      .filter(([k, v]) => JSON.stringify(names(v)) !== JSON.stringify(names(enByKey.get(k))))
      .map(([k]) => k)
    expect(diff).toEqual([])
  })

  it('are merged into the app messages', () => {
    const i18n = createAppI18n({ getItem: () => 'en', setItem: () => undefined })
    expect(i18n.global.t('console.menu.dashboard')).toBe('Dashboard')
    expect(i18n.global.t('admin.menu.users')).toBe('Users')
  })
})
