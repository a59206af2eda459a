import { reserve } from '@mitra/consignment'
import { currency as checkCurrency, MitraError, money, newId } from '@mitra/core'
import {
  atomically,
  type Executor,
  type OrderRow,
  orderLines,
  orders,
  orderTransitions,
  orderVenues,
  paymentEvents,
  recordset,
} from '@mitra/db'
import {
  isRefundEvent,
  type PaymentEvent,
  type PaymentState,
  type PaymentStatus,
  type ProviderName,
  type RefundEvent,
  type WebhookRequest,
} from '@mitra/payments'
import {
  completeReservationSales,
  type EntryPost,
  type PostedTransaction,
  postEntries,
  type ReservationSale,
  saleLineIdOf,
} from '@mitra/revenue-share'
import { and, asc, eq, lte, sql } from 'drizzle-orm'
import { deliveryFeeEntry } from './ledger-entries.js'
import { decidePayment, transition } from './order-state.js'
import {
  lockOrder,
  moveOrder,
  type OrderParts,
  orderParts,
  providerOf,
  releaseOrderStock,
  reservationHeld,
  venueScope,
} from './orders.js'
import type { ProviderRegistry } from './providers.js'
import { checkAcceptedRefunds, takeProviderRefund, takeRefundEvent } from './refunds.js'
import { applyRemittancePayment, isRemittancePayment } from './remittance-payments.js'

/**
 * What a payment event did to its order. `refund_due` and `amount_mismatch`: money was
 * taken that fills nothing, and all of it goes back (`refundUnfilledPayment`).
 */
export type PaymentOutcome =
  | 'paid'
  | 'paid_late'
  | 'expired'
  | 'canceled'
  | 'ignored'
  | 'amount_mismatch'
  | 'currency_mismatch'
  | 'refund_due'
  | 'refunded'
  | 'unknown_order'
  // A refund's own event: how the refund it names stands after it.
  | 'refund_succeeded'
  | 'refund_pending'
  | 'refund_failed'
  // A payment link of a venue's remittance to the platform was paid: recorded and confirmed.
  | 'remittance_received'

export interface AppliedEvent {
  provider: ProviderName
  eventId: string
  orderId: string | null
  outcome: PaymentOutcome
  /** The event was received before: nothing changed this time. */
  replayed: boolean
}

/** The event took money that fills nothing: all of it is to go back (`refundUnfilledPayment`). */
export function refundIsDue(applied: AppliedEvent): applied is AppliedEvent & { orderId: string } {
  return (
    !applied.replayed &&
    applied.orderId !== null &&
    (applied.outcome === 'refund_due' || applied.outcome === 'amount_mismatch')
  )
}

/** The part of a provider's word that decides what happens to the order. */
export interface PaymentFacts {
  state: PaymentState
  amount: number | null
  currency: string | null
  paymentId: string | null
  fee: number | null
}

/**
 * Turns the order's held stock into a sale at the venue and posts every line's split (and
 * the delivery fee) in the caller's transaction. A reservation that is no longer held (the
 * payment came after the hold ran out) is taken again at the prices charged; if the stock
 * or the price is gone, `false`: the money must go back.
 */
async function sellOrder(tx: Executor, order: OrderRow, facts: PaymentFacts, now: Date) {
  const { venue, lines } = await orderParts(tx, order.id)
  const scope = venueScope(venue.venueId)
  const code = checkCurrency(order.currency)
  let reservationId = venue.reservationId
  if (!(await reservationHeld(tx, venue))) {
    try {
      // A savepoint: a refused hold must not spoil the transaction that records the event.
      const again = await tx.transaction((inner) =>
        reserve(
          inner,
          scope,
          {
            venue_id: venue.venueId,
            reference: order.id,
            ttl_seconds: 60,
            lines: lines.map((line) => ({
              variant_id: line.variantId,
              quantity: line.quantity,
              unit_price: money(line.unitPrice, code),
            })),
          },
          { now },
        ),
      )
      // Recorded on the order's venue part with its sale, below.
      reservationId = again.id
    } catch (error) {
      if (error instanceof MitraError && error.status < 500) return false
      throw error
    }
  }
  await sellHeldOrders(tx, [{ order, parts: { venue, lines }, reservationId, facts }], now)
  return true
}

