import { cursorSchema, limitSchema, moneyOutputSchema } from '@mitra/catalog'
import { idSchema, priceSchema } from '@mitra/core'
import {
  deliveryStatuses,
  liabilityBearers,
  obligationBases,
  reservationStatuses,
  saleChannels,
  stockMovementKinds,
  stockReturnSources,
  stockReturnStatuses,
  transferStatuses,
  writeOffKinds,
} from '@mitra/db'
import { z } from 'zod'

// ---------------------------------------------------------------------------------------
// Building blocks

function line(max: number) {
  return z.string().trim().min(1).max(max)
}

/** Units of one variant: a whole number, 1 or more. */
export const quantitySchema = z.number().int().min(1).max(1_000_000)
/** Units counted: a whole number, 0 or more. */
export const countedSchema = z.number().int().min(0).max(1_000_000)
const timestampInput = z.iso.datetime({ offset: true })
const timestamp = z.iso.datetime()

const variantId = idSchema('var')
const partyId = idSchema('pty')

function lines<T extends z.ZodType>(item: T, max = 200) {
  return z.array(item).min(1).max(max)
}

// ---------------------------------------------------------------------------------------
// Inputs

/** A delivery note (surat jalan): what the producer sends a venue. */
export const sendDeliverySchema = z.strictObject({
  venue_id: partyId,
  /** The note's own number, unique per producer (e.g. `SJ/2026/001`). */
  note_number: line(60),
  note: line(500).optional(),
  lines: lines(z.strictObject({ variant_id: variantId, quantity: quantitySchema })),
})
export type SendDeliveryInput = z.input<typeof sendDeliverySchema>

/** What the venue counted in, for every line of the note (0 when a line did not arrive). */
export const receiveDeliverySchema = z.strictObject({
  lines: lines(z.strictObject({ variant_id: variantId, quantity: countedSchema })),
  note: line(500).optional(),
})
export type ReceiveDeliveryInput = z.input<typeof receiveDeliverySchema>

const pricedLine = z.strictObject({
  variant_id: variantId,
  quantity: quantitySchema,
  /** The price per unit; default: the producer's retail price. */
  unit_price: priceSchema.optional(),
})

/** A sale at the venue's counter, paid in cash or by QRIS, with its receipt number. */
export const recordSaleSchema = z.strictObject({
  venue_id: partyId,
  receipt_number: line(60),
  channel: z.enum(['cash', 'qris']),
  /** When it was sold, if recorded later (default: now). */
  sold_at: timestampInput.optional(),
  lines: lines(pricedLine, 100),
})
export type RecordSaleInput = z.input<typeof recordSaleSchema>

/** Units held for an online checkout, for `ttl_seconds` (default 15 minutes). */
export const reserveSchema = z.strictObject({
  venue_id: partyId,
  /** The cart or order the hold is for. */
  reference: line(120).optional(),
  ttl_seconds: z.number().int().min(30).max(86_400).default(900),
  lines: lines(pricedLine, 100),
})
export type ReserveInput = z.input<typeof reserveSchema>

export const convertReservationSchema = z.strictObject({
  /** The receipt or order number of the sale (default: the reservation's reference or id). */
  receipt_number: line(60).optional(),
})
export type ConvertReservationInput = z.input<typeof convertReservationSchema>

/** A request to take goods back to the producer, by either side. */
export const requestReturnSchema = z.strictObject({
  venue_id: partyId,
  producer_id: partyId,
  reason: line(500).optional(),
  lines: lines(z.strictObject({ variant_id: variantId, quantity: quantitySchema })),
})
export type RequestReturnInput = z.input<typeof requestReturnSchema>

/**
 * The quantities handed back, each at most what was requested; without `lines`, everything
 * requested. When given, every line of the request is listed (0 for none).
 */
export const confirmReturnSchema = z.strictObject({
  lines: lines(z.strictObject({ variant_id: variantId, quantity: countedSchema })).optional(),
})
export type ConfirmReturnInput = z.input<typeof confirmReturnSchema>

