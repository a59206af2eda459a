import { sql } from 'drizzle-orm'
import { check, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { agreements } from './agreements.js'
import { at } from './columns.js'
import { parties } from './parties.js'

/*
 * Statement reviews (@mitra/revenue-share): both parties of an agreement acknowledge the
 * statement of one settlement period, or dispute a line of it. Each acknowledgment and each
 * dispute names the SHA-256 of the statement it saw, so when the numbers change afterwards
 * the old acknowledgment is shown as stale rather than silently covering new numbers.
 * Nothing here is edited except a dispute's resolution; an acknowledgment is never deleted.
 */

/** One party's acknowledgment of an agreement's statement for a period, as it then read. */
export const statementAcknowledgments = pgTable(
  'statement_acknowledgments',
  {
    id: text('id').primaryKey(),
    agreementId: text('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    /** The settlement period, [from, to). */
    periodFrom: at('period_from').notNull(),
    periodTo: at('period_to').notNull(),
    /** The party that acknowledged: the agreement's producer or its venue. */
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id),
    /** SHA-256 (hex) of the statement as it was seen. */
    statementHash: text('statement_hash').notNull(),
    /** Who acknowledged for the party: a user id or an API key id. */
    acknowledgedBy: text('acknowledged_by').notNull(),
    acknowledgedAt: at('acknowledged_at').notNull().defaultNow(),
  },
  (table) => [
    check('statement_acknowledgments_id_format', sql`${table.id} ~ '^stmt_[0-9a-z]{26}$'`),
    check('statement_acknowledgments_period', sql`${table.periodTo} > ${table.periodFrom}`),
    check('statement_acknowledgments_hash', sql`${table.statementHash} ~ '^[0-9a-f]{64}$'`),
    // A party acknowledges one version of the numbers once.
    uniqueIndex('statement_acknowledgments_once').on(
      table.agreementId,
      table.periodFrom,
      table.periodTo,
      table.partyId,
      table.statementHash,
    ),
  ],
)

export const statementDisputeStatuses = ['open', 'withdrawn'] as const
export type StatementDisputeStatus = (typeof statementDisputeStatuses)[number]

/** A party's dispute of one statement line, with its comment; withdrawn by its author. */
export const statementDisputes = pgTable(
  'statement_disputes',
  {
    id: text('id').primaryKey(),
    agreementId: text('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    periodFrom: at('period_from').notNull(),
    periodTo: at('period_to').notNull(),
    /** The party that disputes: the agreement's producer or its venue. */
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id),
    /** The disputed line: a journal transaction id or a sale line id from the statement. */
    lineRef: text('line_ref').notNull(),
    comment: text('comment').notNull(),
    statementHash: text('statement_hash').notNull(),
    /** Who disputed for the party: a user id or an API key id. */
    openedBy: text('opened_by').notNull(),
    openedAt: at('opened_at').notNull().defaultNow(),
    status: text('status', { enum: statementDisputeStatuses }).notNull().default('open'),
    resolvedBy: text('resolved_by'),
    resolvedAt: at('resolved_at'),
    resolutionNote: text('resolution_note'),
  },
  (table) => [
    check('statement_disputes_id_format', sql`${table.id} ~ '^stmt_[0-9a-z]{26}$'`),
    check('statement_disputes_period', sql`${table.periodTo} > ${table.periodFrom}`),
    check('statement_disputes_hash', sql`${table.statementHash} ~ '^[0-9a-f]{64}$'`),
    check('statement_disputes_status', sql`${table.status} in ('open', 'withdrawn')`),
    check('statement_disputes_comment', sql`length(${table.comment}) between 1 and 2000`),
    // A withdrawn dispute names who withdrew it, when, and why.
    check(
      'statement_disputes_resolution',
      sql`(${table.status} = 'open') = (${table.resolvedAt} is null) and (${table.status} = 'open' or (${table.resolvedBy} is not null and ${table.resolutionNote} is not null))`,
    ),
    index('statement_disputes_period_idx').on(table.agreementId, table.periodFrom, table.periodTo),
  ],
)
