import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
} from 'drizzle-orm/pg-core'
import { agreements } from './agreements.js'
import { productVariants } from './catalog.js'
import { at, idFormat } from './columns.js'
import { parties, timestamps } from './parties.js'

/*
 * Consignment stock (dagang umum): goods stay the producer's until sold. Stock at a venue is
 * the sum of immutable movements; `stock_levels` is a projection of that sum, written in the
 * same transaction as every movement, whose check constraints keep on hand and reserved from
 * ever going below zero whatever runs at the same time.
 */

export const stockMovementKinds = [
  'receipt',
  'sale',
  'reserve',
  'release',
  'return',
  'damage',
  'loss',
  'count_adjustment',
  'transfer_out',
  'transfer_in',
  'restock',
] as const
export type StockMovementKind = (typeof stockMovementKinds)[number]
export const stockMovementKind = pgEnum('stock_movement_kind', stockMovementKinds)

export const stockLotSources = ['delivery', 'transfer', 'count', 'refund'] as const
export type StockLotSource = (typeof stockLotSources)[number]
export const stockLotSource = pgEnum('stock_lot_source', stockLotSources)

/**
 * What happens to the goods of a refunded online sale: back on the venue's shelf
 * (`restock`), kept by the buyer (a goodwill refund), or written off (damaged or lost on
 * the way to the buyer).
 */
export const refundGoodsFates = ['restock', 'kept', 'written_off'] as const
export type RefundGoods = (typeof refundGoodsFates)[number]
export const refundGoods = pgEnum('refund_goods', refundGoodsFates)

export const deliveryStatuses = ['sent', 'received', 'cancelled'] as const
export type DeliveryStatus = (typeof deliveryStatuses)[number]
export const deliveryStatus = pgEnum('delivery_status', deliveryStatuses)

export const saleChannels = ['cash', 'qris', 'online'] as const
export type SaleChannel = (typeof saleChannels)[number]
export const saleChannel = pgEnum('sale_channel', saleChannels)

export const reservationStatuses = ['held', 'converted', 'released', 'expired'] as const
export type ReservationStatus = (typeof reservationStatuses)[number]
export const reservationStatus = pgEnum('reservation_status', reservationStatuses)

export const stockReturnStatuses = ['requested', 'confirmed', 'cancelled'] as const
export type StockReturnStatus = (typeof stockReturnStatuses)[number]
export const stockReturnStatus = pgEnum('stock_return_status', stockReturnStatuses)

export const stockReturnSources = ['producer', 'venue', 'expiry'] as const
export type StockReturnSource = (typeof stockReturnSources)[number]
export const stockReturnSource = pgEnum('stock_return_source', stockReturnSources)

export const transferStatuses = ['requested', 'received', 'cancelled'] as const
export type TransferStatus = (typeof transferStatuses)[number]
export const transferStatus = pgEnum('transfer_status', transferStatuses)

export const writeOffKinds = ['damage', 'loss'] as const
export type WriteOffKind = (typeof writeOffKinds)[number]
export const writeOffKind = pgEnum('write_off_kind', writeOffKinds)

export const liabilityBearers = ['venue', 'producer', 'shared'] as const
export type LiabilityBearer = (typeof liabilityBearers)[number]
export const liabilityBearer = pgEnum('liability_bearer', liabilityBearers)

export const obligationBases = ['retail_price', 'agreed_price'] as const
export type ObligationBasis = (typeof obligationBases)[number]
export const obligationBasis = pgEnum('obligation_basis', obligationBases)

/**
 * What a venue holds of one variant: the running sum of its movements. Each movement updates
 * this row in its own transaction, with a conditional update (`… where on_hand - reserved >=
 * q`) that takes the row lock, so two sales can never both take the last unit.
 */
export const stockLevels = pgTable(
  'stock_levels',
  {
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    variantId: text('variant_id')
      .notNull()
      .references(() => productVariants.id),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.venueId, table.variantId] }),
    check('stock_levels_on_hand_non_negative', sql`${table.onHand} >= 0`),
    check('stock_levels_reserved_non_negative', sql`${table.reserved} >= 0`),
    check('stock_levels_reserved_within_on_hand', sql`${table.reserved} <= ${table.onHand}`),
    index('stock_levels_producer_idx').on(table.producerId, table.venueId),
  ],
)

