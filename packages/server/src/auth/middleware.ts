import { MitraError } from '@mitra/core'
import type { Database, Role } from '@mitra/db'
import { createMiddleware } from 'hono/factory'
import type { TtlCache } from '../cache.js'
import type { AppEnv } from '../env.js'
import { authenticate, type Principal } from './keys.js'

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}

function unauthorized(detail: string): MitraError {
  return new MitraError('unauthorized', detail)
}

/** `/v1/admin/*`: a secret key (`Authorization: Bearer sk_…`) of the party acting. */
export function secretKeyAuth(db: Database) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('Authorization'))
    if (token === undefined) {
      c.header('WWW-Authenticate', 'Bearer realm="mitra admin"')
      throw unauthorized('Send a secret key as `Authorization: Bearer sk_…`')
    }
    if (token.startsWith('pk_')) {
      throw unauthorized('A publishable key only reads the store; the admin API needs a secret key')
    }
    const principal = await authenticate(db, token)
    if (principal === null) throw unauthorized('The API key is invalid or has been revoked')
    c.set('principal', principal)
    await next()
  })
}

/**
 * `/v1/store/*`: a publishable key (or a secret key, from a server). A browser's `Origin` must
 * be one the publishable key allows (`*` allows any); the answer then carries CORS headers
 * for that origin only. A refusal (no key, a bad key, an origin not allowed) is readable by
 * the page that asked: it carries no data, only why, so a widget can say what is wrong
 * instead of failing as if the network were down. Publishable keys are looked up through
 * `keyCache`: the store is the hot path, and a publishable key only ever reads public data.
 */
export function publishableKeyAuth(db: Database, keyCache: TtlCache<Principal>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const origin = c.req.header('Origin')
    const refuse = (error: MitraError) => {
      if (origin !== undefined) {
        c.header('Access-Control-Allow-Origin', origin)
        c.header('Vary', 'Origin', { append: true })
      }
      return error
    }
    const token = bearerToken(c.req.header('Authorization')) ?? c.req.query('key')
    if (token === undefined) {
      throw refuse(unauthorized('Send a publishable key as `Authorization: Bearer pk_…`'))
    }
    let principal = keyCache.get(token) ?? null
    if (principal === null) {
      principal = await authenticate(db, token)
      if (principal?.kind === 'publishable') keyCache.set(token, principal)
    }
    if (principal === null) throw refuse(unauthorized('The API key is invalid or has been revoked'))
    if (origin !== undefined) {
      if (!originAllowed(principal, origin)) {
        throw refuse(new MitraError('forbidden', `Origin ${origin} is not allowed for this key`))
      }
      c.header('Access-Control-Allow-Origin', origin)
      c.header('Vary', 'Origin', { append: true })
    }
    c.set('principal', principal)
    await next()
  })
}

function originAllowed(principal: Principal, origin: string): boolean {
  // Secret keys never belong in a browser.
  if (principal.kind === 'secret') return false
  return principal.allowedOrigins.includes('*') || principal.allowedOrigins.includes(origin)
}

const rank: Record<Role, number> = { staff: 1, owner: 2 }

/** Refuses (403) a principal whose role is below `minimum`. */
export function requireRole(minimum: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get('principal')
    if (rank[principal.role] < rank[minimum]) {
      throw new MitraError(
        'forbidden',
        `This needs the ${minimum} role; the key has ${principal.role}`,
      )
    }
    await next()
  })
}
