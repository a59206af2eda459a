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
    })
    .returning()
  return { key: toView(row!), token }
}

/** The principal behind a token, or null for an unknown or revoked one. */
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

export async function authenticate(db: Executor, token: string): Promise<Principal | null> {
  if (!/^(sk|pk)_[A-Za-z0-9_-]{43}$/.test(token)) return null
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tokenHash, hashToken(token)), isNull(apiKeys.revokedAt)))
  if (row === undefined) return null
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
  return {
    partyId: row.partyId,
    role: row.role,
    keyId: row.id,
    kind: row.kind,
    allowedOrigins: row.allowedOrigins,
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

/** Revokes one of the party's keys; another party's key id is a 404. Revoking twice is fine. */
export async function revokeApiKey(
  db: Executor,
  partyId: string,
  keyId: string,
): Promise<ApiKeyView> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())`, updatedAt: sql`now()` })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.partyId, partyId)))
    .returning()
  if (row === undefined) throw new MitraError('not_found', `No API key ${keyId}`)
  return toView(row)
}
