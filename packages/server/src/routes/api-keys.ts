import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { roleSchema } from '@mitra/catalog'
import { idSchema } from '@mitra/core'
import { type Database, inTransaction } from '@mitra/db'
import type { Context } from 'hono'
import { actorOf, recordAudit } from '../audit.js'
import {
  type ApiKeyView,
  createApiKey,
  listApiKeys,
  maxRotationOverlapSeconds,
  revokeApiKey,
  rotateApiKey,
} from '../auth/keys.js'
import { requireRole } from '../auth/middleware.js'
import type { AppEnv } from '../env.js'
import {
  idempotencyHeader,
  json,
  jsonBody,
  listOf,
  pageQuery,
  problemResponses,
  secretKeySecurity,
} from '../openapi.js'

const originSchema = z.string().refine((value) => {
  if (value === '*') return true
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value
  } catch {
    return false
  }
}, 'must be an origin such as https://galeri.example (scheme, host, optional port) or *')

export const apiKeySchema = z
  .object({
    id: z.string().openapi({ example: 'key_01jd0000000000000000000000' }),
    object: z.literal('api_key'),
    party_id: z.string(),
    kind: z.enum(['secret', 'publishable']),
    role: roleSchema,
    name: z.string(),
    token: z
      .string()
      .openapi({ description: 'Publishable: the key. Secret: its first characters.' }),
    allowed_origins: z.array(z.string()),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    expires_at: z
      .string()
      .nullable()
      .openapi({ description: 'When the key stops working (null: never). A 401 after that.' }),
    replaced_by: z
      .string()
      .nullable()
      .openapi({ description: 'The key that replaced this one when it was rotated' }),
  })
  .openapi('ApiKey')

/** Longest lifetime a new key may be given: two years. */
const maxKeyLifetimeMs = 2 * 365 * 24 * 60 * 60 * 1000

const expiresAtSchema = z.iso
  .datetime({ offset: true })
  .refine((value) => Date.parse(value) > Date.now(), 'must be in the future')
  .refine(
    (value) => Date.parse(value) <= Date.now() + maxKeyLifetimeMs,
    'must be within two years from now',
  )
  .openapi({ description: 'When the key stops working (default: never); at most two years ahead' })

const createApiKeyBody = z
  .strictObject({
    kind: z.enum(['secret', 'publishable']),
    role: roleSchema.optional(),
    name: z.string().max(100).optional(),
    allowed_origins: z.array(originSchema).max(50).optional(),
    expires_at: expiresAtSchema.optional(),
  })
  .openapi('CreateApiKey')

const defaultOverlapSeconds = 24 * 60 * 60

const rotateApiKeyBody = z
  .strictObject({
    overlap_seconds: z
      .number()
      .int()
      .min(0)
      .max(maxRotationOverlapSeconds)
      .default(defaultOverlapSeconds)
      .openapi({
        description:
          'How long the old key keeps working beside the new one (default 24 h, at most 30 days; 0: it stops at once)',
      }),
  })
  .openapi('RotateApiKey')

const rotatedKeySchema = z
  .object({
    api_key: apiKeySchema,
    token: z.string().openapi({ description: 'The new key. A secret key is shown only now.' }),
    replaced: apiKeySchema.openapi({ description: 'The old key, with its new `expires_at`' }),
  })
  .openapi('RotatedApiKey')

/** An API key event, under the key's party (and the acting party, when another). */
function keyEvent(action: string, key: ApiKeyView, details: Record<string, unknown> = {}) {
  return {
    action,
    subjectType: 'api_key',
    subjectId: key.id,
    partyIds: [key.party_id],
    details: { kind: key.kind, role: key.role, name: key.name, ...details },
  }
}

/** Records the key created with a new party (parties.ts), in the same transaction. */
export function recordKeyCreated(
  tx: Parameters<typeof recordAudit>[0],
  c: Context<AppEnv>,
  key: ApiKeyView,
) {
  return recordAudit(tx, actorOf(c), keyEvent('api_key.created', key))
}

const createdKeySchema = z
  .object({
    api_key: apiKeySchema,
    token: z.string().openapi({ description: 'The full key. A secret key is shown only now.' }),
  })
  .openapi('CreatedApiKey')

