/*
 * Crash test: the real server on Postgres under checkout load, killed with SIGKILL mid-load
 * several times and restarted, then checked in SQL. `pnpm --filter @mitra/tests crash`.
 *
 * It makes a fresh database beside TEST_DATABASE_URL (or DATABASE_URL), starts mitra on it
 * with the demo network, runs buyers that check out and pay (or fail, cancel, pay and cancel
 * at once, or walk away) on the demo provider, and kills the server's whole process group
 * without warning every few seconds. After the last round it lets the workers reconcile
 * with a clock two days on (every payment window and hold long over), then checks the
 * invariants below and exits 1 if any fails. Options: CRASH_ROUNDS (5), CRASH_ROUND_MS
 * (12000), CRASH_BUYERS (8), CRASH_KEEP_DB=1 to keep the database.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { databaseDemoBank } from '@mitra/checkout'
import { ManualClock } from '@mitra/core'
import { createDatabase, type Database } from '@mitra/db'
import { paymentProvidersFromEnv, startWorkers } from '@mitra/server'
import { type StartedMitra, startMitra } from '@mitra/storefront/testing'
import { sql } from 'drizzle-orm'

const rounds = Number(process.env.CRASH_ROUNDS ?? 5)
const roundMs = Number(process.env.CRASH_ROUND_MS ?? 12_000)
const buyers = Number(process.env.CRASH_BUYERS ?? 8)
const webhookSecret = 'crash-test-demo-secret'
const baseUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL
if (baseUrl === undefined || baseUrl === '') {
  console.error('crash: set TEST_DATABASE_URL or DATABASE_URL to a Postgres server')
  process.exit(2)
}

// A fresh database of its own, beside the one named.
const dbName = `mitra_crash_${Date.now()}`
const admin = await createDatabase({ url: baseUrl, migrate: false, maxConnections: 1 })
await admin.db.execute(sql.raw(`create database ${dbName}`))
await admin.close()
const url = new URL(baseUrl)
url.pathname = `/${dbName}`
const databaseUrl = url.toString()
const dataDir = mkdtempSync(join(tmpdir(), 'mitra-crash-'))
const env = {
  DATABASE_URL: databaseUrl,
  MITRA_GALLERY: '0',
  MITRA_LOG_REQUESTS: '0',
  MITRA_DEMO_WEBHOOK_SECRET: webhookSecret,
}

/** The fields of the API's answers this command reads. */
interface Answer {
  id: string
  redirect_url: string
  access_token?: string
  data?: { variant_id: string; available: number }[]
}

/** One HTTP request from the client address `from` (a buyer's own, so limits are per buyer). */
function call(
  server: string,
  from: string,
  method: string,
  path: string,
  options: {
    token?: string
    json?: unknown
    form?: Record<string, string>
    headers?: Record<string, string>
  } = {},
): Promise<{ status: number; json: Answer; location: string | null }> {
  const target = new URL(path, server)
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let body: string | undefined
  if (options.json !== undefined) {
    body = JSON.stringify(options.json)
    headers['content-type'] = 'application/json'
  } else if (options.form !== undefined) {
    body = new URLSearchParams(options.form).toString()
    headers['content-type'] = 'application/x-www-form-urlencoded'
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers,
        localAddress: from,
        timeout: 30_000,
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => {
          text += chunk
        })
        res.on('end', () => {
          let json = {} as Answer
          try {
            if (text !== '') json = JSON.parse(text) as Answer
          } catch {}
          resolve({ status: res.statusCode ?? 0, json, location: res.headers.location ?? null })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.end(body)
  })
}

interface Shop {
  venueId: string
  publishable: string
  variants: string[]
}

