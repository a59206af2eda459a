import { notFound } from '@mitra/core'
import { atomically, type Executor, type OrderRow, orders, paymentEvents } from '@mitra/db'
import { and, asc, eq, gt, isNotNull, isNull, notExists, sql } from 'drizzle-orm'
import { transition } from './order-state.js'
import {
  lockOrder,
  moveOrder,
  type OrderView,
  type OrderViewer,
  orderParts,
  orderView,
  providerOf,
  releaseOrderStock,
} from './orders.js'
import { recordPaymentEvent, refundIsDue } from './payments.js'
import type { ProviderRegistry } from './providers.js'
import { refundUnfilledPayment } from './refunds.js'

/**
 * Cancels an unpaid order (its channel for the buyer, or its venue): the stock is released,
 * then the checkout is closed at the provider (`closeCheckout`), so the buyer can no longer
 * pay it. A paid order is refunded instead (409).
 */
export async function cancelOrder(
  db: Executor,
  providers: ProviderRegistry,
  viewer: OrderViewer,
  orderId: string,
  options: { now?: Date; reason?: string } = {},
): Promise<OrderView> {
  const now = options.now ?? new Date()
  const canceled = await atomically(db, async (tx) => {
    const order = await lockOrder(tx, orderId)
    if (order === undefined) throw notFound('order', orderId)
    const { venue } = await orderParts(tx, orderId)
    // The buyer's channel or the selling venue; producers see orders but do not cancel them.
    const allowed =
      'channelId' in viewer
        ? order.channelId === viewer.channelId
        : venue.venueId === viewer.partyId || order.channelId === viewer.partyId
    if (!allowed) throw notFound('order', orderId)
    transition(order.status, 'canceled')
    await releaseOrderStock(tx, order, now)
    const reason = options.reason ?? 'canceled before payment'
    return moveOrder(tx, order, 'canceled', reason, now, { closedReason: reason })
  })
  await closeCheckout(db, providers, canceled, now).catch(() => {
    // The provider could not be reached: `closeCanceledCheckouts` tries again later.
  })
  const [current] = await db.select().from(orders).where(eq(orders.id, orderId))
  return orderView(db, current as OrderRow)
}

/** The event that records a canceled order's checkout closed at its provider. */
function closedEventId(orderId: string): string {
  return `checkout-closed:${orderId}`
}

/**
 * Closes a canceled order's checkout at its provider (`expireCheckout`) and records that it
 * did. If the buyer paid first, the provider says so: the payment is recorded on the
 * canceled order, never taken, and all of it goes back, once (`refundUnfilledPayment`). A
 * provider that cannot be reached throws, and nothing is recorded.
 */
export async function closeCheckout(
  db: Executor,
  providers: ProviderRegistry,
  order: OrderRow,
  now: Date,
): Promise<void> {
  if (order.providerSessionId === null) return
  const provider = await providerOf(db, providers, order)
  const status = await provider.expireCheckout({
    orderId: order.id,
    sessionId: order.providerSessionId,
  })
  // Stored once, whatever it says: a paid answer is applied as any payment for a canceled
  // order is; any other changes nothing and marks the checkout closed.
  const applied = await recordPaymentEvent(
    db,
    {
      provider: order.provider,
      eventId: closedEventId(order.id),
      orderId: order.id,
      state: status.state,
      amount: status.amount,
      currency: status.currency,
      paymentId: status.paymentId,
      fee: status.fee,
      raw: { closed: status },
    },
    'checkout closed after the order was canceled',
    now,
  )
  if (refundIsDue(applied)) await refundUnfilledPayment(db, providers, order.id, { now })
}

export interface CloseCheckoutsOptions {
  now?: Date
  /** Orders per pass (default 20). */
  limit?: number
  /** How far back canceled orders are looked at (default 24 h: no checkout lives longer). */
  withinHours?: number
}

/**
 * The worker's side of `cancelOrder`: closes at their providers the checkouts of orders
 * canceled without a payment whose closing was never recorded (the provider did not answer,
 * or the process stopped in between). Answers how many it closed, and what failed.
 */
export async function closeCanceledCheckouts(
  db: Executor,
  providers: ProviderRegistry,
  options: CloseCheckoutsOptions = {},
): Promise<{ closed: number; failed: { orderId: string; error: string }[] }> {
  const now = options.now ?? new Date()
  const since = new Date(now.getTime() - (options.withinHours ?? 24) * 3_600_000)
  const open = await db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.status, 'canceled'),
        isNull(orders.paidAmount),
        isNotNull(orders.providerSessionId),
        gt(orders.updatedAt, since),
        notExists(
          db
            .select({ one: sql`1` })
            .from(paymentEvents)
            .where(
              and(
                eq(paymentEvents.provider, orders.provider),
                eq(paymentEvents.eventId, sql`'checkout-closed:' || ${orders.id}`),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(orders.updatedAt))
    .limit(options.limit ?? 20)
  const result = { closed: 0, failed: [] as { orderId: string; error: string }[] }
  for (const order of open) {
    try {
      await closeCheckout(db, providers, order, now)
      result.closed++
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      result.failed.push({ orderId: order.id, error: message })
    }
  }
  return result
}
