import { MemoryImageStore } from '@mitra/branding'
import { ensurePlatform, platformPublishableKey } from '@mitra/server'
import { useTestApi } from '@mitra/server/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../demo.js'
import { assets } from './assets.js'
import { mountShop, shopKeyName } from './index.js'

// The shop on the real API, in-process on PGlite with the demo network, as a browser with
// JavaScript off uses it: plain links and form posts, cookies, redirects.

const baseUrl = 'http://shop.test'
const imageStore = new MemoryImageStore()
const api = useTestApi('pglite', { imageStore, baseUrl })
let shopKey = ''

beforeAll(async () => {
  const { db } = api.database()
  await ensurePlatform(db)
  await seedDemo(db, imageStore, [])
  shopKey = (await mountShop(api.app(), { database: api.database(), baseUrl })).key
}, 120_000)

/** A browser without JavaScript: keeps cookies, follows nothing by itself. */
function browser() {
  const jar = new Map<string, string>()
  async function request(
    method: 'GET' | 'POST',
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ) {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    const res = await api.app().request(path, {
      method,
      headers: {
        Accept: 'text/html',
        ...(cookie ? { Cookie: cookie } : {}),
        ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    })
    for (const set of res.headers.getSetCookie()) {
      const [pair = ''] = set.split(';')
      const [name = '', value = ''] = pair.split('=')
      if (/Max-Age=0/i.test(set) || value === '') jar.delete(name)
      else jar.set(name, value)
    }
    const location = res.headers.get('Location')
    return {
      res,
      status: res.status,
      html: await res.text(),
      location,
      setCookie: res.headers.getSetCookie(),
    }
  }
  return {
    jar,
    get: (path: string, headers?: Record<string, string>) =>
      request('GET', path, undefined, headers),
    post: (path: string, form: Record<string, string>, headers?: Record<string, string>) =>
      request('POST', path, form, headers),
  }
}

/** The first product page the home page links to, and its add-to-cart form's fields. */
async function aProductOnAShelf(shopper = browser()) {
  const home = await shopper.get('/')
  const [, path] = /href="(\/products\/prod_[0-9a-z]+)"/.exec(home.html) ?? []
  const product = await shopper.get(path as string)
  const field = (name: string) =>
    new RegExp(`name="${name}" value="([^"]+)"`).exec(product.html)?.[1] as string
  return {
    path: path as string,
    html: product.html,
    variant_id: field('variant_id'),
    venue_id: field('venue_id'),
  }
}

describe('the shop, through the app', () => {
  it('makes the platform a publishable key of its own and finds it again', async () => {
    expect(shopKey).toMatch(/^pk_/)
    expect(await platformPublishableKey(api.database().db, shopKeyName)).toBe(shopKey)
  })

  it('home: the makers by cluster and village, what is new, where to buy, a search form', async () => {
    const { status, html, res } = await browser().get('/')
    expect(status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'")
    expect(html).toContain('<a href="/brands/desa-vokasi-gemawang">Desa Vokasi Gemawang</a>')
    for (const brand of ['batik-gemawangi', 'ape-gemawang', 'madu-gemawang']) {
      expect(html).toContain(`href="/brands/${brand}"`)
    }
    expect(html).toContain('Desa Gemawang · Kabupaten Semarang, Jawa Tengah')
    expect(html).toContain('<h2 id="newest">Baru datang</h2>')
    expect(html).toContain('href="/venues/kafe-banaran-9"')
    expect(html).toContain('href="/venues/galeri-gemawangi"')
    expect(html).toMatch(/Rp\d{2,3}\.000/)
    expect(html).toContain(`<link rel="stylesheet" href="${assets.css.path}"/>`)
  })

  it('search: finds by words, in the buyer’s language', async () => {
    const shopper = browser()
    const found = await shopper.get('/search?q=madu')
    expect(found.html).toContain('Madu klanceng')
    expect(found.html).not.toContain('Puzzle angka kayu')
    const english = await shopper.get('/en/search?q=honey')
    expect(english.html).toContain('Stingless-bee honey')
    const nothing = await shopper.get('/search?q=%22tidak+ada+sama+sekali%22')
    expect(nothing.html).toContain('Tidak ada produk yang cocok')
  })

  it('brand: the kit and its theme, the collective mark, its products, where to find them', async () => {
    const shopper = browser()
    const { status, html } = await shopper.get('/brands/batik-gemawangi')
    expect(status).toBe(200)
    expect(html).toContain('<h1>Batik Gemawangi</h1>')
    expect(html).toContain('<span class="badge">Merek kolektif</span>')
    expect(html).toContain('Batik tulis motif kopi, indigo')
    expect(html).toContain('href="/venues/galeri-gemawangi"')
    const [, theme] = /<link rel="stylesheet" href="(\/assets\/brand\/[^"]+)"/.exec(html) ?? []
    const css = await shopper.get(theme as string)
    expect(css.res.headers.get('Content-Type')).toMatch(/^text\/css/)
    expect(css.res.headers.get('Cache-Control')).toContain('immutable')
    expect(css.html).toContain('--mitra-color-primary: #1f3a5f;')

    const cluster = await shopper.get('/brands/desa-vokasi-gemawang')
    expect(cluster.html).toContain('<h2 id="members">Anggota</h2>')
    expect(cluster.html).toContain('href="/brands/madu-gemawang"')
  })

  it('product: pictures, the maker, every venue with live stock, and its social card', async () => {
    const shopper = browser()
    const product = await aProductOnAShelf(shopper)
    expect(product.html).toContain('<source type="image/avif"')
    expect(product.html).toContain('<source type="image/webp"')
    expect(product.html).toContain('<h2 id="available">Tersedia di</h2>')
    expect(product.html).toMatch(/<span class="stock">Sisa \d+<\/span>/)
    expect(product.html).toContain('href="/venues/kafe-banaran-9"')
    expect(product.html).toContain('"@type":"Product"')
    const [, card] =
      /<meta property="og:image" content="http:\/\/shop\.test([^"]+)"/.exec(product.html) ?? []
    const image = await shopper.get(card as string)
    expect(image.status).toBe(200)
    expect(image.res.headers.get('Content-Type')).toBe('image/jpeg')
  })

  it('venue: what is on its shelf now; its id leads to its slug', async () => {
    const shopper = browser()
    const { html } = await shopper.get('/venues/galeri-gemawangi')
    expect(html).toContain('<h1>Galeri Gemawangi</h1>')
    expect(html).toContain('Batik tulis motif kopi, indigo')
    expect(html).toContain('Madu hutan')
    expect(html).not.toContain('Puzzle angka kayu')
    const venueId = /name="venue_id" value="(pty_[0-9a-z]+)"/.exec(html)?.[1]
    const byId = await shopper.get(`/venues/${venueId}`)
    expect(byId.status).toBe(303)
    expect(byId.location).toBe('/venues/galeri-gemawangi')
  })

  it('answers pages it does not have with its own 404, and programs with the API’s', async () => {
    const shopper = browser()
    for (const path of [
      '/products/prod_00000000000000000000000000',
      '/products/not-an-id',
      '/brands/no-such-brand',
      '/venues/no-such-venue',
      '/en/no/such/page',
    ]) {
      const missing = await shopper.get(path)
      expect(missing.status, path).toBe(404)
      expect(missing.html, path).toContain('<h1>')
    }
    expect((await shopper.get('/en/no/such/page')).html).toContain('Page not found')
    const problem = await api.app().request('/v1/no-such-route')
    expect(problem.headers.get('Content-Type')).toMatch(/problem\+json/)
    const json = await api
      .app()
      .request('/no-such-page', { headers: { Accept: 'application/json' } })
    expect(json.headers.get('Content-Type')).toMatch(/problem\+json/)
  })

  it('buys with JavaScript off: add, change, check out with the demo provider, pay, order paid', async () => {
    const shopper = browser()
    const product = await aProductOnAShelf(shopper)

    // Add to cart: a plain form post, then the cart (POST-redirect-GET).
    const added = await shopper.post('/cart/lines', {
      variant_id: product.variant_id,
      venue_id: product.venue_id,
      quantity: '1',
      back: product.path,
    })
    expect(added.status).toBe(303)
    expect(added.location).toBe('/cart?done=added')
    const cookie = added.setCookie.find((line) => line.startsWith('mitra_cart='))
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    // Added again: two of them.
    await shopper.post('/cart/lines', {
      variant_id: product.variant_id,
      venue_id: product.venue_id,
      quantity: '1',
    })
    let cart = await shopper.get('/cart?done=added')
    expect(cart.html).toContain('<p class="notice" role="status">Barang masuk keranjang.</p>')
    expect(cart.html).toContain('<option value="2" selected="">2</option>')
    expect(cart.html).toContain('Keranjang (2)')
    // Set back to one from the cart's own form.
    const set = await shopper.post('/cart/lines', {
      variant_id: product.variant_id,
      venue_id: product.venue_id,
      quantity: '1',
      mode: 'set',
    })
    expect(set.location).toBe('/cart?done=updated')
    cart = await shopper.get('/cart')
    expect(cart.html).toContain('<option value="1" selected="">1</option>')
    const [, checkoutPath] = /href="(\/checkout\?venue=pty_[0-9a-z]+)"/.exec(cart.html) ?? []

    // The checkout form; sent without a name, it says what is missing and keeps the rest.
    const form = await shopper.get(checkoutPath as string)
    expect(form.status).toBe(200)
    const attempt = () => /name="attempt" value="([^"]+)"/.exec(form.html)?.[1] as string
    const fields = {
      venue_id: product.venue_id,
      attempt: attempt(),
      fulfilment: 'pickup',
      customer_name: '',
      customer_phone: '0812 3456 7890',
      provider: 'demo',
    }
    const refused = await shopper.post('/checkout', fields)
    expect(refused.status).toBe(422)
    expect(refused.html).toContain('aria-invalid="true" aria-describedby="f-customer_name-error"')
    expect(refused.html).toContain('value="0812 3456 7890"')

    // Sent right: the order is placed and the buyer goes to the demo provider's page.
    const placed = await shopper.post('/checkout', {
      ...fields,
      attempt: /name="attempt" value="([^"]+)"/.exec(refused.html)?.[1] as string,
      customer_name: 'Sari <Wulandari>',
    })
    expect(placed.status).toBe(303)
    const payPage = new URL(placed.location as string)
    expect(payPage.origin).toBe(baseUrl)
    expect(payPage.pathname).toMatch(/^\/demo-pay\//)

    // Before paying, the order page says it waits for payment, with the way to pay.
    const cartNow = await api.call('GET', `/v1/store/carts/${shopper.jar.get('mitra_cart')}`, {
      token: shopKey,
    })
    const waiting = await shopper.get(`/orders/${cartNow.json.order_id}`)
    expect(waiting.html).toContain('Menunggu pembayaran')
    expect(waiting.html).toContain(`href="${placed.location}"`)
    const paid = await api.app().request(`${payPage.pathname}/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'method=qris',
    })
    expect(paid.status).toBe(303)
    const back = new URL(paid.headers.get('Location') as string)
    expect(back.origin).toBe(baseUrl)
    expect(back.pathname).toMatch(/^\/orders\/ord_[0-9a-z]{26}$/)
    const order = await shopper.get(back.pathname)
    expect(order.status).toBe(200)
    expect(order.res.headers.get('Cache-Control')).toBe('no-store')
    expect(order.html).toContain('<p class="status paid" role="status">Sudah dibayar</p>')
    expect(order.html).not.toContain('0812 3456 7890')
    // The cart is done: empty now.
    expect((await shopper.get('/cart')).html).toContain('Keranjang Anda masih kosong.')
  })

  it('removes a line, says so when more is asked for than the shelf holds', async () => {
    const shopper = browser()
    const product = await aProductOnAShelf(shopper)
    const tooMany = await shopper.post('/cart/lines', {
      variant_id: product.variant_id,
      venue_id: product.venue_id,
      quantity: '999',
      back: product.path,
    })
    expect(tooMany.location).toBe(`${product.path}?problem=stock`)
    expect((await shopper.get(tooMany.location as string)).html).toContain('role="alert"')
    await shopper.post('/cart/lines', {
      variant_id: product.variant_id,
      venue_id: product.venue_id,
      quantity: '1',
    })
    const removed = await shopper.post('/cart/lines/remove', {
      variant_id: product.variant_id,
      venue_id: product.venue_id,
    })
    expect(removed.location).toBe('/cart?done=removed')
    expect((await shopper.get('/cart')).html).toContain('Keranjang Anda masih kosong.')
  })

  it('cancels an unpaid order from its page', async () => {
    const shopper = browser()
    const product = await aProductOnAShelf(shopper)
    await shopper.post('/en/cart/lines', {
      variant_id: product.variant_id,
      venue_id: product.venue_id,
      quantity: '1',
    })
    const placed = await shopper.post('/en/checkout', {
      venue_id: product.venue_id,
      attempt: 'cancel-test',
      fulfilment: 'pickup',
      customer_name: 'Budi',
      provider: 'demo',
    })
    expect(new URL(placed.location as string).pathname).toMatch(/^\/demo-pay\//)
    // The order the cart became (its id is in the link the provider sends the buyer back to).
    const cart = await api.call('GET', `/v1/store/carts/${shopper.jar.get('mitra_cart')}`, {
      token: shopKey,
    })
    const id = cart.json.order_id as string
    // Another browser knows the id but not the order's token: no order there, to see or cancel.
    const stranger = browser()
    expect((await stranger.get(`/en/orders/${id}`)).status).toBe(404)
    expect((await stranger.post(`/en/orders/${id}/cancel`, {})).status).toBe(404)
    expect(shopper.jar.get(`mitra_order_${id}`)).toMatch(/^otok_/)
    const pending = await shopper.get(`/en/orders/${id}`)
    expect(pending.html).toContain('Waiting for payment')
    const canceled = await shopper.post(`/en/orders/${id}/cancel`, {})
    expect(canceled.location).toBe(`/en/orders/${id}?done=canceled`)
    expect((await shopper.get(canceled.location as string)).html).toContain(
      '<p class="status" role="status">Canceled</p>',
    )
  })

  it('refuses a form posted from another site', async () => {
    const shopper = browser()
    const product = await aProductOnAShelf(shopper)
    const forged = await shopper.post(
      '/cart/lines',
      { variant_id: product.variant_id, venue_id: product.venue_id, quantity: '1' },
      { Origin: 'https://evil.example' },
    )
    expect(forged.status).toBe(403)
    const sameSite = await shopper.post(
      '/cart/lines',
      { variant_id: product.variant_id, venue_id: product.venue_id, quantity: '1' },
      { Origin: baseUrl },
    )
    expect(sameSite.status).toBe(303)
  })

  it('remembers the language chosen, and the URL says which', async () => {
    const shopper = browser()
    const product = await aProductOnAShelf(shopper)
    const chosen = await shopper.get(`/lang/en?next=${encodeURIComponent(`/en${product.path}`)}`)
    expect(chosen.status).toBe(303)
    expect(chosen.location).toBe(`/en${product.path}`)
    expect(shopper.jar.get('mitra_lang')).toBe('en')
    // An Indonesian link now leads to the English page.
    const followed = await shopper.get(product.path)
    expect(followed.status).toBe(302)
    expect(followed.location).toBe(`/en${product.path}`)
    const english = await shopper.get(`/en${product.path}`)
    expect(english.html).toContain('<html lang="en">')
    expect(english.html).toContain('<h2 id="available">Available at</h2>')
    expect(english.html).toContain('hreflang="id" href="http://shop.test/products/')
    // And back.
    const back = await shopper.get(`/lang/id?next=${encodeURIComponent(product.path)}`)
    expect(back.location).toBe(product.path)
    expect((await shopper.get(product.path)).html).toContain('<html lang="id">')
    // Only paths on this site.
    expect((await shopper.get('/lang/en?next=//evil.example')).location).toBe('/en')
    expect((await shopper.get('/lang/fr')).status).toBe(404)
  })

  it('serves its assets for a year, robots.txt and a sitemap with both languages', async () => {
    const shopper = browser()
    for (const asset of Object.values(assets)) {
      const got = await shopper.get(asset.path)
      expect(got.status).toBe(200)
      expect(got.res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    }
    const robots = await shopper.get('/robots.txt')
    expect(robots.html).toContain(`Sitemap: ${baseUrl}/sitemap.xml`)
    expect(robots.html).toContain('Disallow: /cart')
    const sitemap = await shopper.get('/sitemap.xml')
    expect(sitemap.res.headers.get('Content-Type')).toMatch(/^application\/xml/)
    expect(sitemap.html).toContain(`<loc>${baseUrl}/brands/batik-gemawangi</loc>`)
    expect(sitemap.html).toContain(`<loc>${baseUrl}/en/brands/batik-gemawangi</loc>`)
    expect(sitemap.html).toContain(`<loc>${baseUrl}/venues/kafe-banaran-9</loc>`)
    expect(sitemap.html).toContain(`<loc>${baseUrl}/brands/desa-vokasi-gemawang</loc>`)
    expect(sitemap.html).toMatch(/<loc>http:\/\/shop\.test\/products\/prod_[0-9a-z]{26}<\/loc>/)
    expect(sitemap.html).toContain('<xhtml:link rel="alternate" hreflang="en"')
  })
})
