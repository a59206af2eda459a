import { type Money, money } from '@mitra/core'
import { type Executor, products, productVariants, stockLevels, stockLots } from '@mitra/db'
import { and, asc, eq, gt, inArray } from 'drizzle-orm'
import { type At, loadVariants, nowOf, variantOf } from './internal.js'
import { agreementsFor, salePrice } from './sales.js'

/** What one variant sells for online at a venue right now, and how many can be bought. */
export interface VariantQuote {
  variantId: string
  venueId: string
  producerId: string
  agreementId: string
  /** The product's title and the variant's SKU, for order lines and receipts. */
  name: string
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
  const now = nowOf(options)
  const lines = variantIds.map((variant_id) => ({ variant_id }))
  if (lines.length === 0) return []
  const variants = await loadVariants(db, lines)
  const agreements = await agreementsFor(db, venueId, lines, variants)
  const ids = [...new Set(variantIds)]
  const [lots, levels, names] = await Promise.all([
    db
      .select({
        variantId: stockLots.variantId,
        delivered_at: stockLots.deliveredAt,
      })
      .from(stockLots)
      .where(
        and(
          eq(stockLots.venueId, venueId),
          inArray(stockLots.variantId, ids),
          gt(stockLots.remaining, 0),
        ),
      )
      .orderBy(asc(stockLots.deliveredAt), asc(stockLots.id)),
    db
      .select({
        variantId: stockLevels.variantId,
        onHand: stockLevels.onHand,
        reserved: stockLevels.reserved,
      })
      .from(stockLevels)
      .where(and(eq(stockLevels.venueId, venueId), inArray(stockLevels.variantId, ids))),
    db
      .select({ variantId: productVariants.id, title: products.titleId, sku: productVariants.sku })
      .from(productVariants)
      .innerJoin(products, eq(products.id, productVariants.productId))
      .where(inArray(productVariants.id, ids)),
  ])
  return variantIds.map((variantId, index) => {
    const variant = variantOf(variants, variantId)
    const agreement = agreements.get(variant.producerId)
    if (agreement === undefined) throw new Error(`no agreement looked up for ${variantId}`)
    const open = lots.filter((lot) => lot.variantId === variantId)
    const unitPrice = salePrice(
      agreement.terms,
      variant.price,
      null,
      open,
      now,
      `lines.${index}.variant_id`,
    )
    const level = levels.find((row) => row.variantId === variantId)
    const named = names.find((row) => row.variantId === variantId)
    return {
      variantId,
      venueId,
      producerId: variant.producerId,
      agreementId: agreement.id,
      name: named === undefined ? variant.sku : `${named.title} (${named.sku})`,
      listPrice: variant.price ?? money(unitPrice.amount, unitPrice.currency),
      unitPrice,
      available: level === undefined ? 0 : level.onHand - level.reserved,
    }
  })
}
