import { isMitraError, type MitraError, money } from '@mitra/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  defaultFeeSchedule,
  type FeeRule,
  type FeeSchedule,
  merchantClasses,
  parseFeeSchedule,
  paymentFeeOf,
  paymentMethods,
} from './fees.js'

const RUNS = 2_000
const idr = (amount: number) => money(amount, 'IDR')
const fee = (...args: Parameters<typeof paymentFeeOf>) => paymentFeeOf(...args).amount

function errorOf(run: () => unknown): MitraError {
  try {
    run()
  } catch (error) {
    if (isMitraError(error)) return error
    throw error
  }
  throw new Error('expected a MitraError')
}

const anyRule: fc.Arbitrary<FeeRule> = fc.record({
  bps: fc.integer({ min: 0, max: 10_000 }),
  flat: fc.integer({ min: 0, max: 50_000 }),
  free_up_to: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000_000 })),
})
/** Any schedule `parseFeeSchedule` accepts, within rates a provider could charge. */
const anySchedule: fc.Arbitrary<FeeSchedule> = fc
  .record({
    regular: anyRule,
    umi: anyRule,
    virtual_account: anyRule,
    card: anyRule,
    ewallet: anyRule,
  })
  .map(({ regular, umi, ...rest }) => parseFeeSchedule({ qris: { regular, umi }, ...rest }))
const anyMethod = fc.constantFrom(...paymentMethods)
const anyClass = fc.constantFrom(...merchantClasses)
/** Up to Rp10 trillion, with small amounts (where rounding and the cap bite) well covered. */
const anyAmount = fc.oneof(
  fc.integer({ min: 0, max: 1_000 }),
  fc.integer({ min: 0, max: 10_000_000 }),
  fc.integer({ min: 0, max: 10_000_000_000_000 }),
)

describe('paymentFeeOf with the default schedule', () => {
  it('charges QRIS 0.7 %, rounded half up to whole rupiah', () => {
    expect(paymentFeeOf(defaultFeeSchedule, 'qris', idr(270_000))).toEqual(idr(1_890))
    expect(fee(defaultFeeSchedule, 'qris', idr(500))).toBe(4) // 3.5 → 4
    expect(fee(defaultFeeSchedule, 'qris', idr(499))).toBe(3) // 3.493 → 3
    expect(fee(defaultFeeSchedule, 'qris', idr(71))).toBe(0) // 0.497 → 0
    expect(fee(defaultFeeSchedule, 'qris', idr(72))).toBe(1) // 0.504 → 1
    expect(fee(defaultFeeSchedule, 'qris', idr(0))).toBe(0)
  })

  it('charges a micro merchant (UMi) nothing up to Rp100.000 and 0.3 % of the whole payment above', () => {
    const umi = { merchantClass: 'umi' as const }
    expect(fee(defaultFeeSchedule, 'qris', idr(100_000), umi)).toBe(0)
    expect(fee(defaultFeeSchedule, 'qris', idr(99_999), umi)).toBe(0)
    expect(fee(defaultFeeSchedule, 'qris', idr(100_001), umi)).toBe(300) // 300.003
    expect(fee(defaultFeeSchedule, 'qris', idr(150_000), umi)).toBe(450)
    expect(fee(defaultFeeSchedule, 'qris', idr(150_000), { merchantClass: 'regular' })).toBe(1_050)
    // The merchant class is a QRIS matter: other methods cost the same.
    expect(fee(defaultFeeSchedule, 'card', idr(150_000), umi)).toBe(6_350)
  })

  it('charges a virtual account Rp4.000 flat, a card 2.9 % + Rp2.000, an e-wallet 2 %', () => {
    expect(fee(defaultFeeSchedule, 'virtual_account', idr(270_000))).toBe(4_000)
    expect(fee(defaultFeeSchedule, 'virtual_account', idr(10_000_000))).toBe(4_000)
    expect(fee(defaultFeeSchedule, 'card', idr(150_000))).toBe(6_350)
    expect(fee(defaultFeeSchedule, 'card', idr(15_517))).toBe(2_450) // 449.993 + 2000
    expect(fee(defaultFeeSchedule, 'ewallet', idr(125_000))).toBe(2_500)
    expect(fee(defaultFeeSchedule, 'ewallet', idr(25))).toBe(1) // 0.5 → 1
  })

  it('never takes more than the payment', () => {
    expect(paymentFeeOf(defaultFeeSchedule, 'virtual_account', idr(3_000))).toEqual(idr(3_000))
    expect(fee(defaultFeeSchedule, 'card', idr(1_500))).toBe(1_500)
    expect(fee(defaultFeeSchedule, 'card', idr(0))).toBe(0)
  })

  it('refuses another currency, a negative amount and an unknown method or class', () => {
    expect(
      errorOf(() => paymentFeeOf(defaultFeeSchedule, 'qris', money(1_000, 'USD'))),
    ).toMatchObject({
      code: 'currency_mismatch',
    })
    expect(errorOf(() => paymentFeeOf(defaultFeeSchedule, 'qris', idr(-1)))).toMatchObject({
      code: 'invalid_amount',
    })
    const method = errorOf(() => paymentFeeOf(defaultFeeSchedule, 'paypal' as 'card', idr(1)))
    expect(method).toMatchObject({ code: 'validation_failed', status: 422 })
    expect(method.errors[0]?.path).toBe('method')
    const merchantClass = errorOf(() =>
      paymentFeeOf(defaultFeeSchedule, 'qris', idr(1), { merchantClass: 'big' as 'umi' }),
    )
    expect(merchantClass.errors[0]?.path).toBe('merchant_class')
  })
})

