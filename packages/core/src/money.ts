import { type CurrencyCode, currency as checkCurrency, exponentOf } from './currency.js'
import { MitraError } from './errors.js'
import { divideRounded, type RoundingMode } from './rounding.js'

/**
 * An exact amount: whole minor units (a safe integer, never a float) with its currency.
 * A plain frozen object so it serialises to the API's `{ amount, currency }` as it is.
 */
export interface Money {
  readonly amount: number
  readonly currency: CurrencyCode
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * Brings a bigint result back to a safe integer. Products and sums are computed in bigint
 * and only then checked, so an overflow is reported instead of silently losing precision.
 */
export function toSafeInteger(value: bigint, what = 'amount'): number {
  if (value > MAX || value < -MAX) {
    throw new MitraError(
      'amount_overflow',
      `The ${what} ${value} is beyond ±${Number.MAX_SAFE_INTEGER} minor units`,
    )
  }
  return Number(value)
}

function checkMinorUnits(amount: number | bigint): number {
  if (typeof amount === 'bigint') return toSafeInteger(amount)
  if (!Number.isFinite(amount)) {
    throw new MitraError('invalid_amount', `Amount ${amount} is not a finite number`)
  }
  if (!Number.isInteger(amount)) {
    throw new MitraError(
      'amount_precision',
      `Amount ${amount} is not a whole number of minor units`,
    )
  }
  if (!Number.isSafeInteger(amount)) {
    throw new MitraError(
      'amount_overflow',
      `Amount ${amount} is beyond ±${Number.MAX_SAFE_INTEGER} minor units`,
    )
  }
  // Normalise -0 so equal amounts compare and serialise equal.
  return amount === 0 ? 0 : amount
}

/**
 * Creates an amount from minor units (rupiah for IDR, cents for USD).
 *
 * @example
 * money(150000, 'IDR') // Rp150.000
 * money(1999, 'USD')   // $19.99
 */
export function money(amount: number | bigint, currency: CurrencyCode | string): Money {
  return Object.freeze({ amount: checkMinorUnits(amount), currency: checkCurrency(currency) })
}

export function zero(currency: CurrencyCode | string): Money {
  return money(0, currency)
}

function sameCurrency(a: Money, b: Money, operation: string): void {
  if (a.currency !== b.currency) {
    throw new MitraError(
      'currency_mismatch',
      `Cannot ${operation} ${b.currency} and ${a.currency} amounts`,
    )
  }
}

export function add(first: Money, ...rest: Money[]): Money {
  let total = BigInt(first.amount)
  for (const next of rest) {
    sameCurrency(first, next, 'add')
    total += BigInt(next.amount)
  }
  return money(total, first.currency)
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b, 'subtract')
  return money(BigInt(a.amount) - BigInt(b.amount), a.currency)
}

export function negate(a: Money): Money {
  return money(-a.amount, a.currency)
}

/** Σ of amounts; an empty list is zero in `currency`. */
export function sum(amounts: readonly Money[], currency: CurrencyCode | string): Money {
  const code = checkCurrency(currency)
  return amounts.reduce<Money>((acc, m) => add(acc, m), zero(code))
}

/** Unit price × quantity. The quantity must be a whole number. */
export function multiply(a: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) {
    throw new MitraError('invalid_amount', `Quantity ${quantity} is not a whole number`)
  }
  return money(BigInt(a.amount) * BigInt(quantity), a.currency)
}

/**
 * A share of an amount in basis points (10000 = 100 %), rounded with an explicit mode.
 * For splitting a total into parts that must add up, use `allocate` instead.
 *
 * @example
 * percentage(money(150000, 'IDR'), 2_000, 'half_up') // 20 % → Rp30.000
 */
export function percentage(a: Money, basisPoints: number, mode: RoundingMode): Money {
  if (!Number.isSafeInteger(basisPoints)) {
    throw new MitraError('invalid_amount', `Basis points ${basisPoints} must be a whole number`)
  }
  return money(divideRounded(BigInt(a.amount) * BigInt(basisPoints), 10_000n, mode), a.currency)
}

/** −1, 0 or 1; only amounts of one currency compare. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b, 'compare')
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0
}

export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amount === b.amount
}

export function isZero(a: Money): boolean {
  return a.amount === 0
}

export function isNegative(a: Money): boolean {
  return a.amount < 0
}

export function isPositive(a: Money): boolean {
  return a.amount > 0
}

export function min(a: Money, b: Money): Money {
  return compare(a, b) <= 0 ? a : b
}

export function max(a: Money, b: Money): Money {
  return compare(a, b) >= 0 ? a : b
}

/** The amount in major units as an exact decimal string: `1999 USD` → `"19.99"`. */
export function toDecimalString(a: Money): string {
  const exponent = exponentOf(a.currency)
  const digits = Math.abs(a.amount).toString()
  const sign = a.amount < 0 ? '-' : ''
  if (exponent === 0) return sign + digits
  const padded = digits.padStart(exponent + 1, '0')
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`
}