/** A paid order whose stock is held by `reservationId`, ready to become a sale. */
export interface HeldOrder {
  order: OrderRow
  parts: OrderParts
  reservationId: string
  facts: PaymentFacts
}

/**
 * Turns the held stock of paid orders into sales, posts every line's split and each
 * delivery fee, and records on every order line its sale line: one statement per table
 * for all the orders, in the caller's transaction.
 */
export async function sellHeldOrders(tx: Executor, held: readonly HeldOrder[], now: Date) {
  // The sales' ids are chosen here, so the orders can record them while the sales are made.
  const saleIds = held.map(() => newId('sale'))
  await Promise.all([
    completeReservationSales(
      tx,
      held.map(({ order, parts, reservationId, facts }, index) => {
        const sale: ReservationSale = {
          scope: venueScope(parts.venue.venueId),
          reservationId,
          receiptNumber: order.id,
          saleId: saleIds[index] as string,
        }
        if (facts.fee !== null && facts.fee > 0) {
          sale.paymentFee = money(facts.fee, checkCurrency(order.currency))
        }
        // Paid into the venue's own provider account: the venue holds the money, as at its
        // counter.
        if (order.collector === 'venue') sale.collectorId = parts.venue.venueId
        return sale
      }),
      now,
    ),
    // Each line learns its sale line, the venue's part its sale.
    tx.execute(sql`update ${orderLines} as l set sale_line_id = t.sale_line_id
      from ${recordset(
        't',
        { order_id: 'text', position: 'int', sale_line_id: 'text' },
        held.flatMap(({ order, parts }, index) =>
          parts.lines.map((line) => ({
            order_id: order.id,
            position: line.position,
            sale_line_id: saleLineIdOf(saleIds[index] as string, line.variantId),
          })),
        ),
      )}
      where l.order_id = t.order_id and l.position = t.position`),
    setVenueParts(
      tx,
      held.map(({ order, parts, reservationId }, index) => ({
        order_id: order.id,
        venue_id: parts.venue.venueId,
        reservation_id: reservationId,
        sale_id: saleIds[index] as string,
      })),
    ),
  ])
  // A delivery fee the venue collected itself is its own money: nobody owes it to anyone.
  const delivered = held.filter(
    ({ order, parts }) => parts.venue.deliveryFee > 0 && order.collector !== 'venue',
  )
  if (delivered.length === 0) return
  const deliveryEntries: EntryPost[] = []
  for (const { order, parts } of delivered) {
    const entry = await deliveryFeeEntry(tx, {
      orderId: order.id,
      venueId: parts.venue.venueId,
      amount: money(parts.venue.deliveryFee, checkCurrency(order.currency)),
    })
    deliveryEntries.push({ entry, options: { occurredAt: now } })
  }
  const posted = await postEntries(tx, deliveryEntries)
  await setVenueParts(
    tx,
    delivered.map(({ order, parts, reservationId }, index) => ({
      order_id: order.id,
      venue_id: parts.venue.venueId,
      reservation_id: reservationId,
      sale_id: saleIds[held.findIndex((h) => h.order.id === order.id)] as string,
      delivery_line_id: (posted[index] as PostedTransaction).id,
    })),
  )
}

/** Records on orders' venue parts their reservation, sale and delivery fee's posting. */
function setVenueParts(
  tx: Executor,
  parts: readonly {
    order_id: string
    venue_id: string
    reservation_id: string
    sale_id: string
    delivery_line_id?: string
  }[],
) {
  return tx.execute(sql`update ${orderVenues} as v
    set reservation_id = t.reservation_id, sale_id = t.sale_id, delivery_line_id = t.delivery_line_id
    from ${recordset(
      't',
      {
        order_id: 'text',
        venue_id: 'text',
        reservation_id: 'text',
        sale_id: 'text',
        delivery_line_id: 'text',
      },
      parts.map((part) => ({ delivery_line_id: null, ...part })),
    )}
    where v.order_id = t.order_id and v.venue_id = t.venue_id`)
}

/** A payment that fills its order, to record (`markOrdersPaid`). */
interface Payment {
  order: OrderRow
  facts: PaymentFacts
  cause: string
}

