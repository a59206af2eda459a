import { MemoryImageStore } from '@mitra/branding'
import {
  axeSeriousOrCritical,
  chromiumMissing,
  launchChromium,
  pageWithErrors,
} from '@mitra/browser-testing'
import { newId } from '@mitra/core'
import { type GallerySite, type RunningGallery, startGallery } from '@mitra/example-gallery-embed'
import { type AppOptions, ensurePlatform } from '@mitra/server'
import { useListeningTestApi } from '@mitra/server/testing'
import { seedDemo } from '@mitra/storefront/demo'
import { loadWidgetBundle } from '@mitra/widget/bundle'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'

// The widget as a gallery uses it: examples/gallery-embed served on one origin, the API (the
// real server, in-process on PGlite, with the demo network) on another, in Chromium.

const imageStore = new MemoryImageStore()
const options: Omit<AppOptions, 'database'> = { imageStore, widget: loadWidgetBundle }
// The API listens before the app exists, so the app's public URL is known.
const { api, url: apiUrl } = useListeningTestApi('pglite', options)

/** Waits for what the page shows, as long as a loaded CI machine may need. */
const eventually = <T>(read: () => T | Promise<T>) =>
  expect.poll(read, { timeout: 15_000, interval: 100 })

let gallery: RunningGallery
let foreign: RunningGallery
let site: GallerySite
/** The demo's café, and the batik group's key: its own site shows both venues' shelves. */
let kafe = ''
let batikKey = ''
let browser: Browser | undefined

beforeAll(async () => {
  if (chromiumMissing) return
  gallery = await startGallery({ site: () => site })
  // Another origin, which the gallery's key does not allow.
  foreign = await startGallery({ site: () => site })
  const { db } = api.database()
  await ensurePlatform(db)
  const keys = await seedDemo(db, imageStore, [gallery.url])
  const galeri = keys.galeri as { party_id: string; publishable_key: string }
  kafe = keys.kafe?.party_id as string
  batikKey = keys.batik?.publishable_key as string
  const shelf = await shelfAt(galeri.party_id, galeri.publishable_key)
  site = {
    api: apiUrl(),
    key: galeri.publishable_key,
    venue: galeri.party_id,
    product: shelf[0]?.product_id as string,
  }
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await gallery?.close()
  await foreign?.close()
})

/** What the store API says is free to sell at a venue now. */
async function shelfAt(venue: string, key = site.key) {
  const answer = await api.call('GET', `/v1/store/venues/${venue}/available?limit=100`, {
    token: key,
  })
  return answer.json.data as {
    product_id: string
    variant_id: string
    sku: string
    available: number
  }[]
}

async function availableOf(sku: string): Promise<number> {
  return (await shelfAt(site.venue)).find((row) => row.sku === sku)?.available ?? 0
}

interface Tab {
  context: BrowserContext
  page: Page
  /** Console errors (CSP refusals among them) and uncaught exceptions. */
  errors: string[]
  /** `securitypolicyviolation` events, as `directive blocked-uri`. */
  violations(): Promise<string[]>
}

async function open(path: string, setup: { init?: () => void; bypassCSP?: boolean } = {}) {
  const context = await (browser as Browser).newContext({ bypassCSP: setup.bypassCSP ?? false })
  await context.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { violations: string[] }).violations = seen
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    )
  })
  if (setup.init) await context.addInitScript(setup.init)
  const { page, errors } = await pageWithErrors(context)
  await page.goto(`${gallery.url}${path}`)
  const tab: Tab = {
    context,
    page,
    errors,
    violations: () =>
      page.evaluate(() => (window as unknown as { violations: string[] }).violations),
  }
  return tab
}

const card = (page: Page, title: string) =>
  page
    .locator('mitra-shelf [part=card]')
    .filter({ has: page.locator(`[part=title]`, { hasText: title }) })
const cartButton = (page: Page) => page.locator('mitra-cart [part=button]')

