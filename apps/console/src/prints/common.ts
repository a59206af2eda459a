/*
 * Small pure helpers the printable views share. The views are pure functions of plain data:
 * the routes fetch, the prints only lay out.
 */

/** Money as the API gives it: an integer in the currency's minor units (IDR has none). */
export interface Money {
  amount: number
  currency: string
}

/** Text the API gives in both languages (`Product.title`): Indonesian always, English maybe. */
export interface Texts {
  id: string
  en?: string | null
}

/**
 * A colour for a `style` attribute, or null. JSX escapes the attribute, but not CSS inside it:
 * `red; background: url(…)` would still be a second declaration, so only `#rgb`/`#rrggbb`
 * (what the brand kit's palette holds) pass.
 */
export function cssColour(value: string | null | undefined): string | null {
  return value != null && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) ? value : null
}

/**
 * An image address for `<img src>`, or null: http(s) or a path on this host. Anything else
 * (`javascript:`, `data:`, a typo) is left out rather than printed as a broken image.
 */
export function imageUrl(value: string | null | undefined): string | null {
  if (value == null || value === '') return null
  if (value.startsWith('/') && !value.startsWith('//')) return value
  return /^https?:\/\/[^\s]+$/i.test(value) ? value : null
}

/** `ukuran: L, warna: biru`, or '' for a variant without options. */
export function optionsText(options: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(options ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join(', ')
}

/**
 * A partner's address in one line from `PartnerProfile.location`: street, village, district,
 * regency, province (what it has).
 */
export function addressText(location: {
  address?: string | null
  village?: string | null
  district?: string | null
  regency?: string | null
  province?: string | null
}): string {
  const { address, village, district, regency, province } = location
  return [address, village, district, regency, province].filter(Boolean).join(', ')
}

/**
 * A count as printed: whole and not negative. A copy count from a form may be `2.5`, `-1` or
 * NaN; a print shows what can be cut out or counted.
 */
export function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0
}
