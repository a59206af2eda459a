import { assertRole, cursorId, pageOf, type Scope } from '@mitra/catalog'
import { recordRefundedGoods, type StockScope } from '@mitra/consignment'
import {
  allocate,
  currency as checkCurrency,
  fieldError,
  MitraError,
  type Money,
  money,
  newId,
  notFound,
  parseInput,
} from '@mitra/core'
import {
  atomically,
  type Executor,
  type OrderLineRow,
  type OrderRefundRow,
  type OrderRow,
  orderLines,
  orderRefunds,
  orders,
  orderTransitions,
  orderVenues,
  type RefundGoods,
} from '@mitra/db'
import type { RefundEvent, RefundRequest, RefundResult } from '@mitra/payments'
import { platformParty, postEntry, postRefundFailure, postReversal } from '@mitra/revenue-share'
import { and, asc, eq, gt, isNotNull, sql } from 'drizzle-orm'
import { deliveryRefundEntry, deliveryRefundSource, lineRefundSource } from './ledger-entries.js'
import { afterFailedRefund, afterRefund, refundedElsewhere, wasPaid } from './order-state.js'
import {
  getOrder,
  lockOrder,
  moveOrder,
  type OrderView,
  type OrderViewer,
  orderParts,
  orderView,
  providerOf,
  reopenOrder,
} from './orders.js'
import type { ProviderRegistry } from './providers.js'
import {
  type RefundInput,
  type RefundListQuery,
  type RefundSettlement,
  refundInputSchema,
  refundListQuerySchema,
  refundSettlementSchema,
} from './schemas.js'

/** How a refund falls on the order: an amount per line (by position) and on the delivery fee. */
export interface RefundAllocation {
  lines: { position: number; amount: number }[]
  delivery: number
}

/** The units of one line (by position) that a refund's `goods` applies to. */
export interface GoodsLine {
  position: number
  quantity: number
}

export interface RefundView {
  id: string
  order_id: string
  amount: Money
  status: OrderRefundRow['status']
  allocation: RefundAllocation
  /**
   * What happens to the goods (null: a refund made in the provider's dashboard, or of a
   * payment that sold nothing).
   */
  goods: RefundGoods | null
  goods_lines: GoodsLine[]
  provider_refund_id: string | null
  reason: string | null
  created_at: string
}

function refundView(row: OrderRefundRow, currency: string): RefundView {
  return {
    id: row.id,
    order_id: row.orderId,
    amount: money(row.amount, checkCurrency(currency)),
    status: row.status,
    allocation: row.allocation as RefundAllocation,
    goods: row.goods,
    goods_lines: row.goodsLines as GoodsLine[],
    provider_refund_id: row.providerRefundId,
    reason: row.reason,
    created_at: row.createdAt.toISOString(),
  }
}

/**
 * Pure: where a refund falls. By lines: each unit at its price, within what is left of the
 * line. By amount: spread over what is left of every line and the delivery fee in proportion
 * (largest remainder, so the parts add up exactly). Neither: everything left.
 */
export function allocateRefund(
  lines: readonly Pick<OrderLineRow, 'position' | 'unitPrice' | 'lineTotal' | 'refundedAmount'>[],
  delivery: { fee: number; refunded: number },
  request: { amount?: number; lines?: { position: number; quantity: number }[] },
): RefundAllocation {
  const left = (line: (typeof lines)[number]) => line.lineTotal - line.refundedAmount
  const deliveryLeft = delivery.fee - delivery.refunded
  if (request.lines !== undefined) {
    const seen = new Set<number>()
    const parts = request.lines.map((asked, index) => {
      const line = lines.find((l) => l.position === asked.position)
      if (line === undefined || seen.has(asked.position)) {
        throw new MitraError('validation_failed', `No line ${asked.position} to refund`, {
          errors: [
            {
              path: `lines.${index}.position`,
              code: 'invalid',
              message: 'no such line, or named twice',
            },
          ],
        })
      }
      seen.add(asked.position)
      const amount = line.unitPrice * asked.quantity
      if (amount > left(line)) {
        const message = `only ${left(line)} of this line is left to refund`
        throw new MitraError('refund_exceeds_payment', message, {
          errors: [{ path: `lines.${index}.quantity`, code: 'refund_exceeds_payment', message }],
        })
      }
      return { position: line.position, amount }
    })
    return { lines: parts.filter((p) => p.amount > 0), delivery: 0 }
  }
  const weights = [...lines.map(left), deliveryLeft]
  const available = weights.reduce((sum, w) => sum + w, 0)
  const amount = request.amount ?? available
  if (amount <= 0 || amount > available) {
    const message = `${available} is left to refund`
    throw new MitraError('refund_exceeds_payment', message, {
      errors: [{ path: 'amount.amount', code: 'refund_exceeds_payment', message }],
      extensions: { refundable: available },
    })
  }
  const parts = allocate(amount, weights)
  return {
    lines: lines
      .map((line, index) => ({ position: line.position, amount: parts[index] as number }))
      .filter((p) => p.amount > 0),
    delivery: parts[lines.length] as number,
  }
}