/** Orders move to `paid` with what was paid: one statement per table for all of them. */
export async function markOrdersPaid(tx: Executor, payments: readonly Payment[], now: Date) {
  for (const { order } of payments) transition(order.status, 'paid')
  await Promise.all([
    tx.execute(sql`update ${orders} as o
      set status = 'paid', paid_amount = t.paid_amount, payment_fee = t.payment_fee,
          provider_payment_id = t.provider_payment_id, paid_at = t.at, updated_at = t.at
      from ${recordset(
        't',
        {
          id: 'text',
          paid_amount: 'bigint',
          payment_fee: 'bigint',
          provider_payment_id: 'text',
          at: 'timestamptz',
        },
        payments.map(({ order, facts }) => ({
          id: order.id,
          paid_amount: facts.amount ?? order.total,
          payment_fee: facts.fee,
          provider_payment_id: facts.paymentId ?? order.providerPaymentId,
          at: now.toISOString(),
        })),
      )}
      where o.id = t.id`),
    tx.execute(sql`insert into ${orderTransitions}
        (order_id, sequence, from_status, to_status, cause, at)
      select t.order_id,
        (select coalesce(max(x.sequence), 0) + 1 from ${orderTransitions} x
          where x.order_id = t.order_id),
        t.from_status, 'paid', t.cause, t.at
      from ${recordset(
        't',
        { order_id: 'text', from_status: 'order_status', cause: 'text', at: 'timestamptz' },
        payments.map(({ order, cause }) => ({
          order_id: order.id,
          from_status: order.status,
          cause,
          at: now.toISOString(),
        })),
      )}`),
  ])
}

/**
 * Applies what the provider says about an order's payment, inside the caller's transaction,
 * with the order locked: paid → the stock becomes a sale and the split is posted; expired or
 * failed → the stock is released. Anything that would move the order backwards is ignored.
 */
export async function applyPayment(
  tx: Executor,
  orderId: string,
  facts: PaymentFacts,
  cause: string,
  now: Date,
): Promise<PaymentOutcome> {
  const order = await lockOrder(tx, orderId)
  if (order === undefined) return 'unknown_order'
  const decision = decidePayment(order.status, facts.state, order.paidAmount !== null)
  if (decision.kind === 'ignore') return 'ignored'
  if (decision.kind === 'refund') {
    if (facts.amount === null || (facts.currency !== null && facts.currency !== order.currency))
      return 'ignored'
    return (await takeProviderRefund(tx, order, facts.amount, cause, now)) ? 'refunded' : 'ignored'
  }
  if (decision.kind === 'close') {
    await releaseOrderStock(tx, order, now)
    await moveOrder(tx, order, decision.status, cause, now, { closedReason: decision.reason })
    return decision.status
  }
  if (facts.currency !== null && facts.currency !== order.currency) {
    // Cannot happen with sessions mitra opens; stored for a person, nothing filled.
    return 'currency_mismatch'
  }
  const paid = {
    paidAmount: facts.amount ?? order.total,
    paymentFee: facts.fee,
    providerPaymentId: facts.paymentId ?? order.providerPaymentId,
    paidAt: now,
  }
  if (decision.kind === 'give_back') {
    // Kept on the canceled order for the refund of all of it (`refundUnfilledPayment`).
    await tx
      .update(orders)
      .set({ ...paid, closedReason: 'paid after it was canceled; refund due', updatedAt: now })
      .where(eq(orders.id, order.id))
    return 'refund_due'
  }
  if (paid.paidAmount !== order.total) {
    // Never mark paid what was not paid as asked: the order closes and all of it goes back.
    const closedReason = `paid ${paid.paidAmount} instead of ${order.total}; refund due`
    if (decision.kind === 'late_payment') {
      await tx
        .update(orders)
        .set({ ...paid, closedReason, updatedAt: now })
        .where(eq(orders.id, order.id))
    } else {
      await releaseOrderStock(tx, order, now)
      await moveOrder(tx, order, 'canceled', cause, now, { ...paid, closedReason })
    }
    return 'amount_mismatch'
  }
  if (decision.kind === 'late_payment') {
    if (!(await sellOrder(tx, order, facts, now))) {
      await tx
        .update(orders)
        .set({ ...paid, closedReason: 'paid after it closed; refund due', updatedAt: now })
        .where(eq(orders.id, order.id))
      return 'refund_due'
    }
    // A closed order that was paid after all, with its stock still there: paid after all.
    await moveOrder(tx, order, 'paid', `${cause} (late, after ${order.status})`, now, {
      ...paid,
      closedReason: null,
    })
    return 'paid_late'
  }
  if (!(await sellOrder(tx, order, facts, now))) {
    await releaseOrderStock(tx, order, now)
    await moveOrder(tx, order, 'canceled', cause, now, {
      ...paid,
      closedReason: 'paid but the stock was gone; refund due',
    })
    return 'refund_due'
  }
  await markOrdersPaid(tx, [{ order, facts, cause }], now)
  return 'paid'
}

