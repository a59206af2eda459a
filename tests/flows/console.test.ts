import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { MemoryImageStore } from '@mitra/branding'
import {
  axeSeriousOrCritical,
  chromiumMissing,
  launchChromium,
  pageWithErrors,
} from '@mitra/browser-testing'
import { mountConsole } from '@mitra/console'
import { type AppOptions, ensurePlatform } from '@mitra/server'
import { useListeningTestApi } from '@mitra/server/testing'
import { type DemoKeys, seedDemo } from '@mitra/storefront/demo'
import { mountShop } from '@mitra/storefront/shop'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The partner console as its people use it, one role after another on a 360 px phone, in
// Chromium: the producer delivers, the café counts, sells at the counter and remits, the
// platform settles, the producer confirms and acknowledges, the cooperative sees the month,
// and nobody sees another party's pages.

const imageStore = new MemoryImageStore()
const options: Omit<AppOptions, 'database'> = { imageStore }
const { api, url } = useListeningTestApi('pglite', options)
// `CONSOLE_SCREENSHOTS=1` also writes each role's first screen for the console's README.
const screenshots = process.env.CONSOLE_SCREENSHOTS === '1'
const shots = join(import.meta.dirname, '..', '..', 'apps', 'console', 'docs', 'screenshots')

let browser: Browser | undefined
let keys: DemoKeys = {}

beforeAll(async () => {
  if (chromiumMissing) return
  const { db } = api.database()
  await ensurePlatform(db)
  keys = await seedDemo(db, imageStore, [])
  await mountConsole(api.app(), { database: api.database(), baseUrl: url() })
  await mountShop(api.app(), { database: api.database(), baseUrl: url() })
  browser = await launchChromium()
  if (screenshots) mkdirSync(shots, { recursive: true })
}, 120_000)

afterAll(async () => {
  await browser?.close()
})

interface Person {
  page: Page
  errors: string[]
  /** The party's console root, `/console/p/pty_…`. */
  home: string
}

/** A phone, signed in as the demo person of `party`. */
async function signIn(party: string): Promise<Person> {
  const context = await (browser as Browser).newContext({ viewport: { width: 360, height: 740 } })
  const { page, errors } = await pageWithErrors(context)
  const person = keys[party]?.person as NonNullable<DemoKeys[string]['person']>
  await page.goto(`${url()}/console`)
  await page.waitForURL(/\/console\/sign-in/)
  await page.getByLabel(/^Email atau nomor HP/).fill(person.phone.replace('+62', '0'))
  await page.getByLabel('Kata sandi').fill(person.password)
  await page.getByRole('button', { name: 'Masuk' }).click()
  const home = `/console/p/${keys[party]?.party_id}`
  await page.waitForURL(new RegExp(`${home}$`))
  return { page, errors, home }
}

const fitsThePhone = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)

async function firstScreen(person: Person, name: string) {
  expect(await fitsThePhone(person.page)).toBe(true)
  expect(await axeSeriousOrCritical(person.page)).toEqual([])
  if (screenshots) {
    await person.page.screenshot({ path: join(shots, `${name}-360.png`), fullPage: true })
    // The same screen on a desk's screen, then back to the phone.
    const phone = person.page.viewportSize()
    await person.page.setViewportSize({ width: 1280, height: 900 })
    await person.page.screenshot({ path: join(shots, `${name}-1280.png`), fullPage: true })
    if (phone !== null) await person.page.setViewportSize(phone)
  }
}

