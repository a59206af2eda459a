import { isMitraError } from '@mitra/core'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { availableFunds } from './funds.js'
import { amountOwed, postReversal, postSale, trialBalance } from './ledger.js'
import { postPayout } from './payouts.js'
import { moneyPosition } from './position.js'
import { settle } from './settlement.js'
import { splitLine } from './split.js'
import { batikPolicy, createParty, idr } from './testing.js'

/*
 * The platform's funds bound every payout. Here a refund comes after its money was paid out:
 * the producer owes it back, the funds are short, and a later sale's shares are paid only
 * as far as the money collected reaches.
 */
describe.each(testDatabaseKinds())('funds on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('pays out no more than the funds hold; the rest stays owed, unfunded', async () => {
    const { db } = database()
    const platform = await createParty(db, 'platform')
    const venue = await createParty(db, 'venue')
    const [batik, honey] = [await createParty(db, 'producer'), await createParty(db, 'producer')]
    const sell = (id: string, producer: string) =>
      postSale(db, {
        saleLineId: id,
        channel: 'online',
        collectorId: platform,
        split: splitLine(
          batikPolicy(
            { cooperative_fee_bps: 0, cooperative_id: null, platform_fee_bps: 0 },
            { producerId: producer, venueId: venue, platformId: platform },
          ),
          { gross: idr(100_000), quantity: 1, unitPrice: idr(100_000) },
        ),
      })
    await sell('funds-a', batik)
    expect(await availableFunds(db, 'IDR')).toBe(100_000)
    await postPayout(db, { partyId: batik, currency: 'IDR' })
    expect(await availableFunds(db, 'IDR')).toBe(20_000)
    // Refunded after its share was paid out: the batik group owes it back.
    await postReversal(db, {
      kind: 'refund',
      sourceId: 're-funds-a',
      saleLineId: 'funds-a',
      request: { amount: idr(100_000) },
    })
    expect((await amountOwed(db, batik, 'IDR')).amount).toBe(-80_000)
    await sell('funds-b', honey)
    // Honey is owed 80.000 and the venue 20.000; the funds hold 20.000.
    expect(await availableFunds(db, 'IDR')).toBe(20_000)
    try {
      await postPayout(db, { partyId: honey, currency: 'IDR' })
      expect.unreachable()
    } catch (error) {
      expect(isMitraError(error) && error.code).toBe('insufficient_funds')
      expect(isMitraError(error) && error.extensions).toMatchObject({
        amount_due: idr(80_000),
        available: idr(20_000),
      })
    }
    const settled = await settle(db, { currency: 'IDR', minimum: idr(1) })
    expect(settled.payouts.map((p) => [p.partyId, p.amount.amount])).toEqual([[venue, 20_000]])
    expect(settled.unfunded).toEqual([{ partyId: honey, amount: idr(80_000) }])
    expect(settled.fundsAfter).toEqual(idr(0))
    expect((await moneyPosition(db, honey, 'IDR')).payable).toEqual(idr(80_000))
    // When the money comes in, it is paid.
    await sell('funds-c', batik)
    const next = await settle(db, { currency: 'IDR', minimum: idr(1) })
    expect(next.payouts.map((p) => [p.partyId, p.amount.amount]).sort()).toEqual(
      [
        [honey, 80_000],
        [venue, 20_000],
      ].sort(),
    )
    expect(next.unfunded).toEqual([])
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
  })
})
