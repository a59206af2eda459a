// `pnpm --filter @mitra/storefront screenshots`: the shop's main pages at 360 px and 1280 px,
// for this package's README (docs/screenshots/). It runs the README's start command on fresh
// embedded data (the demo network) and walks the buyer's way through it in the system's
// Chromium: home, a maker's brand page, a product, a venue's shelf, the cart, checkout and a
// paid order.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromiumMissing, launchChromium } from '@mitra/browser-testing'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { startMitra } from '../src/testing.js'

if (chromiumMissing) {
  console.error(chromiumMissing)
  process.exit(1)
}
const out = join(import.meta.dirname, '..', 'docs', 'screenshots')
mkdirSync(out, { recursive: true })
const dataDir = mkdtempSync(join(tmpdir(), 'mitra-screenshots-'))
const mitra = await startMitra({ dataDir, env: { MITRA_GALLERY: '0' } })
const browser = await launchChromium()
try {
  for (const width of [360, 1280]) {
    const context = await browser.newContext({
      viewport: { width, height: width === 360 ? 740 : 800 },
      deviceScaleFactor: 1,
    })
    const page = await context.newPage()
    const shot = async (name: string) => {
      // Pictures load lazily: scroll through once so the full page shows them.
      await page.evaluate(async () => {
        for (let y = 0; y < document.body.scrollHeight; y += 600) {
          window.scrollTo(0, y)
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        window.scrollTo(0, 0)
      })
      await page.waitForLoadState('networkidle')
      await save(page, name)
    }
    const go = async (path: RegExp, click: () => Promise<void>) => {
      await click()
      await page.waitForURL(path)
    }
    await page.goto(`${mitra.url}/`)
    await shot('home')
    await go(/\/products\//, () => page.locator('#newest ~ ul .card a.cover').first().click())
    await go(/\/brands\//, () => page.locator('.product .maker a').click())
    await shot('brand')
    await go(/\/products\//, () => page.locator('#products ~ ul .card a.cover').first().click())
    await shot('product')
    await go(/\/venues\//, () => page.locator('article.venue h3 a').first().click())
    await shot('venue')
    await addAndCheckOut(page)
    await context.close()
  }
} finally {
  await browser.close()
  await mitra.stop()
  rmSync(dataDir, { recursive: true, force: true })
}

async function addAndCheckOut(page: Page) {
  await page
    .getByRole('button', { name: /^Tambah ke keranjang/ })
    .first()
    .click()
  await page.waitForURL(/\/cart/)
  await save(page, 'cart')
  await page
    .getByRole('link', { name: /^Bayar pesanan dari/ })
    .first()
    .click()
  await page.waitForURL(/\/checkout\?venue=/)
  await page.getByLabel('Nama', { exact: true }).fill('Sri Wahyuni')
  await page.getByLabel('Nomor HP').fill('0812 3456 7890')
  await save(page, 'checkout')
  await page.getByRole('button', { name: 'Lanjut ke pembayaran' }).click()
  await page.waitForURL(/\/demo-pay\//)
  await page.getByRole('button', { name: /^Pay / }).click()
  await page.waitForURL(/\/orders\/ord_/)
  await save(page, 'order')
}

/** The whole page as `{name}-{width}.png`, in a 256-colour palette: a fifth of the bytes. */
async function save(page: Page, name: string) {
  const file = join(out, `${name}-${page.viewportSize()?.width}.png`)
  const png = await page.screenshot({ fullPage: true })
  await sharp(png).png({ palette: true, quality: 90, effort: 10 }).toFile(file)
  console.log(file)
}