/**
 * Pure: the units of each line a refund's `goods` applies to, with the request field that
 * named them. By lines: the units refunded. By amount: `quantities` when given (lines this
 * refund refunds, at most their units), else every unit of a line the refund refunds whole
 * and none of the others; so restocking or writing off a line refunded in part needs
 * `quantities` (422 naming it). Whether those units are still there to come back is the
 * stock ledger's to say (`recordRefundedGoods`).
 */
export function goodsOfRefund(
  lines: readonly Pick<OrderLineRow, 'position' | 'quantity' | 'lineTotal'>[],
  allocation: RefundAllocation,
  request: {
    goods: RefundGoods
    lines?: readonly GoodsLine[]
    quantities?: readonly GoodsLine[]
  },
): (GoodsLine & { path: string })[] {
  if (request.lines !== undefined) {
    return request.lines.map((line, index) => ({ ...line, path: `lines.${index}.quantity` }))
  }
  const refunded = new Map(allocation.lines.map((part) => [part.position, part.amount]))
  if (request.quantities !== undefined) {
    const seen = new Set<number>()
    return request.quantities.map((asked, index) => {
      const line = lines.find((l) => l.position === asked.position)
      if (line === undefined || !refunded.has(asked.position) || seen.has(asked.position)) {
        throw fieldError(
          `quantities.${index}.position`,
          'invalid',
          'no line this refund refunds, or named twice',
        )
      }
      seen.add(asked.position)
      if (asked.quantity > line.quantity) {
        throw fieldError(
          `quantities.${index}.quantity`,
          'too_many',
          `the line has ${line.quantity} units`,
        )
      }
      return { ...asked, path: `quantities.${index}.quantity` }
    })
  }
  return lines.flatMap((line) => {
    const amount = refunded.get(line.position)
    if (amount === undefined) return []
    if (amount === line.lineTotal) {
      return [{ position: line.position, quantity: line.quantity, path: 'quantities' }]
    }
    if (request.goods === 'kept') return []
    throw fieldError(
      'quantities',
      'required',
      `line ${line.position} is refunded in part: say how many of its units are ${request.goods === 'restock' ? 'restocked' : 'written off'}`,
    )
  })
}

/** Sums what an allocation puts on the lines and the delivery fee. */
function allocated(allocation: RefundAllocation): number {
  return allocation.lines.reduce((sum, p) => sum + p.amount, 0) + allocation.delivery
}

/**
 * Takes (`sign` 1) or gives back (-1) a refund's claim on what is left to refund: its
 * allocation on the lines and delivery fee, and its whole amount on the order.
 */
async function applyClaim(
  tx: Executor,
  orderId: string,
  refund: { allocation: RefundAllocation; amount: number },
  sign: 1 | -1,
) {
  for (const part of refund.allocation.lines) {
    await tx
      .update(orderLines)
      .set({ refundedAmount: sql`${orderLines.refundedAmount} + ${sign * part.amount}` })
      .where(and(eq(orderLines.orderId, orderId), eq(orderLines.position, part.position)))
  }
  if (refund.allocation.delivery > 0) {
    await tx
      .update(orderVenues)
      .set({
        deliveryRefunded: sql`${orderVenues.deliveryRefunded} + ${sign * refund.allocation.delivery}`,
      })
      .where(eq(orderVenues.orderId, orderId)) // an order sells from one venue
  }
  await tx
    .update(orders)
    .set({ refundedAmount: sql`${orders.refundedAmount} + ${sign * refund.amount}` })
    .where(eq(orders.id, orderId))
}

