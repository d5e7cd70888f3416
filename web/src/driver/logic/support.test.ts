import { describe, expect, it } from 'vitest'
import type { ChatMessage, Feedback } from '@/api'
import { dataUrlBytes, fitWithin, mergeMessages, shrinkToFit, upsertFeedback, type PhotoAttempt } from './support'

function msg(id: string, at: string, body = id): ChatMessage {
  return { id, user_id: 'u', sender_id: 'u', sender_name: '', from_staff: false, body, created_at: at }
}

function fb(id: string, updated: string, p: Partial<Feedback> = {}): Feedback {
  return {
    id,
    user_id: 'u',
    category: 'other',
    body: id,
    charger_id: '',
    bill_id: '',
    status: 'open',
    photo_count: 0,
    reply_count: 0,
    created_at: updated,
    updated_at: updated,
    closed_at: '',
    ...p,
  }
}

describe('mergeMessages', () => {
  it('keeps each message once, oldest first, the later copy winning', () => {
    const shown = [msg('b', '2026-03-01T08:02:00Z'), msg('c', '2026-03-01T08:03:00Z')]
    const older = [msg('a', '2026-03-01T08:01:00Z'), msg('b', '2026-03-01T08:02:00Z', 'b2')]
    const got = mergeMessages(shown, older).map((m) => `${m.id}:${m.body}`)
    expect(got).toEqual(['a:a', 'b:b2', 'c:c'])
  })

  it('orders same-time messages by id', () => {
    const got = mergeMessages([msg('y', '2026-03-01T08:00:00Z')], [msg('x', '2026-03-01T08:00:00Z')]).map((m) => m.id)
    expect(got).toEqual(['x', 'y'])
  })
})

describe('upsertFeedback', () => {
  it('moves a ticket with news to the top and adds new ones', () => {
    let list = [fb('a', '2026-03-01T08:00:00Z'), fb('b', '2026-03-01T07:00:00Z')]
    list = upsertFeedback(list, fb('b', '2026-03-01T09:00:00Z', { status: 'answered' }))
    expect(list.map((f) => `${f.id}:${f.status}`)).toEqual(['b:answered', 'a:open'])
    list = upsertFeedback(list, fb('c', '2026-03-01T10:00:00Z'))
    expect(list.map((f) => f.id)).toEqual(['c', 'b', 'a'])
  })
})

describe('photo sizes', () => {
  it('dataUrlBytes counts decoded bytes', () => {
    const cases: [string, number][] = [
      ['data:image/jpeg;base64,' + btoa('abc'), 3],
      ['data:image/jpeg;base64,' + btoa('abcd'), 4],
      ['data:image/jpeg;base64,' + btoa('abcde'), 5],
      [btoa('x'.repeat(1000)), 1000],
      ['', 0],
    ]
    for (const [url, want] of cases) expect(dataUrlBytes(url), `dataUrlBytes(${url.slice(0, 40)})`).toBe(want)
  })

  it('fitWithin scales the long side down and keeps small images', () => {
    expect(fitWithin(4000, 3000, 1920)).toEqual({ width: 1920, height: 1440 })
    expect(fitWithin(3000, 4000, 1600)).toEqual({ width: 1200, height: 1600 })
    expect(fitWithin(800, 600, 1920)).toEqual({ width: 800, height: 600 })
  })

  it('shrinkToFit returns the first encoding small enough', async () => {
    const tried: number[] = []
    // A fake encoder whose output shrinks with the side: side/10 bytes.
    const encode = async (a: PhotoAttempt) => {
      tried.push(a.maxSide)
      return 'data:image/jpeg;base64,' + btoa('x'.repeat(a.maxSide / 10))
    }
    const got = await shrinkToFit(encode, 130)
    expect(tried).toEqual([1920, 1600, 1280])
    expect(dataUrlBytes(got ?? '')).toBe(128)
  })

  it('shrinkToFit gives up when nothing fits or the photo cannot be drawn', async () => {
    expect(await shrinkToFit(async () => 'data:image/jpeg;base64,' + btoa('x'.repeat(100)), 10)).toBeNull()
    expect(await shrinkToFit(async () => '', 10)).toBeNull()
  })
})
