// `pnpm --filter @mitra/storefront bench` (part of `pnpm bench`): the shop as a buyer meets it.
// It runs the README's start command on a fresh data folder (embedded PGlite, the demo network),
// then for the home, a brand and a product page:
//  - the HTML's answer time over HTTP, no cache, median of 20, against the 50 ms budget and
//    against robots.txt from the same server in the same run (the floor: no data read);
//  - Lighthouse's four scores with its mobile settings in the system's Chromium, the best of
//    three runs (`--runs N`), against the 95 aim.
// It exits non-zero when a page misses either.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromiumMissing } from '@mitra/browser-testing'
import { startMitra } from '../src/testing.js'

const samples = 20
const budgetMs = 50
const aim = 95
const runsArg = process.argv.indexOf('--runs')
const lighthouseRuns = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

/** Milliseconds to the whole answer, each request on a new connection, no cache. */
async function answerTimes(url: string): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < samples + 2; i++) {
    const began = performance.now()
    const response = await fetch(url, {
      headers: { 'cache-control': 'no-cache', connection: 'close', accept: 'text/html' },
    })
    await response.text()
    if (!response.ok) throw new Error(`${url} answered ${response.status}`)
    // The first two warm the server's code paths, as any running server's are.
    if (i >= 2) times.push(performance.now() - began)
  }
  return times
}

const dataDir = mkdtempSync(join(tmpdir(), 'mitra-shop-bench-'))
const mitra = await startMitra({ dataDir, env: { MITRA_GALLERY: '0' } })
try {
  // The pages a buyer lands on, found as a search engine would: from the sitemap.
  const sitemap = await (await fetch(`${mitra.url}/sitemap.xml`)).text()
  const urls = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1] as string)
  const firstOf = (path: string) => {
    const found = urls.find((url) => new URL(url).pathname.startsWith(path))
    if (found === undefined) throw new Error(`no ${path} page in the sitemap`)
    return `${mitra.url}${new URL(found).pathname}`
  }
  const product = firstOf('/products/')
  // The product's maker's page (the sitemap's first brand may be a cooperative's).
  const productHtml = await (await fetch(product)).text()
  const brandPath = /href="(\/brands\/[^"]+)"/.exec(productHtml)?.[1]
  const pages = [
    { name: 'home', url: `${mitra.url}/` },
    { name: 'brand', url: brandPath ? `${mitra.url}${brandPath}` : firstOf('/brands/') },
    { name: 'product', url: product },
  ]

  const floor = median(await answerTimes(`${mitra.url}/robots.txt`))
  console.log(`HTML answer, median of ${samples} over HTTP, uncached (budget ${budgetMs} ms)`)
  console.log(`  robots.txt (floor) ${floor.toFixed(1)} ms`)
  let missed = 0
  for (const page of pages) {
    const times = await answerTimes(page.url)
    const middle = median(times)
    if (middle > budgetMs) missed++
    console.log(
      `  ${page.name.padEnd(8)} ${middle.toFixed(1).padStart(5)} ms  ` +
        `(max ${Math.max(...times).toFixed(1)})  ${(middle / budgetMs).toFixed(2)} of budget, ` +
        `${(middle / floor).toFixed(1)}× the floor  ${new URL(page.url).pathname}`,
    )
  }

  if (chromiumMissing) {
    console.log(`Lighthouse: not run (${chromiumMissing})`)
  } else {
    const { lighthouseCategories, lighthouseScores } = await import(
      '@mitra/browser-testing/lighthouse'
    )
    console.log(`Lighthouse, mobile settings, best of ${lighthouseRuns} (aim ${aim} each)`)
    console.log(`  ${'page'.padEnd(8)} ${lighthouseCategories.map((c) => c.padStart(15)).join('')}`)
    for (const page of pages) {
      const runs = await lighthouseScores(Array(lighthouseRuns).fill(page.url))
      const best = lighthouseCategories.map((c) => Math.max(...runs.map((run) => run.scores[c])))
      console.log(`  ${page.name.padEnd(8)} ${best.map((s) => String(s).padStart(15)).join('')}`)
      const below = [...new Set(runs.flatMap((run) => run.failing))]
      if (best.some((score) => score < aim)) {
        missed++
        for (const audit of below) console.log(`      ${audit}`)
      }
    }
  }
  if (missed > 0) {
    console.log(`${missed} target(s) missed`)
    process.exitCode = 1
  }
} finally {
  await mitra.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
