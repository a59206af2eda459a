import { MemoryImageStore } from '@mitra/branding'
import { chromiumMissing, launchChromium, pageWithErrors } from '@mitra/browser-testing'
import { mountConsole } from '@mitra/console'
import { type GallerySite, type RunningGallery, startGallery } from '@mitra/example-gallery-embed'
import { type AppOptions, ensurePlatform } from '@mitra/server'
import { useListeningTestApi } from '@mitra/server/testing'
import { type DemoKeys, seedDemo } from '@mitra/storefront/demo'
import { mountShop } from '@mitra/storefront/shop'
import { loadWidgetBundle } from '@mitra/widget/bundle'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Every kind of HTML page carries its security headers, and Chromium, enforcing them, reports
// no Content-Security-Policy violation while the page does its work.

const imageStore = new MemoryImageStore()
const options: Omit<AppOptions, 'database'> = { imageStore, widget: loadWidgetBundle }
const { api, url } = useListeningTestApi('pglite', options)

let browser: Browser | undefined
let gallery: RunningGallery
let site: GallerySite
let keys: DemoKeys = {}

beforeAll(async () => {
  if (chromiumMissing) return
  gallery = await startGallery({ site: () => site })
  const { db } = api.database()
  await ensurePlatform(db)
  keys = await seedDemo(db, imageStore, [gallery.url])
  const galeri = keys.galeri as { party_id: string; publishable_key: string }
  site = { api: url(), key: galeri.publishable_key, venue: galeri.party_id }
  await mountConsole(api.app(), { database: api.database(), baseUrl: url() })
  await mountShop(api.app(), { database: api.database(), baseUrl: url() })
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await gallery?.close()
})

/** A page opened in Chromium, noting CSP violations and console errors from the start. */
async function open(address: string) {
  const context = await (browser as Browser).newContext()
  await context.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { violations: string[] }).violations = seen
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    )
  })
  const { page, errors } = await pageWithErrors(context)
  const response = await page.goto(address)
  const headers = (await response?.allHeaders()) ?? {}
  const violations = () =>
    page.evaluate(() => (window as unknown as { violations: string[] }).violations)
  return { page, errors, headers, violations }
}

function expectSecured(headers: Record<string, string>, where: string) {
  const policy = headers['content-security-policy'] ?? ''
  expect(policy, where).toContain("default-src 'none'")
  expect(policy, where).toMatch(/frame-ancestors 'none'/)
  expect(policy, where).not.toMatch(/script-src[^;]*'unsafe-inline'/)
  expect(headers['x-content-type-options'], where).toBe('nosniff')
  expect(headers['referrer-policy'], where).toBeTruthy()
}

async function settled(page: Page) {
  await page.waitForLoadState('networkidle')
}

describe.skipIf(chromiumMissing)('security headers on every HTML page', () => {
  it('the shop: headers, and no CSP violation on its pages', async () => {
    for (const path of ['/', '/en', '/no-such-page']) {
      const tab = await open(`${url()}${path}`)
      await settled(tab.page)
      expectSecured(tab.headers, path)
      expect(await tab.violations(), path).toEqual([])
      expect(
        tab.errors.filter((e) => /Content Security Policy/i.test(e)),
        path,
      ).toEqual([])
      await tab.page.context().close()
    }
  })

  it('the console: headers on sign-in and signed-in screens, and no CSP violation', async () => {
    const tab = await open(`${url()}/console`)
    expectSecured(tab.headers, 'sign-in')
    const person = keys.batik?.person as NonNullable<DemoKeys[string]['person']>
    await tab.page.getByLabel(/^Email atau nomor HP/).fill(person.phone.replace('+62', '0'))
    await tab.page.getByLabel('Kata sandi').fill(person.password)
    await tab.page.getByRole('button', { name: 'Masuk' }).click()
    await tab.page.waitForURL(/\/console\/p\/pty_/)
    await settled(tab.page)
    const home = await tab.page.request.get(tab.page.url())
    expectSecured(home.headers(), 'console home')
    expect(await tab.violations()).toEqual([])
    // The audit log screen lists what was done through the API, by whom.
    const made = await api.call('POST', '/v1/admin/api_keys', {
      token: keys.batik?.secret_key as string,
      body: { kind: 'secret', name: 'laporan bulanan' },
    })
    expect(made.status).toBe(201)
    await tab.page.goto(`${url()}/console/p/${keys.batik?.party_id}/people`)
    await tab.page.getByRole('link', { name: 'Catatan perubahan' }).click()
    await tab.page.waitForURL(/\/audit$/)
    const log = (await tab.page.locator('main').textContent()) ?? ''
    expect(log).toContain('Kunci API dibuat')
    expect(log).toContain('kunci API')
    expect(await tab.violations()).toEqual([])
    expect(tab.errors).toEqual([])
    await tab.page.context().close()
  })

  it('the gallery that embeds the widget: headers, the shelf shows, no CSP violation', async () => {
    const tab = await open(`${gallery.url}/`)
    expectSecured(tab.headers, 'gallery')
    expect(tab.headers['content-security-policy']).toContain(`script-src ${url()}`)
    await expect
      .poll(() => tab.page.locator('mitra-shelf [part=card]').count(), { timeout: 15_000 })
      .toBeGreaterThan(0)
    expect(await tab.violations()).toEqual([])
    expect(tab.errors).toEqual([])
    await tab.page.context().close()
  })

  it('the API docs and the checkout pages: headers, and the reference renders under them', async () => {
    const docs = await open(`${url()}/docs`)
    expectSecured(docs.headers, '/docs')
    await expect
      .poll(() => docs.page.locator('.opblock').count(), { timeout: 15_000 })
      .toBeGreaterThan(0)
    expect(await docs.violations()).toEqual([])
    await docs.page.context().close()
    for (const path of ['/docs/errors', '/checkout/success']) {
      const tab = await open(`${url()}${path}`)
      expectSecured(tab.headers, path)
      expect(await tab.violations(), path).toEqual([])
      await tab.page.context().close()
    }
    // JSON answers get nosniff and no page policy.
    const json = await api.app().request('/openapi.json')
    expect(json.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(json.headers.get('Content-Security-Policy')).toBeNull()
  })
})
