import {
  atomically,
  Batcher,
  type BatcherOptions,
  type Executor,
  insertRows,
  isOneOf,
  orderLines,
  orders,
  orderVenues,
  paymentEvents,
  type Settled,
  stockReservations,
} from '@mitra/db'
import {
  isRefundEvent,
  type PaymentEvent,
  type ProviderName,
  type WebhookRequest,
} from '@mitra/payments'
import { asc, eq } from 'drizzle-orm'
import {
  type CartLineCall,
  type CartView,
  type ChannelScope,
  cartLineCall,
  createCarts,
  setCartLines,
} from './carts.js'
import { decidePayment } from './order-state.js'
import {
  type CheckoutCall,
  checkoutCall,
  type OrderView,
  type PlaceOrderOptions,
  placeOrders,
} from './orders.js'
import {
  type AppliedEvent,
  applyWebhookEvent,
  type HeldOrder,
  markOrdersPaid,
  sellHeldOrders,
  type VerifiedEvent,
  verifyWebhook,
} from './payments.js'
import type { ProviderRegistry } from './providers.js'
import type { CartLineInput, CheckoutInput } from './schemas.js'

/** A verified event waiting for its batch, and when it arrived. */
export interface IncomingEvent extends VerifiedEvent {
  now: Date
}

const eventKey = (provider: string, eventId: string) => `${provider} ${eventId}`

/**
 * The events of a batch that fill a pending order exactly as asked, the first event of
 * each order: signed by the account that takes the order's money, paid in full in the
 * order's currency, its stock still held, the event new. They are applied together in one
 * transaction (`sellHeldOrders`, `markOrdersPaid`), with one statement per table for all.
 * Returns the indexes it applied.
 */
export async function payTogether(
  db: Executor,
  items: readonly IncomingEvent[],
  now: Date,
): Promise<number[]> {
  const seen = new Set<string>()
  const candidates: number[] = []
  for (const [index, { event }] of items.entries()) {
    if (isRefundEvent(event) || event.state !== 'paid' || seen.has(event.orderId)) continue
    seen.add(event.orderId)
    candidates.push(index)
  }
  if (candidates.length === 0) return []
  return atomically(db, async (tx) => {
    const ids = candidates.map((index) => (items[index] as IncomingEvent).event.orderId)
    // Sent together, in one round trip: the connection runs them in order, so the orders
    // are locked before their reservations, as everywhere else.
    const [locked, venues, lines, held] = await Promise.all([
      tx.select().from(orders).where(isOneOf(orders.id, ids)).orderBy(asc(orders.id)).for('update'),
      tx.select().from(orderVenues).where(isOneOf(orderVenues.orderId, ids)),
      tx
        .select()
        .from(orderLines)
        .where(isOneOf(orderLines.orderId, ids))
        .orderBy(asc(orderLines.orderId), asc(orderLines.position)),
      tx
        .select({ id: stockReservations.id, status: stockReservations.status })
        .from(stockReservations)
        .innerJoin(orderVenues, eq(orderVenues.reservationId, stockReservations.id))
        .where(isOneOf(orderVenues.orderId, ids))
        .orderBy(asc(stockReservations.id))
        .for('update', { of: stockReservations }),
    ])
    const heldIds = new Set(held.filter((r) => r.status === 'held').map((r) => r.id))
    const orderOf = new Map(locked.map((order) => [order.id, order]))
    const venueOf = new Map(venues.map((venue) => [venue.orderId, venue]))
    const chosen = candidates.filter((index) => {
      const { event, sender } = items[index] as IncomingEvent
      const order = orderOf.get(event.orderId)
      const venue = venueOf.get(event.orderId)
      if (order === undefined || venue === undefined || isRefundEvent(event)) return false
      const account = order.collector === 'venue' ? venue.venueId : null
      return (
        order.provider === event.provider &&
        account === sender &&
        decidePayment(order.status, 'paid', order.paidAmount !== null).kind === 'pay' &&
        (event.currency === null || event.currency === order.currency) &&
        (event.amount ?? order.total) === order.total &&
        heldIds.has(venue.reservationId)
      )
    })
    if (chosen.length === 0) return []
    // Stored once per (provider, event id): one delivered before is a replay, left to the
    // one-at-a-time path, which answers it as first recorded.
    const stored = await insertRows(
      tx,
      paymentEvents,
      chosen.map((index) => {
        const { event } = items[index] as IncomingEvent
        return {
          provider: event.provider,
          eventId: event.eventId,
          orderId: event.orderId,
          state: event.state,
          outcome: 'paid',
          payload: (event.raw ?? {}) as object,
          receivedAt: now,
        }
      }),
      { onConflictDoNothing: true, returning: ['provider', 'event_id'] },
    )
    const isNew = new Set(
      stored.map((row) => eventKey(row.provider as string, row.event_id as string)),
    )
    const taken = chosen.filter((index) => {
      const { event } = items[index] as IncomingEvent
      return isNew.has(eventKey(event.provider, event.eventId))
    })
    const paid = taken.map((index) => {
      const { event } = items[index] as IncomingEvent & { event: PaymentEvent }
      const order = orderOf.get(event.orderId) as (typeof locked)[number]
      const venue = venueOf.get(event.orderId) as (typeof venues)[number]
      const held: HeldOrder = {
        order,
        parts: { venue, lines: lines.filter((line) => line.orderId === order.id) },
        reservationId: venue.reservationId,
        facts: event,
      }
      return held
    })
    if (paid.length === 0) return []
    // Every order here is paid in full with its stock held: its sale and its new status are
    // written together.
    await Promise.all([
      sellHeldOrders(tx, paid, now),
      markOrdersPaid(
        tx,
        paid.map(({ order, facts }) => ({ order, facts, cause: `${order.provider} webhook` })),
        now,
      ),
    ])
    return taken
  })
}