const owner = requireRole('owner')

export function registerApiKeyRoutes(app: OpenAPIHono<AppEnv>, db: Database): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/api_keys',
      operationId: 'createApiKey',
      summary: 'Create an API key for your party',
      tags: ['api keys'],
      security: secretKeySecurity,
      middleware: owner,
      request: { headers: idempotencyHeader, body: jsonBody(createApiKeyBody) },
      responses: {
        201: json(createdKeySchema, 'Created; the token is shown once'),
        ...problemResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json')
      const principal = c.get('principal')
      const created = await inTransaction(db, async (tx) => {
        const made = await createApiKey(tx, {
          partyId: principal.partyId,
          kind: body.kind,
          ...(body.role ? { role: body.role } : {}),
          ...(body.name ? { name: body.name } : {}),
          ...(body.allowed_origins ? { allowedOrigins: body.allowed_origins } : {}),
          ...(body.expires_at ? { expiresAt: new Date(body.expires_at) } : {}),
          createdBy: principal.keyId,
        })
        await recordKeyCreated(tx, c, made.key)
        return made
      })
      return c.json({ api_key: created.key, token: created.token }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/api_keys',
      operationId: 'listApiKeys',
      summary: "List your party's API keys, newest first",
      tags: ['api keys'],
      security: secretKeySecurity,
      middleware: owner,
      request: { query: pageQuery.extend({ cursor: idSchema('key').optional() }) },
      responses: {
        200: json(listOf(apiKeySchema, 'ApiKeyList'), 'A page of keys'),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query')
      const rows = await listApiKeys(db, c.get('principal').partyId, {
        limit: limit + 1,
        ...(cursor ? { startingAfter: cursor } : {}),
      })
      const data = rows.slice(0, limit)
      const next = rows.length > limit ? (data.at(-1)?.id ?? null) : null
      return c.json({ object: 'list' as const, data, next_cursor: next }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/api_keys/{id}/revoke',
      operationId: 'revokeApiKey',
      summary: 'Revoke one of your API keys',
      tags: ['api keys'],
      security: secretKeySecurity,
      middleware: owner,
      request: { headers: idempotencyHeader, params: z.object({ id: idSchema('key') }) },
      responses: { 200: json(apiKeySchema, 'Revoked'), ...problemResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { wasLive, ...revoked } = await inTransaction(db, async (tx) => {
        const result = await revokeApiKey(tx, c.get('principal').partyId, id)
        if (result.wasLive) await recordAudit(tx, actorOf(c), keyEvent('api_key.revoked', result))
        return result
      })
      return c.json(revoked, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/api_keys/{id}/rotate',
      operationId: 'rotateApiKey',
      summary: 'Replace an API key with a new one; the old one keeps working for an overlap',
      description:
        'Creates a key of the same kind, role, name and allowed origins, and sets the old ' +
        "key's `expires_at` to now + `overlap_seconds` and its `replaced_by` to the new key. " +
        'A revoked, expired or already rotated key is a 409.',
      tags: ['api keys'],
      security: secretKeySecurity,
      middleware: owner,
      request: {
        headers: idempotencyHeader,
        params: z.object({ id: idSchema('key') }),
        body: { ...jsonBody(rotateApiKeyBody), required: false },
      },
      responses: {
        200: json(rotatedKeySchema, 'Rotated; the new token is shown once'),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      // The body is optional: without one, the default overlap.
      const overlap_seconds =
        (c.req.valid('json') as { overlap_seconds?: number } | undefined)?.overlap_seconds ??
        defaultOverlapSeconds
      const principal = c.get('principal')
      const rotated = await inTransaction(db, async (tx) => {
        const result = await rotateApiKey(tx, {
          partyId: principal.partyId,
          keyId: id,
          overlapSeconds: overlap_seconds,
          createdBy: principal.keyId,
        })
        await recordAudit(
          tx,
          actorOf(c),
          keyEvent('api_key.rotated', result.replaced, {
            replaced_by: result.key.id,
            expires_at: result.replaced.expires_at,
            overlap_seconds,
          }),
        )
        return result
      })
      return c.json({ api_key: rotated.key, token: rotated.token, replaced: rotated.replaced }, 200)
    },
  )
}
