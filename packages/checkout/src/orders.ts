import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { cursorId, pageOf, type Scope } from '@mitra/catalog'
import {
  type Reservation,
  releaseReservation,
  reserveMany,
  reserveSchema,
  type StockScope,
  type VariantQuote,
} from '@mitra/consignment'
import {
  add as addMoney,
  type CurrencyCode,
  currency as checkCurrency,
  fieldError,
  MitraError,
  type Money,
  money,
  multiply as multiplyMoney,
  newId,
  notFound,
  parseInput,
  zero as zeroMoney,
} from '@mitra/core'
import {
  atomically,
  type CartLineRow,
  cartLines,
  carts,
  type Executor,
  insertRows,
  isOneOf,
  type OrderLineRow,
  type OrderRow,
  type OrderStatus,
  type OrderVenueRow,
  orderLines,
  orders,
  orderTransitions,
  orderVenues,
  recordset,
  type Settled,
  stockReservations,
} from '@mitra/db'
import type { CheckoutRequest, PaymentProvider, ProviderName } from '@mitra/payments'
import { and, asc, desc, eq, gt, lt, type SQL, sql } from 'drizzle-orm'
import type { z } from 'zod'
import { assertCartOpen, type ChannelScope, quoteLines } from './carts.js'
import { transition } from './order-state.js'
import type { ProviderRegistry } from './providers.js'
import {
  type CheckoutInput,
  type Customer,
  checkoutInputSchema,
  type DeliveryAddress,
  type OrderListQuery,
  orderListQuerySchema,
} from './schemas.js'
import { settingsOf, settingsRowsOfCarts, type VenueCheckoutSettings } from './settings.js'

export interface OrderLineView {
  position: number
  variant_id: string
  producer_id: string
  name: string
  quantity: number
  unit_price: Money
  list_price: Money | null
  line_total: Money
  refunded: Money
  /** The ledger source of the line's split, once paid. */
  sale_line_id: string | null
}

export interface OrderView {
  id: string
  status: OrderStatus
  channel_id: string
  venue_id: string
  currency: CurrencyCode
  fulfilment: 'pickup' | 'delivery'
  delivery_address: DeliveryAddress | null
  customer: Customer
  lines: OrderLineView[]
  subtotal: Money
  delivery_fee: Money
  total: Money
  paid_amount: Money | null
  payment_fee: Money | null
  refunded_amount: Money
  provider: ProviderName
  /** Whose provider account took the money: the platform's or the venue's own. */
  collector: 'platform' | 'venue'
  redirect_url: string | null
  expires_at: string
  paid_at: string | null
  closed_reason: string | null
  transitions: { from: OrderStatus | null; to: OrderStatus; cause: string; at: string }[]
  created_at: string
  updated_at: string
  /**
   * The order's access token, in the checkout's answer only: the buyer reads and cancels
   * the order through the store API with it (`Mitra-Order-Token`). Only its hash is kept.
   */
  access_token?: string
}

/** Whose order it is to see: its channel, its venue, a producer with lines in it. */
export type OrderViewer = { channelId: string } | { partyId: string }

export interface PlaceOrderOptions {
  now?: Date
  /**
   * How long the buyer has to pay: the provider's session lives this long (default 30 min,
   * Stripe's least). The stock is held for the venue's `hold_seconds` from checkout; a
   * payment after that takes the stock again if it is still free, else it is refunded.
   */
  paymentWindowSeconds?: number
  /** When the reconciliation worker first asks the provider about a pending order (10 min). */
  reconcileAfterSeconds?: number
  /** Where the provider sends the buyer back when the input names no URL. */
  returnUrls?: { success: string; cancel: string }
}

/** Acting for a venue inside checkout: reservations and sales are the venue's own. */
export function venueScope(venueId: string): StockScope {
  return { partyId: venueId, role: 'staff', actorId: 'checkout' }
}

export interface OrderParts {
  lines: OrderLineRow[]
  venue: OrderVenueRow
}

/** An order's lines and its venue's part (stock held, delivery fee, sale). */
export async function orderParts(db: Executor, id: string): Promise<OrderParts> {
  const [lines, venues] = await Promise.all([
    db
      .select()
      .from(orderLines)
      .where(eq(orderLines.orderId, id))
      .orderBy(asc(orderLines.position)),
    db.select().from(orderVenues).where(eq(orderVenues.orderId, id)),
  ])
  return { lines, venue: venues[0] as OrderVenueRow }
}

