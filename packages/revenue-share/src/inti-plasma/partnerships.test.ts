import { isMitraError, newId } from '@mitra/core'
import type { Executor } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { accountBalances, amountOwed, findPosted, trialBalance } from '../ledger.js'
import { moneyPosition } from '../position.js'
import { statement } from '../statements.js'
import { outstandingAdvances, recordAdvance } from '../subcontracts-store.js'
import { createParty, idr } from '../testing.js'
import {
  acceptIntiPlasmaPartnership,
  createIntiPlasmaPartnership,
  endIntiPlasmaPartnership,
  getIntiPlasmaPartnership,
  type IntiPlasmaScope,
  listIntiPlasmaPartnerships,
  listIntiPlasmaPurchases,
  recordIntiPlasmaAdvance,
  recordIntiPlasmaPurchase,
} from './partnerships.js'
import type { IntiPlasmaPartnershipInput, IntiPlasmaPurchaseInput } from './terms.js'

async function failure(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (isMitraError(error)) {
      return { status: error.status, code: error.code, paths: error.errors.map((e) => e.path) }
    }
    throw error
  }
  throw new Error('expected a failure')
}

describe.each(testDatabaseKinds())('inti-plasma partnerships on %s', (kind) => {
  const database = useTestDatabase(kind)
  let db: Executor
  let stranger: IntiPlasmaScope

  beforeAll(async () => {
    db = database().db
    stranger = { partyId: await createParty(db, 'core_partner') }
  })

  async function sides() {
    const core = { partyId: await createParty(db, 'core_partner'), actorId: 'key_core' }
    const producer = { partyId: await createParty(db, 'producer'), actorId: 'key_producer' }
    return { core, producer }
  }

  const terms = (producerId: string, overrides: Partial<IntiPlasmaPartnershipInput> = {}) =>
    ({
      producer_id: producerId,
      currency: 'IDR',
      max_deduction_bps: 3_000,
      prices: [
        { description: 'Kain batik cap 2 m', unit_price: idr(85_000) },
        { description: 'Batik tulis 2 m', unit_price: idr(250_000) },
      ],
      ...overrides,
    }) as IntiPlasmaPartnershipInput

  async function active() {
    const { core, producer } = await sides()
    const created = await createIntiPlasmaPartnership(db, core, terms(producer.partyId))
    await acceptIntiPlasmaPartnership(db, producer, created.id)
    return { core, producer, id: created.id }
  }

  it('is proposed by the core partner, accepted by the producer, seen by both only', async () => {
    const { core, producer } = await sides()
    const created = await createIntiPlasmaPartnership(db, core, {
      ...terms(producer.partyId),
      note: 'Pendampingan teknik pewarnaan alam',
    })
    expect(created).toMatchObject({
      core_partner_id: core.partyId,
      producer_id: producer.partyId,
      currency: 'IDR',
      max_deduction_bps: 3_000,
      status: 'proposed',
      accepted_at: null,
      prices: [
        { variant_id: null, description: 'Kain batik cap 2 m', unit_price: idr(85_000) },
        { variant_id: null, description: 'Batik tulis 2 m', unit_price: idr(250_000) },
      ],
      advances: { advanced: idr(0), repaid: idr(0), outstanding: idr(0) },
      purchased: idr(0),
    })
    expect(created.id).toMatch(/^ctr_/)
    expect(await failure(acceptIntiPlasmaPartnership(db, core, created.id))).toMatchObject({
      status: 403,
    })
    expect(await failure(getIntiPlasmaPartnership(db, stranger, created.id))).toMatchObject({
      status: 404,
    })
    expect(await failure(acceptIntiPlasmaPartnership(db, stranger, created.id))).toMatchObject({
      status: 404,
    })
    const accepted = await acceptIntiPlasmaPartnership(db, producer, created.id)
    expect(accepted.status).toBe('active')
    expect(accepted.accepted_at).toBeInstanceOf(Date)
    const again = await acceptIntiPlasmaPartnership(db, producer, created.id)
    expect(again.accepted_at).toEqual(accepted.accepted_at)
    expect((await getIntiPlasmaPartnership(db, core, created.id)).status).toBe('active')

    const mine = await listIntiPlasmaPartnerships(db, producer)
    expect(mine.data.map((p) => p.id)).toEqual([created.id])
    expect((await listIntiPlasmaPartnerships(db, stranger)).data).toEqual([])
  })

  it('refuses bad terms with 422 naming the field, and a second open partnership', async () => {
    const { core, producer } = await sides()
    const venue = { partyId: await createParty(db, 'venue') }
    expect(
      await failure(
        createIntiPlasmaPartnership(db, core, terms(producer.partyId, { max_deduction_bps: -1 })),
      ),
    ).toMatchObject({ status: 422, paths: ['max_deduction_bps'] })
    expect(
      await failure(
        createIntiPlasmaPartnership(
          db,
          core,
          terms(producer.partyId, {
            prices: [{ variant_id: newId('var'), unit_price: idr(1_000) }],
          }),
        ),
      ),
    ).toMatchObject({ status: 422, paths: ['prices.0.variant_id'] })
    expect(
      await failure(
        createIntiPlasmaPartnership(db, core, terms(producer.partyId, { currency: 'USD' })),
      ),
    ).toMatchObject({ status: 422, paths: ['prices.0.unit_price.currency'] })
    expect(
      await failure(createIntiPlasmaPartnership(db, core, terms(venue.partyId))),
    ).toMatchObject({ status: 422, code: 'wrong_party_kind', paths: ['producer_id'] })
    expect(
      await failure(createIntiPlasmaPartnership(db, venue, terms(producer.partyId))),
    ).toMatchObject({ status: 422, code: 'wrong_party_kind', paths: ['core_partner_id'] })

    const first = await createIntiPlasmaPartnership(db, core, terms(producer.partyId))
    expect(
      await failure(createIntiPlasmaPartnership(db, core, terms(producer.partyId))),
    ).toMatchObject({ status: 409, code: 'agreement_exists', paths: ['producer_id'] })
    // The producer declines: the core partner may propose new terms.
    const declined = await endIntiPlasmaPartnership(db, producer, first.id, {
      reason: 'Harga terlalu rendah',
    })
    expect(declined).toMatchObject({
      status: 'ended',
      ended_by_party_id: producer.partyId,
      end_reason: 'Harga terlalu rendah',
    })
    expect(await failure(acceptIntiPlasmaPartnership(db, producer, first.id))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })
    const second = await createIntiPlasmaPartnership(
      db,
      core,
      terms(producer.partyId, { max_deduction_bps: 2_000 }),
    )
    expect(second.status).toBe('proposed')
    const ended = await listIntiPlasmaPartnerships(db, core, { status: 'ended' })
    expect(ended.data.map((p) => p.id)).toEqual([first.id])
  })

  it('buys at the agreed price only, posting one balanced sale to the producer', async () => {
    const { core, producer, id } = await active()
    const bought = await recordIntiPlasmaPurchase(db, core, id, {
      description: 'kain batik CAP 2 m',
      quantity: 40,
      unit_price: idr(85_000),
      reference: 'NOTA-0412',
    })
    expect(bought).toMatchObject({
      partnership_id: id,
      reference: 'NOTA-0412',
      description: 'Kain batik cap 2 m',
      quantity: 40,
      unit_price: idr(85_000),
      amount: idr(3_400_000),
      replayed: false,
    })
    expect(bought.id).toMatch(/^dlv_/)
    const posted = await findPosted(db, { type: 'inti_plasma_purchase', id: bought.id })
    expect(posted).toMatchObject({ kind: 'sale', agreementId: id })
    expect(posted?.lines.reduce((sum, l) => sum + l.amount, 0)).toBe(0)
    // Owed to the producer, held by the core partner until it pays: not yet payable.
    const where = await moneyPosition(db, producer.partyId, 'IDR')
    expect([where.owed, where.payable]).toEqual([idr(3_400_000), idr(0)])
    expect(where.awaiting).toMatchObject([{ partyId: core.partyId, amount: idr(3_400_000) }])
    expect(await amountOwed(db, producer.partyId, 'IDR')).toEqual(idr(0))
    expect(
      (await accountBalances(db, core.partyId, 'IDR')).find(
        (a) => a.purpose === 'purchases_receivable',
      )?.balance,
    ).toEqual(idr(3_400_000))

    // The same reference again: the same purchase, nothing posted.
    const replay = await recordIntiPlasmaPurchase(db, core, id, {
      description: 'Kain batik cap 2 m',
      quantity: 40,
      reference: 'NOTA-0412',
    })
    expect(replay).toMatchObject({ id: bought.id, replayed: true })
    expect((await moneyPosition(db, producer.partyId, 'IDR')).owed).toEqual(idr(3_400_000))
    expect(
      await failure(
        recordIntiPlasmaPurchase(db, core, id, {
          description: 'Kain batik cap 2 m',
          quantity: 41,
          reference: 'NOTA-0412',
        }),
      ),
    ).toMatchObject({ status: 409, paths: ['reference'] })

    expect(
      await failure(
        recordIntiPlasmaPurchase(db, core, id, {
          description: 'Batik tulis 2 m',
          quantity: 1,
          unit_price: idr(200_000),
        }),
      ),
    ).toEqual({ status: 422, code: 'price_not_allowed', paths: ['unit_price'] })
    expect(
      await failure(
        recordIntiPlasmaPurchase(db, core, id, { description: 'Topeng kayu', quantity: 1 }),
      ),
    ).toMatchObject({ status: 422, paths: ['description'] })
    expect(
      await failure(
        // Unchecked input, as a caller outside TypeScript may send it.
        recordIntiPlasmaPurchase(db, core, id, {
          description: 'Batik tulis 2 m',
        } as IntiPlasmaPurchaseInput),
      ),
    ).toMatchObject({ status: 422, paths: ['quantity'] })
    expect(
      await failure(
        recordIntiPlasmaPurchase(db, producer, id, { description: 'Batik tulis 2 m', quantity: 1 }),
      ),
    ).toMatchObject({ status: 403 })
    expect(
      await failure(
        recordIntiPlasmaPurchase(db, stranger, id, { description: 'Batik tulis 2 m', quantity: 1 }),
      ),
    ).toMatchObject({ status: 404 })
    expect((await moneyPosition(db, producer.partyId, 'IDR')).owed).toEqual(idr(3_400_000))

    const second = await recordIntiPlasmaPurchase(db, core, id, {
      description: 'Batik tulis 2 m',
      quantity: 2,
    })
    expect(second.amount).toEqual(idr(500_000))
    const page = await listIntiPlasmaPurchases(db, producer, id, { limit: 1 })
    expect(page.data.map((p) => p.id)).toEqual([bought.id])
    const next = await listIntiPlasmaPurchases(db, producer, id, {
      cursor: page.next_cursor as string,
    })
    expect(next).toMatchObject({ next_cursor: null, data: [{ id: second.id }] })
    expect((await getIntiPlasmaPartnership(db, producer, id)).purchased).toEqual(idr(3_900_000))
    expect((await trialBalance(db)).every((row) => row.total.amount === 0)).toBe(true)
  })

  it('records advances under an active partnership, which statements and both sides see', async () => {
    const { core, producer, id } = await active()
    const advance = await recordIntiPlasmaAdvance(db, core, id, {
      amount: idr(400_000),
      description: 'Kain mori 20 m, malam 5 kg',
    })
    expect(advance).toMatchObject({
      partnership_id: id,
      producer_id: producer.partyId,
      core_partner_id: core.partyId,
      amount: idr(400_000),
    })
    const viaLegacy = await recordAdvance(db, core, {
      producer_id: producer.partyId,
      partnership_id: id,
      amount: idr(100_000),
      description: 'Canting 10 buah',
    })
    expect(viaLegacy.partnership_id).toBe(id)
    expect((await getIntiPlasmaPartnership(db, producer, id)).advances).toEqual({
      advanced: idr(500_000),
      repaid: idr(0),
      outstanding: idr(500_000),
    })
    expect(
      (await outstandingAdvances(db, producer, { producerId: producer.partyId })).total,
    ).toEqual(idr(500_000))
    const found = await statement(db, {
      partyId: producer.partyId,
      currency: 'IDR',
      agreementId: id,
      from: new Date(Date.now() - 60_000),
      to: new Date(Date.now() + 60_000),
    })
    expect(found.entries.map((e) => e.kind)).toEqual(['advance', 'advance'])

    expect(
      await failure(
        recordIntiPlasmaAdvance(db, producer, id, { amount: idr(1), description: 'x' }),
      ),
    ).toMatchObject({ status: 403 })
    expect(
      await failure(
        recordIntiPlasmaAdvance(db, core, id, {
          amount: { amount: 1, currency: 'USD' },
          description: 'x',
        }),
      ),
    ).toMatchObject({ status: 422, paths: ['amount.currency'] })
    const other = await createParty(db, 'producer')
    expect(
      await failure(
        recordAdvance(db, core, {
          producer_id: other,
          partnership_id: id,
          amount: idr(1),
          description: 'x',
        }),
      ),
    ).toMatchObject({ status: 422, paths: ['partnership_id'] })

    await endIntiPlasmaPartnership(db, core, id)
    expect(
      await failure(recordIntiPlasmaAdvance(db, core, id, { amount: idr(1), description: 'x' })),
    ).toMatchObject({ status: 409, code: 'agreement_not_active' })
    expect(
      await failure(
        recordIntiPlasmaPurchase(db, core, id, { description: 'Batik tulis 2 m', quantity: 1 }),
      ),
    ).toMatchObject({ status: 409, code: 'agreement_not_active' })
    // Ending leaves what is owed on the ledger.
    expect((await getIntiPlasmaPartnership(db, core, id)).advances.outstanding).toEqual(
      idr(500_000),
    )
  })

  it('refuses advances and purchases before the producer accepts', async () => {
    const { core, producer } = await sides()
    const { id } = await createIntiPlasmaPartnership(db, core, terms(producer.partyId))
    expect(
      await failure(recordIntiPlasmaAdvance(db, core, id, { amount: idr(1), description: 'x' })),
    ).toMatchObject({ status: 409, code: 'agreement_not_active' })
    expect(
      await failure(
        recordIntiPlasmaPurchase(db, core, id, { description: 'Batik tulis 2 m', quantity: 1 }),
      ),
    ).toMatchObject({ status: 409, code: 'agreement_not_active' })
  })
})