/** Posts the ledger side of a refund the provider accepted: each line's shares given back. */
async function settleRefund(tx: Executor, refund: OrderRefundRow, now: Date): Promise<OrderRow> {
  const order = (await lockOrder(tx, refund.orderId)) as OrderRow
  const { venue, lines } = await orderParts(tx, order.id)
  const code = checkCurrency(order.currency)
  const allocation = refund.allocation as RefundAllocation
  for (const part of allocation.lines) {
    const line = lines.find((l) => l.position === part.position)
    if (line?.saleLineId == null) continue
    await postReversal(
      tx,
      {
        kind: 'refund',
        sourceId: lineRefundSource(refund.id, part.position).id,
        saleLineId: line.saleLineId,
        request: { amount: money(part.amount, code) },
        memo: `Refund ${refund.id} of order ${order.id}`,
      },
      { occurredAt: now },
    )
  }
  if (allocation.delivery > 0 && venue.deliveryLineId !== null) {
    await postEntry(
      tx,
      await deliveryRefundEntry(tx, {
        refundId: refund.id,
        orderId: order.id,
        venueId: venue.venueId,
        amount: money(allocation.delivery, code),
      }),
      { occurredAt: now, reversesId: venue.deliveryLineId },
    )
  }
  await tx
    .update(orderRefunds)
    .set({ status: 'succeeded', settledAt: now })
    .where(eq(orderRefunds.id, refund.id))
  const status = afterRefund(order.paidAmount ?? order.total, order.refundedAmount)
  // Two refunds settling one after the other: the first may already have seen the total.
  if (order.status === 'refunded') return order
  return moveOrder(tx, order, status, `refund ${refund.id}`, now)
}

/**
 * A refund the provider made without mitra (in its dashboard): whatever part of
 * `refundedAtProvider` (refunded so far, as the provider reports it) mitra has not refunded
 * itself is recorded as a refund and reversed in the ledger like one made here, spread over
 * the lines and delivery fee. A payment owed back (its order closed, nothing sold) posted
 * nothing, so its refund reverses nothing and the order stays closed: this is how a person
 * who refunded it by hand, after the provider refused mitra's refund, is heard. Runs in the
 * caller's transaction with the order locked; returns whether there was anything to take.
 */
export async function takeProviderRefund(
  tx: Executor,
  order: OrderRow,
  refundedAtProvider: number,
  cause: string,
  now: Date,
): Promise<boolean> {
  const amount = refundedElsewhere(
    order.paidAmount ?? order.total,
    order.refundedAmount,
    refundedAtProvider,
  )
  if (amount <= 0) return false
  const filled = wasPaid(order.status)
  let allocation: RefundAllocation = { lines: [], delivery: 0 }
  if (filled) {
    const { lines, venue } = await orderParts(tx, order.id)
    const delivery = { fee: venue.deliveryFee, refunded: venue.deliveryRefunded }
    allocation = allocateRefund(lines, delivery, { amount })
  }
  await applyClaim(tx, order.id, { allocation, amount }, 1)
  const [refund] = await tx
    .insert(orderRefunds)
    .values({
      id: newId('re'),
      orderId: order.id,
      amount,
      allocation,
      reason: `refunded at the provider (${cause})`,
      requestedBy: order.provider,
      createdAt: now,
      ...(filled ? {} : { status: 'succeeded' as const, settledAt: now }),
    })
    .returning()
  if (filled) await settleRefund(tx, refund as OrderRefundRow, now)
  return true
}

export interface RefundOptions {
  now?: Date
  /** The refund's id (`re_…`): a retried request resumes the same refund. */
  refundId?: string
}

