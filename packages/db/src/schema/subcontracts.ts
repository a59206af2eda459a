import { sql } from 'drizzle-orm'
import { bigint, check, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core'
import { at } from './columns.js'
import { parties, timestamps } from './parties.js'

/*
 * Subkontrak (@mitra/revenue-share): a buyer contracts a producer group for a target quantity
 * of items at a unit price by a deadline; missing the target brings a penalty (per unit short,
 * or a percentage of the value short, optionally capped). The producer records deliveries; the
 * buyer inspects each one once (accepted + rejected = delivered). Closing the contract after
 * the deadline posts the penalty to the ledger once (source: the contract id).
 */

export const subcontractStatuses = ['open', 'closed'] as const
export type SubcontractStatus = (typeof subcontractStatuses)[number]

/** One item the contract covers: a catalogue variant of the producer, or a description. */
export interface SubcontractItem {
  variant_id: string | null
  description: string | null
}

/** The penalty for missing the target, as `@mitra/revenue-share`'s subcontract schema reads it. */
export type SubcontractPenaltyTerms =
  | { kind: 'per_unit'; amount: number }
  | { kind: 'percent'; bps: number }

export const subcontracts = pgTable(
  'subcontracts',
  {
    id: text('id').primaryKey(),
    /** The firm that orders (party kind `buyer`). */
    buyerId: text('buyer_id')
      .notNull()
      .references(() => parties.id),
    /** The producer group that makes the items. */
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    items: jsonb('items').$type<SubcontractItem[]>().notNull(),
    currency: text('currency').notNull(),
    targetQuantity: integer('target_quantity').notNull(),
    /** Price per accepted unit, in minor units. */
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    deadline: at('deadline').notNull(),
    penalty: jsonb('penalty').$type<SubcontractPenaltyTerms>().notNull(),
    /** The penalty never exceeds this (null: no cap beyond the invoice itself). */
    penaltyCap: bigint('penalty_cap', { mode: 'number' }),
    status: text('status', { enum: subcontractStatuses }).notNull().default('open'),
    /** Who created it for the buyer: an API key or user id. */
    createdBy: text('created_by').notNull(),
    closedAt: at('closed_at'),
    closedBy: text('closed_by'),
    /** The penalty posted on closing (null: none was due). */
    penaltyTransactionId: text('penalty_transaction_id'),
    ...timestamps,
  },
  (table) => [
    check('subcontracts_id_format', sql`${table.id} ~ '^ctr_[0-9a-z]{26}$'`),
    check('subcontracts_parties_differ', sql`${table.buyerId} <> ${table.producerId}`),
    check('subcontracts_target', sql`${table.targetQuantity} > 0`),
    check('subcontracts_unit_price', sql`${table.unitPrice} >= 0`),
    check('subcontracts_penalty_cap', sql`${table.penaltyCap} is null or ${table.penaltyCap} >= 0`),
    check('subcontracts_status', sql`${table.status} in ('open', 'closed')`),
    check(
      'subcontracts_closed',
      sql`(${table.status} = 'closed') = (${table.closedAt} is not null)`,
    ),
    check('subcontracts_items', sql`jsonb_typeof(${table.items}) = 'array'`),
    index('subcontracts_buyer_idx').on(table.buyerId, table.id),
    index('subcontracts_producer_idx').on(table.producerId, table.id),
  ],
)

/** A delivery under a subcontract; inspected once by the buyer. */
export const subcontractDeliveries = pgTable(
  'subcontract_deliveries',
  {
    id: text('id').primaryKey(),
    contractId: text('contract_id')
      .notNull()
      .references(() => subcontracts.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
    deliveredAt: at('delivered_at').notNull(),
    recordedBy: text('recorded_by').notNull(),
    /** Units that passed inspection (null until inspected). */
    accepted: integer('accepted'),
    rejected: integer('rejected'),
    note: text('note'),
    inspectedAt: at('inspected_at'),
    inspectedBy: text('inspected_by'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    check('subcontract_deliveries_id_format', sql`${table.id} ~ '^dlv_[0-9a-z]{26}$'`),
    check('subcontract_deliveries_quantity', sql`${table.quantity} > 0`),
    check(
      'subcontract_deliveries_inspection',
      sql`(${table.inspectedAt} is null and ${table.accepted} is null and ${table.rejected} is null) or (${table.inspectedAt} is not null and ${table.accepted} >= 0 and ${table.rejected} >= 0 and ${table.accepted} + ${table.rejected} = ${table.quantity})`,
    ),
    index('subcontract_deliveries_contract_idx').on(table.contractId, table.id),
  ],
)
