import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { convertReservation, reserve } from './reservations.js'
import { getSale, listSales, recordSale } from './sales.js'
import { type Sale, saleViewSchema } from './schemas.js'
import { expectMitraError, party, receipt, stockUp, twoProducersTwoVenues } from './testing.js'

/** Delivered on 1 December 2026 (Jakarta); every sale below is a few days later. */
const delivered = new Date('2026-12-01T03:00:00Z')
const at = { now: new Date('2026-12-10T03:00:00Z') }

const idsOf = (page: { data: { id: string }[] }) => page.data.map((sale) => sale.id)

describe.each(testDatabaseKinds())('reading sales back on %s', (kind) => {
  const database = useTestDatabase(kind)

  /**
   * Producer 1 (batik, two variants) and producer 2 (honey) both consign to venue 1;
   * producer 1 also to venue 2. Batik A arrives at venue 1 in two lots.
   */
  async function world() {
    const { db } = database()
    const w = await twoProducersTwoVenues(db, { honeyPrice: 80_000 })
    const { producer1, producer2, venue1, venue2, batikA, batikB, honey } = w
    await stockUp(db, producer1, venue1, [{ variant_id: batikA, quantity: 1 }], delivered)
    await stockUp(
      db,
      producer1,
      venue1,
      [
        { variant_id: batikA, quantity: 9 },
        { variant_id: batikB, quantity: 5 },
      ],
      new Date(delivered.getTime() + 60_000),
    )
    await stockUp(db, producer1, venue2, [{ variant_id: batikA, quantity: 5 }], delivered)
    await stockUp(db, producer2, venue1, [{ variant_id: honey, quantity: 5 }], delivered)
    const sell = (
      venue: typeof venue1,
      channel: 'cash' | 'qris',
      soldAt: string,
      lines: { variant_id: string; quantity: number }[],
    ) =>
      recordSale(
        db,
        venue.staff,
        { venue_id: venue.id, receipt_number: receipt(), channel, sold_at: soldAt, lines },
        at,
      )
    return { db, ...w, sell }
  }

  const withTotal = (sale: Sale, amount: number) => ({
    ...sale,
    total: { amount, currency: 'IDR' },
  })

  it('shows a venue its own sales with every line, as they were recorded', async () => {
    const w = await world()
    // Two units of batik A: one from each lot, oldest first.
    const mixed = await w.sell(w.venue1, 'cash', '2026-12-05T10:00:00+07:00', [
      { variant_id: w.batikA, quantity: 2 },
      { variant_id: w.honey, quantity: 1 },
    ])
    expect(mixed.lines[0]?.lots).toHaveLength(2)
    const qris = await w.sell(w.venue1, 'qris', '2026-12-06T10:00:00+07:00', [
      { variant_id: w.batikB, quantity: 1 },
    ])
    const elsewhere = await w.sell(w.venue2, 'cash', '2026-12-06T11:00:00+07:00', [
      { variant_id: w.batikA, quantity: 1 },
    ])

    const mine = await listSales(w.db, w.venue1.staff)
    expect(idsOf(mine)).toEqual([qris.id, mixed.id])
    expect(mine.next_cursor).toBeNull()
    // Rp100.000 × 2 + Rp80.000.
    expect(mine.data[1]).toEqual(withTotal(mixed, 280_000))
    expect(mine.data[0]).toEqual(withTotal(qris, 150_000))
    for (const sale of mine.data) expect(saleViewSchema.parse(sale)).toEqual(sale)
    expect(await getSale(w.db, w.venue1.staff, mixed.id)).toEqual(mine.data[1])
    expect(await getSale(w.db, w.venue1.owner, qris.id)).toEqual(mine.data[0])

    expect(idsOf(await listSales(w.db, w.venue2.staff))).toEqual([elsewhere.id])
    await expectMitraError(getSale(w.db, w.venue2.staff, mixed.id), {
      code: 'not_found',
      status: 404,
    })
  })

  it('shows a producer only the sales with its goods, and only its own lines', async () => {
    const w = await world()
    const mixed = await w.sell(w.venue1, 'cash', '2026-12-05T10:00:00+07:00', [
      { variant_id: w.batikA, quantity: 2 },
      { variant_id: w.honey, quantity: 1 },
    ])
    const batikOnly = await w.sell(w.venue1, 'qris', '2026-12-06T10:00:00+07:00', [
      { variant_id: w.batikB, quantity: 1 },
    ])
    const elsewhere = await w.sell(w.venue2, 'cash', '2026-12-06T11:00:00+07:00', [
      { variant_id: w.batikA, quantity: 1 },
    ])

    const batik = await listSales(w.db, w.producer1.staff)
    expect(idsOf(batik)).toEqual([elsewhere.id, batikOnly.id, mixed.id])
    const [, , seen] = batik.data
    expect(seen).toEqual({
      ...withTotal(mixed, 200_000),
      lines: mixed.lines.filter((line) => line.producer_id === w.producer1.id),
    })
    // Nothing of the honey on the same receipt: not its line, its price, nor its producer.
    const text = JSON.stringify(batik)
    expect(text).not.toContain(w.honey)
    expect(text).not.toContain(w.producer2.id)
    expect(text).not.toContain('80000')
    expect(await getSale(w.db, w.producer1.staff, mixed.id)).toEqual(seen)

    const honey = await listSales(w.db, w.producer2.staff)
    expect(idsOf(honey)).toEqual([mixed.id])
    expect(honey.data[0]).toEqual({
      ...withTotal(mixed, 80_000),
      lines: [expect.objectContaining({ variant_id: w.honey, producer_id: w.producer2.id })],
    })
    expect(JSON.stringify(honey)).not.toContain(w.batikA)
    await expectMitraError(getSale(w.db, w.producer2.staff, batikOnly.id), {
      code: 'not_found',
      status: 404,
    })

    // By producer: the venue names any; a producer only itself.
    expect(idsOf(await listSales(w.db, w.venue1.staff, { producer_id: w.producer2.id }))).toEqual([
      mixed.id,
    ])
    const asVenue = await listSales(w.db, w.venue1.staff, { producer_id: w.producer1.id })
    expect(idsOf(asVenue)).toEqual([batikOnly.id, mixed.id])
    expect(asVenue.data[1]?.lines).toHaveLength(2) // the venue's whole receipt
    expect(
      idsOf(await listSales(w.db, w.producer1.staff, { producer_id: w.producer1.id })),
    ).toEqual(idsOf(batik))
    await expectMitraError(listSales(w.db, w.producer1.staff, { producer_id: w.producer2.id }), {
      code: 'not_found',
      status: 404,
      path: 'producer_id',
    })
  })

  it('shows anyone else nothing: another venue, producer, cluster or buyer', async () => {
    const w = await world()
    const sale = await w.sell(w.venue1, 'cash', '2026-12-05T10:00:00+07:00', [
      { variant_id: w.batikA, quantity: 1 },
      { variant_id: w.honey, quantity: 1 },
    ])
    for (const kind of ['venue', 'producer', 'cluster', 'buyer', 'platform'] as const) {
      const stranger = await party(w.db, kind)
      expect(await listSales(w.db, stranger.staff)).toEqual({ data: [], next_cursor: null })
      const byProducer = listSales(w.db, stranger.staff, { producer_id: w.producer1.id })
      if (kind === 'producer') {
        await expectMitraError(byProducer, { code: 'not_found', status: 404, path: 'producer_id' })
      } else {
        expect((await byProducer).data).toEqual([])
      }
      await expectMitraError(getSale(w.db, stranger.staff, sale.id), {
        code: 'not_found',
        status: 404,
      })
    }
    await expectMitraError(getSale(w.db, w.venue1.staff, 'sale_00000000000000000000000000'), {
      code: 'not_found',
      status: 404,
    })
  })

  it('pages newest first and filters by channel', async () => {
    const w = await world()
    const sold: string[] = []
    for (const [index, channel] of (['cash', 'qris', 'cash', 'qris', 'cash'] as const).entries()) {
      const sale = await w.sell(w.venue1, channel, `2026-12-0${index + 2}T10:00:00+07:00`, [
        { variant_id: w.batikA, quantity: 1 },
      ])
      sold.push(sale.id)
    }
    const held = await reserve(
      w.db,
      w.venue1.staff,
      { venue_id: w.venue1.id, lines: [{ variant_id: w.honey, quantity: 1 }] },
      at,
    )
    const online = await convertReservation(w.db, w.venue1.staff, held.id, {}, at)
    const newestFirst = [online.id, ...sold.reverse()]

    const first = await listSales(w.db, w.venue1.staff, { limit: 2 })
    expect(idsOf(first)).toEqual(newestFirst.slice(0, 2))
    expect(first.next_cursor).toEqual(expect.any(String))
    const seen = [...idsOf(first)]
    let cursor = first.next_cursor
    while (cursor !== null) {
      const page = await listSales(w.db, w.venue1.staff, { limit: 2, cursor })
      seen.push(...idsOf(page))
      cursor = page.next_cursor
    }
    expect(seen).toEqual(newestFirst)

    const qris = await listSales(w.db, w.producer1.staff, { channel: 'qris' })
    expect(idsOf(qris)).toEqual([newestFirst[2], newestFirst[4]])
    const web = await listSales(w.db, w.venue1.staff, { channel: 'online' })
    expect(web.data).toEqual([
      expect.objectContaining({ id: online.id, reservation_id: held.id, channel: 'online' }),
    ])
    expect((await listSales(w.db, w.producer1.staff, { channel: 'online' })).data).toEqual([])
    await expectMitraError(listSales(w.db, w.venue1.staff, { channel: 'card' as 'cash' }), {
      code: 'validation_failed',
      status: 422,
      path: 'channel',
    })
  })

  it('filters by when it was sold: from inclusive, to exclusive, at Jakarta midnight', async () => {
    const w = await world()
    const sell = (soldAt: string) =>
      w.sell(w.venue1, 'cash', soldAt, [{ variant_id: w.batikA, quantity: 1 }])
    const lastOfFifth = await sell('2026-12-05T23:59:59.999+07:00')
    const sixthMidnight = await sell('2026-12-06T00:00:00+07:00')
    const sixthLate = await sell('2026-12-06T23:59:59.999+07:00')
    const seventhMidnight = await sell('2026-12-06T17:00:00Z') // 7 December, 00:00 WIB

    // 6 December in Jakarta: [17:00 UTC on the 5th, 17:00 UTC on the 6th).
    const sixth = { from: '2026-12-06T00:00:00+07:00', to: '2026-12-07T00:00:00+07:00' }
    expect(idsOf(await listSales(w.db, w.venue1.staff, sixth))).toEqual([
      sixthLate.id,
      sixthMidnight.id,
    ])
    expect(
      idsOf(
        await listSales(w.db, w.producer1.staff, {
          from: '2026-12-05T17:00:00Z',
          to: '2026-12-06T17:00:00.000Z',
        }),
      ),
    ).toEqual([sixthLate.id, sixthMidnight.id])
    expect(
      idsOf(await listSales(w.db, w.venue1.staff, { to: '2026-12-06T00:00:00+07:00' })),
    ).toEqual([lastOfFifth.id])
    expect(
      idsOf(await listSales(w.db, w.venue1.staff, { from: '2026-12-07T00:00:00+07:00' })),
    ).toEqual([seventhMidnight.id])
    expect((await listSales(w.db, w.venue1.staff, { from: sixth.to, to: sixth.to })).data).toEqual(
      [],
    )
    await expectMitraError(listSales(w.db, w.venue1.staff, { from: '6 Desember' }), {
      code: 'validation_failed',
      status: 422,
      path: 'from',
    })
  })
})