/**
 * Refunds part or all of a paid order through its provider, then reverses exactly the
 * refunded shares in the ledger. The venue that sold it (owner) decides. The refundable
 * amount is taken first, so two refunds at once can never return more than was paid; if
 * the provider refuses, it is given back and nothing is posted. In the same transaction
 * as the refund is recorded, its `goods` go where it says (`goodsOfRefund`): restocked at
 * the venue, or recorded as written off; kept goods stay sold. The goods are a fact about
 * the shelf, so they stand whatever the provider answers later.
 */
export async function refundOrder(
  db: Executor,
  providers: ProviderRegistry,
  scope: StockScope,
  orderId: string,
  input: RefundInput,
  options: RefundOptions = {},
): Promise<{ refund: RefundView; order: OrderView }> {
  assertRole(scope, 'owner')
  const data = parseInput(refundInputSchema, input)
  const now = options.now ?? new Date()
  const refundId = options.refundId ?? newId('re')
  const pending = await atomically(db, async (tx) => {
    const order = await lockOrder(tx, orderId)
    const part = order === undefined ? undefined : await orderParts(tx, order.id)
    if (order === undefined || part?.venue.venueId !== scope.partyId)
      throw notFound('order', orderId)
    const [existing] = await tx.select().from(orderRefunds).where(eq(orderRefunds.id, refundId))
    if (existing !== undefined) {
      if (existing.orderId !== orderId) throw notFound('refund', refundId)
      return { order, refund: existing }
    }
    if (!wasPaid(order.status) || order.status === 'refunded' || order.providerPaymentId === null) {
      throw new MitraError(
        'illegal_status_transition',
        `An order that is ${order.status} cannot be refunded`,
        {
          extensions: { status: order.status, requested: 'refunded' },
        },
      )
    }
    if (data.amount !== undefined && data.amount.currency !== order.currency) {
      throw new MitraError('currency_mismatch', `The order is in ${order.currency}`, {
        errors: [
          { path: 'amount.currency', code: 'currency_mismatch', message: `use ${order.currency}` },
        ],
      })
    }
    const allocation = allocateRefund(
      part.lines,
      { fee: part.venue.deliveryFee, refunded: part.venue.deliveryRefunded },
      {
        ...(data.amount === undefined ? {} : { amount: data.amount.amount }),
        ...(data.lines === undefined ? {} : { lines: data.lines }),
      },
    )
    const amount = allocated(allocation)
    const goodsLines = goodsOfRefund(part.lines, allocation, data)
    await applyClaim(tx, order.id, { allocation, amount }, 1)
    const [refund] = await tx
      .insert(orderRefunds)
      .values({
        id: refundId,
        orderId,
        amount,
        allocation,
        goods: data.goods,
        goodsLines: goodsLines.map(({ position, quantity }) => ({ position, quantity })),
        reason: data.reason ?? null,
        requestedBy: scope.partyId,
        createdAt: now,
        nextAttemptAt: firstResend(now),
      })
      .returning()
    if (data.goods !== 'kept' && goodsLines.length > 0) {
      const variantAt = new Map(part.lines.map((line) => [line.position, line.variantId]))
      await recordRefundedGoods(tx, {
        refundId,
        saleId: part.venue.saleId as string, // a paid order's stock is sold
        goods: data.goods,
        lines: goodsLines.map((line) => ({
          variantId: variantAt.get(line.position) as string,
          quantity: line.quantity,
          path: line.path,
        })),
        reason: data.reason ?? null,
        actor: { partyId: scope.partyId, actorId: scope.actorId ?? null },
        at: now,
      })
    }
    return { order, refund: refund as OrderRefundRow }
  })
  const { order } = pending
  let refund = pending.refund
  if (refund.status === 'pending') {
    const sent = await pursueRefund(db, providers, order, refund, now)
    if (sent.error !== undefined) throw sent.error
    refund = sent.refund
  }
  const [current] = await db.select().from(orders).where(eq(orders.id, order.id))
  return {
    refund: refundView(refund, order.currency),
    order: await orderView(db, current as OrderRow),
  }
}

/**
 * A payment that arrived for an order that could no longer be filled (closed, stock gone,
 * or paid another amount than asked): all of it goes back through the provider. Nothing was
 * posted, so nothing is reversed. Safe to call any number of times, from any instance: the
 * refund's id follows from the order's. A provider that does not answer leaves it pending,
 * for the refund worker (`resumeRefunds`) to send again.
 */
