import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { at } from './columns.js'
import { payouts } from './ledger.js'
import { parties } from './parties.js'

/*
 * How a payout reaches its party (@mitra/revenue-share, payout-methods): where each party is
 * paid (a Stripe connected account, a bank account paid through Midtrans Iris, or by hand),
 * and one execution per payout recording what the provider said.
 */

export const payoutMethods = ['stripe_transfer', 'midtrans_iris', 'manual'] as const
export type PayoutMethod = (typeof payoutMethods)[number]
export const payoutMethod = pgEnum('payout_method', payoutMethods)

/**
 * Where a party is paid, one row per method. At most one destination per party is the
 * default (partial unique index). The columns a method needs are checked per method.
 */
export const payoutDestinations = pgTable(
  'payout_destinations',
  {
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id),
    method: payoutMethod('method').notNull(),
    /** Stripe connected account (`acct_…`), for `stripe_transfer`. */
    stripeAccountId: text('stripe_account_id'),
    /** Iris beneficiary bank code (e.g. `bca`, `bni`, `mandiri`), for `midtrans_iris`. */
    bankCode: text('bank_code'),
    accountNumber: text('account_number'),
    accountName: text('account_name'),
    email: text('email'),
    /** Free text for a manual destination (e.g. "cash at the cooperative office"). */
    note: text('note'),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.partyId, table.method] }),
    uniqueIndex('payout_destinations_one_default').on(table.partyId).where(sql`${table.isDefault}`),
    check(
      'payout_destinations_stripe_account',
      sql`${table.method} <> 'stripe_transfer' or ${table.stripeAccountId} ~ '^acct_[A-Za-z0-9]+$'`,
    ),
    check(
      'payout_destinations_iris_account',
      sql`${table.method} <> 'midtrans_iris' or (${table.bankCode} is not null and ${table.accountNumber} is not null and ${table.accountName} is not null and ${table.email} is not null)`,
    ),
  ],
)

export type PayoutDestinationRow = typeof payoutDestinations.$inferSelect

export const payoutExecutionStatuses = ['pending_approval', 'processing', 'paid', 'failed'] as const
export type PayoutExecutionStatus = (typeof payoutExecutionStatuses)[number]
export const payoutExecutionStatus = pgEnum('payout_execution_status', payoutExecutionStatuses)

/**
 * How one payout was (or is being) paid: one execution per payout (its primary key). The
 * provider reference (`tr_…` for Stripe, Iris `reference_no`) is unique per method. A
 * failed execution goes with a reversed payout; its items are payable again.
 */
export const payoutExecutions = pgTable(
  'payout_executions',
  {
    payoutId: text('payout_id')
      .primaryKey()
      .references(() => payouts.id),
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id),
    method: payoutMethod('method').notNull(),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    status: payoutExecutionStatus('status').notNull(),
    /** Sent with every provider call for this payout, so a retry never pays twice. */
    idempotencyKey: text('idempotency_key').notNull(),
    providerReference: text('provider_reference'),
    /** The destination as it was when the payout was sent. */
    destination: text('destination').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdBy: text('created_by').notNull(),
    approvedBy: text('approved_by'),
    proofReference: text('proof_reference'),
    proofUrl: text('proof_url'),
    failureReason: text('failure_reason'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    approvedAt: at('approved_at'),
    paidAt: at('paid_at'),
    failedAt: at('failed_at'),
  },
  (table) => [
    uniqueIndex('payout_executions_provider_reference')
      .on(table.method, table.providerReference)
      .where(sql`${table.providerReference} is not null`),
    check('payout_executions_amount_positive', sql`${table.amount} > 0`),
    check(
      'payout_executions_paid_consistent',
      sql`(${table.status} = 'paid') = (${table.paidAt} is not null)`,
    ),
    check(
      'payout_executions_failed_consistent',
      sql`(${table.status} = 'failed') = (${table.failureReason} is not null)`,
    ),
    check(
      'payout_executions_manual_proof',
      sql`${table.method} <> 'manual' or ${table.status} <> 'paid' or ${table.proofReference} is not null`,
    ),
    check(
      'payout_executions_two_people',
      sql`${table.approvedBy} is null or ${table.approvedBy} <> ${table.createdBy}`,
    ),
    index('payout_executions_party_idx').on(table.partyId, table.createdAt),
  ],
)

export type PayoutExecutionRow = typeof payoutExecutions.$inferSelect

/**
 * Provider events (Stripe webhooks, Iris notifications) already applied: an event is
 * applied at most once, however often it is delivered.
 */
export const payoutProviderEvents = pgTable(
  'payout_provider_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    payoutId: text('payout_id').references(() => payouts.id),
    type: text('type').notNull(),
    outcome: text('outcome').notNull(),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.provider, table.eventId] })],
)

export type PayoutProviderEventRow = typeof payoutProviderEvents.$inferSelect
