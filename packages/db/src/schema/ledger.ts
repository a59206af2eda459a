import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { at } from './columns.js'
import { parties } from './parties.js'

/*
 * The money ledger (@mitra/revenue-share): double-entry journal lines that balance per
 * transaction. Amounts are signed whole minor units: a debit is positive, a credit negative,
 * so a transaction balances when its lines add up to zero. Balances, the trial balance and
 * statements are sums over lines; nothing is a stored counter. A deferred constraint trigger
 * (migration 0006) refuses a transaction whose lines do not add up to zero, and journal rows
 * can be neither updated nor deleted: corrections are new transactions.
 */

/** A 64-bit transaction id (`xid8`), as text. */
const xid8 = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'xid8'
  },
})

/** A `pg_snapshot` (`xmin:xmax:xip,…`), as text. */
const pgSnapshot = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'pg_snapshot'
  },
})

/** What an account holds for its party. */
export const accountPurposes = [
  /** Money a payment provider collected for the network (debit: receivable from it). */
  'provider_clearing',
  /** Money a venue took at the counter for the network (debit: the venue owes it). */
  'cash_at_venue',
  /** What the network owes a producer group. */
  'payable_to_producer',
  /** A venue's commission on the sales it made. */
  'commission_revenue',
  /** A cluster or cooperative's fee. */
  'cooperative_fees',
  /** The platform operator's fee. */
  'platform_fees',
  /** Payment fees kept by the provider (party: the platform that holds the provider account). */
  'payment_fees',
  /** VAT (PPN) in a VAT-registered producer's share, paid to the producer to remit. */
  'tax_payable',
  /** What the network owes a core partner (inti), e.g. repaid advances. */
  'payable_to_core_partner',
  /** Input advances a producer still owes (party: the producer; counterparty: the core partner). */
  'advances_receivable',
  /** A core partner's claim for advances not yet repaid (party: the core partner). */
  'advances_funded',
  /** Damage or loss a venue is liable for (debit: the venue owes it). */
  'damages_receivable',
  /** Penalties a buyer charged under a subcontract (party: the buyer). */
  'penalties',
  /** Payouts sent and not yet confirmed by the bank. */
  'payouts_in_transit',
  /** A venue's flat delivery fee on online orders it ships. */
  'delivery_fees',
  /**
   * Output a core partner bought from a producer at an inti-plasma agreed price and has not
   * yet paid for (debit: the core partner owes it; counterparty: the producer).
   */
  'purchases_receivable',
  /**
   * What a party is owed from money another party holds (counterparty: the holder, e.g. the
   * venue that took the cash at its counter): owed, awaiting collection. Not paid out by
   * payouts; a remittance from the holder closes it. `share_role` says which share it holds.
   */
  'awaiting_collection',
] as const
export type AccountPurpose = (typeof accountPurposes)[number]
export const accountPurpose = pgEnum('ledger_account_purpose', accountPurposes)

export const journalKinds = [
  'sale',
  'refund',
  /** A refund the provider made and then failed: the money came back, its reversal is undone. */
  'refund_failure',
  'return',
  'damage',
  'loss',
  'advance',
  'advance_deduction',
  'penalty',
  'payout',
  'payout_reversal',
  /**
   * Money a party other than the platform collected (the venue's till): the other parties'
   * shares become owed by that holder, its own share is kept from what it holds.
   */
  'collection_hold',
  /** At settlement: a venue's commission set against the money it holds for others. */
  'netting',
  /** A holder handed over money it held: to the party owed it, or to the platform. */
  'remittance',
  /** A remittance that bounced: undone, the money owed by the holder again. */
  'remittance_reversal',
  /** A payout arrived: the money left the platform's funds. */
  'payout_paid',
  /** A payout that arrived and was then sent back: the money is in the funds again. */
  'payout_paid_reversal',
] as const
export type JournalKind = (typeof journalKinds)[number]
export const journalKind = pgEnum('journal_kind', journalKinds)

export const payoutStatuses = ['in_transit', 'reversed', 'paid'] as const
export type PayoutStatus = (typeof payoutStatuses)[number]
export const payoutStatus = pgEnum('payout_status', payoutStatuses)

