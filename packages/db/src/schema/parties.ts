import { sql } from 'drizzle-orm'
import { check, index, pgEnum, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

/** Who takes part in the network (see docs/architecture.md, "Parties"). */
export const partyKinds = [
  'producer',
  'cluster',
  'venue',
  'core_partner',
  'buyer',
  'platform',
] as const
export type PartyKind = (typeof partyKinds)[number]

export const partyKind = pgEnum('party_kind', partyKinds)

/** Timestamps every table carries; `updated_at` is set by the service that changes a row. */
export const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}

/**
 * Every row in mitra belongs to a party: producer groups, clusters/cooperatives, venues,
 * core partners, buyers and the platform operator. Tenancy is scoped by `parties.id`.
 */
export const parties = pgTable(
  'parties',
  {
    id: text('id').primaryKey(),
    kind: partyKind('kind').notNull(),
    name: text('name').notNull(),
    slug: text('slug').notNull().unique(),
    ...timestamps,
  },
  (table) => [
    check('parties_id_format', sql`${table.id} ~ '^pty_[0-9a-z]{26}$'`),
    check('parties_slug_format', sql`${table.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
    check('parties_name_present', sql`length(trim(${table.name})) > 0`),
    index('parties_kind_idx').on(table.kind, table.id),
  ],
)

export type PartyRow = typeof parties.$inferSelect
export type NewPartyRow = typeof parties.$inferInsert

/** A cluster or cooperative and its member producer groups. */
export const clusterMembers = pgTable(
  'cluster_members',
  {
    clusterId: text('cluster_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    joinedAt: timestamp('joined_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.clusterId, table.producerId] }),
    index('cluster_members_producer_idx').on(table.producerId),
  ],
)

/**
 * One side's consent to a cluster membership, waiting for the other's: a cluster invited a
 * producer group, or a group asked to join. Membership needs both, so a cluster cannot make
 * a group its member (and read its stock and sales) on its own.
 */
export const clusterMemberRequests = pgTable(
  'cluster_member_requests',
  {
    clusterId: text('cluster_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    producerId: text('producer_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    /** Which side has consented: `cluster` (an invitation) or `producer` (a request to join). */
    askedBy: text('asked_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.clusterId, table.producerId] }),
    index('cluster_member_requests_producer_idx').on(table.producerId),
    check('cluster_member_requests_side', sql`${table.askedBy} in ('cluster', 'producer')`),
  ],
)
