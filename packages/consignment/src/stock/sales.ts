import { assertRole } from '@mitra/catalog'
import { equals, MitraError, type Money, money, newId } from '@mitra/core'
import { type Executor, venueSales } from '@mitra/db'
import type { ConsignmentTerms } from '../terms.js'
import { daysOnConsignment, markdownPrice } from './aging.js'
import {
  type Actor,
  type AgreementTerms,
  type At,
  actorOf,
  agreementKey,
  agreementsInForce,
  assertDistinctVariants,
  atomically,
  invalid,
  iso,
  loadVariants,
  mapUniqueViolation,
  notFound,
  nowOf,
  parseInput,
  type StockScope,
  type VariantFacts,
  variantOf,
} from './internal.js'
import { planTakes, type Removal, type TakenLot, writeRemovalsMany } from './ledger.js'
import { type RecordSaleInput, recordSaleSchema, type Sale } from './schemas.js'

export const saleUniques = {
  venue_sales_receipt_unique: {
    path: 'receipt_number',
    message: 'This venue already recorded a sale with this receipt number',
  },
}

/**
 * The price a unit sells at. Without a price given: the producer's retail price, marked
 * down by the schedule for the age of the oldest lot sold. With one: any price when the
 * agreement lets the venue change prices, otherwise the retail price or the markdown price
 * of one of the lots sold (else 422 `price_not_allowed`). Prices are in the agreement's
 * currency (else 422 `currency_mismatch`).
 */
export function salePrice(
  terms: ConsignmentTerms,
  listPrice: Money | null,
  given: Money | null,
  lots: readonly { delivered_at: Date }[],
  at: Date,
  path: string,
): Money {
  const currencyError = (price: Money) => {
    const message = `prices under this agreement are in ${terms.currency}, not ${price.currency}`
    return new MitraError('currency_mismatch', `'${path}': ${message}`, {
      errors: [{ path, code: 'currency_mismatch', message }],
    })
  }
  const allowed =
    listPrice === null
      ? []
      : lots.map(
          (lot) => markdownPrice(listPrice, daysOnConsignment(lot.delivered_at, at), terms).price,
        )
  if (given === null) {
    if (listPrice === null) {
      throw invalid(
        path,
        'required',
        'the producer has not set a retail price for this variant; give unit_price',
      )
    }
    if (listPrice.currency !== terms.currency) throw currencyError(listPrice)
    return allowed[0] ?? listPrice
  }
  if (given.currency !== terms.currency) throw currencyError(given)
  if (terms.venue_may_change_price || listPrice === null || equals(given, listPrice)) return given
  if (allowed.some((price) => equals(price, given))) return given
  const message = `the agreement does not let the venue change the producer's price (${listPrice.amount} ${listPrice.currency}${
    allowed.some((price) => !equals(price, listPrice))
      ? `, or ${[...new Set(allowed.map((price) => price.amount))].join(' / ')} after markdown`
      : ''
  })`
  throw new MitraError('price_not_allowed', `'${path}': ${message}`, {
    errors: [{ path, code: 'price_not_allowed', message }],
    extensions: { list_price: listPrice },
  })
}

/** One line to sell: checked variant, the agreement in force for its producer. */
export interface SellLine {
  variant: VariantFacts
  agreement: AgreementTerms
  quantity: number
  unitPrice: Money | null
  /** Where the line came from in the request (`lines.0`). */
  path: string
}

/** A sale being recorded: where, which receipt, when and by whom. */
export interface SaleHeader {
  id: string
  venueId: string
  receiptNumber: string
  at: Date
  actor: Actor
}

/**
 * Sells the lines of many sales at once (`planTakes`: one statement per table for all
 * of them): from available units, or from units a reservation holds (`fromReserved`).
 * Movements name each sale and its receipt. Every line is priced by `salePrice` from the
 * lots it took.
 */
