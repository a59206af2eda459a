import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { roleSchema } from '@mitra/catalog'
import { idSchema } from '@mitra/core'
import type { Database } from '@mitra/db'
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/keys.js'
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
  })
  .openapi('ApiKey')

const createApiKeyBody = z
  .strictObject({
    kind: z.enum(['secret', 'publishable']),
    role: roleSchema.optional(),
    name: z.string().max(100).optional(),
    allowed_origins: z.array(originSchema).max(50).optional(),
  })
  .openapi('CreateApiKey')

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
      const created = await createApiKey(db, {
        partyId: principal.partyId,
        kind: body.kind,
        ...(body.role ? { role: body.role } : {}),
        ...(body.name ? { name: body.name } : {}),
        ...(body.allowed_origins ? { allowedOrigins: body.allowed_origins } : {}),
        createdBy: principal.keyId,
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
      return c.json(await revokeApiKey(db, c.get('principal').partyId, id), 200)
    },
  )
}
