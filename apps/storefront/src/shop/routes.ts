import { isMitraApiError, type StoreApi } from '@mitra/sdk/store'
import { type Context, Hono } from 'hono'
import { compress } from 'hono/compress'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { assets, shortHash } from './assets.js'
import { isLocale, type Locale, localePath, type Strings, splitLocale, strings } from './i18n.js'
import { type View, view } from './layout.js'
import { brandPage } from './pages/brand.js'
import { type Cart, cartCount, cartPage } from './pages/cart.js'
import {
  type CheckoutForm,
  checkoutBody,
  checkoutFields,
  checkoutPage,
  formField,
} from './pages/checkout.js'
import { errorPage } from './pages/error.js'
import { homePage } from './pages/home.js'
import { orderPage } from './pages/order.js'
import { productPage } from './pages/product.js'
import { searchPage } from './pages/search.js'
import { venuePage } from './pages/venue.js'
import { robotsTxt, sitemapXml } from './seo.js'

export interface ShopRouteOptions {
  /** The store API, with a publishable key whose channel is what the shop sells. */
  store: StoreApi
  /** Where buyers reach the shop (canonical URLs, Open Graph, the provider's return page). */
  baseUrl: string
  /** The payment providers the checkout offers, in order (default: demo). */
  providers?: readonly string[]
  /** Where unexpected errors are reported (default: console.error). */
  logError?: (error: unknown) => void
}

/** The cart's id: httpOnly (no script reads it), SameSite=Lax (not sent by other sites' forms). */
export const cartCookie = 'mitra_cart'
/**
 * The cookie that keeps an order's access token (answered once by the checkout) in the
 * browser that placed it: the order's page and its cancel need it, so an order id alone
 * shows no one's order.
 */
export const orderCookie = (orderId: string) => `mitra_order_${orderId}`
/** The buyer's language, once they chose it. */
export const langCookie = 'mitra_lang'

const pageIds = {
  product: /^prod_[0-9a-z]{26}$/,
  party: /^pty_[0-9a-z]{26}$/,
  variant: /^var_[0-9a-z]{26}$/,
  order: /^ord_[0-9a-z]{26}$/,
  slug: /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
}

/**
 * The policy shop pages are sent with: nothing inline, nothing from elsewhere but images.
 * Forms post to the shop; after a checkout the answer redirects to the payment provider's
 * page, which `form-action` must allow.
 */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "form-action 'self' https:",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** A path that is not a page (a malformed id): as if it did not exist. */
class NotFound extends Error {}

/** A form posted here from another site (cross-site request forgery). */
class CrossSite extends Error {}

/** A page handler: the language and a way to make the page's view. */
interface PageContext {
  c: Context
  locale: Locale
  t: Strings
  view(path: string, cart?: Cart | null): View
}

/**
 * The shop's routes, for `app.route('/', shopRoutes(…))` on the app that serves the API: every
 * page in Indonesian at `/…` and in English at `/en/…`, its assets, the sitemap and robots.txt.
 * Each page reads the store API through `store`, so it sees what the key's channel sees and
 * nothing else.
 */
