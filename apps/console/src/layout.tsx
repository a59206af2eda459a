/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import { assets } from './assets.js'
import type { Locale } from './format.js'
import { type Strings, strings } from './i18n.js'

/** The party a screen acts for, and the person's role there. */
export interface Acting {
  id: string
  name: string
  kind: string
  role: string
}

/** What every screen knows. */
export interface View {
  locale: Locale
  t: Strings
  /** This screen's path (for the language switch and the current tab). */
  path: string
  /** The person signed in (their name), when someone is. */
  person?: string
  /** The form token of this session (or of the signed-out visitor). */
  csrf: string
  acting?: Acting
}

export function view(locale: Locale, path: string, csrf: string, extra: Partial<View> = {}): View {
  return { locale, t: strings[locale], path, csrf, ...extra }
}

/** A path inside the acting party's console: `at(v, '/deliveries')`. */
export const at = (v: View, path = '') => `/console/p/${v.acting?.id}${path}`

/** The hidden field every form posts: the cross-site request forgery token. */
export const Csrf = ({ v }: { v: View }) => <input type="hidden" name="csrf" value={v.csrf} />

/** Tabs by what the party is: each kind of party runs a different side of the network. */
function tabs(v: View): [string, string][] {
  const n = v.t.nav
  switch (v.acting?.kind) {
    case 'producer':
      return [
        ['', n.home],
        ['/deliveries', n.deliveries],
        ['/products', n.products],
        ['/agreements', n.agreements],
        ['/remittances', n.remittances],
        ['/statements', n.statements],
        ['/labels', n.labels],
        ['/people', n.people],
      ]
    case 'venue':
      return [
        ['', n.home],
        ['/counter', n.counter],
        ['/deliveries', n.deliveries],
        ['/stock', n.stock],
        ['/agreements', n.agreements],
        ['/remittances', n.remittances],
        ['/statements', n.statements],
        ['/people', n.people],
      ]
    case 'cluster':
      return [
        ['', n.home],
        ['/people', n.people],
      ]
    case 'platform':
      return [
        ['', n.home],
        ['/settlements', n.settlements],
        ['/payouts', n.payouts],
        ['/remittances', n.remittances],
        ['/disputes', n.disputes],
        ['/people', n.people],
      ]
    default:
      return [['', n.home]]
  }
}

/** One field's error, in the person's language, tied to its input by id. */
export function FieldError({ id, error }: { id: string; error?: string | undefined }) {
  return error ? (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null
}

/** The attributes marking an input whose value was refused. */
export const invalid = (id: string, error?: string) =>
  error ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${id}-error` } : {}

/** Every screen: the header (who, for which party, language, sign out), tabs, the screen. */
export function page(v: View, title: string, body: Child, options: { notice?: string } = {}) {
  const other: Locale = v.locale === 'id' ? 'en' : 'id'
  const current = v.acting ? v.path.replace(at(v), '') : null
  const document = (
    <html lang={v.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${v.acting ? `${v.acting.name} · ` : ''}${v.t.console}`}</title>
        <meta name="description" content={v.t.console} />
        <meta name="robots" content="noindex" />
        <meta name="theme-color" content="#0b5d4b" />
        <link rel="stylesheet" href={assets.css.path} />
        <script type="module" src={assets.js.path} />
      </head>
      <body>
        <a class="skip" href="#main">
          {v.t.skip}
        </a>
        <header class="top">
          <p class="who">
            {v.acting ? v.acting.name : v.t.console}
            {v.acting ? (
              <small>
                {v.t.kinds[v.acting.kind] ?? v.acting.kind} · {v.t.roles[v.acting.role]}
                {v.person ? ` · ${v.person}` : ''}
              </small>
            ) : null}
          </p>
          {v.person && v.acting ? <a href="/console">{v.t.choose}</a> : null}
          <a
            href={`/console/lang/${other}?next=${encodeURIComponent(v.path)}`}
            hreflang={other}
            lang={other}
          >
            {strings[other].lang}
          </a>
          {v.person ? (
            <form method="post" action="/console/sign-out">
              <Csrf v={v} />
              <button type="submit">{v.t.signOut}</button>
            </form>
          ) : null}
        </header>
        {v.acting ? (
          <nav class="tabs" aria-label={v.t.menu}>
            {tabs(v).map(([path, label]) => (
              <a href={at(v, path)} aria-current={current === path ? 'page' : undefined}>
                {label}
              </a>
            ))}
          </nav>
        ) : null}
        <main id="main">
          <h1>{title}</h1>
          {options.notice ? (
            <p class="notice" role="status">
              {options.notice}
            </p>
          ) : null}
          {body}
        </main>
      </body>
    </html>
  )
  return `<!doctype html>${document}`
}

/**
 * A table of figures that scrolls sideways on a narrow phone (focusable, so a keyboard can
 * scroll it too): a first column of names, then numbers, right-aligned.
 */
export function Figures({ head, children }: { head: [string, ...string[]]; children: Child }) {
  return (
    <section class="table" tabindex={0} aria-label={head[0]}>
      <table>
        <thead>
          <tr>
            <th scope="col">{head[0]}</th>
            {head.slice(1).map((label) => (
              <th scope="col" class="n">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </section>
  )
}
