import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
} from 'drizzle-orm/pg-core'
import { productVariants } from './catalog.js'
import { at, idFormat } from './columns.js'
import { parties } from './parties.js'
import { refundGoods, stockReservations } from './stock.js'

/*
 * Online checkout (@mitra/checkout): server-side carts, orders that hold stock at venues
 * through consignment reservations while the buyer pays, the payment events providers sent
 * (each stored once), and refunds. Money is in whole minor units of the order's currency.
 */

/** How a venue sells online: its currency, pickup, and a flat delivery rate (null: none). */
export const venueCheckoutSettings = pgTable(
  'venue_checkout_settings',
  {
    venueId: text('venue_id')
      .primaryKey()
      .references(() => parties.id),
    currency: text('currency').notNull(),
    pickup: integer('pickup').notNull().default(1),
    deliveryRate: bigint('delivery_rate', { mode: 'number' }),
    /** Most units one checkout may hold at this venue. */
    maxUnitsPerOrder: integer('max_units_per_order').notNull().default(10),
    /** Most units one buyer (client) may hold at this venue across unpaid orders. */
    maxUnitsPerBuyer: integer('max_units_per_buyer').notNull().default(20),
    /**
     * How long an order holds stock before the buyer reaches the payment page (seconds);
     * opening it extends the hold to the payment window.
     */
    holdSeconds: integer('hold_seconds').notNull().default(600),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    check(
      'venue_checkout_settings_hold_limits',
      sql`${table.maxUnitsPerOrder} between 1 and 10000 and ${table.maxUnitsPerBuyer} between 1 and 100000 and ${table.holdSeconds} between 60 and 86400`,
    ),
    check('venue_checkout_settings_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
    check(
      'venue_checkout_settings_rate_non_negative',
      sql`${table.deliveryRate} is null or ${table.deliveryRate} >= 0`,
    ),
    check(
      'venue_checkout_settings_some_fulfilment',
      sql`${table.pickup} = 1 or ${table.deliveryRate} is not null`,
    ),
  ],
)

export const cartStatuses = ['open', 'checked_out'] as const
export type CartStatus = (typeof cartStatuses)[number]
export const cartStatus = pgEnum('cart_status', cartStatuses)

/** A buyer's cart, owned by the channel (the publishable key's party) that created it. */
export const carts = pgTable(
  'carts',
  {
    id: text('id').primaryKey(),
    channelId: text('channel_id')
      .notNull()
      .references(() => parties.id),
    status: cartStatus('status').notNull().default('open'),
    orderId: text('order_id'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [idFormat('carts', table.id, 'cart')],
)

export type CartRow = typeof carts.$inferSelect

export const cartLines = pgTable(
  'cart_lines',
  {
    cartId: text('cart_id')
      .notNull()
      .references(() => carts.id),
    variantId: text('variant_id')
      .notNull()
      .references(() => productVariants.id),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    quantity: integer('quantity').notNull(),
    addedAt: at('added_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.cartId, table.venueId, table.variantId] }),
    check('cart_lines_quantity_positive', sql`${table.quantity} > 0`),
  ],
)

export type CartLineRow = typeof cartLines.$inferSelect

export const orderStatuses = [
  'pending_payment',
  'paid',
  'ready_for_pickup',
  'shipped',
  'completed',
  'expired',
  'canceled',
  'partially_refunded',
  'refunded',
] as const
export type OrderStatus = (typeof orderStatuses)[number]
export const orderStatus = pgEnum('order_status', orderStatuses)

export const fulfilmentKinds = ['pickup', 'delivery'] as const
export type FulfilmentKind = (typeof fulfilmentKinds)[number]
export const fulfilmentKind = pgEnum('fulfilment_kind', fulfilmentKinds)

export const paymentProviders = ['stripe', 'midtrans', 'demo'] as const
export type PaymentProviderName = (typeof paymentProviders)[number]
export const paymentProvider = pgEnum('payment_provider', paymentProviders)

/** Who an online payment is paid to: the platform's provider account or the venue's own. */
export const paymentCollectors = ['platform', 'venue'] as const
export const paymentCollector = pgEnum('payment_collector', paymentCollectors)

/**
 * An order: what a cart became at checkout, priced and held at each venue while the buyer
 * pays. `total` = Σ line totals + delivery; a paid order's `paid_amount` is what the provider
 * confirmed, `refunded_amount` what went back.
 */
export const orders = pgTable(
  'orders',
  {
    id: text('id').primaryKey(),
    cartId: text('cart_id')
      .notNull()
      .references(() => carts.id),
    channelId: text('channel_id')
      .notNull()
      .references(() => parties.id),
    status: orderStatus('status').notNull(),
    currency: text('currency').notNull(),
    fulfilment: fulfilmentKind('fulfilment').notNull(),
    deliveryAddress: jsonb('delivery_address'),
    customer: jsonb('customer').notNull(),
    subtotal: bigint('subtotal', { mode: 'number' }).notNull(),
    deliveryTotal: bigint('delivery_total', { mode: 'number' }).notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    paidAmount: bigint('paid_amount', { mode: 'number' }),
    paymentFee: bigint('payment_fee', { mode: 'number' }),
    refundedAmount: bigint('refunded_amount', { mode: 'number' }).notNull().default(0),
    provider: paymentProvider('provider').notNull(),
    /**
     * Whose provider account takes the money: the platform's, or the venue's own. The sale
     * is posted as collected by that party, so the ledger follows where the money is.
     */
    collector: paymentCollector('collector').notNull().default('platform'),
    providerSessionId: text('provider_session_id'),
    providerPaymentId: text('provider_payment_id'),
    redirectUrl: text('redirect_url'),
    successUrl: text('success_url'),
    cancelUrl: text('cancel_url'),
    expiresAt: at('expires_at').notNull(),
    /** When the reconciliation worker may next ask the provider about a pending order. */
    reconcileAfter: at('reconcile_after').notNull(),
    paidAt: at('paid_at'),
    closedReason: text('closed_reason'),
    /**
     * SHA-256 of the order's access token, returned once at checkout: reading the order
     * through the store API needs it (the id alone is not enough).
     */
    accessTokenHash: text('access_token_hash'),
    /** A keyed hash of the buyer's client address, to cap what one buyer may hold. */
    buyerKey: text('buyer_key'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    idFormat('orders', table.id, 'ord'),
    check('orders_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
    check(
      'orders_total_adds_up',
      sql`${table.total} = ${table.subtotal} + ${table.deliveryTotal} and ${table.subtotal} > 0`,
    ),
    check(
      'orders_refund_within_paid',
      sql`${table.refundedAmount} >= 0 and ${table.refundedAmount} <= coalesce(${table.paidAmount}, 0)`,
    ),
    index('orders_channel_idx').on(table.channelId, table.createdAt),
    index('orders_buyer_pending_idx')
      .on(table.buyerKey)
      .where(sql`${table.status} = 'pending_payment'`),
    index('orders_pending_idx')
      .on(table.reconcileAfter)
      .where(sql`${table.status} = 'pending_payment'`),
    // Paid but closed, nothing given back yet: the refund worker's sweep for refunds due.
    index('orders_refund_due_idx')
      .on(table.updatedAt)
      .where(
        sql`${table.paidAmount} is not null and ${table.refundedAmount} = 0 and ${table.status} in ('canceled', 'expired')`,
      ),
  ],
)

export type OrderRow = typeof orders.$inferSelect

/** One variant from one venue in an order, with the price charged and, once paid, its sale. */
export const orderLines = pgTable(
  'order_lines',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    position: integer('position').notNull(),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    variantId: text('variant_id')
      .notNull()
      .references(() => productVariants.id),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    listPrice: bigint('list_price', { mode: 'number' }),
    lineTotal: bigint('line_total', { mode: 'number' }).notNull(),
    /** The ledger source of the line's split, once the order is paid. */
    saleLineId: text('sale_line_id'),
    refundedAmount: bigint('refunded_amount', { mode: 'number' }).notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.position] }),
    check('order_lines_quantity_positive', sql`${table.quantity} > 0`),
    check(
      'order_lines_total',
      sql`${table.lineTotal} = ${table.unitPrice} * ${table.quantity} and ${table.unitPrice} >= 0`,
    ),
    check(
      'order_lines_refund_within_total',
      sql`${table.refundedAmount} >= 0 and ${table.refundedAmount} <= ${table.lineTotal}`,
    ),
    index('order_lines_venue_idx').on(table.venueId, table.orderId),
    index('order_lines_producer_idx').on(table.producerId, table.orderId),
  ],
)

export type OrderLineRow = typeof orderLines.$inferSelect

/** The stock an order holds at one venue (one reservation per venue), and its delivery fee. */
export const orderVenues = pgTable(
  'order_venues',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    reservationId: text('reservation_id')
      .notNull()
      .references(() => stockReservations.id),
    deliveryFee: bigint('delivery_fee', { mode: 'number' }).notNull(),
    saleId: text('sale_id'),
    /** The delivery fee's ledger source, once paid (when there is one). */
    deliveryLineId: text('delivery_line_id'),
    deliveryRefunded: bigint('delivery_refunded', { mode: 'number' }).notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.venueId] }),
    check('order_venues_fee_non_negative', sql`${table.deliveryFee} >= 0`),
    unique('order_venues_reservation_unique').on(table.reservationId),
  ],
)

