import { createHash, randomBytes } from 'node:crypto'
import { type Id, MitraError, newId } from '@mitra/core'
import {
  type ApiKeyKind,
  apiKeys,
  type Database,
  type Executor,
  inTransaction,
  type Role,
} from '@mitra/db'
import { and, asc, desc, eq, isNull, lt, sql } from 'drizzle-orm'

/**
 * Who is calling: the party a key (or a person signed in to the console) acts for, with which
 * role, through which key (or as which user: `keyId` is then the user's id).
 */
export interface Principal {
  partyId: string
  role: Role
  keyId: string
  kind: ApiKeyKind | 'session'
  allowedOrigins: string[]
  /** When the key stops working (null: never). Checked again on every cached use. */
  expiresAt: Date | null
}

const tokenPrefixes: Record<ApiKeyKind, string> = { secret: 'sk_', publishable: 'pk_' }

/** 32 random bytes, base64url: 256 bits, so a plain SHA-256 is a safe hash at rest. */
function mintToken(kind: ApiKeyKind): string {
  return `${tokenPrefixes[kind]}${randomBytes(32).toString('base64url')}`
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export interface CreateApiKeyInput {
  partyId: string
  kind: ApiKeyKind
  role?: Role
  name?: string
  allowedOrigins?: string[]
  createdBy?: string
  expiresAt?: Date
}

export type ApiKeyView = ReturnType<typeof toView>

function toView(row: typeof apiKeys.$inferSelect) {
  return {
    id: row.id as Id<'key'>,
    object: 'api_key' as const,
    party_id: row.partyId,
    kind: row.kind,
    role: row.role,
    name: row.name,
    /** Publishable keys are public: always shown. Secret keys: only the first characters. */
    token: row.publishableToken ?? `${row.tokenPrefix}…`,
    allowed_origins: row.allowedOrigins,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
    expires_at: row.expiresAt?.toISOString() ?? null,
    replaced_by: row.replacedBy,
  }
}

/**
 * Creates a key and returns its token. For a secret key this is the only time the token is
 * seen: only its hash is stored.
 */
export async function createApiKey(
  db: Executor,
  input: CreateApiKeyInput,
): Promise<{ key: ApiKeyView; token: string }> {
  const token = mintToken(input.kind)
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: newId('key'),
      partyId: input.partyId,
      kind: input.kind,
      // A publishable key only ever reads the store: it carries no admin role.
      role: input.kind === 'publishable' ? 'staff' : (input.role ?? 'staff'),
      name: input.name ?? '',
      tokenPrefix: token.slice(0, 11),
      tokenHash: hashToken(token),
      publishableToken: input.kind === 'publishable' ? token : null,
      allowedOrigins: input.allowedOrigins ?? [],
      createdBy: input.createdBy ?? null,
      expiresAt: input.expiresAt ?? null,
    })
    .returning()
  return { key: toView(row!), token }
}

/**
 * The party's live publishable key called `name`, made on first use: for a program of the
 * operator's own, such as the shop, that reads the store in-process with the same key on
 * every start. A revoked key is not brought back: the next call makes a new one.
 */
export async function ensurePublishableKey(
  db: Database,
  input: { partyId: string; name: string; allowedOrigins?: string[] },
): Promise<{ key: ApiKeyView; token: string }> {
  return inTransaction(
    db,
    async (tx) => {
      const [found] = await tx
        .select()
        .from(apiKeys)
        .where(
          and(
            eq(apiKeys.partyId, input.partyId),
            eq(apiKeys.kind, 'publishable'),
            eq(apiKeys.name, input.name),
            isNull(apiKeys.revokedAt),
          ),
        )
        .orderBy(asc(apiKeys.id))
        .limit(1)
      if (found?.publishableToken != null) {
        return { key: toView(found), token: found.publishableToken }
      }
      return createApiKey(tx, {
        partyId: input.partyId,
        kind: 'publishable',
        name: input.name,
        allowedOrigins: input.allowedOrigins ?? [],
      })
    },
    // Two instances starting together: one makes the key, the other retries and finds it.
    { isolationLevel: 'serializable' },
  )
}

/**
 * The principal behind a token, or null for an unknown or revoked one. An expired key is a
 * 401 of its own, saying so: its owner then knows to use the key that replaced it.
 */
