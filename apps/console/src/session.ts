import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'

/** The session cookie: httpOnly, SameSite=Lax, only sent to the console's paths. */
export const sessionCookie = 'mitra_session'
/** A signed-out visitor's form token (sign-in, accepting an invitation): double-submitted. */
export const visitorCookie = 'mitra_console_visitor'
export const langCookie = 'mitra_lang'

export function sessionToken(c: Context): string | undefined {
  const token = getCookie(c, sessionCookie)
  return token?.startsWith('ses_') ? token : undefined
}

/**
 * The form token: for a session, an HMAC of its secret token (nothing stored; another site
 * cannot compute it); for a visitor, a random value in its own cookie, which the form must
 * repeat.
 */
export function formToken(c: Context, secure: boolean): string {
  const session = sessionToken(c)
  if (session !== undefined) return createHmac('sha256', session).update('csrf').digest('base64url')
  let visitor = getCookie(c, visitorCookie)
  if (visitor === undefined || visitor.length < 20) {
    visitor = randomBytes(18).toString('base64url')
    setCookie(c, visitorCookie, visitor, {
      path: '/console',
      httpOnly: true,
      sameSite: 'Lax',
      secure,
    })
  }
  return visitor
}

/** True when the posted token is this session's (or this visitor's). */
export function formTokenMatches(c: Context, posted: unknown, secure: boolean): boolean {
  if (typeof posted !== 'string' || posted === '') return false
  const expected = Buffer.from(formToken(c, secure))
  const given = Buffer.from(posted)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

export function setSession(c: Context, token: string, expires: Date, secure: boolean) {
  setCookie(c, sessionCookie, token, {
    path: '/console',
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    expires,
  })
}