export type OrderVenueRow = typeof orderVenues.$inferSelect

/** Every status an order went through, and what moved it (a webhook, a worker, a person). */
export const orderTransitions = pgTable(
  'order_transitions',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    sequence: integer('sequence').notNull(),
    fromStatus: orderStatus('from_status'),
    toStatus: orderStatus('to_status').notNull(),
    cause: text('cause').notNull(),
    at: at('at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.sequence] })],
)

/**
 * Payment events as received, each stored once: a replay of `(provider, event_id)` finds
 * the row and changes nothing. `outcome` says what the event did to its order.
 */
export const paymentEvents = pgTable(
  'payment_events',
  {
    provider: paymentProvider('provider').notNull(),
    eventId: text('event_id').notNull(),
    orderId: text('order_id').references(() => orders.id),
    state: text('state').notNull(),
    outcome: text('outcome').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.provider, table.eventId] }),
    index('payment_events_order_idx').on(table.orderId, table.receivedAt),
  ],
)

export type PaymentEventRow = typeof paymentEvents.$inferSelect

export const refundStatuses = ['pending', 'succeeded', 'failed'] as const
export type RefundStatus = (typeof refundStatuses)[number]
export const refundStatus = pgEnum('refund_status', refundStatuses)

/** A refund of part or all of a paid order, sent to the provider and reversed in the ledger. */
export const orderRefunds = pgTable(
  'order_refunds',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** How the amount falls on the order's lines and delivery fees. */
    allocation: jsonb('allocation').notNull(),
    status: refundStatus('status').notNull().default('pending'),
    providerRefundId: text('provider_refund_id'),
    reason: text('reason'),
    /**
     * What the refund said happens to the goods of the lines it refunds (null: a refund
     * mitra did not make, in the provider's dashboard, or of a payment that sold nothing).
     */
    goods: refundGoods('goods'),
    /** The units of each line (by position) that `goods` applies to. */
    goodsLines: jsonb('goods_lines').notNull().default([]),
    requestedBy: text('requested_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    settledAt: at('settled_at'),
    /** Times it was sent to the provider, and when a pending one may be sent again. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
  },
  (table) => [
    idFormat('order_refunds', table.id, 're'),
    check('order_refunds_amount_positive', sql`${table.amount} > 0`),
    index('order_refunds_order_idx').on(table.orderId),
    index('order_refunds_pending_idx')
      .on(table.nextAttemptAt)
      .where(sql`${table.status} = 'pending'`),
  ],
)

export type OrderRefundRow = typeof orderRefunds.$inferSelect

/**
 * DEMO provider state (no real money): the demo "bank"'s checkout sessions and refunds, kept
 * in the database so a restart strands no order whose payment was in flight.
 */
export const demoSessions = pgTable(
  'demo_sessions',
  {
    sessionId: text('session_id').primaryKey(),
    orderId: text('order_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    currency: text('currency').notNull(),
    lines: jsonb('lines').notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    successUrl: text('success_url').notNull(),
    cancelUrl: text('cancel_url').notNull(),
    expiresAt: at('expires_at').notNull(),
    state: text('state').notNull(),
    paymentId: text('payment_id'),
    method: text('method'),
    fee: bigint('fee', { mode: 'number' }),
    refunded: bigint('refunded', { mode: 'number' }).notNull().default(0),
    lastWebhook: jsonb('last_webhook'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    unique('demo_sessions_idempotency_key_unique').on(table.idempotencyKey),
    unique('demo_sessions_payment_id_unique').on(table.paymentId),
    index('demo_sessions_order_idx').on(table.orderId),
    index('demo_sessions_pending_idx').on(table.expiresAt).where(sql`${table.state} = 'pending'`),
    check(
      'demo_sessions_refund_within_total',
      sql`${table.refunded} >= 0 and ${table.refunded} <= ${table.total}`,
    ),
  ],
)

export const demoRefunds = pgTable(
  'demo_refunds',
  {
    idempotencyKey: text('idempotency_key').primaryKey(),
    refundId: text('refund_id').notNull(),
    paymentId: text('payment_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    failed: integer('failed').notNull().default(0),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    unique('demo_refunds_refund_id_unique').on(table.refundId),
    index('demo_refunds_payment_idx').on(table.paymentId),
    check('demo_refunds_amount_positive', sql`${table.amount} > 0`),
  ],
)
