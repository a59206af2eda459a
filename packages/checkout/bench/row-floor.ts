/**
 * The floor under checkout's throughput on Postgres: the rows one order writes (cart, cart
 * line, reservation, its movements, the order, its lines and transitions, the payment event,
 * the sale, its lot and level updates, the split's journal transaction and lines), written
 * by hand-written SQL with no query building and no domain logic, shaped three ways:
 *
 * - one order a transaction (32 at once), one statement per table: the shape checkout has;
 * - the same with each step's reads as one statement and its writes as one (`with … as`);
 * - batches of orders, one multi-row statement per table for the whole batch.
 *
 * Each step (cart, order, payment) is one transaction whose statements are all sent at
 * once, in one round trip: more favourable than checkout itself, which must read before it
 * writes.
 *
 * The rows are copied from real orders placed through checkout first, and the run fails if
 * the floor wrote a different number of rows per order into any table than checkout did.
 * It answers one question: how fast can an order's rows go in, shaped each way, on this
 * machine? (docs/benchmarks.md, "Checkout throughput".)
 *
 *   DATABASE_URL=postgres://… pnpm --filter @mitra/checkout bench:floor
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { newId } from '@mitra/core'
import { createDatabase } from '@mitra/db'
import postgres from 'postgres'
import { createCart, setCartLine } from '../src/carts.js'
import { placeOrder } from '../src/orders.js'
import { receiveWebhook } from '../src/payments.js'
import { demoProviders, type Shop, shop } from '../src/testing.js'

const SHOPS = 40
const ORDERS = Number(process.env.BENCH_ORDERS ?? 2_000)
const UNIT_PRICE = 100_000
/** Tables an order adds rows to, with the rows each real order added. */
const TABLES = [
  'carts',
  'stock_reservations',
  'stock_reservation_lines',
  'stock_movements',
  'orders',
  'order_venues',
  'order_lines',
  'order_transitions',
  'payment_events',
  'venue_sales',
  'journal_transactions',
  'journal_lines',
] as const

const server = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL
if (!server) {
  console.log('row floor: skipped (set DATABASE_URL or TEST_DATABASE_URL to a Postgres server)')
  process.exit(0)
}
const admin = postgres(server, { max: 1, onnotice: () => {} })
const name = `mitra_floor_${Date.now()}`
await admin.unsafe(`create database "${name}"`)
const url = new URL(server)
url.pathname = `/${name}`

type Sql = postgres.Sql
type JournalLine = Record<string, unknown> & { amount: string; position: number }
/** What one shop's orders copy: its parties, variant, agreement, lot and split lines. */
interface Template {
  venue: string
  producer: string
  variant: string
  agreement: string
  version: number
  lot: string
  title: string
  lines: JournalLine[]
}
interface FloorOrder {
  t: Template
  quantity: number
  cart: string
  order: string
  reservation: string
  sale: string
  transaction: string
  event: string
}

async function rowCounts(sql: Sql): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const table of TABLES) {
    const [row] = await sql`select count(*)::int as n from ${sql(table)}`
    counts.set(table, row?.n as number)
  }
  return counts
}