/** Damaged or lost goods, valued at the retail price or at an agreed price per unit. */
export const recordWriteOffSchema = z.strictObject({
  venue_id: partyId,
  kind: z.enum(writeOffKinds),
  reason: line(500),
  lines: lines(
    z.strictObject({
      variant_id: variantId,
      quantity: quantitySchema,
      agreed_unit_value: priceSchema.optional(),
    }),
    100,
  ),
})
export type RecordWriteOffInput = z.input<typeof recordWriteOffSchema>

/** A stock count (stok opname): what is actually on the shelf, per variant. */
export const recordCountSchema = z.strictObject({
  venue_id: partyId,
  reason: line(500),
  lines: lines(z.strictObject({ variant_id: variantId, counted: countedSchema }), 500),
})
export type RecordCountInput = z.input<typeof recordCountSchema>

/** Stock to move to another venue of the same producer. */
export const requestTransferSchema = z.strictObject({
  from_venue_id: partyId,
  to_venue_id: partyId,
  reason: line(500).optional(),
  lines: lines(z.strictObject({ variant_id: variantId, quantity: quantitySchema }), 100),
})
export type RequestTransferInput = z.input<typeof requestTransferSchema>

export const listMovementsQuerySchema = z.strictObject({
  venue_id: partyId.optional(),
  variant_id: variantId.optional(),
  kind: z.enum(stockMovementKinds).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})
export type ListMovementsQuery = z.input<typeof listMovementsQuerySchema>

export const listDeliveriesQuerySchema = z.strictObject({
  status: z.enum(deliveryStatuses).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})
export type ListDeliveriesQuery = z.input<typeof listDeliveriesQuerySchema>

/**
 * Sales a party may read, newest first: of one channel, of one producer's goods, sold in
 * [`from`, `to`) (ISO 8601 moments; the API also takes days in Jakarta time).
 */
export const listSalesQuerySchema = z.strictObject({
  channel: z.enum(saleChannels).optional(),
  producer_id: partyId.optional(),
  from: timestampInput.optional(),
  /** Exclusive. */
  to: timestampInput.optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})
export type ListSalesQuery = z.input<typeof listSalesQuerySchema>

export const listReturnsQuerySchema = z.strictObject({
  status: z.enum(stockReturnStatuses).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})
export type ListReturnsQuery = z.input<typeof listReturnsQuerySchema>

export const listObligationsQuerySchema = z.strictObject({
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})
export type ListObligationsQuery = z.input<typeof listObligationsQuerySchema>

export const listTransfersQuerySchema = z.strictObject({
  status: z.enum(transferStatuses).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})
export type ListTransfersQuery = z.input<typeof listTransfersQuerySchema>

/** Stock views: one venue only (optional); sales counted from `since` (default: this month). */
export const stockViewQuerySchema = z.strictObject({
  venue_id: partyId.optional(),
  since: timestampInput.optional(),
})
export type StockViewQuery = z.input<typeof stockViewQuerySchema>

export const availableQuerySchema = z.strictObject({
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})
export type AvailableQuery = z.input<typeof availableQuerySchema>

export const lotsQuerySchema = z.strictObject({
  venue_id: partyId.optional(),
  /** Also list lots expiring within this many days (default 14). */
  within_days: z.coerce.number().int().min(0).max(365).default(14),
})
export type LotsQuery = z.input<typeof lotsQuerySchema>

// ---------------------------------------------------------------------------------------
// Outputs

const lotTakeSchema = z.object({ lot_id: z.string(), quantity: z.number().int() })