export async function orderView(
  db: Executor,
  row: OrderRow,
  parts?: OrderParts,
): Promise<OrderView> {
  const [own, moves] = await Promise.all([
    parts ?? orderParts(db, row.id),
    db
      .select()
      .from(orderTransitions)
      .where(eq(orderTransitions.orderId, row.id))
      .orderBy(asc(orderTransitions.sequence)),
  ])
  return viewOf(
    row,
    own,
    moves.map((move) => ({
      from: move.fromStatus,
      to: move.toStatus,
      cause: move.cause,
      at: move.at,
    })),
  )
}

/** An order as the API shows it, from its rows. */
function viewOf(
  row: OrderRow,
  { lines, venue }: OrderParts,
  moves: readonly { from: OrderStatus | null; to: OrderStatus; cause: string; at: Date }[],
): OrderView {
  const code = checkCurrency(row.currency)
  const m = (amount: number) => money(amount, code)
  return {
    id: row.id,
    status: row.status,
    channel_id: row.channelId,
    venue_id: venue.venueId,
    currency: code,
    fulfilment: row.fulfilment,
    delivery_address: row.deliveryAddress as DeliveryAddress | null,
    customer: row.customer as Customer,
    lines: lines.map((line) => ({
      position: line.position,
      variant_id: line.variantId,
      producer_id: line.producerId,
      name: line.name,
      quantity: line.quantity,
      unit_price: m(line.unitPrice),
      list_price: line.listPrice === null ? null : m(line.listPrice),
      line_total: m(line.lineTotal),
      refunded: m(line.refundedAmount),
      sale_line_id: line.saleLineId,
    })),
    subtotal: m(row.subtotal),
    delivery_fee: m(row.deliveryTotal),
    total: m(row.total),
    paid_amount: row.paidAmount === null ? null : m(row.paidAmount),
    payment_fee: row.paymentFee === null ? null : m(row.paymentFee),
    refunded_amount: m(row.refundedAmount),
    provider: row.provider,
    collector: row.collector,
    redirect_url: row.redirectUrl,
    expires_at: row.expiresAt.toISOString(),
    paid_at: row.paidAt?.toISOString() ?? null,
    closed_reason: row.closedReason,
    transitions: moves.map((move) => ({ ...move, at: move.at.toISOString() })),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  }
}

/** Moves an order to `to` (if the state machine allows it) and records why. */
export function moveOrder(
  tx: Executor,
  order: OrderRow,
  to: OrderStatus,
  cause: string,
  now: Date,
  patch: Partial<typeof orders.$inferInsert> = {},
): Promise<OrderRow> {
  return recordMove(tx, order, transition(order.status, to), cause, now, patch)
}

/** Takes an order back from its refunds: one failed at the provider (`afterFailedRefund`). */
export function reopenOrder(
  tx: Executor,
  order: OrderRow,
  to: OrderStatus,
  cause: string,
  now: Date,
): Promise<OrderRow> {
  return recordMove(tx, order, transition(order.status, to, true), cause, now, {})
}

/** The sequence number of an order's next transition (the order is locked). */
function nextSequence(orderId: string): SQL {
  return sql`(select coalesce(max(${orderTransitions.sequence}), 0) + 1 from ${orderTransitions} where ${orderTransitions.orderId} = ${orderId})`
}

async function recordMove(
  tx: Executor,
  order: OrderRow,
  to: OrderStatus,
  cause: string,
  now: Date,
  patch: Partial<typeof orders.$inferInsert>,
): Promise<OrderRow> {
  const [[updated]] = await Promise.all([
    tx
      .update(orders)
      .set({ ...patch, status: to, updatedAt: now })
      .where(eq(orders.id, order.id))
      .returning(),
    tx.insert(orderTransitions).values({
      orderId: order.id,
      sequence: nextSequence(order.id),
      fromStatus: order.status,
      toStatus: to,
      cause,
      at: now,
    }),
  ])
  return updated as OrderRow
}

/**
 * The provider account the order's checkout was opened on, for asking about its payment or
 * refunding it: the venue's own when it collected, the platform's otherwise, even if the
 * venue has keys of its own since.
 */
export async function providerOf(
  db: Executor,
  providers: ProviderRegistry,
  order: OrderRow,
): Promise<PaymentProvider> {
  if (order.collector === 'platform') return providers.get(order.provider)
  const { venue } = await orderParts(db, order.id)
  return providers.get(order.provider, venue.venueId)
}

