import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { MitraError, newId } from '@mitra/core'
import type { DatabaseHandle } from '@mitra/db'
import { sql } from 'drizzle-orm'
import { requestId } from 'hono/request-id'
import { problemResponse, toMitraError } from './errors.js'

export interface AppOptions {
  database: DatabaseHandle
  /** Where unexpected errors are reported (default: console.error). */
  logError?: (error: unknown, requestId: string | undefined) => void
}

export type AppEnv = { Variables: { requestId: string } }

const healthSchema = z
  .object({
    status: z.literal('ok'),
    database: z.object({ kind: z.enum(['pglite', 'postgres']), latency_ms: z.number() }),
    time: z.string(),
  })
  .openapi('Health')

const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z
      .array(z.object({ path: z.string(), code: z.string(), message: z.string() }))
      .optional(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
  })
  .openapi('Problem')

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Is the API up and its database reachable?',
  tags: ['system'],
  responses: {
    200: { description: 'Up', content: { 'application/json': { schema: healthSchema } } },
    503: {
      description: 'The database is unreachable',
      content: { 'application/problem+json': { schema: problemSchema } },
    },
  },
})

/**
 * The mitra HTTP API as a Hono app: run it with @hono/node-server, or call `app.request()`
 * in tests. Every error leaves as problem+json carrying the request id.
 */
export function createApp(options: AppOptions) {
  const { database } = options
  const logError =
    options.logError ?? ((error, id) => console.error(`[${id ?? '-'}] unhandled error`, error))

  const app = new OpenAPIHono<AppEnv>({
    // Invalid input never reaches a handler: it becomes a 422 naming each failing field.
    defaultHook: (result) => {
      if (!result.success) throw toMitraError(result.error)
    },
  })

  app.use(requestId({ headerName: 'Request-Id', generator: () => newId('req') }))

  app.onError((error, c) => {
    const mitraError = toMitraError(error)
    if (mitraError.status >= 500) logError(error, c.get('requestId'))
    return problemResponse(c, mitraError)
  })
  app.notFound((c) =>
    problemResponse(c, new MitraError('not_found', `No route for ${c.req.method} ${c.req.path}`)),
  )

  app.openapi(healthRoute, async (c) => {
    const started = performance.now()
    try {
      await database.db.execute(sql`select 1`)
    } catch (error) {
      throw new MitraError('unavailable', 'The database is unreachable', { cause: error })
    }
    const latency = Math.round((performance.now() - started) * 100) / 100
    return c.json(
      {
        status: 'ok' as const,
        database: { kind: database.kind, latency_ms: latency },
        time: new Date().toISOString(),
      },
      200,
    )
  })

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'mitra API',
      version: '0.1.0',
      description:
        'Own-brand commerce and consignment for village producer groups and their partner venues.',
    },
  })

  return app
}

export type App = ReturnType<typeof createApp>