/** The outcome of an event stored and not yet applied. */
const unanswered = 'received' as PaymentOutcome

/**
 * Stores a received event once per (provider, event id). The event as first recorded when
 * it was received before (a replay: nothing is to change), else `null`.
 */
async function storeEvent(
  tx: Executor,
  event: Pick<PaymentEvent, 'provider' | 'eventId' | 'raw'>,
  state: string,
  now: Date,
): Promise<AppliedEvent | null> {
  const [stored] = await tx
    .insert(paymentEvents)
    .values({
      provider: event.provider,
      eventId: event.eventId,
      orderId: null,
      state,
      outcome: unanswered,
      payload: (event.raw ?? {}) as object,
      receivedAt: now,
    })
    .onConflictDoNothing()
    .returning()
  if (stored !== undefined) return null
  const [earlier] = await tx
    .select()
    .from(paymentEvents)
    .where(
      and(eq(paymentEvents.provider, event.provider), eq(paymentEvents.eventId, event.eventId)),
    )
  return {
    provider: event.provider,
    eventId: event.eventId,
    orderId: earlier?.orderId ?? null,
    outcome: (earlier?.outcome ?? 'ignored') as PaymentOutcome,
    replayed: true,
  }
}

/** Sets what a stored event did, and to which order. */
async function settleEvent(db: Executor, applied: AppliedEvent): Promise<AppliedEvent> {
  await db
    .update(paymentEvents)
    .set({ outcome: applied.outcome, orderId: applied.orderId })
    .where(
      and(eq(paymentEvents.provider, applied.provider), eq(paymentEvents.eventId, applied.eventId)),
    )
  return applied
}

/**
 * A refund's own event, stored once like a payment's, then taken as the provider's answer
 * about the refund it names (`takeRefundEvent`). Stored first and answered after, so the
 * answer may ask the provider more without holding the event's row; a delivery again of
 * one stored but never answered is answered then.
 */
export async function recordRefundEvent(
  db: Executor,
  providers: ProviderRegistry,
  event: RefundEvent,
  now: Date,
): Promise<AppliedEvent> {
  const earlier = await atomically(db, (tx) => storeEvent(tx, event, `refund_${event.state}`, now))
  // Stored but never answered (the process stopped in between): answered now. Answering
  // twice is harmless: an answer moves a refund still pending, or undoes a made one once.
  if (earlier !== null && earlier.outcome !== unanswered) return earlier
  const refund = await takeRefundEvent(db, providers, event, now)
  return settleEvent(db, {
    provider: event.provider,
    eventId: event.eventId,
    orderId: refund === null ? null : refund.orderId,
    outcome: refund === null ? 'ignored' : `refund_${refund.status}`,
    replayed: false,
  })
}

/**
 * Stores an event once per `(provider, event id)` and applies it, in one transaction: a
 * replay finds the stored row and changes nothing; two deliveries at once are one.
 */
export async function recordPaymentEvent(
  db: Executor,
  event: Pick<
    PaymentEvent,
    | 'provider'
    | 'eventId'
    | 'orderId'
    | 'state'
    | 'amount'
    | 'currency'
    | 'paymentId'
    | 'fee'
    | 'raw'
  >,
  cause: string,
  now: Date,
): Promise<AppliedEvent> {
  return atomically(db, async (tx) => {
    const earlier = await storeEvent(tx, event, event.state, now)
    if (earlier !== null) return earlier
    const remittance = isRemittancePayment(event.orderId)
    const outcome = remittance
      ? await applyRemittancePayment(tx, event.orderId, event, event.provider)
      : await applyPayment(tx, event.orderId, event, cause, now)
    return settleEvent(tx, {
      provider: event.provider,
      eventId: event.eventId,
      // A remittance is no order: its id stays in the event's payload.
      orderId: outcome === 'unknown_order' || remittance ? null : event.orderId,
      outcome,
      replayed: false,
    })
  })
}