/** The element focused, through shadow roots. */
function focused(page: Page) {
  return page.evaluate(() => {
    let active = document.activeElement
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
    return {
      tag: active?.tagName.toLowerCase() ?? '',
      part: active?.getAttribute('part') ?? '',
      name: active?.getAttribute('name') ?? '',
      label: active?.getAttribute('aria-label') ?? '',
      text: active?.textContent?.trim() ?? '',
      disabled: (active as HTMLButtonElement | null)?.disabled ?? false,
      inDrawer: Boolean(active?.closest('dialog[open]')),
    }
  })
}

async function tabUntil(
  page: Page,
  found: (element: Awaited<ReturnType<typeof focused>>) => boolean,
  key = 'Tab',
) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press(key)
    const element = await focused(page)
    if (found(element)) return element
  }
  throw new Error('never reached by the keyboard')
}

/** Pays on the demo provider's page (on the API's origin) and waits to be back. */
/**
 * The order the page came back from, read as its buyer: with the access token the widget
 * keeps in the page's localStorage (the order id alone shows nothing).
 */
async function returnedOrder(page: Page, key: string) {
  const id = new URL(page.url()).searchParams.get('mitra_order') as string
  const token = await page.evaluate((orderId) => {
    for (let i = 0; i < localStorage.length; i++) {
      const name = localStorage.key(i) ?? ''
      if (!name.startsWith('mitra.orders.')) continue
      const kept = JSON.parse(localStorage.getItem(name) ?? '{}')[orderId]
      if (typeof kept === 'string') return kept
    }
    return ''
  }, id)
  expect(token).toMatch(/^otok_/)
  // It came back in the return URL, and the address bar no longer shows it.
  expect(page.url()).not.toContain('mitra_token')
  const withoutToken = await api.call('GET', `/v1/store/orders/${id}`, { token: key })
  expect(withoutToken.status).toBe(404)
  return api.call('GET', `/v1/store/orders/${id}`, {
    token: key,
    headers: { 'Mitra-Order-Token': token },
  })
}

