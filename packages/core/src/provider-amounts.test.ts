import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { MitraError } from './errors.js'
import { money } from './money.js'
import {
  fromMidtransAmount,
  fromStripeAmount,
  toMidtransAmount,
  toStripeAmount,
} from './provider-amounts.js'

const codeOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return (error as MitraError).code
  }
  return 'none'
}

describe('provider amounts', () => {
  it('converts IDR to Stripe two-decimal units and back', () => {
    expect(toStripeAmount(money(150_000, 'IDR'))).toBe(15_000_000)
    expect(fromStripeAmount(15_000_000, 'idr')).toEqual(money(150_000, 'IDR'))
    expect(toStripeAmount(money(1999, 'USD'))).toBe(1999)
    expect(toStripeAmount(money(500, 'JPY'))).toBe(500)
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 45 }),
        fc.constantFrom('IDR', 'USD', 'JPY', 'EUR'),
        (a, c) => {
          const m = money(a, c)
          expect(fromStripeAmount(toStripeAmount(m), c.toLowerCase())).toEqual(m)
        },
      ),
      { numRuns: 1_000 },
    )
  })

  it('refuses Stripe IDR amounts that are not whole rupiah and amounts that overflow', () => {
    expect(codeOf(() => fromStripeAmount(150, 'idr'))).toBe('amount_precision')
    expect(codeOf(() => fromStripeAmount(1.5, 'usd'))).toBe('invalid_amount')
    expect(codeOf(() => fromStripeAmount(100, 'xyz'))).toBe('unknown_currency')
    expect(codeOf(() => toStripeAmount(money(Number.MAX_SAFE_INTEGER, 'IDR')))).toBe(
      'amount_overflow',
    )
  })

  it('takes whole rupiah for Midtrans and reads its gross_amount text', () => {
    expect(toMidtransAmount(money(150_000, 'IDR'))).toBe(150_000)
    expect(fromMidtransAmount('150000.00')).toEqual(money(150_000, 'IDR'))
    expect(fromMidtransAmount('150000')).toEqual(money(150_000, 'IDR'))
    expect(codeOf(() => fromMidtransAmount('150000.50'))).toBe('amount_precision')
    expect(codeOf(() => fromMidtransAmount('1e5'))).toBe('invalid_amount')
    expect(codeOf(() => toMidtransAmount(money(100, 'USD')))).toBe('currency_mismatch')
  })
})