/** One real checkout per shop, through the package's own functions; its rows are the model. */
async function realOrders(): Promise<{ templates: Template[]; perOrder: Map<string, number> }> {
  const handle = await createDatabase({ url: url.toString(), maxConnections: 2 })
  const { db } = handle
  const { demo, registry } = demoProviders({ now: new Date() })
  const shops: Shop[] = []
  for (let i = 0; i < SHOPS; i++) shops.push(await shop(db, 1_000_000))
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} })
  const before = await rowCounts(sql)
  const orderIds: string[] = []
  for (const s of shops) {
    const channel = { channelId: s.venue.id }
    const cart = await createCart(db, channel)
    const line = { variant_id: s.variants[0] as string, venue_id: s.venue.id, quantity: 1 }
    await setCartLine(db, channel, cart.id, line)
    const order = await placeOrder(db, registry, channel, cart.id, {
      fulfilment: 'pickup',
      customer: { name: 'Floor buyer' },
      provider: 'demo',
    })
    const hook = await demo.complete(
      (order.redirect_url as string).split('/').at(-1) as string,
      'pay',
    )
    const applied = await receiveWebhook(db, registry, 'demo', {
      rawBody: hook.body,
      headers: new Headers(hook.headers),
    })
    if (applied.outcome !== 'paid') throw new Error(`real order ${order.id}: ${applied.outcome}`)
    orderIds.push(order.id)
  }
  const after = await rowCounts(sql)
  const perOrder = new Map(
    TABLES.map((t) => [t, ((after.get(t) ?? 0) - (before.get(t) ?? 0)) / SHOPS]),
  )
  const templates: Template[] = []
  for (const [i, s] of shops.entries()) {
    const orderId = orderIds[i] as string
    const [sale] = await sql`
      select m.agreement_id, m.agreement_version, m.lot_id, l.name, l.sale_line_id
      from order_lines l join stock_movements m on m.reference = l.order_id and m.kind = 'sale'
      where l.order_id = ${orderId}`
    const lines = await sql<JournalLine[]>`
      select * from journal_lines where sale_line_id = ${sale?.sale_line_id} order by position`
    templates.push({
      venue: s.venue.id,
      producer: s.producer.id,
      variant: s.variants[0] as string,
      agreement: sale?.agreement_id,
      version: sale?.agreement_version,
      lot: sale?.lot_id,
      title: sale?.name,
      lines: [...lines],
    })
  }
  await sql.end()
  await handle.close()
  return { templates, perOrder }
}

type Fragment = postgres.PendingQuery<postgres.Row[]>
/** One step of an order (one transaction): what must go first, then its reads, then its writes. */
interface Step {
  first?: Fragment[]
  reads: Fragment[]
  writes: Fragment[]
}

/**
 * Statements as one: `with s0 as (…), s1 as (…) select …`. A select in a `with` runs only
 * when referenced, so the final select counts the rows of every read; writes always run.
 */
function asOne(sql: Sql, parts: Fragment[], reads: boolean): Fragment {
  let query = sql`with ${sql('s0')} as (${parts[0] as Fragment})`
  let total = sql`(select count(*) from ${sql('s0')})`
  parts.slice(1).forEach((part, i) => {
    const name = sql(`s${i + 1}`)
    query = sql`${query}, ${name} as (${part})`
    total = sql`${total} + (select count(*) from ${name})`
  })
  return reads ? sql`${query} select ${total}` : sql`${query} select 1`
}

/**
 * Runs a step in one transaction, all its statements sent at once: each as it is, or
 * (`combined`) its reads as one statement and its writes as another.
 */
async function runStep(sql: Sql, step: Step, combined: boolean) {
  const statements = combined
    ? [...(step.first ?? []), asOne(sql, step.reads, true), asOne(sql, step.writes, false)]
    : [...(step.first ?? []), ...step.reads, ...step.writes]
  await sql.begin((tx) => statements.map((statement) => tx`${statement}`))
}

/** The cart and its line, with the reads that price and check it. */
function addToCart(sql: Sql, batch: FloorOrder[]): Step {
  const now = new Date()
  const carts = batch.map((o) => o.cart)
  const venues = batch.map((o) => o.t.venue)
  const variants = batch.map((o) => o.t.variant)
  return {
    reads: [
      sql`select id, party_id, price_amount from product_variants where id = any(${variants}::text[])`,
      sql`select a.id, a.active_version, v.terms from agreements a
      join agreement_versions v on v.agreement_id = a.id and v.version = a.active_version
      where a.id = any(${batch.map((o) => o.t.agreement)}::text[])`,
      sql`select venue_id, variant_id, on_hand, reserved from stock_levels
      where (venue_id, variant_id) in (select * from unnest(${venues}::text[], ${variants}::text[]))`,
    ],
    writes: [
      sql`insert into carts (id, channel_id, created_at, updated_at)
      select c, v, ${now}, ${now} from unnest(${carts}::text[], ${venues}::text[]) as u(c, v)`,
      sql`insert into cart_lines (cart_id, variant_id, venue_id, quantity, added_at)
      select c, va, v, q, ${now}
      from unnest(${carts}::text[], ${variants}::text[], ${venues}::text[], ${batch.map((o) => o.quantity)}::int[]) as u(c, va, v, q)`,
    ],
  }
}