export async function refundUnfilledPayment(
  db: Executor,
  providers: ProviderRegistry,
  orderId: string,
  options: { now?: Date } = {},
): Promise<RefundView | null> {
  const now = options.now ?? new Date()
  const refundId = unfilledRefundId(orderId)
  const claim = await atomically(db, async (tx) => {
    const order = await lockOrder(tx, orderId)
    if (order === undefined || order.paidAmount === null || order.providerPaymentId === null)
      return null
    if (wasPaid(order.status)) return null // filled after all: refunds go by its lines
    const [existing] = await tx.select().from(orderRefunds).where(eq(orderRefunds.id, refundId))
    // Already claimed: its sender, or the refund worker, sees it through.
    if (existing !== undefined) return { order, refund: existing, claimedNow: false }
    const claimed = { allocation: { lines: [], delivery: 0 }, amount: order.paidAmount }
    await applyClaim(tx, orderId, claimed, 1)
    const [refund] = await tx
      .insert(orderRefunds)
      .values({
        id: refundId,
        orderId,
        ...claimed,
        reason: order.closedReason ?? 'paid after the order could no longer be filled',
        requestedBy: 'checkout',
        createdAt: now,
        nextAttemptAt: firstResend(now),
      })
      .returning()
    return { order, refund: refund as OrderRefundRow, claimedNow: true }
  })
  if (claim === null) return null
  const refund = claim.claimedNow
    ? (await pursueRefund(db, providers, claim.order, claim.refund, now)).refund
    : claim.refund
  return refundView(refund, claim.order.currency)
}

/**
 * How long a refund the provider has not accepted is sent again. Providers keep idempotency
 * keys for a day (Stripe: 24 h); past that, sending again could refund twice.
 */
export const resendForHours = 20

/**
 * A person's word on a refund still pending after the `resendForHours` window (never
 * accepted, so no longer sent; or accepted and never made, like a Midtrans refund that
 * failed without a word): what the provider's dashboard shows. Made: its shares are
 * reversed, as if the provider had answered; not made: its claim is given back, so the money
 * can be refunded again. Whoever holds the money decides: the venue's owner when it was paid
 * into the venue's own account, else the platform operator's.
 */
export async function settleStalledRefund(
  db: Executor,
  providers: ProviderRegistry,
  scope: Scope,
  orderId: string,
  refundId: string,
  input: RefundSettlement,
  options: { now?: Date } = {},
): Promise<{ refund: RefundView; order: OrderView }> {
  assertRole(scope, 'owner')
  const data = parseInput(refundSettlementSchema, input)
  const now = options.now ?? new Date()
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  const holder =
    order === undefined
      ? undefined
      : order.collector === 'venue'
        ? (await orderParts(db, order.id)).venue.venueId
        : await platformParty(db)
  if (order === undefined || holder !== scope.partyId) throw notFound('order', orderId)
  const [refund] = await db
    .select()
    .from(orderRefunds)
    .where(and(eq(orderRefunds.id, refundId), eq(orderRefunds.orderId, orderId)))
  if (refund === undefined) throw notFound('refund', refundId)
  const windowStart = now.getTime() - resendForHours * 3_600_000
  if (refund.status !== 'pending' || refund.createdAt.getTime() > windowStart) {
    throw new MitraError(
      'refund_in_progress',
      refund.status === 'pending'
        ? 'mitra is still sending this refund or asking the provider about it'
        : `This refund is ${refund.status} already`,
      { extensions: { status: refund.status } },
    )
  }
  const answer: ProviderAnswer =
    data.outcome === 'succeeded'
      ? { kind: 'succeeded', providerRefundId: data.provider_refund_id }
      : {
          kind: 'refused',
          error: new MitraError('provider_rejected', 'Not made, says the dashboard'),
        }
  const settled = await recordAnswer(db, providers, order, refund, answer, now)
  const [current] = await db.select().from(orders).where(eq(orders.id, orderId))
  return {
    refund: refundView(settled.refund, order.currency),
    order: await orderView(db, current as OrderRow),
  }
}