/** The demo venues that sell online, and what each has. */
async function shops(server: string): Promise<Shop[]> {
  const keys = JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8')) as Record<
    string,
    { party_id: string; publishable_key?: string }
  >
  const found: Shop[] = []
  for (const key of Object.values(keys)) {
    if (key.publishable_key === undefined) continue
    const page = await call(
      server,
      '127.0.0.1',
      'GET',
      `/v1/store/venues/${key.party_id}/available`,
      {
        token: key.publishable_key,
      },
    )
    const variants = (page.json.data ?? [])
      .filter((row) => row.available > 0)
      .map((row) => row.variant_id)
    if (variants.length > 0) {
      found.push({ venueId: key.party_id, publishable: key.publishable_key, variants })
    }
  }
  return found
}

const tally = new Map<string, number>()
const count = (what: string) => tally.set(what, (tally.get(what) ?? 0) + 1)
const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)] as T

/** One buyer: checks out one or two units, then pays, fails, cancels, races both, or leaves. */
async function buy(server: string, from: string, shop: Shop) {
  const token = shop.publishable
  const cart = await call(server, from, 'POST', '/v1/store/carts', { token })
  if (cart.status !== 201) return count(`cart ${cart.status}`)
  await call(server, from, 'POST', `/v1/store/carts/${cart.json.id}/lines`, {
    token,
    json: {
      variant_id: pick(shop.variants),
      venue_id: shop.venueId,
      quantity: 1 + Math.floor(Math.random() * 2),
    },
  })
  const order = await call(server, from, 'POST', `/v1/store/carts/${cart.json.id}/checkout`, {
    token,
    json: { fulfilment: 'pickup', customer: { name: 'Crash buyer' }, provider: 'demo' },
  })
  if (order.status !== 201) return count(`checkout ${order.status}`)
  count('checked out')
  const payPage = new URL(order.json.redirect_url).pathname
  const pay = () => call(server, from, 'POST', `${payPage}/pay`, { form: { method: 'qris' } })
  const cancel = () =>
    call(server, from, 'POST', `/v1/store/orders/${order.json.id}/cancel`, {
      token,
      headers: { 'Mitra-Order-Token': order.json.access_token ?? '' },
    })
  const roll = Math.random()
  if (roll < 0.4) count(`pay ${(await pay()).status}`)
  else if (roll < 0.5) count(`fail ${(await call(server, from, 'POST', `${payPage}/fail`)).status}`)
  else if (roll < 0.65) count(`cancel ${(await cancel()).status}`)
  else if (roll < 0.85) {
    // The buyer pays in one tab and cancels in another, at once.
    const [paid, canceled] = await Promise.all([pay(), cancel()])
    count(`pay+cancel ${paid.status}/${canceled.status}`)
  } else count('walked away')
}

/** Buyers at work until `until`, each from a client address of its own. */
async function load(server: string, available: Shop[], until: number) {
  await Promise.all(
    Array.from({ length: buyers }, async (_, index) => {
      const from = `127.0.0.${10 + index}`
      while (Date.now() < until) {
        try {
          await buy(server, from, pick(available))
        } catch {
          // The server died under it: the next start picks up.
          count('connection lost')
          await new Promise((resolve) => setTimeout(resolve, 200))
        }
      }
    }),
  )
}

function kill(mitra: StartedMitra) {
  process.kill(-(mitra.child.pid as number), 'SIGKILL')
  return mitra.exited
}

const started = performance.now()
let mitra = await startMitra({ dataDir, env })
console.log(`crash: mitra on ${dbName} at ${mitra.url}`)
const available = await shops(mitra.url)
if (available.length === 0) throw new Error('no demo venue sells online')
for (let round = 1; round <= rounds; round++) {
  const until = Date.now() + roundMs
  const killAt = roundMs * (0.4 + Math.random() * 0.5)
  const working = load(mitra.url, available, until)
  await new Promise((resolve) => setTimeout(resolve, killAt))
  await kill(mitra)
  count('SIGKILL')
  console.log(`crash: round ${round}: killed after ${(killAt / 1000).toFixed(1)} s`)
  await working.catch(() => {})
  mitra = await startMitra({ dataDir, env })
}
// A last round of load on the restarted server, then a clean stop.
await load(mitra.url, available, Date.now() + roundMs / 2)

