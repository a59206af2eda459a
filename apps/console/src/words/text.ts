import type { Locale } from '../format.js'

// Made once per language: making an Intl formatter costs far more than using it.
const numbers = {
  id: new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en', { maximumFractionDigits: 2 }),
}

/** Basis points as people write a percentage: `20%`, `2,5%` (id) / `2.5%` (en). */
export function percent(bps: number, locale: Locale): string {
  return `${numbers[locale].format(bps / 100)}%`
}

/** `1 hari`, `30 hari` / `1 day`, `30 days`. */
export function days(count: number, locale: Locale): string {
  if (locale === 'id') return `${count} hari`
  return count === 1 ? '1 day' : `${count} days`
}

/** The first letter in capitals, for a generic noun that starts a sentence ("the venue"). */
export function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** `a, b dan c` / `a, b and c`. */
export function listOf(items: readonly string[], locale: Locale): string {
  const and = locale === 'id' ? 'dan' : 'and'
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`
}

// Every id prefix of @mitra/core's `idPrefixes`, with an optional `:var_…` tail (a sale line).
const idPattern =
  /\b(?:pty|usr|mem|key|prod|var|med|brand|agr|mov|lot|dlv|sale|rsv|ret|cnt|trf|obl|cart|ord|pay|re|evt|txn|pol|adv|ctr|pen|stmt|po|stl|rem|req)_[0-9a-z]+(?::[a-z]+_[0-9a-z]+)*/gi

/** True when the text holds something that looks like one of our ids. */
export function hasId(text: string): boolean {
  idPattern.lastIndex = 0
  const found = idPattern.test(text)
  idPattern.lastIndex = 0
  return found
}

/**
 * Free text from the ledger (a memo such as "Held by pty_…") with its ids replaced: a party
 * by its name, else by `someone` ("another party"); any other id by an ellipsis — people
 * cannot read ids, and a memo is still worth reading without them.
 */
export function withoutIds(
  text: string,
  parties: Readonly<Record<string, string>>,
  someone: string,
): string {
  return text.replace(idPattern, (id) => (/^pty_/i.test(id) ? (parties[id] ?? someone) : '…'))
}
