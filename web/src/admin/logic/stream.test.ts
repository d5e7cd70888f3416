import { describe, expect, it } from 'vitest'
import type { LiveEvent } from '@/shared/events'
import { connectStream } from './stream'

/** fakeSource records listeners so a test can play events into them. */
class FakeSource {
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  closed = false
  listeners = new Map<string, ((m: MessageEvent<string>) => void)[]>()
  addEventListener(type: string, fn: (m: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn])
  }
  emit(type: string, data: string): void {
    for (const fn of this.listeners.get(type) ?? []) fn({ data } as MessageEvent<string>)
  }
  close(): void {
    this.closed = true
  }
}

describe('connectStream', () => {
  it('passes the asked types, skips junk, resyncs on a gap and on every (re)open', () => {
    const src = new FakeSource()
    const got: string[] = []
    let resyncs = 0
    const close = connectStream(['chat.message'], { onEvent: (e: LiveEvent) => got.push(`${e.type}:${e.at}`), onResync: () => resyncs++ }, '/x', () => src as unknown as EventSource)
    src.emit('chat.message', JSON.stringify({ at: 't1' }))
    src.emit('chat.message', 'not json')
    src.emit('alarm.raised', JSON.stringify({ at: 't2' }))
    src.emit('gap', '')
    src.onopen?.()
    src.onerror?.()
    src.onopen?.()
    close()
    expect({ got, resyncs, closed: src.closed }).toEqual({ got: ['chat.message:t1'], resyncs: 3, closed: true })
  })
})
