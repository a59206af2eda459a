import { type Money, money } from '@mitra/core'
import { type Executor, isOneOf, products, productVariants } from '@mitra/db'
import { eq } from 'drizzle-orm'
import {
  type At,
  agreementKey,
  agreementsOfVariants,
  inForce,
  loadVariants,
  nowOf,
  variantOf,
} from './internal.js'
import { levelsOf, openLotsOf } from './ledger.js'
import { salePrice } from './sales.js'

/** What one variant sells for online at a venue right now, and how many can be bought. */
export interface VariantQuote {
  variantId: string
  venueId: string
  producerId: string
  agreementId: string
  productId: string
  /** The product's title and the variant's SKU, for order lines and receipts. */
  name: string
  /** The product's title in each language (English may be missing), for the buyer's. */
  title: { id: string; en: string | null }
  sku: string
  /** The producer's retail price. */
  listPrice: Money
  /** What a buyer pays: the retail price, marked down by the age of the oldest lot. */
  unitPrice: Money
  available: number
}

/**
 * Prices variants for an online buyer at a venue the way a sale there would price them
 * (`salePrice` with no price given): the agreement with each producer must be in force and
 * the producer must have set a retail price, else the error names `lines.{i}.variant_id`.
 */
export async function quoteAtVenue(
  db: Executor,
  venueId: string,
  variantIds: readonly string[],
  options?: At,
): Promise<VariantQuote[]> {
  const [quotes] = await quoteAtVenues(db, [{ venueId, variantIds }], options)
  return quotes as VariantQuote[]
}

/**
 * `quoteAtVenue` for many venues at once, by five queries whatever their number. The first
 * variant that cannot be quoted fails the call, naming its line in its own request.
 */
export async function quoteAtVenues(
  db: Executor,
  requests: readonly { venueId: string; variantIds: readonly string[] }[],
  options?: At,
): Promise<VariantQuote[][]> {
  const now = nowOf(options)
  const lines = requests.flatMap((request) =>
    request.variantIds.map((variant_id) => ({ variant_id })),
  )
  if (lines.length === 0) return requests.map(() => [])
  const pairs = requests.flatMap(({ venueId, variantIds }) =>
    variantIds.map((variantId) => ({ venueId, variantId })),
  )
  const ids = [...new Set(lines.map((line) => line.variant_id))]
  // Every read at once, in one round trip; the agreements are checked once the variants
  // are back.
  const [variants, found, lots, levels, names] = await Promise.all([
    loadVariants(db, lines),
    agreementsOfVariants(db, pairs),
    openLotsOf(db, pairs),
    levelsOf(db, pairs),
    db
      .select({
        variantId: productVariants.id,
        productId: products.id,
        title: products.titleId,
        titleEn: products.titleEn,
        sku: productVariants.sku,
      })
      .from(productVariants)
      .innerJoin(products, eq(products.id, productVariants.productId))
      .where(isOneOf(productVariants.id, ids)),
  ])
  const agreements = inForce(
    requests.flatMap(({ venueId, variantIds }) =>
      variantIds.map((variantId, index) => ({
        producerId: variantOf(variants, variantId).producerId,
        venueId,
        path: `lines.${index}.variant_id`,
      })),
    ),
    found,
  )
  return requests.map(({ venueId, variantIds }) =>
    variantIds.map((variantId, index) => {
      const variant = variantOf(variants, variantId)
      const agreement = agreements.get(agreementKey(variant.producerId, venueId))
      if (agreement === undefined) throw new Error(`no agreement looked up for ${variantId}`)
      const open = lots.filter((lot) => lot.venueId === venueId && lot.variantId === variantId)
      const unitPrice = salePrice(
        agreement.terms,
        variant.price,
        null,
        open,
        now,
        `lines.${index}.variant_id`,
      )
      const level = levels.find((row) => row.venueId === venueId && row.variantId === variantId)
      const named = names.find((row) => row.variantId === variantId)
      return {
        variantId,
        venueId,
        producerId: variant.producerId,
        agreementId: agreement.id,
        productId: named?.productId ?? variant.productId,
        name: named === undefined ? variant.sku : `${named.title} (${named.sku})`,
        title: { id: named?.title ?? variant.sku, en: named?.titleEn ?? null },
        sku: variant.sku,
        listPrice: variant.price ?? money(unitPrice.amount, unitPrice.currency),
        unitPrice,
        available: level === undefined ? 0 : level.onHand - level.reserved,
      }
    }),
  )
}
