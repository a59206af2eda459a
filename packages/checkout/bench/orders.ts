/**
 * Checkout end to end, in orders per second: open a cart, add a line, check out (price it,
 * hold the stock at the venue, open a demo payment), pay on the demo page, receive the
 * signed webhook, turn the hold into a sale and post its split. Measured in the same run
 * against a baseline: a counter sale at the venue with its split posted (`sellAtVenue`),
 * the least a sale can cost. 40 shops (a producer and a venue each) share the load. On
 * Postgres, with 32 buyers at once and with 128 (the target is for the latter: the server
 * busy); calls go through `checkoutBatches`, as the server runs them.
 *
 *   pnpm --filter @mitra/checkout bench      (PGlite; Postgres too when DATABASE_URL or
 *                                             TEST_DATABASE_URL names a server)
 */
import { randomBytes } from 'node:crypto'
import { createDatabase, type DatabaseHandle } from '@mitra/db'
import { sellAtVenue } from '@mitra/revenue-share'
import postgres from 'postgres'
import { checkoutBatches } from '../src/batches.js'
import { demoProviders, type Shop, shop } from '../src/testing.js'

const SHOPS = 40

/** `count` calls of `work`, `concurrency` at a time: calls per second and each call's time. */
async function pool<T>(count: number, concurrency: number, work: (i: number) => Promise<T>) {
  let next = 0
  const took: number[] = []
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++
        const start = performance.now()
        await work(i)
        took.push(performance.now() - start)
      }
    }),
  )
  const ms = performance.now() - started
  took.sort((a, b) => a - b)
  const at = (q: number) => took[Math.min(took.length - 1, Math.floor(q * took.length))] ?? 0
  return { ms, perSecond: (count / ms) * 1000, p50: at(0.5), p99: at(0.99) }
}

const latency = (r: { p50: number; p99: number }) =>
  `p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms`

async function run(
  handle: DatabaseHandle,
  orders: number,
  concurrency: number,
  target: number | null,
) {
  const { db } = handle
  const clock = { now: new Date() }
  const { demo, registry } = demoProviders(clock)
  // As the server runs them: calls that arrive together go in batches.
  const batches = checkoutBatches(db, registry)
  const shops: Shop[] = []
  for (let i = 0; i < SHOPS; i++) shops.push(await shop(db, 1_000_000))

  const checkout = async (i: number) => {
    clock.now = new Date()
    const s = shops[i % SHOPS] as Shop
    const channel = { channelId: s.venue.id }
    const cart = await batches.createCart(channel)
    await batches.setCartLine(channel, cart.id, {
      variant_id: s.variants[i % 2] as string,
      venue_id: s.venue.id,
      quantity: 1 + (i % 3),
    })
    const order = await batches.placeOrder(channel, cart.id, {
      fulfilment: 'pickup',
      customer: { name: 'Bench buyer' },
      provider: 'demo',
    })
    const sessionId = (order.redirect_url as string).split('/').at(-1) as string
    const hook = await demo.complete(sessionId, 'pay')
    const applied = await batches.receiveWebhook('demo', {
      rawBody: hook.body,
      headers: new Headers(hook.headers),
    })
    if (applied.outcome !== 'paid') throw new Error(`order ${order.id}: ${applied.outcome}`)
  }
  const counterSale = async (i: number) => {
    const s = shops[i % SHOPS] as Shop
    await sellAtVenue(db, s.venue.staff, {
      venue_id: s.venue.id,
      receipt_number: `B-${i}-${randomBytes(3).toString('hex')}`,
      channel: 'cash',
      lines: [{ variant_id: s.variants[i % 2] as string, quantity: 1 + (i % 3) }],
    })
  }

  await pool(Math.min(4 * concurrency, orders), concurrency, checkout) // warm-up
  await pool(Math.min(4 * concurrency, orders), concurrency, counterSale)
  const baseline = await pool(orders, concurrency, counterSale)
  const measured = await pool(orders, concurrency, checkout)
  const label = `${handle.kind}, ${orders} orders, ${concurrency} at a time`
  console.log(`checkout end to end (${label})`)
  console.log(
    `  baseline counter sale + split: ${baseline.perSecond.toFixed(0)} sales/s (${latency(baseline)})`,
  )
  console.log(
    `  cart → order → demo payment → webhook → sale + split: ${measured.perSecond.toFixed(0)} orders/s (${latency(measured)} per order)`,
  )
  console.log(`  ratio to the baseline: ${(measured.perSecond / baseline.perSecond).toFixed(2)}`)
  if (target !== null) {
    console.log(
      `  target: ≥ ${target} orders/s — ${measured.perSecond >= target ? 'PASS' : 'FAIL'}`,
    )
  }
  return target === null || measured.perSecond >= target
}

let ok = true
if (process.env.BENCH_SKIP_PGLITE === undefined) {
  const embedded = await createDatabase({ dataDir: 'memory://' })
  ok = (await run(embedded, 1_000, 1, null)) && ok
  await embedded.close()
}

const server = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL
if (server) {
  const name = `mitra_bench_${Date.now()}`
  const admin = postgres(server, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  const url = new URL(server)
  url.pathname = `/${name}`
  // Batches grow with the load: 32 buyers at once leave the two cores half idle, waiting
  // on round trips; 128 keep them busy. The target is for the busy server.
  const handle = await createDatabase({ url: url.toString(), maxConnections: 32 })
  try {
    ok = (await run(handle, 3_000, 32, null)) && ok
    ok = (await run(handle, 6_000, 128, 500)) && ok
  } finally {
    await handle.close()
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.end()
  }
} else {
  console.log('Postgres: skipped (set DATABASE_URL or TEST_DATABASE_URL to a server)')
}
process.exitCode = ok ? 0 : 1