/** The order locked for the rest of the transaction (no scope check: callers did it). */
export async function lockOrder(tx: Executor, id: string): Promise<OrderRow | undefined> {
  const [row] = await tx.select().from(orders).where(eq(orders.id, id)).for('update')
  return row
}

function canSee(viewer: OrderViewer, order: OrderRow, venueId: string, lines: OrderLineRow[]) {
  if ('channelId' in viewer) return order.channelId === viewer.channelId
  return (
    venueId === viewer.partyId ||
    order.channelId === viewer.partyId ||
    lines.some((line) => line.producerId === viewer.partyId)
  )
}

/** A new order access token, and the hash kept of it. */
function newAccessToken(): { token: string; hash: string } {
  const token = `otok_${randomBytes(24).toString('base64url')}`
  return { token, hash: hashAccessToken(token) }
}

function hashAccessToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Whether `token` is the order's access token, compared in constant time. */
export function orderTokenMatches(order: OrderRow, token: string | undefined): boolean {
  if (order.accessTokenHash === null || token === undefined || token.length > 200) return false
  const given = Buffer.from(hashAccessToken(token), 'hex')
  const kept = Buffer.from(order.accessTokenHash, 'hex')
  return given.length === kept.length && timingSafeEqual(given, kept)
}

/**
 * The buyer's proof for an order through the store API: the order is the channel's and
 * `token` is its access token. Anything else is the same 404 as an order that does not
 * exist, so an order id alone reveals nothing.
 */
export async function assertOrderToken(
  db: Executor,
  channelId: string,
  orderId: string,
  token: string | undefined,
): Promise<void> {
  const [row] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (row === undefined || row.channelId !== channelId || !orderTokenMatches(row, token)) {
    throw notFound('order', orderId)
  }
}

/** An order as its channel, its venue or one of its producers sees it; else 404. */
export async function getOrder(db: Executor, viewer: OrderViewer, id: string): Promise<OrderView> {
  const [row] = await db.select().from(orders).where(eq(orders.id, id))
  if (row === undefined) throw notFound('order', id)
  const parts = await orderParts(db, id)
  if (!canSee(viewer, row, parts.venue.venueId, parts.lines)) throw notFound('order', id)
  return orderView(db, row, parts)
}

/** Orders the party sells (as venue or channel) or has lines in (as producer), newest first. */
export async function listOrders(
  db: Executor,
  scope: Scope,
  query: OrderListQuery = {},
): Promise<{ data: OrderView[]; next_cursor: string | null }> {
  const data = parseInput(orderListQuerySchema, query)
  const mine = sql`(${orders.channelId} = ${scope.partyId}
    or exists (select 1 from ${orderVenues} where ${orderVenues.orderId} = ${orders.id} and ${orderVenues.venueId} = ${scope.partyId})
    or exists (select 1 from ${orderLines} where ${orderLines.orderId} = ${orders.id} and ${orderLines.producerId} = ${scope.partyId}))`
  const conditions = [mine]
  if (data.status !== undefined) conditions.push(eq(orders.status, data.status))
  const after = cursorId(data.cursor)
  if (after !== undefined) conditions.push(lt(orders.id, after))
  const rows = await db
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.id))
    .limit(data.limit + 1)
  const { page, next } = pageOf(rows, data.limit, (row) => row.id)
  return {
    data: await Promise.all(page.map((row) => orderView(db, row))),
    next_cursor: next,
  }
}

/** Which venue's lines to order: the one named, else the cart's only venue. */
function venueToCheckOut(lines: readonly CartLineRow[], requested: string | undefined): string {
  if (lines.length === 0) {
    throw new MitraError('cart_empty', 'The cart has nothing to check out', {
      errors: [{ path: 'cart_id', code: 'cart_empty', message: 'no lines' }],
    })
  }
  const venueIds = [...new Set(lines.map((line) => line.venueId))]
  const venueId = requested ?? (venueIds.length === 1 ? venueIds[0] : undefined)
  if (venueId === undefined) {
    throw new MitraError('validation_failed', 'The cart holds goods from several venues', {
      errors: [
        {
          path: 'venue_id',
          code: 'required',
          message: `name the venue to check out: ${venueIds.join(', ')}`,
        },
      ],
    })
  }
  if (!venueIds.includes(venueId)) throw notFound('venue', venueId, 'venue_id')
  return venueId
}

