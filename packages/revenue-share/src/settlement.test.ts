import { money } from '@mitra/core'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { amountOwed, postSale } from './ledger.js'
import { postPayout, previewPayout } from './payouts.js'
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
    const sell = (id: string, price: number) =>
      postSale(db, {
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
})
