import { MitraError, newId } from '@mitra/core'
import { inTransaction, refundedGoods, stockLevels, stockLots, stockMovements } from '@mitra/db'
import { expectMitraError, testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { dayMs } from './aging.js'
import { type RefundedGoodsRequest, recordRefundedGoods } from './refunded-goods.js'
import { recordSale } from './sales.js'
import { partners, receipt, stockUp } from './testing.js'
import { producerStock, reconcileStock } from './views.js'

const t0 = new Date('2026-05-04T01:00:00Z')
const later = (days: number) => new Date(t0.getTime() + days * dayMs)

describe.each(testDatabaseKinds())('goods of refunded sales on %s', (kind) => {
  const database = useTestDatabase(kind)

  async function onHand(venueId: string, variantId: string) {
    const [row] = await database()
      .db.select({ onHand: stockLevels.onHand })
      .from(stockLevels)
      .where(and(eq(stockLevels.venueId, venueId), eq(stockLevels.variantId, variantId)))
    return row?.onHand
  }

  /** A venue holding 2 units delivered on day 0 and 3 on day 10, that sold 4 on day 20. */
  async function soldFour() {
    const { db } = database()
    const world = await partners(db)
    const variantId = world.variants[0] as string
    await stockUp(db, world.producer, world.venue, [{ variant_id: variantId, quantity: 2 }], t0)
    const second = [{ variant_id: variantId, quantity: 3 }]
    await stockUp(db, world.producer, world.venue, second, later(10))
    const sale = await recordSale(
      db,
      world.venue.staff,
      {
        venue_id: world.venue.id,
        receipt_number: receipt(),
        channel: 'qris',
        lines: [{ variant_id: variantId, quantity: 4 }],
      },
      { now: later(20) },
    )
    const request = (
      goods: RefundedGoodsRequest['goods'],
      quantity: number,
    ): RefundedGoodsRequest => ({
      refundId: newId('re'),
      saleId: sale.id,
      goods,
      lines: [{ variantId, quantity, path: 'lines.0.quantity' }],
      reason: 'refunded',
      actor: { partyId: world.venue.id, actorId: null },
      at: later(25),
    })
    return { ...world, variantId, sale, request }
  }

  it('restocks sold units as a lot dated as the oldest they were sold from, naming the refund', async () => {
    const { db } = database()
    const { venue, producer, variantId, sale, request } = await soldFour()
    expect(await onHand(venue.id, variantId)).toBe(1)

    const back = request('restock', 3)
    const [line] = await inTransaction(db, (tx) => recordRefundedGoods(tx, back))
    expect(line).toMatchObject({ variant_id: variantId, quantity: 3 })
    expect(await onHand(venue.id, variantId)).toBe(4)
    const [lot] = await db
      .select()
      .from(stockLots)
      .where(eq(stockLots.id, line?.lot_id as string))
    expect(lot).toMatchObject({
      source: 'refund',
      documentId: back.refundId,
      quantity: 3,
      remaining: 3,
      deliveredAt: t0,
      unitPriceAmount: 100_000,
    })
    const movements = await db
      .select()
      .from(stockMovements)
      .where(and(eq(stockMovements.venueId, venue.id), eq(stockMovements.kind, 'restock')))
    expect(movements).toMatchObject([
      {
        onHandDelta: 3,
        reservedDelta: 0,
        lotId: lot?.id,
        documentId: back.refundId,
        reference: sale.receipt_number,
      },
    ])
    expect(await reconcileStock(db, { venueId: venue.id })).toEqual([])

    // Written off: recorded for the reports, no stock moves.
    await inTransaction(db, (tx) => recordRefundedGoods(tx, request('written_off', 1)))
    expect(await onHand(venue.id, variantId)).toBe(4)
    const report = await producerStock(db, producer.staff, {}, { now: later(26) })
    expect(report.rows[0]).toMatchObject({
      on_hand: 4,
      sold: 4,
      refunded_restocked: 3,
      refunded_written_off: 1,
    })
  })

  it('refuses more than the sale has left to come back, naming the field, and changes nothing', async () => {
    const { db } = database()
    const { venue, variantId, sale, request } = await soldFour()
    await inTransaction(db, (tx) => recordRefundedGoods(tx, request('written_off', 2)))
    for (const goods of ['restock', 'written_off'] as const) {
      await expectMitraError(
        inTransaction(db, (tx) => recordRefundedGoods(tx, request(goods, 3))),
        { code: 'goods_exceed_sale', status: 409, path: 'lines.0.quantity' },
      )
    }
    expect(await onHand(venue.id, variantId)).toBe(1)
    const recorded = await db.select().from(refundedGoods).where(eq(refundedGoods.saleId, sale.id))
    expect(recorded.map((row) => [row.goods, row.quantity])).toEqual([['written_off', 2]])
    await inTransaction(db, (tx) => recordRefundedGoods(tx, request('restock', 2)))
    expect(await onHand(venue.id, variantId)).toBe(3)
  })

  it('lets refunds of one sale race without restocking more than was sold', async () => {
    const { db } = database()
    const { venue, variantId, request } = await soldFour()
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        inTransaction(db, (tx) => recordRefundedGoods(tx, request('restock', 1))),
      ),
    )
    const won = results.filter((r) => r.status === 'fulfilled')
    expect(won).toHaveLength(4)
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toBeInstanceOf(MitraError)
        expect((result.reason as MitraError).code).toBe('goods_exceed_sale')
      }
    }
    expect(await onHand(venue.id, variantId)).toBe(5)
    expect(await reconcileStock(db, { venueId: venue.id })).toEqual([])
  })
})
