import { stockLevels, stockLots, stockMovements } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { and, asc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { sampleTerms } from '../testing.js'
import { dayMs } from './aging.js'
import { recordCount } from './counts.js'
import {
  cancelDelivery,
  getDelivery,
  listDeliveries,
  receiveDelivery,
  sendDelivery,
} from './deliveries.js'
import { agingReport, raiseExpiryReturns } from './expiry.js'
import {
  convertReservation,
  getReservation,
  releaseExpiredReservations,
  releaseReservation,
  reserve,
} from './reservations.js'
import { cancelReturn, confirmReturn, getReturn, listReturns, requestReturn } from './returns.js'
import { recordSale } from './sales.js'
import {
  deliverySchema,
  movementSchema,
  producerStockSchema,
  reservationSchema,
  saleSchema,
  stockReturnSchema,
  venueStockSchema,
} from './schemas.js'
import {
  activeAgreement,
  expectMitraError,
  partners,
  party,
  receipt,
  stockUp,
  terminate,
  variants,
} from './testing.js'
import {
  cancelTransfer,
  getTransfer,
  listTransfers,
  receiveTransfer,
  requestTransfer,
} from './transfers.js'
import {
  availableAtVenue,
  listMovements,
  producerStock,
  reconcileStock,
  venueStock,
} from './views.js'
import { listObligations, recordWriteOff } from './write-offs.js'

const t0 = new Date('2026-03-02T02:00:00Z')
const later = (days: number) => new Date(t0.getTime() + days * dayMs)

describe.each(testDatabaseKinds())('stock flows on %s', (kind) => {
  const database = useTestDatabase(kind)

  async function level(venueId: string, variantId: string) {
    const [row] = await database()
      .db.select({ on_hand: stockLevels.onHand, reserved: stockLevels.reserved })
      .from(stockLevels)
      .where(and(eq(stockLevels.venueId, venueId), eq(stockLevels.variantId, variantId)))
    return row ?? { on_hand: 0, reserved: 0 }
  }

  it('receives a delivery note with discrepancies both sides see, as lots', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      agreementId,
      variants: [a, b],
    } = await partners(db, { count: 2 })
    const sent = await sendDelivery(
      db,
      producer.staff,
      {
        venue_id: venue.id,
        note_number: 'SJ/2026/001',
        note: 'Kiriman pertama',
        lines: [
          { variant_id: a!, quantity: 10 },
          { variant_id: b!, quantity: 5 },
        ],
      },
      { now: t0 },
    )
    expect(deliverySchema.parse(sent)).toEqual(sent)
    expect(sent).toMatchObject({ status: 'sent', received_at: null, has_discrepancies: false })
    // Nothing is stock until the venue counts it in.
    expect(await level(venue.id, a!)).toEqual({ on_hand: 0, reserved: 0 })

    const received = await receiveDelivery(
      db,
      venue.staff,
      sent.id,
      {
        lines: [
          { variant_id: b!, quantity: 5 },
          { variant_id: a!, quantity: 9 },
        ],
        note: 'Satu kain basah di kardus',
      },
      { now: t0 },
    )
    expect(received.status).toBe('received')
    // What the venue noted comes back, apart from the producer's own note.
    expect(received.received_note).toBe('Satu kain basah di kardus')
    expect(received.has_discrepancies).toBe(true)
    expect(
      received.lines.map((l) => [l.quantity_sent, l.quantity_received, l.discrepancy]),
    ).toEqual([
      [10, 9, -1],
      [5, 5, 0],
    ])
    expect(await level(venue.id, a!)).toEqual({ on_hand: 9, reserved: 0 })
    expect(await getDelivery(db, producer.staff, sent.id)).toEqual(received)
    expect(await getDelivery(db, venue.owner, sent.id)).toEqual(received)

    const lots = await db.select().from(stockLots).where(eq(stockLots.venueId, venue.id))
    expect(lots).toHaveLength(2)
    expect(lots.find((lot) => lot.variantId === a)).toMatchObject({
      quantity: 9,
      remaining: 9,
      source: 'delivery',
      documentId: sent.id,
      agreementId,
      agreementVersion: 1,
      deliveredAt: t0,
      unitPriceAmount: 100_000,
    })
    const [movement] = await db
      .select()
      .from(stockMovements)
      .where(and(eq(stockMovements.venueId, venue.id), eq(stockMovements.variantId, a!)))
    expect(movement).toMatchObject({
      kind: 'receipt',
      onHandDelta: 9,
      reservedDelta: 0,
      reference: 'SJ/2026/001',
      documentId: sent.id,
      actorPartyId: venue.id,
      actorId: venue.staff.actorId,
    })

    const stock = await producerStock(db, producer.staff, {}, { now: t0 })
    expect(producerStockSchema.parse(stock)).toEqual(stock)
    expect(stock.rows.find((row) => row.variant_id === a)).toMatchObject({
      venue_id: venue.id,
      venue_name: 'Kafe Banaran 9',
      on_hand: 9,
      available: 9,
      discrepancy: -1,
      oldest_lot_age_days: 0,
    })

    // A second confirmation is refused and changes nothing.
    await expectMitraError(
      receiveDelivery(db, venue.staff, sent.id, {
        lines: [
          { variant_id: a!, quantity: 10 },
          { variant_id: b!, quantity: 5 },
        ],
      }),
      { code: 'illegal_status_transition', status: 409 },
    )
    expect(await level(venue.id, a!)).toEqual({ on_hand: 9, reserved: 0 })
    const pages = await listDeliveries(db, venue.staff, { status: 'received' })
    expect(pages.data.map((d) => d.id)).toEqual([sent.id])
  })

  it('checks a receipt against the note and the agreement', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      agreementId,
      variants: [a, b],
    } = await partners(db, { count: 2 })
    const note = await sendDelivery(db, producer.staff, {
      venue_id: venue.id,
      note_number: 'SJ-7',
      lines: [{ variant_id: a!, quantity: 3 }],
    })
    await expectMitraError(
      sendDelivery(db, producer.staff, {
        venue_id: venue.id,
        note_number: 'SJ-7',
        lines: [{ variant_id: a!, quantity: 3 }],
      }),
      { code: 'conflict', status: 409, path: 'note_number' },
    )
    await expectMitraError(
      receiveDelivery(db, venue.staff, note.id, { lines: [{ variant_id: b!, quantity: 3 }] }),
      { code: 'validation_failed', status: 422, path: 'lines.0.variant_id' },
    )
    await expectMitraError(
      receiveDelivery(db, producer.staff, note.id, { lines: [{ variant_id: a!, quantity: 3 }] }),
      { code: 'forbidden', status: 403 },
    )
    await terminate(db, agreementId)
    await expectMitraError(
      receiveDelivery(db, venue.staff, note.id, { lines: [{ variant_id: a!, quantity: 3 }] }),
      { code: 'agreement_not_active', status: 409 },
    )
    await expectMitraError(
      sendDelivery(db, producer.staff, {
        venue_id: venue.id,
        note_number: 'SJ-8',
        lines: [{ variant_id: a!, quantity: 1 }],
      }),
      { code: 'agreement_not_active', status: 409, path: 'venue_id' },
    )
    expect(await level(venue.id, a!)).toEqual({ on_hand: 0, reserved: 0 })
    const cancelled = await cancelDelivery(db, producer.staff, note.id)
    expect(cancelled.status).toBe('cancelled')
    await expectMitraError(cancelDelivery(db, producer.staff, note.id), {
      code: 'illegal_status_transition',
      status: 409,
    })
  })

  it('sells at the counter oldest lots first, and refuses to oversell without changing anything', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a, b],
    } = await partners(db, { count: 2 })
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 3 }], t0)
    await stockUp(
      db,
      producer,
      venue,
      [
        { variant_id: a!, quantity: 4 },
        { variant_id: b!, quantity: 1 },
      ],
      later(1),
    )
    const lots = await db
      .select()
      .from(stockLots)
      .where(and(eq(stockLots.venueId, venue.id), eq(stockLots.variantId, a!)))
      .orderBy(asc(stockLots.deliveredAt))

    const sale = await recordSale(
      db,
      venue.staff,
      {
        venue_id: venue.id,
        receipt_number: 'KB9-0001',
        channel: 'qris',
        lines: [
          { variant_id: a!, quantity: 5 },
          { variant_id: b!, quantity: 1, unit_price: { amount: 150_000, currency: 'IDR' } },
        ],
      },
      { now: later(2) },
    )
    expect(saleSchema.parse(sale)).toEqual(sale)
    expect(sale.lines[0]).toMatchObject({
      quantity: 5,
      unit_price: { amount: 100_000, currency: 'IDR' },
      list_price: { amount: 100_000, currency: 'IDR' },
      lots: [
        { lot_id: lots[0]!.id, quantity: 3 },
        { lot_id: lots[1]!.id, quantity: 2 },
      ],
    })
    expect(await level(venue.id, a!)).toEqual({ on_hand: 2, reserved: 0 })

    const before = await db
      .select()
      .from(stockMovements)
      .where(eq(stockMovements.venueId, venue.id))
    const error = await expectMitraError(
      recordSale(db, venue.staff, {
        venue_id: venue.id,
        receipt_number: 'KB9-0002',
        channel: 'cash',
        lines: [
          { variant_id: b!, quantity: 1 },
          { variant_id: a!, quantity: 3 },
        ],
      }),
      { code: 'insufficient_stock', status: 409, path: 'lines.0.quantity' },
    )
    // Both lines are short; the first in the request is named, and nothing at all changed.
    expect(error.extensions).toMatchObject({ available: 0, variant_id: b })
    expect(await level(venue.id, a!)).toEqual({ on_hand: 2, reserved: 0 })
    expect(
      await db.select().from(stockMovements).where(eq(stockMovements.venueId, venue.id)),
    ).toHaveLength(before.length)
    await expectMitraError(
      recordSale(db, venue.staff, {
        venue_id: venue.id,
        receipt_number: 'KB9-0001',
        channel: 'cash',
        lines: [{ variant_id: a!, quantity: 1 }],
      }),
      { code: 'conflict', status: 409, path: 'receipt_number' },
    )
    await expectMitraError(
      recordSale(db, venue.staff, {
        venue_id: venue.id,
        receipt_number: 'KB9-0003',
        channel: 'cash',
        lines: [{ variant_id: a!, quantity: 1, unit_price: { amount: 90_000, currency: 'IDR' } }],
      }),
      { code: 'price_not_allowed', status: 422, path: 'lines.0.unit_price' },
    )
    expect(await level(venue.id, a!)).toEqual({ on_hand: 2, reserved: 0 })
    expect(await reconcileStock(db, { venueId: venue.id })).toEqual([])
  })

  it('refuses sales and reservations once the agreement is no longer in force', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      agreementId,
      variants: [a],
    } = await partners(db)
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 2 }])
    await terminate(db, agreementId)
    await expectMitraError(
      recordSale(db, venue.staff, {
        venue_id: venue.id,
        receipt_number: receipt(),
        channel: 'cash',
        lines: [{ variant_id: a!, quantity: 1 }],
      }),
      { code: 'agreement_not_active', status: 409, path: 'lines.0.variant_id' },
    )
    await expectMitraError(
      reserve(db, venue.staff, { venue_id: venue.id, lines: [{ variant_id: a!, quantity: 1 }] }),
      { code: 'agreement_not_active', status: 409 },
    )
    expect((await availableAtVenue(db, venue.id)).data).toEqual([])
    // The goods can still go back to the producer.
    const ret = await requestReturn(db, producer.staff, {
      venue_id: venue.id,
      producer_id: producer.id,
      lines: [{ variant_id: a!, quantity: 2 }],
    })
    await confirmReturn(db, venue.staff, ret.id)
    expect(await level(venue.id, a!)).toEqual({ on_hand: 0, reserved: 0 })
  })

  it('holds units for a checkout, converts, releases and expires them', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a],
    } = await partners(db)
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 5 }])
    const held = await reserve(
      db,
      venue.staff,
      {
        venue_id: venue.id,
        reference: 'cart_1',
        ttl_seconds: 600,
        lines: [{ variant_id: a!, quantity: 2, unit_price: { amount: 100_000, currency: 'IDR' } }],
      },
      { now: t0 },
    )
    expect(reservationSchema.parse(held)).toEqual(held)
    expect(held).toMatchObject({
      status: 'held',
      expires_at: new Date(t0.getTime() + 600_000).toISOString(),
    })
    expect(await level(venue.id, a!)).toEqual({ on_hand: 5, reserved: 2 })
    expect((await availableAtVenue(db, venue.id)).data[0]).toMatchObject({
      variant_id: a,
      available: 3,
    })
    await expectMitraError(
      reserve(db, venue.staff, { venue_id: venue.id, lines: [{ variant_id: a!, quantity: 4 }] }),
      { code: 'insufficient_stock', status: 409, path: 'lines.0.quantity' },
    )

    await expectMitraError(
      reserve(db, venue.staff, {
        venue_id: venue.id,
        lines: [{ variant_id: a!, quantity: 1, unit_price: { amount: 1_000, currency: 'IDR' } }],
      }),
      { code: 'price_not_allowed', status: 422, path: 'lines.0.unit_price' },
    )
    expect(await level(venue.id, a!)).toEqual({ on_hand: 5, reserved: 2 })

    const sale = await convertReservation(db, venue.staff, held.id, { receipt_number: 'ORD-1' })
    expect(sale).toMatchObject({
      channel: 'online',
      reservation_id: held.id,
      receipt_number: 'ORD-1',
    })
    expect(await level(venue.id, a!)).toEqual({ on_hand: 3, reserved: 0 })
    expect((await getReservation(db, venue.staff, held.id)).status).toBe('converted')
    await expectMitraError(convertReservation(db, venue.staff, held.id), {
      code: 'illegal_status_transition',
      status: 409,
    })

    const dropped = await reserve(db, venue.staff, {
      venue_id: venue.id,
      lines: [{ variant_id: a!, quantity: 1 }],
    })
    expect((await releaseReservation(db, venue.staff, dropped.id)).status).toBe('released')
    await expectMitraError(releaseReservation(db, venue.staff, dropped.id), {
      code: 'illegal_status_transition',
      status: 409,
    })

    const expiring = await reserve(
      db,
      venue.staff,
      { venue_id: venue.id, ttl_seconds: 60, lines: [{ variant_id: a!, quantity: 3 }] },
      { now: t0 },
    )
    expect(await level(venue.id, a!)).toEqual({ on_hand: 3, reserved: 3 })
    expect(
      (await releaseExpiredReservations(database().db, { now: new Date(t0.getTime() + 59_000) }))
        .released,
    ).toEqual([])
    expect(
      (await releaseExpiredReservations(database().db, { now: new Date(t0.getTime() + 61_000) }))
        .released,
    ).toContain(expiring.id)
    expect(await level(venue.id, a!)).toEqual({ on_hand: 3, reserved: 0 })
    const error = await expectMitraError(convertReservation(db, venue.staff, expiring.id), {
      code: 'illegal_status_transition',
      status: 409,
    })
    expect(error.extensions).toEqual({ status: 'expired' })
    expect(await reconcileStock(db, { venueId: venue.id })).toEqual([])
  })

  it('returns goods to the producer on request by either side', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a, b],
    } = await partners(db, { count: 2 })
    await stockUp(db, producer, venue, [
      { variant_id: a!, quantity: 5 },
      { variant_id: b!, quantity: 2 },
    ])
    const asked = await requestReturn(db, producer.staff, {
      venue_id: venue.id,
      producer_id: producer.id,
      reason: 'Ganti koleksi',
      lines: [
        { variant_id: a!, quantity: 4 },
        { variant_id: b!, quantity: 2 },
      ],
    })
    expect(stockReturnSchema.parse(asked)).toEqual(asked)
    expect(asked).toMatchObject({
      status: 'requested',
      source: 'producer',
      requested_by: producer.id,
    })
    // Requested is not gone yet.
    expect(await level(venue.id, a!)).toEqual({ on_hand: 5, reserved: 0 })
    await expectMitraError(
      confirmReturn(db, venue.staff, asked.id, {
        lines: [
          { variant_id: a!, quantity: 5 },
          { variant_id: b!, quantity: 0 },
        ],
      }),
      { code: 'validation_failed', status: 422, path: 'lines.0.quantity' },
    )
    await expectMitraError(
      confirmReturn(db, venue.staff, asked.id, { lines: [{ variant_id: a!, quantity: 3 }] }),
      { code: 'validation_failed', status: 422, path: 'lines' },
    )
    const done = await confirmReturn(db, venue.staff, asked.id, {
      lines: [
        { variant_id: a!, quantity: 3 },
        { variant_id: b!, quantity: 2 },
      ],
    })
    expect(done).toMatchObject({ status: 'confirmed', closed_by: venue.id })
    expect(done.lines.find((l) => l.variant_id === a)?.quantity_confirmed).toBe(3)
    expect(await level(venue.id, a!)).toEqual({ on_hand: 2, reserved: 0 })
    expect(await level(venue.id, b!)).toEqual({ on_hand: 0, reserved: 0 })
    await expectMitraError(confirmReturn(db, producer.staff, asked.id), {
      code: 'illegal_status_transition',
      status: 409,
    })

    const venueAsks = await requestReturn(db, venue.staff, {
      venue_id: venue.id,
      producer_id: producer.id,
      lines: [{ variant_id: a!, quantity: 5 }],
    })
    expect(venueAsks.source).toBe('venue')
    await expectMitraError(confirmReturn(db, producer.staff, venueAsks.id), {
      code: 'insufficient_stock',
      status: 409,
    })
    expect((await cancelReturn(db, producer.staff, venueAsks.id)).status).toBe('cancelled')
    expect(await getReturn(db, venue.staff, venueAsks.id)).toMatchObject({ status: 'cancelled' })
    expect((await listReturns(db, producer.staff)).data).toHaveLength(2)
    expect(await reconcileStock(db, { venueId: venue.id })).toEqual([])
  })

  it('writes off damage and loss with an obligation by the agreement liability', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a],
    } = await partners(db, {
      terms: { ...sampleTerms, damage_liability: 'venue', loss_liability: 'shared' },
    })
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 6 }])
    const [damaged] = await recordWriteOff(db, venue.staff, {
      venue_id: venue.id,
      kind: 'damage',
      reason: 'Kena tumpahan kopi',
      lines: [{ variant_id: a!, quantity: 2 }],
    })
    expect(damaged).toMatchObject({
      kind: 'damage',
      basis: 'retail_price',
      bearer: 'venue',
      unit_value: { amount: 100_000, currency: 'IDR' },
      total: { amount: 200_000, currency: 'IDR' },
      venue_owes: { amount: 200_000, currency: 'IDR' },
      producer_bears: { amount: 0, currency: 'IDR' },
    })
    const [lost] = await recordWriteOff(db, venue.staff, {
      venue_id: venue.id,
      kind: 'loss',
      reason: 'Hilang saat pameran',
      lines: [
        { variant_id: a!, quantity: 1, agreed_unit_value: { amount: 80_001, currency: 'IDR' } },
      ],
    })
    expect(lost).toMatchObject({
      basis: 'agreed_price',
      bearer: 'shared',
      venue_owes: { amount: 40_001, currency: 'IDR' },
      producer_bears: { amount: 40_000, currency: 'IDR' },
    })
    expect(await level(venue.id, a!)).toEqual({ on_hand: 3, reserved: 0 })
    await expectMitraError(
      recordWriteOff(db, venue.staff, {
        venue_id: venue.id,
        kind: 'loss',
        reason: 'x',
        lines: [{ variant_id: a!, quantity: 4 }],
      }),
      { code: 'insufficient_stock', status: 409 },
    )
    const seen = await listObligations(db, producer.staff)
    expect(seen.data.map((o) => o.id)).toEqual([lost!.id, damaged!.id])
    expect(seen.data[1]?.lots).toEqual(damaged!.lots)
    const after = await venueStock(db, venue.staff, {}, {})
    // What the venue owes for them is money: the revenue-share ledger says it, not this view.
    expect(after.producers[0]).not.toHaveProperty('totals')
  })

  it('adjusts stock to a count, with a reason, in both directions', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a, b],
    } = await partners(db, { count: 2 })
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 10 }], t0)
    await reserve(db, venue.staff, { venue_id: venue.id, lines: [{ variant_id: a!, quantity: 2 }] })
    await expectMitraError(
      recordCount(db, venue.staff, {
        venue_id: venue.id,
        reason: 'opname',
        lines: [{ variant_id: a!, counted: 7 }],
      }),
      { code: 'forbidden', status: 403 },
    )
    await expectMitraError(
      recordCount(db, venue.owner, {
        venue_id: venue.id,
        reason: 'opname',
        lines: [{ variant_id: a!, counted: 1 }],
      }),
      { code: 'conflict', status: 409, path: 'lines.0.counted' },
    )
    const count = await recordCount(
      db,
      venue.owner,
      {
        venue_id: venue.id,
        reason: 'Stok opname akhir bulan',
        lines: [
          { variant_id: a!, counted: 7 },
          { variant_id: b!, counted: 2 },
        ],
      },
      { now: later(3) },
    )
    expect(count.lines).toEqual([
      { variant_id: a, producer_id: producer.id, expected: 10, counted: 7, difference: -3 },
      { variant_id: b, producer_id: producer.id, expected: 0, counted: 2, difference: 2 },
    ])
    expect(await level(venue.id, a!)).toEqual({ on_hand: 7, reserved: 2 })
    expect(await level(venue.id, b!)).toEqual({ on_hand: 2, reserved: 0 })
    const adjustments = await listMovements(db, producer.staff, { kind: 'count_adjustment' })
    expect(adjustments.data.map((m) => [m.variant_id, m.on_hand_delta, m.reason])).toEqual(
      expect.arrayContaining([
        [a, -3, 'Stok opname akhir bulan'],
        [b, 2, 'Stok opname akhir bulan'],
      ]),
    )
    expect(await reconcileStock(db, { venueId: venue.id })).toEqual([])
  })

  it('transfers stock between two venues of the producer', async () => {
    const { db } = database()
    const {
      producer,
      venue: from,
      variants: [a],
    } = await partners(db)
    const to = await party(db, 'venue', 'Galeri Gemawangi')
    const stranger = await party(db, 'venue', 'Toko Lain')
    await stockUp(db, producer, from, [{ variant_id: a!, quantity: 6 }], t0)
    await expectMitraError(
      requestTransfer(db, from.staff, {
        from_venue_id: from.id,
        to_venue_id: to.id,
        lines: [{ variant_id: a!, quantity: 2 }],
      }),
      { code: 'agreement_not_active', status: 409, path: 'to_venue_id' },
    )
    await activeAgreement(db, producer, to)
    const transfer = await requestTransfer(db, from.staff, {
      from_venue_id: from.id,
      to_venue_id: to.id,
      reason: 'Pameran di galeri',
      lines: [{ variant_id: a!, quantity: 4 }],
    })
    expect(await level(from.id, a!)).toEqual({ on_hand: 6, reserved: 4 })
    await expectMitraError(receiveTransfer(db, from.staff, transfer.id), {
      code: 'forbidden',
      status: 403,
    })
    await expectMitraError(receiveTransfer(db, stranger.staff, transfer.id), {
      code: 'not_found',
      status: 404,
    })
    const done = await receiveTransfer(db, to.staff, transfer.id, { now: later(1) })
    expect(done.status).toBe('received')
    expect(await level(from.id, a!)).toEqual({ on_hand: 2, reserved: 0 })
    expect(await level(to.id, a!)).toEqual({ on_hand: 4, reserved: 0 })
    await expectMitraError(receiveTransfer(db, to.staff, transfer.id), {
      code: 'illegal_status_transition',
      status: 409,
    })
    expect(await getTransfer(db, producer.staff, transfer.id)).toEqual(done)

    const back = await requestTransfer(db, to.staff, {
      from_venue_id: to.id,
      to_venue_id: from.id,
      lines: [{ variant_id: a!, quantity: 1 }],
    })
    expect((await cancelTransfer(db, from.staff, back.id)).status).toBe('cancelled')
    expect(await level(to.id, a!)).toEqual({ on_hand: 4, reserved: 0 })
    expect((await listTransfers(db, producer.staff)).data.map((t) => t.status)).toEqual([
      'cancelled',
      'received',
    ])
    expect(await reconcileStock(db)).toEqual([])
  })

  it('shows both sides the same live numbers', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a, b],
    } = await partners(db, { count: 2 })
    await stockUp(
      db,
      producer,
      venue,
      [
        { variant_id: a!, quantity: 10 },
        { variant_id: b!, quantity: 4 },
      ],
      later(-10),
    )
    await recordSale(
      db,
      venue.staff,
      {
        venue_id: venue.id,
        receipt_number: receipt(),
        channel: 'cash',
        lines: [
          { variant_id: a!, quantity: 3 },
          { variant_id: b!, quantity: 1 },
        ],
      },
      { now: t0 },
    )
    await reserve(db, venue.staff, { venue_id: venue.id, lines: [{ variant_id: a!, quantity: 2 }] })

    const mine = await producerStock(db, producer.owner, {}, { now: t0 })
    const rowA = mine.rows.find((row) => row.variant_id === a)
    expect(rowA).toMatchObject({
      on_hand: 7,
      reserved: 2,
      available: 5,
      sold: 3,
      oldest_lot_age_days: 10,
    })
    const theirs = await venueStock(db, venue.owner, {}, { now: t0 })
    expect(venueStockSchema.parse(theirs)).toEqual(theirs)
    expect(theirs.since).toBe('2026-02-28T17:00:00.000Z')
    expect(theirs.producers).toEqual([
      {
        producer_id: producer.id,
        producer_name: 'Batik Gemawang',
        on_hand: 10,
        reserved: 2,
        available: 8,
        sold: 4,
      },
    ])
    const onHand = mine.rows.reduce((sum, row) => sum + row.on_hand, 0)
    expect(onHand).toBe(theirs.producers[0]?.on_hand)
    // Nothing sold in a later month yet.
    expect((await producerStock(db, producer.owner, {}, { now: later(40) })).rows[0]?.sold).toBe(0)

    const sales = await listMovements(db, venue.staff, { kind: 'sale', variant_id: a! })
    expect(sales.data).toHaveLength(1)
    expect(movementSchema.parse(sales.data[0])).toEqual(sales.data[0])
    expect(sales.data[0]).toMatchObject({
      on_hand_delta: -3,
      unit_price: { amount: 100_000, currency: 'IDR' },
      actor_party_id: venue.id,
      actor_id: venue.staff.actorId,
    })
    const page1 = await listMovements(db, producer.staff, { limit: 2 })
    expect(page1.data).toHaveLength(2)
    expect(page1.next_cursor).not.toBeNull()
    const page2 = await listMovements(db, producer.staff, {
      limit: 100,
      cursor: page1.next_cursor!,
    })
    const ids = [...page1.data, ...page2.data].map((m) => m.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual([...ids].sort().reverse())
    expect(page2.next_cursor).toBeNull()
  })

  it('lists what a venue has available, paged, only sellable and in force', async () => {
    const { db } = database()
    const { producer, venue, variants: ids } = await partners(db, { count: 3 })
    const drafts = await variants(db, producer, 1, { active: false })
    await stockUp(
      db,
      producer,
      venue,
      [...ids, ...drafts].map((id) => ({ variant_id: id, quantity: 1 })),
    )
    await recordSale(db, venue.staff, {
      venue_id: venue.id,
      receipt_number: receipt(),
      channel: 'cash',
      lines: [{ variant_id: ids[1]!, quantity: 1 }],
    })
    const first = await availableAtVenue(db, venue.id, { limit: 1 })
    const second = await availableAtVenue(db, venue.id, { limit: 1, cursor: first.next_cursor! })
    expect([...first.data, ...second.data].map((v) => v.variant_id)).toEqual(
      [ids[0], ids[2]].sort(),
    )
    expect(second.next_cursor).toBeNull()
    expect(first.data[0]).toMatchObject({
      producer_id: producer.id,
      available: 1,
      options: { size: expect.any(String) },
    })
  })

  it('raises returns at expiry once, and reports aging with markdown prices', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a, b],
    } = await partners(db, {
      count: 2,
      terms: {
        ...sampleTerms,
        consignment_days: 30,
        grace_days: 5,
        markdown_schedule: [{ after_days: 20, percent_off_bps: 1000 }],
      },
    })
    await stockUp(
      db,
      producer,
      venue,
      [
        { variant_id: a!, quantity: 3 },
        { variant_id: b!, quantity: 1 },
      ],
      t0,
    )
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 2 }], later(20))
    await recordSale(
      db,
      venue.staff,
      {
        venue_id: venue.id,
        receipt_number: receipt(),
        channel: 'cash',
        lines: [{ variant_id: a!, quantity: 1 }],
      },
      { now: later(25) },
    )

    const report = await agingReport(db, producer.staff, { within_days: 14 }, { now: later(30) })
    expect(report.expired).toEqual([])
    expect(
      report.expiring.map((lot) => [
        lot.variant_id,
        lot.remaining,
        lot.state,
        lot.days_until_expiry,
      ]),
    ).toEqual([
      [a, 2, 'grace', 5],
      [b, 1, 'grace', 5],
    ])
    expect(report.expiring[0]?.price).toEqual({ amount: 90_000, currency: 'IDR' })

    const here = async (now: Date) =>
      (await raiseExpiryReturns(database().db, { now })).raised.filter(
        (r) => r.venue_id === venue.id,
      )
    expect(await here(later(34))).toEqual([])
    const raised = await here(later(35))
    expect(raised).toHaveLength(1)
    expect(raised[0]).toMatchObject({
      venue_id: venue.id,
      producer_id: producer.id,
      source: 'expiry',
      status: 'requested',
      requested_by: null,
    })
    expect(raised[0]?.lines).toEqual(
      [
        { variant_id: a, quantity_requested: 2, quantity_confirmed: null },
        { variant_id: b, quantity_requested: 1, quantity_confirmed: null },
      ].sort((x, y) => (x.variant_id! < y.variant_id! ? -1 : 1)),
    )
    expect(await here(later(36))).toEqual([])
    expect((await listReturns(db, venue.staff, { status: 'requested' })).data).toHaveLength(1)
    await confirmReturn(db, venue.staff, raised[0]!.id)
    expect(await level(venue.id, a!)).toEqual({ on_hand: 2, reserved: 0 })
    // The younger lot expires later, on its own.
    const next = await here(later(55))
    expect(next.map((r) => r.lines)).toEqual([
      [{ variant_id: a, quantity_requested: 2, quantity_confirmed: null }],
    ])
  })

  it('raises no expiry returns when the agreement marks down instead', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a],
    } = await partners(db, {
      terms: {
        ...sampleTerms,
        on_expiry: 'markdown',
        markdown_schedule: [{ after_days: 10, percent_off_bps: 3000 }],
      },
    })
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 1 }], t0)
    const raised = await raiseExpiryReturns(database().db, { now: later(400) })
    expect(raised.raised.filter((r) => r.venue_id === venue.id)).toEqual([])
    const sale = await recordSale(
      db,
      venue.staff,
      {
        venue_id: venue.id,
        receipt_number: receipt(),
        channel: 'cash',
        lines: [{ variant_id: a!, quantity: 1 }],
      },
      { now: later(200) },
    )
    expect(sale.lines[0]?.unit_price).toEqual({ amount: 70_000, currency: 'IDR' })
  })
})
