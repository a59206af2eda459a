import { currencyExponents } from './currency-exponents.js'
import { MitraError } from './errors.js'

export { currencyExponents }

export type CurrencyCode = keyof typeof currencyExponents

export const currencyCodes = Object.keys(currencyExponents) as CurrencyCode[]

export function isCurrencyCode(value: unknown): value is CurrencyCode {
  return typeof value === 'string' && Object.hasOwn(currencyExponents, value)
}

/** Validates a currency code (case-sensitive, ISO 4217 upper case). */
export function currency(code: string): CurrencyCode {
  if (!isCurrencyCode(code)) {
    throw new MitraError('unknown_currency', `Currency '${code}' is not supported`, {
      errors: [
        { path: 'currency', code: 'unknown_currency', message: `Unknown currency '${code}'` },
      ],
    })
  }
  return code
}

export function exponentOf(code: CurrencyCode): number {
  return currencyExponents[code]
}
