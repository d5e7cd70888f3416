import { describe, expect, it } from 'vitest'
import { startUrl, stickerFileName } from './sticker'

describe('startUrl', () => {
  const cases = [
    { name: 'base url', base: 'https://charge.example.edu', want: 'https://charge.example.edu/start/CP-01' },
    { name: 'trailing slash', base: 'https://charge.example.edu/', want: 'https://charge.example.edu/start/CP-01' },
    { name: 'no base: the page origin', base: '', want: 'http://127.0.0.1:8080/start/CP-01' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = startUrl(tc.base, 'CP-01', 'http://127.0.0.1:8080')
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }

  it('escapes the charge point id', () => {
    expect(startUrl('https://x', 'a b/c', '')).toBe('https://x/start/a%20b%2Fc')
  })

  it('names the file safely', () => {
    expect(stickerFileName('北门 01/A')).toBe('charger-_01_A.png')
  })
})
