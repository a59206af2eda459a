import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { currencyCodes } from './currency.js'
import { MitraError } from './errors.js'
import { money } from './money.js'
import { formatMoney, ownSeparators } from './money-format.js'
import { parseMoney } from './money-text.js'

function errorOf(fn: () => unknown): MitraError {
  try {
    fn()
  } catch (error) {
    if (error instanceof MitraError) return error
    throw error
  }
  throw new Error('expected a MitraError')
}

describe('parseMoney', () => {
  it.each([
    ['150000', 'IDR', 150_000],
    ['Rp150.000', 'IDR', 150_000],
    ['Rp 150.000', 'IDR', 150_000],
    ['Rp150.000,00', 'IDR', 150_000],
    ['IDR 150,000', 'IDR', 150_000],
    ['1.250.000', 'IDR', 1_250_000],
    ['-Rp5.000', 'IDR', -5_000],
    ['  Rp\u00a01.000 ', 'IDR', 1_000],
    ['1.5', 'USD', 150],
    ['$1,234.56', 'USD', 123_456],
    ['US$ 0.05', 'USD', 5],
    ['USD 12', 'USD', 1200],
    ['1 234,5', 'EUR', 123_450],
    ['1.234,56 €', 'EUR', 123_456],
    ['¥1,000', 'JPY', 1000],
    ['12.50', 'SGD', 1250],
    ['1.500', 'USD', 150_000],
  ])('reads %s as %s %i', (input, currency, amount) => {
    expect(parseMoney(input, currency)).toEqual(money(amount, currency))
  })

  it('uses the locale when given', () => {
    expect(parseMoney('1.500', 'USD', { locale: 'id-ID' })).toEqual(money(150_000, 'USD'))
    expect(parseMoney('1,5', 'USD', { locale: 'id-ID' })).toEqual(money(150, 'USD'))
    expect(parseMoney('1,500', 'IDR', { locale: 'en-US' })).toEqual(money(1500, 'IDR'))
  })

  it.each([
    ['1.5', 'IDR', 'amount_precision'],
    ['Rp150.000,50', 'IDR', 'amount_precision'],
    ['1.2345', 'USD', 'amount_precision'],
    ['0.001', 'USD', 'amount_precision'],
    ['', 'IDR', 'invalid_amount'],
    ['NaN', 'IDR', 'invalid_amount'],
    ['abc', 'IDR', 'invalid_amount'],
    ['1e5', 'IDR', 'invalid_amount'],
    ['Infinity', 'USD', 'invalid_amount'],
    ['15.00.0', 'USD', 'invalid_amount'],
    ['1.2.3', 'IDR', 'invalid_amount'],
    ['1,50.000', 'IDR', 'invalid_amount'],
    ['--5', 'IDR', 'invalid_amount'],
    ['$5', 'IDR', 'invalid_amount'],
    ['USD 5', 'IDR', 'currency_mismatch'],
    ['5', 'XYZ', 'unknown_currency'],
    ['99999999999999999999', 'IDR', 'amount_overflow'],
  ])('rejects %s in %s with %s', (input, currency, code) => {
    const error = errorOf(() => parseMoney(input, currency))
    expect(error.code).toBe(code)
    expect(error.status).toBe(422)
    expect(error.errors[0]?.path).toMatch(/amount|currency/)
  })

  it('round-trips what formatMoney writes, in both languages', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 45), max: 2 ** 45 }),
        fc.constantFrom(...currencyCodes),
        fc.constantFrom('id-ID', 'en-US'),
        (amount, currency, locale) => {
          const m = money(amount, currency)
          expect(parseMoney(formatMoney(m, locale), currency, { locale })).toEqual(m)
        },
      ),
      { numRuns: 1_000 },
    )
  })
})

describe('formatMoney', () => {
  it('writes rupiah the Indonesian way and the English way', () => {
    expect(formatMoney(money(150_000, 'IDR'), 'id-ID')).toBe('Rp150.000')
    expect(formatMoney(money(150_000, 'IDR'), 'en')).toBe('IDR 150,000')
    expect(formatMoney(money(-2_500, 'IDR'), 'id-ID')).toBe('-Rp2.500')
    expect(formatMoney(money(0, 'IDR'))).toBe('Rp0')
  })

  it('keeps the exact minor units of two-decimal currencies', () => {
    expect(formatMoney(money(123_456, 'USD'), 'en-US')).toBe('USD 1,234.56')
    expect(formatMoney(money(123_456, 'USD'), 'en-US', { display: 'symbol' })).toBe('$1,234.56')
    expect(formatMoney(money(5, 'EUR'), 'id-ID')).toBe('€0,05')
    expect(formatMoney(money(Number.MAX_SAFE_INTEGER, 'IDR'), 'id-ID')).toBe(
      'Rp9.007.199.254.740.991',
    )
  })

  it('writes numbers in its own languages exactly as Intl does', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(ownSeparators)),
        fc.constantFrom(...currencyCodes),
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom('symbol' as const, 'code' as const),
        (locale, currency, amount, display) => {
          const exponent = new Intl.NumberFormat('en', {
            style: 'currency',
            currency,
          }).resolvedOptions().maximumFractionDigits
          const digits = new Intl.NumberFormat(locale, {
            minimumFractionDigits: exponent,
            maximumFractionDigits: exponent,
          }).format(`${Math.abs(amount)}e-${exponent}` as Intl.StringNumericLiteral)
          const written = formatMoney(money(amount, currency), locale, { display })
          expect(written.endsWith(digits)).toBe(true)
          if (display === 'symbol' && currency === 'IDR' && locale.startsWith('id')) {
            const symbol = new Intl.NumberFormat(locale, { style: 'currency', currency })
              .formatToParts(0)
              .find((part) => part.type === 'currency')?.value
            expect(written).toBe(`${amount < 0 ? '-' : ''}${symbol}${digits}`)
          }
        },
      ),
    )
  })
})