/** The one refund of a payment that filled nothing: its id follows from the order's. */
export function unfilledRefundId(orderId: string): string {
  return `re_${orderId.slice(4)}`
}

/**
 * A new refund is the request's to send; the worker may send it again only after this,
 * longer than one send with all its retries can take (3 tries of at most 30 s).
 */
function firstResend(now: Date): Date {
  return new Date(now.getTime() + 5 * 60_000)
}

/**
 * Pure: when a refund the provider did not answer is sent again after its `attempts`-th
 * try: 30 s, doubling, at most an hour apart.
 */
export function nextRefundAttempt(attempts: number, now: Date): Date {
  const delayMs = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000)
  return new Date(now.getTime() + delayMs)
}

/** A definite no from the provider (as opposed to no answer): the claim is given back. */
function refusedByProvider(error: unknown): boolean {
  return error instanceof MitraError && (error.code === 'provider_rejected' || error.status < 500)
}

/** What the provider said about a refund, as far as the refund's record is concerned. */
type ProviderAnswer =
  | { kind: 'succeeded' | 'pending'; providerRefundId: string }
  | { kind: 'refused' | 'unanswered'; error: unknown }

async function askProvider(
  call: () => Promise<RefundResult>,
  errors: 'refuse' | 'leave pending',
): Promise<ProviderAnswer> {
  try {
    const result = await call()
    if (result.state !== 'failed') return { kind: result.state, providerRefundId: result.refundId }
    return {
      kind: 'refused',
      error: new MitraError('provider_rejected', 'The provider refused the refund'),
    }
  } catch (error) {
    const refused = errors === 'refuse' && refusedByProvider(error)
    return { kind: refused ? 'refused' : 'unanswered', error }
  }
}

function refundRequest(order: OrderRow, refund: OrderRefundRow): RefundRequest {
  return {
    orderId: order.id,
    paymentId: order.providerPaymentId as string,
    amount: refund.amount,
    currency: checkCurrency(order.currency),
    ...(refund.reason === null ? {} : { reason: refund.reason }),
    idempotencyKey: `refund-${refund.id}`,
    reference: refund.id,
  }
}

/**
 * Moves a pending refund on with the order's provider, then records the answer
 * (`recordAnswer`). Not accepted yet: it is sent, under the refund's own idempotency key, so
 * sending it again never gives the money back twice. Accepted as pending: the provider is
 * only asked how it stands, and only its saying the refund failed gives the claim back (an
 * error while asking, even a 404, leaves it pending, for the money may be on its way).
 * `error` is what went wrong, if anything.
 */
export async function pursueRefund(
  db: Executor,
  providers: ProviderRegistry,
  order: OrderRow,
  refund: OrderRefundRow,
  now: Date,
): Promise<{ refund: OrderRefundRow; error?: unknown }> {
  const provider = await providerOf(db, providers, order)
  const request = refundRequest(order, refund)
  const accepted = refund.providerRefundId
  const answer =
    accepted === null
      ? await askProvider(() => provider.refund(request), 'refuse')
      : await askProvider(
          () => provider.fetchRefund({ ...request, refundId: accepted }),
          'leave pending',
        )
  return recordAnswer(db, providers, order, refund, answer, now)
}

/**
 * Asks the provider about the order's refunds it accepted as pending: a refund event about
 * the whole payment (Midtrans notifies only refunds made, and not which) may be theirs.
 */
export async function checkAcceptedRefunds(
  db: Executor,
  providers: ProviderRegistry,
  orderId: string,
  now: Date,
): Promise<void> {
  const accepted = await db
    .select()
    .from(orderRefunds)
    .where(
      and(
        eq(orderRefunds.orderId, orderId),
        eq(orderRefunds.status, 'pending'),
        isNotNull(orderRefunds.providerRefundId),
      ),
    )
  if (accepted.length === 0) return
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  for (const refund of accepted) await pursueRefund(db, providers, order as OrderRow, refund, now)
}

/**
 * The provider's event about one refund (made, failed, still pending) recorded as its
 * answer, as if the worker had asked; a refund already made that the provider now says
 * failed is undone (`undoFailedRefund`). `null` when it is no refund mitra made (one made
 * in the provider's dashboard arrives with the payment's refund events instead).
 */