describe.skipIf(chromiumMissing)('the console in Chromium, one role after another', () => {
  it('delivers, counts, sells at the counter, settles, remits, confirms and acknowledges', async () => {
    // The producer: where my goods and money are; then a delivery of 10 to the café.
    const sri = await signIn('batik')
    expect(await sri.page.locator('h2#money').textContent()).toBe('Di mana uang saya')
    expect(await sri.page.locator('main').textContent()).toContain('Kafe Banaran 9')
    await firstScreen(sri, 'producer')
    await sri.page.getByRole('link', { name: 'Pengiriman' }).click()
    await sri.page.getByLabel('Tempat penjualan').selectOption({ label: 'Kafe Banaran 9' })
    const line = sri.page.getByLabel(/^Batik tulis motif kopi/)
    await line.fill('10')
    await sri.page.getByRole('button', { name: 'Kirim' }).click()
    await sri.page.waitForURL(/\/deliveries\?done=saved$/)
    const sent = sri.page.locator('.card', { hasText: 'Dikirim, belum dihitung' }).first()
    expect(await sent.textContent()).toContain('Kafe Banaran 9')
    const note = (await sent.locator('h3').textContent())?.split(' → ')[0] as string

    // The café counts it: one arrived damaged.
    const dewi = await signIn('kafe')
    await firstScreen(dewi, 'venue')
    await dewi.page.getByRole('link', { name: new RegExp(note.replaceAll('/', '\\/')) }).click()
    await dewi.page.getByLabel(/^Batik tulis motif kopi/).fill('9')
    await dewi.page.getByLabel(/^Catatan/).fill('Satu kain sobek')
    await dewi.page.getByRole('button', { name: 'Terima dan hitung' }).click()
    await dewi.page.waitForURL(/done=received$/)
    expect(await dewi.page.locator('.notice').textContent()).toBe('Penerimaan tercatat.')

    // The producer sees the café's count.
    await sri.page.reload()
    const counted = sri.page.locator('.card', { hasText: note })
    expect(await counted.locator('.status').textContent()).toBe('Sudah dihitung')
    expect(
      await counted.locator('tr', { hasText: 'Batik tulis motif kopi' }).textContent(),
    ).toMatch(/109$/)

    // The counter: find it by name, sell 3 for cash; the receipt names the maker.
    await dewi.page.getByRole('link', { name: 'Kasir' }).first().click()
    await dewi.page.getByLabel('Cari produk').fill('motif kopi')
    await dewi.page.getByRole('button', { name: 'Cari' }).click()
    await dewi.page.getByLabel(/^Jumlah: Batik tulis motif kopi/).fill('3')
    await dewi.page.getByRole('button', { name: 'Catat penjualan' }).click()
    await dewi.page.waitForURL(/\/sales\/sale_/)
    const receipt = (await dewi.page.locator('main').textContent()) as string
    expect(receipt).toContain('Batik Gemawangi')
    expect(receipt).toContain('Rp1.350.000')

    // The platform settles the month: the café is asked to remit the producers' cash.
    const rina = await signIn('platform')
    await firstScreen(rina, 'platform')
    await rina.page.getByRole('link', { name: 'Penyelesaian' }).click()
    await rina.page.getByRole('button', { name: 'Jalankan penyelesaian' }).click()
    expect(await rina.page.locator('.notice').textContent()).toMatch(/setoran diminta/)

    // The café remits what it holds for the batik group.
    await dewi.page.getByRole('link', { name: 'Setoran' }).click()
    const toSri = dewi.page.locator('.card', { hasText: 'Batik Gemawangi' }).first()
    await toSri.getByLabel(/^Referensi/).fill('Diantar tunai ke Bu Sri')
    await toSri.getByRole('button', { name: 'Catat setoran' }).click()
    await dewi.page.waitForURL(/done=recorded$/)

    // The producer confirms it arrived, then acknowledges the month's statement.
    await sri.page.getByRole('link', { name: 'Setoran' }).click()
    const fromDewi = sri.page.locator('.card', { hasText: 'Kafe Banaran 9' }).first()
    await fromDewi.getByRole('button', { name: 'Konfirmasi diterima' }).click()
    await sri.page.waitForURL(/done=confirmed$/)
    expect(await sri.page.locator('.card .status').first().textContent()).toBe('Diterima')
    await sri.page.getByRole('link', { name: 'Laporan' }).click()
    await sri.page.getByRole('link', { name: /Kafe Banaran 9/ }).click()
    const statement = (await sri.page.locator('main').textContent()) as string
    expect(statement).toContain('Batik tulis motif kopi')
    expect(statement).not.toMatch(/sale_|var_|pty_/)
    await sri.page.getByRole('button', { name: 'Setujui laporan ini' }).click()
    await sri.page.waitForURL(/done=acknowledged$/)
    expect(await sri.page.getByRole('button', { name: 'Setujui laporan ini' }).count()).toBe(0)

    // The cooperative sees the month: the three sold among its members' goods.
    const bambang = await signIn('cluster')
    await firstScreen(bambang, 'cooperative')
    const month = (await bambang.page.locator('main').textContent()) as string
    expect(month).toContain('Batik Gemawangi')
    expect(month).toContain('Kafe Banaran 9')

    for (const person of [sri, dewi, rina, bambang]) expect(person.errors).toEqual([])
  }, 180_000)

  it("shows nobody another party's pages or data", async () => {
    const dewi = await signIn('kafe')
    const batik = `/console/p/${keys.batik?.party_id}`
    for (const path of [batik, `${batik}/deliveries`, `${batik}/remittances`, `${batik}/labels`]) {
      const answer = await dewi.page.goto(`${url()}${path}`)
      expect(answer?.status()).toBe(404)
      expect(await dewi.page.locator('main').textContent()).not.toContain('Batik tulis')
    }
    // Signed out, the console asks who you are first.
    const context = await (browser as Browser).newContext()
    const anonymous = await context.newPage()
    await anonymous.goto(`${url()}${batik}`)
    expect(anonymous.url()).toContain('/console/sign-in?next=')
    await context.close()
  })
})
