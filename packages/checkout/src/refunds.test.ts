import { reconcileStock } from '@mitra/consignment'
import { type MitraError, money, newId } from '@mitra/core'
import { orderRefunds, refundedGoods, stockMovements } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import type { PaymentProvider } from '@mitra/payments'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { getOrder } from './orders.js'
import type { ProviderRegistry } from './providers.js'
import { goodsOfRefund, type RefundAllocation, refundOrder } from './refunds.js'
import type { RefundInput } from './schemas.js'
import { checkoutTestbed, expectMitraError, type Shop, shop } from './testing.js'

describe('goodsOfRefund', () => {
  const lines = [
    { position: 0, quantity: 3, lineTotal: 300_000 },
    { position: 1, quantity: 2, lineTotal: 100_000 },
  ]
  const whole: RefundAllocation = {
    lines: [
      { position: 0, amount: 300_000 },
      { position: 1, amount: 100_000 },
    ],
    delivery: 0,
  }
  const inPart: RefundAllocation = {
    lines: [
      { position: 0, amount: 300_000 },
      { position: 1, amount: 40_000 },
    ],
    delivery: 0,
  }

  it('applies goods to the units refunded by lines', () => {
    const request = { goods: 'restock' as const, lines: [{ position: 1, quantity: 1 }] }
    expect(goodsOfRefund(lines, whole, request)).toEqual([
      { position: 1, quantity: 1, path: 'lines.0.quantity' },
    ])
  })

  it('by amount, to every unit of a line refunded whole and none of the others', () => {
    for (const goods of ['restock', 'written_off', 'kept'] as const) {
      expect(goodsOfRefund(lines, whole, { goods })).toEqual([
        { position: 0, quantity: 3, path: 'quantities' },
        { position: 1, quantity: 2, path: 'quantities' },
      ])
    }
    expect(goodsOfRefund(lines, inPart, { goods: 'kept' })).toEqual([
      { position: 0, quantity: 3, path: 'quantities' },
    ])
  })

  it('needs quantities to restock or write off a line refunded in part', () => {
    for (const goods of ['restock', 'written_off'] as const) {
      expect(() => goodsOfRefund(lines, inPart, { goods })).toThrow(
        expect.objectContaining({
          code: 'validation_failed',
          errors: [expect.objectContaining({ path: 'quantities', code: 'required' })],
        }),
      )
    }
    const quantities = [{ position: 1, quantity: 1 }]
    expect(goodsOfRefund(lines, inPart, { goods: 'restock', quantities })).toEqual([
      { position: 1, quantity: 1, path: 'quantities.0.quantity' },
    ])
  })

  it('refuses quantities of a line the refund does not refund, named twice, or too many', () => {
    const partOnly: RefundAllocation = { lines: [{ position: 1, amount: 40_000 }], delivery: 0 }
    const refused = (quantities: { position: number; quantity: number }[], path: string) =>
      expect(() => goodsOfRefund(lines, partOnly, { goods: 'restock', quantities })).toThrow(
        expect.objectContaining({ errors: [expect.objectContaining({ path })] }),
      )
    refused([{ position: 0, quantity: 1 }], 'quantities.0.position')
    refused([{ position: 7, quantity: 1 }], 'quantities.0.position')
    refused(
      [
        { position: 1, quantity: 1 },
        { position: 1, quantity: 1 },
      ],
      'quantities.1.position',
    )
    refused([{ position: 1, quantity: 3 }], 'quantities.0.quantity')
  })
})