/** Stock levels of the batch's variants, locked in one order so batches cannot deadlock. */
function lockLevels(sql: Sql, venues: string[], variants: string[]) {
  return sql`select 1 from stock_levels
    where (venue_id, variant_id) in (select * from unnest(${venues}::text[], ${variants}::text[]))
    order by venue_id, variant_id for update`
}

/** The order from the cart: stock held, order rows, cart closed. */
function placeOrders(sql: Sql, batch: FloorOrder[]): Step {
  const now = new Date()
  const expires = new Date(now.getTime() + 30 * 60_000)
  const carts = batch.map((o) => o.cart)
  const orders = batch.map((o) => o.order)
  const venues = batch.map((o) => o.t.venue)
  const variants = batch.map((o) => o.t.variant)
  const producers = batch.map((o) => o.t.producer)
  const agreements = batch.map((o) => o.t.agreement)
  const versions = batch.map((o) => o.t.version)
  const reservations = batch.map((o) => o.reservation)
  const quantities = batch.map((o) => o.quantity)
  return {
    reads: [
      sql`select id from carts where id = any(${carts}::text[]) order by id for update`,
      sql`select * from cart_lines where cart_id = any(${carts}::text[])`,
      sql`select * from venue_checkout_settings where venue_id = any(${venues}::text[])`,
      sql`select id, party_id, price_amount from product_variants where id = any(${variants}::text[])`,
      sql`select a.id, a.active_version, v.terms from agreements a
      join agreement_versions v on v.agreement_id = a.id and v.version = a.active_version
      where a.id = any(${agreements}::text[])`,
      lockLevels(sql, venues, variants),
    ],
    writes: [
      sql`update stock_levels l set reserved = l.reserved + d.q, updated_at = ${now}
      from (select v, va, sum(q)::int q from unnest(${venues}::text[], ${variants}::text[], ${quantities}::int[]) as u(v, va, q) group by 1, 2) d
      where l.venue_id = d.v and l.variant_id = d.va and l.on_hand - l.reserved >= d.q`,
      sql`insert into stock_reservations (id, venue_id, status, reference, expires_at, actor_party_id, actor_id, created_at)
      select r, v, 'held', o, ${expires}, v, 'checkout', ${now}
      from unnest(${reservations}::text[], ${venues}::text[], ${orders}::text[]) as u(r, v, o)`,
      sql`insert into stock_movements (id, venue_id, producer_id, variant_id, agreement_id, agreement_version, kind, on_hand_delta, reserved_delta, document_id, reference, actor_party_id, actor_id, created_at)
      select m, v, p, va, a, av, 'reserve', 0, q, r, o, v, 'checkout', ${now}
      from unnest(${batch.map(() => newId('mov'))}::text[], ${venues}::text[], ${producers}::text[], ${variants}::text[], ${agreements}::text[], ${versions}::int[], ${quantities}::int[], ${reservations}::text[], ${orders}::text[]) as u(m, v, p, va, a, av, q, r, o)`,
      sql`insert into stock_reservation_lines (reservation_id, variant_id, producer_id, agreement_id, agreement_version, quantity, unit_price_amount, currency)
      select r, va, p, a, av, q, ${UNIT_PRICE}, 'IDR'
      from unnest(${reservations}::text[], ${variants}::text[], ${producers}::text[], ${agreements}::text[], ${versions}::int[], ${quantities}::int[]) as u(r, va, p, a, av, q)`,
      sql`insert into orders (id, cart_id, channel_id, status, currency, fulfilment, customer, subtotal, delivery_total, total, provider, collector, provider_session_id, redirect_url, expires_at, reconcile_after, created_at, updated_at)
      select o, c, v, 'pending_payment', 'IDR', 'pickup', '{"name":"Floor buyer"}'::jsonb, ${UNIT_PRICE} * q, 0, ${UNIT_PRICE} * q, 'demo', 'platform', 'cs_' || o, 'http://shop.test/pay/' || o, ${expires}, ${expires}, ${now}, ${now}
      from unnest(${orders}::text[], ${carts}::text[], ${venues}::text[], ${quantities}::int[]) as u(o, c, v, q)`,
      sql`insert into order_venues (order_id, venue_id, reservation_id, delivery_fee)
      select o, v, r, 0 from unnest(${orders}::text[], ${venues}::text[], ${reservations}::text[]) as u(o, v, r)`,
      sql`insert into order_lines (order_id, position, venue_id, variant_id, producer_id, name, quantity, unit_price, list_price, line_total)
      select o, 0, v, va, p, n, q, ${UNIT_PRICE}, ${UNIT_PRICE}, ${UNIT_PRICE} * q
      from unnest(${orders}::text[], ${venues}::text[], ${variants}::text[], ${producers}::text[], ${batch.map((o) => o.t.title)}::text[], ${quantities}::int[]) as u(o, v, va, p, n, q)`,
      sql`insert into order_transitions (order_id, sequence, from_status, to_status, cause, at)
      select o, 1, null, 'pending_payment', 'checkout', ${now} from unnest(${orders}::text[]) as u(o)`,
      sql`delete from cart_lines where cart_id = any(${carts}::text[])`,
      sql`update carts c set status = 'checked_out', order_id = u.o, updated_at = ${now}
      from unnest(${carts}::text[], ${orders}::text[]) as u(c, o) where c.id = u.c`,
    ],
  }
}

