// The browser-safe corner of @mitra/core: the package's index also reaches node:crypto.
import { formatMoney as formatForPeople } from '@mitra/core/money-format'

/**
 * An amount from the API for people, exactly as mitra writes money everywhere:
 * `Rp350.000` in Indonesian (the default), `IDR 350,000` in English.
 *
 * ```ts
 * formatMoney(product.price)        // 'Rp350.000'
 * formatMoney(product.price, 'en')  // 'IDR 350,000'
 * ```
 */
export function formatMoney(value: { amount: number; currency: string }, locale = 'id'): string {
  return formatForPeople(value, locale === 'id' ? 'id-ID' : locale)
}
