/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import { assets } from './assets.js'
import { type Locale, localePath, otherLocale, type Strings, strings } from './i18n.js'

/** What every page knows: the language, its words, where the shop lives, which page this is. */
export interface View {
  locale: Locale
  t: Strings
  /** The shop's public URL, no trailing slash: canonical and Open Graph URLs start with it. */
  baseUrl: string
  /** The page's path without the language prefix, query included when it names the page. */
  path: string
  /** Items in the buyer's cart, when they have one. */
  cartCount?: number | null
}

export function view(
  locale: Locale,
  baseUrl: string,
  path: string,
  cartCount: number | null = null,
): View {
  return { locale, t: strings[locale], baseUrl, path, cartCount }
}

/** A path in the page's language: `href(v, '/cart')` is `/en/cart` on an English page. */
export const href = (v: View, path: string) => localePath(v.locale, path)

export const absolute = (v: View, path: string) => `${v.baseUrl}${path}`

/** A URL the API gave (`/media/…`, or already absolute), made absolute for readers elsewhere. */
export const absoluteUrl = (v: View, url: string) => (url.startsWith('/') ? absolute(v, url) : url)

export interface Head {
  title: string
  description: string
  /** Search engines: leave out of the index (cart, checkout, orders, searches). */
  noindex?: boolean
  og?: {
    type: 'website' | 'product' | 'profile' | 'place'
    /** The picture a shared link shows (a product's 1200×630 social card). */
    image?: { url: string; width: number; height: number; alt: string }
  }
  /** Structured data, each a schema.org object. */
  jsonLd?: object[]
  /** A brand's theme stylesheet (its colours and fonts as CSS custom properties). */
  theme?: string
}

const ogLocale: Record<Locale, string> = { id: 'id_ID', en: 'en_US' }

/** JSON for a `<script type="application/ld+json">`: `<` escaped, so text cannot close it. */
export function jsonLdText(data: object): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

function Meta({ v, head }: { v: View; head: Head }) {
  const canonical = absolute(v, href(v, v.path))
  return (
    <>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{head.title}</title>
      <meta name="description" content={head.description} />
      {head.noindex ? <meta name="robots" content="noindex" /> : null}
      <link rel="canonical" href={canonical} />
      {head.noindex
        ? null
        : [
            <link rel="alternate" hreflang="id" href={absolute(v, localePath('id', v.path))} />,
            <link rel="alternate" hreflang="en" href={absolute(v, localePath('en', v.path))} />,
            <link
              rel="alternate"
              hreflang="x-default"
              href={absolute(v, localePath('id', v.path))}
            />,
          ]}
      <link rel="stylesheet" href={assets.css.path} />
      {head.theme ? <link rel="stylesheet" href={head.theme} /> : null}
      <link rel="icon" href={assets.icon.path} type="image/svg+xml" />
      <meta name="theme-color" content="#0b5d4b" />
      <meta property="og:site_name" content="mitra" />
      <meta property="og:title" content={head.title} />
      <meta property="og:description" content={head.description} />
      <meta property="og:url" content={canonical} />
      <meta property="og:type" content={head.og?.type ?? 'website'} />
      <meta property="og:locale" content={ogLocale[v.locale]} />
      <meta property="og:locale:alternate" content={ogLocale[otherLocale(v.locale)]} />
      {head.og?.image
        ? [
            <meta property="og:image" content={absoluteUrl(v, head.og.image.url)} />,
            <meta property="og:image:width" content={String(head.og.image.width)} />,
            <meta property="og:image:height" content={String(head.og.image.height)} />,
            <meta property="og:image:alt" content={head.og.image.alt} />,
            <meta name="twitter:card" content="summary_large_image" />,
          ]
        : null}
      {(head.jsonLd ?? []).map((data) => (
        <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdText(data) }} />
      ))}
      <script type="module" src={assets.js.path} />
    </>
  )
}

/** The language switch: through `/lang/{locale}`, which remembers the choice. */
function langSwitch(v: View): string {
  const to = otherLocale(v.locale)
  return `/lang/${to}?next=${encodeURIComponent(localePath(to, v.path))}`
}

/** Every page: header with home, cart and language, the page, the footer. */
export function page(v: View, head: Head, body: Child): string {
  const other = otherLocale(v.locale)
  const document = (
    <html lang={v.locale}>
      <head>
        <Meta v={v} head={head} />
      </head>
      <body>
        <a class="skip" href="#main">
          {v.t.skip}
        </a>
        <header class="site">
          <a class="home" href={href(v, '/')}>
            {v.t.shopName}
          </a>
          <nav aria-label={v.t.menu}>
            <a href={href(v, '/search')}>{v.t.search}</a>
            <a href={href(v, '/cart')}>{v.cartCount ? v.t.cartCount(v.cartCount) : v.t.cart}</a>
            <a class="lang" href={langSwitch(v)} hreflang={other} lang={other}>
              {strings[other].lang}
            </a>
          </nav>
        </header>
        <main id="main">{body}</main>
        <footer>
          <p>{v.t.footer}</p>
        </footer>
      </body>
    </html>
  )
  return `<!doctype html>${document.toString()}`
}
