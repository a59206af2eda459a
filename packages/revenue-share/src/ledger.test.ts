import { type Id, isMitraError, newId } from '@mitra/core'
import {
  constraintOf,
  inTransaction,
  journalLines,
  journalTransactions,
  ledgerAccounts,
  payoutItems,
  sqlStateOf,
} from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { type JournalEntry, saleEntry } from './entries.js'
import {
  advanceOutstanding,
  amountOwed,
  explainSaleLine,
  type PostedTransaction,
  postAdvance,
  postAdvanceDeduction,
  postEntries,
  postEntry,
  postLiability,
  postPenalty,
  postRefundFailure,
  postReversal,
  postSale,
  trialBalance,
} from './ledger.js'
import { getPayout, postPayout, previewPayout, reversePayout } from './payouts.js'
import { policyFromConsignmentTerms, type SplitPolicy } from './policy.js'
import { splitLine } from './split.js'
import { statement, statementCsv } from './statements.js'
import { createParty, idr } from './testing.js'

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (isMitraError(error)) return error.code
    return `sql:${sqlStateOf(error)}:${constraintOf(error)}`
  }
  return 'resolved'
}

describe.each(testDatabaseKinds())('ledger on %s', (kind) => {
  const database = useTestDatabase(kind)
  const none = '' as Id<'pty'>
  const p = {
    producer: none,
    venue: none,
    cooperative: none,
    platform: none,
    core: none,
    buyer: none,
  }
  let policy: SplitPolicy

  beforeAll(async () => {
    const { db } = database()
    p.producer = await createParty(db, 'producer')
    p.venue = await createParty(db, 'venue')
    p.cooperative = await createParty(db, 'cluster')
    p.platform = await createParty(db, 'platform')
    p.core = await createParty(db, 'core_partner')
    p.buyer = await createParty(db, 'buyer')
    policy = policyFromConsignmentTerms(
      {
        currency: 'IDR',
        commission: { kind: 'percent', bps: 2_000 },
        cooperative_fee_bps: 200,
        cooperative_id: p.cooperative,
        platform_fee_bps: 300,
        payment_fee_bearer: 'venue',
        markdown_bearer: 'venue',
      },
      { producerId: p.producer, venueId: p.venue, platformId: p.platform },
      { version: 4 },
    )
  })

  const sale = (saleLineId: string, price = 150_000, quantity = 1, fee = 1_050) => ({
    saleLineId,
    channel: 'online' as const,
    collectorId: p.platform,
    split: splitLine(policy, {
      gross: idr(price * quantity),
      quantity,
      unitPrice: idr(price),
      paymentFee: idr(fee),
    }),
  })

  const count = async (id?: string) => {
    const [row] = await database()
      .db.select({ n: sql<number>`count(*)::int` })
      .from(journalTransactions)
      .where(id === undefined ? undefined : eq(journalTransactions.id, id))
    return row?.n ?? 0
  }

  /** The reversals give back exactly every line of the original, account by account. */
  function expectReversedExactly(original: PostedTransaction, reversals: PostedTransaction[]) {
    for (const line of original.lines) {
      const back = reversals
        .flatMap((r) => r.lines)
        .filter(
          (l) =>
            l.purpose === line.purpose && l.partyId === line.partyId && l.ruleId === line.ruleId,
        )
        .reduce((acc, l) => acc + l.amount, 0)
      expect(back + line.amount).toBe(0)
    }
  }

  it('posts a sale line with its split; every share explains itself', async () => {
    const { db } = database()
    const before = await amountOwed(db, p.producer, 'IDR')
    const posted = await postSale(db, sale('line-1'))
    expect(posted.id).toMatch(/^txn_/)
    expect(posted.replayed).toBe(false)
    expect(posted.lines.map((l) => [l.purpose, l.amount])).toEqual([
      ['provider_clearing', 150_000],
      ['payment_fees', -1_050],
      ['commission_revenue', -28_950],
      ['cooperative_fees', -3_000],
      ['platform_fees', -4_500],
      ['payable_to_producer', -112_500],
    ])
    expect((await amountOwed(db, p.producer, 'IDR')).amount - before.amount).toBe(112_500)
    const { sale: explained } = await explainSaleLine(db, 'line-1')
    const producer = explained.lines.find((l) => l.ruleId === 'producer')
    expect(producer).toMatchObject({ policyId: policy.id, policyVersion: 4, saleLineId: 'line-1' })
    expect(producer?.explanation).toMatchObject({
      basis: 'remainder',
      exact: '112500',
      amount: 112_500,
    })
  })

  it('posts a source once: a replay returns it, different content is refused', async () => {
    const { db } = database()
    const first = await postSale(db, sale('line-2'))
    const again = await postSale(db, sale('line-2'))
    expect(again).toMatchObject({ id: first.id, replayed: true })
    expect(await codeOf(postSale(db, sale('line-2', 150_000, 1, 999)))).toBe(
      'source_already_posted',
    )
    const racing = await Promise.all(Array.from({ length: 5 }, () => postSale(db, sale('line-3'))))
    expect(new Set(racing.map((t) => t.id)).size).toBe(1)
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(journalTransactions)
      .where(
        and(
          eq(journalTransactions.sourceType, 'sale_line'),
          eq(journalTransactions.sourceId, 'line-3'),
        ),
      )
    expect(row?.n).toBe(1)
  })

  it('posts many entries at once, each as one: replays, repeats in one call, refusals, races', async () => {
    const { db } = database()
    const entryOf = (id: string, fee = 1_050) => ({ entry: saleEntry(sale(id, 150_000, 1, fee)) })
    const before = await count()
    const earlier = await postSale(db, sale('many-0'))
    const posted = await postEntries(db, [
      entryOf('many-1'),
      entryOf('many-0'),
      entryOf('many-2'),
      entryOf('many-1'),
    ])
    expect(posted.map((t) => [t.source.id, t.replayed])).toEqual([
      ['many-1', false],
      ['many-0', true],
      ['many-2', false],
      ['many-1', true],
    ])
    expect(posted[1]?.id).toBe(earlier.id)
    expect(posted[3]?.id).toBe(posted[0]?.id)
    expect(posted[0]?.lines).toEqual((await postSale(db, sale('many-1'))).lines)
    expect(await count()).toBe(before + 3)
    // One refused refuses them all, and nothing is written.
    const refused = postEntries(db, [entryOf('many-3'), entryOf('many-0', 999)])
    expect(await codeOf(refused)).toBe('source_already_posted')
    const twice = postEntries(db, [entryOf('many-4'), entryOf('many-4', 999)])
    expect(await codeOf(twice)).toBe('source_already_posted')
    expect(await count()).toBe(before + 3)
    // Calls racing over the same sources post each once.
    const racing = await Promise.all(
      [0, 1, 2].map(() => postEntries(db, [entryOf('many-5'), entryOf('many-6')])),
    )
    expect(new Set(racing.map((r) => r[0]?.id)).size).toBe(1)
    expect(new Set(racing.map((r) => r[1]?.id)).size).toBe(1)
    expect(await count()).toBe(before + 5)
  })

  it('refuses an unbalanced transaction in code and in the database, writing nothing', async () => {
    const { db } = database()
    const before = await count()
    const unbalanced: JournalEntry = {
      kind: 'sale',
      source: { type: 'sale_line', id: 'bad-1' },
      currency: 'IDR',
      lines: [
        { partyId: p.platform, purpose: 'provider_clearing', amount: 100 },
        { partyId: p.producer, purpose: 'payable_to_producer', amount: -99 },
      ],
    }
    expect(await codeOf(postEntry(db, unbalanced))).toBe('ledger_unbalanced')
    // Past the code check, straight into the tables: the database refuses it at commit.
    const id = newId('txn')
    const raw = inTransaction(db, async (tx) => {
      await tx
        .insert(ledgerAccounts)
        .values([
          { partyId: p.platform, purpose: 'provider_clearing', currency: 'IDR' },
          { partyId: p.producer, purpose: 'payable_to_producer', currency: 'IDR' },
        ])
        .onConflictDoNothing()
      await tx.insert(journalTransactions).values({
        id,
        kind: 'sale',
        sourceType: 'sale_line',
        sourceId: 'bad-2',
        currency: 'IDR',
        contentHash: 'x',
        occurredAt: new Date(),
      })
      await tx.insert(journalLines).values([
        {
          transactionId: id,
          position: 0,
          partyId: p.platform,
          purpose: 'provider_clearing',
          currency: 'IDR',
          amount: 100,
        },
        {
          transactionId: id,
          position: 1,
          partyId: p.producer,
          purpose: 'payable_to_producer',
          currency: 'IDR',
          amount: -99,
        },
      ])
    })
    expect(await codeOf(raw)).toBe('sql:23514:journal_transactions_balanced')
    // A line in another currency does not balance either.
    const mixed = inTransaction(db, async (tx) => {
      await tx
        .insert(ledgerAccounts)
        .values({ partyId: p.producer, purpose: 'payable_to_producer', currency: 'USD' })
        .onConflictDoNothing()
      const other = newId('txn')
      await tx.insert(journalTransactions).values({
        id: other,
        kind: 'sale',
        sourceType: 'sale_line',
        sourceId: 'bad-3',
        currency: 'IDR',
        contentHash: 'x',
        occurredAt: new Date(),
      })
      await tx.insert(journalLines).values([
        {
          transactionId: other,
          position: 0,
          partyId: p.platform,
          purpose: 'provider_clearing',
          currency: 'IDR',
          amount: 100,
        },
        {
          transactionId: other,
          position: 1,
          partyId: p.producer,
          purpose: 'payable_to_producer',
          currency: 'USD',
          amount: -100,
        },
      ])
    })
    expect(await codeOf(mixed)).toBe('sql:23514:journal_transactions_balanced')
    expect(await count()).toBe(before)
    expect(await count(id)).toBe(0)
  })

  it('keeps journal lines immutable: corrections are new transactions', async () => {
    const { db } = database()
    const posted = await postSale(db, sale('line-immutable'))
    const update = db
      .update(journalLines)
      .set({ amount: 1 })
      .where(and(eq(journalLines.transactionId, posted.id), eq(journalLines.position, 0)))
    expect(await codeOf(update)).toBe('sql:23514:journal_immutable')
    const remove = db.delete(journalTransactions).where(eq(journalTransactions.id, posted.id))
    expect(await codeOf(remove)).toBe('sql:23514:journal_immutable')
  })

  it('reverses a line in refunds and returns to exactly its original shares', async () => {
    const { db } = database()
    const original = await postSale(db, sale('line-4', 50_000, 3, 1_051))
    const refund = await postReversal(db, {
      kind: 'refund',
      sourceId: 're-1',
      saleLineId: 'line-4',
      request: { amount: idr(10_000) },
    })
    expect(refund.reversesId).toBe(original.id)
    expect(refund.reversedFraction).toBe('1/15')
    const replay = await postReversal(db, {
      kind: 'refund',
      sourceId: 're-1',
      saleLineId: 'line-4',
      request: { amount: idr(10_000) },
    })
    expect(replay).toMatchObject({ id: refund.id, replayed: true })
    await postReversal(db, {
      kind: 'return',
      sourceId: 'ret-1',
      saleLineId: 'line-4',
      request: { quantity: 1 },
    })
    const last = await postReversal(db, {
      kind: 'refund',
      sourceId: 're-2',
      saleLineId: 'line-4',
      request: { fraction: { numerator: 3, denominator: 5 } },
    })
    expect(last.reversedFraction).toBe('1/1')
    const { reversals } = await explainSaleLine(db, 'line-4')
    expect(reversals).toHaveLength(3)
    expectReversedExactly(original, reversals)
    expect(
      await codeOf(
        postReversal(db, {
          kind: 'refund',
          sourceId: 're-3',
          saleLineId: 'line-4',
          request: { amount: idr(1) },
        }),
      ),
    ).toBe('reversal_exceeds_original')
    expect(
      await codeOf(
        postReversal(db, {
          kind: 'refund',
          sourceId: 're-4',
          saleLineId: 'nope',
          request: { amount: idr(1) },
        }),
      ),
    ).toBe('not_found')
  })

  it('undoes a refund that failed at the provider: its shares are owed again, once', async () => {
    const { db } = database()
    const original = await postSale(db, sale('line-f', 50_000, 3, 1_051))
    const owed = async () => (await amountOwed(db, p.producer, 'IDR')).amount
    const owedBefore = await owed()
    const refund = (sourceId: string, amount: number) =>
      postReversal(db, {
        kind: 'refund',
        sourceId,
        saleLineId: 'line-f',
        request: { amount: idr(amount) },
      })
    const bounced = await refund('re-f1', 100_000)
    const kept = await refund('re-f2', 50_000)
    expect(kept.reversedFraction).toBe('1/1')
    const owedAfterBoth = await owed()
    const failure = await postRefundFailure(db, { refund: { type: 'refund', id: 're-f1' } })
    expect(failure).toMatchObject({ kind: 'refund_failure', reversesId: bounced.id })
    expect(failure?.lines.map((l) => l.amount)).toEqual(bounced.lines.map((l) => -l.amount))
    expect(await owed()).toBeGreaterThan(owedAfterBoth)
    // Delivered twice: one failure, the same transaction.
    const again = await postRefundFailure(db, { refund: { type: 'refund', id: 're-f1' } })
    expect(again).toMatchObject({ id: failure?.id, replayed: true })
    // What the failed refund took is back to reverse, as if it had never been made: a
    // refund of one unit's worth, then one unit returned, and the line is back to exactly
    // its original shares. Nothing more can go: no rupiah, no unit.
    const refundAgain = await refund('re-f3', 50_000)
    const returned = await postReversal(db, {
      kind: 'return',
      sourceId: 'ret-f',
      saleLineId: 'line-f',
      request: { quantity: 1 },
    })
    // Stored fractions count every refund posted, the failed one too: they only grow.
    expect([refundAgain.reversedFraction, returned.reversedFraction]).toEqual(['4/3', '5/3'])
    const producerShare = -(original.lines.find((l) => l.shareRole === 'producer')?.amount ?? 0)
    expect(producerShare).toBeGreaterThan(0)
    expect(await owed()).toBe(owedBefore - producerShare)
    expectReversedExactly(original, [kept, refundAgain, returned])
    expect(await codeOf(refund('re-f4', 1))).toBe('reversal_exceeds_original')
    const oneMore = postReversal(db, {
      kind: 'return',
      sourceId: 'ret-f2',
      saleLineId: 'line-f',
      request: { quantity: 1 },
    })
    expect(await codeOf(oneMore)).toBe('reversal_exceeds_original')
    const { reversals } = await explainSaleLine(db, 'line-f')
    expect(reversals.map((r) => r.kind).sort()).toEqual([
      'refund',
      'refund',
      'refund',
      'refund_failure',
      'return',
    ])
    // Nothing posted for a source: nothing to undo. A sale is no refund.
    expect(await postRefundFailure(db, { refund: { type: 'refund', id: 'never' } })).toBeNull()
    expect(
      await codeOf(postRefundFailure(db, { refund: { type: 'sale_line', id: 'line-f' } })),
    ).toBe('validation_failed')
  })

  it('lets concurrent refunds of one line take turns: never more than the line', async () => {
    const { db } = database()
    await postSale(db, sale('line-5'))
    const results = await Promise.all(
      ['a', 'b', 'c'].map((s) =>
        codeOf(
          postReversal(db, {
            kind: 'refund',
            sourceId: `re-5${s}`,
            saleLineId: 'line-5',
            request: { amount: idr(100_000) },
          }),
        ),
      ),
    )
    expect(results.filter((r) => r === 'resolved')).toHaveLength(1)
    expect(results.filter((r) => r === 'reversal_exceeds_original')).toHaveLength(2)
  })

  it('posts damage by the liability bearer; nothing when the producer bears it', async () => {
    const { db } = database()
    const shared = await postLiability(db, {
      kind: 'damage',
      sourceId: 'dmg-1',
      venueId: p.venue,
      producerId: p.producer,
      value: idr(75_001),
      bearer: 'shared',
    })
    // The producer is owed it by the venue, awaiting collection: not paid out until collected.
    expect(shared?.lines.map((l) => [l.purpose, l.amount, l.counterpartyId])).toEqual([
      ['damages_receivable', 37_501, p.producer],
      ['awaiting_collection', -37_501, p.venue],
    ])
    const own = await postLiability(db, {
      kind: 'loss',
      sourceId: 'loss-1',
      venueId: p.venue,
      producerId: p.producer,
      value: idr(75_000),
      bearer: 'producer',
    })
    expect(own).toBeNull()
  })

  it('deducts an inti-plasma advance from settlements up to the agreed share until repaid', async () => {
    const { db } = database()
    const producer = await createParty(db, 'producer')
    expect(
      await postAdvanceDeduction(db, {
        sourceId: 'set-0',
        producerId: producer,
        corePartnerId: p.core,
        currency: 'IDR',
        maxShareBps: 3_000,
      }),
    ).toBeNull()
    await postAdvance(db, {
      sourceId: newId('adv'),
      producerId: producer,
      corePartnerId: p.core,
      amount: idr(100_000),
    })
    const owedToCore = await amountOwed(db, p.core, 'IDR')
    const deduct = (sourceId: string) =>
      postAdvanceDeduction(db, {
        sourceId,
        producerId: producer,
        corePartnerId: p.core,
        currency: 'IDR',
        maxShareBps: 3_000,
        settlement: idr(200_000),
      })
    expect((await deduct('set-1'))?.lines[0]?.amount).toBe(60_000)
    expect((await deduct('set-1'))?.replayed).toBe(true)
    expect((await deduct('set-2'))?.lines[0]?.amount).toBe(40_000)
    expect(await deduct('set-3')).toBeNull()
    expect(
      (
        await advanceOutstanding(db, {
          producerId: producer,
          corePartnerId: p.core,
          currency: 'IDR',
        })
      ).amount,
    ).toBe(0)
    expect((await amountOwed(db, p.core, 'IDR')).amount - owedToCore.amount).toBe(100_000)
    expect((await amountOwed(db, producer, 'IDR')).amount).toBe(-100_000)
  })

  it('takes a subcontract penalty from what the producer is owed', async () => {
    const { db } = database()
    const producer = await createParty(db, 'producer')
    const posted = await postPenalty(db, {
      sourceId: newId('pen'),
      producerId: producer,
      buyerId: p.buyer,
      amount: idr(25_000),
      agreementId: newId('ctr'),
    })
    expect(posted.kind).toBe('penalty')
    expect((await amountOwed(db, producer, 'IDR')).amount).toBe(-25_000)
  })

  it('pays on items: preview, minimum, stale previews, each line once, reversal', async () => {
    const { db } = database()
    const preview = await previewPayout(db, {
      partyId: p.producer,
      currency: 'IDR',
      minimum: idr(50_000),
    })
    const owed = await amountOwed(db, p.producer, 'IDR')
    expect(preview.amount).toEqual(owed)
    expect(preview.payable).toBe(true)
    expect(preview.items.every((i) => i.purpose === 'payable_to_producer')).toBe(true)
    expect(
      await codeOf(
        postPayout(db, { partyId: p.producer, currency: 'IDR', minimum: idr(owed.amount + 1) }),
      ),
    ).toBe('payout_below_minimum')
    expect(
      await codeOf(
        postPayout(db, {
          partyId: p.producer,
          currency: 'IDR',
          expectedAmount: idr(owed.amount - 1),
        }),
      ),
    ).toBe('payout_stale')
    const payoutId = newId('po')
    const payout = await postPayout(db, {
      payoutId,
      partyId: p.producer,
      currency: 'IDR',
      minimum: idr(50_000),
      expectedAmount: preview.amount,
    })
    expect(payout).toMatchObject({ id: payoutId, amount: owed, status: 'in_transit' })
    expect(payout.items).toHaveLength(preview.items.length)
    expect((await postPayout(db, { payoutId, partyId: p.producer, currency: 'IDR' })).id).toBe(
      payoutId,
    )
    expect((await amountOwed(db, p.producer, 'IDR')).amount).toBe(0)
    const after = await previewPayout(db, { partyId: p.producer, currency: 'IDR' })
    expect(after).toMatchObject({ items: [], payable: false })
    expect(await codeOf(postPayout(db, { partyId: p.producer, currency: 'IDR' }))).toBe(
      'payout_below_minimum',
    )
    // The database holds it too: an item in a payout cannot go into another.
    const [item] = payout.items
    const twice = inTransaction(db, async (tx) => {
      const other = await postPayout(tx, { partyId: p.cooperative, currency: 'IDR' })
      await tx.insert(payoutItems).values({
        payoutId: other.id,
        transactionId: item?.transactionId as string,
        position: item?.position as number,
        amount: item?.amount as number,
      })
    })
    expect(await codeOf(twice)).toBe('sql:23505:payout_items_line_paid_once')

    const reversed = await reversePayout(db, { payoutId, reason: 'rekening ditolak bank' })
    expect(reversed.status).toBe('reversed')
    expect((await reversePayout(db, { payoutId, reason: 'again' })).reversalTransactionId).toBe(
      reversed.reversalTransactionId,
    )
    expect(await amountOwed(db, p.producer, 'IDR')).toEqual(owed)
    const again = await postPayout(db, { partyId: p.producer, currency: 'IDR' })
    expect(again.amount).toEqual(owed)
    expect(again.items.map((i) => `${i.transactionId}:${i.position}`)).toEqual(
      payout.items.map((i) => `${i.transactionId}:${i.position}`),
    )
    expect((await getPayout(db, payoutId)).status).toBe('reversed')
  })

  it('lets concurrent payouts to one party take turns: one pays, the other finds nothing', async () => {
    const { db } = database()
    await postSale(db, sale('line-6'))
    const results = await Promise.all([
      codeOf(postPayout(db, { partyId: p.venue, currency: 'IDR' })),
      codeOf(postPayout(db, { partyId: p.venue, currency: 'IDR' })),
    ])
    expect(results.sort()).toEqual(['payout_below_minimum', 'resolved'])
  })

  it('states a period: opening balance, each sale line with every share, refunds, payouts, closing', async () => {
    const { db } = database()
    const producer = await createParty(db, 'producer')
    const own = policyFromConsignmentTerms(
      {
        currency: 'IDR',
        commission: { kind: 'percent', bps: 2_500 },
        cooperative_fee_bps: 0,
        cooperative_id: null,
        platform_fee_bps: 0,
        payment_fee_bearer: 'producer',
        markdown_bearer: 'producer',
      },
      { producerId: producer, venueId: p.venue, platformId: p.platform },
    )
    const agreementId = newId('agr')
    const line = (id: string, price: number) => ({
      saleLineId: id,
      channel: 'online' as const,
      collectorId: p.platform,
      agreementId,
      split: splitLine(own, { gross: idr(price), quantity: 1, unitPrice: idr(price) }),
    })
    await postSale(db, line('st-1', 100_000), { occurredAt: new Date('2026-01-05T10:00:00Z') })
    await postSale(db, line('st-2', 40_000), { occurredAt: new Date('2026-01-12T10:00:00Z') })
    await postReversal(
      db,
      { kind: 'return', sourceId: 'st-ret', saleLineId: 'st-2', request: { quantity: 1 } },
      { occurredAt: new Date('2026-01-14T10:00:00Z') },
    )
    await postSale(db, line('st-3', 60_000), { occurredAt: new Date('2026-01-15T10:00:00Z') })
    await postPayout(db, {
      partyId: producer,
      currency: 'IDR',
      occurredAt: new Date('2026-01-20T10:00:00Z'),
    })
    await postSale(db, line('st-4', 20_000), { occurredAt: new Date('2026-02-02T10:00:00Z') })

    const january = await statement(db, {
      partyId: producer,
      currency: 'IDR',
      from: new Date('2026-01-10T00:00:00Z'),
      to: new Date('2026-02-01T00:00:00Z'),
    })
    expect(january.openingBalance.amount).toBe(75_000)
    expect(january.entries.map((e) => [e.kind, e.amount.amount, e.balance.amount])).toEqual([
      ['sale', 30_000, 105_000],
      ['return', -30_000, 75_000],
      ['sale', 45_000, 120_000],
      ['payout', -120_000, 0],
    ])
    expect(january.entries[0]?.shares.map((s) => [s.rule, s.amount.amount])).toEqual([
      ['venue_commission', 10_000],
      ['producer', 30_000],
    ])
    expect(january.totals).toMatchObject({
      sales: idr(75_000),
      returns: idr(-30_000),
      payouts: idr(-120_000),
      adjustments: idr(0),
    })
    expect(january.closingBalance.amount).toBe(0)
    const byAgreement = await statement(db, {
      partyId: producer,
      currency: 'IDR',
      agreementId,
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-03-01T00:00:00Z'),
    })
    expect(byAgreement.entries.map((e) => e.kind)).toEqual([
      'sale',
      'sale',
      'return',
      'sale',
      'sale',
    ])
    expect(byAgreement.closingBalance.amount).toBe(75_000 + 45_000 + 15_000)
    const csv = statementCsv(january)
    const rows = csv.trim().split('\r\n')
    expect(rows[0]).toBe(
      'date,kind,source_type,source_id,transaction_id,sale_line_id,rule,role,party_id,share,amount,balance,currency',
    )
    expect(rows[1]).toContain('opening_balance')
    expect(rows.at(-1)).toContain(',0,IDR')
    expect(rows.filter((r) => r.split(',')[1] === 'share')).toHaveLength(6)
  })

  it('keeps the trial balance at zero', async () => {
    const rows = await trialBalance(database().db)
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(row.total.amount).toBe(0)
      expect(row.debits.amount + row.credits.amount).toBe(0)
      expect(row.debits.amount).toBeGreaterThan(0)
    }
  })
})