/** The payment: event stored, hold turned into a sale, split posted, order paid. */
function payOrders(sql: Sql, batch: FloorOrder[]): Step {
  const now = new Date()
  const orders = batch.map((o) => o.order)
  const venues = batch.map((o) => o.t.venue)
  const variants = batch.map((o) => o.t.variant)
  const agreements = batch.map((o) => o.t.agreement)
  const lots = batch.map((o) => o.t.lot)
  const reservations = batch.map((o) => o.reservation)
  const sales = batch.map((o) => o.sale)
  const saleLines = batch.map((o) => `${o.sale}:${o.t.variant}`)
  const quantities = batch.map((o) => o.quantity)
  const events = batch.map((o) => o.event)
  const lines = batch.flatMap((o) =>
    o.t.lines.map(
      (line): JournalLine => ({
        ...line,
        transaction_id: o.transaction,
        sale_line_id: `${o.sale}:${o.t.variant}`,
        amount: String(BigInt(line.amount) * BigInt(o.quantity)),
      }),
    ),
  )
  const column = (key: string) => lines.map((line) => line[key] as string | number | null)
  return {
    first: [
      sql`insert into payment_events (provider, event_id, state, outcome, payload, received_at)
      select 'demo', e, 'paid', 'received', jsonb_build_object('order_id', o), ${now}
      from unnest(${events}::text[], ${orders}::text[]) as u(e, o) on conflict do nothing`,
    ],
    reads: [
      sql`select * from orders where id = any(${orders}::text[]) order by id for update`,
      sql`select * from order_lines where order_id = any(${orders}::text[])`,
      sql`select * from order_venues where order_id = any(${orders}::text[])`,
      sql`select * from stock_reservations where id = any(${reservations}::text[]) order by id for update`,
      sql`select * from stock_reservation_lines where reservation_id = any(${reservations}::text[])`,
      sql`select a.id, a.active_version, v.terms from agreements a
      join agreement_versions v on v.agreement_id = a.id and v.version = a.active_version
      where a.id = any(${agreements}::text[])`,
      lockLevels(sql, venues, variants),
      sql`select id, remaining from stock_lots where id = any(${lots}::text[]) order by id for update`,
    ],
    writes: [
      sql`insert into venue_sales (id, venue_id, receipt_number, channel, reservation_id, sold_at, actor_party_id, actor_id, created_at)
      select s, v, o, 'online', r, ${now}, v, 'checkout', ${now}
      from unnest(${sales}::text[], ${venues}::text[], ${orders}::text[], ${reservations}::text[]) as u(s, v, o, r)`,
      sql`update stock_levels l set on_hand = l.on_hand - d.q, reserved = l.reserved - d.q, updated_at = ${now}
      from (select v, va, sum(q)::int q from unnest(${venues}::text[], ${variants}::text[], ${quantities}::int[]) as u(v, va, q) group by 1, 2) d
      where l.venue_id = d.v and l.variant_id = d.va and l.reserved >= d.q`,
      sql`update stock_lots l set remaining = l.remaining - d.q
      from (select lot, sum(q)::int q from unnest(${lots}::text[], ${quantities}::int[]) as u(lot, q) group by 1) d
      where l.id = d.lot`,
      sql`insert into stock_movements (id, venue_id, producer_id, variant_id, agreement_id, agreement_version, kind, on_hand_delta, reserved_delta, lot_id, document_id, reference, unit_price_amount, list_price_amount, currency, actor_party_id, actor_id, created_at)
      select m, v, p, va, a, av, 'sale', -q, -q, lot, s, o, ${UNIT_PRICE}, ${UNIT_PRICE}, 'IDR', v, 'checkout', ${now}
      from unnest(${batch.map(() => newId('mov'))}::text[], ${venues}::text[], ${batch.map((o) => o.t.producer)}::text[], ${variants}::text[], ${agreements}::text[], ${batch.map((o) => o.t.version)}::int[], ${quantities}::int[], ${lots}::text[], ${sales}::text[], ${orders}::text[]) as u(m, v, p, va, a, av, q, lot, s, o)`,
      sql`update stock_reservations r set status = 'converted', closed_at = ${now}, sale_id = u.s
      from unnest(${reservations}::text[], ${sales}::text[]) as u(r, s) where r.id = u.r`,
      sql`insert into ledger_accounts (party_id, purpose, currency)
      select p, pu::ledger_account_purpose, 'IDR'
      from unnest(${column('party_id')}::text[], ${column('purpose')}::text[]) as u(p, pu) on conflict do nothing`,
      sql`insert into journal_transactions (id, kind, source_type, source_id, currency, agreement_id, memo, content_hash, occurred_at)
      select t, 'sale', 'sale_line', sl, 'IDR', a, 'Online sale ' || o, md5(t), ${now}
      from unnest(${batch.map((o) => o.transaction)}::text[], ${saleLines}::text[], ${agreements}::text[], ${orders}::text[]) as u(t, sl, a, o)
      on conflict do nothing`,
      sql`insert into journal_lines (transaction_id, position, party_id, purpose, currency, amount, counterparty_id, sale_line_id, share_role, rule_id, policy_id, policy_version, explanation)
      select * from unnest(${column('transaction_id')}::text[], ${column('position')}::int[], ${column('party_id')}::text[], ${column('purpose')}::ledger_account_purpose[], ${column('currency')}::text[], ${column('amount')}::bigint[], ${column('counterparty_id')}::text[], ${column('sale_line_id')}::text[], ${column('share_role')}::text[], ${column('rule_id')}::text[], ${column('policy_id')}::text[], ${column('policy_version')}::int[], ${lines.map((line) => JSON.stringify(line.explanation))}::jsonb[])`,
      sql`update order_lines l set sale_line_id = u.sl
      from unnest(${orders}::text[], ${saleLines}::text[]) as u(o, sl) where l.order_id = u.o and l.position = 0`,
      sql`update order_venues v set sale_id = u.s
      from unnest(${orders}::text[], ${sales}::text[]) as u(o, s) where v.order_id = u.o`,
      sql`update orders o set status = 'paid', paid_amount = o.total, payment_fee = 0,
        provider_payment_id = 'pay_' || o.id, paid_at = ${now}, updated_at = ${now}
      from unnest(${orders}::text[]) as u(id) where o.id = u.id`,
      sql`insert into order_transitions (order_id, sequence, from_status, to_status, cause, at)
      select o, 2, 'pending_payment', 'paid', 'demo webhook', ${now} from unnest(${orders}::text[]) as u(o)`,
      sql`update payment_events e set order_id = u.o, outcome = 'paid'
      from unnest(${events}::text[], ${orders}::text[]) as u(e, o) where e.provider = 'demo' and e.event_id = u.e`,
    ],
  }
}