/**
 * Whether the provider account `sender` (a venue's own, or `null`: the platform's) is the
 * one the order's payment goes to. An order it does not know yet is left to the event.
 */
async function takesPaymentsFor(
  db: Executor,
  provider: ProviderName,
  sender: string | null,
  orderId: string,
): Promise<boolean> {
  // A remittance is paid in to the platform: only its account speaks for one.
  if (isRemittancePayment(orderId)) return sender === null
  const [order] = await db
    .select({
      provider: orders.provider,
      collector: orders.collector,
      venueId: orderVenues.venueId,
    })
    .from(orders)
    .innerJoin(orderVenues, eq(orderVenues.orderId, orders.id))
    .where(eq(orders.id, orderId))
    .limit(1)
  if (order === undefined) return true
  const account = order.collector === 'venue' ? order.venueId : null
  return order.provider === provider && account === sender
}

/**
 * A provider's webhook: the signature is checked on the raw body first (a forged or stale
 * one is a 400 and nothing is stored), then the event is stored once and applied.
 * `accountId`: the venue whose own provider account sent it (its endpoint says so). An
 * event signed by an account that does not take the order's payments (a venue's own
 * account naming another's order) is stored under its sender (`{event id}@{account}`),
 * answered `unknown_order`, and changes nothing.
 */
export async function receiveWebhook(
  db: Executor,
  providers: ProviderRegistry,
  name: ProviderName,
  request: WebhookRequest,
  options: { now?: Date; accountId?: string } = {},
): Promise<AppliedEvent> {
  const { event, sender } = await verifyWebhook(providers, name, request, options.accountId)
  return applyWebhookEvent(db, providers, event, sender, options.now ?? new Date())
}

/** A webhook's event, its signature checked, and the account that signed it. */
export interface VerifiedEvent {
  event: PaymentEvent | RefundEvent
  /** The venue whose own provider account signed it, or `null`: the platform's. */
  sender: string | null
}

/** Checks a webhook's signature on its raw body (forged or stale → 400) and parses it. */
export async function verifyWebhook(
  providers: ProviderRegistry,
  name: ProviderName,
  request: WebhookRequest,
  accountId?: string,
): Promise<VerifiedEvent> {
  const event = await providers.get(name, accountId).parseWebhook(request)
  // The account whose secret signed it: a venue's own, or (without one) the platform's.
  const sender =
    accountId !== undefined && providers.ownAccount?.(name, accountId) === true ? accountId : null
  return { event, sender }
}

/**
 * Stores a verified event once and applies it. An event signed by an account that does
 * not take the order's payments (a venue's own account naming another's order) is stored
 * under its sender (`{event id}@{account}`), answered `unknown_order`, and changes nothing.
 */
export async function applyWebhookEvent(
  db: Executor,
  providers: ProviderRegistry,
  event: PaymentEvent | RefundEvent,
  sender: string | null,
  now: Date,
): Promise<AppliedEvent> {
  const name = event.provider
  if (!(await takesPaymentsFor(db, name, sender, event.orderId))) {
    // Signed, but by an account that does not take this order's money: a venue's own
    // account naming another's order. Kept under its sender, apart from the events of the
    // order's own account, so it can stand for nothing there; it changes nothing.
    const foreign = { ...event, eventId: `${event.eventId}@${sender ?? 'platform'}` }
    const state = isRefundEvent(event) ? `refund_${event.state}` : event.state
    const earlier = await atomically(db, (tx) => storeEvent(tx, foreign, state, now))
    if (earlier !== null) return earlier
    const unknown = { provider: name, eventId: foreign.eventId, orderId: null, replayed: false }
    return settleEvent(db, { ...unknown, outcome: 'unknown_order' })
  }
  if (isRefundEvent(event)) return recordRefundEvent(db, providers, event, now)
  const applied = await recordPaymentEvent(db, event, `${name} webhook`, now)
  const refunding = event.state === 'refunded' || event.state === 'partially_refunded'
  if (refunding && !applied.replayed && applied.orderId !== null) {
    await checkAcceptedRefunds(db, providers, applied.orderId, now)
  }
  return applied
}