describe('paymentFeeOf, for any schedule', () => {
  it('is whole, never negative and never more than the amount', () => {
    fc.assert(
      fc.property(
        anySchedule,
        anyMethod,
        anyClass,
        anyAmount,
        (schedule, method, merchantClass, amount) => {
          const charged = fee(schedule, method, idr(amount), { merchantClass })
          expect(Number.isSafeInteger(charged)).toBe(true)
          expect(charged).toBeGreaterThanOrEqual(0)
          expect(charged).toBeLessThanOrEqual(amount)
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('is the exact fee rounded half up, capped at the amount, and 0 up to the free threshold', () => {
    fc.assert(
      fc.property(
        anySchedule,
        anyMethod,
        anyClass,
        anyAmount,
        (schedule, method, merchantClass, amount) => {
          const rule = method === 'qris' ? schedule.qris[merchantClass] : schedule[method]
          // The exact fee is amount × bps / 10 000 + flat; half up is ⌊exact + ½⌋ for exact ≥ 0.
          const rounded = (BigInt(amount) * BigInt(rule.bps) * 2n + 10_000n) / 20_000n
          const expected =
            amount <= rule.free_up_to ? 0 : Math.min(amount, Number(rounded) + rule.flat)
          expect(fee(schedule, method, idr(amount), { merchantClass })).toBe(expected)
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('never charges a larger payment less', () => {
    fc.assert(
      fc.property(
        anySchedule,
        anyMethod,
        anyClass,
        anyAmount,
        anyAmount,
        (schedule, method, merchantClass, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a]
          const options = { merchantClass }
          expect(fee(schedule, method, idr(low), options)).toBeLessThanOrEqual(
            fee(schedule, method, idr(high), options),
          )
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('charges a UMi QRIS payment nothing at or below Rp100.000 with the default schedule', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (amount) => {
        expect(fee(defaultFeeSchedule, 'qris', idr(amount), { merchantClass: 'umi' })).toBe(0)
      }),
      { numRuns: RUNS },
    )
    fc.assert(
      fc.property(fc.integer({ min: 100_001, max: 10_000_000_000 }), (amount) => {
        const charged = fee(defaultFeeSchedule, 'qris', idr(amount), { merchantClass: 'umi' })
        expect(charged).toBe(Number((BigInt(amount) * 30n * 2n + 10_000n) / 20_000n))
        expect(charged).toBeLessThanOrEqual(
          fee(defaultFeeSchedule, 'qris', idr(amount), { merchantClass: 'regular' }),
        )
      }),
      { numRuns: RUNS },
    )
  })
})

describe('parseFeeSchedule', () => {
  it('accepts the default schedule as it is, and fills left-out parts of a rule with 0', () => {
    expect(parseFeeSchedule(defaultFeeSchedule)).toEqual(defaultFeeSchedule)
    const parsed = parseFeeSchedule({
      qris: { regular: { bps: 70 }, umi: { bps: 30, free_up_to: 100_000 } },
      virtual_account: { flat: 4_000 },
      card: { bps: 290, flat: 2_000 },
      ewallet: { bps: 200 },
    })
    expect(parsed).toEqual(defaultFeeSchedule)
  })

  it('refuses a bad schedule with a 422 naming each failing field', () => {
    const bad = {
      ...defaultFeeSchedule,
      card: { bps: 29.5, flat: -2_000 },
      ewallet: { bps: 10_001 },
      qris: { regular: { bps: 70 } },
      bank: { flat: 1 },
    }
    const error = errorOf(() => parseFeeSchedule(bad, 'MITRA_PAYMENT_FEES'))
    expect(error).toMatchObject({ code: 'validation_failed', status: 422 })
    expect(error.errors.map((e) => e.path).sort()).toEqual([
      // The unknown key is named itself.
      'MITRA_PAYMENT_FEES.bank',
      'MITRA_PAYMENT_FEES.card.bps',
      'MITRA_PAYMENT_FEES.card.flat',
      'MITRA_PAYMENT_FEES.ewallet.bps',
      'MITRA_PAYMENT_FEES.qris.umi',
    ])
    expect(
      errorOf(() => parseFeeSchedule({ ...defaultFeeSchedule, currency: 'XYZ' })).errors[0]?.path,
    ).toBe('fee_schedule.currency')
  })
})
