import { isMitraError, newId } from '@mitra/core'
import { type Executor, journalTransactions, subcontracts } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { accountBalances, advanceOutstanding, findPosted } from './ledger.js'
import {
  closeSubcontract,
  createSubcontract,
  getSubcontract,
  inspectDelivery,
  outstandingAdvances,
  recordAdvance,
  recordSubcontractDelivery,
  type SubcontractStoreInput,
  subcontractStatus,
} from './subcontracts-store.js'
import { createParty, idr } from './testing.js'

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

const deadline = new Date('2026-03-31T17:00:00Z')
const before = new Date('2026-03-20T03:00:00Z')
const after = new Date('2026-04-02T03:00:00Z')

describe.each(testDatabaseKinds())('subcontracts store on %s', (kind) => {
  const database = useTestDatabase(kind)
  let db: Executor
  let buyer: { partyId: string; actorId: string }
  let producer: { partyId: string; actorId: string }
  let stranger: { partyId: string }
  let core: { partyId: string }

  beforeAll(async () => {
    db = database().db
    buyer = { partyId: await createParty(db, 'buyer'), actorId: 'key_buyer' }
    producer = { partyId: await createParty(db, 'producer'), actorId: 'key_producer' }
    stranger = { partyId: await createParty(db, 'venue') }
    core = { partyId: await createParty(db, 'core_partner') }
  })

  const contractInput = (
    overrides: Partial<SubcontractStoreInput> = {},
  ): SubcontractStoreInput => ({
    producer_id: producer.partyId as SubcontractStoreInput['producer_id'],
    items: [{ description: 'Kain batik cap 2 m, motif parang' }],
    target_quantity: 100,
    unit_price: idr(50_000),
    deadline,
    penalty: { kind: 'per_unit', amount: 10_000 },
    penalty_cap: idr(300_000),
    ...overrides,
  })

  it('creates a contract the buyer and the producer see, and no one else', async () => {
    const contract = await createSubcontract(db, buyer, contractInput())
    expect(contract).toMatchObject({
      buyer_id: buyer.partyId,
      producer_id: producer.partyId,
      currency: 'IDR',
      target_quantity: 100,
      unit_price: idr(50_000),
      penalty_cap: idr(300_000),
      status: 'open',
      items: [{ variant_id: null, description: 'Kain batik cap 2 m, motif parang' }],
    })
    expect(contract.id).toMatch(/^ctr_/)
    expect((await getSubcontract(db, producer, contract.id)).id).toBe(contract.id)
    expect(await failure(getSubcontract(db, stranger, contract.id))).toMatchObject({
      status: 404,
    })
    expect(await failure(subcontractStatus(db, stranger, contract.id))).toMatchObject({
      status: 404,
    })
  })

  it('refuses the wrong party kinds, naming the field', async () => {
    expect(await failure(createSubcontract(db, producer, contractInput()))).toEqual({
      status: 422,
      code: 'wrong_party_kind',
      paths: ['buyer_id'],
    })
    const notProducer = contractInput({
      producer_id: stranger.partyId as SubcontractStoreInput['producer_id'],
    })
    expect(await failure(createSubcontract(db, buyer, notProducer))).toEqual({
      status: 422,
      code: 'wrong_party_kind',
      paths: ['producer_id'],
    })
  })

  it('validates the input, naming each field', async () => {
    const bad = await failure(
      createSubcontract(db, buyer, {
        ...contractInput(),
        target_quantity: 0,
        items: [{}],
        penalty: { kind: 'percent', bps: 20_000 },
      }),
    )
    expect(bad.status).toBe(422)
    expect(bad.paths).toEqual(
      expect.arrayContaining(['target_quantity', 'items.0.description', 'penalty.bps']),
    )
    const unknownVariant = await failure(
      createSubcontract(db, buyer, contractInput({ items: [{ variant_id: newId('var') }] })),
    )
    expect(unknownVariant).toMatchObject({ status: 422, paths: ['items.0.variant_id'] })
    const currency = await failure(
      createSubcontract(db, buyer, contractInput({ penalty_cap: { amount: 1, currency: 'USD' } })),
    )
    expect(currency).toMatchObject({ status: 422, paths: ['penalty_cap.currency'] })
  })

  it('records deliveries, inspects them, evaluates, and closes with the penalty once', async () => {
    const contract = await createSubcontract(db, buyer, contractInput())
    const first = await recordSubcontractDelivery(db, producer, contract.id, {
      quantity: 60,
      delivered_at: new Date('2026-03-10T02:00:00Z'),
    })
    expect(first).toMatchObject({ status: 'pending', accepted: null, quantity: 60 })
    // Only the producer delivers; only the buyer inspects.
    expect(
      await failure(recordSubcontractDelivery(db, buyer, contract.id, { quantity: 1 })),
    ).toMatchObject({ status: 403 })
    expect(
      await failure(inspectDelivery(db, producer, first.id, { accepted: 60, rejected: 0 })),
    ).toMatchObject({ status: 403 })
    expect(
      await failure(inspectDelivery(db, stranger, first.id, { accepted: 60, rejected: 0 })),
    ).toMatchObject({ status: 404 })
    // accepted + rejected must be what was delivered.
    expect(
      await failure(inspectDelivery(db, buyer, first.id, { accepted: 50, rejected: 5 })),
    ).toEqual({ status: 422, code: 'validation_failed', paths: ['accepted'] })

    const inspected = await inspectDelivery(db, buyer, first.id, {
      accepted: 55,
      rejected: 5,
      note: 'lima lembar luntur',
    })
    expect(inspected).toMatchObject({ status: 'inspected', accepted: 55, rejected: 5 })
    // The same inspection again is a no-op; different numbers a conflict.
    expect(await inspectDelivery(db, buyer, first.id, { accepted: 55, rejected: 5 })).toEqual(
      inspected,
    )
    expect(
      await failure(inspectDelivery(db, buyer, first.id, { accepted: 60, rejected: 0 })),
    ).toMatchObject({ status: 409 })

    const second = await recordSubcontractDelivery(db, producer, contract.id, {
      quantity: 20,
      delivered_at: new Date('2026-03-25T02:00:00Z'),
    })
    // Before the deadline: nothing is penalised; pending units are not counted yet.
    const midway = await subcontractStatus(db, producer, contract.id, { now: before })
    expect(midway.pending_inspection).toBe(20)
    expect(midway.evaluation).toMatchObject({
      delivered: 60,
      accepted: 55,
      rejected: 5,
      fulfilment_bps: 5_500,
      deadline_passed: false,
      penalty: idr(0),
      invoice: idr(2_750_000),
    })
    // Not before the deadline, nor with units awaiting inspection.
    expect(await failure(closeSubcontract(db, buyer, contract.id, { now: before }))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })
    expect(await failure(closeSubcontract(db, buyer, contract.id, { now: after }))).toMatchObject({
      status: 409,
      code: 'conflict',
    })
    await inspectDelivery(db, buyer, second.id, { accepted: 20, rejected: 0 })
    expect(
      await failure(closeSubcontract(db, producer, contract.id, { now: after })),
    ).toMatchObject({ status: 403 })

    // 75 accepted on time of 100: 25 short × Rp10.000 = Rp250.000 (under the Rp300.000 cap).
    const closed = await closeSubcontract(db, buyer, contract.id, { now: after })
    expect(closed.contract.status).toBe('closed')
    expect(closed.evaluation).toMatchObject({
      accepted_on_time: 75,
      shortfall: 25,
      fulfilment_bps: 7_500,
      deadline_passed: true,
      gross: idr(3_750_000),
      penalty_charged: idr(250_000),
      invoice: idr(3_500_000),
    })
    expect(closed.penalty_transaction?.source).toEqual({ type: 'penalty', id: contract.id })
    expect(closed.contract.penalty_transaction_id).toBe(closed.penalty_transaction?.id)

    // Closing again posts nothing more.
    const again = await closeSubcontract(db, buyer, contract.id, { now: new Date('2026-05-01') })
    expect(again.contract.penalty_transaction_id).toBe(closed.contract.penalty_transaction_id)
    expect(again.as_of).toEqual(after)
    const penalties = await db
      .select()
      .from(journalTransactions)
      .where(eq(journalTransactions.sourceId, contract.id))
    expect(penalties).toHaveLength(1)
    const posted = await findPosted(db, { type: 'penalty', id: contract.id })
    expect(posted?.lines.map((l) => [l.partyId, l.purpose, l.amount])).toEqual([
      [producer.partyId, 'payable_to_producer', 250_000],
      [buyer.partyId, 'penalties', -250_000],
    ])
    const buyerBalances = await accountBalances(db, buyer.partyId, 'IDR')
    expect(buyerBalances.find((b) => b.purpose === 'penalties')?.balance.amount).toBe(-250_000)

    // A closed contract takes no more deliveries.
    expect(
      await failure(recordSubcontractDelivery(db, producer, contract.id, { quantity: 1 })),
    ).toMatchObject({ status: 409 })
  })

  it('caps a percent penalty, and posts nothing when the target is met', async () => {
    const percent = await createSubcontract(
      db,
      buyer,
      contractInput({ penalty: { kind: 'percent', bps: 5_000 }, penalty_cap: idr(100_000) }),
    )
    const d = await recordSubcontractDelivery(db, producer, percent.id, {
      quantity: 90,
      delivered_at: before,
    })
    await inspectDelivery(db, buyer, d.id, { accepted: 90, rejected: 0 })
    // 10 short × Rp50.000 × 50 % = Rp250.000, capped at Rp100.000.
    const closed = await closeSubcontract(db, buyer, percent.id, { now: after })
    expect(closed.evaluation.penalty).toEqual(idr(100_000))
    expect(closed.penalty_transaction?.lines[0]?.amount).toBe(100_000)

    const met = await createSubcontract(db, buyer, contractInput({ target_quantity: 10 }))
    const full = await recordSubcontractDelivery(db, producer, met.id, {
      quantity: 10,
      delivered_at: before,
    })
    await inspectDelivery(db, buyer, full.id, { accepted: 10, rejected: 0 })
    const done = await closeSubcontract(db, buyer, met.id, { now: after })
    expect(done.evaluation).toMatchObject({ fulfilment_bps: 10_000, penalty: idr(0) })
    expect(done.penalty_transaction).toBeNull()
    const [row] = await db.select().from(subcontracts).where(eq(subcontracts.id, met.id))
    expect(row?.penaltyTransactionId).toBeNull()
    expect(row?.status).toBe('closed')
  })

  it('refuses deliveries in the future', async () => {
    const contract = await createSubcontract(db, buyer, contractInput())
    expect(
      await failure(
        recordSubcontractDelivery(db, producer, contract.id, {
          quantity: 1,
          delivered_at: new Date(Date.now() + 86_400_000),
        }),
      ),
    ).toMatchObject({ status: 422, paths: ['delivered_at'] })
  })

  it('records inti-plasma advances and shows what is outstanding to each side', async () => {
    const advance = await recordAdvance(db, core, {
      producer_id: producer.partyId as never,
      amount: idr(400_000),
      description: 'Kain mori 20 m, malam 5 kg',
    })
    expect(advance).toMatchObject({
      producer_id: producer.partyId,
      core_partner_id: core.partyId,
      amount: idr(400_000),
    })
    expect(advance.id).toMatch(/^adv_/)
    expect(
      await advanceOutstanding(db, {
        producerId: producer.partyId,
        corePartnerId: core.partyId,
        currency: 'IDR',
      }),
    ).toEqual(idr(400_000))
    const otherCore = { partyId: await createParty(db, 'core_partner') }
    await recordAdvance(db, otherCore, {
      producer_id: producer.partyId as never,
      amount: idr(100_000),
      description: 'Canting',
    })

    const own = await outstandingAdvances(db, producer, { producerId: producer.partyId })
    expect(own.total).toEqual(idr(500_000))
    expect(own.by_core_partner).toHaveLength(2)
    const funded = await outstandingAdvances(db, core, { producerId: producer.partyId })
    expect(funded.by_core_partner).toEqual([
      { core_partner_id: core.partyId, outstanding: idr(400_000) },
    ])
    expect(
      await failure(outstandingAdvances(db, stranger, { producerId: producer.partyId })),
    ).toMatchObject({ status: 404 })

    expect(
      await failure(
        recordAdvance(db, buyer, {
          producer_id: producer.partyId as never,
          amount: idr(1),
          description: 'x',
        }),
      ),
    ).toEqual({ status: 422, code: 'wrong_party_kind', paths: ['core_partner_id'] })
    expect(
      await failure(
        recordAdvance(db, core, {
          producer_id: stranger.partyId as never,
          amount: idr(1),
          description: 'x',
        }),
      ),
    ).toEqual({ status: 422, code: 'wrong_party_kind', paths: ['producer_id'] })
    expect(
      await failure(
        recordAdvance(db, core, {
          producer_id: producer.partyId as never,
          amount: idr(0),
          description: 'x',
        }),
      ),
    ).toMatchObject({ status: 422, paths: ['amount.amount'] })
  })
})