/**
 * Applies many verified webhook events: those that simply pay a pending order go
 * together (`payTogether`); every other one (refunds, replays, late or short payments,
 * another account's events) then goes alone through `applyWebhookEvent`, exactly as if it
 * had arrived by itself.
 */
export async function applyWebhookEvents(
  db: Executor,
  providers: ProviderRegistry,
  items: readonly IncomingEvent[],
): Promise<Settled<AppliedEvent>[]> {
  const now = (items[0] as IncomingEvent).now
  const results: Settled<AppliedEvent>[] = new Array(items.length)
  for (const index of await payTogether(db, items, now)) {
    const { event } = items[index] as IncomingEvent
    const value = {
      provider: event.provider,
      eventId: event.eventId,
      orderId: event.orderId,
      outcome: 'paid' as const,
      replayed: false,
    }
    results[index] = { ok: true, value }
  }
  for (const [index, item] of items.entries()) {
    if (results[index] !== undefined) continue
    try {
      const value = await applyWebhookEvent(db, providers, item.event, item.sender, item.now)
      results[index] = { ok: true, value }
    } catch (error) {
      results[index] = { ok: false, error }
    }
  }
  return results
}

/** Every call of a batch answered with its value. */
function settled<O>(values: readonly O[]): Settled<O>[] {
  return values.map((value) => ({ ok: true, value }))
}

/** What `checkoutBatches` is set up with. */
export interface CheckoutBatchOptions extends BatcherOptions {
  /** How orders are placed (payment window, return URLs); `now` is each batch's own. */
  orders?: Omit<PlaceOrderOptions, 'now'>
}

/**
 * Checkouts and webhooks received by one server, run in batches: calls that arrive while
 * others are running wait and go together into the next batch, sharing statements and
 * commits (`placeOrders`, `applyWebhookEvents`). Each call is checked on its own first
 * (its input parsed, a webhook's signature verified), so a bad one is refused at once and
 * alone. A batch that fails is run again one call at a time, so each error reaches only
 * its own caller.
 *
 * @example
 * const checkout = checkoutBatches(db, providers)
 * const order = await checkout.placeOrder({ channelId }, cartId, input)
 * const applied = await checkout.receiveWebhook('stripe', { rawBody, headers })
 */
export function checkoutBatches(
  db: Executor,
  providers: ProviderRegistry,
  options: CheckoutBatchOptions = {},
) {
  const webhooks = new Batcher<IncomingEvent, AppliedEvent>(
    (items) => applyWebhookEvents(db, providers, items),
    options,
  )
  const checkouts = new Batcher<CheckoutCall & { now: Date }, OrderView>(
    (calls) =>
      placeOrders(db, providers, calls, {
        ...options.orders,
        now: (calls[0] as { now: Date }).now,
      }),
    options,
  )
  const newCarts = new Batcher<ChannelScope & { now: Date }, CartView>(
    async (scopes) => settled(await createCarts(db, scopes, (scopes[0] as { now: Date }).now)),
    options,
  )
  const cartLines = new Batcher<CartLineCall & { now: Date }, CartView>(
    async (calls) => settled(await setCartLines(db, calls, (calls[0] as { now: Date }).now)),
    options,
  )
  return {
    createCart(scope: ChannelScope, callOptions: { now?: Date } = {}): Promise<CartView> {
      return newCarts.submit({ ...scope, now: callOptions.now ?? new Date() })
    },
    async setCartLine(
      scope: ChannelScope,
      cartId: string,
      input: CartLineInput,
      callOptions: { now?: Date } = {},
    ): Promise<CartView> {
      const call = cartLineCall(scope, cartId, input)
      return cartLines.submit({ ...call, now: callOptions.now ?? new Date() })
    },
    async placeOrder(
      scope: ChannelScope,
      cartId: string,
      input: CheckoutInput,
      callOptions: { now?: Date } = {},
    ): Promise<OrderView> {
      const call = checkoutCall(providers, scope, cartId, input)
      return checkouts.submit({ ...call, now: callOptions.now ?? new Date() })
    },
    async receiveWebhook(
      name: ProviderName,
      request: WebhookRequest,
      receiveOptions: { now?: Date; accountId?: string } = {},
    ): Promise<AppliedEvent> {
      const verified = await verifyWebhook(providers, name, request, receiveOptions.accountId)
      return webhooks.submit({ ...verified, now: receiveOptions.now ?? new Date() })
    },
  }
}
