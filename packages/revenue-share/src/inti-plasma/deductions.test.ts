import { isMitraError, money } from '@mitra/core'
import { type Database, type Executor, inTransaction } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { accountBalances, amountOwed, trialBalance } from '../ledger.js'
import { collectFrom, createParty, idr } from '../testing.js'
import { postSettlementDeductions } from './deductions.js'
import {
  acceptIntiPlasmaPartnership,
  createIntiPlasmaPartnership,
  endIntiPlasmaPartnership,
  getIntiPlasmaPartnership,
  recordIntiPlasmaAdvance,
  recordIntiPlasmaPurchase,
} from './partnerships.js'

async function failure(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (isMitraError(error)) return { status: error.status, code: error.code }
    throw error
  }
  throw new Error('expected a failure')
}

describe.each(testDatabaseKinds())('settlement deductions on %s', (kind) => {
  const database = useTestDatabase(kind)
  let db: Database

  beforeAll(() => {
    db = database().db as Database
  })

  /** An active partnership with an advance outstanding and a purchase owed to the producer. */
  async function partnership(
    producer: { partyId: string },
    options: { bps: number; advance: number; now?: Date },
  ) {
    const core = { partyId: await createParty(db, 'core_partner') }
    const created = await createIntiPlasmaPartnership(db, core, {
      producer_id: producer.partyId,
      currency: 'IDR',
      max_deduction_bps: options.bps,
      prices: [{ description: 'Kain batik cap 2 m', unit_price: idr(100_000) }],
    })
    await acceptIntiPlasmaPartnership(db, producer, created.id, options)
    if (options.advance > 0) {
      await recordIntiPlasmaAdvance(db, core, created.id, {
        amount: idr(options.advance),
        description: 'Kain mori, malam',
      })
    }
    return { core, id: created.id }
  }

  const producerParty = async () => ({ partyId: await createParty(db, 'producer') })
  const outstanding = async (producer: { partyId: string }, id: string) =>
    (await getIntiPlasmaPartnership(db, producer, id)).advances.outstanding
  const deduct = (tx: Executor, producer: { partyId: string }, owed: number, sourceId: string) =>
    postSettlementDeductions(tx, {
      producerId: producer.partyId,
      currency: 'IDR',
      owed: idr(owed),
      sourceId,
    })

  it('deducts up to the agreed share each settlement, and stops when repaid', async () => {
    const producer = await producerParty()
    const { core, id } = await partnership(producer, { bps: 3_000, advance: 500_000 })
    await recordIntiPlasmaPurchase(db, core, id, {
      description: 'Kain batik cap 2 m',
      quantity: 10,
    })
    // The core partner owes what it bought until it pays it in.
    expect(await amountOwed(db, producer.partyId, 'IDR')).toEqual(idr(0))
    await collectFrom(db, core.partyId)
    expect(await amountOwed(db, producer.partyId, 'IDR')).toEqual(idr(1_000_000))

    const first = await inTransaction(db, (tx) => deduct(tx, producer, 1_000_000, 'po_first'))
    expect(first).toHaveLength(1)
    expect(first[0]).toMatchObject({
      kind: 'advance_deduction',
      agreementId: id,
      source: { type: 'advance_deduction', id: `po_first:${id}` },
      replayed: false,
    })
    expect(await outstanding(producer, id)).toEqual(idr(200_000))
    expect(await amountOwed(db, producer.partyId, 'IDR')).toEqual(idr(700_000))
    expect(await amountOwed(db, core.partyId, 'IDR')).toEqual(idr(300_000))

    // The next settlement would allow 300.000; only 200.000 is left to repay.
    const second = await inTransaction(db, (tx) => deduct(tx, producer, 1_000_000, 'po_second'))
    expect(second[0]?.lines.find((l) => l.purpose === 'payable_to_producer')?.amount).toBe(200_000)
    expect(await outstanding(producer, id)).toEqual(idr(0))
    expect((await getIntiPlasmaPartnership(db, core, id)).advances).toEqual({
      advanced: idr(500_000),
      repaid: idr(500_000),
      outstanding: idr(0),
    })

    // Repaid: nothing more is taken.
    expect(await deduct(db, producer, 1_000_000, 'po_third')).toEqual([])
    expect(
      (await accountBalances(db, core.partyId, 'IDR')).find((a) => a.purpose === 'advances_funded')
        ?.balance,
    ).toEqual(idr(0))
    expect((await trialBalance(db)).every((row) => row.total.amount === 0)).toBe(true)
  })

  it('is replay-safe: the same settlement deducts once, even when it deducted nothing', async () => {
    const producer = await producerParty()
    const { id } = await partnership(producer, { bps: 5_000, advance: 100_000 })
    const first = await deduct(db, producer, 80_000, 'po_replay')
    expect(first.map((t) => t.replayed)).toEqual([false])
    const again = await deduct(db, producer, 80_000, 'po_replay')
    expect(again.map((t) => [t.id, t.replayed])).toEqual([[first[0]?.id, true]])
    expect(await outstanding(producer, id)).toEqual(idr(60_000))
    expect(await failure(deduct(db, producer, 90_000, 'po_replay'))).toEqual({
      status: 409,
      code: 'source_already_posted',
    })

    const empty = await deduct(db, producer, 0, 'po_empty')
    expect(empty).toEqual([])
    expect(await deduct(db, producer, 0, 'po_empty')).toEqual([])
    expect(await outstanding(producer, id)).toEqual(idr(60_000))
  })

  it('serves partnerships in the order they were accepted, never more than is owed', async () => {
    const producer = await producerParty()
    const older = await partnership(producer, {
      bps: 6_000,
      advance: 1_000_000,
      now: new Date('2026-01-05T00:00:00Z'),
    })
    const newer = await partnership(producer, {
      bps: 6_000,
      advance: 1_000_000,
      now: new Date('2026-03-01T00:00:00Z'),
    })
    const posted = await deduct(db, producer, 100_000, 'po_order')
    expect(posted.map((t) => t.agreementId)).toEqual([older.id, newer.id])
    expect(await outstanding(producer, older.id)).toEqual(idr(940_000))
    expect(await outstanding(producer, newer.id)).toEqual(idr(960_000))
    const total = posted.reduce(
      (sum, t) => sum + (t.lines.find((l) => l.purpose === 'payable_to_producer')?.amount ?? 0),
      0,
    )
    expect(total).toBe(100_000)
  })

  it('leaves ended partnerships, other currencies and other producers alone', async () => {
    const producer = await producerParty()
    const ended = await partnership(producer, { bps: 5_000, advance: 100_000 })
    await endIntiPlasmaPartnership(db, producer, ended.id)
    const other = await producerParty()
    const theirs = await partnership(other, { bps: 5_000, advance: 100_000 })
    expect(await deduct(db, producer, 1_000_000, 'po_ended')).toEqual([])
    expect(await outstanding(producer, ended.id)).toEqual(idr(100_000))
    expect(await outstanding(other, theirs.id)).toEqual(idr(100_000))
    expect(
      await failure(
        postSettlementDeductions(db, {
          producerId: producer.partyId,
          currency: 'IDR',
          owed: money(10, 'USD'),
          sourceId: 'po_usd',
        }),
      ),
    ).toMatchObject({ code: 'currency_mismatch' })
  })

  it('never repays a rupiah twice when settlements of one producer run at once', async () => {
    const producer = await producerParty()
    const { id } = await partnership(producer, { bps: 10_000, advance: 100_000 })
    const runs = await Promise.all(
      ['po_a', 'po_b', 'po_c'].map((source) =>
        inTransaction(db, (tx) => deduct(tx, producer, 80_000, source)),
      ),
    )
    const repaid = runs
      .flat()
      .reduce(
        (sum, t) => sum + (t.lines.find((l) => l.purpose === 'payable_to_producer')?.amount ?? 0),
        0,
      )
    expect(repaid).toBe(100_000)
    expect(await outstanding(producer, id)).toEqual(idr(0))
  })

  it("rolls back with the caller's transaction", async () => {
    const producer = await producerParty()
    const { id } = await partnership(producer, { bps: 5_000, advance: 100_000 })
    await expect(
      inTransaction(db, async (tx) => {
        await deduct(tx, producer, 100_000, 'po_rollback')
        throw new Error('the payout failed')
      }),
    ).rejects.toThrow('the payout failed')
    expect(await outstanding(producer, id)).toEqual(idr(100_000))
    // Nothing was recorded: the settlement can run again.
    expect(await deduct(db, producer, 100_000, 'po_rollback')).toHaveLength(1)
    expect(await outstanding(producer, id)).toEqual(idr(50_000))
  })
})