/** One account per party, purpose and currency; created on first use. */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id),
    purpose: accountPurpose('purpose').notNull(),
    currency: text('currency').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.partyId, table.purpose, table.currency] }),
    check('ledger_accounts_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
)

export type LedgerAccountRow = typeof ledgerAccounts.$inferSelect

/**
 * A journal transaction: one business event (a sale line, a refund, a payout …) posted once.
 * `(source_type, source_id)` is unique, so a replayed event finds the transaction it already
 * posted; `content_hash` tells a faithful replay from a conflicting one.
 */
export const journalTransactions = pgTable(
  'journal_transactions',
  {
    id: text('id').primaryKey(),
    kind: journalKind('kind').notNull(),
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id').notNull(),
    currency: text('currency').notNull(),
    /** The agreement or contract it falls under, for statements (null when none). */
    agreementId: text('agreement_id'),
    /** For refunds, returns and payout reversals: the transaction reversed. */
    reversesId: text('reverses_id'),
    /**
     * For refunds and returns: the fraction of the original reversed by every refund and
     * return posted on the line so far, this one included, `n/d`. A refund that failed later
     * still counts here, so the figure only grows (its part is free again: see
     * `standingReversals` in `@mitra/revenue-share`).
     */
    reversedFraction: text('reversed_fraction'),
    memo: text('memo'),
    contentHash: text('content_hash').notNull(),
    occurredAt: at('occurred_at').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    unique('journal_transactions_source_unique').on(table.sourceType, table.sourceId),
    check('journal_transactions_id_format', sql`${table.id} ~ '^txn_[0-9a-z]{26}$'`),
    check('journal_transactions_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
    check(
      'journal_transactions_source_present',
      sql`length(${table.sourceType}) > 0 and length(${table.sourceId}) > 0`,
    ),
    check(
      'journal_transactions_fraction_format',
      sql`${table.reversedFraction} is null or ${table.reversedFraction} ~ '^[0-9]+/[1-9][0-9]*$'`,
    ),
    foreignKey({
      name: 'journal_transactions_reverses_fk',
      columns: [table.reversesId],
      foreignColumns: [table.id],
    }),
    index('journal_transactions_reverses_idx').on(table.reversesId),
    index('journal_transactions_agreement_idx').on(table.agreementId, table.occurredAt),
  ],
)

export type JournalTransactionRow = typeof journalTransactions.$inferSelect

/**
 * A journal line: a signed amount on one account (debit > 0, credit < 0), with where it came
 * from — the sale line, the split rule and the policy version — and the explanation of how
 * the amount was computed.
 */
export const journalLines = pgTable(
  'journal_lines',
  {
    transactionId: text('transaction_id')
      .notNull()
      .references(() => journalTransactions.id),
    position: integer('position').notNull(),
    partyId: text('party_id').notNull(),
    purpose: accountPurpose('purpose').notNull(),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** The other side, where the account alone does not say (e.g. whose advance). */
    counterpartyId: text('counterparty_id').references(() => parties.id),
    saleLineId: text('sale_line_id'),
    /** The split share it carries: the role and the policy rule. */
    shareRole: text('share_role'),
    ruleId: text('rule_id'),
    policyId: text('policy_id'),
    policyVersion: integer('policy_version'),
    explanation: jsonb('explanation'),
    /**
     * The database transaction that wrote it: payouts cover lines by snapshot (see `payouts`).
     * Kept on the line, not only on its journal transaction, so settling reads no join.
     */
    xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
  },
  (table) => [
    primaryKey({ columns: [table.transactionId, table.position] }),
    foreignKey({
      name: 'journal_lines_account_fk',
      columns: [table.partyId, table.purpose, table.currency],
      foreignColumns: [ledgerAccounts.partyId, ledgerAccounts.purpose, ledgerAccounts.currency],
    }),
    check('journal_lines_amount_non_zero', sql`${table.amount} <> 0`),
    check('journal_lines_position_non_negative', sql`${table.position} >= 0`),
    index('journal_lines_account_idx').on(table.partyId, table.purpose, table.currency),
    index('journal_lines_sale_line_idx').on(table.saleLineId),
    index('journal_lines_xid_idx').on(table.xid),
  ],
)

export type JournalLineRow = typeof journalLines.$inferSelect

/**
 * A payout to one party: the journal lines it pays are its items.
 *
 * Payouts of one (party, currency) form a chain (`chain_position` 1, 2, …; unique, so two
 * payouts can never both follow the same one) and take turns: each locks the party's
 * `ledger_accounts` rows first. A payout covers its items by snapshot rather than row by
 * row: it keeps `snapshot`, the `pg_current_snapshot()` it took once it held the lock, and
 * `xid`, its own transaction. A transaction x is *seen* by payout P when
 * `x <> P.xid and pg_visible_in_snapshot(x, P.snapshot)`; what P sees, every later payout of
 * the chain sees too. A payable line of the party (not of a payout or payout reversal)
 * written by transaction x and without any `payout_items` row is covered by the one payout
 * P of the chain that sees x while the previous one (position − 1) does not; it is paid
 * while P is not reversed.
 *
 * Everything else a payout pays gets a `payout_items` row: lines written earlier in the
 * payout's own transaction (an advance deduction), lines owed again after a reversal, lines
 * committed between the snapshot and the query. A trigger refuses a row for a line a live
 * payout covers. Payouts from before snapshots (`chain_position`, `snapshot` null) pay by
 * rows only. Payout and payout reversal journal transactions always belong to a payout
 * (checked at commit), which is how settling leaves their lines out without a join.
 */
export const payouts = pgTable(
  'payouts',
  {
    id: text('id').primaryKey(),
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    status: payoutStatus('status').notNull().default('in_transit'),
    transactionId: text('transaction_id')
      .notNull()
      .references(() => journalTransactions.id),
    reversalTransactionId: text('reversal_transaction_id').references(() => journalTransactions.id),
    reversalReason: text('reversal_reason'),
    /** Posted when the payout arrived (`payout_paid`): in transit cleared against the funds. */
    paidTransactionId: text('paid_transaction_id').references(() => journalTransactions.id),
    paidAt: at('paid_at'),
    /** The settlement that made it, if any. */
    settlementId: text('settlement_id'),
    createdAt: at('created_at').notNull().defaultNow(),
    reversedAt: at('reversed_at'),
    /** Its place in the chain of payouts of (party, currency), from 1. */
    chainPosition: integer('chain_position'),
    /** What the payout saw once it held the party's lock. */
    snapshot: pgSnapshot('snapshot'),
    /** The database transaction that posted it. */
    xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
  },
  (table) => [
    check('payouts_id_format', sql`${table.id} ~ '^po_[0-9a-z]{26}$'`),
    check('payouts_amount_positive', sql`${table.amount} > 0`),
    check(
      'payouts_reversal_consistent',
      sql`(${table.status} = 'reversed') = (${table.reversalTransactionId} is not null)`,
    ),
    check(
      'payouts_chain_consistent',
      sql`(${table.chainPosition} is null) = (${table.snapshot} is null) and coalesce(${table.chainPosition}, 1) >= 1`,
    ),
    index('payouts_party_idx').on(table.partyId, table.createdAt),
    uniqueIndex('payouts_transaction_unique').on(table.transactionId),
    index('payouts_reversal_transaction_idx').on(table.reversalTransactionId),
    uniqueIndex('payouts_chain_unique').on(table.partyId, table.currency, table.chainPosition),
  ],
)

export type PayoutRow = typeof payouts.$inferSelect

/**
 * The journal lines a payout pays explicitly (see `payouts` for those it covers by
 * snapshot). A line is in at most one payout that is not reversed (partial unique index).
 */
export const payoutItems = pgTable(
  'payout_items',
  {
    payoutId: text('payout_id')
      .notNull()
      .references(() => payouts.id),
    transactionId: text('transaction_id').notNull(),
    position: integer('position').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    released: boolean('released').notNull().default(false),
  },
  (table) => [
    primaryKey({ columns: [table.payoutId, table.transactionId, table.position] }),
    foreignKey({
      name: 'payout_items_line_fk',
      columns: [table.transactionId, table.position],
      foreignColumns: [journalLines.transactionId, journalLines.position],
    }),
    uniqueIndex('payout_items_line_paid_once')
      .on(table.transactionId, table.position)
      .where(sql`not ${table.released}`),
    index('payout_items_line_idx').on(table.transactionId, table.position),
  ],
)

export type PayoutItemRow = typeof payoutItems.$inferSelect
