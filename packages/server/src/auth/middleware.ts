import { sessionOf } from '@mitra/accounts'
import { hasRole, membershipOf } from '@mitra/catalog'
import { MitraError } from '@mitra/core'
import type { Database, Role } from '@mitra/db'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { TtlCache } from '../cache.js'
import type { AppEnv } from '../env.js'
import type { AuthFailures } from './failures.js'
import { authenticate, type Principal, refuseExpired } from './keys.js'

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}

function unauthorized(detail: string): MitraError {
  return new MitraError('unauthorized', detail)
}

/**
 * A failed authentication (an unknown, revoked or expired key or session) counts against the
 * client's address; an address over the limit is refused before its key is even looked at.
 * A request with no credential at all guesses nothing and is not counted.
 */
async function withFailureLimit<T>(
  c: Context,
  failures: AuthFailures,
  credential: string | undefined,
  resolve: () => Promise<T>,
): Promise<T> {
  const address = failures.addressOf(c)
  if (address === undefined) return resolve()
  failures.check(address)
  try {
    return await resolve()
  } catch (error) {
    const failed = error instanceof MitraError && error.code === 'unauthorized'
    if (failed && credential !== undefined) failures.record(address)
    throw error
  }
}

/**
 * Admin credentials never travel from a browser's page: a request carrying `Origin`, or a
 * `Sec-Fetch-Site` other than `none` (an address typed in the bar), comes from one. Programs
 * and the console's server call without either. Refused before any key is looked at.
 */
function refuseBrowsers(c: Context): void {
  const origin = c.req.header('Origin')
  const site = c.req.header('Sec-Fetch-Site')
  if (origin === undefined && (site === undefined || site === 'none')) return
  const [path, seen] =
    origin !== undefined ? ['headers.origin', origin] : ['headers.sec-fetch-site', site]
  throw new MitraError(
    'forbidden',
    'The admin API is not callable from a browser: secret keys and sessions stay on servers',
    { errors: [{ path, code: 'browser_origin', message: `${seen} is a browser's request` }] },
  )
}

/** `/v1/admin/*`: a secret key (`Authorization: Bearer sk_…`) of the party acting. */
export function secretKeyAuth(db: Database, failures: AuthFailures) {
  return createMiddleware<AppEnv>(async (c, next) => {
    refuseBrowsers(c)
    const token = bearerToken(c.req.header('Authorization'))
    const principal = await withFailureLimit(c, failures, token, async () => {
      if (token === undefined) {
        c.header('WWW-Authenticate', 'Bearer realm="mitra admin"')
        throw unauthorized('Send a secret key as `Authorization: Bearer sk_…`')
      }
      if (token.startsWith('pk_')) {
        throw unauthorized(
          'A publishable key only reads the store; the admin API needs a secret key',
        )
      }
      const found = token.startsWith('ses_')
        ? await sessionPrincipal(db, token, c.req.header('Mitra-Party'))
        : await authenticate(db, token)
      if (found === null) throw unauthorized('The API key is invalid or has been revoked')
      return found
    })
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
    expiresAt: null,
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
export function publishableKeyAuth(
  db: Database,
  keyCache: TtlCache<Principal>,
  failures: AuthFailures,
) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const origin = c.req.header('Origin')
    const refuse = (error: MitraError) => {
      if (origin !== undefined) allowOrigin(c, origin)
      return error
    }
    const token = bearerToken(c.req.header('Authorization')) ?? c.req.query('key')
    const principal = await withFailureLimit(c, failures, token, async () => {
      if (token === undefined) {
        throw unauthorized('Send a publishable key as `Authorization: Bearer pk_…`')
      }
      const cached = keyCache.get(token)
      if (cached !== undefined) {
        // A cached key may have expired since: its end is checked on every use.
        refuseExpired(cached)
        return cached
      }
      const found = await authenticate(db, token)
      if (found === null) throw unauthorized('The API key is invalid or has been revoked')
      if (found.kind === 'publishable') keyCache.set(token, found)
      return found
    }).catch((error: unknown) => {
      throw error instanceof MitraError ? refuse(error) : error
    })
    if (origin !== undefined) {
      if (!originAllowed(principal, origin)) {
        throw refuse(new MitraError('forbidden', `Origin ${origin} is not allowed for this key`))
      }
      allowOrigin(c, origin)
    }
    c.set('principal', principal)
    await next()
  })
}

/**
 * Lets the page at `origin` read this answer, and the headers a widget acts on: when to try
 * again after a 429, the request id to quote, whether it was a replay, the ETag.
 */
function allowOrigin(c: Context, origin: string) {
  c.header('Access-Control-Allow-Origin', origin)
  c.header('Access-Control-Expose-Headers', 'Retry-After, Request-Id, Idempotent-Replayed, ETag')
  c.header('Vary', 'Origin', { append: true })
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
