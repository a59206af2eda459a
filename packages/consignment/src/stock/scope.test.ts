import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { recordCount } from './counts.js'
import { getDelivery, receiveDelivery, sendDelivery } from './deliveries.js'
import { agingReport } from './expiry.js'
import { convertReservation, getReservation, releaseReservation, reserve } from './reservations.js'
import { confirmReturn, getReturn, requestReturn } from './returns.js'
import { recordSale } from './sales.js'
import {
  expectMitraError,
  party,
  receipt,
  stockUp,
  twoProducersTwoVenues,
  variants,
} from './testing.js'
import { getTransfer, requestTransfer } from './transfers.js'
import { listMovements, producerStock, venueStock } from './views.js'
import { listObligations, recordWriteOff } from './write-offs.js'

describe.each(testDatabaseKinds())('stock tenancy on %s', (kind) => {
  const database = useTestDatabase(kind)

  /**
   * Two producers, two venues; both producers consign to venue 1, producer 1 also to venue 2.
   * Batik A (`batik`) is on both of producer 1's shelves, the honey at venue 1.
   */
  async function world() {
    const { db } = database()
    const w = await twoProducersTwoVenues(db)
    await stockUp(db, w.producer1, w.venue1, [{ variant_id: w.batikA, quantity: 5 }])
    await stockUp(db, w.producer1, w.venue2, [{ variant_id: w.batikA, quantity: 3 }])
    await stockUp(db, w.producer2, w.venue1, [{ variant_id: w.honey, quantity: 7 }])
    return { ...w, batik: w.batikA }
  }

  it('keeps a venue to its own counter', async () => {
    const { db } = database()
    const w = await world()
    await expectMitraError(
      recordSale(db, w.venue2.staff, {
        venue_id: w.venue1.id,
        receipt_number: receipt(),
        channel: 'cash',
        lines: [{ variant_id: w.batik, quantity: 1 }],
      }),
      { code: 'not_found', status: 404, path: 'venue_id' },
    )
    await expectMitraError(
      reserve(db, w.venue2.staff, {
        venue_id: w.venue1.id,
        lines: [{ variant_id: w.batik, quantity: 1 }],
      }),
      { code: 'not_found', status: 404, path: 'venue_id' },
    )
    await expectMitraError(
      recordWriteOff(db, w.venue2.staff, {
        venue_id: w.venue1.id,
        kind: 'loss',
        reason: 'x',
        lines: [{ variant_id: w.batik, quantity: 1 }],
      }),
      { code: 'not_found', status: 404, path: 'venue_id' },
    )
    await expectMitraError(
      recordCount(db, w.venue2.owner, {
        venue_id: w.venue1.id,
        reason: 'x',
        lines: [{ variant_id: w.batik, counted: 0 }],
      }),
      { code: 'not_found', status: 404, path: 'venue_id' },
    )
    await expectMitraError(
      requestTransfer(db, w.venue2.staff, {
        from_venue_id: w.venue1.id,
        to_venue_id: w.venue2.id,
        lines: [{ variant_id: w.batik, quantity: 1 }],
      }),
      { code: 'not_found', status: 404, path: 'from_venue_id' },
    )
    // A producer is not a venue: it records no sales anywhere.
    await expectMitraError(
      recordSale(db, w.producer1.staff, {
        venue_id: w.venue1.id,
        receipt_number: receipt(),
        channel: 'cash',
        lines: [{ variant_id: w.batik, quantity: 1 }],
      }),
      { code: 'not_found', status: 404 },
    )
    const held = await reserve(db, w.venue1.staff, {
      venue_id: w.venue1.id,
      lines: [{ variant_id: w.batik, quantity: 1 }],
    })
    await expectMitraError(getReservation(db, w.venue2.staff, held.id), {
      code: 'not_found',
      status: 404,
    })
    await expectMitraError(convertReservation(db, w.venue2.staff, held.id), {
      code: 'not_found',
      status: 404,
    })
    await expectMitraError(releaseReservation(db, w.venue2.staff, held.id), {
      code: 'not_found',
      status: 404,
    })
  })

  it('sells only what a producer consigned to that venue under an agreement', async () => {
    const { db } = database()
    const w = await world()
    const stranger = await party(db, 'producer', 'Topeng Bobung')
    const [mask] = await variants(db, stranger, 1)
    await expectMitraError(
      recordSale(db, w.venue1.staff, {
        venue_id: w.venue1.id,
        receipt_number: receipt(),
        channel: 'cash',
        lines: [{ variant_id: mask!, quantity: 1 }],
      }),
      { code: 'agreement_not_active', status: 409, path: 'lines.0.variant_id' },
    )
    await expectMitraError(
      recordSale(db, w.venue1.staff, {
        venue_id: w.venue1.id,
        receipt_number: receipt(),
        channel: 'cash',
        lines: [{ variant_id: 'var_00000000000000000000000000', quantity: 1 }],
      }),
      { code: 'not_found', status: 404, path: 'lines.0.variant_id' },
    )
    // Producer 2 has no agreement with venue 2: nothing to sell there.
    await expectMitraError(
      recordSale(db, w.venue2.staff, {
        venue_id: w.venue2.id,
        receipt_number: receipt(),
        channel: 'cash',
        lines: [{ variant_id: w.honey, quantity: 1 }],
      }),
      { code: 'agreement_not_active', status: 409 },
    )
  })

  it('lets a producer deliver only its own variants, and only the venue confirm', async () => {
    const { db } = database()
    const w = await world()
    await expectMitraError(
      sendDelivery(db, w.producer2.staff, {
        venue_id: w.venue1.id,
        note_number: receipt(),
        lines: [{ variant_id: w.batik, quantity: 1 }],
      }),
      { code: 'not_found', status: 404, path: 'lines.0.variant_id' },
    )
    const note = await sendDelivery(db, w.producer1.staff, {
      venue_id: w.venue1.id,
      note_number: receipt(),
      lines: [{ variant_id: w.batik, quantity: 1 }],
    })
    await expectMitraError(getDelivery(db, w.producer2.staff, note.id), {
      code: 'not_found',
      status: 404,
    })
    await expectMitraError(getDelivery(db, w.venue2.staff, note.id), {
      code: 'not_found',
      status: 404,
    })
    await expectMitraError(
      receiveDelivery(db, w.venue2.staff, note.id, {
        lines: [{ variant_id: w.batik, quantity: 1 }],
      }),
      { code: 'not_found', status: 404 },
    )
  })

  it("shows each party its own stock and nobody else's", async () => {
    const { db } = database()
    const w = await world()
    const mine = await producerStock(db, w.producer1.staff)
    expect(mine.rows.map((row) => [row.venue_id, row.variant_id, row.on_hand]).sort()).toEqual(
      [
        [w.venue1.id, w.batik, 5],
        [w.venue2.id, w.batik, 3],
      ].sort(),
    )
    expect(
      (await producerStock(db, w.producer1.staff, { venue_id: w.venue2.id })).rows,
    ).toHaveLength(1)
    const honeyOnly = await producerStock(db, w.producer2.staff)
    expect(honeyOnly.rows.map((row) => row.variant_id)).toEqual([w.honey])

    const venue1 = await venueStock(db, w.venue1.staff)
    expect(venue1.producers.map((p) => [p.producer_id, p.on_hand]).sort()).toEqual(
      [
        [w.producer1.id, 5],
        [w.producer2.id, 7],
      ].sort(),
    )
    await expectMitraError(venueStock(db, w.venue2.staff, { venue_id: w.venue1.id }), {
      code: 'not_found',
      status: 404,
      path: 'venue_id',
    })

    // Movements: a venue sees its own counter, a producer its own goods everywhere.
    const atVenue2 = await listMovements(db, w.venue2.staff)
    expect(new Set(atVenue2.data.map((m) => m.venue_id))).toEqual(new Set([w.venue2.id]))
    const ofProducer2 = await listMovements(db, w.producer2.staff)
    expect(new Set(ofProducer2.data.map((m) => m.producer_id))).toEqual(new Set([w.producer2.id]))
    await expectMitraError(listMovements(db, w.venue2.staff, { venue_id: w.venue1.id }), {
      code: 'not_found',
      status: 404,
      path: 'venue_id',
    })
    await expectMitraError(listMovements(db, w.producer2.staff, { variant_id: w.batik }), {
      code: 'not_found',
      status: 404,
      path: 'variant_id',
    })
    expect(
      (await listMovements(db, w.producer1.staff, { venue_id: w.venue2.id })).data,
    ).toHaveLength(1)
    const aging = await agingReport(db, w.producer2.staff, { within_days: 365 })
    expect(new Set(aging.expiring.map((lot) => lot.producer_id))).toEqual(new Set([w.producer2.id]))
  })

  it('keeps returns, transfers and obligations between their parties', async () => {
    const { db } = database()
    const w = await world()
    await expectMitraError(
      requestReturn(db, w.producer2.staff, {
        venue_id: w.venue2.id,
        producer_id: w.producer1.id,
        lines: [{ variant_id: w.batik, quantity: 1 }],
      }),
      { code: 'not_found', status: 404 },
    )
    await expectMitraError(
      requestReturn(db, w.producer2.staff, {
        venue_id: w.venue2.id,
        producer_id: w.producer2.id,
        lines: [{ variant_id: w.honey, quantity: 1 }],
      }),
      { code: 'not_found', status: 404, path: 'venue_id' },
    )
    const ret = await requestReturn(db, w.venue1.staff, {
      venue_id: w.venue1.id,
      producer_id: w.producer1.id,
      lines: [{ variant_id: w.batik, quantity: 1 }],
    })
    await expectMitraError(getReturn(db, w.producer2.staff, ret.id), {
      code: 'not_found',
      status: 404,
    })
    await expectMitraError(confirmReturn(db, w.venue2.staff, ret.id), {
      code: 'not_found',
      status: 404,
    })

    const transfer = await requestTransfer(db, w.venue1.staff, {
      from_venue_id: w.venue1.id,
      to_venue_id: w.venue2.id,
      lines: [{ variant_id: w.batik, quantity: 1 }],
    })
    await expectMitraError(getTransfer(db, w.producer2.staff, transfer.id), {
      code: 'not_found',
      status: 404,
    })
    expect((await getTransfer(db, w.producer1.staff, transfer.id)).id).toBe(transfer.id)
    await expectMitraError(
      requestTransfer(db, w.venue1.staff, {
        from_venue_id: w.venue1.id,
        to_venue_id: w.venue2.id,
        lines: [{ variant_id: w.honey, quantity: 1 }],
      }),
      { code: 'agreement_not_active', status: 409, path: 'to_venue_id' },
    )

    await recordWriteOff(db, w.venue1.staff, {
      venue_id: w.venue1.id,
      kind: 'damage',
      reason: 'Pecah',
      lines: [{ variant_id: w.honey, quantity: 1 }],
    })
    expect((await listObligations(db, w.producer2.staff)).data).toHaveLength(1)
    expect((await listObligations(db, w.producer1.staff)).data).toHaveLength(0)
    expect((await listObligations(db, w.venue2.staff)).data).toHaveLength(0)
  })
})