export interface ReconcileOptions {
  now?: Date
  /** Orders claimed per pass (default 50). */
  limit?: number
  /** How long a claimed order is left alone before it may be asked about again (5 min). */
  leaseSeconds?: number
  /** How long past its payment window an order the provider still calls pending is kept (10 min). */
  graceSeconds?: number
}

export interface ReconcileResult {
  checked: number
  applied: AppliedEvent[]
  failed: { orderId: string; error: string }[]
}

/**
 * Asks the provider about orders still waiting for payment past their reconcile time, so a
 * webhook that never came (a crash, a lost delivery) loses no paid order. Orders are claimed
 * with `FOR UPDATE SKIP LOCKED` and a lease, so any number of instances may run it.
 */
export async function reconcilePendingOrders(
  db: Executor,
  providers: ProviderRegistry,
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const now = options.now ?? new Date()
  const lease = new Date(now.getTime() + (options.leaseSeconds ?? 300) * 1000)
  const claimed = await atomically(db, async (tx) => {
    const rows = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.status, 'pending_payment'), lte(orders.reconcileAfter, now)))
      .orderBy(asc(orders.reconcileAfter))
      .limit(options.limit ?? 50)
      .for('update', { skipLocked: true })
    if (rows.length > 0) {
      await tx
        .update(orders)
        .set({ reconcileAfter: lease })
        .where(
          sql`${orders.id} in (${sql.join(
            rows.map((row) => sql`${row.id}`),
            sql`, `,
          )})`,
        )
    }
    return rows
  })
  const result: ReconcileResult = { checked: claimed.length, applied: [], failed: [] }
  const graceMs = (options.graceSeconds ?? 600) * 1000
  for (const order of claimed) {
    try {
      const overdue = now.getTime() > order.expiresAt.getTime() + graceMs
      // No session recorded: the process stopped before the buyer was sent to pay, so
      // nobody could have paid; the order only waits out its window.
      if (order.providerSessionId === null && !overdue) continue
      const { status, cause } = await askAboutCheckout(db, providers, order, overdue)
      const state = status.state
      if (state === 'pending') continue
      const applied = await recordPaymentEvent(
        db,
        {
          provider: order.provider,
          eventId: `reconcile:${order.id}:${state}`,
          orderId: order.id,
          state,
          amount: status.amount,
          currency: status.currency,
          paymentId: status.paymentId,
          fee: status.fee,
          raw: { reconciled: status },
        },
        cause,
        now,
      )
      result.applied.push(applied)
    } catch (error) {
      result.failed.push({
        orderId: order.id,
        error: error instanceof Error ? error.message : String(error),
      })
    }
  }
  return result
}

/**
 * What reconciliation learns of a pending order's checkout. A session the provider does not
 * know can take no payment: the order ends as expired. One past its deadline (`overdue`)
 * that the provider still calls open is expired there first, so that nobody pays it after
 * the order ends; if the buyer paid just before, the provider says so and the payment goes
 * through. Only a provider that cannot be reached leaves the order as it is, for next time.
 */
async function askAboutCheckout(
  db: Executor,
  providers: ProviderRegistry,
  order: OrderRow,
  overdue: boolean,
): Promise<{ status: PaymentStatus; cause: string }> {
  const closed = (state: 'expired', cause: string) => ({
    status: { orderId: order.id, state, amount: null, currency: null, paymentId: null, fee: null },
    cause,
  })
  if (order.providerSessionId === null) return closed('expired', 'reconciliation: never opened')
  const ref = { orderId: order.id, sessionId: order.providerSessionId }
  const provider = await providerOf(db, providers, order)
  let status: PaymentStatus
  try {
    status = await provider.fetchStatus(ref)
  } catch (error) {
    if (!(error instanceof MitraError) || error.code !== 'not_found') throw error
    return closed('expired', 'reconciliation: the provider knows no such checkout')
  }
  if (status.state !== 'pending' || !overdue) return { status, cause: 'reconciliation' }
  const after = await provider.expireCheckout(ref)
  // Closed there now, or still open (a Midtrans page where no payment was started): it
  // ends here as expired all the same; a payment made there later arrives as a late one.
  if (after.state === 'pending' || after.state === 'canceled') {
    return closed('expired', 'reconciliation: past its deadline')
  }
  return { status: after, cause: 'reconciliation: past its deadline' }
}
