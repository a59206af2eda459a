import { MemoryImageStore } from '@mitra/branding'
import {
  axeSeriousOrCritical,
  chromiumMissing,
  launchChromium,
  pageWithErrors,
} from '@mitra/browser-testing'
import { type AppOptions, ensurePlatform } from '@mitra/server'
import { useListeningTestApi } from '@mitra/server/testing'
import { seedDemo } from '@mitra/storefront/demo'
import { mountShop } from '@mitra/storefront/shop'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The shop as buyers use it: the real server (API and shop on one origin, in-process on
// PGlite with the demo network) behind a real socket, in Chromium, with and without
// JavaScript, on a 360 px phone.

const imageStore = new MemoryImageStore()
const options: Omit<AppOptions, 'database'> = { imageStore }
// The API listens before the app exists, so the app's public URL is known.
const { api, url: shopUrl } = useListeningTestApi('pglite', options)

let browser: Browser | undefined
let shopKey = ''

beforeAll(async () => {
  if (chromiumMissing) return
  const { db } = api.database()
  await ensurePlatform(db)
  await seedDemo(db, imageStore, [])
  shopKey = (await mountShop(api.app(), { database: api.database(), baseUrl: shopUrl() })).key
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
})

interface Tab {
  page: Page
  /** Console errors and uncaught exceptions. */
  errors: string[]
  /** `securitypolicyviolation` events seen on every page, as `directive blocked-uri`. */
  violations(): Promise<string[]>
  close(): Promise<void>
}

async function open(setup: BrowserContextOptions = {}): Promise<Tab> {
  const context = await (browser as Browser).newContext({
    viewport: { width: 360, height: 740 },
    ...setup,
  })
  await context.addInitScript(() => {
    const seen = JSON.parse(sessionStorage.getItem('violations') ?? '[]') as string[]
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} ${event.blockedURI}`)
      sessionStorage.setItem('violations', JSON.stringify(seen))
    })
  })
  const { page, errors } = await pageWithErrors(context)
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`)
  })
  return {
    page,
    errors,
    violations: async () =>
      setup.javaScriptEnabled === false
        ? []
        : page.evaluate(() => JSON.parse(sessionStorage.getItem('violations') ?? '[]')),
    close: () => context.close(),
  }
}

/** Nothing wider than a 360 px phone: no sideways scrolling. */
const fitsThePhone = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)

/**
 * The buyer's way through the shop: a product from the home page, its maker's brand page, one
 * of the brand's products, added to the cart at the café, checked out (pickup, demo provider),
 * paid on the demo page, and the order page saying it is paid.
 */
