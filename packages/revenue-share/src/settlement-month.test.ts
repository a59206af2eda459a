import { type ConsignmentTermsInput, reserve } from '@mitra/consignment'
import { sampleTerms } from '@mitra/consignment/testing'
import { isMitraError, type Money, money } from '@mitra/core'
import type { Executor } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  activeAgreement,
  party,
  receipt,
  stockUp,
  type TestParty,
  variants,
} from '../../consignment/src/stock/testing.js'
import { completeReservationSale, sellAtVenue } from './consignment/index.js'
import { postReversal, trialBalance } from './ledger.js'
import { recordManualPayout } from './payout-methods/index.js'
import { moneyPosition } from './position.js'
import {
  bounceRemittance,
  confirmRemittance,
  disputeRemittance,
  getRemittance,
  listRemittances,
  recordRemittance,
} from './remittances.js'
import { settle } from './settlement.js'

/*
 * One consignment month at a café, as a new integrator tried it: three cash sales at the
 * counter, six online sales and one refund, every item Rp350.000 at 20 % commission. The
 * café keeps its commission from its till; what it holds for the producer is netted against
 * the commission the platform owes it for the online sales, and the rest is remitted —
 * through the platform, or straight to the producer — before anyone is paid it.
 */

const idr = (amount: number): Money => money(amount, 'IDR')
const price = 350_000
/** The café's 20 % and the producer's 80 % of one item. */
const commission = 70_000
const share = 280_000

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'resolved'
  } catch (error) {
    if (isMitraError(error)) return error.code
    throw error
  }
}

