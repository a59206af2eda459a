import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { parties, timestamps } from './parties.js'

/**
 * A partnership between a producer group and a venue (dagang umum / consignment first;
 * the revenue-share models attach to the same agreements). The terms live in versions:
 * a version in force is never edited — an amendment is a new version both sides accept.
 */
export const agreementStatuses = [
  'draft',
  'proposed',
  'active',
  'terminated',
  'withdrawn',
  'rejected',
] as const
export type AgreementStatus = (typeof agreementStatuses)[number]
export const agreementStatus = pgEnum('agreement_status', agreementStatuses)

export const agreementModels = ['consignment', 'inti_plasma', 'subcontract'] as const
export type AgreementModel = (typeof agreementModels)[number]
export const agreementModel = pgEnum('agreement_model', agreementModels)

export const agreements = pgTable(
  'agreements',
  {
    id: text('id').primaryKey(),
    model: agreementModel('model').notNull().default('consignment'),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id),
    venueId: text('venue_id')
      .notNull()
      .references(() => parties.id),
    /** Who proposed it first: the producer or the venue. */
    initiatorId: text('initiator_id')
      .notNull()
      .references(() => parties.id),
    status: agreementStatus('status').notNull().default('draft'),
    /** The version in force (null until the first version is accepted by both). */
    activeVersion: integer('active_version'),
    /** The newest version (draft, proposed or accepted). */
    latestVersion: integer('latest_version').notNull().default(1),
    terminatedAt: timestamp('terminated_at', { withTimezone: true, mode: 'date' }),
    terminationReason: text('termination_reason'),
    ...timestamps,
  },
  (table) => [
    check('agreements_id_format', sql`${table.id} ~ '^agr_[0-9a-z]{26}$'`),
    check('agreements_two_parties', sql`${table.producerId} <> ${table.venueId}`),
    index('agreements_producer_idx').on(table.producerId, table.status),
    index('agreements_venue_idx').on(table.venueId, table.status),
    // At most one agreement in force per producer and venue and model.
    uniqueIndex('agreements_one_active')
      .on(table.producerId, table.venueId, table.model)
      .where(sql`${table.status} = 'active'`),
  ],
)

export const agreementVersionStates = [
  'draft',
  'proposed',
  'accepted',
  'superseded',
  'rejected',
  'withdrawn',
] as const
export type AgreementVersionState = (typeof agreementVersionStates)[number]
export const agreementVersionState = pgEnum('agreement_version_state', agreementVersionStates)

/**
 * One version of an agreement's terms. `terms` is validated by @mitra/consignment;
 * `terms_hash` (SHA-256 of the canonical terms) is what each acceptance signs, so an
 * acceptance always names the exact text it accepted.
 */
export const agreementVersions = pgTable(
  'agreement_versions',
  {
    agreementId: text('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    state: agreementVersionState('state').notNull().default('draft'),
    terms: jsonb('terms').$type<Record<string, unknown>>().notNull(),
    termsHash: text('terms_hash').notNull(),
    authorId: text('author_id')
      .notNull()
      .references(() => parties.id),
    proposedAt: timestamp('proposed_at', { withTimezone: true, mode: 'date' }),
    producerAcceptedAt: timestamp('producer_accepted_at', { withTimezone: true, mode: 'date' }),
    /** Who accepted for the producer: a user id or an API key id. */
    producerAcceptedBy: text('producer_accepted_by'),
    venueAcceptedAt: timestamp('venue_accepted_at', { withTimezone: true, mode: 'date' }),
    venueAcceptedBy: text('venue_accepted_by'),
    /** When it came into force (both accepted). */
    effectiveAt: timestamp('effective_at', { withTimezone: true, mode: 'date' }),
    note: text('note'),
    ...timestamps,
  },
  (table) => [
    primaryKey({ columns: [table.agreementId, table.version] }),
    check('agreement_versions_positive', sql`${table.version} >= 1`),
    // An accepted version names both acceptances.
    check(
      'agreement_versions_accepted_by_both',
      sql`${table.state} not in ('accepted', 'superseded') or (${table.producerAcceptedAt} is not null and ${table.venueAcceptedAt} is not null)`,
    ),
  ],
)

/** What a party looks for in partners: shown in the partner directory. */
export const partnerProfiles = pgTable(
  'partner_profiles',
  {
    partyId: text('party_id')
      .primaryKey()
      .references(() => parties.id, { onDelete: 'cascade' }),
    /** Where: village, district, regency, province (and for venues, the address). */
    location: jsonb('location').$type<Record<string, string>>().notNull(),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    /** What they seek, in their words (id/en). */
    seeking: jsonb('seeking').$type<{ id?: string; en?: string }>().notNull(),
    /** Shown in the partner directory (a party may hide its profile). */
    listed: boolean('listed').notNull().default(true),
    ...timestamps,
  },
  (table) => [index('partner_profiles_categories_idx').using('gin', table.categories)],
)
