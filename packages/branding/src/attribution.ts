import { MitraError } from '@mitra/core'

export type Locale = 'id' | 'en'

export const locales: readonly Locale[] = ['id', 'en']

export interface AttributionInput {
  /** The maker: the producer group's own brand. Always shown, always first. */
  brand: string
  /** Where it is made (the kit's `origin.village`). */
  village: string
  /** The collective mark of the producer's cluster, e.g. `Desa Vokasi Gemawang`. */
  cluster?: string | null
  /** The partner venue that sells it. Only ever "sold at", never the maker. */
  venue?: string | null
}

export interface Attribution {
  /** `by Batik Gemawangi · Gemawang · Desa Vokasi Gemawang` / `oleh …`. */
  maker: string
  /** `sold at Kafe Banaran 9` / `dijual di …`, or null without a venue. */
  soldAt: string | null
  /** Both, joined for one-line places (alt text, receipts). */
  text: string
}

const words = {
  id: { by: 'oleh', soldAt: 'dijual di' },
  en: { by: 'by', soldAt: 'sold at' },
} as const satisfies Record<Locale, { by: string; soldAt: string }>

/** Collapses whitespace (including line breaks) so a name cannot break the layout. */
function clean(value: string | null | undefined): string {
  return (value ?? '').replace(/\s+/gu, ' ').trim()
}

/**
 * Who made it and where it is sold, in the buyer's language. The brand is the maker; its
 * village and cluster mark follow it; the venue is only where it is sold. Plain text: escape
 * it for the place it goes (HTML, SVG).
 *
 * @example
 * attribution({ brand: 'Batik Gemawangi', village: 'Gemawang', venue: 'Kafe Banaran 9' }, 'en')
 * // { maker: 'by Batik Gemawangi · Gemawang', soldAt: 'sold at Kafe Banaran 9', … }
 */
export function attribution(input: AttributionInput, locale: Locale): Attribution {
  const brand = clean(input.brand)
  if (brand === '') {
    throw new MitraError('validation_failed', 'An attribution needs the brand of the maker', {
      errors: [{ path: 'brand', code: 'too_small', message: 'the brand name is empty' }],
    })
  }
  const said = words[locale] ?? words.id
  const village = clean(input.village)
  const cluster = clean(input.cluster)
  const parts = [brand]
  // Skip repeats, e.g. a brand already named after its village.
  for (const part of [village, cluster]) {
    if (part !== '' && !parts.some((p) => p.toLowerCase() === part.toLowerCase())) parts.push(part)
  }
  const maker = `${said.by} ${parts.join(' · ')}`
  const venue = clean(input.venue)
  const soldAt = venue === '' ? null : `${said.soldAt} ${venue}`
  return { maker, soldAt, text: soldAt === null ? maker : `${maker} — ${soldAt}` }
}