export type StockLevelRow = typeof stockLevels.$inferSelect

/**
 * A lot: the units of one variant that arrived at a venue together (a delivery line, a
 * transfer, a surplus found in a count). Sales and returns take from the oldest lot first;
 * its `delivered_at` is where the days on consignment count from.
 */
export const stockLots = pgTable(
  'stock_lots',
  {
    id: text('id').primaryKey(),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    variantId: text('variant_id')
      .notNull()
      .references(() => productVariants.id),
    agreementId: text('agreement_id')
      .notNull()
      .references(() => agreements.id),
    agreementVersion: integer('agreement_version').notNull(),
    source: stockLotSource('source').notNull(),
    /** The delivery, transfer or count it came from. */
    documentId: text('document_id').notNull(),
    deliveredAt: at('delivered_at').notNull(),
    quantity: integer('quantity').notNull(),
    remaining: integer('remaining').notNull(),
    /** The producer's retail price when the lot arrived (null while unpriced). */
    unitPriceAmount: bigint('unit_price_amount', { mode: 'number' }),
    currency: text('currency'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    idFormat('stock_lots', table.id, 'lot'),
    check('stock_lots_quantity_positive', sql`${table.quantity} > 0`),
    check(
      'stock_lots_remaining_range',
      sql`${table.remaining} >= 0 and ${table.remaining} <= ${table.quantity}`,
    ),
    check(
      'stock_lots_price_complete',
      sql`(${table.unitPriceAmount} is null) = (${table.currency} is null)`,
    ),
    index('stock_lots_fifo_idx')
      .on(table.venueId, table.variantId, table.deliveredAt, table.id)
      .where(sql`${table.remaining} > 0`),
    index('stock_lots_open_idx').on(table.deliveredAt, table.id).where(sql`${table.remaining} > 0`),
    index('stock_lots_producer_idx').on(table.producerId, table.venueId),
  ],
)

export type StockLotRow = typeof stockLots.$inferSelect

/**
 * The stock ledger: one immutable row per change of on hand or reserved at a venue, naming
 * the agreement version in force, the lot, the document (delivery, sale, reservation,
 * return, count, transfer, obligation) and who did it. Corrections are new movements.
 */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: text('id').primaryKey(),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    variantId: text('variant_id')
      .notNull()
      .references(() => productVariants.id),
    agreementId: text('agreement_id')
      .notNull()
      .references(() => agreements.id),
    agreementVersion: integer('agreement_version').notNull(),
    kind: stockMovementKind('kind').notNull(),
    onHandDelta: integer('on_hand_delta').notNull(),
    reservedDelta: integer('reserved_delta').notNull(),
    lotId: text('lot_id').references(() => stockLots.id),
    documentId: text('document_id'),
    /** A human reference: receipt number, delivery note (surat jalan) number, order. */
    reference: text('reference'),
    reason: text('reason'),
    /** For sales: the price paid and the producer's retail price at the time. */
    unitPriceAmount: bigint('unit_price_amount', { mode: 'number' }),
    listPriceAmount: bigint('list_price_amount', { mode: 'number' }),
    currency: text('currency'),
    /** The party that acted (null for the system: expiry sweeps) and its user or key. */
    actorPartyId: text('actor_party_id').references(() => parties.id),
    actorId: text('actor_id'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    idFormat('stock_movements', table.id, 'mov'),
    check(
      'stock_movements_changes_something',
      sql`${table.onHandDelta} <> 0 or ${table.reservedDelta} <> 0`,
    ),
    check(
      'stock_movements_price_complete',
      sql`(${table.unitPriceAmount} is null) = (${table.currency} is null)`,
    ),
    index('stock_movements_level_idx').on(table.venueId, table.variantId, table.id),
    index('stock_movements_venue_idx').on(table.venueId, table.id),
    index('stock_movements_producer_idx').on(table.producerId, table.id),
    index('stock_movements_venue_kind_idx').on(table.venueId, table.kind, table.createdAt),
    index('stock_movements_producer_kind_idx').on(table.producerId, table.kind, table.createdAt),
    index('stock_movements_document_idx').on(table.documentId),
  ],
)