describe.each(testDatabaseKinds())('a consignment month on %s', (kind) => {
  const database = useTestDatabase(kind)
  let platform: TestParty

  beforeAll(async () => {
    platform = await party(database().db, 'platform', 'Mitra platform')
  })

  async function month(remittance: 'platform' | 'direct') {
    const { db } = database()
    const producer = await party(db, 'producer', 'Batik Gemawang')
    const venue = await party(db, 'venue', 'Kafe Banaran 9')
    const terms: ConsignmentTermsInput = {
      ...sampleTerms,
      payment_fee_bearer: 'venue',
      remittance,
      remittance_due_days: 10,
    }
    const agreementId = await activeAgreement(db, producer, venue, terms)
    const [variant] = (await variants(db, producer, 1, { price })) as [string]
    await stockUp(db, producer, venue, [{ variant_id: variant, quantity: 10 }])
    for (let i = 0; i < 3; i++) {
      await sellAtVenue(db, venue.staff, {
        venue_id: venue.id,
        receipt_number: receipt(),
        channel: 'cash',
        lines: [{ variant_id: variant, quantity: 1 }],
      })
    }
    const online: string[] = []
    for (let i = 0; i < 6; i++) {
      const held = await reserve(db, venue.staff, {
        venue_id: venue.id,
        reference: `ORD-${receipt()}`,
        lines: [{ variant_id: variant, quantity: 1 }],
      })
      const sold = await completeReservationSale(db, venue.staff, held.id)
      online.push(sold.lines[0]?.saleLineId as string)
    }
    await postReversal(db, {
      kind: 'refund',
      sourceId: `re-${online[0]}`,
      saleLineId: online[0] as string,
      request: { amount: idr(price) },
    })
    const parties = [producer.id, venue.id, platform.id]
    return { db, producer, venue, agreementId, parties }
  }

  async function expectBalanced(db: Executor) {
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
  }

  const position = (db: Executor, id: string) => moneyPosition(db, id, 'IDR')

  it('through the platform: nets the commission, asks the rest of the cash, pays only what was collected', async () => {
    const { db, producer, venue, parties } = await month('platform')
    // Before settling: the café holds the counter cash less its commission.
    const before = await position(db, venue.id)
    expect(before.holds.amount).toBe(3 * share)
    expect(before.owed.amount).toBe(5 * commission)
    expect((await position(db, producer.id)).owed.amount).toBe(8 * share)

    const first = await settle(db, { currency: 'IDR', minimum: idr(1), partyIds: parties })
    // Its online commission (Rp350.000) is set against the Rp840.000 it holds; the café is
    // paid nothing and owes the platform the Rp490.000 left, by the agreement's 10 days.
    expect(first.holders).toEqual([
      { partyId: venue.id, credit: idr(0), netted: idr(price), remittanceIds: expect.any(Array) },
    ])
    const [dueId] = first.remittanceIds as [string]
    const due = await getRemittance(db, venue.owner, dueId)
    expect(due).toMatchObject({
      from_party_id: venue.id,
      to_party_id: platform.id,
      route: 'platform',
      status: 'due',
      amount: idr(490_000),
      claims: [{ party_id: producer.id, role: 'producer', amount: idr(490_000) }],
    })
    expect(new Date(due.due_at as string).getTime() - Date.now()).toBeGreaterThan(9 * 86_400_000)
    // Paid out: the producer's online shares and what the netting released, Rp1.750.000 —
    // exactly what the provider collected (six sales less one refund).
    expect(first.payouts.map((p) => [p.partyId, p.amount.amount])).toEqual([
      [producer.id, 1_750_000],
    ])
    expect(first.unfunded).toEqual([])
    expect((await position(db, producer.id)).awaiting).toMatchObject([
      { partyId: venue.id, amount: idr(490_000), requested: idr(490_000) },
    ])

    // The café pays in; the platform confirms it received the money.
    await recordRemittance(
      db,
      venue.owner,
      dueId,
      {
        method: 'transfer',
        reference: 'BCA 0612-771',
        proof_url: 'https://files.example/slip.jpg',
      },
      'usr_kasir',
    )
    expect(await codeOf(confirmRemittance(db, venue.owner, dueId, 'usr_kasir'))).toBe('forbidden')
    const confirmed = await confirmRemittance(db, platform.owner, dueId, 'usr_operator')
    expect(confirmed.status).toBe('confirmed')
    expect((await position(db, venue.id)).holds.amount).toBe(0)

    const second = await settle(db, { currency: 'IDR', minimum: idr(1), partyIds: parties })
    expect(second.payouts.map((p) => [p.partyId, p.amount.amount])).toEqual([
      [producer.id, 490_000],
    ])
    expect(second.remittanceIds).toEqual([])
    for (const payout of [...first.payouts, ...second.payouts]) {
      await recordManualPayout(db, {
        payoutId: payout.payoutId,
        actor: { id: 'usr_operator' },
        reference: `transfer ${payout.payoutId}`,
      })
    }

    // Every party has exactly its share of the eight sales that stand, nothing is left held
    // or in transit, and the platform paid out exactly what it collected.
    const [p, v] = [await position(db, producer.id), await position(db, venue.id)]
    expect([p.owed.amount, p.inTransit.amount, p.awaiting]).toEqual([0, 0, []])
    expect([v.owed.amount, v.holds.amount, v.owes]).toEqual([0, 0, []])
    const paidToProducer = [...first.payouts, ...second.payouts].reduce(
      (sum, x) => sum + x.amount.amount,
      0,
    )
    expect(paidToProducer).toBe(8 * share)
    expect(paidToProducer).toBe(5 * price + 490_000)
    await expectBalanced(db)
  })

  it('direct: the café pays the producer itself, who confirms; only then is it closed', async () => {
    const { db, producer, venue, parties } = await month('direct')
    const first = await settle(db, { currency: 'IDR', minimum: idr(1), partyIds: parties })
    // Nothing to net against the producer's money: the café is paid its online commission,
    // and owes the producer its whole counter share.
    expect(first.payouts.map((p) => [p.partyId, p.amount.amount]).sort()).toEqual(
      [
        [producer.id, 5 * share],
        [venue.id, 5 * commission],
      ].sort(),
    )
    const [dueId] = first.remittanceIds as [string]
    expect(await getRemittance(db, producer.owner, dueId)).toMatchObject({
      to_party_id: producer.id,
      route: 'direct',
      amount: idr(3 * share),
    })
    // The producer cannot record what the café pays; a stranger sees nothing.
    const stranger = await party(db, 'producer', 'Tenun Sumba')
    const paid = { method: 'cash' as const, reference: 'Kuitansi 12/06' }
    expect(await codeOf(recordRemittance(db, producer.owner, dueId, paid, 'u'))).toBe('forbidden')
    expect(await codeOf(recordRemittance(db, stranger.owner, dueId, paid, 'u'))).toBe('not_found')
    expect(await codeOf(getRemittance(db, stranger.owner, dueId))).toBe('not_found')

    // More than is due: 409 with the amount due, nothing changed.
    const tooMuch = recordRemittance(
      db,
      venue.owner,
      dueId,
      { ...paid, amount: idr(3 * share + 1) },
      'u',
    )
    await expect(tooMuch).rejects.toMatchObject({
      code: 'remittance_exceeds_due',
      extensions: { amount_due: idr(840_000) },
    })
    expect(
      await codeOf(
        recordRemittance(
          db,
          venue.owner,
          dueId,
          { ...paid, amount: { amount: 1, currency: 'USD' } },
          'u',
        ),
      ),
    ).toBe('currency_mismatch')
    expect((await getRemittance(db, venue.owner, dueId)).status).toBe('due')

    // A part payment: the rest stays due as a remittance of its own.
    const part = await recordRemittance(
      db,
      venue.owner,
      dueId,
      { ...paid, amount: idr(500_000) },
      'u',
    )
    expect(part).toMatchObject({ status: 'recorded', amount: idr(500_000) })
    // Recorded once: the same again returns it; other details are a conflict.
    expect(
      await recordRemittance(db, venue.owner, dueId, { ...paid, amount: idr(500_000) }, 'u'),
    ).toEqual(part)
    expect(
      await codeOf(
        recordRemittance(db, venue.owner, dueId, { ...paid, reference: 'another' }, 'u'),
      ),
    ).toBe('remittance_already_recorded')
    const { data } = await listRemittances(db, venue.owner, { direction: 'from', status: 'due' })
    const rest = data.find((r) => r.previous_id === dueId)
    expect(rest?.amount).toEqual(idr(340_000))

    // Disputed: nothing moves; recorded again, confirmed: only now is the money moved.
    await disputeRemittance(db, producer.owner, dueId, { reason: 'Uang belum diterima' })
    expect((await position(db, producer.id)).awaiting[0]?.amount).toEqual(idr(840_000))
    await recordRemittance(
      db,
      venue.owner,
      dueId,
      { ...paid, amount: idr(500_000), reference: 'Kuitansi 13/06' },
      'u',
    )
    expect(await codeOf(confirmRemittance(db, stranger.owner, dueId, 'u'))).toBe('not_found')
    await confirmRemittance(db, producer.owner, dueId, 'usr_bendahara')
    expect((await position(db, producer.id)).awaiting[0]?.amount).toEqual(idr(340_000))

    // It bounced: undone, and asked for again.
    const bounced = await bounceRemittance(db, producer.owner, dueId, { reason: 'Giro ditolak' })
    expect(bounced.status).toBe('bounced')
    expect((await position(db, producer.id)).awaiting[0]?.amount).toEqual(idr(840_000))
    const again = (await listRemittances(db, venue.owner, { status: 'due' })).data.filter(
      (r) => r.from_party_id === venue.id,
    )
    expect(again.map((r) => r.amount.amount).sort()).toEqual([340_000, 500_000])
    for (const r of again) {
      await recordRemittance(
        db,
        venue.owner,
        r.id,
        { method: 'transfer', reference: `BRI ${r.id}` },
        'u',
      )
      await confirmRemittance(db, producer.owner, r.id, 'usr_bendahara')
    }
    const [p, v] = [await position(db, producer.id), await position(db, venue.id)]
    expect([p.awaiting, v.holds.amount, v.owes]).toEqual([[], 0, []])
    // The producer got its whole share: four online ones paid out, three from the café.
    expect(p.owed.amount).toBe(0)
    await expectBalanced(db)
  })

  it('takes a remittance once when its records and confirmations race', async () => {
    const { db, producer, venue, parties } = await month('direct')
    const { remittanceIds } = await settle(db, {
      currency: 'IDR',
      minimum: idr(1),
      partyIds: parties,
    })
    const [dueId] = remittanceIds as [string]
    // Eight tills record it at once, each with its own reference: one is recorded.
    const records = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        recordRemittance(db, venue.owner, dueId, { method: 'cash', reference: `K-${i}` }, 'u'),
      ),
    )
    const recorded = records.filter((r) => r.status === 'fulfilled')
    expect(recorded).toHaveLength(1)
    for (const r of records) {
      if (r.status === 'rejected') {
        expect((r.reason as { code?: string }).code).toBe('remittance_already_recorded')
      }
    }
    // Eight confirmations at once: one posting, the others answer what it did.
    const confirmations = await Promise.all(
      Array.from({ length: 8 }, () => confirmRemittance(db, producer.owner, dueId, 'u')),
    )
    expect(new Set(confirmations.map((r) => r.transaction_ids.join()))).toHaveProperty('size', 1)
    const after = await position(db, producer.id)
    expect(after.awaiting).toEqual([])
    expect((await position(db, venue.id)).holds.amount).toBe(0)
    await expectBalanced(db)
  })
})