export const deliverySchema = z.object({
  id: z.string(),
  producer_id: z.string(),
  venue_id: z.string(),
  note_number: z.string(),
  status: z.enum(deliveryStatuses),
  note: z.string().nullable(),
  /** What the venue noted when it counted the goods in. */
  received_note: z.string().nullable(),
  sent_at: timestamp,
  received_at: timestamp.nullable(),
  lines: z.array(
    z.object({
      variant_id: z.string(),
      quantity_sent: z.number().int(),
      quantity_received: z.number().int().nullable(),
      /** received − sent once received (negative: short; positive: more arrived). */
      discrepancy: z.number().int().nullable(),
      lot_id: z.string().nullable(),
    }),
  ),
  has_discrepancies: z.boolean(),
})
export type Delivery = z.infer<typeof deliverySchema>

export const saleSchema = z.object({
  id: z.string(),
  venue_id: z.string(),
  receipt_number: z.string(),
  channel: z.enum(saleChannels),
  reservation_id: z.string().nullable(),
  sold_at: timestamp,
  lines: z.array(
    z.object({
      variant_id: z.string(),
      producer_id: z.string(),
      agreement_id: z.string(),
      agreement_version: z.number().int(),
      quantity: z.number().int(),
      unit_price: moneyOutputSchema,
      list_price: moneyOutputSchema.nullable(),
      lots: z.array(lotTakeSchema),
    }),
  ),
})
export type Sale = z.infer<typeof saleSchema>

/**
 * A sale as a party reads it back: the lines it may see (all of them at its own venue, only
 * its own goods as a producer) and what they come to.
 */
export const saleViewSchema = saleSchema.extend({
  total: moneyOutputSchema
    .nullable()
    .describe(
      'Σ unit price × quantity over the lines shown (null when they are in more than one currency)',
    ),
})
export type SaleView = z.infer<typeof saleViewSchema>

export const reservationSchema = z.object({
  id: z.string(),
  venue_id: z.string(),
  status: z.enum(reservationStatuses),
  reference: z.string().nullable(),
  expires_at: timestamp,
  closed_at: timestamp.nullable(),
  sale_id: z.string().nullable(),
  created_at: timestamp,
  lines: z.array(
    z.object({
      variant_id: z.string(),
      producer_id: z.string(),
      quantity: z.number().int(),
      unit_price: moneyOutputSchema.nullable(),
    }),
  ),
})
export type Reservation = z.infer<typeof reservationSchema>

export const stockReturnSchema = z.object({
  id: z.string(),
  venue_id: z.string(),
  producer_id: z.string(),
  status: z.enum(stockReturnStatuses),
  source: z.enum(stockReturnSources),
  reason: z.string().nullable(),
  requested_at: timestamp,
  requested_by: z.string().nullable(),
  closed_at: timestamp.nullable(),
  closed_by: z.string().nullable(),
  lines: z.array(
    z.object({
      variant_id: z.string(),
      quantity_requested: z.number().int(),
      quantity_confirmed: z.number().int().nullable(),
    }),
  ),
})
export type StockReturn = z.infer<typeof stockReturnSchema>

export const obligationSchema = z.object({
  id: z.string(),
  venue_id: z.string(),
  producer_id: z.string(),
  variant_id: z.string(),
  agreement_id: z.string(),
  agreement_version: z.number().int(),
  kind: z.enum(writeOffKinds),
  quantity: z.number().int(),
  basis: z.enum(obligationBases),
  unit_value: moneyOutputSchema,
  bearer: z.enum(liabilityBearers),
  total: moneyOutputSchema,
  /** What the venue owes the producer. */
  venue_owes: moneyOutputSchema,
  /** What the producer bears itself. */
  producer_bears: moneyOutputSchema,
  reason: z.string(),
  lots: z.array(lotTakeSchema),
  created_at: timestamp,
})
export type Obligation = z.infer<typeof obligationSchema>

export const stockCountSchema = z.object({
  id: z.string(),
  venue_id: z.string(),
  reason: z.string(),
  counted_at: timestamp,
  lines: z.array(
    z.object({
      variant_id: z.string(),
      producer_id: z.string(),
      expected: z.number().int(),
      counted: z.number().int(),
      /** counted − expected: the adjustment made. */
      difference: z.number().int(),
    }),
  ),
})
export type StockCount = z.infer<typeof stockCountSchema>

