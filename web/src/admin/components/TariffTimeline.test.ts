import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import type { Period } from '@/api/admin'
import { createAppI18n } from '@/i18n'
import TariffTimeline from './TariffTimeline.vue'

const day: Period[] = [
  { name: 'valley', start_minute: 0, end_minute: 480, energy_price: 3000, service_price: 4000 },
  { name: 'peak', start_minute: 480, end_minute: 1440, energy_price: 12000, service_price: 4000 },
]

function mountTimeline(readonly = false) {
  const i18n = createAppI18n({ getItem: () => 'en', setItem: () => undefined })
  return mount(TariffTimeline, {
    props: { modelValue: day, readonly },
    global: { plugins: [i18n] },
  })
}

describe('TariffTimeline', () => {
  it('draws one segment per period, as wide as its share of the day', () => {
    const w = mountTimeline(true)
    const segs = w.findAll('[data-testid="timeline-segment"]')
    expect(segs.map((s) => s.attributes('style'))).toEqual([
      expect.stringContaining('width: 33.3333'),
      expect.stringContaining('width: 66.6666'),
    ])
    expect(w.find('[role="slider"]').exists(), 'got a handle on a read-only timeline').toBe(false)
  })

  const cases = [
    { key: 'ArrowRight', want: 495 },
    { key: 'ArrowLeft', want: 465 },
  ]
  for (const tc of cases) {
    it(`${tc.key} moves the boundary by 15 minutes`, async () => {
      const w = mountTimeline()
      const handle = w.get('[role="slider"]')
      expect(handle.attributes('aria-valuetext')).toBe('08:00')
      await handle.trigger('keydown', { key: tc.key })
      const emitted = w.emitted('update:modelValue')?.[0]?.[0] as Period[] | undefined
      const got = emitted?.map((s) => [s.start_minute, s.end_minute])
      expect(got, `got ${JSON.stringify(got)}`).toEqual([
        [0, tc.want],
        [tc.want, 1440],
      ])
    })
  }
})
