/**
 * Settling a period: every party paid all its unpaid payable journal lines "on items".
 * Generates N online consignment sale lines (4 journal lines each: the money the platform's
 * provider collected, the producer's share, the venue's commission, the platform fee) across
 * 200 producers and 20 venues, then
 * measures in the same run
 *   baseline — one aggregate over every payable line (what anyone must read to know who is
 *              owed what), and
 *   settle   — choosing the items, posting one payout per party and recording what it paid
 *              (by snapshot: no row per item; see the `payouts` table).
 *
 *   pnpm --filter @mitra/revenue-share bench      (PGlite 100,000 lines; Postgres 1,000,000
 *                                                  lines too when DATABASE_URL or
 *                                                  TEST_DATABASE_URL names a server)
 */
import { money } from '@mitra/core'
import { createDatabase, type DatabaseHandle } from '@mitra/db'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { settle } from '../src/settlement.js'

const PRODUCERS = 200
const VENUES = 20

async function generate(handle: DatabaseHandle, lines: number): Promise<void> {
  const { db } = handle
  const started = performance.now()
  await db.execute(sql`
    insert into parties (id, kind, name, slug)
    select 'pty_' || lpad(to_hex(i), 26, '0'),
           (case when i = 0 then 'platform' when i <= ${sql.raw(String(PRODUCERS))} then 'producer' else 'venue' end)::party_kind,
           'Bench ' || i, 'bench-' || i
    from generate_series(0, ${sql.raw(String(PRODUCERS + VENUES))}) as i`)
  await db.execute(sql`
    insert into ledger_accounts (party_id, purpose, currency)
    select 'pty_' || lpad(to_hex(i), 26, '0'), p::ledger_account_purpose, 'IDR'
    from generate_series(0, ${sql.raw(String(PRODUCERS + VENUES))}) as i,
         unnest(array['provider_clearing', 'payable_to_producer', 'commission_revenue', 'platform_fees']) as p`)
  // Bulk load: the per-row balance and immutability triggers are suspended while the
  // generated (balanced by construction) rows go in, and restored before measuring.
  await db.execute(sql`alter table journal_transactions disable trigger user`)
  await db.execute(sql`alter table journal_lines disable trigger user`)
  await db.execute(sql`
    insert into journal_transactions (id, kind, source_type, source_id, currency, content_hash, occurred_at)
    select 'txn_' || lpad(to_hex(i), 26, '0'), 'sale', 'sale_line', 'sl_' || i, 'IDR', md5(i::text),
           now() - make_interval(mins => i % 40000)
    from generate_series(1, ${sql.raw(String(lines))}) as i`)
  await db.execute(sql`
    with sale as (
      select i,
             'txn_' || lpad(to_hex(i), 26, '0') as txn,
             'pty_' || lpad(to_hex(1 + i % ${sql.raw(String(PRODUCERS))}), 26, '0') as producer,
             'pty_' || lpad(to_hex(${sql.raw(String(PRODUCERS + 1))} + i % ${sql.raw(String(VENUES))}), 26, '0') as venue,
             (100000 + (i % 50) * 1000)::bigint as gross
      from generate_series(1, ${sql.raw(String(lines))}) as i
    ), shares as (
      select *, gross / 5 as commission, gross * 3 / 100 as platform from sale
    )
    insert into journal_lines (transaction_id, position, party_id, purpose, currency, amount, sale_line_id)
    select txn, 0, 'pty_' || lpad(to_hex(0), 26, '0'), 'provider_clearing'::ledger_account_purpose, 'IDR', gross, 'sl_' || i from shares
    union all select txn, 1, producer, 'payable_to_producer'::ledger_account_purpose, 'IDR', -(gross - commission - platform), 'sl_' || i from shares
    union all select txn, 2, venue, 'commission_revenue'::ledger_account_purpose, 'IDR', -commission, 'sl_' || i from shares
    union all select txn, 3, 'pty_' || lpad(to_hex(0), 26, '0'), 'platform_fees'::ledger_account_purpose, 'IDR', -platform, 'sl_' || i from shares`)
  await db.execute(sql`alter table journal_transactions enable trigger user`)
  await db.execute(sql`alter table journal_lines enable trigger user`)
  await db.execute(sql`analyze`)
  const seconds = (performance.now() - started) / 1000
  console.log(
    `  generated ${lines.toLocaleString('en')} sale lines (${(lines * 4).toLocaleString('en')} journal lines) in ${seconds.toFixed(1)} s`,
  )
}

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now()
  const result = await work()
  return { ms: performance.now() - started, result }
}

async function run(handle: DatabaseHandle, lines: number, targetMs: number | null) {
  console.log(`${handle.kind}: ${lines.toLocaleString('en')} sale lines`)
  await generate(handle, lines)
  const baseline = await time(() =>
    handle.db.execute(sql`
      select party_id, sum(amount) from journal_lines
      where purpose in ('payable_to_producer', 'commission_revenue', 'platform_fees')
      group by party_id`),
  )
  const settled = await time(() =>
    settle(handle.db, { currency: 'IDR', minimum: money(50_000, 'IDR') }),
  )
  // Every payable line is paid, by snapshot: the payouts add up to what was owed, and no
  // payout_items row was written.
  const check = (await handle.db.execute(sql`
    select (select count(*)::int from payout_items) as rows,
           (select coalesce(sum(amount), 0)::bigint from payouts) as paid,
           (select -coalesce(sum(amount), 0)::bigint from journal_lines
            where purpose in ('payable_to_producer', 'commission_revenue', 'platform_fees')
              and transaction_id not in (select transaction_id from payouts)) as owed`)) as unknown as {
    rows?: CheckRow[]
  } & CheckRow[]
  const totals = (check.rows ?? check)[0] as CheckRow
  const rate = Math.round((lines / settled.ms) * 1000)
  console.log(`  baseline (aggregate every payable line): ${baseline.ms.toFixed(0)} ms`)
  console.log(
    `  settle: ${settled.ms.toFixed(0)} ms, ${rate.toLocaleString('en')} sale lines/s, ${settled.result.payouts.length} payouts, ${settled.result.items.toLocaleString('en')} items paid (${totals.rows} payout_items rows), ${(settled.ms / baseline.ms).toFixed(1)}× the baseline`,
  )
  const exact = Number(totals.paid) === Number(totals.owed) && settled.result.items === lines * 3
  console.log(
    `  paid ${Number(totals.paid).toLocaleString('en')} of ${Number(totals.owed).toLocaleString('en')} owed — ${exact ? 'exact' : 'MISMATCH'}`,
  )
  if (targetMs !== null) {
    console.log(`  target: under ${targetMs / 1000} s — ${settled.ms < targetMs ? 'PASS' : 'FAIL'}`)
  }
  return exact && (targetMs === null || settled.ms < targetMs)
}

interface CheckRow {
  rows: number
  paid: string | number
  owed: string | number
}

let ok = true
const embedded = await createDatabase({ dataDir: 'memory://' })
ok = (await run(embedded, 100_000, null)) && ok
await embedded.close()

const server = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL
if (server) {
  const name = `mitra_bench_${Date.now()}`
  const admin = postgres(server, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  const url = new URL(server)
  url.pathname = `/${name}`
  const handle = await createDatabase({ url: url.toString() })
  try {
    ok = (await run(handle, 1_000_000, 3_000)) && ok
  } finally {
    await handle.close()
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.end()
  }
} else {
  console.log('Postgres: skipped (set DATABASE_URL or TEST_DATABASE_URL to a server)')
}
process.exitCode = ok ? 0 : 1