/** Total CPU ticks (1/100 s) of every Postgres process on this machine, ended children included. */
function postgresTicks(): number {
  const pids = execFileSync('pgrep', ['postgres']).toString().trim().split('\n')
  let ticks = 0
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
      for (const i of [11, 12, 13, 14]) ticks += Number(fields[i] ?? 0)
    } catch {
      // the process ended between pgrep and the read
    }
  }
  return ticks
}

async function measure(
  templates: Template[],
  batchSize: number,
  inFlight: number,
  combined: boolean,
) {
  const sql = postgres(url.toString(), { max: inFlight, onnotice: () => {} })
  let made = 0
  const run = async (count: number) => {
    made = 0
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (made < count) {
          const batch: FloorOrder[] = []
          for (; batch.length < batchSize && made < count; made++) {
            batch.push({
              t: templates[made % templates.length] as Template,
              quantity: 1 + (made % 3),
              cart: newId('cart'),
              order: newId('ord'),
              reservation: newId('rsv'),
              sale: newId('sale'),
              transaction: newId('txn'),
              event: `demo_evt_${newId('ord')}`,
            })
          }
          await runStep(sql, addToCart(sql, batch), combined)
          await runStep(sql, placeOrders(sql, batch), combined)
          await runStep(sql, payOrders(sql, batch), combined)
        }
      }),
    )
  }
  await run(Math.min(400, ORDERS)) // warm-up: prepared statements, caches
  const before = await rowCounts(sql)
  const ticks = postgresTicks()
  const cpu = process.cpuUsage()
  const started = performance.now()
  await run(ORDERS)
  const ms = performance.now() - started
  const node = process.cpuUsage(cpu)
  const postgresMs = ((postgresTicks() - ticks) * 10) / ORDERS
  const after = await rowCounts(sql)
  await sql.end()
  const perOrder = new Map(
    TABLES.map((t) => [t, ((after.get(t) ?? 0) - (before.get(t) ?? 0)) / ORDERS]),
  )
  return {
    perSecond: (ORDERS / ms) * 1000,
    nodeMs: (node.user + node.system) / 1000 / ORDERS,
    postgresMs,
    perOrder,
  }
}

