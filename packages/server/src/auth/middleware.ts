import { sessionOf } from '@mitra/accounts'
import { hasRole, membershipOf } from '@mitra/catalog'
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
    const principal = token.startsWith('ses_')
      ? await sessionPrincipal(db, token, c.req.header('Mitra-Party'))
      : await authenticate(db, token)
    if (principal === null) throw unauthorized('The API key is invalid or has been revoked')
    // A viewer reads; the API refuses its writes here, before any domain code runs.
    if (principal.role === 'viewer' && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      throw new MitraError('forbidden', 'A viewer can read but not change anything')
    }
    c.set('principal', principal)
    await next()
  })
}

/**
 * A person signed in to the console acts through the same API as a key: the session token as
 * the bearer, and the party they act for in `Mitra-Party` (a person may belong to several),
 * with the role their membership gives them there. Not a member: 403.
 */
async function sessionPrincipal(
  db: Database,
  token: string,
  partyId: string | undefined,
): Promise<Principal | null> {
  const session = await sessionOf(db, token)
  if (session === null) return null
  if (partyId === undefined) {
    throw new MitraError('invalid_request', 'Name the party you act for in `Mitra-Party`', {
      errors: [{ path: 'Mitra-Party', code: 'required', message: 'required with a session' }],
    })
  }
  const membership = await membershipOf(db, session.user.id, partyId)
  if (membership === null) {
    throw new MitraError('forbidden', 'You are not a member of this party')
  }
  return {
    partyId,
    role: membership.role,
    keyId: session.user.id,
    kind: 'session',
    allowedOrigins: [],
  }
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
  // Secret keys and console sessions never travel from a browser's page.
  if (principal.kind !== 'publishable') return false
  return principal.allowedOrigins.includes('*') || principal.allowedOrigins.includes(origin)
}

/** Refuses (403) a principal whose role is below `minimum`. */
export function requireRole(minimum: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get('principal')
    if (!hasRole(principal.role, minimum)) {
      throw new MitraError(
        'forbidden',
        `This needs the ${minimum} role; the key has ${principal.role}`,
      )
    }
    await next()
  })
}
