import { describe, expect, it } from 'vitest'
import { billKindTag, refundTag } from './status'

describe('refundTag', () => {
  const cases: [string, string][] = [
    ['refunded', 'success'],
    ['refund_failed', 'danger'],
    ['refunding', 'warning'],
    ['something_new', 'info'],
  ]
  for (const [state, want] of cases) {
    it(`${state} is ${want}`, () => expect(refundTag(state)).toBe(want))
  }
})

describe('billKindTag', () => {
  it('tells fee bills from session bills', () => {
    expect(billKindTag('reservation')).toBe('warning')
    expect(billKindTag('session')).toBe('primary')
  })
})