export async function authenticate(db: Executor, token: string): Promise<Principal | null> {
  if (!/^(sk|pk)_[A-Za-z0-9_-]{43}$/.test(token)) return null
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tokenHash, hashToken(token)), isNull(apiKeys.revokedAt)))
  if (row === undefined) return null
  const principal: Principal = {
    partyId: row.partyId,
    role: row.role,
    keyId: row.id,
    kind: row.kind,
    allowedOrigins: row.allowedOrigins,
    expiresAt: row.expiresAt,
  }
  refuseExpired(principal)
  // Touch last_used_at at most once a minute, so reads stay reads.
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.id, row.id),
        sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < now() - interval '1 minute')`,
      ),
    )
  return principal
}

/** A key past its `expires_at`: 401 naming when it expired (also for cached principals). */
export function refuseExpired(principal: Principal, now = new Date()): void {
  if (principal.expiresAt !== null && principal.expiresAt <= now) {
    throw new MitraError(
      'unauthorized',
      `The API key expired at ${principal.expiresAt.toISOString()}; use the key that replaced it`,
    )
  }
}

export async function listApiKeys(
  db: Executor,
  partyId: string,
  options: { limit: number; startingAfter?: string },
): Promise<ApiKeyView[]> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.partyId, partyId),
        options.startingAfter ? lt(apiKeys.id, options.startingAfter) : undefined,
      ),
    )
    .orderBy(desc(apiKeys.id))
    .limit(options.limit)
  return rows.map(toView)
}

/**
 * Revokes one of the party's keys; another party's key id is a 404. Revoking twice is fine;
 * `wasLive` tells whether this call revoked it.
 */
export async function revokeApiKey(
  db: Executor,
  partyId: string,
  keyId: string,
): Promise<ApiKeyView & { wasLive: boolean }> {
  const [before] = await db
    .select({ revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.partyId, partyId)))
    .for('update')
  if (before === undefined) throw new MitraError('not_found', `No API key ${keyId}`)
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())`, updatedAt: sql`now()` })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.partyId, partyId)))
    .returning()
  return Object.assign(toView(row!), { wasLive: before.revokedAt === null })
}

/** Longest a rotated key keeps working beside its replacement: 30 days. */
export const maxRotationOverlapSeconds = 30 * 24 * 60 * 60

/**
 * Replaces one of the party's keys with a new one of the same kind, role, name and origins.
 * The old key keeps working for `overlapSeconds` (0: it stops at once), so programs can move
 * to the new token without an outage. A revoked, expired or already rotated key is a 409.
 * Run it in a transaction: the old row is locked, so two rotations cannot both succeed.
 */
export async function rotateApiKey(
  db: Executor,
  input: { partyId: string; keyId: string; overlapSeconds: number; createdBy?: string },
  now = new Date(),
): Promise<{ key: ApiKeyView; token: string; replaced: ApiKeyView }> {
  const [old] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, input.keyId), eq(apiKeys.partyId, input.partyId)))
    .for('update')
  if (old === undefined) throw new MitraError('not_found', `No API key ${input.keyId}`)
  const refuse = (why: string) =>
    new MitraError('conflict', `API key ${old.id} ${why}; only a live key can be rotated`)
  if (old.revokedAt !== null) throw refuse('is revoked')
  if (old.replacedBy !== null) throw refuse(`was already rotated (replaced by ${old.replacedBy})`)
  if (old.expiresAt !== null && old.expiresAt <= now) throw refuse('has expired')
  const created = await createApiKey(db, {
    partyId: old.partyId,
    kind: old.kind,
    role: old.role,
    name: old.name,
    allowedOrigins: old.allowedOrigins,
    ...(input.createdBy ? { createdBy: input.createdBy } : {}),
  })
  const overlapEnds = new Date(now.getTime() + input.overlapSeconds * 1000)
  // A key that was to expire sooner anyway keeps its earlier end.
  const expiresAt =
    old.expiresAt !== null && old.expiresAt < overlapEnds ? old.expiresAt : overlapEnds
  const [replaced] = await db
    .update(apiKeys)
    .set({ expiresAt, replacedBy: created.key.id, updatedAt: sql`now()` })
    .where(eq(apiKeys.id, old.id))
    .returning()
  return { ...created, replaced: toView(replaced!) }
}
