import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MitraError } from './errors.js'
import {
  add,
  compare,
  equals,
  max,
  min,
  money,
  multiply,
  negate,
  percentage,
  subtract,
  sum,
  toDecimalString,
  zero,
} from './money.js'
import { divideRounded, roundingModes } from './rounding.js'

const runs = { numRuns: 1_000 }
const amount = fc.integer({ min: -(2 ** 40), max: 2 ** 40 })
const idr = (n: number) => money(n, 'IDR')

function errorCode(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof MitraError) return error.code
    throw error
  }
  return 'no error'
}

describe('money arithmetic', () => {
  it('adds and subtracts exactly, as integers', () => {
    fc.assert(
      fc.property(amount, amount, amount, (a, b, c) => {
        expect(add(idr(a), idr(b)).amount).toBe(a + b)
        expect(subtract(add(idr(a), idr(b)), idr(b))).toEqual(idr(a))
        expect(add(add(idr(a), idr(b)), idr(c))).toEqual(add(idr(a), add(idr(b), idr(c))))
        expect(add(idr(a), idr(b))).toEqual(add(idr(b), idr(a)))
        expect(add(idr(a), negate(idr(a)))).toEqual(zero('IDR'))
      }),
      runs,
    )
  })

  it('multiplies by quantity like repeated addition', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 50 }), (a, q) => {
        const repeated = sum(
          Array.from({ length: q }, () => idr(a)),
          'IDR',
        )
        expect(multiply(idr(a), q)).toEqual(repeated)
      }),
      runs,
    )
  })

  it('orders amounts consistently', () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        expect(compare(idr(a), idr(b))).toBe(Math.sign(a - b))
        expect(equals(idr(a), idr(b))).toBe(a === b)
        expect(min(idr(a), idr(b)).amount).toBe(Math.min(a, b))
        expect(max(idr(a), idr(b)).amount).toBe(Math.max(a, b))
      }),
      runs,
    )
  })

  it('takes percentages in basis points with the requested rounding', () => {
    expect(percentage(idr(150_000), 2_000, 'half_up')).toEqual(idr(30_000))
    expect(percentage(idr(12_345), 1_250, 'half_up')).toEqual(idr(1_543)) // 1543.125
    expect(percentage(idr(5), 5_000, 'half_up')).toEqual(idr(3)) // 2.5
    expect(percentage(idr(5), 5_000, 'half_even')).toEqual(idr(2))
    expect(percentage(idr(7), 5_000, 'half_even')).toEqual(idr(4)) // 3.5
    expect(percentage(idr(5), 5_000, 'down')).toEqual(idr(2))
    expect(percentage(idr(5), 5_000, 'up')).toEqual(idr(3))
    expect(percentage(idr(-5), 5_000, 'floor')).toEqual(idr(-3))
    expect(percentage(idr(-5), 5_000, 'ceil')).toEqual(idr(-2))
    expect(percentage(idr(-5), 5_000, 'half_up')).toEqual(idr(-3))
  })

  it('rounds every mode to a neighbour of the exact quotient, in the right direction', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.constantFrom(...roundingModes),
        (n, d, mode) => {
          const q = divideRounded(n, d, mode)
          const floor = n >= 0n ? n / d : -((-n + d - 1n) / d)
          expect(q === floor || q === floor + 1n).toBe(true)
          if (mode === 'floor') expect(q).toBe(floor)
          if (mode === 'ceil') expect(q).toBe(n % d === 0n ? floor : floor + 1n)
          if (mode === 'half_up' || mode === 'half_even') {
            // |q·d − n| ≤ d/2
            const diff = q * d - n
            expect((diff < 0n ? -diff : diff) * 2n <= d).toBe(true)
          }
          expect(
            divideRounded(-n, d, mode === 'floor' ? 'ceil' : mode === 'ceil' ? 'floor' : mode),
          ).toBe(-q)
        },
      ),
      runs,
    )
  })

  it('never holds a float, NaN or an unsafe integer', () => {
    expect(errorCode(() => money(1.5, 'IDR'))).toBe('amount_precision')
    expect(errorCode(() => money(Number.NaN, 'IDR'))).toBe('invalid_amount')
    expect(errorCode(() => money(Number.POSITIVE_INFINITY, 'IDR'))).toBe('invalid_amount')
    expect(errorCode(() => money(2 ** 53, 'IDR'))).toBe('amount_overflow')
    expect(errorCode(() => money(2n ** 53n, 'IDR'))).toBe('amount_overflow')
    expect(errorCode(() => add(idr(Number.MAX_SAFE_INTEGER), idr(1)))).toBe('amount_overflow')
    expect(errorCode(() => multiply(idr(2 ** 30), 2 ** 30))).toBe('amount_overflow')
    expect(errorCode(() => multiply(idr(1), 1.5))).toBe('invalid_amount')
    expect(money(-0, 'IDR').amount).toBe(0)
    expect(Object.is(money(-0, 'IDR').amount, 0)).toBe(true)
  })

  it('refuses unknown and mixed currencies', () => {
    expect(errorCode(() => money(1, 'XYZ'))).toBe('unknown_currency')
    expect(errorCode(() => money(1, 'idr'))).toBe('unknown_currency')
    expect(errorCode(() => add(idr(1), money(1, 'USD')))).toBe('currency_mismatch')
    expect(errorCode(() => subtract(idr(1), money(1, 'USD')))).toBe('currency_mismatch')
    expect(errorCode(() => compare(idr(1), money(1, 'USD')))).toBe('currency_mismatch')
  })

  it('is immutable', () => {
    const m = idr(5)
    expect(Object.isFrozen(m)).toBe(true)
  })

  it('writes exact decimal strings', () => {
    expect(toDecimalString(money(1999, 'USD'))).toBe('19.99')
    expect(toDecimalString(money(5, 'USD'))).toBe('0.05')
    expect(toDecimalString(money(-105, 'EUR'))).toBe('-1.05')
    expect(toDecimalString(idr(150_000))).toBe('150000')
    expect(toDecimalString(money(Number.MAX_SAFE_INTEGER, 'USD'))).toBe('90071992547409.91')
  })
})
