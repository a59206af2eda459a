import type { CurrencyCode } from './currency.js'
import { MitraError } from './errors.js'
import { type Money, money, toSafeInteger } from './money.js'

/**
 * Currencies Stripe treats as zero-decimal. Every other currency we support is two-decimal
 * in Stripe's API — including IDR, where Stripe's 100 is Rp1.
 */
const stripeZeroDecimal = new Set<string>([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
])

function stripeFactor(currency: CurrencyCode): bigint {
  if (stripeZeroDecimal.has(currency)) return 1n
  // Our exponent is 2 for every other supported currency except IDR (0): scale up to 2.
  return currency === 'IDR' ? 100n : 1n
}

/** Our minor units → Stripe's `amount` / `unit_amount` integer. */
export function toStripeAmount(amount: Money): number {
  return toSafeInteger(BigInt(amount.amount) * stripeFactor(amount.currency), 'Stripe amount')
}

/**
 * Stripe's integer back to our minor units. Stripe reports `currency` in lower case.
 * A Stripe IDR amount that is not whole rupiah cannot come from us and is rejected.
 */
export function fromStripeAmount(stripeAmount: number, stripeCurrency: string): Money {
  const code = stripeCurrency.toUpperCase()
  if (!Number.isSafeInteger(stripeAmount)) {
    throw new MitraError('invalid_amount', `Stripe amount ${stripeAmount} is not an integer`)
  }
  const factor = stripeFactor(money(0, code).currency)
  if (BigInt(stripeAmount) % factor !== 0n) {
    throw new MitraError(
      'amount_precision',
      `Stripe amount ${stripeAmount} ${code} is not a whole number of our minor units`,
    )
  }
  return money(BigInt(stripeAmount) / factor, code)
}

/** Midtrans takes whole rupiah as an integer `gross_amount` / item `price`. */
export function toMidtransAmount(amount: Money): number {
  if (amount.currency !== 'IDR') {
    throw new MitraError('currency_mismatch', `Midtrans charges IDR only, not ${amount.currency}`)
  }
  return amount.amount
}

/**
 * Midtrans notifications carry `gross_amount` as text such as `"150000.00"`; parse it
 * exactly (the signature is computed over the text as received, so keep that separately).
 */
export function fromMidtransAmount(grossAmount: string): Money {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(grossAmount)
  if (match === null) {
    throw new MitraError('invalid_amount', `Midtrans amount '${grossAmount}' is not a number`)
  }
  if (/[^0]/.test(match[2] ?? '')) {
    throw new MitraError('amount_precision', `Midtrans amount '${grossAmount}' is not whole rupiah`)
  }
  return money(toSafeInteger(BigInt(match[1] as string)), 'IDR')
}
