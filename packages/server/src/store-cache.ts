import { createHash } from 'node:crypto'
import { createMiddleware } from 'hono/factory'
import type { TtlCache } from './cache.js'
import type { AppEnv } from './env.js'

export interface CachedResponse {
  body: string
  etag: string
  contentType: string
}

/** The same question from the same channel: the path and query exactly as asked. */
function cacheKey(partyId: string, url: string): string {
  return `${partyId} ${url.slice(url.indexOf('/', url.indexOf('//') + 2))}`
}

/**
 * Caches successful store reads per channel (the key's party) and answers repeats from
 * memory, with an ETag so a widget can revalidate for free (304). Store reads are the hot
 * path — every page view of every partner site — while the catalogue changes rarely.
 */
export function storeResponseCache(cache: TtlCache<CachedResponse>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method !== 'GET') return next()
    const key = cacheKey(c.get('principal').partyId, c.req.url)
    let hit = cache.get(key)
    if (hit === undefined) {
      await next()
      // Only JSON answers: images and other bytes go to HTTP caches via Cache-Control instead.
      // Live answers (stock, carts, orders) say `no-store` and are never kept.
      if (
        c.res.status !== 200 ||
        !c.res.headers.get('Content-Type')?.startsWith('application/json') ||
        c.res.headers.get('Cache-Control') === 'no-store'
      )
        return
      const body = await c.res.clone().text()
      hit = {
        body,
        etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
        contentType: c.res.headers.get('Content-Type') ?? 'application/json',
      }
      cache.set(key, hit)
      c.res.headers.set('ETag', hit.etag)
      return
    }
    c.header('ETag', hit.etag)
    if (c.req.header('If-None-Match') === hit.etag) return c.body(null, 304)
    return c.body(hit.body, 200, { 'Content-Type': hit.contentType })
  })
}

/** After a successful admin write, forget cached store answers and key lookups. */
export function clearOnWrite(...caches: { clear(): void }[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next()
    if (c.req.method !== 'GET' && c.res.status < 400) for (const cache of caches) cache.clear()
  })
}