export const transferSchema = z.object({
  id: z.string(),
  producer_id: z.string(),
  from_venue_id: z.string(),
  to_venue_id: z.string(),
  status: z.enum(transferStatuses),
  reason: z.string().nullable(),
  requested_at: timestamp,
  closed_at: timestamp.nullable(),
  lines: z.array(z.object({ variant_id: z.string(), quantity: z.number().int() })),
})
export type Transfer = z.infer<typeof transferSchema>

export const movementSchema = z.object({
  id: z.string(),
  venue_id: z.string(),
  producer_id: z.string(),
  variant_id: z.string(),
  agreement_id: z.string(),
  agreement_version: z.number().int(),
  kind: z.enum(stockMovementKinds),
  on_hand_delta: z.number().int(),
  reserved_delta: z.number().int(),
  lot_id: z.string().nullable(),
  document_id: z.string().nullable(),
  reference: z.string().nullable(),
  reason: z.string().nullable(),
  unit_price: moneyOutputSchema.nullable(),
  /** Who: the acting party (null: the system) and its user or key. */
  actor_party_id: z.string().nullable(),
  actor_id: z.string().nullable(),
  created_at: timestamp,
})
export type Movement = z.infer<typeof movementSchema>

export const producerStockSchema = z.object({
  producer_id: z.string(),
  since: timestamp,
  rows: z.array(
    z.object({
      venue_id: z.string(),
      venue_name: z.string(),
      variant_id: z.string(),
      sku: z.string(),
      on_hand: z.number().int(),
      reserved: z.number().int(),
      available: z.number().int(),
      /** Units sold since `since`. */
      sold: z.number().int(),
      /** Units refunded since `since` whose goods came back on the shelf (restocked). */
      refunded_restocked: z.number().int(),
      /** Units refunded since `since` whose goods were written off (damaged or lost on the way). */
      refunded_written_off: z.number().int(),
      /** Days the oldest unsold lot has been at the venue (null: none there). */
      oldest_lot_age_days: z.number().int().nullable(),
      /** Σ (received − sent) over received deliveries: negative when short. */
      discrepancy: z.number().int(),
    }),
  ),
})
export type ProducerStock = z.infer<typeof producerStockSchema>

export const venueStockSchema = z.object({
  venue_id: z.string(),
  since: timestamp,
  producers: z.array(
    z.object({
      producer_id: z.string(),
      producer_name: z.string(),
      on_hand: z.number().int(),
      reserved: z.number().int(),
      available: z.number().int(),
      sold: z.number().int(),
    }),
  ),
})
export type VenueStock = z.infer<typeof venueStockSchema>

export const availableVariantSchema = z.object({
  variant_id: z.string(),
  product_id: z.string(),
  producer_id: z.string(),
  sku: z.string(),
  options: z.record(z.string(), z.string()),
  price: moneyOutputSchema.nullable(),
  available: z.number().int(),
})
export type AvailableVariant = z.infer<typeof availableVariantSchema>

export const lotViewSchema = z.object({
  id: z.string(),
  venue_id: z.string(),
  producer_id: z.string(),
  variant_id: z.string(),
  delivered_at: timestamp,
  quantity: z.number().int(),
  remaining: z.number().int(),
  age_days: z.number().int(),
  state: z.enum(['current', 'grace', 'expired']),
  expires_at: timestamp,
  days_until_expiry: z.number().int(),
  /** The retail price now, after the markdown the lot's age brings (null: unpriced). */
  price: moneyOutputSchema.nullable(),
  percent_off_bps: z.number().int(),
})
export type LotView = z.infer<typeof lotViewSchema>

export const lotsReportSchema = z.object({
  expiring: z.array(lotViewSchema),
  expired: z.array(lotViewSchema),
})
export type LotsReport = z.infer<typeof lotsReportSchema>
