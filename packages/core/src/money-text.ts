import {
  type CurrencyCode,
  currency as checkCurrency,
  currencyCodes,
  exponentOf,
} from './currency.js'
import { MitraError } from './errors.js'
import { type Money, money } from './money.js'

function separatorsOf(locale: string): { group: string; decimal: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5)
  const group = parts.find((p) => p.type === 'group')?.value ?? ','
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.'
  return { group: group.replace(/\s/u, ' '), decimal }
}

function currencySymbols(code: CurrencyCode): string[] {
  const symbols = new Set<string>([code])
  for (const locale of ['en-US', 'id-ID']) {
    for (const display of ['symbol', 'narrowSymbol'] as const) {
      const part = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: code,
        currencyDisplay: display,
      })
        .formatToParts(0)
        .find((p) => p.type === 'currency')
      if (part) symbols.add(part.value)
    }
  }
  // Longest first, so 'US$' is removed before '$'.
  return [...symbols].sort((a, b) => b.length - a.length)
}

function invalid(input: string, reason: string): MitraError {
  return new MitraError('invalid_amount', `'${input}' is not a valid amount: ${reason}`, {
    errors: [{ path: 'amount', code: 'invalid_amount', message: reason }],
  })
}

export interface ParseMoneyOptions {
  /** Read separators as this locale writes them (`id-ID`: 1.234,5). */
  locale?: string
}

/**
 * Parses what a person types into an exact amount.
 *
 * Accepts `150000`, `Rp150.000`, `Rp 150.000,00`, `IDR 150,000`, `1.5` or `$1,234.56` for
 * USD. Without a locale, the last of two different marks is the decimal one, and a lone mark
 * before exactly three digits groups thousands (`150.000` and `150,000` are both 150 thousand).
 * Rejects fractions the currency does not have (`1.5` IDR), other currencies' codes,
 * malformed grouping, and amounts beyond exact integer range, each with its own code.
 */
export function parseMoney(
  input: string,
  currencyCode: CurrencyCode | string,
  options: ParseMoneyOptions = {},
): Money {
  const code = checkCurrency(currencyCode)
  if (typeof input !== 'string') throw invalid(String(input), 'expected text')
  let text = input.replace(/[\u00a0\u202f\u2009]/gu, ' ').trim()
  if (text === '') throw invalid(input, 'it is empty')

  let negative = false
  const takeSign = () => {
    const match = /^[-−]\s*/u.exec(text)
    if (match) {
      if (negative) throw invalid(input, 'more than one minus sign')
      negative = true
      text = text.slice(match[0].length)
    }
  }
  takeSign()
  for (const symbol of currencySymbols(code)) {
    if (text.toUpperCase().startsWith(symbol.toUpperCase())) {
      text = text.slice(symbol.length).trim()
      break
    }
    if (text.toUpperCase().endsWith(symbol.toUpperCase())) {
      text = text.slice(0, -symbol.length).trim()
      break
    }
  }
  takeSign()

  if (!/^[0-9.,' ]+$/u.test(text)) {
    const other = currencyCodes.find((c) => c !== code && text.toUpperCase().includes(c))
    if (other !== undefined) {
      throw new MitraError('currency_mismatch', `'${input}' is in ${other}, expected ${code}`, {
        errors: [{ path: 'amount', code: 'currency_mismatch', message: `expected ${code}` }],
      })
    }
    throw invalid(input, 'it contains characters other than digits and separators')
  }

  const { group, decimal } = splitSeparators(text, options.locale)
  const [integerText = '', fractionText, extra] = decimal === null ? [text] : text.split(decimal)
  if (extra !== undefined) throw invalid(input, 'more than one decimal separator')
  const groups = group === null ? [integerText] : integerText.split(group)
  if (groups.length > 1 && !groups.every((g, i) => (i === 0 ? /^\d{1,3}$/ : /^\d{3}$/).test(g))) {
    throw invalid(input, 'digit grouping is malformed')
  }
  const integerDigits = groups.join('')
  if (!/^\d+$/.test(integerDigits)) throw invalid(input, 'no digits before the decimal separator')
  if (fractionText !== undefined && !/^\d+$/.test(fractionText)) {
    throw invalid(input, 'no digits after the decimal separator')
  }

  const exponent = exponentOf(code)
  const fraction = fractionText ?? ''
  const kept = fraction.slice(0, exponent)
  if (/[^0]/.test(fraction.slice(exponent))) {
    throw new MitraError(
      'amount_precision',
      exponent === 0
        ? `'${input}': ${code} amounts are whole numbers`
        : `'${input}': ${code} amounts have at most ${exponent} decimal places`,
      { errors: [{ path: 'amount', code: 'amount_precision', message: 'too many decimals' }] },
    )
  }
  const minor = BigInt(integerDigits + kept.padEnd(exponent, '0'))
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MitraError('amount_overflow', `'${input}' is too large to handle exactly`, {
      errors: [{ path: 'amount', code: 'amount_overflow', message: 'too large' }],
    })
  }
  return money(negative ? -minor : minor, code)
}

/** Decides which character separates groups and which the fraction (null: none). */
function splitSeparators(
  text: string,
  locale: string | undefined,
): { group: string | null; decimal: string | null } {
  const present = ['.', ',', "'", ' '].filter((s) => text.includes(s))
  if (locale !== undefined) {
    const known = separatorsOf(locale)
    const stray = present.find((s) => s !== known.group && s !== known.decimal && s !== ' ')
    if (stray !== undefined) throw invalid(text, `'${stray}' is not a separator in ${locale}`)
    const group = text.includes(known.group) ? known.group : present.includes(' ') ? ' ' : null
    return { group, decimal: known.decimal }
  }
  const marks = present.filter((s) => s === '.' || s === ',')
  const spaceOrQuote = present.find((s) => s === ' ' || s === "'") ?? null
  if (marks.length === 2) {
    // Both present: the one that comes last separates the fraction.
    if (spaceOrQuote !== null) throw invalid(text, 'mixed digit grouping')
    const decimal = text.lastIndexOf('.') > text.lastIndexOf(',') ? '.' : ','
    return { group: decimal === '.' ? ',' : '.', decimal }
  }
  const [mark] = marks
  if (mark === undefined) return { group: spaceOrQuote, decimal: null }
  if (text.split(mark).length > 2) {
    if (spaceOrQuote !== null) throw invalid(text, 'mixed digit grouping')
    return { group: mark, decimal: null }
  }
  // A lone mark before exactly three digits groups thousands (Rp150.000, IDR 150,000): no
  // supported currency has three decimals. Anywhere else it is the decimal mark (1.5, 1,5).
  const [before = '', after = ''] = text.split(mark)
  if (spaceOrQuote === null && /^[1-9]\d{0,2}$/.test(before) && /^\d{3}$/.test(after)) {
    return { group: mark, decimal: null }
  }
  return { group: spaceOrQuote, decimal: mark }
}
