import { assertRole, type Page } from '@mitra/catalog'
import { add, equals, MitraError, type Money, money, multiply, newId } from '@mitra/core'
import {
  type Executor,
  parties,
  type StockMovementRow,
  stockMovements,
  type VenueSaleRow,
  venueSales,
} from '@mitra/db'
import { and, asc, desc, eq, gte, inArray, lt, or, type SQL } from 'drizzle-orm'
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
  childrenOf,
  cursorId,
  invalid,
  iso,
  loadVariants,
  mapUniqueViolation,
  moneyOrNull,
  notFound,
  nowOf,
  pageOf,
  parseInput,
  type StockScope,
  type VariantFacts,
  variantOf,
} from './internal.js'
import { planTakes, type Removal, type TakenLot, writeRemovalsMany } from './ledger.js'
import {
  type ListSalesQuery,
  listSalesQuerySchema,
  type RecordSaleInput,
  recordSaleSchema,
  type Sale,
  type SaleView,
} from './schemas.js'

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

// ---------------------------------------------------------------------------------------
// Reading sales back. A sale's lines are its movements of kind 'sale' (one per lot taken,
// in the order they were written: line by line, oldest lot first).

/** Sale movements the scope may see: every one at its own venue, else its own goods only. */
function visibleLines(scope: StockScope): SQL {
  return or(
    eq(stockMovements.venueId, scope.partyId),
    eq(stockMovements.producerId, scope.partyId),
  ) as SQL
}

/** The ids of the sales with a line of `producerId` that the scope may see. */
function salesWithGoodsOf(db: Executor, scope: StockScope, producerId: string) {
  return db
    .select({ id: stockMovements.documentId })
    .from(stockMovements)
    .where(
      and(
        eq(stockMovements.kind, 'sale'),
        eq(stockMovements.producerId, producerId),
        visibleLines(scope),
      ),
    )
}

/** Sales the scope may see: those at its venue, and those with its goods in them. */
function visibleSales(db: Executor, scope: StockScope): SQL {
  return or(
    eq(venueSales.venueId, scope.partyId),
    inArray(venueSales.id, salesWithGoodsOf(db, scope, scope.partyId)),
  ) as SQL
}

/** The lines of the sales `ids` the scope may see, by sale id (one query). */
async function saleLinesOf(
  db: Executor,
  scope: StockScope,
  ids: string[],
): Promise<Map<string, Sale['lines']>> {
  const movements = await childrenOf(
    ids,
    () =>
      db
        .select()
        .from(stockMovements)
        .where(
          and(
            eq(stockMovements.kind, 'sale'),
            inArray(stockMovements.documentId, ids),
            visibleLines(scope),
          ),
        )
        .orderBy(asc(stockMovements.id)),
    (row) => row.documentId as string,
  )
  return new Map([...movements].map(([id, rows]) => [id, linesOfMovements(rows)]))
}

/** One line per variant sold (a sale has one line per variant), its lots in the order taken. */
function linesOfMovements(rows: readonly StockMovementRow[]): Sale['lines'] {
  const lines = new Map<string, Sale['lines'][number]>()
  for (const row of rows) {
    const quantity = -row.onHandDelta
    let line = lines.get(row.variantId)
    if (line === undefined) {
      const unitPrice = moneyOrNull(row.unitPriceAmount, row.currency)
      if (unitPrice === null) throw new Error(`Sale movement ${row.id} has no price`)
      line = {
        variant_id: row.variantId,
        producer_id: row.producerId,
        agreement_id: row.agreementId,
        agreement_version: row.agreementVersion,
        quantity: 0,
        unit_price: unitPrice,
        // Kept only when in the currency of the sale (as the sale's split reads it).
        list_price: moneyOrNull(row.listPriceAmount, row.currency),
        lots: [],
      }
      lines.set(row.variantId, line)
    }
    line.quantity += quantity
    if (row.lotId !== null) line.lots.push({ lot_id: row.lotId, quantity })
  }
  return [...lines.values()]
}

/** What the lines come to; null when they are in more than one currency (or none). */
function totalOf(lines: Sale['lines']): Money | null {
  let total: Money | null = null
  for (const line of lines) {
    const amount = multiply(money(line.unit_price.amount, line.unit_price.currency), line.quantity)
    if (total !== null && total.currency !== amount.currency) return null
    total = total === null ? amount : add(total, amount)
  }
  return total === null ? null : { ...total }
}

function toSaleView(row: VenueSaleRow, lines: Sale['lines']): SaleView {
  return {
    id: row.id,
    venue_id: row.venueId,
    receipt_number: row.receiptNumber,
    channel: row.channel,
    reservation_id: row.reservationId,
    sold_at: iso(row.soldAt),
    lines,
    total: totalOf(lines),
  }
}

/**
 * A sale as the scope may see it: at its own venue with every line; as the producer of goods
 * in it, with its own lines only (never another producer's lines or prices on the same
 * receipt). Anyone else — a sale that does not exist — gets 404.
 */
export async function getSale(db: Executor, scope: StockScope, saleId: string): Promise<SaleView> {
  assertRole(scope, 'staff')
  const [row] = await db
    .select()
    .from(venueSales)
    .where(and(eq(venueSales.id, saleId), visibleSales(db, scope)))
  if (row === undefined) throw notFound('sale', saleId)
  const lines = await saleLinesOf(db, scope, [saleId])
  return toSaleView(row, lines.get(saleId) ?? [])
}

/**
 * The sales the scope may see (as `getSale` shows them), newest first. Filters: `channel`,
 * `producer_id` (sales with that producer's goods: any producer at the scope's own venue; a
 * producer naming another → 404), sold in [`from`, `to`).
 */
export async function listSales(
  db: Executor,
  scope: StockScope,
  query: ListSalesQuery = {},
): Promise<Page<SaleView>> {
  assertRole(scope, 'staff')
  const data = parseInput(listSalesQuerySchema, query)
  const conditions: SQL[] = [visibleSales(db, scope)]
  if (data.producer_id !== undefined) {
    if (data.producer_id !== scope.partyId) {
      const [party] = await db
        .select({ kind: parties.kind })
        .from(parties)
        .where(eq(parties.id, scope.partyId))
      if (party?.kind === 'producer') throw notFound('producer', data.producer_id, 'producer_id')
    }
    conditions.push(inArray(venueSales.id, salesWithGoodsOf(db, scope, data.producer_id)))
  }
  if (data.channel !== undefined) conditions.push(eq(venueSales.channel, data.channel))
  if (data.from !== undefined) conditions.push(gte(venueSales.soldAt, new Date(data.from)))
  if (data.to !== undefined) conditions.push(lt(venueSales.soldAt, new Date(data.to)))
  const after = cursorId(data.cursor)
  if (after !== undefined) conditions.push(lt(venueSales.id, after))
  const rows = await db
    .select()
    .from(venueSales)
    .where(and(...conditions))
    .orderBy(desc(venueSales.id))
    .limit(data.limit + 1)
  const { page, next } = pageOf(rows, data.limit, (row) => row.id)
  const lines = await saleLinesOf(
    db,
    scope,
    page.map((row) => row.id),
  )
  return { data: page.map((row) => toSaleView(row, lines.get(row.id) ?? [])), next_cursor: next }
}