/** One checkout may hold at most the venue's `max_units_per_order` units. */
function checkOrderUnits(settings: VenueCheckoutSettings, lines: readonly CartLineRow[]) {
  const units = lines.reduce((sum, line) => sum + line.quantity, 0)
  if (units <= settings.max_units_per_order) return
  const message = `the order would hold ${units} units; one order may hold at most ${settings.max_units_per_order} at this venue`
  throw new MitraError('validation_failed', `Too many units in one order: ${message}`, {
    errors: [{ path: 'cart_id', code: 'too_many_units', message }],
  })
}

/**
 * No buyer may hold more than a venue's `max_units_per_buyer` units in unpaid orders whose
 * stock is still held. Each buyer's count at a venue is locked for the rest of the
 * transaction first (an advisory lock, in key order), so of two checkouts by one buyer at
 * once the second counts the first's units.
 */
async function checkBuyerUnits(
  tx: Executor,
  plans: readonly { call: CheckoutCall; venueId: string; lines: readonly CartLineRow[] }[],
  settings: Map<string, VenueCheckoutSettings>,
  now: Date,
) {
  const asking = new Map<string, { buyerKey: string; venueId: string; units: number }>()
  for (const plan of plans) {
    const buyerKey = plan.call.scope.buyerKey
    if (buyerKey === undefined) continue
    const key = `${buyerKey} ${plan.venueId}`
    const units = plan.lines.reduce((sum, line) => sum + line.quantity, 0)
    const entry = asking.get(key) ?? { buyerKey, venueId: plan.venueId, units: 0 }
    asking.set(key, { ...entry, units: entry.units + units })
  }
  if (asking.size === 0) return
  for (const key of [...asking.keys()].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`buyer ${key}`}, 0))`)
  }
  const buyerKeys = [...new Set([...asking.values()].map((entry) => entry.buyerKey))]
  const held = await tx
    .select({
      buyerKey: orders.buyerKey,
      venueId: orderLines.venueId,
      units: sql<string>`sum(${orderLines.quantity})`,
    })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .innerJoin(orderVenues, eq(orderVenues.orderId, orders.id))
    .innerJoin(stockReservations, eq(stockReservations.id, orderVenues.reservationId))
    .where(
      and(
        isOneOf(orders.buyerKey, buyerKeys),
        eq(orders.status, 'pending_payment'),
        eq(stockReservations.status, 'held'),
        gt(stockReservations.expiresAt, now),
      ),
    )
    .groupBy(orders.buyerKey, orderLines.venueId)
  for (const { buyerKey, venueId, units } of asking.values()) {
    const row = held.find((h) => h.buyerKey === buyerKey && h.venueId === venueId)
    const already = Number(row?.units ?? 0)
    const most = (settings.get(venueId) as VenueCheckoutSettings).max_units_per_buyer
    if (already + units <= most) continue
    const message = `you already hold ${already} units in unpaid orders here; with these ${units} that would be over the ${most} one buyer may hold at this venue`
    throw new MitraError('validation_failed', `Too many units held: ${message}`, {
      errors: [{ path: 'cart_id', code: 'too_many_units_held', message }],
    })
  }
}

/** The venue must offer the fulfilment asked for. */
function checkFulfilment(settings: VenueCheckoutSettings, fulfilment: 'pickup' | 'delivery') {
  const offered = fulfilment === 'pickup' ? settings.pickup : settings.delivery_rate !== null
  if (!offered) {
    const detail =
      fulfilment === 'pickup' ? 'This venue does not offer pickup' : 'This venue does not deliver'
    throw new MitraError('validation_failed', detail, {
      errors: [
        { path: 'fulfilment', code: 'not_offered', message: `${fulfilment} is not offered` },
      ],
    })
  }
}

/**
 * A refusal about the goods of a checkout (a line the venue no longer sells, too little
 * stock, a provider's limit on lines): the checkout request sends no lines — they are the
 * cart's — so it names the URL's `cart_id`, with the variant in the message. Any other
 * field it named is mitra's own, not the request's, and is left out.
 */
function aboutTheCart(error: unknown, lines: readonly { variantId: string }[]): unknown {
  if (!(error instanceof MitraError) || error.errors.length === 0) return error
  const errors = error.errors.flatMap((e) => {
    const about = /^lines(?:\.(\d+))?(?:\.|$)/.exec(e.path)
    if (about === null) return []
    const line = about[1] === undefined ? undefined : lines[Number(about[1])]
    const message = line === undefined ? e.message : `${line.variantId}: ${e.message}`
    return [{ path: 'cart_id', code: e.code, message }]
  })
  return new MitraError(error.code, error.message, {
    status: error.status,
    errors,
    extensions: error.extensions,
    cause: error,
  })
}

/** Every line with its price now, in the venue's currency, or the error naming the cart. */
function pricedLines(
  lines: readonly CartLineRow[],
  quotes: Map<CartLineRow, VariantQuote | MitraError>,
  currency: string,
) {
  return lines.map((line) => {
    const quote = quotes.get(line)
    const path = 'cart_id'
    if (quote === undefined || quote instanceof MitraError) {
      const detail = `${line.variantId}: ${quote?.message ?? 'not sold at this venue'}`
      throw new MitraError(quote?.code ?? 'validation_failed', detail, {
        errors: [{ path, code: quote?.code ?? 'invalid', message: detail }],
      })
    }
    if (quote.unitPrice.currency !== currency) {
      const message = `${line.variantId} is priced in ${quote.unitPrice.currency}; the venue sells in ${currency}`
      throw new MitraError('currency_mismatch', message, {
        errors: [{ path, code: 'currency_mismatch', message }],
      })
    }
    return { line, quote }
  })
}

/**
 * What the provider is asked to collect: the order's lines, and its delivery as a line.
 * Its return URLs carry the order's access token where they say `{ORDER_TOKEN}`.
 */
function checkoutRequest(order: OrderRow, parts: OrderParts, accessToken: string): CheckoutRequest {
  const lines = parts.lines.map((line) => ({
    id: line.variantId,
    name: line.name,
    unitAmount: line.unitPrice,
    quantity: line.quantity,
  }))
  if (order.deliveryTotal > 0) {
    lines.push({ id: 'delivery', name: 'Delivery', unitAmount: order.deliveryTotal, quantity: 1 })
  }
  return {
    orderId: order.id,
    currency: checkCurrency(order.currency),
    lines,
    total: order.total,
    customer: order.customer as Customer,
    successUrl: withOrderToken(
      order.successUrl ?? 'http://localhost/checkout/success',
      accessToken,
    ),
    cancelUrl: withOrderToken(order.cancelUrl ?? 'http://localhost/checkout/cancel', accessToken),
    expiresAt: order.expiresAt,
    transferGroup: order.id,
    idempotencyKey: `checkout-${order.id}`,
  }
}

/**
 * A return URL with `{ORDER_ID}` (as written, or percent-encoded) replaced by the order's id,
 * so a page can ask to be sent back as `…?mitra_order={ORDER_ID}` before the order exists.
 */
export function withOrderId(url: string | undefined, orderId: string): string | null {
  return url === undefined ? null : url.replace(/\{ORDER_ID\}|%7BORDER_ID%7D/gi, orderId)
}

/**
 * A return URL as the provider gets it: `{ORDER_TOKEN}` (as written, or percent-encoded)
 * becomes the order's access token, as a shop's order-status link carries its key, so a
 * page can read the order it comes back from with no storage of its own. Only the
 * provider's copy holds the token: the order keeps the URL as written.
 */
export function withOrderToken(url: string, accessToken: string): string {
  return url.replace(/\{ORDER_TOKEN\}|%7BORDER_TOKEN%7D/gi, accessToken)
}

/** A checkout to place: the channel's cart and the input `checkoutInputSchema` parsed. */
export interface CheckoutCall {
  scope: ChannelScope
  cartId: string
  data: z.output<typeof checkoutInputSchema>
}

/**
 * The orders' transaction: prices one venue's lines of each cart, holds them with a
 * reservation, records the order, and takes those lines out of the cart. One statement
 * per table for all the orders; any one refused refuses them all.
 */
async function holdOrders(
  tx: Executor,
  calls: readonly CheckoutCall[],
  options: PlaceOrderOptions,
  providers: ProviderRegistry,
  now: Date,
): Promise<{ order: OrderRow; parts: OrderParts; accessToken: string }[]> {
  const windowSeconds = options.paymentWindowSeconds ?? 1800
  const cartIds = calls.map((call) => call.cartId)
  if (new Set(cartIds).size !== cartIds.length) {
    // Each must see the cart as the one before left it: not a batch's work.
    throw new Error('one cart checked out twice in one batch')
  }
  // Sent together, in one round trip: the carts are locked before their lines are read.
  const [locked, allLines, settingsRows] = await Promise.all([
    tx.select().from(carts).where(isOneOf(carts.id, cartIds)).orderBy(asc(carts.id)).for('update'),
    tx
      .select()
      .from(cartLines)
      .where(isOneOf(cartLines.cartId, cartIds))
      .orderBy(asc(cartLines.cartId), asc(cartLines.addedAt), asc(cartLines.variantId)),
    settingsRowsOfCarts(tx, cartIds),
  ])
  const plans = calls.map((call) => {
    const cart = locked.find((row) => row.id === call.cartId)
    if (cart === undefined || cart.channelId !== call.scope.channelId) {
      throw notFound('cart', call.cartId)
    }
    // Locked first: of two checkouts of one cart at once, the second sees it checked out.
    assertCartOpen(cart)
    const all = allLines.filter((line) => line.cartId === call.cartId)
    const venueId = venueToCheckOut(all, call.data.venue_id)
    const lines = all.filter((line) => line.venueId === venueId)
    return { call, all, venueId, lines, orderId: newId('ord') }
  })
  const settings = settingsOf(
    settingsRows,
    plans.map((plan) => plan.venueId),
  )
  for (const plan of plans) {
    const venueSettings = settings.get(plan.venueId) as VenueCheckoutSettings
    checkFulfilment(venueSettings, plan.call.data.fulfilment)
    checkOrderUnits(venueSettings, plan.lines)
  }
  await checkBuyerUnits(tx, plans, settings, now)
  const quotes = await quoteLines(
    tx,
    plans.flatMap((plan) => plan.lines),
    now,
  )
  const priced = plans.map((plan) =>
    pricedLines(plan.lines, quotes, (settings.get(plan.venueId) as VenueCheckoutSettings).currency),
  )
  const reserving = reserveMany(
    tx,
    plans.map((plan, index) => ({
      scope: venueScope(plan.venueId),
      input: parseInput(reserveSchema, {
        venue_id: plan.venueId,
        reference: plan.orderId,
        // Held for the venue's hold time, which may end before the provider's session:
        // a payment after it takes the stock again if it is still free, else is refunded.
        ttl_seconds: (settings.get(plan.venueId) as VenueCheckoutSettings).hold_seconds,
        lines: (priced[index] ?? []).map(({ line, quote }) => ({
          variant_id: line.variantId,
          quantity: line.quantity,
          unit_price: quote.unitPrice,
        })),
      }),
    })),
    now,
  )
  // The reservation names its own `lines.N`: one checkout's lines are its cart's.
  const reservations = await reserving.catch((error: unknown) => {
    throw aboutTheCart(error, plans.length === 1 ? (plans[0]?.lines ?? []) : [])
  })
  const rows = plans.map((plan, index) => {
    const { call, venueId, orderId } = plan
    const { data, scope } = call
    const venueSettings = settings.get(venueId) as VenueCheckoutSettings
    const lines = priced[index] ?? []
    // Whole numbers end to end: a product past 2^53 is an amount_overflow (422), never a float.
    const currencyCode = venueSettings.currency
    const subtotal = addMoney(
      zeroMoney(currencyCode),
      ...lines.map(({ line, quote }) => multiplyMoney(quote.unitPrice, line.quantity)),
    ).amount
    const deliveryFee =
      data.fulfilment === 'delivery' ? (venueSettings.delivery_rate?.amount ?? 0) : 0
    const total = addMoney(money(subtotal, currencyCode), money(deliveryFee, currencyCode)).amount
    const access = newAccessToken()
    const order: OrderRow = {
      id: orderId,
      cartId: call.cartId,
      channelId: scope.channelId,
      status: 'pending_payment',
      currency: venueSettings.currency,
      fulfilment: data.fulfilment,
      deliveryAddress: data.delivery_address ?? null,
      customer: data.customer,
      subtotal,
      deliveryTotal: deliveryFee,
      total,
      paidAmount: null,
      paymentFee: null,
      refundedAmount: 0,
      provider: data.provider,
      collector: providers.ownAccount?.(data.provider, venueId) === true ? 'venue' : 'platform',
      providerSessionId: null,
      providerPaymentId: null,
      redirectUrl: null,
      successUrl: withOrderId(data.success_url ?? options.returnUrls?.success, orderId),
      cancelUrl: withOrderId(data.cancel_url ?? options.returnUrls?.cancel, orderId),
      expiresAt: new Date(now.getTime() + windowSeconds * 1000),
      reconcileAfter: new Date(now.getTime() + (options.reconcileAfterSeconds ?? 600) * 1000),
      paidAt: null,
      closedReason: null,
      accessTokenHash: access.hash,
      buyerKey: scope.buyerKey ?? null,
      createdAt: now,
      updatedAt: now,
    }
    const venue: OrderVenueRow = {
      orderId,
      venueId,
      reservationId: (reservations[index] as Reservation).id,
      deliveryFee,
      saleId: null,
      deliveryLineId: null,
      deliveryRefunded: 0,
    }
    const orderLineRows: OrderLineRow[] = lines.map(({ line, quote }, position) => ({
      orderId,
      position,
      venueId,
      variantId: line.variantId,
      producerId: quote.producerId,
      name: quote.name,
      quantity: line.quantity,
      unitPrice: quote.unitPrice.amount,
      listPrice: quote.listPrice.amount,
      lineTotal: quote.unitPrice.amount * line.quantity,
      refundedAmount: 0,
      saleLineId: null,
    }))
    return { order, parts: { venue, lines: orderLineRows }, accessToken: access.token }
  })
  // The orders' rows go together, in one round trip: the connection runs them in order.
  await Promise.all([
    insertRows(
      tx,
      orders,
      rows.map(({ order }) => order),
    ),
    insertRows(
      tx,
      orderVenues,
      rows.map(({ parts }) => parts.venue),
    ),
    insertRows(
      tx,
      orderLines,
      rows.flatMap(({ parts }) => parts.lines),
    ),
    insertRows(
      tx,
      orderTransitions,
      rows.map(({ order }) => ({
        orderId: order.id,
        sequence: 1,
        fromStatus: null,
        toStatus: 'pending_payment' as const,
        cause: 'checkout',
        at: now,
      })),
    ),
    tx.execute(sql`delete from ${cartLines} as l
      using ${recordset(
        't',
        { cart_id: 'text', venue_id: 'text' },
        plans.map((plan) => ({ cart_id: plan.call.cartId, venue_id: plan.venueId })),
      )}
      where l.cart_id = t.cart_id and l.venue_id = t.venue_id`),
    tx.execute(sql`update ${carts} as c
      set order_id = t.order_id, updated_at = t.at, status = t.status::cart_status
      from ${recordset(
        't',
        { id: 'text', order_id: 'text', status: 'text', at: 'timestamptz' },
        plans.map((plan) => ({
          id: plan.call.cartId,
          order_id: plan.orderId,
          status: plan.all.length === plan.lines.length ? 'checked_out' : 'open',
          at: now.toISOString(),
        })),
      )}
      where c.id = t.id`),
  ])
  return rows
}

/**
 * Checks out many carts at once (`holdOrders`: one transaction, one statement per table),
 * then asks the provider for each order's checkout. An order whose provider fails is
 * canceled, its stock released and its lines given back, and its answer is that error.
 */
export async function placeOrders(
  db: Executor,
  providers: ProviderRegistry,
  calls: readonly CheckoutCall[],
  options: PlaceOrderOptions = {},
): Promise<Settled<OrderView>[]> {
  const now = options.now ?? new Date()
  const held = await atomically(db, (tx) => holdOrders(tx, calls, options, providers, now))
  const opened = await Promise.all(
    held.map(async ({ order, parts, accessToken }) => {
      try {
        // The venue's own provider account when it has one, else the platform's.
        const session = await providers
          .get(order.provider, parts.venue.venueId)
          .createCheckout(checkoutRequest(order, parts, accessToken))
        return { order, parts, accessToken, session }
      } catch (error) {
        await abandonOrder(db, order.id, 'the payment provider did not open a checkout', now)
        return { order, parts, accessToken, error: aboutTheCart(error, parts.lines) }
      }
    }),
  )
  const started = opened.filter((o) => o.session !== undefined)
  if (started.length > 0) {
    await db.execute(sql`update ${orders} as o
      set provider_session_id = t.session_id, redirect_url = t.redirect_url, updated_at = t.at
      from ${recordset(
        't',
        { id: 'text', session_id: 'text', redirect_url: 'text', at: 'timestamptz' },
        started.map(({ order, session }) => ({
          id: order.id,
          session_id: session?.sessionId,
          redirect_url: session?.redirectUrl,
          at: now.toISOString(),
        })),
      )}
      where o.id = t.id`)
  }
  return opened.map(({ order, parts, accessToken, session, error }): Settled<OrderView> => {
    if (session === undefined) return { ok: false, error }
    const row = {
      ...order,
      providerSessionId: session.sessionId,
      redirectUrl: session.redirectUrl,
    }
    const moves = [{ from: null, to: 'pending_payment' as const, cause: 'checkout', at: now }]
    return { ok: true, value: { ...viewOf(row, parts, moves), access_token: accessToken } }
  })
}

/**
 * Checks out the cart's lines at one venue: prices them now, holds them at the venue (a
 * consignment reservation), records the order, then asks the provider for a checkout and
 * returns the order with the URL to send the buyer to and its `access_token` (given this
 * once). Those lines leave the cart. If the
 * provider fails, the order is canceled, its stock released, and the lines go back.
 */
export async function placeOrder(
  db: Executor,
  providers: ProviderRegistry,
  scope: ChannelScope,
  cartId: string,
  input: CheckoutInput,
  options: PlaceOrderOptions = {},
): Promise<OrderView> {
  const [placed] = await placeOrders(
    db,
    providers,
    [checkoutCall(providers, scope, cartId, input)],
    options,
  )
  if (placed === undefined || !placed.ok) throw placed?.error
  return placed.value
}

/** A checkout's input parsed, its provider configured (else refused before any stock is held). */
export function checkoutCall(
  providers: ProviderRegistry,
  scope: ChannelScope,
  cartId: string,
  input: CheckoutInput,
): CheckoutCall {
  const data = parseInput(checkoutInputSchema, input)
  // A provider this server does not offer is the buyer's choice to change: a 422 on the field.
  if (!providers.names().includes(data.provider)) {
    const offered = providers.names().join(', ')
    throw fieldError(
      'provider',
      'provider_off',
      `${data.provider} is not offered here; use ${offered}`,
    )
  }
  return { scope, cartId, data }
}

/** The checkout could not start: cancel the order, release its stock, give the lines back. */
async function abandonOrder(db: Executor, orderId: string, reason: string, now: Date) {
  await atomically(db, async (tx) => {
    const order = await lockOrder(tx, orderId)
    if (order === undefined || order.status !== 'pending_payment') return
    await releaseOrderStock(tx, order, now)
    const { lines, venue } = await orderParts(tx, orderId)
    await tx
      .insert(cartLines)
      .values(
        lines.map((line) => ({
          cartId: order.cartId,
          variantId: line.variantId,
          venueId: venue.venueId,
          quantity: line.quantity,
          addedAt: now,
        })),
      )
      .onConflictDoNothing()
    await tx.update(carts).set({ status: 'open', updatedAt: now }).where(eq(carts.id, order.cartId))
    await moveOrder(tx, order, 'canceled', reason, now, { closedReason: reason })
  })
}

/** Releases the stock an unpaid order holds, if it is still held. */
export async function releaseOrderStock(tx: Executor, order: OrderRow, now: Date): Promise<void> {
  const { venue } = await orderParts(tx, order.id)
  if (!(await reservationHeld(tx, venue))) return
  try {
    await releaseReservation(tx, venueScope(venue.venueId), venue.reservationId, { now })
  } catch (error) {
    // Its hold ran out (the expiry worker) between the look and the lock: nothing is held.
    const status = error instanceof MitraError ? error.extensions.status : undefined
    if (status !== 'expired' && status !== 'released') throw error
  }
}

/** Whether the venue's reservation for the order is still held. */
export async function reservationHeld(tx: Executor, venue: OrderVenueRow): Promise<boolean> {
  const [row] = await tx
    .select({ status: stockReservations.status })
    .from(stockReservations)
    .where(eq(stockReservations.id, venue.reservationId))
  return row?.status === 'held'
}

/**
 * Fulfilment by the venue: ready for pickup, shipped, completed. Each step must be legal
 * from where the order is (409 `illegal_status_transition`), and fit how it is fulfilled.
 */
export async function fulfilOrder(
  db: Executor,
  scope: Scope,
  orderId: string,
  step: 'ready_for_pickup' | 'shipped' | 'completed',
  options: { now?: Date } = {},
): Promise<OrderView> {
  const now = options.now ?? new Date()
  return atomically(db, async (tx) => {
    const order = await lockOrder(tx, orderId)
    const venue = order === undefined ? undefined : (await orderParts(tx, orderId)).venue
    if (order === undefined || venue?.venueId !== scope.partyId) throw notFound('order', orderId)
    if (step === 'ready_for_pickup' && order.fulfilment !== 'pickup') {
      throw new MitraError('illegal_status_transition', 'This order is delivered, not picked up', {
        extensions: { status: order.status, requested: step },
      })
    }
    if (step === 'shipped' && order.fulfilment !== 'delivery') {
      throw new MitraError('illegal_status_transition', 'This order is picked up, not shipped', {
        extensions: { status: order.status, requested: step },
      })
    }
    const moved = await moveOrder(tx, order, step, `venue: ${step.replaceAll('_', ' ')}`, now)
    return orderView(tx, moved)
  })
}