export type StockMovementRow = typeof stockMovements.$inferSelect

/** A delivery note (surat jalan): what the producer sent, and what the venue counted in. */
export const deliveries = pgTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    noteNumber: text('note_number').notNull(),
    status: deliveryStatus('status').notNull().default('sent'),
    note: text('note'),
    sentAt: at('sent_at').notNull(),
    sentBy: text('sent_by'),
    receivedAt: at('received_at'),
    receivedBy: text('received_by'),
    /** What the venue noted when it counted the goods in (missing, damaged). */
    receivedNote: text('received_note'),
    ...timestamps,
  },
  (table) => [
    idFormat('deliveries', table.id, 'dlv'),
    unique('deliveries_note_number_unique').on(table.producerId, table.noteNumber),
    check('deliveries_two_parties', sql`${table.producerId} <> ${table.venueId}`),
    index('deliveries_venue_idx').on(table.venueId, table.id),
    index('deliveries_producer_idx').on(table.producerId, table.id),
  ],
)

export type DeliveryRow = typeof deliveries.$inferSelect

export const deliveryLines = pgTable(
  'delivery_lines',
  {
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => deliveries.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    variantId: text('variant_id')
      .notNull()
      .references(() => productVariants.id),
    quantitySent: integer('quantity_sent').notNull(),
    /** Counted by the venue at receipt (null until then). */
    quantityReceived: integer('quantity_received'),
    lotId: text('lot_id').references(() => stockLots.id),
  },
  (table) => [
    primaryKey({ columns: [table.deliveryId, table.position] }),
    unique('delivery_lines_variant_unique').on(table.deliveryId, table.variantId),
    check('delivery_lines_sent_positive', sql`${table.quantitySent} > 0`),
    check('delivery_lines_received_non_negative', sql`${table.quantityReceived} >= 0`),
  ],
)

export type DeliveryLineRow = typeof deliveryLines.$inferSelect