async function payOnDemoPage(page: Page) {
  await page.waitForURL(/\/demo-pay\//)
  expect(new URL(page.url()).origin).toBe(apiUrl())
  await page.getByRole('button', { name: /^Pay / }).click()
  await page.waitForURL((url) => url.origin === gallery.url && url.searchParams.has('mitra_order'))
}

describe.skipIf(chromiumMissing)('the widget on a gallery’s own site, in Chromium', () => {
  it('sells from the gallery’s page: shelf, two items, reload, checkout, pay, back paid, stock down', async () => {
    const before = {
      kopi: await availableOf('BG-KOPI-200'),
      hutan: await availableOf('MADU-HT-500'),
    }
    const tab = await open('/')
    const { page } = tab
    expect(new URL(page.url()).origin).not.toBe(apiUrl())

    // The shelf: every product free to sell here, the maker's brand first on each card.
    const kopi = card(page, 'Batik tulis motif kopi, indigo')
    await kopi.waitFor()
    expect(await page.locator('mitra-shelf [part=card]').count()).toBe(5)
    expect(await kopi.evaluate((element) => element.firstElementChild?.getAttribute('part'))).toBe(
      'brand',
    )
    await eventually(() => kopi.locator('[part=logo]').count()).toBe(1)
    expect(await kopi.locator('[part=brand-name]').textContent()).toBe('Batik Gemawangi')
    expect(await kopi.locator('[part=origin]').textContent()).toBe(
      'Gemawang · Desa Vokasi Gemawang',
    )
    expect(await kopi.locator('[part=venue]').textContent()).toBe('dijual di Galeri Gemawangi')
    expect(await kopi.locator('[part=price]').textContent()).toBe('Rp450.000')
    expect(await kopi.locator('[part=stock]').textContent()).toBe(`Sisa ${before.kopi}`)
    // Pictures come from the API's origin.
    expect(await kopi.locator('[part=image]').getAttribute('src')).toMatch(`${apiUrl()}/media/`)

    // Two items; each change is announced.
    await kopi.locator('[part=add]').click()
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 1 barang')
    const said = page.locator('mitra-cart p.sr').first()
    expect(await said.textContent()).toBe('Batik tulis motif kopi, indigo masuk keranjang.')
    await card(page, 'Madu hutan').locator('[part=add]').click()
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 2 barang')

    // Reloaded, and on another of the gallery's pages, the cart is still there.
    await page.reload()
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 2 barang')
    await page.goto(`${gallery.url}/brand.html`)
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 2 barang')
    await page.locator('mitra-brand [part=header]').waitFor()
    expect(await page.locator('mitra-brand h2').textContent()).toBe('Batik Gemawangi')
    expect(await page.locator('mitra-brand [part=story]').textContent()).toContain('Desa Gemawang')
    await page.locator('mitra-product [part=card]').waitFor()

    // Checkout in the same window: pickup, name and phone, then the provider's page.
    await cartButton(page).click()
    const drawer = page.locator('mitra-cart dialog[open]')
    await drawer.waitFor()
    expect(await drawer.locator('[part=line]').count()).toBe(2)
    await drawer.getByLabel('Nama').fill('Sari Wulandari')
    await drawer.getByLabel('Nomor HP').fill('0812 3456 7890')
    expect(await drawer.locator('[part=pay]').textContent()).toBe('Bayar Rp570.000')
    await drawer.locator('[part=pay]').click()
    await payOnDemoPage(page)

    // Back on the gallery's page: the order is paid, the cart is done, the stock is down by two.
    const order = page.locator('mitra-cart [part=order]')
    await eventually(() => order.textContent()).toMatch(/^Pesanan ord_\w+ sudah dibayar/)
    expect(await cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 0 barang')
    const after = {
      kopi: await availableOf('BG-KOPI-200'),
      hutan: await availableOf('MADU-HT-500'),
    }
    expect(before.kopi + before.hutan - (after.kopi + after.hutan)).toBe(2)
    expect(after).toEqual({ kopi: before.kopi - 1, hutan: before.hutan - 1 })
    const paid = await returnedOrder(page, site.key)
    expect(paid.json).toMatchObject({
      status: 'paid',
      fulfilment: 'pickup',
      customer: { name: 'Sari Wulandari' },
    })
    // The buyer came back to the page they paid from (brand.html): its cards read the stock anew.
    expect(new URL(page.url()).pathname).toBe('/brand.html')
    const kopiAtBrand = page
      .locator('mitra-brand [part=card]')
      .filter({ has: page.locator('[part=title]', { hasText: 'Batik tulis motif kopi' }) })
    await eventually(() => kopiAtBrand.locator('[part=stock]').textContent()).toBe(
      `Sisa ${after.kopi}`,
    )
    expect(tab.errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([])
    expect(await tab.violations()).toEqual([])
    await tab.context.close()
  })

  it('pays a cart with goods from two venues one venue at a time, keeping the other’s lines', async () => {
    // A gallery's key sells only its own shelf; the batik group's own site sells its goods at
    // every venue that holds them: the same page, with the group's key.
    const galleryKey = site.key
    site.key = batikKey
    onTestFinished(() => {
      site.key = galleryKey
    })
    const tab = await open('/')
    const { page } = tab
    await page.locator('mitra-shelf [part=card]').first().waitFor()
    // The café's shelf joins the page, as a single-page app would add it.
    await page.evaluate((venue) => {
      const shelf = document.createElement('mitra-shelf')
      shelf.id = 'kafe'
      shelf.setAttribute('venue', venue)
      document.body.append(shelf)
    }, kafe)
    const atKafe = page.locator('#kafe [part=card]').first()
    await atKafe.waitFor()
    await page.locator('mitra-shelf:not(#kafe) [part=add]').first().click()
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 1 barang')
    await atKafe.locator('[part=add]').click()
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 2 barang')

    await cartButton(page).click()
    const drawer = page.locator('mitra-cart dialog[open]')
    await drawer.waitFor()
    expect(await drawer.locator('[part=from]').allTextContents()).toEqual([
      'Dari Galeri Gemawangi',
      'Dari Kafe Banaran 9',
    ])
    const kafeChoice = drawer.locator('[part=venues] label', { hasText: 'Kafe Banaran 9' })
    await kafeChoice.locator('input').check()
    const subtotal = (await kafeChoice.textContent())?.split(' · ')[1]
    expect(subtotal).toMatch(/^Rp[\d.]+$/)
    await eventually(() => drawer.locator('[part=pay]').textContent()).toBe(`Bayar ${subtotal}`)
    await drawer.getByLabel('Nama').fill('Budi Santoso')
    await drawer.getByLabel('Nomor HP').fill('0813 1111 2222')
    await drawer.locator('[part=pay]').click()
    await payOnDemoPage(page)

    // The café's order is paid; the gallery's line waits in the cart for its own checkout.
    const order = page.locator('mitra-cart [part=order]')
    await eventually(() => order.textContent()).toMatch(/^Pesanan ord_\w+ sudah dibayar/)
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 1 barang')
    const paid = await returnedOrder(page, batikKey)
    expect(paid.json).toMatchObject({ status: 'paid', venue_id: kafe })
    await cartButton(page).click()
    await drawer.waitFor()
    expect(await drawer.locator('[part=from]').count()).toBe(0)
    expect(await drawer.locator('[part=venues]').isHidden()).toBe(true)
    expect(await drawer.locator('[part=line]').count()).toBe(1)
    await tab.context.close()
  })

  it('can be bought with the keyboard alone: focus moves into the drawer, stays, Escape closes', async () => {
    const tab = await open('/en.html')
    const { page } = tab
    await page.locator('mitra-shelf [part=card]').first().waitFor()
    const add = await tabUntil(page, (e) => e.part === 'add' && !e.disabled)
    expect(add.text).toBe('Add to cart')
    await page.keyboard.press('Enter')
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Cart, items: 1')
    expect(await page.locator('mitra-cart p.sr').first().textContent()).toMatch(
      /added to the cart\.$/,
    )

    await tabUntil(page, (e) => e.part === 'button', 'Shift+Tab')
    await page.keyboard.press('Enter')
    expect((await focused(page)).inDrawer).toBe(true)
    // Focus stays in the open drawer, both ways round.
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab')
      expect((await focused(page)).inDrawer).toBe(true)
    }
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Shift+Tab')
      expect((await focused(page)).inDrawer).toBe(true)
    }
    await page.keyboard.press('Escape')
    expect(await page.locator('mitra-cart dialog[open]').count()).toBe(0)
    expect(await focused(page)).toMatchObject({ part: 'button', label: 'Cart, items: 1' })

    // Again, to pay: delivery this time, with an address.
    await page.keyboard.press('Enter')
    const delivery = await tabUntil(page, (e) => e.name === 'fulfilment')
    expect(delivery.inDrawer).toBe(true)
    await page.keyboard.press('ArrowDown')
    expect(await page.locator('mitra-cart [part=address]').isVisible()).toBe(true)
    await tabUntil(page, (e) => e.name === 'name')
    await page.keyboard.type('Budi Santoso')
    await page.keyboard.press('Tab')
    await page.keyboard.type('+62 812 1111 2222')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Jl. Kenanga 9')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Ambarawa')
    await page.keyboard.press('Tab')
    await page.keyboard.type('50614')
    const pay = await tabUntil(page, (e) => e.part === 'pay')
    expect(pay.text).toMatch(/^Pay IDR [\d,]+$/)
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/demo-pay\//)
    await tabUntil(page, (e) => e.tag === 'button' && e.text.startsWith('Pay '))
    await page.keyboard.press('Enter')
    await page.waitForURL(
      (url) => url.origin === gallery.url && url.searchParams.has('mitra_order'),
    )
    await eventually(() => page.locator('mitra-cart [part=order]').textContent()).toMatch(
      /^Order ord_\w+ is paid/,
    )
    const order = await returnedOrder(page, site.key)
    expect(order.json).toMatchObject({
      status: 'paid',
      fulfilment: 'delivery',
      delivery_fee: { amount: 20_000 },
      delivery_address: { recipient: 'Budi Santoso', city: 'Ambarawa', postal_code: '50614' },
    })
    await tab.context.close()
  })

  it('works under a strict CSP (mitra origin only, no inline, Trusted Types) with no violation', async () => {
    const tab = await open('/strict.html')
    const { page } = tab
    await page.locator('mitra-shelf [part=card]').first().waitFor()
    await page.locator('mitra-shelf [part=add]:not([disabled])').first().click()
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 1 barang')
    await cartButton(page).click()
    await page.locator('mitra-cart dialog[open] [part=line]').waitFor()
    // The widget's styles apply (adopted stylesheets), though the page allows no style at all.
    const accent = await page
      .locator('mitra-shelf [part=add]')
      .first()
      .evaluate((button) => getComputedStyle(button).backgroundColor)
    expect(accent).toBe('rgb(11, 93, 75)')
    // It follows the visitor's colour scheme, and slides the drawer in only for those who
    // have not asked for less motion.
    expect(
      await page
        .locator('mitra-cart dialog')
        .evaluate((dialog) => getComputedStyle(dialog).animationName),
    ).toBe('mitra-in')
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' })
    expect(
      await page
        .locator('mitra-shelf [part=add]')
        .first()
        .evaluate((button) => getComputedStyle(button).backgroundColor),
    ).toBe('rgb(125, 211, 184)')
    expect(
      await page
        .locator('mitra-cart dialog')
        .evaluate((dialog) => getComputedStyle(dialog).animationName),
    ).toBe('none')
    expect(await tab.violations()).toEqual([])
    expect(tab.errors).toEqual([])
    await tab.context.close()
  })

  it('keeps the cart for the page’s life when storage is blocked, and still checks out', async () => {
    const tab = await open('/', {
      init: () => {
        Object.defineProperty(window, 'localStorage', {
          get() {
            throw new DOMException('The operation is insecure.', 'SecurityError')
          },
        })
      },
    })
    const { page } = tab
    const cengkeh = card(page, 'Batik cap daun cengkeh')
    await cengkeh.locator('[part=add]').click()
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 1 barang')
    await cengkeh.locator('[part=add]').click()
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 2 barang')
    await cartButton(page).click()
    const drawer = page.locator('mitra-cart dialog[open]')
    await drawer.getByLabel('Nama').fill('Rina')
    await drawer.getByLabel('Nomor HP').fill('081234567')
    await drawer.locator('[part=pay]').click()
    await payOnDemoPage(page)
    // The order id came back in the URL: no storage needed to show it.
    await eventually(() => page.locator('mitra-cart [part=order]').textContent()).toMatch(
      /sudah dibayar/,
    )
    expect(tab.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([])
    await tab.context.close()
  })

  it('explains a line that sold out meanwhile, an expired cart, and a product not sold', async () => {
    const tab = await open('/')
    const { page } = tab
    const klanceng = card(page, 'Madu klanceng')
    await klanceng.locator('[part=variant]').selectOption({ label: '250 ml' })
    await klanceng.locator('[part=add]').click()
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 1 barang')

    // Another buyer takes every jar left (their order holds the stock).
    const left = await availableOf('MADU-KL-250')
    expect(left).toBeGreaterThan(0)
    const variant = (await shelfAt(site.venue)).find((row) => row.sku === 'MADU-KL-250')?.variant_id
    const cart = await api.call('POST', '/v1/store/carts', { token: site.key })
    await api.call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
      token: site.key,
      body: { variant_id: variant, venue_id: site.venue, quantity: left },
    })
    const taken = await api.call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token: site.key,
      body: { fulfilment: 'pickup', customer: { name: 'Dewi' }, provider: 'demo' },
    })
    expect(taken.status).toBe(201)

    await page.reload()
    await cartButton(page).click()
    const drawer = page.locator('mitra-cart dialog[open]')
    await eventually(() => drawer.locator('[part=problem]').textContent()).toBe(
      'Habis sejak ditambahkan; hapus dulu.',
    )
    await drawer.getByLabel('Nama').fill('Sari')
    await drawer.getByLabel('Nomor HP').fill('081234567')
    await drawer.locator('[part=pay]').click()
    expect(await drawer.locator('[part=error]').textContent()).toBe('Perbaiki keranjang dulu.')
    // The card says so too, and takes no more.
    await page.keyboard.press('Escape')
    await klanceng.locator('[part=variant]').selectOption({ label: '250 ml' })
    expect(await klanceng.locator('[part=stock]').textContent()).toBe('Habis')
    expect(await klanceng.locator('[part=add]').isDisabled()).toBe(true)
    await cartButton(page).click()
    await drawer.getByRole('button', { name: /^Hapus / }).click()
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 0 barang')
    expect(await page.locator('mitra-cart dialog[open] p.sr').textContent()).toMatch(/dihapus\.$/)

    // A cart the server no longer knows: the drawer says why it is empty.
    await page.evaluate(([key, id]) => localStorage.setItem(`mitra.cart.${key.slice(3, 15)}`, id), [
      site.key,
      newId('cart'),
    ] as const)
    await page.reload()
    await cartButton(page).click()
    expect(await page.locator('mitra-cart dialog[open] [part=notice]').textContent()).toBe(
      'Keranjang lama Anda kedaluwarsa dan dikosongkan.',
    )

    // A product the channel does not sell (gone, or never was) says so, not "empty shelf".
    await page.keyboard.press('Escape')
    await page.evaluate((id) => {
      const element = document.createElement('mitra-product')
      element.setAttribute('product', id)
      document.body.append(element)
    }, newId('prod'))
    await eventually(() =>
      page.locator('mitra-product:last-of-type [part=message]').textContent(),
    ).toBe('Produk ini tidak tersedia.')
    await tab.context.close()
  })

  it('tells a site its key does not allow it, and shows nothing of the shop', async () => {
    const context = await (browser as Browser).newContext()
    const page = await context.newPage()
    await page.goto(`${foreign.url}/`)
    const message = page.locator('mitra-shelf [role=alert]')
    await eventually(() => message.textContent()).toBe(
      `Situs ini (${foreign.url}) tidak diizinkan kunci toko.`,
    )
    expect(await page.locator('mitra-shelf [part=card]').count()).toBe(0)
    await page.goto(`${foreign.url}/en.html`)
    await eventually(() => page.locator('mitra-shelf [role=alert]').textContent()).toBe(
      `This site (${foreign.url}) is not allowed by the shop’s key.`,
    )
    await context.close()
  })

  it('speaks Indonesian by default and English with data-locale="en"', async () => {
    const tab = await open('/en.html')
    const { page } = tab
    const kopi = card(page, 'Hand-drawn batik, coffee motif, indigo')
    await kopi.waitFor()
    expect(await kopi.locator('[part=price]').textContent()).toBe('IDR 450,000')
    expect(await kopi.locator('[part=venue]').textContent()).toBe('sold at Galeri Gemawangi')
    expect(await kopi.locator('[part=stock]').textContent()).toMatch(/^(\d+ left|Sold out)$/)
    expect(await kopi.locator('[part=add]').textContent()).toBe('Add to cart')
    expect(await cartButton(page).textContent()).toMatch(/^Cart \d+$/)
    await page.goto(`${gallery.url}/`)
    const kopiId = card(page, 'Batik tulis motif kopi, indigo')
    await kopiId.waitFor()
    expect(await kopiId.locator('[part=add]').textContent()).toBe('Tambah ke keranjang')
    expect(await cartButton(page).textContent()).toMatch(/^Keranjang \d+$/)
    await tab.context.close()
  })

  it('has no serious or critical axe-core violations on the shelf and in the open drawer', async () => {
    const tab = await open('/', { bypassCSP: true })
    const { page } = tab
    await page.locator('mitra-shelf [part=card]').first().waitFor()
    await eventually(() => page.locator('mitra-shelf [part=logo]').count()).toBeGreaterThan(0)
    expect(await axeSeriousOrCritical(page)).toEqual([])
    await page.locator('mitra-shelf [part=add]:not([disabled])').first().click()
    await eventually(() => cartButton(page).getAttribute('aria-label')).toBe('Keranjang, 1 barang')
    await cartButton(page).click()
    await page.locator('mitra-cart dialog[open] [part=line]').waitFor()
    expect(await axeSeriousOrCritical(page)).toEqual([])
    await tab.context.close()
  })
})
