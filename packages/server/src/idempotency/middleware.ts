import { createHash } from 'node:crypto'
import { MitraError } from '@mitra/core'
import { type Database, idempotencyKeys } from '@mitra/db'
import { and, eq, isNull, lt, sql } from 'drizzle-orm'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'

/** Headers worth replaying with a stored response. */
const replayedHeaders = ['content-type', 'location']

/** A request still marked in flight after this long is taken to have died with its process. */
const abandonedAfterMs = 60_000

/**
 * `Idempotency-Key` on POST: the first request with a key runs and its response is stored;
 * the same key with the same request replays that response (`Idempotent-Replayed: true`);
 * with a different request it is a 409. A duplicate arriving while the first is still running
 * is a 409 too, so nothing runs twice. Server errors (5xx) are not stored: retrying is safe.
 */
export function idempotency(db: Database) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header('Idempotency-Key')
    if (c.req.method !== 'POST' || key === undefined) return next()
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new MitraError(
        'invalid_request',
        'Idempotency-Key must be 1–255 visible ASCII characters',
        {
          errors: [
            { path: 'Idempotency-Key', code: 'invalid', message: '1–255 visible ASCII characters' },
          ],
        },
      )
    }
    const scope = c.get('principal').keyId
    const body = new Uint8Array(await c.req.arrayBuffer())
    const requestHash = createHash('sha256')
      .update(`${c.req.method}\n${c.req.path}\n${c.req.header('Content-Type') ?? ''}\n`)
      .update(body)
      .digest('hex')

    const claimed = await db
      .insert(idempotencyKeys)
      .values({ scope, key, method: c.req.method, path: c.req.path, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key })

    if (claimed.length === 0) {
      const [stored] = await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)))
      if (stored === undefined) throw new MitraError('conflict', 'Retry: the key was just released')
      if (stored.requestHash !== requestHash) {
        throw new MitraError(
          'idempotency_conflict',
          `Idempotency-Key '${key}' was already used with a different request`,
        )
      }
      if (stored.responseStatus === null) {
        const age = Date.now() - stored.createdAt.getTime()
        if (age < abandonedAfterMs) {
          throw new MitraError(
            'idempotency_in_progress',
            `A request with Idempotency-Key '${key}' is still in progress; retry shortly`,
          )
        }
        // The first attempt died mid-flight: take the key over.
        const taken = await db
          .update(idempotencyKeys)
          .set({ createdAt: sql`now()` })
          .where(
            and(
              eq(idempotencyKeys.scope, scope),
              eq(idempotencyKeys.key, key),
              isNull(idempotencyKeys.responseStatus),
              // Compare-and-set: of two concurrent retries only one sees the stale timestamp.
              sql`${idempotencyKeys.createdAt} < now() - make_interval(secs => ${abandonedAfterMs / 1000})`,
            ),
          )
          .returning({ key: idempotencyKeys.key })
        if (taken.length === 0) {
          throw new MitraError('idempotency_in_progress', 'Another retry took this request over')
        }
      } else {
        c.res = new Response(stored.responseBody, {
          status: stored.responseStatus,
          headers: { ...(stored.responseHeaders ?? {}), 'Idempotent-Replayed': 'true' },
        })
        return
      }
    }

    await next()

    const status = c.res.status
    if (status >= 500) {
      await db
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)))
      return
    }
    const responseBody = await c.res.clone().text()
    const headers: Record<string, string> = {}
    for (const name of replayedHeaders) {
      const value = c.res.headers.get(name)
      if (value !== null) headers[name] = value
    }
    await db
      .update(idempotencyKeys)
      .set({
        responseStatus: status,
        responseBody,
        responseHeaders: headers,
        completedAt: sql`now()`,
      })
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)))
  })
}

/** Forgets stored responses older than `olderThan` (Stripe keeps them 24 hours). */
export async function purgeIdempotencyKeys(db: Database, olderThan: Date): Promise<number> {
  const removed = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, olderThan))
    .returning({ key: idempotencyKeys.key })
  return removed.length
}