// Time passes: the workers of two instances reconcile, release, and refund what is owed.
const handle = await createDatabase({ url: databaseUrl, migrate: false })
const db = handle.db
const payments = paymentProvidersFromEnv(
  { MITRA_DEMO_WEBHOOK_SECRET: webhookSecret },
  { baseUrl: mitra.url, bank: databaseDemoBank(db) },
)
// First passes in the next minutes, as the server's own workers would make them; then two
// days on.
const clock = new ManualClock(Date.now() + 60_000)
const errors: string[] = []
for (let pass = 0; pass < 6; pass++) {
  // Minutes on: refunds left unsent by a kill are sent again (5 min after their claim).
  if (pass === 1) clock.advance(10 * 60_000)
  // Two days on: every payment window and stock hold is over.
  if (pass === 2) clock.advance(2 * 24 * 3_600_000)
  const instances = [1, 2].map(() =>
    startWorkers(db, { payments, clock, onError: (error) => errors.push(String(error)) }),
  )
  await Promise.all(instances.map((w) => w.runOnce()))
  for (const w of instances) w.stop()
  clock.advance(10 * 60_000)
}
await mitra.stop('SIGTERM')

const invariants = await check(db, clock.now())
const figures = await summary(db)
await handle.close()

console.log('\ncrash: load')
for (const [what, n] of [...tally].sort()) console.log(`  ${what.padEnd(28)} ${n}`)
console.log('\ncrash: orders after reconciliation')
for (const [what, n] of figures) console.log(`  ${what.padEnd(28)} ${n}`)
if (errors.length > 0)
  console.log(`\ncrash: worker errors: ${errors.length}\n  ${errors.slice(0, 5).join('\n  ')}`)
console.log('\ncrash: invariants')
for (const { name, violations } of invariants) {
  console.log(
    `  ${violations === 0 ? 'ok  ' : 'FAIL'} ${name}${violations === 0 ? '' : ` (${violations})`}`,
  )
}
console.log(`\ncrash: ${rounds} SIGKILLs, ${((performance.now() - started) / 1000).toFixed(0)} s`)
if (process.env.CRASH_KEEP_DB !== '1') {
  const drop = await createDatabase({ url: baseUrl, migrate: false, maxConnections: 1 })
  await drop.db.execute(sql.raw(`drop database if exists ${dbName}`))
  await drop.close()
  rmSync(dataDir, { recursive: true, force: true })
} else console.log(`crash: kept ${dbName} and ${dataDir}`)
process.exit(invariants.every((i) => i.violations === 0) ? 0 : 1)

