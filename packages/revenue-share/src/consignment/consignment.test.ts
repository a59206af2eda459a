import { type ConsignmentTermsInput, reserve } from '@mitra/consignment'
import { sampleTerms } from '@mitra/consignment/testing'
import { isMitraError, type Money, money, newId } from '@mitra/core'
import {
  clusterMembers,
  type Executor,
  journalTransactions,
  stockLevels,
  venueSales,
} from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { and, eq, like } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  partners,
  party,
  receipt,
  stockUp,
  type TestParty,
} from '../../../consignment/src/stock/testing.js'
import { amountOwed, findPosted, postSale, trialBalance } from '../ledger.js'
import { moneyPosition } from '../position.js'
import {
  completeReservationSale,
  consignmentPolicyId,
  explainShare,
  saleLineIdOf,
  sellAtVenue,
  writeOffWithLiability,
} from './index.js'

const idr = (amount: number): Money => money(amount, 'IDR')

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (isMitraError(error)) return error.code
    return `error:${(error as Error).message.slice(0, 80)}`
  }
  return 'resolved'
}

async function onHand(db: Executor, venueId: string, variantId: string): Promise<number> {
  const [row] = await db
    .select({ onHand: stockLevels.onHand })
    .from(stockLevels)
    .where(and(eq(stockLevels.venueId, venueId), eq(stockLevels.variantId, variantId)))
  return row?.onHand ?? 0
}

/** All each party is owed: collected for it, and held for it by others. */
async function owed(db: Executor, ...ids: string[]): Promise<number[]> {
  return Promise.all(ids.map(async (id) => (await moneyPosition(db, id, 'IDR')).owed.amount))
}

async function expectBalanced(db: Executor): Promise<void> {
  for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
}

