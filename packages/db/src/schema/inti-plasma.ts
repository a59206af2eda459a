import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { at } from './columns.js'
import { parties, timestamps } from './parties.js'

/*
 * Inti-plasma (@mitra/revenue-share): a core partner (inti) supports a producer group
 * (plasma) with inputs on credit and buys its output at agreed prices. The partnership holds
 * the terms both sides agreed: currency, the agreed purchase prices, and the largest share of
 * each settlement that may go to repaying advances. Terms never change once proposed: new
 * terms are a new partnership. Advances, purchases and deductions are journal transactions
 * whose `agreement_id` is the partnership id.
 */

/** `proposed` by the core partner → `active` once the producer accepts → `ended` by either. */
export const intiPlasmaStatuses = ['proposed', 'active', 'ended'] as const
export type IntiPlasmaStatus = (typeof intiPlasmaStatuses)[number]

/** One agreed price: a catalogue variant of the producer, or a described product line. */
export interface IntiPlasmaPrice {
  variant_id: string | null
  description: string | null
  /** Per unit, in minor units of the partnership's currency. */
  unit_price: number
}

export const intiPlasmaPartnerships = pgTable(
  'inti_plasma_partnerships',
  {
    id: text('id').primaryKey(),
    /** The core partner (party kind `core_partner`) that proposes, advances and buys. */
    corePartnerId: text('core_partner_id')
      .notNull()
      .references(() => parties.id),
    /** The producer group (party kind `producer`). */
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    currency: text('currency').notNull(),
    /** At most this share of each settlement repays advances (basis points). */
    maxDeductionBps: integer('max_deduction_bps').notNull(),
    prices: jsonb('prices').$type<IntiPlasmaPrice[]>().notNull(),
    status: text('status', { enum: intiPlasmaStatuses }).notNull().default('proposed'),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    acceptedAt: at('accepted_at'),
    acceptedBy: text('accepted_by'),
    endedAt: at('ended_at'),
    endedBy: text('ended_by'),
    /** The party that ended it (either side). */
    endedByParty: text('ended_by_party'),
    endReason: text('end_reason'),
    ...timestamps,
  },
  (table) => [
    check('inti_plasma_partnerships_id_format', sql`${table.id} ~ '^ctr_[0-9a-z]{26}$'`),
    check(
      'inti_plasma_partnerships_parties_differ',
      sql`${table.corePartnerId} <> ${table.producerId}`,
    ),
    check('inti_plasma_partnerships_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
    check(
      'inti_plasma_partnerships_max_deduction',
      sql`${table.maxDeductionBps} between 0 and 10000`,
    ),
    check(
      'inti_plasma_partnerships_status',
      sql`${table.status} in ('proposed', 'active', 'ended')`,
    ),
    check(
      'inti_plasma_partnerships_accepted',
      sql`${table.status} <> 'active' or ${table.acceptedAt} is not null`,
    ),
    check(
      'inti_plasma_partnerships_ended',
      sql`(${table.status} = 'ended') = (${table.endedAt} is not null)`,
    ),
    check(
      'inti_plasma_partnerships_prices',
      sql`jsonb_typeof(${table.prices}) = 'array' and jsonb_array_length(${table.prices}) > 0`,
    ),
    // One partnership in the making or in force per core partner, producer and currency.
    uniqueIndex('inti_plasma_partnerships_open_unique')
      .on(table.corePartnerId, table.producerId, table.currency)
      .where(sql`${table.status} <> 'ended'`),
    index('inti_plasma_partnerships_core_idx').on(table.corePartnerId, table.id),
    index('inti_plasma_partnerships_producer_idx').on(table.producerId, table.id),
  ],
)

/** Output the core partner bought at an agreed price; posted to the ledger once. */
export const intiPlasmaPurchases = pgTable(
  'inti_plasma_purchases',
  {
    id: text('id').primaryKey(),
    partnershipId: text('partnership_id')
      .notNull()
      .references(() => intiPlasmaPartnerships.id),
    /** The core partner's own number for it (receipt, goods note): one purchase each. */
    reference: text('reference'),
    /** Which agreed price (its position in the partnership's prices). */
    priceIndex: integer('price_index').notNull(),
    variantId: text('variant_id'),
    description: text('description'),
    quantity: integer('quantity').notNull(),
    currency: text('currency').notNull(),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    transactionId: text('transaction_id').notNull(),
    purchasedAt: at('purchased_at').notNull(),
    recordedBy: text('recorded_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    check('inti_plasma_purchases_id_format', sql`${table.id} ~ '^dlv_[0-9a-z]{26}$'`),
    check('inti_plasma_purchases_quantity', sql`${table.quantity} > 0`),
    check('inti_plasma_purchases_unit_price', sql`${table.unitPrice} >= 0`),
    check(
      'inti_plasma_purchases_amount',
      sql`${table.amount} = ${table.unitPrice} * ${table.quantity}`,
    ),
    unique('inti_plasma_purchases_reference_unique').on(table.partnershipId, table.reference),
    index('inti_plasma_purchases_partnership_idx').on(table.partnershipId, table.id),
  ],
)

/**
 * A settlement's advance deductions for one producer, recorded once: a replay of the same
 * settlement returns these transactions (possibly none) instead of deducting again.
 */
export const intiPlasmaDeductionRuns = pgTable(
  'inti_plasma_deduction_runs',
  {
    sourceId: text('source_id').notNull(),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    currency: text('currency').notNull(),
    /** What the producer was owed when the deductions were computed. */
    owed: bigint('owed', { mode: 'number' }).notNull(),
    transactionIds: jsonb('transaction_ids').$type<string[]>().notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.sourceId, table.producerId] }),
    check('inti_plasma_deduction_runs_owed', sql`${table.owed} >= 0`),
  ],
)
