/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import {
  acceptInvitation,
  openInvitation,
  sessionOf,
  signIn,
  signOut,
  signOutEverywhere,
  startSession,
} from '@mitra/accounts'
import { getParty, listMemberships } from '@mitra/catalog'
import { MitraError } from '@mitra/core'
import type { Database } from '@mitra/db'
import { type AdminApi, isMitraApiError, type StoreApi, sessionAdminClient } from '@mitra/sdk'
import { type Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { assets } from './assets.js'
import { isLocale, type Locale } from './format.js'
import { type FieldErrors, fieldErrors } from './forms.js'
import { strings } from './i18n.js'
import { type Acting, Csrf, FieldError, invalid, page, type View, view } from './layout.js'
import { partyRoutes } from './pages/index.js'
import {
  formToken,
  formTokenMatches,
  langCookie,
  sessionCookie,
  sessionToken,
  setSession,
} from './session.js'

export interface ConsoleRouteOptions {
  db: Database
  /** Where people reach this server (`https://mitra.example`), for links and the Secure flag. */
  baseUrl: string
  /** The app serving the API: the console calls it in-process, as any client would. */
  api: { fetch(request: Request): Response | Promise<Response> }
  /** Public catalogue reads (names, prices, pictures), with the shop's publishable key. */
  store: StoreApi
  /** The shop's URL for product pages (QR codes on price tags). */
  shopUrl: string
  logError?: (error: unknown) => void
}

/** What a party screen has: the request, its view, and the API as this person for this party. */
export interface PartyContext {
  c: Context
  v: View
  admin: AdminApi
  store: StoreApi
  shopUrl: string
  /** The person signed in. */
  userId: string
  /** The posted form, every field as a string (repeated fields: the last). */
  form(): Promise<Record<string, string>>
  /** A redirect within this party's console, with a notice shown once. */
  back(path: string, notice?: string): Response
}

class CrossSite extends Error {}
class NotFound extends Error {}

const policy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // The brand colour of a price tag is a style attribute; no style element is allowed.
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The console at `/console`: sign-in, invitations, and each party's screens. Every party
 * screen calls the admin API through the SDK as the person signed in (their session, the
 * party in `Mitra-Party`), so it can do nothing the API would not let them do with a key.
 */
export function consoleRoutes(options: ConsoleRouteOptions): Hono {
  const { db, store } = options
  const secure = options.baseUrl.startsWith('https:')
  const origin = new URL(options.baseUrl).origin
  const logError = options.logError ?? ((error: unknown) => console.error('console:', error))
  const app = new Hono()

  const localeOf = (c: Context): Locale => {
    const chosen = getCookie(c, langCookie)
    return isLocale(chosen) ? chosen : 'id'
  }

  // Only the console's own paths: these routes are merged into the app that serves the API
  // and the shop, whose answers keep their own headers and checks.
  const guard = createMiddleware(async (c, next) => {
    c.header('Content-Security-Policy', policy)
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'same-origin')
    c.header('X-Frame-Options', 'DENY')
    c.header('Cache-Control', 'private, no-store')
    if (c.req.method === 'POST') {
      const from = c.req.header('Origin')
      const own = from === undefined || from === origin || from === new URL(c.req.url).origin
      if (!own || c.req.header('Sec-Fetch-Site') === 'cross-site') throw new CrossSite()
      const body = await c.req.parseBody()
      if (!formTokenMatches(c, body.csrf, secure)) throw new CrossSite()
    }
    await next()
  })
  app.use('/console', guard)
  app.use('/console/*', guard)

  app.onError((error, c) => {
    const locale = localeOf(c)
    const t = strings[locale]
    const v = view(locale, c.req.path, formToken(c, secure))
    if (error instanceof CrossSite) {
      return c.html(page(v, t.failed, <p class="problem">{t.crossSite}</p>), 403)
    }
    // A page address with a malformed id (a 422 from the API on a read) names nothing.
    const missing =
      error instanceof NotFound ||
      (isMitraApiError(error) &&
        (error.status === 404 ||
          error.status === 403 ||
          (error.status === 422 && c.req.method === 'GET'))) ||
      (error instanceof MitraError && error.status === 404)
    // Any other refusal the API gave is the request's, not the console's: its own status.
    const refused = isMitraApiError(error) && error.status >= 400 && error.status < 500
    if (!missing && !refused) logError(error)
    return c.html(
      page(
        v,
        missing ? t.notFound : t.failed,
        <p>
          {missing ? t.notFoundLead : t.failedLead} <a href="/console">{t.console}</a>
        </p>,
      ),
      missing ? 404 : refused ? (error as { status: 400 }).status : 500,
    )
  })

  for (const asset of Object.values(assets)) {
    app.get(asset.path, (c) =>
      c.body(asset.body, 200, {
        'Content-Type': asset.type,
        'Cache-Control': 'public, max-age=31536000, immutable',
      }),
    )
  }

  app.get('/console/lang/:locale', (c) => {
    const locale = c.req.param('locale')
    if (!isLocale(locale)) throw new NotFound()
    setCookie(c, langCookie, locale, { path: '/', sameSite: 'Lax', maxAge: 31_536_000, secure })
    const next = c.req.query('next') ?? '/console'
    return c.redirect(next.startsWith('/console') ? next : '/console', 303)
  })

  const who = async (c: Context) => {
    const token = sessionToken(c)
    return token === undefined ? null : await sessionOf(db, token)
  }

  // Sign in
  const signInPage = (c: Context, errors: FieldErrors = {}, problem?: string, contact = '') => {
    const locale = localeOf(c)
    const v = view(locale, '/console/sign-in', formToken(c, secure))
    const { t } = v
    const next = c.req.query('next') ?? ''
    return page(
      v,
      t.signIn,
      <form
        method="post"
        action={`/console/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`}
        class="stack"
        novalidate
      >
        <Csrf v={v} />
        {problem ? (
          <p class="problem" role="alert">
            {problem}
          </p>
        ) : null}
        <div>
          <label for="contact">
            {t.contact} <span class="hint">{t.contactHint}</span>
          </label>
          <input
            id="contact"
            name="contact"
            autocomplete="username"
            inputmode="email"
            required
            value={contact}
            {...invalid('contact', errors.contact)}
          />
          <FieldError id="contact" error={errors.contact} />
        </div>
        <div>
          <label for="password">{t.password}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            {...invalid('password', errors.password)}
          />
          <FieldError id="password" error={errors.password} />
        </div>
        <button type="submit">{t.signIn}</button>
      </form>,
    )
  }

  app.get('/console/sign-in', (c) => c.html(signInPage(c)))
  app.post('/console/sign-in', async (c) => {
    const t = strings[localeOf(c)]
    const body = await c.req.parseBody()
    const contact = String(body.contact ?? '')
    try {
      const signedIn = await signIn(db, {
        contact,
        password: String(body.password ?? ''),
        client: clientAddress(c),
      })
      setSession(c, signedIn.token, signedIn.expiresAt, secure)
      const next = c.req.query('next')
      return c.redirect(next?.startsWith('/console/') ? next : '/console', 303)
    } catch (error) {
      if (error instanceof MitraError && error.code === 'rate_limited') {
        const seconds = Number(error.extensions.retry_after ?? 60)
        c.header('Retry-After', String(seconds))
        return c.html(signInPage(c, {}, t.tooMany(Math.ceil(seconds / 60)), contact), 429)
      }
      if (error instanceof MitraError && error.code === 'unauthorized') {
        return c.html(signInPage(c, {}, t.wrongSignIn, contact), 401)
      }
      const errors = fieldErrors(error, t) ?? {}
      return c.html(signInPage(c, errors, t.fixFields, contact), 422)
    }
  })

  app.post('/console/sign-out', async (c) => {
    const token = sessionToken(c)
    if (token !== undefined) await signOut(db, token)
    deleteCookie(c, sessionCookie, { path: '/console' })
    return c.redirect('/console/sign-in', 303)
  })

  app.post('/console/sign-out-everywhere', async (c) => {
    const session = await who(c)
    if (session !== null) await signOutEverywhere(db, session.user.id)
    deleteCookie(c, sessionCookie, { path: '/console' })
    return c.redirect('/console/sign-in', 303)
  })

  // Invitations: a one-time link an owner sent.
  const invitePage = async (
    c: Context,
    errors: FieldErrors = {},
    values: Record<string, string> = {},
  ) => {
    const token = c.req.param('token') as string
    const locale = localeOf(c)
    const v = view(locale, c.req.path, formToken(c, secure))
    const { t } = v
    const invitation = await openInvitation(db, token).catch(() => null)
    if (invitation === null) return c.html(page(v, t.notFound, <p>{t.inviteGone}</p>), 404)
    const session = await who(c)
    const role = t.roles[invitation.role] ?? invitation.role
    const field = (name: string, label: string, type = 'text', autocomplete = 'off') => (
      <div>
        <label for={name}>{label}</label>
        <input
          id={name}
          name={name}
          type={type}
          autocomplete={autocomplete}
          value={type === 'password' ? '' : (values[name] ?? '')}
          {...invalid(name, errors[name])}
        />
        <FieldError id={name} error={errors[name]} />
      </div>
    )
    return c.html(
      page(
        { ...v, person: session?.user.name },
        t.joinTitle(invitation.party.name),
        <>
          <p>{t.joinAs(role)}</p>
          {session ? (
            <form method="post" class="stack">
              <Csrf v={v} />
              <button type="submit">{t.joinSignedIn(session.user.name)}</button>
            </form>
          ) : (
            <form method="post" class="stack" novalidate>
              <Csrf v={v} />
              {Object.keys(errors).length > 0 ? (
                <p class="problem" role="alert">
                  {t.fixFields}
                </p>
              ) : null}
              {field('name', t.name, 'text', 'name')}
              {field('contact', t.contact, 'text', 'username')}
              {field('password', `${t.password} (${t.passwordHint})`, 'password', 'new-password')}
              <button type="submit">{t.joinNew}</button>
            </form>
          )}
        </>,
      ),
      Object.keys(errors).length > 0 ? 422 : 200,
    )
  }
  app.get('/console/invite/:token', (c) => invitePage(c))
  app.post('/console/invite/:token', async (c) => {
    const t = strings[localeOf(c)]
    const token = c.req.param('token')
    const session = await who(c)
    const body = (await c.req.parseBody()) as Record<string, string>
    try {
      if (session) {
        const { membership } = await acceptInvitation(db, token, { user: session.user })
        return c.redirect(`/console/p/${membership.party_id}`, 303)
      }
      const contact = String(body.contact ?? '').trim()
      const errors: FieldErrors = {}
      if (!String(body.name ?? '').trim()) errors.name = t.required
      if (!contact) errors.contact = t.required
      if (Object.keys(errors).length > 0) return invitePage(c, errors, body)
      const { user, membership } = await acceptInvitation(db, token, {
        name: String(body.name),
        ...(contact.includes('@') ? { email: contact } : { phone: contact }),
        password: String(body.password ?? ''),
      })
      const signedIn = await startSession(db, user)
      setSession(c, signedIn.token, signedIn.expiresAt, secure)
      return c.redirect(`/console/p/${membership.party_id}`, 303)
    } catch (error) {
      const errors = fieldErrors(error, t) ?? {}
      // The API names `phone`/`email`; the form has one `contact` field for both.
      if (errors.phone ?? errors.email) errors.contact = (errors.phone ?? errors.email) as string
      return invitePage(c, errors, body)
    }
  })

  // The parties a person belongs to: straight in when there is one.
  app.get('/console', async (c) => {
    const session = await who(c)
    if (session === null) return c.redirect('/console/sign-in', 303)
    const memberships = await listMemberships(db, { userId: session.user.id })
    if (memberships.length === 1) return c.redirect(`/console/p/${memberships[0]?.party_id}`, 303)
    const locale = localeOf(c)
    const v = view(locale, '/console', formToken(c, secure), { person: session.user.name })
    const parties = await Promise.all(memberships.map((m) => getParty(db, m.party_id)))
    return c.html(
      page(
        v,
        v.t.choose,
        memberships.length === 0 ? (
          <p>{v.t.noParties}</p>
        ) : (
          <>
            <p>{v.t.chooseLead}</p>
            <ul class="parties">
              {memberships.map((m, i) => (
                <li>
                  <a href={`/console/p/${m.party_id}`}>
                    <strong>{parties[i]?.name}</strong>
                    <br />
                    {v.t.kinds[parties[i]?.kind ?? ''] ?? parties[i]?.kind} · {v.t.roles[m.role]}
                  </a>
                </li>
              ))}
            </ul>
            <form method="post" action="/console/sign-out-everywhere">
              <Csrf v={v} />
              <button type="submit" class="quiet">
                {v.t.signOutEverywhere}
              </button>
            </form>
          </>
        ),
      ),
    )
  })

  // A party's screens: only for its members; to anyone else it does not exist.
  const screens = partyRoutes()
  app.all('/console/p/:party/*', async (c) => handleParty(c))
  app.all('/console/p/:party', async (c) => handleParty(c))

  async function handleParty(c: Context) {
    const token = sessionToken(c)
    const session = token === undefined ? null : await sessionOf(db, token)
    if (token === undefined || session === null) {
      return c.redirect(`/console/sign-in?next=${encodeURIComponent(c.req.path)}`, 303)
    }
    const partyId = c.req.param('party') as string
    const membership = (await listMemberships(db, { userId: session.user.id })).find(
      (m) => m.party_id === partyId,
    )
    if (membership === undefined) throw new NotFound()
    const admin = sessionAdminClient({
      baseUrl: origin,
      session: token,
      party: partyId,
      fetch: (request) => options.api.fetch(request),
      maxRetries: 0,
    })
    const party = await admin.party.get()
    const acting: Acting = {
      id: party.id,
      name: party.name,
      kind: party.kind,
      role: membership.role,
    }
    const rest = c.req.path.slice(`/console/p/${partyId}`.length) || '/'
    const v = view(localeOf(c), c.req.path, formToken(c, secure), {
      person: session.user.name,
      acting,
    })
    const screen = screens.match(c.req.method, rest, acting.kind)
    if (screen === undefined) throw new NotFound()
    let parsed: Record<string, string> | undefined
    const context: PartyContext = {
      c,
      v,
      admin,
      store,
      shopUrl: options.shopUrl,
      userId: session.user.id,
      form: async () => {
        parsed ??= Object.fromEntries(
          Object.entries(await c.req.parseBody()).map(([k, value]) => [k, String(value)]),
        )
        return parsed
      },
      back: (path, notice) =>
        c.redirect(
          `/console/p/${partyId}${path}${notice ? `${path.includes('?') ? '&' : '?'}done=${encodeURIComponent(notice)}` : ''}`,
          303,
        ),
    }
    return screen.run(context, screen.params)
  }

  return app
}

/** The client's address, for counting failed sign-ins (the socket's, or the first proxy hop). */
function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming
  return (
    incoming?.socket?.remoteAddress ?? c.req.header('X-Forwarded-For')?.split(',')[0] ?? 'unknown'
  )
}
