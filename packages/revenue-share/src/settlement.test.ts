import { money } from '@mitra/core'
import { type Executor, inTransaction, payoutItems } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { payoutEntry } from './entries.js'
import { amountOwed, postEntry, postSale } from './ledger.js'
import { getPayout, postPayout, previewPayout, reversePayout } from './payouts.js'
import { settle } from './settlement.js'
import { splitLine } from './split.js'
import { batikPolicy, createParty, idr } from './testing.js'

describe.each(testDatabaseKinds())('settlement on %s', (kind) => {
  const database = useTestDatabase(kind)

  async function network() {
    const { db } = database()
    const p = {
      producer: await createParty(db, 'producer'),
      venue: await createParty(db, 'venue'),
      cooperative: await createParty(db, 'cluster'),
      platform: await createParty(db, 'platform'),
    }
    const policy = batikPolicy(
      { cooperative_id: p.cooperative },
      { producerId: p.producer, venueId: p.venue, platformId: p.platform },
    )
    const sell = (id: string, price: number, on: Executor = db) =>
      postSale(on, {
        saleLineId: id,
        channel: 'online',
        collectorId: p.platform,
        split: splitLine(policy, {
          gross: idr(price),
          quantity: 1,
          unitPrice: idr(price),
          paymentFee: idr(0),
        }),
      })
    return { db, p, sell }
  }

  it('pays every party owed at least the minimum exactly what it is owed, once', async () => {
    const { db, p, sell } = await network()
    for (let i = 0; i < 12; i++) await sell(`settle-${p.producer}-${i}`, 150_000 + i * 1_000)
    const owedBefore = await amountOwed(db, p.producer, 'IDR')
    const first = await settle(db, {
      currency: 'IDR',
      minimum: idr(5_000),
      partyIds: Object.values(p),
    })
    const toProducer = first.payouts.find((x) => x.partyId === p.producer)
    expect(toProducer?.amount).toEqual(owedBefore)
    expect(toProducer?.items).toBe(12)
    expect((await previewPayout(db, { partyId: p.producer, currency: 'IDR' })).amount.amount).toBe(
      0,
    )
    expect((await amountOwed(db, p.producer, 'IDR')).amount).toBe(0)

    const again = await settle(db, {
      currency: 'IDR',
      minimum: idr(5_000),
      partyIds: Object.values(p),
    })
    expect(again.payouts).toEqual([])
  })

  it('carries parties below the minimum to the next settlement', async () => {
    const { db, p, sell } = await network()
    await sell(`small-${p.producer}`, 10_000)
    const settled = await settle(db, {
      currency: 'IDR',
      minimum: money(1_000_000, 'IDR'),
      partyIds: [p.producer],
    })
    expect(settled.payouts).toEqual([])
    expect((await amountOwed(db, p.producer, 'IDR')).amount).toBeGreaterThan(0)
  })

  it('never pays a line twice when a single payout runs at the same time', async () => {
    const { db, p, sell } = await network()
    for (let i = 0; i < 5; i++) await sell(`race-${p.producer}-${i}`, 100_000)
    const owed = (await amountOwed(db, p.producer, 'IDR')).amount
    const results = await Promise.allSettled([
      settle(db, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer] }),
      postPayout(db, { partyId: p.producer, currency: 'IDR' }),
    ])
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true)
    expect((await amountOwed(db, p.producer, 'IDR')).amount).toBe(0)
    const paid = results.reduce((sum, r) => {
      if (r.status !== 'fulfilled') return sum
      const value = r.value as {
        amount?: { amount: number }
        payouts?: { amount: { amount: number } }[]
      }
      return (
        sum +
        (value.payouts
          ? value.payouts.reduce((s, x) => s + x.amount.amount, 0)
          : (value.amount?.amount ?? 0))
      )
    }, 0)
    expect(paid).toBe(owed)
  })

  const keys = (items: { transactionId: string; position: number }[]) =>
    items.map((i) => `${i.transactionId}:${i.position}`).sort()

  it('lists the items of each payout it made, by snapshot, without a row per line', async () => {
    const { db, p, sell } = await network()
    for (let i = 0; i < 6; i++) await sell(`items-${p.producer}-${i}`, 120_000 + i)
    const before = await Promise.all(
      Object.values(p).map((partyId) => previewPayout(db, { partyId, currency: 'IDR' })),
    )
    const settled = await settle(db, {
      currency: 'IDR',
      minimum: idr(1),
      partyIds: Object.values(p),
    })
    for (const preview of before) {
      const made = settled.payouts.find((x) => x.partyId === preview.partyId)
      if (preview.items.length === 0) continue
      const payout = await getPayout(db, made?.payoutId as string)
      expect(keys(payout.items)).toEqual(keys(preview.items))
      expect(payout.amount).toEqual(preview.amount)
      expect(made?.items).toBe(preview.items.length)
    }
    const rows = await db
      .select()
      .from(payoutItems)
      .where(sql`${payoutItems.payoutId} in ${settled.payouts.map((x) => x.payoutId)}` as never)
    expect(rows).toEqual([])
  })

  it('pays the lines of a reversed payout again, exactly those, at the next settlement', async () => {
    const { db, p, sell } = await network()
    for (let i = 0; i < 4; i++) await sell(`rev-${p.producer}-${i}`, 100_000 + i)
    const first = await settle(db, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer] })
    const paid = await getPayout(db, first.payouts[0]?.payoutId as string)
    await sell(`rev-${p.producer}-late`, 90_000)
    const late = await previewPayout(db, { partyId: p.producer, currency: 'IDR' })
    expect(late.items).toHaveLength(1)

    await reversePayout(db, { payoutId: paid.id, reason: 'rekening ditolak bank' })
    const owed = await previewPayout(db, { partyId: p.producer, currency: 'IDR' })
    expect(keys(owed.items)).toEqual(keys([...paid.items, ...late.items]))
    expect(owed.amount).toEqual(await amountOwed(db, p.producer, 'IDR'))

    const second = await settle(db, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer] })
    expect(second.payouts[0]?.amount).toEqual(owed.amount)
    const repaid = await getPayout(db, second.payouts[0]?.payoutId as string)
    expect(keys(repaid.items)).toEqual(keys(owed.items))
    // The reversed payout still lists what it paid.
    expect(keys((await getPayout(db, paid.id)).items)).toEqual(keys(paid.items))
    expect((await amountOwed(db, p.producer, 'IDR')).amount).toBe(0)
    expect((await previewPayout(db, { partyId: p.producer, currency: 'IDR' })).items).toEqual([])

    // Reversed again, and paid by a single payout this time.
    await reversePayout(db, { payoutId: repaid.id, reason: 'again' })
    const third = await postPayout(db, { partyId: p.producer, currency: 'IDR' })
    expect(keys(third.items)).toEqual(keys(owed.items))
    expect((await amountOwed(db, p.producer, 'IDR')).amount).toBe(0)
  })

  it('pays lines posted earlier in its own transaction; later ones wait for the next payout', async () => {
    const { db, p, sell } = await network()
    await sell(`own-${p.producer}-0`, 100_000)
    const { settled, before, after } = await inTransaction(db, async (tx) => {
      const before = await sell(`own-${p.producer}-1`, 110_000, tx)
      const settled = await settle(tx, {
        currency: 'IDR',
        minimum: idr(1),
        partyIds: [p.producer],
      })
      const after = await sell(`own-${p.producer}-2`, 120_000, tx)
      return { settled, before, after }
    })
    const payout = await getPayout(db, settled.payouts[0]?.payoutId as string)
    const lines = new Set(payout.items.map((i) => i.transactionId))
    expect(lines.has(before.id)).toBe(true)
    expect(lines.has(after.id)).toBe(false)
    const next = await previewPayout(db, { partyId: p.producer, currency: 'IDR' })
    expect(next.items.map((i) => i.transactionId)).toEqual([after.id])
    expect(next.amount).toEqual(await amountOwed(db, p.producer, 'IDR'))
    // The line paid by a row is not counted again by the next settlement's snapshot.
    const next2 = await settle(db, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer] })
    expect(next2.payouts[0]?.amount).toEqual(next.amount)
    expect(next2.items).toBe(1)
    const paid = await getPayout(db, next2.payouts[0]?.payoutId as string)
    expect(paid.items.map((i) => i.transactionId)).toEqual([after.id])
    expect((await amountOwed(db, p.producer, 'IDR')).amount).toBe(0)
  })

  it('pays twice in one transaction without paying a line twice', async () => {
    const { db, p, sell } = await network()
    await sell(`twice-${p.producer}-0`, 100_000)
    const [first, second] = await inTransaction(db, async (tx) => {
      const first = await settle(tx, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer] })
      await sell(`twice-${p.producer}-1`, 100_000, tx)
      const second = await postPayout(tx, { partyId: p.producer, currency: 'IDR' })
      return [first, second] as const
    })
    const a = await getPayout(db, first.payouts[0]?.payoutId as string)
    const b = await getPayout(db, second.id)
    expect(a.items).toHaveLength(1)
    expect(b.items).toHaveLength(1)
    expect(a.items[0]?.transactionId).not.toBe(b.items[0]?.transactionId)
    expect((await amountOwed(db, p.producer, 'IDR')).amount).toBe(0)
    const third = await settle(db, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer] })
    expect(third.payouts).toEqual([])
  })

  it('refuses to pay once transaction ids went back (a restore into a new cluster)', async () => {
    const { db, p, sell } = await network()
    await sell(`restored-${p.producer}-0`, 100_000)
    const first = await settle(db, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer] })
    const payoutId = first.payouts[0]?.payoutId as string
    await sell(`restored-${p.producer}-1`, 100_000)
    const [{ snapshot }] = rowsOf(
      await db.execute(sql`select snapshot::text as snapshot from payouts where id = ${payoutId}`),
    ) as [{ snapshot: string }]
    await db.execute(
      sql`update payouts set snapshot = '9000000000000:9000000000000:'::pg_snapshot where id = ${payoutId}`,
    )
    await expect(
      settle(db, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer] }),
    ).rejects.toMatchObject({ code: 'internal' })
    await expect(postPayout(db, { partyId: p.producer, currency: 'IDR' })).rejects.toMatchObject({
      code: 'internal',
    })
    await db.execute(
      sql`update payouts set snapshot = ${snapshot}::pg_snapshot where id = ${payoutId}`,
    )
    expect((await postPayout(db, { partyId: p.producer, currency: 'IDR' })).items).toHaveLength(1)
  })

  it('posts payout entries that a replay through postEntry recognises', async () => {
    const { db, p, sell } = await network()
    await sell(`replay-${p.producer}`, 100_000)
    const settled = await settle(db, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer] })
    const payout = await getPayout(db, settled.payouts[0]?.payoutId as string)
    const replay = await postEntry(
      db,
      payoutEntry({
        payoutId: payout.id,
        partyId: p.producer,
        currency: 'IDR',
        items: payout.items,
      }),
    )
    expect(replay).toMatchObject({ id: payout.transactionId, replayed: true })
  })

  // Two connections at once: only a Postgres server has them.
  if (kind === 'postgres')
    it('leaves a line committed after its snapshot to the next payout (two connections)', async () => {
      const { db, p, sell } = await network()
      await sell(`open-${p.producer}-0`, 100_000)
      let release: () => void = () => {}
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      let posted: (id: string) => void = () => {}
      const postedId = new Promise<string>((resolve) => {
        posted = resolve
      })
      // A sale whose transaction is still open when the settlement takes its snapshot.
      const open = inTransaction(db, async (tx) => {
        const sale = await sell(`open-${p.producer}-1`, 100_000, tx)
        posted(sale.id)
        await held
        return sale
      })
      const lateId = await postedId
      const first = await settle(db, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer] })
      release()
      await open
      const firstPayout = await getPayout(db, first.payouts[0]?.payoutId as string)
      expect(firstPayout.items.some((i) => i.transactionId === lateId)).toBe(false)
      const owed = await amountOwed(db, p.producer, 'IDR')
      expect(owed.amount).toBeGreaterThan(0)
      const second = await settle(db, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer] })
      expect(second.payouts[0]?.amount).toEqual(owed)
      const secondPayout = await getPayout(db, second.payouts[0]?.payoutId as string)
      expect(secondPayout.items.map((i) => i.transactionId)).toEqual([lateId])
      expect((await amountOwed(db, p.producer, 'IDR')).amount).toBe(0)
    })

  // Two connections at once: only a Postgres server has them.
  if (kind === 'postgres')
    it('never pays a line twice when settlements and payouts race while sales go on', async () => {
      const { db, p, sell } = await network()
      let n = 0
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < 5; i++) await sell(`busy-${p.producer}-${n++}`, 100_000 + n)
        const results = await Promise.allSettled([
          settle(db, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer, p.venue] }),
          postPayout(db, { partyId: p.producer, currency: 'IDR' }),
          sell(`busy-${p.producer}-${n++}`, 100_000 + n),
          settle(db, { currency: 'IDR', minimum: idr(1) }),
          postPayout(db, { partyId: p.producer, currency: 'IDR' }),
          sell(`busy-${p.producer}-${n++}`, 100_000 + n),
        ])
        for (const r of results) {
          if (r.status === 'rejected') {
            expect((r.reason as { code?: string }).code).toBe('payout_below_minimum')
          }
        }
      }
      await settle(db, { currency: 'IDR', minimum: idr(1), partyIds: [p.producer] })
      expect((await amountOwed(db, p.producer, 'IDR')).amount).toBe(0)
      const ids = rowsOf(
        await db.execute(
          sql`select id from payouts where party_id = ${p.producer} and status = 'in_transit'`,
        ),
      ).map((r) => (r as { id: string }).id)
      const seen = new Map<string, string>()
      let total = 0
      for (const id of ids) {
        const payout = await getPayout(db, id)
        total += payout.amount.amount
        expect(-payout.items.reduce((s, i) => s + i.amount, 0)).toBe(payout.amount.amount)
        for (const key of keys(payout.items)) {
          expect(seen.get(key), `${key} in ${id} and ${seen.get(key)}`).toBeUndefined()
          seen.set(key, id)
        }
      }
      const lines = rowsOf(
        await db.execute(sql`
          select count(*)::int as n, coalesce(sum(amount), 0)::bigint as total
          from journal_lines l join journal_transactions t on t.id = l.transaction_id
          where l.party_id = ${p.producer} and t.kind = 'sale'`),
      )[0] as { n: number; total: string | number }
      expect(seen.size).toBe(Number(lines.n))
      expect(total).toBe(-Number(lines.total))
    })
})

function rowsOf(result: unknown): unknown[] {
  return Array.isArray(result) ? result : (result as { rows: unknown[] }).rows
}
