import { formatMoney } from '@mitra/core/money-format'

/** The console's languages: Indonesian (the default) and English, chosen by the person. */
export const locales = ['id', 'en'] as const
export type Locale = (typeof locales)[number]

export const isLocale = (value: unknown): value is Locale =>
  typeof value === 'string' && (locales as readonly string[]).includes(value)

/** `Rp1.050.000` in Indonesian, `IDR 1,050,000` in English. */
export function money(amount: { amount: number; currency: string }, locale: Locale): string {
  return formatMoney(amount, locale === 'id' ? 'id-ID' : 'en')
}

/** A day as people read it in Jakarta: `6 Des 2026` / `6 Dec 2026`. */
export function date(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeZone: 'Asia/Jakarta',
  }).format(new Date(iso))
}

/** A moment as people read it in Jakarta: `6 Des 2026, 14.30` / `6 Dec 2026, 14:30`. */
export function dateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }).format(new Date(iso))
}

/** Text given in both languages: the person's, else Indonesian. */
export function pick(
  text: { id?: string | null; en?: string | null } | null | undefined,
  locale: Locale,
): string {
  if (text == null) return ''
  if (locale === 'en' && text.en) return text.en
  return text.id ?? text.en ?? ''
}

/** Items grouped by a key, in first-seen order (`Map.groupBy` is Node 21+). */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group) group.push(item)
    else groups.set(k, [item])
  }
  return groups
}

/** Today (or `at`) as a Jakarta calendar date, `2026-12-07`. */
export const jakartaDay = (at = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(at)