/** A sale recorded by a venue: at the counter (cash, QRIS) or a converted online reservation. */
export const venueSales = pgTable(
  'venue_sales',
  {
    id: text('id').primaryKey(),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    receiptNumber: text('receipt_number').notNull(),
    channel: saleChannel('channel').notNull(),
    reservationId: text('reservation_id'),
    soldAt: at('sold_at').notNull(),
    actorPartyId: text('actor_party_id').references(() => parties.id),
    actorId: text('actor_id'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    idFormat('venue_sales', table.id, 'sale'),
    unique('venue_sales_receipt_unique').on(table.venueId, table.receiptNumber),
    unique('venue_sales_reservation_unique').on(table.reservationId),
    // A venue's sales, newest first (`GET /v1/admin/sales`).
    index('venue_sales_venue_idx').on(table.venueId, table.id),
  ],
)

export type VenueSaleRow = typeof venueSales.$inferSelect

/** Units held for an online checkout until it is paid (converted) or the hold runs out. */
export const stockReservations = pgTable(
  'stock_reservations',
  {
    id: text('id').primaryKey(),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    status: reservationStatus('status').notNull().default('held'),
    /** The cart or order it holds stock for. */
    reference: text('reference'),
    expiresAt: at('expires_at').notNull(),
    closedAt: at('closed_at'),
    saleId: text('sale_id').references(() => venueSales.id),
    actorPartyId: text('actor_party_id').references(() => parties.id),
    actorId: text('actor_id'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    idFormat('stock_reservations', table.id, 'rsv'),
    index('stock_reservations_due_idx')
      .on(table.expiresAt, table.id)
      .where(sql`${table.status} = 'held'`),
    index('stock_reservations_venue_idx').on(table.venueId, table.id),
  ],
)

export type StockReservationRow = typeof stockReservations.$inferSelect

export const stockReservationLines = pgTable(
  'stock_reservation_lines',
  {
    reservationId: text('reservation_id')
      .notNull()
      .references(() => stockReservations.id, { onDelete: 'cascade' }),
    variantId: text('variant_id')
      .notNull()
      .references(() => productVariants.id),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    agreementId: text('agreement_id')
      .notNull()
      .references(() => agreements.id),
    agreementVersion: integer('agreement_version').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceAmount: bigint('unit_price_amount', { mode: 'number' }),
    currency: text('currency'),
  },
  (table) => [
    primaryKey({ columns: [table.reservationId, table.variantId] }),
    check('stock_reservation_lines_quantity_positive', sql`${table.quantity} > 0`),
    check(
      'stock_reservation_lines_price_complete',
      sql`(${table.unitPriceAmount} is null) = (${table.currency} is null)`,
    ),
  ],
)

export type StockReservationLineRow = typeof stockReservationLines.$inferSelect

/** Goods going back to the producer: requested, then confirmed with the quantities handed over. */
export const stockReturns = pgTable(
  'stock_returns',
  {
    id: text('id').primaryKey(),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    status: stockReturnStatus('status').notNull().default('requested'),
    source: stockReturnSource('source').notNull(),
    reason: text('reason'),
    requestedAt: at('requested_at').notNull(),
    requestedBy: text('requested_by').references(() => parties.id),
    closedAt: at('closed_at'),
    closedBy: text('closed_by').references(() => parties.id),
    ...timestamps,
  },
  (table) => [
    idFormat('stock_returns', table.id, 'ret'),
    index('stock_returns_venue_idx').on(table.venueId, table.id),
    index('stock_returns_producer_idx').on(table.producerId, table.id),
  ],
)

export type StockReturnRow = typeof stockReturns.$inferSelect

export const stockReturnLines = pgTable(
  'stock_return_lines',
  {
    returnId: text('return_id')
      .notNull()
      .references(() => stockReturns.id, { onDelete: 'cascade' }),
    variantId: text('variant_id')
      .notNull()
      .references(() => productVariants.id),
    quantityRequested: integer('quantity_requested').notNull(),
    quantityConfirmed: integer('quantity_confirmed'),
  },
  (table) => [
    primaryKey({ columns: [table.returnId, table.variantId] }),
    check('stock_return_lines_requested_positive', sql`${table.quantityRequested} > 0`),
    check('stock_return_lines_confirmed_non_negative', sql`${table.quantityConfirmed} >= 0`),
  ],
)

export type StockReturnLineRow = typeof stockReturnLines.$inferSelect

/** Lots whose expiry already raised a return request: each lot raises one, once. */
export const stockExpiryNotices = pgTable('stock_expiry_notices', {
  lotId: text('lot_id')
    .primaryKey()
    .references(() => stockLots.id),
  returnId: text('return_id')
    .notNull()
    .references(() => stockReturns.id),
  createdAt: at('created_at').notNull().defaultNow(),
})

/** A stock count (stok opname) at a venue: what was expected and what was counted. */
export const stockCounts = pgTable(
  'stock_counts',
  {
    id: text('id').primaryKey(),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    reason: text('reason').notNull(),
    countedAt: at('counted_at').notNull(),
    actorPartyId: text('actor_party_id').references(() => parties.id),
    actorId: text('actor_id'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    idFormat('stock_counts', table.id, 'cnt'),
    index('stock_counts_venue_idx').on(table.venueId, table.id),
  ],
)

export const stockCountLines = pgTable(
  'stock_count_lines',
  {
    countId: text('count_id')
      .notNull()
      .references(() => stockCounts.id, { onDelete: 'cascade' }),
    variantId: text('variant_id')
      .notNull()
      .references(() => productVariants.id),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    expected: integer('expected').notNull(),
    counted: integer('counted').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.countId, table.variantId] }),
    check('stock_count_lines_counted_non_negative', sql`${table.counted} >= 0`),
  ],
)

/** Stock moving between two venues of the same producer: requested by one, received by the other. */
export const stockTransfers = pgTable(
  'stock_transfers',
  {
    id: text('id').primaryKey(),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    fromVenueId: text('from_venue_id')
      .notNull()
      .references(() => parties.id),
    toVenueId: text('to_venue_id')
      .notNull()
      .references(() => parties.id),
    status: transferStatus('status').notNull().default('requested'),
    reason: text('reason'),
    requestedAt: at('requested_at').notNull(),
    requestedBy: text('requested_by'),
    closedAt: at('closed_at'),
    closedBy: text('closed_by'),
    ...timestamps,
  },
  (table) => [
    idFormat('stock_transfers', table.id, 'trf'),
    check('stock_transfers_two_venues', sql`${table.fromVenueId} <> ${table.toVenueId}`),
    index('stock_transfers_from_idx').on(table.fromVenueId, table.id),
    index('stock_transfers_to_idx').on(table.toVenueId, table.id),
    index('stock_transfers_producer_idx').on(table.producerId, table.id),
  ],
)