export function shopRoutes(options: ShopRouteOptions): Hono {
  const { store } = options
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const origin = new URL(baseUrl).origin
  const secure = baseUrl.startsWith('https:')
  const providers = options.providers?.length ? [...options.providers] : ['demo']
  const logError = options.logError ?? ((error) => console.error('shop:', error))
  const shop = new Hono()
  const gzip = compress()

  shop.onError((error, c) => {
    if (error instanceof CrossSite) return c.text('Forbidden: a form from another site', 403)
    const { locale } = splitLocale(c.req.path)
    const notFound =
      error instanceof NotFound ||
      (isMitraApiError(error) && (error.status === 404 || error.status === 422))
    if (!notFound) logError(error)
    c.header('Cache-Control', 'no-store')
    c.header('Content-Security-Policy', contentSecurityPolicy)
    return c.html(
      errorPage(view(locale, baseUrl, '/'), notFound ? 'not_found' : 'failed'),
      notFound ? 404 : 500,
    )
  })

  // Assets: hashed, so cached for a year.
  for (const asset of Object.values(assets)) {
    shop.get(asset.path, gzip, (c) =>
      c.body(asset.body, 200, {
        'Content-Type': asset.type,
        'Cache-Control': 'public, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
      }),
    )
  }

  /** A brand's theme: its kit's colours and fonts as CSS custom properties. */
  shop.get('/assets/brand/:file{[a-z0-9-]+\\.[0-9a-f]{12}\\.css}', gzip, async (c) => {
    const file = c.req.param('file')
    const [slug, hash] = file.split('.') as [string, string]
    const brand = await store.brands.get(slug)
    const current = shortHash(brand.theme_css) === hash
    return c.body(brand.theme_css, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      // An old hash still answers (the kit changed since the page was made), briefly.
      'Cache-Control': current ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    })
  })
  const themeHref = (slug: string, css: string) => `/assets/brand/${slug}.${shortHash(css)}.css`

  shop.get('/en/', (c) => c.redirect('/en', 301))
  // Browsers ask for it whatever the page says: the icon.
  shop.get('/favicon.ico', (c) => c.redirect(assets.icon.path, 301))

  shop.get('/robots.txt', (c) =>
    c.text(robotsTxt(baseUrl), 200, { 'Cache-Control': 'public, max-age=3600' }),
  )

  shop.get('/sitemap.xml', gzip, async (c) => {
    const [brands, products, venues] = await Promise.all([
      store.brands.list({ limit: 100 }).toArray({ max: 5_000 }),
      store.products.list({ limit: 100 }).toArray({ max: 20_000 }),
      store.venues.list({ limit: 100 }).toArray({ max: 5_000 }),
    ])
    const clusters = new Set(brands.flatMap((brand) => brand.clusters.map((mark) => mark.slug)))
    const paths = [
      { path: '/' },
      ...[...clusters].map((slug) => ({ path: `/brands/${slug}` })),
      ...brands.map((brand) => ({ path: `/brands/${brand.slug}` })),
      ...products.map((product) => ({
        path: `/products/${product.id}`,
        lastmod: product.updated_at,
      })),
      ...venues.map((venue) => ({ path: `/venues/${venue.slug}` })),
    ]
    return c.body(sitemapXml(baseUrl, paths), 200, {
      'Content-Type': 'application/xml; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    })
  })

  // The language switch: remembers the choice, then shows the same page in it.
  shop.get('/lang/:locale', (c) => {
    const locale = c.req.param('locale')
    if (!isLocale(locale)) throw new NotFound()
    setCookie(c, langCookie, locale, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      maxAge: 365 * 24 * 3600,
    })
    return c.redirect(safeNext(c.req.query('next'), localePath(locale, '/')), 303)
  })

  // ---- pages ----

  /** Registers a page at its Indonesian path and under `/en`. */
  function route(
    method: 'get' | 'post',
    path: string,
    handler: (page: PageContext) => Response | Promise<Response>,
  ) {
    for (const locale of ['id', 'en'] as const) {
      shop[method](localePath(locale, path), gzip, async (c) => {
        if (method === 'post') refuseCrossSite(c)
        c.header('Vary', 'Cookie')
        c.header('Cache-Control', 'private, no-cache')
        // A buyer who chose English and follows an Indonesian link gets the English page.
        if (method === 'get' && locale === 'id' && getCookie(c, langCookie) === 'en') {
          const url = new URL(c.req.url)
          return c.redirect(`${localePath('en', url.pathname)}${url.search}`, 302)
        }
        c.header('Content-Security-Policy', contentSecurityPolicy)
        c.header('X-Content-Type-Options', 'nosniff')
        c.header('Referrer-Policy', 'strict-origin-when-cross-origin')
        c.header('X-Frame-Options', 'DENY')
        const page: PageContext = {
          c,
          locale,
          t: strings[locale],
          view: (pagePath, cart) => view(locale, baseUrl, pagePath, cart ? cartCount(cart) : null),
        }
        return handler(page)
      })
    }
  }

  /** Another site's form posting here (a cross-site request forgery): refused. */
  function refuseCrossSite(c: Context) {
    const from = c.req.header('Origin')
    const site = c.req.header('Sec-Fetch-Site')
    const own = from === undefined || from === origin || from === new URL(c.req.url).origin
    if (!own || site === 'cross-site') {
      throw new CrossSite()
    }
  }

  async function currentCart(c: Context): Promise<Cart | null> {
    const id = getCookie(c, cartCookie)
    if (id === undefined) return null
    try {
      return await store.carts.get(id)
    } catch (error) {
      // Gone or never ours: forget it.
      if (isMitraApiError(error) && (error.status === 404 || error.status === 422)) {
        deleteCookie(c, cartCookie, { path: '/' })
        return null
      }
      throw error
    }
  }

  async function newCart(c: Context): Promise<Cart> {
    const cart = await store.carts.create()
    setCookie(c, cartCookie, cart.id, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      maxAge: 30 * 24 * 3600,
    })
    return cart
  }

  const redirect = (page: PageContext, path: string) =>
    page.c.redirect(localePath(page.locale, path), 303)

  route('get', '/', async (page) => {
    const [brands, newest, venues, cart] = await Promise.all([
      store.brands.list({ limit: 100 }),
      store.products.list({ limit: 8, locale: page.locale }),
      store.venues.list({ limit: 100 }),
      currentCart(page.c),
    ])
    return page.c.html(
      homePage(page.view('/', cart), {
        brands: brands.data,
        newest: newest.data,
        venues: venues.data,
      }),
    )
  })

  route('get', '/search', async (page) => {
    const q = (page.c.req.query('q') ?? '').trim().slice(0, 200)
    const cursor = page.c.req.query('cursor')
    const [found, cart] = await Promise.all([
      store.products
        .list({
          locale: page.locale,
          limit: 24,
          ...(q ? { q } : {}),
          ...(cursor ? { cursor } : {}),
        })
        .catch((error: unknown) => {
          // A query the search cannot read (or a stale cursor) finds nothing.
          if (isMitraApiError(error) && error.status === 422) {
            return { object: 'list' as const, data: [], next_cursor: null }
          }
          throw error
        }),
      currentCart(page.c),
    ])
    return page.c.html(
      searchPage(page.view('/search', cart), {
        q,
        products: found.data,
        next: found.next_cursor,
      }),
    )
  })

  route('get', '/brands/:slug', async (page) => {
    const slug = page.c.req.param('slug') ?? ''
    if (!pageIds.slug.test(slug)) throw new NotFound()
    const brand = await store.brands.get(slug)
    const [products, venues, members, cart] = await Promise.all([
      store.products.list({ brand: slug, locale: page.locale, limit: 100 }),
      store.venues.list({ brand: slug, limit: 100 }),
      store.brands.list({ cluster: slug, limit: 100 }),
      currentCart(page.c),
    ])
    return page.c.html(
      brandPage(page.view(`/brands/${slug}`, cart), {
        brand,
        products: products.data,
        venues: venues.data,
        members: members.data,
        theme: themeHref(slug, brand.theme_css),
      }),
    )
  })

  route('get', '/products/:id', async (page) => {
    const id = page.c.req.param('id') ?? ''
    if (!pageIds.product.test(id)) throw new NotFound()
    const [product, availability, cart] = await Promise.all([
      store.products.get(id, { locale: page.locale }),
      store.products.availability(id),
      currentCart(page.c),
    ])
    const brand = product.brand.slug
      ? await store.brands.get(product.brand.slug).catch(() => null)
      : null
    const hasCard =
      product.images.length > 0 && product.variants.some((variant) => variant.price !== null)
    const html = productPage(page.view(`/products/${id}`, cart), {
      product,
      availability,
      brand,
      theme: brand ? themeHref(brand.slug, brand.theme_css) : null,
      card: hasCard ? localePath(page.locale, `/products/${id}/card.jpg`) : null,
      problem: page.c.req.query('problem') === 'stock',
    })
    return page.c.html(html)
  })

  /** The product's social card (og:image), readable by anyone, as the shop's key reads it. */
  for (const locale of ['id', 'en'] as const) {
    shop.get(localePath(locale, '/products/:id/card.jpg'), async (c) => {
      const id = c.req.param('id') ?? ''
      if (!pageIds.product.test(id)) throw new NotFound()
      const card = await store.products.card(id, { locale })
      return c.body(new Uint8Array(await card.arrayBuffer()), 200, {
        'Content-Type': 'image/jpeg',
        'Cache-Control': 'public, max-age=3600',
        'X-Content-Type-Options': 'nosniff',
      })
    })
  }

  route('get', '/venues/:venue', async (page) => {
    const wanted = page.c.req.param('venue') ?? ''
    if (!pageIds.slug.test(wanted) && !pageIds.party.test(wanted)) throw new NotFound()
    const venue = await store.venues.get(wanted)
    // One address per venue: its slug.
    if (wanted !== venue.slug) return redirect(page, `/venues/${venue.slug}`)
    const [products, units, cart] = await Promise.all([
      store.products.list({ venue: venue.id, locale: page.locale, limit: 100 }),
      store.venues.available(venue.id, { limit: 100 }).toArray({ max: 2_000 }),
      currentCart(page.c),
    ])
    return page.c.html(
      venuePage(page.view(`/venues/${venue.slug}`, cart), {
        venue,
        products: products.data,
        units,
        problem: page.c.req.query('problem') === 'stock',
      }),
    )
  })

  route('get', '/cart', async (page) => {
    page.c.header('Cache-Control', 'no-store')
    const cart = await currentCart(page.c)
    const done = page.c.req.query('done')
    const notices: Record<string, string> = {
      added: page.t.added,
      updated: page.t.updated,
      removed: page.t.removed,
    }
    return page.c.html(
      cartPage(page.view('/cart', cart), {
        cart: cart?.status === 'open' ? cart : null,
        notice: done ? (notices[done] ?? null) : null,
      }),
    )
  })

  /** Adds to a line (`mode=add`, from a product or venue page) or sets it (`mode=set`, the cart). */
  route('post', '/cart/lines', async (page) => {
    const form = await page.c.req.parseBody()
    const variantId = String(form.variant_id ?? '')
    const venueId = String(form.venue_id ?? '')
    const quantity = Number(form.quantity ?? 1)
    const back = safeNext(typeof form.back === 'string' ? form.back : undefined, '/cart')
    if (
      !pageIds.variant.test(variantId) ||
      !pageIds.party.test(venueId) ||
      !Number.isInteger(quantity) ||
      quantity < 1 ||
      quantity > 999
    ) {
      return redirect(page, '/cart')
    }
    const setting = form.mode === 'set'
    let cart = await currentCart(page.c)
    if (cart === null || cart.status !== 'open') cart = await newCart(page.c)
    const held = cart.lines.find(
      (line) => line.variant_id === variantId && line.venue_id === venueId,
    )
    const wanted = setting ? quantity : (held?.quantity ?? 0) + quantity
    try {
      await store.carts.setLine(cart.id, {
        variant_id: variantId,
        venue_id: venueId,
        quantity: wanted,
      })
    } catch (error) {
      if (isMitraApiError(error, 'insufficient_stock')) {
        return redirect(page, setting ? '/cart' : `${back}?problem=stock`)
      }
      throw error
    }
    return redirect(page, `/cart?done=${setting ? 'updated' : 'added'}`)
  })

  route('post', '/cart/lines/remove', async (page) => {
    const form = await page.c.req.parseBody()
    const cart = await currentCart(page.c)
    const variantId = String(form.variant_id ?? '')
    const venueId = String(form.venue_id ?? '')
    if (cart !== null && pageIds.variant.test(variantId) && pageIds.party.test(venueId)) {
      try {
        await store.carts.removeLine(cart.id, { venue_id: venueId, variant_id: variantId })
      } catch (error) {
        // Already gone: the cart shows what is left.
        if (!isMitraApiError(error) || error.status !== 404) throw error
      }
    }
    return redirect(page, '/cart?done=removed')
  })

  /** The checkout form for one venue's lines (the cart's `venue`, or its only one). */
  async function checkoutForm(
    page: PageContext,
    cart: Cart,
    venueId: string | undefined,
    state: { values?: CheckoutForm; errors?: Record<string, string>; error?: string | null },
  ) {
    const venue =
      cart.venues.find((entry) => entry.venue_id === venueId) ??
      (cart.venues.length === 1 ? cart.venues[0] : undefined)
    if (venue === undefined) return redirect(page, '/cart')
    const profile = await store.venues.get(venue.venue_id).catch(() => null)
    page.c.header('Cache-Control', 'no-store')
    return page.c.html(
      checkoutPage(page.view('/checkout', cart), {
        cart,
        venue,
        profile,
        providers,
        values: state.values ?? {},
        errors: state.errors ?? {},
        error: state.error ?? null,
        attempt: crypto.randomUUID(),
      }),
      state.errors && Object.keys(state.errors).length > 0 ? 422 : state.error ? 409 : 200,
    )
  }

  route('get', '/checkout', async (page) => {
    const cart = await currentCart(page.c)
    if (cart === null || cart.status !== 'open' || cart.lines.length === 0) {
      return redirect(page, '/cart')
    }
    return checkoutForm(page, cart, page.c.req.query('venue'), {})
  })

  route('post', '/checkout', async (page) => {
    const form = await page.c.req.parseBody()
    const cart = await currentCart(page.c)
    if (cart === null || cart.status !== 'open' || cart.lines.length === 0) {
      return redirect(page, '/cart')
    }
    const venueId = String(form.venue_id ?? '')
    const values: CheckoutForm = {}
    for (const field of checkoutFields) {
      const value = form[field]
      if (typeof value === 'string') values[field] = value.slice(0, 500)
    }
    if (!providers.includes(values.provider ?? '')) values.provider = providers[0]
    const attempt = String(form.attempt ?? '').slice(0, 64)
    const returnUrl = `${baseUrl}${localePath(page.locale, '/orders/{ORDER_ID}')}`
    try {
      const order = await store.carts.checkout(
        cart.id,
        checkoutBody(values, venueId, returnUrl),
        // The same form sent twice (a double click) places one order.
        attempt ? { idempotencyKey: `shop-checkout-${cart.id}-${attempt}` } : {},
      )
      setCookie(page.c, orderCookie(order.id), order.access_token, {
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
        secure,
        maxAge: 30 * 24 * 3600,
      })
      return page.c.redirect(
        order.redirect_url ?? localePath(page.locale, `/orders/${order.id}`),
        303,
      )
    } catch (error) {
      if (!isMitraApiError(error)) throw error
      const { t } = page
      const limit = error.errors.find((field) => field.code.startsWith('too_many_units'))
      if (limit !== undefined) {
        const said = limit.code === 'too_many_units' ? t.tooManyUnits : t.tooManyUnitsHeld
        return checkoutForm(page, cart, venueId, { values, errors: { cart: said }, error: said })
      }
      if (error.code === 'validation_failed') {
        const errors: Record<string, string> = {}
        for (const field of error.errors) errors[formField(field.path)] ??= field.message
        return checkoutForm(page, cart, venueId, { values, errors })
      }
      if (error.code === 'cart_checked_out') return redirect(page, '/cart')
      if (error.status === 502 || error.status === 503) {
        return checkoutForm(page, cart, venueId, { values, error: t.providerDown })
      }
      if (error.status === 409) {
        return checkoutForm(page, await store.carts.get(cart.id), venueId, {
          values,
          error: t.stockChanged,
        })
      }
      throw error
    }
  })

  route('get', '/orders/:id', async (page) => {
    const id = page.c.req.param('id') ?? ''
    if (!pageIds.order.test(id)) throw new NotFound()
    page.c.header('Cache-Control', 'no-store')
    const token = getCookie(page.c, orderCookie(id))
    if (token === undefined) throw new NotFound()
    const [order, cart] = await Promise.all([store.orders.get(id, token), currentCart(page.c)])
    const venue = await store.venues.get(order.venue_id).catch(() => null)
    return page.c.html(
      orderPage(page.view(`/orders/${id}`, cart), {
        order,
        venue,
        notice: page.c.req.query('done') === 'canceled' ? page.t.canceled : null,
      }),
    )
  })

  route('post', '/orders/:id/cancel', async (page) => {
    const id = page.c.req.param('id') ?? ''
    if (!pageIds.order.test(id)) throw new NotFound()
    const token = getCookie(page.c, orderCookie(id))
    if (token === undefined) throw new NotFound()
    try {
      await store.orders.cancel(id, token)
    } catch (error) {
      // Paid, expired or canceled meanwhile: the order page says which.
      if (isMitraApiError(error) && error.status === 409) return redirect(page, `/orders/${id}`)
      throw error
    }
    return redirect(page, `/orders/${id}?done=canceled`)
  })

  /** A page the shop does not have: its own 404 for people, the API's problem for programs. */
  shop.get('*', (c) => {
    const path = c.req.path
    const api = /^\/(v1|docs|media|widget|demo-pay|checkout\/|openapi\.json|health)(\/|$)/.test(
      path,
    )
    if (api || !(c.req.header('Accept') ?? '').includes('text/html')) return c.notFound()
    throw new NotFound()
  })

  return shop
}

/** Only a path on this site (`/products/…`): never `//evil.example` or a full URL. */
export function safeNext(next: string | undefined, fallback: string): string {
  if (next === undefined || !/^\/(?![/\\])[^\s]*$/.test(next) || next.length > 500) return fallback
  return next
}
