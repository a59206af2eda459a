// `pnpm --filter @mitra/tests bench` (part of `pnpm bench`): from the widget's script running
// to the shelf's first 24 cards painted, in Chromium with its CPU slowed 4×, the API on this
// machine (the real server on PGlite, the demo network plus a fuller shelf) and the page on
// another origin (examples/gallery-embed). Median of 10 runs, against the 200 ms aim.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalDiskImageStore, uploadMedia } from '@mitra/branding'
import { chromiumMissing, launchChromium } from '@mitra/browser-testing'
import { createProduct, setProductStatus } from '@mitra/catalog'
import { receiveDelivery, sendDelivery } from '@mitra/consignment'
import { createDatabase } from '@mitra/db'
import { type GallerySite, startGallery } from '@mitra/example-gallery-embed'
import { createApp, ensurePlatform, listen } from '@mitra/server'
import { seedDemo } from '@mitra/storefront/demo'
import { loadWidgetBundle } from '@mitra/widget/bundle'
import sharp from 'sharp'

if (chromiumMissing) {
  console.log(`widget first paint: not measured (${chromiumMissing})`)
  process.exit(0)
}
const runs = 10
const aimMs = 200
const folder = mkdtempSync(join(tmpdir(), 'mitra-paint-'))
const database = await createDatabase({ dataDir: join(folder, 'data') })
const imageStore = new LocalDiskImageStore(join(folder, 'media'))
let site: GallerySite | undefined
const gallery = await startGallery({ site: () => site as GallerySite })
try {
  await ensurePlatform(database.db)
  const keys = await seedDemo(database.db, imageStore, [gallery.url])
  const batik = keys.batik?.party_id as string
  const galeri = keys.galeri as { party_id: string; publishable_key: string }

  // 24 more batik products on the gallery's shelf, with a photo each.
  const scope = { partyId: batik, role: 'owner' as const }
  const photo = await uploadMedia(
    database.db,
    imageStore,
    batik,
    new Uint8Array(
      await sharp({ create: { width: 800, height: 800, channels: 3, background: '#1f3a5f' } })
        .jpeg()
        .toBuffer(),
    ),
  )
  const lines = []
  for (let i = 1; i <= 24; i++) {
    const product = await createProduct(database.db, scope, {
      title: { id: `Batik tulis nomor ${i}`, en: `Hand-drawn batik no. ${i}` },
      category: 'batik',
      materials: ['katun'],
      tags: [],
      origin: { village: 'Gemawang' },
      variants: [
        {
          sku: `BG-B-${i}`,
          options: {},
          weight_grams: 300,
          price: { amount: 150_000 + i * 5_000, currency: 'IDR' },
        },
      ],
      media: [{ media_id: photo.id, alt: { id: `Batik ${i}`, en: `Batik ${i}` } }],
    })
    await setProductStatus(database.db, scope, product.id, 'active')
    lines.push({ variant_id: product.variants[0]?.id as string, quantity: 5 })
  }
  const note = await sendDelivery(database.db, scope, {
    venue_id: galeri.party_id,
    note_number: 'SJ/BENCH/001',
    lines,
  })
  await receiveDelivery(database.db, { partyId: galeri.party_id, role: 'owner' }, note.id, {
    lines,
  })

  const app = createApp({ database, imageStore, widget: loadWidgetBundle })
  const api = await listen(app, 0)
  site = { api: api.url, key: galeri.publishable_key, venue: galeri.party_id }
  const browser = await launchChromium()
  try {
    const context = await browser.newContext()
    // From the moment the widget's script can run (downloaded, and the page parsed: a module
    // script waits for that) to the frame after the 24th card is in the shelf. A string, not a
    // function: tsx would wrap a function's inner functions in a helper the page lacks.
    await context.addInitScript(`
      const check = () => {
        const cards = document.querySelector('mitra-shelf')?.shadowRoot?.querySelectorAll('[part=card]')
        if ((cards?.length ?? 0) < 24) return requestAnimationFrame(check)
        requestAnimationFrame(() => {
          const script = performance.getEntriesByType('resource').find((e) => e.name.includes('/widget/v1'))
          const parsed = performance.getEntriesByType('navigation')[0].domInteractive
          window.painted = performance.now() - Math.max(script.responseEnd, parsed)
        })
      }
      requestAnimationFrame(check)
    `)
    const times: number[] = []
    for (let run = 0; run <= runs; run++) {
      const page = await context.newPage()
      const cdp = await context.newCDPSession(page)
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
      await page.goto(`${gallery.url}/strict.html`)
      const painted = (await (
        await page.waitForFunction(
          () => (window as unknown as { painted?: number }).painted,
          null,
          {
            timeout: 30_000,
          },
        )
      ).jsonValue()) as number
      // The first run warms the server's caches and the browser's script cache: not counted.
      if (run > 0) times.push(painted)
      await page.close()
    }
    times.sort((a, b) => a - b)
    const median = ((times[runs / 2 - 1] as number) + (times[runs / 2] as number)) / 2
    console.log(
      `widget: script running → 24 cards painted, CPU 4× slower: median ${median.toFixed(0)} ms of ${runs} (min ${times[0]?.toFixed(0)}, max ${times.at(-1)?.toFixed(0)}); aim ${aimMs} ms: ${(median / aimMs).toFixed(2)} of it`,
    )
  } finally {
    await browser.close()
    await api.close()
  }
} finally {
  await gallery.close()
  await database.close()
  rmSync(folder, { recursive: true, force: true })
}
