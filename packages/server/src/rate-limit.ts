import { MitraError } from '@mitra/core'
import type { Context, MiddlewareHandler } from 'hono'
import { rateLimiter } from 'hono-rate-limiter'
import { type ClientOptions, clientAddress } from './client.js'
import type { AppEnv } from './env.js'

/**
 * How many store writes (POST and DELETE under `/v1/store`) are let through per window:
 * per publishable key (all of a site's buyers together, the shop's too) and per client
 * address. Reads are not limited: they are cached and cheap.
 */
export interface StoreRateLimits {
  /** The window the counts are kept for (default 60 000 ms). */
  windowMs?: number
  /** Writes per publishable key in a window (default 3000). */
  perKey?: number
  /** Writes per client address in a window (default 120). */
  perClient?: number
}

export const defaultStoreRateLimits = {
  windowMs: 60_000,
  perKey: 3_000,
  perClient: 120,
} satisfies Required<StoreRateLimits>

const isWrite = (method: string) => method === 'POST' || method === 'DELETE'

/**
 * Store writes limited per key and per client, each in memory of this instance (behind a
 * load balancer of n instances a client gets up to n times the limit). Over a limit: 429
 * problem+json with `Retry-After` (seconds until the window ends).
 */
export function storeWriteLimits(
  limits: StoreRateLimits = {},
  client: ClientOptions = {},
): MiddlewareHandler<AppEnv>[] {
  const { windowMs, perKey, perClient } = { ...defaultStoreRateLimits, ...limits }
  const limiter = (
    limit: number,
    what: string,
    keyOf: (c: Context<AppEnv>) => string | undefined,
  ) =>
    rateLimiter<AppEnv>({
      windowMs,
      limit,
      standardHeaders: 'draft-6',
      keyGenerator: (c) => keyOf(c) ?? '',
      // Reads are free; a client of no known address is counted by its key alone.
      skip: (c) => !isWrite(c.req.method) || keyOf(c) === undefined,
      handler: (c) => {
        const reset = c.get('rateLimit' as never) as { resetTime?: Date } | undefined
        const left = (reset?.resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()
        throw new MitraError('rate_limited', `Too many store writes ${what}; try again later`, {
          extensions: { retry_after: Math.max(1, Math.ceil(left / 1000)) },
        })
      },
    })
  return [
    limiter(perClient, 'from this client', (c) => clientAddress(c, client)),
    limiter(perKey, 'with this key', (c) => c.get('principal').keyId),
  ]
}
