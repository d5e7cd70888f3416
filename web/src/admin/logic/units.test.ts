import { describe, expect, it } from 'vitest'
import { csvCell, parseDecimal, priceYuan, signedYuan, toCsv, yuanToFen, yuanToPrice } from './units'

describe('parsing amounts', () => {
  const cases = [
    { name: 'yuan to fen', got: () => yuanToFen('12.3'), want: 1230 },
    { name: 'whole yuan', got: () => yuanToFen('5'), want: 500 },
    { name: 'leading dot', got: () => yuanToFen('.5'), want: 50 },
    { name: 'no float error', got: () => yuanToFen('0.29'), want: 29 },
    { name: 'too many decimals', got: () => yuanToFen('1.234'), want: null },
    { name: 'negative refused by default', got: () => yuanToFen('-1'), want: null },
    { name: 'negative when allowed', got: () => yuanToFen('-1.5', true), want: -150 },
    { name: 'empty', got: () => yuanToFen(''), want: null },
    { name: 'junk', got: () => yuanToFen('1,5'), want: null },
    { name: 'price in yuan per kWh', got: () => yuanToPrice('1.2345'), want: 12345 },
    { name: 'price no float error', got: () => yuanToPrice('0.5869'), want: 5869 },
    { name: 'zero places', got: () => parseDecimal('42', 0), want: 42 },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = tc.got()
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }
})

describe('showing amounts', () => {
  const cases = [
    { name: 'price two decimals at least', got: () => priceYuan(8000), want: '0.80' },
    { name: 'price four decimals', got: () => priceYuan(12345), want: '1.2345' },
    { name: 'price trims zeros', got: () => priceYuan(12340), want: '1.234' },
    { name: 'price zero', got: () => priceYuan(0), want: '0.00' },
    { name: 'signed up', got: () => signedYuan(100), want: '+1.00' },
    { name: 'signed down', got: () => signedYuan(-50), want: '-0.50' },
    { name: 'signed zero', got: () => signedYuan(0), want: '0.00' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      const got = tc.got()
      expect(got, `got ${got}, want ${tc.want}`).toBe(tc.want)
    })
  }

  it('round-trips every price typed with four decimals', () => {
    for (let p = 0; p <= 30000; p += 7) {
      const got = yuanToPrice(priceYuan(p))
      if (got !== p) expect.fail(`got ${got} from ${priceYuan(p)}, want ${p}`)
    }
  })
})

describe('csv', () => {
  const cases = [
    { name: 'plain', in: 'abc', want: 'abc' },
    { name: 'comma', in: 'a,b', want: '"a,b"' },
    { name: 'quote', in: 'say "hi"', want: '"say ""hi"""' },
    { name: 'number', in: 12, want: '12' },
  ]
  for (const tc of cases) {
    it(tc.name, () => {
      expect(csvCell(tc.in)).toBe(tc.want)
    })
  }

  it('joins rows with a BOM and CRLF', () => {
    expect(toCsv(['站点', 'kWh'], [['北门', 1.5]])).toBe('\ufeff站点,kWh\r\n北门,1.5\r\n')
  })
})
