import {
  add,
  basisPointsSchema,
  type CurrencyCode,
  currencyCodeSchema,
  fieldError,
  MitraError,
  type Money,
  min,
  money,
  parseInput,
  percentage,
  zero,
} from '@mitra/core'
import { z } from 'zod'

/*
 * What a payment provider keeps of a payment, by payment method, as Indonesian providers
 * charge it. Pure: the demo provider charges it, and a venue's QRIS counter sales are split
 * with it. The buyer always pays the order total; the fee comes out of the sellers' side, as
 * the agreement's split policy says (`payment_fee_bearer`).
 */

/** The methods a buyer can pay with. E-wallets are GoPay, ShopeePay and the like. */
export const paymentMethods = ['qris', 'virtual_account', 'card', 'ewallet'] as const
export type PaymentMethod = (typeof paymentMethods)[number]

/**
 * A QRIS merchant's class. Bank Indonesia sets a lower QRIS rate (MDR) for micro merchants
 * (usaha mikro, UMi) than for everyone else.
 */
export const merchantClasses = ['regular', 'umi'] as const
export type MerchantClass = (typeof merchantClasses)[number]

/**
 * One method's price: `bps` of the amount plus `flat`, and nothing at all on a payment of
 * at most `free_up_to`. Amounts are minor units of the schedule's currency (whole rupiah).
 */
export interface FeeRule {
  /** Basis points of the amount: 70 = 0.7 %. */
  readonly bps: number
  /** Per payment, e.g. Rp4.000 for a virtual account. */
  readonly flat: number
  /** Payments of at most this carry no fee (0: every payment does). */
  readonly free_up_to: number
}

export interface FeeSchedule {
  /** The currency the flat parts and thresholds are in; other currencies are not priced. */
  readonly currency: CurrencyCode
  readonly qris: Readonly<Record<MerchantClass, FeeRule>>
  readonly virtual_account: FeeRule
  readonly card: FeeRule
  readonly ewallet: FeeRule
}

const amountSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

const feeRuleSchema = z.strictObject({
  bps: basisPointsSchema.default(0),
  flat: amountSchema.default(0),
  free_up_to: amountSchema.default(0),
})

/** A fee schedule as given (parts of a rule left out are 0); `parseFeeSchedule` checks it. */
export const feeScheduleSchema = z.strictObject({
  currency: currencyCodeSchema.default('IDR'),
  qris: z.strictObject({ regular: feeRuleSchema, umi: feeRuleSchema }),
  virtual_account: feeRuleSchema,
  card: feeRuleSchema,
  ewallet: feeRuleSchema,
})
export type FeeScheduleInput = z.input<typeof feeScheduleSchema>

/**
 * Indonesian rates: QRIS 0.7 % (micro merchants: 0 % up to Rp100.000, 0.3 % above), a bank
 * virtual account Rp4.000 a payment, cards 2.9 % + Rp2.000, e-wallets 2 %.
 */
export const defaultFeeSchedule: FeeSchedule = {
  currency: 'IDR',
  qris: {
    regular: { bps: 70, flat: 0, free_up_to: 0 },
    umi: { bps: 30, flat: 0, free_up_to: 100_000 },
  },
  virtual_account: { bps: 0, flat: 4_000, free_up_to: 0 },
  card: { bps: 290, flat: 2_000, free_up_to: 0 },
  ewallet: { bps: 200, flat: 0, free_up_to: 0 },
}

/**
 * Checks a fee schedule: a bad one is a 422 `validation_failed` naming each failing field
 * under `path` (e.g. `MITRA_PAYMENT_FEES.card.bps`), so it is refused where it is given.
 */
export function parseFeeSchedule(input: unknown, path = 'fee_schedule'): FeeSchedule {
  return parseInput(feeScheduleSchema, input, path) as FeeSchedule
}

export function isPaymentMethod(value: unknown): value is PaymentMethod {
  return typeof value === 'string' && (paymentMethods as readonly string[]).includes(value)
}

function ruleOf(schedule: FeeSchedule, method: PaymentMethod, merchantClass: MerchantClass) {
  // Callers in plain JavaScript (or a form field) can name anything.
  if (!isPaymentMethod(method)) {
    throw fieldError(
      'method',
      'invalid_value',
      `'${method}' is not one of ${paymentMethods.join(', ')}`,
    )
  }
  if (method !== 'qris') return schedule[method]
  if (!(merchantClasses as readonly string[]).includes(merchantClass)) {
    throw fieldError(
      'merchant_class',
      'invalid_value',
      `'${merchantClass}' is not one of ${merchantClasses.join(', ')}`,
    )
  }
  return schedule.qris[merchantClass]
}

/**
 * What the provider keeps of a payment of `amount` by `method`. The exact fee
 * (amount × bps / 10 000 + flat) is rounded half up to a whole minor unit (whole rupiah),
 * and never exceeds the amount; it is never negative. A larger payment never costs less.
 *
 * @example
 * paymentFeeOf(defaultFeeSchedule, 'qris', money(270_000, 'IDR')) // Rp1.890
 * paymentFeeOf(defaultFeeSchedule, 'qris', money(212_500, 'IDR')) // Rp1.488 (1.487,5 half up)
 * paymentFeeOf(defaultFeeSchedule, 'qris', money(100_000, 'IDR'), { merchantClass: 'umi' }) // Rp0
 * paymentFeeOf(defaultFeeSchedule, 'card', money(150_000, 'IDR')) // Rp6.350
 */
export function paymentFeeOf(
  schedule: FeeSchedule,
  method: PaymentMethod,
  amount: Money,
  options: { merchantClass?: MerchantClass } = {},
): Money {
  if (amount.currency !== schedule.currency) {
    throw new MitraError(
      'currency_mismatch',
      `The fee schedule prices ${schedule.currency} payments, not ${amount.currency}`,
    )
  }
  if (amount.amount < 0) {
    throw new MitraError('invalid_amount', `A payment of ${amount.amount} carries no fee`)
  }
  const rule = ruleOf(schedule, method, options.merchantClass ?? 'regular')
  if (amount.amount <= rule.free_up_to) return zero(amount.currency)
  const fee = add(percentage(amount, rule.bps, 'half_up'), money(rule.flat, amount.currency))
  // A flat fee on a tiny payment would take more than was paid.
  return min(fee, amount)
}