export async function sellLinesOfSales(
  tx: Executor,
  sales: readonly { sale: SaleHeader; lines: readonly SellLine[] }[],
  fromReserved: boolean,
): Promise<Sale['lines'][]> {
  const flat = sales.flatMap(({ sale, lines }) => lines.map((line) => ({ sale, line })))
  if (flat.length === 0) return sales.map(() => [])
  const planned = await planTakes(
    tx,
    flat.map(({ sale, line }) => ({
      venueId: sale.venueId,
      variantId: line.variant.id,
      quantity: line.quantity,
      fromReserved,
      path: `${line.path}.quantity`,
    })),
    (sales[0] as { sale: SaleHeader }).sale.at,
  )
  const removals: Removal[] = []
  const sold = flat.map(({ sale, line }, index) => {
    const taken = planned.takes[index] as TakenLot[]
    const context = {
      venueId: sale.venueId,
      producerId: line.variant.producerId,
      variantId: line.variant.id,
      agreementId: line.agreement.id,
      agreementVersion: line.agreement.version,
      documentId: sale.id,
      reference: sale.receiptNumber,
      actor: sale.actor,
      at: sale.at,
    }
    const price = salePrice(
      line.agreement.terms,
      line.variant.price,
      line.unitPrice,
      taken,
      sale.at,
      `${line.path}.unit_price`,
    )
    removals.push({
      context: {
        ...context,
        unitPriceAmount: price.amount,
        listPriceAmount:
          line.variant.price?.currency === price.currency ? line.variant.price.amount : null,
        currency: price.currency,
      },
      kind: 'sale',
      takes: taken,
      fromReserved,
    })
    return {
      variant_id: line.variant.id,
      producer_id: line.variant.producerId,
      agreement_id: line.agreement.id,
      agreement_version: line.agreement.version,
      quantity: line.quantity,
      unit_price: { ...money(price.amount, price.currency) },
      list_price: line.variant.price === null ? null : { ...line.variant.price },
      lots: taken.map((take) => ({ lot_id: take.lot_id, quantity: take.quantity })),
    }
  })
  // Levels, lots and movements written together, in one round trip.
  await Promise.all([planned.write(), writeRemovalsMany(tx, removals)])
  let next = 0
  return sales.map(({ lines }) => {
    const own = sold.slice(next, next + lines.length)
    next += lines.length
    return own
  })
}

/** Sells one sale's lines (`sellLinesOfSales` with one sale). */
export async function sellLines(
  tx: Executor,
  sale: SaleHeader,
  lines: SellLine[],
  fromReserved: boolean,
): Promise<Sale['lines']> {
  const [sold] = await sellLinesOfSales(tx, [{ sale, lines }], fromReserved)
  return sold as Sale['lines']
}

/** The agreement in force for each producer of `variants`, keyed by producer (one query). */
export async function agreementsFor(
  tx: Executor,
  venueId: string,
  lines: { variant_id: string }[],
  variants: Map<string, VariantFacts>,
): Promise<Map<string, AgreementTerms>> {
  const pairs = lines.map((line, index) => ({
    producerId: variantOf(variants, line.variant_id).producerId,
    venueId,
    path: `lines.${index}.variant_id`,
  }))
  const found = await agreementsInForce(tx, pairs)
  return new Map(
    pairs.map((pair) => [
      pair.producerId,
      found.get(agreementKey(pair.producerId, venueId)) as AgreementTerms,
    ]),
  )
}

/**
 * A venue records a sale at its counter (cash or QRIS) with the receipt number: each line
 * leaves the venue's available stock, oldest lots first, under the agreement in force with
 * the variant's producer. More than is available → 409 `insufficient_stock` (with
 * `available`) and nothing changes; another venue's id → 404; a receipt number already
 * used → 409.
 */
export async function recordSale(
  db: Executor,
  scope: StockScope,
  input: RecordSaleInput,
  options?: At,
): Promise<Sale> {
  assertRole(scope, 'staff')
  const data = parseInput(recordSaleSchema, input)
  if (data.venue_id !== scope.partyId) throw notFound('venue', data.venue_id, 'venue_id')
  assertDistinctVariants(data.lines)
  const now = nowOf(options)
  const soldAt = data.sold_at === undefined ? now : new Date(data.sold_at)
  try {
    return await atomically(db, async (tx) => {
      const id = newId('sale')
      await tx.insert(venueSales).values({
        id,
        venueId: data.venue_id,
        receiptNumber: data.receipt_number,
        channel: data.channel,
        soldAt,
        actorPartyId: scope.partyId,
        actorId: scope.actorId ?? null,
        createdAt: now,
      })
      const variants = await loadVariants(tx, data.lines)
      const agreements = await agreementsFor(tx, data.venue_id, data.lines, variants)
      const lines = await sellLines(
        tx,
        {
          id,
          venueId: data.venue_id,
          receiptNumber: data.receipt_number,
          at: soldAt,
          actor: actorOf(scope),
        },
        data.lines.map((line, index) => {
          const variant = variantOf(variants, line.variant_id)
          return {
            variant,
            agreement: agreements.get(variant.producerId) as AgreementTerms,
            quantity: line.quantity,
            unitPrice: line.unit_price ?? null,
            path: `lines.${index}`,
          }
        }),
        false,
      )
      return {
        id,
        venue_id: data.venue_id,
        receipt_number: data.receipt_number,
        channel: data.channel,
        reservation_id: null,
        sold_at: iso(soldAt),
        lines,
      }
    })
  } catch (error) {
    mapUniqueViolation(error, saleUniques)
  }
}