export async function takeRefundEvent(
  db: Executor,
  providers: ProviderRegistry,
  event: RefundEvent,
  now: Date,
): Promise<OrderRefundRow | null> {
  const [refund] = await db
    .select()
    .from(orderRefunds)
    .where(
      and(
        eq(orderRefunds.orderId, event.orderId),
        event.reference === null
          ? eq(orderRefunds.providerRefundId, event.refundId)
          : eq(orderRefunds.id, event.reference),
      ),
    )
  if (refund === undefined) return null
  if (refund.status === 'succeeded') {
    // Made, then failed: only the provider's own refund can say so, and only by failing.
    const sameRefund = refund.providerRefundId === event.refundId
    return event.state === 'failed' && sameRefund ? undoFailedRefund(db, refund.id, now) : refund
  }
  const [order] = await db.select().from(orders).where(eq(orders.id, refund.orderId))
  const answer: ProviderAnswer =
    event.state === 'failed'
      ? {
          kind: 'refused',
          error: new MitraError('provider_rejected', 'The provider failed the refund'),
        }
      : { kind: event.state, providerRefundId: event.refundId }
  return (await recordAnswer(db, providers, order as OrderRow, refund, answer, now)).refund
}

/**
 * A refund the provider made and then failed (the buyer's bank sent the money back, as for
 * a closed card): the money is with the collector again. What it reversed in the ledger is
 * undone, so the shares are owed again; its claim is given back, so the amount can be
 * refunded again; the order goes back to where it was (`afterFailedRefund`). Done once,
 * however often the provider says so.
 */
async function undoFailedRefund(
  db: Executor,
  refundId: string,
  now: Date,
): Promise<OrderRefundRow> {
  return atomically(db, async (tx) => {
    const [refund] = await tx
      .select()
      .from(orderRefunds)
      .where(eq(orderRefunds.id, refundId))
      .for('update')
    if (refund === undefined || refund.status !== 'succeeded') return refund as OrderRefundRow
    const order = (await lockOrder(tx, refund.orderId)) as OrderRow
    const { venue } = await orderParts(tx, order.id)
    const allocation = refund.allocation as RefundAllocation
    const memo = `Refund ${refund.id} of order ${order.id} failed at the provider`
    const sources = allocation.lines.map((part) => lineRefundSource(refund.id, part.position))
    if (allocation.delivery > 0) sources.push(deliveryRefundSource(refund.id, venue.venueId))
    for (const source of sources) {
      await postRefundFailure(tx, { refund: source, memo }, { occurredAt: now })
    }
    await applyClaim(tx, order.id, { allocation, amount: refund.amount }, -1)
    const [failed] = await tx
      .update(orderRefunds)
      .set({ status: 'failed', settledAt: now })
      .where(eq(orderRefunds.id, refund.id))
      .returning()
    const history = await tx
      .select({ status: orderTransitions.toStatus })
      .from(orderTransitions)
      .where(eq(orderTransitions.orderId, order.id))
      .orderBy(asc(orderTransitions.sequence))
    const back = afterFailedRefund(
      order.status,
      order.refundedAmount - refund.amount,
      history.map((row) => row.status),
    )
    if (back !== null) {
      await reopenOrder(tx, order, back, `refund ${refund.id} failed at the provider`, now)
    }
    return failed as OrderRefundRow
  })
}

/**
 * Records the provider's answer about a pending refund, at most once however many senders
 * race: succeeded → its shares are reversed in the ledger; accepted but pending → it stays
 * claimed, nothing is reversed yet, and the provider is asked again later; refused → the
 * claim is given back and it fails; no answer → it stays pending and is sent again later.
 */