let ok = true
try {
  const { templates, perOrder: real } = await realOrders()
  console.log(`row floor (postgres, ${ORDERS} orders per shape, rows copied from real orders)`)
  const shapes = [
    { label: 'one order a transaction, 32 at once', batchSize: 1, inFlight: 32, combined: false },
    {
      label: 'one order a transaction, reads and writes each one statement, 32 at once',
      batchSize: 1,
      inFlight: 32,
      combined: true,
    },
    { label: 'batches of 8, 4 at once', batchSize: 8, inFlight: 4, combined: false },
    { label: 'batches of 32, 4 at once', batchSize: 32, inFlight: 4, combined: false },
  ]
  let single = 0
  for (const shape of shapes) {
    const result = await measure(templates, shape.batchSize, shape.inFlight, shape.combined)
    if (shape.batchSize === 1 && !shape.combined) single = result.perSecond
    const ratio =
      shape.batchSize > 1 || shape.combined
        ? ` (${(result.perSecond / single).toFixed(1)}× the first)`
        : ''
    console.log(
      `  ${shape.label}: ${result.perSecond.toFixed(0)} orders/s${ratio}; CPU per order: node ${result.nodeMs.toFixed(2)} ms, postgres ${result.postgresMs.toFixed(2)} ms`,
    )
    for (const table of TABLES) {
      if (result.perOrder.get(table) !== real.get(table)) {
        console.log(
          `  ${table}: ${result.perOrder.get(table)} rows per order, checkout writes ${real.get(table)}`,
        )
        ok = false
      }
    }
  }
  if (!ok)
    console.log('  the floor no longer writes what checkout writes: update bench/row-floor.ts')
} finally {
  await admin.unsafe(`drop database if exists "${name}" with (force)`)
  await admin.end()
}
process.exitCode = ok ? 0 : 1