export const stockTransferLines = pgTable(
  'stock_transfer_lines',
  {
    transferId: text('transfer_id')
      .notNull()
      .references(() => stockTransfers.id, { onDelete: 'cascade' }),
    variantId: text('variant_id')
      .notNull()
      .references(() => productVariants.id),
    quantity: integer('quantity').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.transferId, table.variantId] }),
    check('stock_transfer_lines_quantity_positive', sql`${table.quantity} > 0`),
  ],
)

/**
 * Who owes what for damaged or lost goods, by the agreement's liability rule: the venue owes
 * the producer its share of the value; the producer bears the rest. The money ledger posts
 * these later.
 */
export const stockObligations = pgTable(
  'stock_obligations',
  {
    id: text('id').primaryKey(),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    variantId: text('variant_id')
      .notNull()
      .references(() => productVariants.id),
    agreementId: text('agreement_id')
      .notNull()
      .references(() => agreements.id),
    agreementVersion: integer('agreement_version').notNull(),
    kind: writeOffKind('kind').notNull(),
    quantity: integer('quantity').notNull(),
    basis: obligationBasis('basis').notNull(),
    unitValueAmount: bigint('unit_value_amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    bearer: liabilityBearer('bearer').notNull(),
    totalAmount: bigint('total_amount', { mode: 'number' }).notNull(),
    venueOwesAmount: bigint('venue_owes_amount', { mode: 'number' }).notNull(),
    producerBearsAmount: bigint('producer_bears_amount', { mode: 'number' }).notNull(),
    reason: text('reason').notNull(),
    actorPartyId: text('actor_party_id').references(() => parties.id),
    actorId: text('actor_id'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    idFormat('stock_obligations', table.id, 'obl'),
    check('stock_obligations_quantity_positive', sql`${table.quantity} > 0`),
    check('stock_obligations_value_non_negative', sql`${table.unitValueAmount} >= 0`),
    check(
      'stock_obligations_shares_add_up',
      sql`${table.venueOwesAmount} + ${table.producerBearsAmount} = ${table.totalAmount}`,
    ),
    index('stock_obligations_venue_idx').on(table.venueId, table.id),
    index('stock_obligations_producer_idx').on(table.producerId, table.id),
  ],
)

export type StockObligationRow = typeof stockObligations.$inferSelect

/**
 * Sold units a refund named as restocked or written off, per refund and sale line: what
 * stops a sale's units from coming back (or being written off) more than once, and what
 * stock reports read. Restocked units also have their lot and `restock` movement; written
 * off units move no stock, they left the shelf when sold. Goods the buyer kept stay sold
 * and are recorded on the refund only.
 */
export const refundedGoods = pgTable(
  'refunded_goods',
  {
    /** The refund (checkout's `re_…`) that named these goods. */
    refundId: text('refund_id').notNull(),
    saleId: text('sale_id')
      .notNull()
      .references(() => venueSales.id),
    variantId: text('variant_id')
      .notNull()
      .references(() => productVariants.id),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    goods: refundGoods('goods').notNull(),
    quantity: integer('quantity').notNull(),
    /** The lot restocked units came back as (null when written off). */
    lotId: text('lot_id').references(() => stockLots.id),
    reason: text('reason'),
    actorPartyId: text('actor_party_id').references(() => parties.id),
    actorId: text('actor_id'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.refundId, table.saleId, table.variantId] }),
    check('refunded_goods_quantity_positive', sql`${table.quantity} > 0`),
    index('refunded_goods_sale_idx').on(table.saleId, table.variantId),
    index('refunded_goods_venue_idx').on(table.venueId, table.createdAt),
    index('refunded_goods_producer_idx').on(table.producerId, table.createdAt),
  ],
)

export type RefundedGoodsRow = typeof refundedGoods.$inferSelect