describe.each(testDatabaseKinds())('refunds and their goods on %s', (kind) => {
  const database = useTestDatabase(kind)
  const { clock, demo, registry, available, ordered, deliver, sessionOf } = checkoutTestbed(
    () => database().db,
  )

  /** A venue with 5 units of a variant that sold 3 of them online, paid. */
  async function soldThree() {
    const s = await shop(database().db, 5)
    const order = await ordered(s, 3)
    await deliver(await demo.complete(sessionOf(order.id), 'pay'))
    expect(await available(s, variant(s))).toBe(2)
    return { s, order }
  }
  const variant = (s: Shop) => s.variants[0] as string

  function refund(
    s: Shop,
    orderId: string,
    input: RefundInput,
    options: { refundId?: string; providers?: ProviderRegistry } = {},
  ) {
    return refundOrder(
      database().db,
      options.providers ?? registry,
      s.venue.owner,
      orderId,
      input,
      {
        now: clock.now,
        ...(options.refundId === undefined ? {} : { refundId: options.refundId }),
      },
    )
  }

  async function restocks(venueId: string) {
    return database()
      .db.select()
      .from(stockMovements)
      .where(and(eq(stockMovements.venueId, venueId), eq(stockMovements.kind, 'restock')))
  }

  it('restocks the units refunded by lines, in a movement naming the refund', async () => {
    const { db } = database()
    const { s, order } = await soldThree()
    const { refund: made } = await refund(s, order.id, {
      lines: [{ position: 0, quantity: 2 }],
      goods: 'restock',
      reason: 'returned unworn',
    })
    expect(made).toMatchObject({
      status: 'succeeded',
      goods: 'restock',
      goods_lines: [{ position: 0, quantity: 2 }],
    })
    expect(await available(s, variant(s))).toBe(4)
    expect(await restocks(s.venue.id)).toMatchObject([
      {
        variantId: variant(s),
        onHandDelta: 2,
        documentId: made.id,
        reason: 'returned unworn',
        actorPartyId: s.venue.id,
        actorId: s.venue.owner.actorId,
      },
    ])
    expect(await reconcileStock(db, { venueId: s.venue.id })).toEqual([])
    // The rest by amount: the line is not refunded whole by it, so it must say how many.
    await expectMitraError(refund(s, order.id, { goods: 'restock' }), {
      code: 'validation_failed',
      status: 422,
      path: 'quantities',
    })
    const rest = await refund(s, order.id, {
      goods: 'restock',
      quantities: [{ position: 0, quantity: 1 }],
    })
    expect(rest.order.status).toBe('refunded')
    expect(await available(s, variant(s))).toBe(5)
  })

  it('restocks every unit of a line a refund by amount refunds whole', async () => {
    const { s, order } = await soldThree()
    const { refund: made } = await refund(s, order.id, { goods: 'restock' })
    expect(made.goods_lines).toEqual([{ position: 0, quantity: 3 }])
    expect(await available(s, variant(s))).toBe(5)
  })

  it('moves no stock for goods the buyer kept or that were written off, and says which', async () => {
    const { db } = database()
    const { s, order } = await soldThree()
    const kept = await refund(s, order.id, { amount: money(50_000, 'IDR'), goods: 'kept' })
    expect(kept.refund).toMatchObject({ goods: 'kept', goods_lines: [] })
    const lost = await refund(s, order.id, {
      lines: [{ position: 0, quantity: 1 }],
      goods: 'written_off',
      reason: 'lost in transit',
    })
    expect(lost.refund).toMatchObject({
      goods: 'written_off',
      goods_lines: [{ position: 0, quantity: 1 }],
    })
    expect(await available(s, variant(s))).toBe(2)
    expect(await restocks(s.venue.id)).toEqual([])
    // Written off is recorded for the stock reports; kept goods simply stay sold.
    const recorded = await db
      .select()
      .from(refundedGoods)
      .where(eq(refundedGoods.venueId, s.venue.id))
    expect(recorded).toMatchObject([
      { refundId: lost.refund.id, goods: 'written_off', quantity: 1, lotId: null },
    ])
  })

  it('refuses to restock more than was sold and not yet back, naming the field, changing nothing', async () => {
    const { db } = database()
    const { s, order } = await soldThree()
    const small = (quantity: number): RefundInput => ({
      amount: money(1_000, 'IDR'),
      goods: 'restock',
      quantities: [{ position: 0, quantity }],
    })
    await refund(s, order.id, small(2))
    await expectMitraError(refund(s, order.id, small(2)), {
      code: 'goods_exceed_sale',
      status: 409,
      path: 'quantities.0.quantity',
    })
    // Written off counts too: a unit comes back or is written off, once.
    await refund(s, order.id, {
      amount: money(1_000, 'IDR'),
      goods: 'written_off',
      quantities: [{ position: 0, quantity: 1 }],
    })
    await expectMitraError(refund(s, order.id, small(1)), {
      code: 'goods_exceed_sale',
      status: 409,
    })
    await expectMitraError(refund(s, order.id, small(4)), {
      code: 'validation_failed',
      status: 422,
      path: 'quantities.0.quantity',
    })
    // Nothing of the refused refunds stayed: no money claimed, no refund, no stock.
    expect((await getOrder(db, { channelId: s.venue.id }, order.id)).refunded_amount.amount).toBe(
      2_000,
    )
    const rows = await db.select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id))
    expect(rows).toHaveLength(2)
    expect(await available(s, variant(s))).toBe(4)
  })

  it('restocks once when the same refund is asked again', async () => {
    const { s, order } = await soldThree()
    const input: RefundInput = { lines: [{ position: 0, quantity: 1 }], goods: 'restock' }
    const refundId = newId('re')
    const first = await refund(s, order.id, input, { refundId })
    const again = await refund(s, order.id, input, { refundId })
    expect(again.refund).toEqual(first.refund)
    expect(await available(s, variant(s))).toBe(3)
    expect(await restocks(s.venue.id)).toHaveLength(1)
  })

  it('lets refunds of one line race without restocking more than was sold', async () => {
    const { db } = database()
    const { s, order } = await soldThree()
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        refund(s, order.id, {
          amount: money(1_000, 'IDR'),
          goods: 'restock',
          quantities: [{ position: 0, quantity: 1 }],
        }),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3)
    for (const result of results) {
      if (result.status === 'rejected') {
        expect((result.reason as MitraError).code).toBe('goods_exceed_sale')
      }
    }
    expect(await available(s, variant(s))).toBe(5)
    expect(await reconcileStock(db, { venueId: s.venue.id })).toEqual([])
  })

  it('keeps goods on the shelf when the provider refuses the money', async () => {
    const refusing: ProviderRegistry = {
      names: () => ['demo'],
      get: (name, accountId) => {
        const provider = registry.get(name, accountId) as PaymentProvider
        return new Proxy(provider, {
          get(target, property) {
            if (property === 'refund') return async () => ({ refundId: 're_no', state: 'failed' })
            const value = Reflect.get(target, property)
            return typeof value === 'function' ? value.bind(target) : value
          },
        })
      },
    }
    const { s, order } = await soldThree()
    const input: RefundInput = { lines: [{ position: 0, quantity: 1 }], goods: 'restock' }
    await expectMitraError(refund(s, order.id, input, { providers: refusing }), {
      code: 'provider_rejected',
      status: 502,
    })
    // The money can be refunded again; the unit is back already, so only the others can come back.
    expect(await available(s, variant(s))).toBe(3)
    await expectMitraError(refund(s, order.id, { goods: 'restock' }), {
      code: 'goods_exceed_sale',
      status: 409,
    })
    const again = await refund(s, order.id, {
      goods: 'restock',
      quantities: [{ position: 0, quantity: 2 }],
    })
    expect(again.order.status).toBe('refunded')
    expect(await available(s, variant(s))).toBe(5)
  })
})
