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

/**
 * How mitra's own languages separate digits (group, then decimal), written without Intl: a
 * page's first Intl.NumberFormat loads the locale's data, which cost a widget's shelf more of
 * its first paint than everything else together. Other locales go through Intl, and a test
 * holds these to what Intl writes.
 */
export const ownSeparators: Record<string, string> = {
  id: '.,',
  'id-id': '.,',
  en: ',.',
  'en-us': ',.',
  'en-gb': ',.',
}

// Intl formatters, made once each: making one costs far more than using it.
const formatters = new Map<string, Intl.NumberFormat>()

function intlFormat(locale: string, currency: string, exponent: number): Intl.NumberFormat {
  const key = `${locale} ${currency} ${exponent}`
  let format = formatters.get(key)
  if (format === undefined) {
    format = new Intl.NumberFormat(
      locale,
      currency
        ? { style: 'currency', currency }
        : { minimumFractionDigits: exponent, maximumFractionDigits: exponent },
    )
    formatters.set(key, format)
  }
  return format
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
  const text = decimalText(Math.abs(amount.amount), exponent)
  const own = ownSeparators[locale.toLowerCase()]
  const digits = own
    ? text.replace('.', own[1] as string).replace(/\B(?=(\d{3})+(?!\d))/g, own[0] as string)
    : intlFormat(locale, '', exponent).format(text as Intl.StringNumericLiteral)
  const marker =
    display === 'code'
      ? amount.currency
      : own && indonesian && amount.currency === 'IDR'
        ? 'Rp'
        : (intlFormat(locale, amount.currency, 0)
            .formatToParts(0)
            .find((part) => part.type === 'currency')?.value ?? amount.currency)
  const separator = display === 'code' || (/[A-Za-z]$/.test(marker) && !indonesian) ? ' ' : ''
  return `${amount.amount < 0 ? '-' : ''}${marker}${separator}${digits}`
}
