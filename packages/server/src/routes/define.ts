import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi'
import type { Role } from '@mitra/db'
import type { Context } from 'hono'
import { requireRole } from '../auth/middleware.js'
import type { AppEnv } from '../env.js'
import {
  idempotencyHeader,
  json,
  jsonBody,
  problemResponses,
  publishableKeySecurity,
  secretKeySecurity,
} from '../openapi.js'

type Schema = z.ZodType
export type Out<S> = S extends Schema ? z.output<S> : undefined

export interface AdminRouteSpec<P, Q, B> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  path: string
  /** Unique across the document, camelCase: what generated clients name the call. */
  operationId: string
  summary: string
  tags: string[]
  params?: P
  query?: Q
  body?: B
  /** Header parameters besides Idempotency-Key (documented; optional ones checked by the handler). */
  headers?: z.ZodObject
  response: Schema
  status?: 200 | 201
  /** The least role that may call it (default: staff, i.e. any secret key). */
  role?: Role
}

/** What a scoped service needs from the caller: party, role, and who acts (for the record). */
export function scopeOf(c: Context<AppEnv>) {
  const { partyId, role, keyId } = c.get('principal')
  // A viewer reaches a handler only for a read (the auth middleware refuses its writes), and
  // reads what staff reads.
  return { partyId, role: role === 'viewer' ? ('staff' as const) : role, actorId: keyId }
}

/**
 * Declares one admin route from its schemas — documented in OpenAPI, validated before the
 * handler runs (422 naming each field), POSTs honouring Idempotency-Key — and hands the
 * handler the parsed params, query and body.
 */
export function adminRoute<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
>(
  app: OpenAPIHono<AppEnv>,
  spec: AdminRouteSpec<P, Q, B>,
  run: (
    c: Context<AppEnv>,
    input: { params: Out<P>; query: Out<Q>; body: Out<B> },
  ) => Promise<unknown>,
): void {
  defineRoute(app, spec, secretKeySecurity, run)
}

/**
 * Declares one store route (publishable key, called from browsers) like `adminRoute`. Its
 * answers are live (carts, orders): `Cache-Control: no-store`, never kept by the store cache.
 */
export function storeRoute<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
>(
  app: OpenAPIHono<AppEnv>,
  spec: Omit<AdminRouteSpec<P, Q, B>, 'role'>,
  run: (
    c: Context<AppEnv>,
    input: { params: Out<P>; query: Out<Q>; body: Out<B> },
  ) => Promise<unknown>,
): void {
  defineRoute(app, spec, publishableKeySecurity, (c, input) => {
    c.header('Cache-Control', 'no-store')
    return run(c, input)
  })
}

function defineRoute<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
>(
  app: OpenAPIHono<AppEnv>,
  spec: AdminRouteSpec<P, Q, B>,
  security: Record<string, string[]>[],
  run: (
    c: Context<AppEnv>,
    input: { params: Out<P>; query: Out<Q>; body: Out<B> },
  ) => Promise<unknown>,
): void {
  const status = spec.status ?? 200
  const route = createRoute({
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    tags: spec.tags,
    security,
    ...(spec.role === 'owner' ? { middleware: requireRole('owner') } : {}),
    request: {
      ...(spec.method === 'post'
        ? { headers: idempotencyHeader.extend(spec.headers?.shape ?? {}) }
        : spec.headers
          ? { headers: spec.headers }
          : {}),
      ...(spec.params ? { params: spec.params as unknown as z.ZodObject } : {}),
      ...(spec.query ? { query: spec.query as unknown as z.ZodObject } : {}),
      ...(spec.body ? { body: jsonBody(spec.body) } : {}),
    },
    responses: { [status]: json(spec.response, 'OK'), ...problemResponses },
  })
  // The route's types are only known at run time here, so the handler is typed loosely.
  const register = app.openapi.bind(app) as unknown as (
    r: typeof route,
    handler: (c: Context<AppEnv>) => Promise<Response>,
  ) => void
  register(route, async (c) => {
    // Each part was validated by the route's schemas before the handler runs.
    const valid = (target: 'param' | 'query' | 'json') =>
      (c.req as unknown as { valid(t: string): unknown }).valid(target)
    const input = {
      params: (spec.params ? valid('param') : undefined) as Out<P>,
      query: (spec.query ? valid('query') : undefined) as Out<Q>,
      body: (spec.body ? valid('json') : undefined) as Out<B>,
    }
    const answer = await run(c, input)
    if (c.get('checkResponses')) checkAnswer(spec, answer)
    return c.json(answer, status)
  })
}

/** A drift between an answer and its declared schema, as the OpenAPI document shows it. */
export class ResponseDrift extends Error {
  override name = 'ResponseDrift'
}

/** Fails when an answer does not match the schema its route declares (tests only). */
export function checkAnswer(
  spec: { method: string; path: string; response: Schema },
  answer: unknown,
) {
  // What the client receives: JSON, so dates are strings and undefined fields are gone.
  const sent: unknown = JSON.parse(JSON.stringify(answer ?? null))
  const checked = spec.response.safeParse(sent)
  if (!checked.success) {
    const where = checked.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ')
    throw new ResponseDrift(
      `${spec.method.toUpperCase()} ${spec.path} answered outside its schema: ${where}`,
    )
  }
}
