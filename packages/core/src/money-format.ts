// Formatting money for people, with nothing that a browser cannot load (`@mitra/core/money-format`):
// the widget and the SDK use it as the server does.
import { currencyExponents } from './currency-exponents.js'

/** Whole minor units as an exact decimal string: 1999 with exponent 2 → "19.99". */
function decimalText(minor: number, exponent: number): string {
  const digits = minor.toString()
  if (exponent === 0) return digits
  const padded = digits.padStart(exponent + 1, '0')
  return `${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`
}

export interface FormatMoneyOptions {
  /** `symbol` (Rp, US$) or `code` (IDR, USD). Default: symbol in Indonesian, code otherwise. */
  display?: 'symbol' | 'code'
}

/**
 * Formats an amount for people, exactly (no float on the way).
 *
 * @example
 * formatMoney(money(150000, 'IDR'), 'id-ID') // 'Rp150.000'
 * formatMoney(money(150000, 'IDR'), 'en')    // 'IDR 150,000'
 */
export function formatMoney(
  amount: { readonly amount: number; readonly currency: string },
  locale = 'id-ID',
  options: FormatMoneyOptions = {},
): string {
  const exponent = currencyExponents[amount.currency as keyof typeof currencyExponents]
  if (exponent === undefined) throw new RangeError(`Currency '${amount.currency}' is not supported`)
  const indonesian = locale.toLowerCase().startsWith('id')
  const display = options.display ?? (indonesian ? 'symbol' : 'code')
  const digits = new Intl.NumberFormat(locale, {
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(decimalText(Math.abs(amount.amount), exponent) as Intl.StringNumericLiteral)
  const marker =
    display === 'code'
      ? amount.currency
      : (new Intl.NumberFormat(locale, { style: 'currency', currency: amount.currency })
          .formatToParts(0)
          .find((p) => p.type === 'currency')?.value ?? amount.currency)
  const separator = display === 'code' || (/[A-Za-z]$/.test(marker) && !indonesian) ? ' ' : ''
  return `${amount.amount < 0 ? '-' : ''}${marker}${separator}${digits}`
}
