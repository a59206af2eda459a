import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  customType,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { at, idFormat } from './columns.js'
import { parties } from './parties.js'

/*
 * Settlements and remittances (@mitra/revenue-share). A settlement nets each holder's
 * commission against the money it holds for others, pays out what is owed from the money
 * collected, and asks each holder to hand over the rest: one remittance per party it owes.
 * A remittance is paid by the holder (recorded with a reference or a photo of the proof) and
 * confirmed by whoever received it; only then does it move money in the ledger.
 */

/** One settlement run of one currency. */
export const settlements = pgTable(
  'settlements',
  {
    id: text('id').primaryKey(),
    currency: text('currency').notNull(),
    minimum: bigint('minimum', { mode: 'number' }).notNull(),
    /** Who ran it: a user or an API key id. */
    createdBy: text('created_by'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    idFormat('settlements', table.id, 'stl'),
    check('settlements_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
    check('settlements_minimum', sql`${table.minimum} >= 0`),
    index('settlements_created_idx').on(table.createdAt),
  ],
)

export type SettlementRow = typeof settlements.$inferSelect

/**
 * `due`: settlement asked for it; `recorded`: the holder says it paid (reference, proof);
 * `confirmed`: the receiver confirmed it (posted); `disputed`: the receiver says it did not
 * arrive as recorded (the holder records it again); `bounced`: confirmed, then the money came
 * back (its posting reversed, a new remittance due for the same amount).
 */
export const remittanceStatuses = ['due', 'recorded', 'confirmed', 'disputed', 'bounced'] as const
export type RemittanceStatus = (typeof remittanceStatuses)[number]
export const remittanceStatus = pgEnum('remittance_status', remittanceStatuses)

/** `direct`: to the party owed it; `platform`: paid in to the platform, which pays it out. */
export const remittanceRoutes = ['direct', 'platform'] as const
export type RemittanceRoute = (typeof remittanceRoutes)[number]
export const remittanceRoute = pgEnum('remittance_route', remittanceRoutes)

/** A claim a remittance settles: money held for `partyId` as `role` under `agreementId`. */
export interface RemittanceClaim {
  party_id: string
  role: string
  agreement_id: string | null
  amount: number
}

export const remittances = pgTable(
  'remittances',
  {
    id: text('id').primaryKey(),
    settlementId: text('settlement_id').references(() => settlements.id),
    /** The holder who pays (a venue for its counter cash, a core partner for purchases). */
    fromPartyId: text('from_party_id')
      .notNull()
      .references(() => parties.id),
    /** Who receives it: the party owed (direct) or the platform. */
    toPartyId: text('to_party_id')
      .notNull()
      .references(() => parties.id),
    route: remittanceRoute('route').notNull(),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** The claims it settles, adding up to `amount`. */
    claims: jsonb('claims').$type<RemittanceClaim[]>().notNull(),
    status: remittanceStatus('status').notNull().default('due'),
    dueAt: at('due_at'),
    /** How the holder paid: cash, bank transfer, QRIS, a payment link. */
    method: text('method'),
    reference: text('reference'),
    proofUrl: text('proof_url'),
    note: text('note'),
    recordedBy: text('recorded_by'),
    recordedAt: at('recorded_at'),
    confirmedBy: text('confirmed_by'),
    confirmedAt: at('confirmed_at'),
    disputeReason: text('dispute_reason'),
    disputedAt: at('disputed_at'),
    bounceReason: text('bounce_reason'),
    bouncedAt: at('bounced_at'),
    /** The remittance this one continues: the rest of a part payment, or one that bounced. */
    previousId: text('previous_id'),
    transactionIds: jsonb('transaction_ids').$type<string[]>(),
    reversalTransactionIds: jsonb('reversal_transaction_ids').$type<string[]>(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    idFormat('remittances', table.id, 'rem'),
    check('remittances_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
    check('remittances_amount_positive', sql`${table.amount} > 0`),
    check('remittances_parties_differ', sql`${table.fromPartyId} <> ${table.toPartyId}`),
    check(
      'remittances_recorded',
      sql`${table.status} = 'due' or (${table.reference} is not null and ${table.recordedAt} is not null)`,
    ),
    index('remittances_from_idx').on(table.fromPartyId, table.createdAt),
    index('remittances_to_idx').on(table.toPartyId, table.createdAt),
    index('remittances_settlement_idx').on(table.settlementId),
    // A holder's reference names one payment.
    uniqueIndex('remittances_reference_unique')
      .on(table.fromPartyId, table.reference)
      .where(sql`${table.reference} is not null and ${table.status} <> 'bounced'`),
  ],
)

export type RemittanceRow = typeof remittances.$inferSelect

const xid8 = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'xid8'
  },
})
const pgSnapshot = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'pg_snapshot'
  },
})

/**
 * The platform's funds as the last settlement counted them, per currency: `amount` is Σ of
 * the funds' journal lines written by transactions `snapshot` sees (other than `xid`, the
 * settlement's own), so the funds now are `amount` plus the lines it did not see — an index
 * range on `journal_lines.xid`, instead of every line the provider ever collected. Written
 * only under the funds lock, so the row is always the newest count.
 */
export const fundsCheckpoints = pgTable('funds_checkpoints', {
  currency: text('currency').primaryKey(),
  amount: bigint('amount', { mode: 'number' }).notNull(),
  snapshot: pgSnapshot('snapshot').notNull(),
  xid: xid8('xid').notNull(),
})