describe.each(testDatabaseKinds())('consignment postings on %s', (kind) => {
  const database = useTestDatabase(kind)
  let platform: TestParty
  let cluster: TestParty

  beforeAll(async () => {
    const { db } = database()
    platform = await party(db, 'platform', 'Mitra platform')
    cluster = await party(db, 'cluster', 'Koperasi Batik Gemawang')
  })

  /** Partners under `terms`, the producer a member of the cooperative, stock delivered. */
  async function setup(terms: ConsignmentTermsInput, stock: number[] = [5, 5], now?: Date) {
    const { db } = database()
    const p = await partners(db, { count: 2, terms })
    await db.insert(clusterMembers).values({ clusterId: cluster.id, producerId: p.producer.id })
    await stockUp(
      db,
      p.producer,
      p.venue,
      p.variants
        .map((variant_id, i) => ({ variant_id, quantity: stock[i] ?? 5 }))
        .filter((line) => line.quantity > 0),
      now,
    )
    return p
  }

  const feeTerms = (): ConsignmentTermsInput => ({
    ...sampleTerms,
    cooperative_fee_bps: 200,
    cooperative_id: cluster.id,
    platform_fee_bps: 300,
  })

  it('posts a Rp150.000 cash sale: shares add up to the gross, in the right accounts', async () => {
    const { db } = database()
    const p = await setup(feeTerms())
    const [coopBefore, platformBefore] = await owed(db, cluster.id, platform.id)
    const posted = await sellAtVenue(db, p.venue.staff, {
      venue_id: p.venue.id,
      receipt_number: receipt(),
      channel: 'cash',
      lines: [{ variant_id: p.variants[1] as string, quantity: 1 }],
    })
    expect(posted.sale.lines[0]?.unit_price.amount).toBe(150_000)
    const [line] = posted.lines
    if (line === undefined) throw new Error('no line posted')
    expect(line.saleLineId).toBe(saleLineIdOf(posted.sale.id, p.variants[1] as string))
    const byRule = Object.fromEntries(line.split.shares.map((s) => [s.rule, s.amount.amount]))
    expect(byRule).toEqual({
      payment_fee: 0,
      venue_commission: 30_000,
      cooperative_fee: 3_000,
      platform_fee: 4_500,
      producer: 112_500,
    })
    expect(line.split.shares.reduce((acc, s) => acc + s.amount.amount, 0)).toBe(150_000)

    const tx = line.transaction
    expect(tx.kind).toBe('sale')
    expect(tx.source).toEqual({ type: 'sale_line', id: line.saleLineId })
    expect(tx.agreementId).toBe(p.agreementId)
    expect(tx.lines.map((l) => [l.partyId, l.purpose, l.amount])).toEqual([
      [p.venue.id, 'cash_at_venue', 150_000],
      [p.venue.id, 'commission_revenue', -30_000],
      [cluster.id, 'cooperative_fees', -3_000],
      [platform.id, 'platform_fees', -4_500],
      [p.producer.id, 'payable_to_producer', -112_500],
    ])
    expect(new Set(tx.lines.map((l) => `${l.policyId}@${l.policyVersion}`))).toEqual(
      new Set([`${consignmentPolicyId(p.agreementId)}@1`]),
    )
    // The venue holds the cash: it kept its commission, and owes everyone else their share.
    const hold = await findPosted(db, {
      type: 'collection_hold',
      id: `sale_line:${line.saleLineId}`,
    })
    expect(hold?.lines.map((l) => [l.partyId, l.purpose, l.amount])).toEqual([
      [p.venue.id, 'commission_revenue', 30_000],
      [cluster.id, 'cooperative_fees', 3_000],
      [cluster.id, 'awaiting_collection', -3_000],
      [platform.id, 'platform_fees', 4_500],
      [platform.id, 'awaiting_collection', -4_500],
      [p.producer.id, 'payable_to_producer', 112_500],
      [p.producer.id, 'awaiting_collection', -112_500],
      [p.venue.id, 'cash_at_venue', -30_000],
    ])
    await expectBalanced(db)
    expect(await owed(db, p.producer.id, p.venue.id)).toEqual([112_500, 0])
    const venue = await moneyPosition(db, p.venue.id, 'IDR')
    expect(venue.holds.amount).toBe(120_000)
    expect(new Map(venue.owes.map((o) => [o.partyId, o.amount.amount]))).toEqual(
      new Map([
        [cluster.id, 3_000],
        [platform.id, 4_500],
        [p.producer.id, 112_500],
      ]),
    )
    // Nothing of it is payable yet: the platform has not collected it.
    expect((await amountOwed(db, p.producer.id, 'IDR')).amount).toBe(0)
    const [coopAfter, platformAfter] = await owed(db, cluster.id, platform.id)
    expect([
      (coopAfter ?? 0) - (coopBefore ?? 0),
      (platformAfter ?? 0) - (platformBefore ?? 0),
    ]).toEqual([3_000, 4_500])

    // The sale line posts once: posting it again replays the same transaction.
    const again = await postSale(db, {
      saleLineId: line.saleLineId,
      channel: 'in_venue',
      collectorId: p.venue.id,
      split: line.split,
      agreementId: p.agreementId,
      memo: tx.memo,
    })
    expect(again).toMatchObject({ id: tx.id, replayed: true })
  })

  it('spreads a QRIS fee over the lines, borne as the terms say', async () => {
    const { db } = database()
    const p = await setup(feeTerms())
    const posted = await sellAtVenue(
      db,
      p.venue.staff,
      {
        venue_id: p.venue.id,
        receipt_number: receipt(),
        channel: 'qris',
        lines: [
          { variant_id: p.variants[0] as string, quantity: 1 },
          { variant_id: p.variants[1] as string, quantity: 1 },
        ],
      },
      { paymentFee: idr(1_751) },
    )
    const fees = posted.lines.map(
      (l) => l.split.shares.find((s) => s.rule === 'payment_fee')?.amount.amount,
    )
    expect(fees).toEqual([700, 1_051]) // 1.751 by 100.000 : 150.000, largest remainder
    for (const line of posted.lines) {
      expect(line.split.shares.reduce((acc, s) => acc + s.amount.amount, 0)).toBe(
        line.split.gross.amount,
      )
    }
    // Shared: 525,5 of the fee from each of the venue and the producer; the rounding tie
    // goes to the earlier rule.
    const second = posted.lines[1]?.split.shares
    expect(second?.find((s) => s.rule === 'venue_commission')?.amount.amount).toBe(29_475)
    expect(second?.find((s) => s.rule === 'producer')?.amount.amount).toBe(111_974)
    expect(
      posted.lines[1]?.transaction.lines.find((l) => l.purpose === 'payment_fees'),
    ).toMatchObject({ partyId: platform.id, amount: -1_051 })
    await expectBalanced(db)
  })

  it('splits a markdown by lot age, borne half by the venue', async () => {
    const { db } = database()
    const delivered = new Date(Date.now() - 40 * 86_400_000)
    const p = await setup(
      {
        ...sampleTerms,
        markdown_bearer: 'shared',
        markdown_schedule: [{ after_days: 30, percent_off_bps: 2_000 }],
      },
      [3, 3],
      delivered,
    )
    const posted = await sellAtVenue(db, p.venue.staff, {
      venue_id: p.venue.id,
      receipt_number: receipt(),
      channel: 'cash',
      lines: [{ variant_id: p.variants[0] as string, quantity: 1 }],
    })
    const [line] = posted.lines
    expect(posted.sale.lines[0]?.unit_price.amount).toBe(80_000)
    expect(posted.sale.lines[0]?.list_price?.amount).toBe(100_000)
    const byRule = Object.fromEntries(
      (line?.split.shares ?? []).map((s) => [s.rule, s.amount.amount]),
    )
    // Rp20.000 off Rp100.000, shared: each side absorbs 10.000 (as consignment's
    // markdownPrice says) — the venue keeps 20.000 − 10.000, the producer 80.000 − 10.000.
    expect(byRule).toMatchObject({ venue_commission: 10_000, producer: 70_000 })
    const commission = line?.split.shares.find((s) => s.rule === 'venue_commission')
    expect(commission?.explanation.adjustments).toEqual([{ kind: 'markdown', amount: '-6000' }])
    await expectBalanced(db)
  })

  it('rolls the sale back when posting fails: no sale, stock unchanged', async () => {
    const { db } = database()
    // The cooperative named in the terms is no party: its account cannot be opened.
    const p = await setup({
      ...sampleTerms,
      cooperative_fee_bps: 200,
      cooperative_id: newId('pty'),
    })
    const variant = p.variants[1] as string
    const before = await onHand(db, p.venue.id, variant)
    const code = await codeOf(
      sellAtVenue(db, p.venue.staff, {
        venue_id: p.venue.id,
        receipt_number: receipt(),
        channel: 'cash',
        lines: [{ variant_id: variant, quantity: 2 }],
      }),
    )
    expect(code).not.toBe('resolved')
    expect(await onHand(db, p.venue.id, variant)).toBe(before)
    const sales = await db.select().from(venueSales).where(eq(venueSales.venueId, p.venue.id))
    expect(sales).toEqual([])
    const posted = await db
      .select()
      .from(journalTransactions)
      .where(eq(journalTransactions.agreementId, p.agreementId))
    expect(posted).toEqual([])
  })

  it('rolls the sale back when the split fails (a fee above the total)', async () => {
    const { db } = database()
    const p = await setup(feeTerms())
    const variant = p.variants[0] as string
    const before = await onHand(db, p.venue.id, variant)
    const code = await codeOf(
      sellAtVenue(
        db,
        p.venue.staff,
        {
          venue_id: p.venue.id,
          receipt_number: receipt(),
          channel: 'qris',
          lines: [{ variant_id: variant, quantity: 1 }],
        },
        { paymentFee: idr(100_001) },
      ),
    )
    expect(code).toBe('split_exceeds_total')
    expect(await onHand(db, p.venue.id, variant)).toBe(before)
    expect(await db.select().from(venueSales).where(eq(venueSales.venueId, p.venue.id))).toEqual([])
  })

  it('takes a tiered commission by unit price', async () => {
    const { db } = database()
    const p = await setup({
      ...sampleTerms,
      commission: {
        kind: 'tiered',
        tiers: [
          { up_to: 120_000, bps: 1_500 },
          { up_to: null, bps: 2_500 },
        ],
      },
    })
    const posted = await sellAtVenue(db, p.venue.staff, {
      venue_id: p.venue.id,
      receipt_number: receipt(),
      channel: 'cash',
      lines: [
        { variant_id: p.variants[0] as string, quantity: 2 },
        { variant_id: p.variants[1] as string, quantity: 1 },
      ],
    })
    const commissions = posted.lines.map((l) =>
      l.split.shares.find((s) => s.rule === 'venue_commission'),
    )
    expect(commissions.map((c) => c?.amount.amount)).toEqual([30_000, 37_500])
    expect(commissions.map((c) => c?.explanation.rate)).toEqual([
      { kind: 'tier', bps: 1_500, up_to: 120_000 },
      { kind: 'tier', bps: 2_500, up_to: null },
    ])
    expect(new Set(posted.lines.map((l) => l.transaction.id)).size).toBe(2)
    expect(await owed(db, p.producer.id, p.venue.id)).toEqual([282_500, 0])
    await expectBalanced(db)
  })

  it('posts write-off liability: venue, shared, or nothing when the producer bears it', async () => {
    const { db } = database()
    const p = await setup({ ...sampleTerms, damage_liability: 'venue', loss_liability: 'shared' })
    const [damage] = await writeOffWithLiability(db, p.venue.staff, {
      venue_id: p.venue.id,
      kind: 'damage',
      reason: 'Terkena tumpahan kopi',
      lines: [{ variant_id: p.variants[1] as string, quantity: 1 }],
    })
    expect(damage?.obligation.venue_owes.amount).toBe(150_000)
    expect(damage?.transaction?.lines.map((l) => [l.partyId, l.purpose, l.amount])).toEqual([
      [p.venue.id, 'damages_receivable', 150_000],
      [p.producer.id, 'awaiting_collection', -150_000],
    ])
    const [loss] = await writeOffWithLiability(db, p.venue.staff, {
      venue_id: p.venue.id,
      kind: 'loss',
      reason: 'Hilang dari rak',
      lines: [
        { variant_id: p.variants[0] as string, quantity: 1, agreed_unit_value: idr(100_001) },
      ],
    })
    expect(loss?.obligation.venue_owes.amount).toBe(50_001)
    expect(loss?.transaction?.lines.map((l) => l.amount)).toEqual([50_001, -50_001])
    expect(await owed(db, p.producer.id)).toEqual([200_001])

    const q = await setup({ ...sampleTerms, damage_liability: 'producer' })
    const [borne] = await writeOffWithLiability(db, q.venue.staff, {
      venue_id: q.venue.id,
      kind: 'damage',
      reason: 'Luntur',
      lines: [{ variant_id: q.variants[0] as string, quantity: 2 }],
    })
    expect(borne?.transaction).toBeNull()
    expect(borne?.obligation.producer_bears.amount).toBe(200_000)
    expect(await findPosted(db, { type: 'damage', id: borne?.obligation.id ?? '' })).toBeNull()
    expect(await owed(db, q.producer.id)).toEqual([0])
    expect(await onHand(db, q.venue.id, q.variants[0] as string)).toBe(3)
    await expectBalanced(db)
  })

  it('explains a share to each party it concerns, and is a 404 to anyone else', async () => {
    const { db } = database()
    const p = await setup(feeTerms())
    const posted = await sellAtVenue(db, p.venue.staff, {
      venue_id: p.venue.id,
      receipt_number: receipt(),
      channel: 'cash',
      lines: [{ variant_id: p.variants[1] as string, quantity: 1 }],
    })
    const saleLineId = posted.lines[0]?.saleLineId as string

    const producer = await explainShare(db, p.producer.id, saleLineId)
    expect(producer.gross).toEqual(idr(150_000))
    expect(producer.policyId).toBe(consignmentPolicyId(p.agreementId))
    expect(producer.lines).toEqual([
      {
        kind: 'share',
        purpose: 'payable_to_producer',
        role: 'producer',
        rule: 'producer',
        amount: idr(112_500),
        basis: 'remainder',
        basisAmount: '112500',
        rate: { kind: 'remainder', weight: 1, of: 1 },
        adjustments: [],
        exact: '112500',
        rounding: '0',
      },
    ])

    const venue = await explainShare(db, p.venue.id, saleLineId)
    expect(venue.lines).toMatchObject([
      { kind: 'collected', purpose: 'cash_at_venue', amount: idr(150_000), quantity: 1 },
      {
        kind: 'share',
        rule: 'venue_commission',
        amount: idr(30_000),
        basis: 'gross',
        basisAmount: '150000',
        rate: { kind: 'percent', bps: 2_000 },
        rounding: '0',
      },
    ])
    const coop = await explainShare(db, cluster.id, saleLineId)
    expect(coop.lines).toMatchObject([{ rule: 'cooperative_fee', amount: idr(3_000) }])

    const stranger = await party(db, 'producer', 'Tenun Sumba')
    expect(await codeOf(explainShare(db, stranger.id, saleLineId))).toBe('not_found')
    expect(await codeOf(explainShare(db, p.producer.id, `${saleLineId}x`))).toBe('not_found')
  })

  it('completes an online reservation: the platform collects, the provider fee is carried', async () => {
    const { db } = database()
    const p = await setup(feeTerms())
    const reservation = await reserve(db, p.venue.staff, {
      venue_id: p.venue.id,
      reference: `ORD-${receipt()}`,
      lines: [{ variant_id: p.variants[1] as string, quantity: 1 }],
    })
    const posted = await completeReservationSale(db, p.venue.staff, reservation.id, {}, idr(1_050))
    expect(posted.sale.channel).toBe('online')
    const tx = posted.lines[0]?.transaction
    expect(tx?.lines.map((l) => [l.partyId, l.purpose, l.amount])).toEqual([
      [platform.id, 'provider_clearing', 150_000],
      [platform.id, 'payment_fees', -1_050],
      [p.venue.id, 'commission_revenue', -29_475],
      [cluster.id, 'cooperative_fees', -3_000],
      [platform.id, 'platform_fees', -4_500],
      [p.producer.id, 'payable_to_producer', -111_975],
    ])
    expect(await onHand(db, p.venue.id, p.variants[1] as string)).toBe(4)
    const explained = await explainShare(db, platform.id, posted.lines[0]?.saleLineId as string)
    expect(explained.lines.map((l) => l.kind)).toEqual(['collected', 'share', 'share'])
    await expectBalanced(db)
  })

  it('50 concurrent sales of 10 units: exactly 10 sales, 10 posted transactions', async () => {
    const { db } = database()
    const p = await setup(feeTerms(), [10, 0])
    const variant = p.variants[0] as string
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        sellAtVenue(db, p.venue.staff, {
          venue_id: p.venue.id,
          receipt_number: receipt(),
          channel: 'cash',
          lines: [{ variant_id: variant, quantity: 1 }],
        }),
      ),
    )
    const sold = results.filter((r) => r.status === 'fulfilled')
    expect(sold).toHaveLength(10)
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(isMitraError(r.reason) ? r.reason.code : String(r.reason)).toBe('insufficient_stock')
      }
    }
    const sales = await db.select().from(venueSales).where(eq(venueSales.venueId, p.venue.id))
    expect(sales).toHaveLength(10)
    const txns = await db
      .select()
      .from(journalTransactions)
      .where(
        and(
          eq(journalTransactions.agreementId, p.agreementId),
          eq(journalTransactions.sourceType, 'sale_line'),
        ),
      )
    expect(txns).toHaveLength(10)
    expect(new Set(txns.map((t) => t.sourceId.split(':')[0]))).toEqual(
      new Set(sales.map((s) => s.id)),
    )
    expect(await onHand(db, p.venue.id, variant)).toBe(0)
    expect(await owed(db, p.producer.id)).toEqual([10 * 75_000])
    await expectBalanced(db)
  })
})

