import { MitraError } from '@mitra/core'
import { type Executor, refundedGoods, stockLots, stockMovements, venueSales } from '@mitra/db'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Actor } from './internal.js'
import { addStock, inLockOrder } from './ledger.js'

/*
 * Goods of a sale that the buyer was refunded for. Restocked units come back on hand at
 * the venue; written-off units move no stock (they left the shelf when sold) but are
 * recorded, so stock reports can show them. Either way a sale's units come back or are
 * written off at most once: the sale row is locked while its refunded goods are counted.
 */

/** The units of one variant of the sale a refund names, and the request field to blame. */
export interface RefundedSaleLine {
  variantId: string
  quantity: number
  path: string
}

/** A refund's word on the goods of one sale: back on the shelf, or written off. */
export interface RefundedGoodsRequest {
  /** The refund (`re_…`) that names them: the restock movements' document. */
  refundId: string
  saleId: string
  goods: 'restock' | 'written_off'
  lines: readonly RefundedSaleLine[]
  reason?: string | null
  actor: Actor
  at: Date
}

/** What was recorded for one variant: restocked units name the lot they came back as. */
export interface RefundedGoodsLine {
  variant_id: string
  quantity: number
  lot_id: string | null
}

/** What a sale sold of one variant, and the oldest lot it took (for the restocked lot). */
interface SoldLine {
  producerId: string
  agreementId: string
  agreementVersion: number
  sold: number
  deliveredAt: Date
  unitPriceAmount: number | null
  currency: string | null
}

async function soldLinesOf(
  tx: Executor,
  saleId: string,
  variantIds: string[],
): Promise<Map<string, SoldLine>> {
  const takes = await tx
    .select({
      variantId: stockMovements.variantId,
      producerId: stockMovements.producerId,
      agreementId: stockMovements.agreementId,
      agreementVersion: stockMovements.agreementVersion,
      units: sql<number>`-${stockMovements.onHandDelta}`.mapWith(Number),
      deliveredAt: stockLots.deliveredAt,
      unitPriceAmount: stockLots.unitPriceAmount,
      currency: stockLots.currency,
    })
    .from(stockMovements)
    .innerJoin(stockLots, eq(stockLots.id, stockMovements.lotId))
    .where(
      and(
        eq(stockMovements.documentId, saleId),
        eq(stockMovements.kind, 'sale'),
        inArray(stockMovements.variantId, variantIds),
      ),
    )
    .orderBy(asc(stockLots.deliveredAt), asc(stockLots.id))
  const lines = new Map<string, SoldLine>()
  for (const take of takes) {
    const line = lines.get(take.variantId)
    if (line === undefined) lines.set(take.variantId, { ...take, sold: take.units })
    else line.sold += take.units
  }
  return lines
}

/**
 * Records what a refund says became of goods one sale sold: `restock` puts the units back
 * on hand at the venue as a lot of their own (source `refund`, dated and priced as the
 * oldest lot the sale took them from, so their age and markdown carry on) with a `restock`
 * movement naming the refund; `written_off` records them and moves nothing. Under the
 * agreement version the sale was made under. Runs in the caller's transaction. More units
 * than the sale sold of a variant, less those already restocked or written off → 409
 * `goods_exceed_sale` naming the line's `path`, and nothing is recorded.
 */
export async function recordRefundedGoods(
  tx: Executor,
  request: RefundedGoodsRequest,
): Promise<RefundedGoodsLine[]> {
  const lines = request.lines.filter((line) => line.quantity > 0)
  if (lines.length === 0) return []
  // Two refunds of one sale take turns here, so neither counts before the other has written.
  const [sale] = await tx
    .select({ venueId: venueSales.venueId, receiptNumber: venueSales.receiptNumber })
    .from(venueSales)
    .where(eq(venueSales.id, request.saleId))
    .for('update')
  if (sale === undefined) throw new Error(`No sale ${request.saleId}`)
  const variantIds = lines.map((line) => line.variantId)
  const [sold, before] = await Promise.all([
    soldLinesOf(tx, request.saleId, variantIds),
    tx
      .select({
        variantId: refundedGoods.variantId,
        units: sql<number>`sum(${refundedGoods.quantity})::int`.mapWith(Number),
      })
      .from(refundedGoods)
      .where(
        and(eq(refundedGoods.saleId, request.saleId), inArray(refundedGoods.variantId, variantIds)),
      )
      .groupBy(refundedGoods.variantId),
  ])
  const already = new Map(before.map((row) => [row.variantId, row.units]))
  for (const line of lines) {
    const soldUnits = sold.get(line.variantId)?.sold ?? 0
    const left = soldUnits - (already.get(line.variantId) ?? 0)
    if (line.quantity > left) {
      const message = `the sale sold ${soldUnits} of variant '${line.variantId}' and ${left} of them can still come back or be written off; ${line.quantity} named`
      throw new MitraError('goods_exceed_sale', `'${line.path}': ${message}`, {
        errors: [{ path: line.path, code: 'goods_exceed_sale', message }],
        extensions: { variant_id: line.variantId, sold: soldUnits, left, requested: line.quantity },
      })
    }
  }
  const recorded: RefundedGoodsLine[] = []
  // Levels in variant order, as every writer locks them.
  for (const { line } of inLockOrder(lines.map((l) => ({ ...l, variant_id: l.variantId })))) {
    const from = sold.get(line.variantId) as SoldLine
    const lotId =
      request.goods === 'restock'
        ? await addStock(
            tx,
            {
              venueId: sale.venueId,
              producerId: from.producerId,
              variantId: line.variantId,
              agreementId: from.agreementId,
              agreementVersion: from.agreementVersion,
              documentId: request.refundId,
              reference: sale.receiptNumber,
              reason: request.reason ?? 'refunded; the goods came back',
              actor: request.actor,
              at: request.at,
            },
            'restock',
            line.quantity,
            {
              source: 'refund',
              deliveredAt: from.deliveredAt,
              unitPriceAmount: from.unitPriceAmount,
              currency: from.currency,
            },
          )
        : null
    await tx.insert(refundedGoods).values({
      refundId: request.refundId,
      saleId: request.saleId,
      variantId: line.variantId,
      venueId: sale.venueId,
      producerId: from.producerId,
      goods: request.goods,
      quantity: line.quantity,
      lotId,
      reason: request.reason ?? null,
      actorPartyId: request.actor.partyId,
      actorId: request.actor.actorId,
      createdAt: request.at,
    })
    recorded.push({ variant_id: line.variantId, quantity: line.quantity, lot_id: lotId })
  }
  return recorded
}
