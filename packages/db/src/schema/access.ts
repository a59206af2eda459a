import { sql } from 'drizzle-orm'
import {
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

/** owner > staff > viewer: a viewer only reads (the API refuses its writes). */
export const roles = ['owner', 'staff', 'viewer'] as const
export type Role = (typeof roles)[number]
export const role = pgEnum('role', roles)

/**
 * People who sign in to the partner console, by email or phone number (Indonesian numbers
 * kept as `+62…`). The password is stored only as a scrypt hash with its own salt and cost.
 */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email'),
    phone: text('phone'),
    name: text('name').notNull(),
    passwordHash: text('password_hash'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('users_email_unique').on(sql`lower(${table.email})`),
    uniqueIndex('users_phone_unique').on(table.phone),
    check('users_id_format', sql`${table.id} ~ '^usr_[0-9a-z]{26}$'`),
    check('users_reachable', sql`${table.email} is not null or ${table.phone} is not null`),
  ],
)

/**
 * A person signed in to the console: the cookie holds a random token, stored here only as
 * its SHA-256 hash. Ends at `expiresAt`, when revoked (sign out), or when the person signs
 * out everywhere.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    uniqueIndex('sessions_token_hash_unique').on(table.tokenHash),
    index('sessions_user_idx').on(table.userId),
  ],
)

/** Failed sign-ins, counted per account and per client address to slow guessing down. */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: text('id').primaryKey(),
    /** `account:<email or phone>` or `client:<address>`. */
    subject: text('subject').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('sign_in_failures_subject_idx').on(table.subject, table.at)],
)

/**
 * An owner's invitation to join a party with a role: a one-time link whose token is stored
 * only as its hash; used once, or expired.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    role: role('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: text('invited_by').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true, mode: 'date' }),
    acceptedBy: text('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('invitations_token_hash_unique').on(table.tokenHash),
    index('invitations_party_idx').on(table.partyId),
  ],
)

/** A user's role in a party (owner or staff). */
export const memberships = pgTable(
  'memberships',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    role: role('role').notNull(),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('memberships_user_party_unique').on(table.userId, table.partyId),
    index('memberships_party_idx').on(table.partyId),
  ],
)

export const apiKeyKinds = ['secret', 'publishable'] as const
export type ApiKeyKind = (typeof apiKeyKinds)[number]
export const apiKeyKind = pgEnum('api_key_kind', apiKeyKinds)

/**
 * API keys in Stripe's style. A secret key (`sk_…`) acts for one party with one role and is
 * stored only as a SHA-256 hash (it is 32 random bytes, so no salt or slow hash is needed);
 * it is shown once, at creation. A publishable key (`pk_…`) is public by design: read-only
 * store access for one party, with the web origins allowed to use it (CORS).
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    kind: apiKeyKind('kind').notNull(),
    role: role('role').notNull().default('staff'),
    name: text('name').notNull().default(''),
    /** The first characters of the token, to recognise it in lists (`sk_live_4f9a…`). */
    tokenPrefix: text('token_prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** Publishable keys only: the full token, since it is public anyway. */
    publishableToken: text('publishable_token'),
    allowedOrigins: text('allowed_origins').array().notNull().default(sql`'{}'::text[]`),
    createdBy: text('created_by'),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    /** After this moment the key is refused (null: never). Rotation sets it on the old key. */
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    /** The key that replaced this one when it was rotated. */
    replacedBy: text('replaced_by'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('api_keys_token_hash_unique').on(table.tokenHash),
    index('api_keys_party_idx').on(table.partyId, table.id),
    check(
      'api_keys_publishable_token',
      sql`(${table.kind} = 'publishable') = (${table.publishableToken} is not null)`,
    ),
  ],
)

/**
 * Stored responses for `Idempotency-Key`: the same key with the same request replays the
 * response; with a different request it is a 409. A row with no status yet is a request
 * still in flight, so a concurrent duplicate is refused instead of run twice.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    /** Whose key: the API key id or the console session's user, so keys never collide. */
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    primaryKey({ columns: [table.scope, table.key] }),
    index('idempotency_keys_created_idx').on(table.createdAt),
  ],
)

/** Who did an audited action: an API key, a signed-in person, or the system itself. */
export const auditActorKinds = ['api_key', 'user', 'system'] as const
export type AuditActorKind = (typeof auditActorKinds)[number]
export const auditActorKind = pgEnum('audit_actor_kind', auditActorKinds)

/**
 * The audit log: one immutable row per sensitive action (keys, terms, prices, payouts, stock
 * corrections), kept under each party it concerns so that party can read it.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    /** The party the action concerns (one row per party when it concerns several). */
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    actorKind: auditActorKind('actor_kind').notNull(),
    /** The key id or user id that acted (null for the system). */
    actorId: text('actor_id'),
    /** The party the actor acted for (may differ from `partyId`: a venue changing terms). */
    actorPartyId: text('actor_party_id'),
    /** `api_key.revoked`, `agreement.accepted`, `variant.price_changed`, … */
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /** What changed: before and after values, or the action's inputs. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    requestId: text('request_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    check('audit_events_id_format', sql`${table.id} ~ '^aud_[0-9a-z]{26}$'`),
    index('audit_events_party_idx').on(table.partyId, table.id),
    index('audit_events_subject_idx').on(table.subjectType, table.subjectId),
  ],
)