async function buy(tab: Tab, name: string) {
  const { page } = tab
  await page.goto(`${shopUrl()}/`)
  expect(await page.locator('h1').textContent()).toBe('Belanja langsung dari kelompok usaha desa')
  expect(await fitsThePhone(page)).toBe(true)

  // A product from what is new, then its maker's brand.
  await page.locator('#newest ~ ul .card a.cover').first().click()
  await page.waitForURL(/\/products\/prod_/)
  await page.locator('.product .maker a').click()
  await page.waitForURL(/\/brands\//)
  expect(await page.locator('.brand-hero h1').textContent()).toBeTruthy()
  expect(await page.locator('.brand-hero .badge').textContent()).toBe('Merek kolektif')
  expect(await fitsThePhone(page)).toBe(true)

  // One of the brand's products, at the café: into the cart.
  await page.locator('#products ~ ul .card a.cover').first().click()
  await page.waitForURL(/\/products\/prod_/)
  const title = (await page.locator('h1').textContent()) as string
  const atKafe = page.locator('article.venue', { hasText: 'Kafe Banaran 9' })
  const stock = (await atKafe.locator('.stock').first().textContent()) as string
  expect(stock).toMatch(/^Sisa \d+$/)
  await atKafe
    .getByRole('button', { name: /^Tambah ke keranjang/ })
    .first()
    .click()
  await page.waitForURL(/\/cart\?done=added$/)
  expect(await page.locator('.notice').textContent()).toBe('Barang masuk keranjang.')
  expect(await page.locator('.line strong').first().textContent()).toContain(title.slice(0, 10))
  expect(await page.locator('header.site').textContent()).toContain('Keranjang (1)')

  // Checkout: pickup at the café, name and phone, the demo provider.
  await page.getByRole('link', { name: 'Bayar pesanan dari Kafe Banaran 9' }).click()
  await page.waitForURL(/\/checkout\?venue=/)
  expect(await page.getByLabel('Ambil di Kafe Banaran 9').isChecked()).toBe(true)
  await page.getByLabel('Nama', { exact: true }).fill(name)
  await page.getByLabel('Nomor HP').fill('0812 3456 7890')
  expect(await page.getByLabel('Demo (tanpa uang sungguhan)').isChecked()).toBe(true)
  await page.getByRole('button', { name: 'Lanjut ke pembayaran' }).click()

  // The demo provider's page, then back to the order, paid.
  await page.waitForURL(/\/demo-pay\//)
  await page.getByRole('button', { name: /^Pay / }).click()
  await page.waitForURL(/\/orders\/ord_[0-9a-z]{26}$/)
  expect(await page.locator('p.status').textContent()).toBe('Sudah dibayar')
  expect(await page.locator('main').textContent()).toContain('Diambil di Kafe Banaran 9')
  const id = new URL(page.url()).pathname.split('/').at(-1) as string
  // Coming back later: the same page.
  await page.reload()
  expect(await page.locator('p.status').textContent()).toBe('Sudah dibayar')
  return id
}

describe.skipIf(chromiumMissing)('the shop in Chromium', () => {
  it('sells with JavaScript on: home, brand, product, cart, checkout, demo payment, order paid', async () => {
    const tab = await open()
    const id = await buy(tab, 'Sari Wulandari')
    // The buyer's browser keeps the order's access token in an httpOnly cookie.
    const cookie = (await tab.page.context().cookies()).find((c) => c.name === `mitra_order_${id}`)
    expect(cookie?.httpOnly).toBe(true)
    const order = await api.call('GET', `/v1/store/orders/${id}`, {
      token: shopKey,
      headers: { 'Mitra-Order-Token': cookie?.value ?? '' },
    })
    expect(order.json).toMatchObject({
      status: 'paid',
      fulfilment: 'pickup',
      provider: 'demo',
      customer: { name: 'Sari Wulandari', phone: '0812 3456 7890' },
    })
    expect(tab.errors).toEqual([])
    expect(await tab.violations()).toEqual([])
    await tab.close()
  })

  it('sells the same way with JavaScript off', async () => {
    const tab = await open({ javaScriptEnabled: false })
    await buy(tab, 'Budi Santoso')
    expect(tab.errors).toEqual([])
    await tab.close()
  })

  it('enhances the cart and checkout with its script: quantities apply, the address shows for delivery', async () => {
    const tab = await open()
    const { page } = tab
    await page.goto(`${shopUrl()}/venues/kafe-banaran-9`)
    await page
      .getByRole('button', { name: /^Tambah ke keranjang/ })
      .first()
      .click()
    await page.waitForURL(/\/cart/)
    // No update button: choosing a quantity applies it.
    expect(await page.getByRole('button', { name: /^Ubah/ }).isHidden()).toBe(true)
    await page.locator('select.qty').first().selectOption('2')
    await page.waitForURL(/done=updated/)
    expect(await page.locator('header.site').textContent()).toContain('Keranjang (2)')
    await page.getByRole('link', { name: /^Bayar pesanan dari/ }).click()
    const address = page.locator('fieldset[data-address]')
    expect(await address.isHidden()).toBe(true)
    await page.getByLabel(/^Dikirim/).check()
    expect(await address.isVisible()).toBe(true)
    expect(await page.getByLabel('Alamat', { exact: true }).getAttribute('required')).toBe('')
    expect(tab.errors).toEqual([])
    expect(await tab.violations()).toEqual([])
    await tab.close()
  })

  it('switches between Indonesian and English, and remembers the choice', async () => {
    const tab = await open()
    const { page } = tab
    await page.goto(`${shopUrl()}/brands/batik-gemawangi`)
    expect(await page.locator('html').getAttribute('lang')).toBe('id')
    await page.getByRole('link', { name: 'English' }).click()
    await page.waitForURL(`${shopUrl()}/en/brands/batik-gemawangi`)
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    expect(await page.locator('#products').textContent()).toBe('Products')
    expect(await page.locator('.brand-hero .tagline').textContent()).toBe(
      'Hand-drawn natural-dye batik from the slopes of Ungaran',
    )
    // An Indonesian link now opens the English page.
    await page.goto(`${shopUrl()}/`)
    expect(new URL(page.url()).pathname).toBe('/en')
    expect(await page.locator('main').textContent()).toMatch(/IDR [\d,]+/)
    await page.getByRole('link', { name: 'Bahasa Indonesia' }).click()
    await page.waitForURL(`${shopUrl()}/`)
    expect(await page.locator('html').getAttribute('lang')).toBe('id')
    expect(await page.locator('main').textContent()).toMatch(/Rp[\d.]+/)
    await tab.close()
  })

  it('has no serious accessibility problem on its pages (axe-core)', async () => {
    const tab = await open()
    const { page } = tab
    await page.goto(`${shopUrl()}/venues/kafe-banaran-9`)
    await page
      .getByRole('button', { name: /^Tambah ke keranjang/ })
      .first()
      .click()
    await page.waitForURL(/\/cart/)
    const checkout = await page
      .getByRole('link', { name: /^Bayar pesanan dari/ })
      .getAttribute('href')
    for (const path of [
      '/',
      '/brands/batik-gemawangi',
      '/brands/desa-vokasi-gemawang',
      '/venues/galeri-gemawangi',
      '/search?q=madu',
      '/cart',
      checkout as string,
      '/en/no-such-page',
    ]) {
      await page.goto(`${shopUrl()}${path}`)
      expect(await axeSeriousOrCritical(page), path).toEqual([])
      expect(await fitsThePhone(page), path).toBe(true)
    }
    await page.goto(`${shopUrl()}/`)
    await page.locator('#newest ~ ul .card a.cover').first().click()
    expect(await axeSeriousOrCritical(page)).toEqual([])
    await tab.close()
  })
})