async function recordAnswer(
  db: Executor,
  providers: ProviderRegistry,
  order: OrderRow,
  refund: OrderRefundRow,
  answer: ProviderAnswer,
  now: Date,
): Promise<{ refund: OrderRefundRow; error?: unknown }> {
  const attempts = refund.attempts + 1
  let refusedNow = false
  const row = await atomically(db, async (tx) => {
    const [current] = await tx
      .select()
      .from(orderRefunds)
      .where(eq(orderRefunds.id, refund.id))
      .for('update')
    // Another sender got there first: its record stands.
    if (current === undefined || current.status !== 'pending') return current ?? refund
    const again = { attempts, nextAttemptAt: nextRefundAttempt(attempts, now) }
    if (answer.kind === 'succeeded') {
      // A payment that filled nothing posted no shares, so it has none to reverse.
      const unfilled = allocated(current.allocation as RefundAllocation) === 0
      const [accepted] = await tx
        .update(orderRefunds)
        .set({
          providerRefundId: answer.providerRefundId,
          attempts,
          ...(unfilled ? { status: 'succeeded' as const, settledAt: now } : {}),
        })
        .where(eq(orderRefunds.id, refund.id))
        .returning()
      if (!unfilled) await settleRefund(tx, accepted as OrderRefundRow, now)
    } else if (answer.kind === 'pending') {
      await tx
        .update(orderRefunds)
        .set({ providerRefundId: answer.providerRefundId, ...again })
        .where(eq(orderRefunds.id, refund.id))
    } else if (answer.kind === 'refused') {
      refusedNow = true
      const claimed = { allocation: current.allocation as RefundAllocation, amount: current.amount }
      await applyClaim(tx, current.orderId, claimed, -1)
      await tx
        .update(orderRefunds)
        .set({ status: 'failed', settledAt: now, attempts })
        .where(eq(orderRefunds.id, refund.id))
    } else {
      await tx.update(orderRefunds).set(again).where(eq(orderRefunds.id, refund.id))
    }
    const [recorded] = await tx.select().from(orderRefunds).where(eq(orderRefunds.id, refund.id))
    return recorded as OrderRefundRow
  })
  if (refusedNow && allocated(row.allocation as RefundAllocation) > 0) {
    await takeRefundsMissedDuringClaim(db, providers, order, now)
  }
  return 'error' in answer ? { refund: row, error: answer.error } : { refund: row }
}

/**
 * A refund made in the provider's dashboard while a claim of mitra's was pending was
 * measured against that claim, so none of it was taken. Once the claim is refused, the
 * provider is asked what it has refunded so far and the difference is taken now, not at
 * the order's next refund event. Not knowing is no error: the next event still takes it.
 */
async function takeRefundsMissedDuringClaim(
  db: Executor,
  providers: ProviderRegistry,
  order: OrderRow,
  now: Date,
): Promise<void> {
  if (order.providerSessionId === null) return
  let refundedAtProvider: number | null
  try {
    const status = await (await providerOf(db, providers, order)).fetchStatus({
      orderId: order.id,
      sessionId: order.providerSessionId,
    })
    const refunding = status.state === 'refunded' || status.state === 'partially_refunded'
    const sameCurrency = status.currency === null || status.currency === order.currency
    refundedAtProvider = refunding && sameCurrency ? status.amount : null
  } catch {
    return
  }
  if (refundedAtProvider === null) return
  const seen = refundedAtProvider
  await atomically(db, async (tx) => {
    const locked = await lockOrder(tx, order.id)
    if (locked === undefined || !wasPaid(locked.status)) return
    await takeProviderRefund(tx, locked, seen, 'provider status after a refused refund', now)
  })
}

/**
 * An order's refunds, oldest first: those made through mitra and those the provider made
 * (its dashboard), with how each fell on the lines. Whoever may see the order may see them.
 */
export async function listRefunds(
  db: Executor,
  viewer: OrderViewer,
  orderId: string,
  query: RefundListQuery = {},
): Promise<{ data: RefundView[]; next_cursor: string | null }> {
  const data = parseInput(refundListQuerySchema, query)
  const order = await getOrder(db, viewer, orderId)
  const after = cursorId(data.cursor)
  const rows = await db
    .select()
    .from(orderRefunds)
    .where(
      and(
        eq(orderRefunds.orderId, order.id),
        after === undefined ? undefined : gt(orderRefunds.id, after),
      ),
    )
    .orderBy(asc(orderRefunds.id))
    .limit(data.limit + 1)
  const { page, next } = pageOf(rows, data.limit, (row) => row.id)
  return { data: page.map((row) => refundView(row, order.currency)), next_cursor: next }
}