describe.each(testDatabaseKinds())('consignment postings without a platform on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('takes no platform fee, and refuses an online sale it has no collector for', async () => {
    const { db } = database()
    const p = await partners(db, { count: 1, terms: { ...sampleTerms, platform_fee_bps: 300 } })
    await stockUp(db, p.producer, p.venue, [{ variant_id: p.variants[0] as string, quantity: 2 }])
    const posted = await sellAtVenue(db, p.venue.staff, {
      venue_id: p.venue.id,
      receipt_number: receipt(),
      channel: 'cash',
      lines: [{ variant_id: p.variants[0] as string, quantity: 1 }],
    })
    expect(posted.lines[0]?.split.shares.map((s) => [s.rule, s.amount.amount])).toEqual([
      ['payment_fee', 0],
      ['venue_commission', 20_000],
      ['producer', 80_000],
    ])
    const reservation = await reserve(db, p.venue.staff, {
      venue_id: p.venue.id,
      lines: [{ variant_id: p.variants[0] as string, quantity: 1 }],
    })
    expect(await codeOf(completeReservationSale(db, p.venue.staff, reservation.id))).toBe(
      'platform_unavailable',
    )
    // Rolled back: the reservation still holds its unit.
    const [level] = await db.select().from(stockLevels).where(eq(stockLevels.venueId, p.venue.id))
    expect(level).toMatchObject({ onHand: 1, reserved: 1 })
    const txns = await db
      .select()
      .from(journalTransactions)
      .where(like(journalTransactions.sourceId, `${posted.sale.id}%`))
    expect(txns).toHaveLength(1)
  })
})