/** Each invariant as a query counting what breaks it. */
async function check(db: Database, now: Date) {
  const queries: [string, ReturnType<typeof sql>][] = [
    [
      'stock on hand and reserved = Σ stock movements',
      sql`select count(*)::int as n from stock_levels s
        left join (select venue_id, variant_id, sum(on_hand_delta) as on_hand, sum(reserved_delta) as reserved
          from stock_movements group by venue_id, variant_id) m
          on m.venue_id = s.venue_id and m.variant_id = s.variant_id
        where s.on_hand <> coalesce(m.on_hand, 0) or s.reserved <> coalesce(m.reserved, 0)`,
    ],
    [
      'stock reserved = Σ held reservations',
      sql`select count(*)::int as n from stock_levels s
        left join (select r.venue_id, l.variant_id, sum(l.quantity) as held
          from stock_reservations r join stock_reservation_lines l on l.reservation_id = r.id
          where r.status = 'held' group by r.venue_id, l.variant_id) h
          on h.venue_id = s.venue_id and h.variant_id = s.variant_id
        where s.reserved <> coalesce(h.held, 0)`,
    ],
    [
      'no pending order past its deadline',
      sql`select count(*)::int as n from orders
        where status = 'pending_payment' and expires_at < ${now.toISOString()}::timestamptz`,
    ],
    [
      'no closed order still holding stock',
      sql`select count(*)::int as n from orders o
        join order_venues v on v.order_id = o.id
        join stock_reservations r on r.id = v.reservation_id
        where r.status = 'held' and o.status <> 'pending_payment'`,
    ],
    [
      'every paid order line is a sale line with postings',
      sql`select count(*)::int as n from order_lines l join orders o on o.id = l.order_id
        where o.status in ('paid', 'ready_for_pickup', 'shipped', 'completed', 'partially_refunded', 'refunded')
          and (l.sale_line_id is null
            or not exists (select 1 from journal_lines j where j.sale_line_id = l.sale_line_id))`,
    ],
    [
      "each paid line's sale = its line total",
      sql`select count(*)::int as n from order_lines l join orders o on o.id = l.order_id
        join venue_sales vs on vs.id = (select sale_id from order_venues v where v.order_id = o.id)
        where l.sale_line_id is not null and l.line_total <> (
          select coalesce(-sum(m.on_hand_delta * m.unit_price_amount), 0) from stock_movements m
          where m.kind = 'sale' and m.document_id = vs.id and m.variant_id = l.variant_id)`,
    ],
    [
      'no sale and no posting for an unpaid order',
      sql`select count(*)::int as n from orders o
        where o.status in ('canceled', 'expired', 'pending_payment')
          and (exists (select 1 from order_lines l where l.order_id = o.id and l.sale_line_id is not null)
            or exists (select 1 from order_venues v where v.order_id = o.id and v.sale_id is not null))`,
    ],
    [
      'refunds never exceed what was paid',
      sql`select count(*)::int as n from orders o
        where o.refunded_amount > coalesce(o.paid_amount, 0)
          or (select coalesce(sum(amount), 0) from order_refunds r
              where r.order_id = o.id and r.status <> 'failed') > coalesce(o.paid_amount, 0)`,
    ],
    [
      'each canceled-but-paid order refunded in full, once',
      sql`select count(*)::int as n from orders o
        where o.status in ('canceled', 'expired') and o.paid_amount is not null
          and ((select count(*) from order_refunds r where r.order_id = o.id) <> 1
            or (select count(*) from order_refunds r
                where r.order_id = o.id and r.status = 'succeeded' and r.amount = o.paid_amount) <> 1
            or o.refunded_amount <> o.paid_amount)`,
    ],
    [
      'the demo bank refunded what mitra did, never more',
      sql`select count(*)::int as n from orders o join demo_sessions d on d.order_id = o.id
        where d.refunded <> o.refunded_amount
          or (d.state in ('paid', 'refunded', 'partially_refunded')) <> (o.paid_amount is not null)`,
    ],
    [
      'every journal transaction balances',
      sql`select count(*)::int as n from (select transaction_id from journal_lines
        group by transaction_id, currency having sum(amount) <> 0) t`,
    ],
    [
      'trial balance of the journal = 0',
      sql`select count(*)::int as n from (select currency from journal_lines
        group by currency having sum(amount) <> 0) t`,
    ],
  ]
  const results: { name: string; violations: number }[] = []
  for (const [name, query] of queries) {
    const rows = (await db.execute(query)) as unknown as { n: number }[]
    results.push({ name, violations: Number(rows[0]?.n ?? 0) })
  }
  return results
}

async function summary(db: Database): Promise<[string, string][]> {
  const rows = (await db.execute(sql`
    select o.status::text as status, count(*)::int as n,
      count(*) filter (where o.paid_amount is not null)::int as paid,
      count(r.id)::int as refunds
    from orders o left join order_refunds r on r.order_id = o.id
    group by o.status order by o.status`)) as unknown as {
    status: string
    n: number
    paid: number
    refunds: number
  }[]
  const [journal] = (await db.execute(sql`
    select count(distinct transaction_id)::int as transactions, count(*)::int as lines
    from journal_lines`)) as unknown as { transactions: number; lines: number }[]
  return [
    ...rows.map((row): [string, string] => [
      row.status,
      `${row.n}${row.paid > 0 && row.status !== 'paid' ? ` (${row.paid} paid, ${row.refunds} refunds)` : ''}`,
    ]),
    ['journal transactions', `${journal?.transactions} (${journal?.lines} lines)`],
  ]
}
