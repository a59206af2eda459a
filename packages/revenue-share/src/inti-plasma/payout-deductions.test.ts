import type { Database } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { amountOwed, trialBalance } from '../ledger.js'
import { postPayout, previewPayout } from '../payouts.js'
import { settle } from '../settlement.js'
import { collectFrom, createParty, idr } from '../testing.js'
import {
  acceptIntiPlasmaPartnership,
  createIntiPlasmaPartnership,
  getIntiPlasmaPartnership,
  recordIntiPlasmaAdvance,
  recordIntiPlasmaPurchase,
} from './partnerships.js'

describe.each(testDatabaseKinds())('advances repaid by payouts on %s', (kind) => {
  const database = useTestDatabase(kind)
  let db: Database
  beforeAll(() => {
    db = database().db as Database
  })

  it('takes the agreed share of each payout and settlement until the advance is repaid', async () => {
    const producer = { partyId: await createParty(db, 'producer') }
    const core = { partyId: await createParty(db, 'core_partner') }
    const created = await createIntiPlasmaPartnership(db, core, {
      producer_id: producer.partyId,
      currency: 'IDR',
      max_deduction_bps: 3_000,
      prices: [{ description: 'Kain batik cap 2 m', unit_price: idr(100_000) }],
    })
    await acceptIntiPlasmaPartnership(db, producer, created.id)
    await recordIntiPlasmaAdvance(db, core, created.id, {
      amount: idr(500_000),
      description: 'Kain mori, malam, canting',
    })
    const buy = (reference: string) =>
      recordIntiPlasmaPurchase(db, core, created.id, {
        description: 'Kain batik cap 2 m',
        quantity: 10,
        reference,
      })
    await buy('PO-1')
    await collectFrom(db, core.partyId)

    // The preview shows what is owed on items and the 30 % of it the payout repays first.
    expect(await previewPayout(db, { ...producer, currency: 'IDR' })).toMatchObject({
      amount: idr(1_000_000),
      advanceRepayment: idr(300_000),
      net: idr(700_000),
    })
    const payout = await postPayout(db, {
      partyId: producer.partyId,
      currency: 'IDR',
      expectedAmount: idr(1_000_000),
    })
    expect(payout.amount).toEqual(idr(700_000))
    expect(await amountOwed(db, producer.partyId, 'IDR')).toEqual(idr(0))
    expect(await amountOwed(db, core.partyId, 'IDR')).toEqual(idr(300_000))
    const after = await getIntiPlasmaPartnership(db, producer, created.id)
    expect(after.advances.outstanding).toEqual(idr(200_000))

    // The next settlement repays the rest (less than 30 %) and no more.
    await buy('PO-2')
    await collectFrom(db, core.partyId)
    const settled = await settle(db, {
      currency: 'IDR',
      minimum: idr(1),
      partyIds: [producer.partyId],
    })
    expect(settled.payouts).toEqual([
      expect.objectContaining({ partyId: producer.partyId, amount: idr(800_000) }),
    ])
    const repaid = await getIntiPlasmaPartnership(db, producer, created.id)
    expect(repaid.advances.outstanding).toEqual(idr(0))
    expect(await amountOwed(db, producer.partyId, 'IDR')).toEqual(idr(0))
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
  })
})
