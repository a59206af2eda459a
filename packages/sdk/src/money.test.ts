import { expect, it } from 'vitest'
import { formatMoney } from './money.js'

it('writes money as mitra does everywhere: Rp350.000, IDR 350,000 in English, exact cents', () => {
  expect(formatMoney({ amount: 350_000, currency: 'IDR' })).toBe('Rp350.000')
  expect(formatMoney({ amount: 1_050_000, currency: 'IDR' }, 'en')).toBe('IDR 1,050,000')
  expect(formatMoney({ amount: -1999, currency: 'USD' }, 'en-US')).toBe('-USD 19.99')
  expect(formatMoney({ amount: 5, currency: 'USD' }, 'en-US')).toBe('USD 0.05')
  expect(() => formatMoney({ amount: 1, currency: 'XXX' })).toThrow(/not supported/)
})
