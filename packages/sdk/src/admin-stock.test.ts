// The stock resources of `mitra.admin` against the real server (in-process, PGlite):
// deliveries, sales, reservations, returns, write-offs, obligations, counts, transfers and
// the stock views — every method, the state it leaves as a later read shows it, its errors.
import type { TestParty } from '@mitra/server/testing'
import { describe, expect, it } from 'vitest'
import type { AdminApi } from './index.js'
import { apiError, sampleTerms as terms, useSdkAgainstServer } from './test-support.js'

const notFound = { status: 404, code: 'not_found' } as const
const forbidden = { status: 403, code: 'forbidden' } as const

let notes = 0
const noteNumber = () => `SJ/2026/${String(++notes).padStart(4, '0')}`

describe('admin stock resources against the server', () => {
  const api = useSdkAgainstServer()

  /** A producer and venue in force (the product sells at Rp15.000), with `units` delivered. */
  async function stocked(units: number) {
    const found = await api.partnership()
    if (units > 0) {
      expect((await api.deliver(found.producer, found.venue, found.variantId, units)).status).toBe(
        200,
      )
    }
    return {
      ...found,
      asProducer: api.clientFor(found.producer).admin,
      asVenue: api.clientFor(found.venue).admin,
    }
  }

  /** Another venue with an agreement in force with `producer`, through the SDK. */
  async function secondVenue(producer: TestParty, asProducer: AdminApi) {
    const venue = await api.party('venue')
    const asVenue = api.clientFor(venue).admin
    const draft = await asProducer.agreements.create({ counterparty_id: venue.id, terms })
    const sent = await asProducer.agreements.send(draft.id)
    const accept = { version: 1, terms_hash: sent.versions[0]!.terms_hash }
    await asProducer.agreements.accept(draft.id, accept)
    await asVenue.agreements.accept(draft.id, accept)
    expect((await asVenue.agreements.get(draft.id)).producer_id).toBe(producer.id)
    return { venue, asVenue }
  }

  const availableOf = async (asVenue: AdminApi, venueId: string) =>
    (await asVenue.stock.venue({ venue_id: venueId })).producers[0]?.available ?? 0

  it('sends, receives and cancels deliveries, and lists them across pages', async () => {
    const { producer, venue, variantId, asProducer, asVenue } = await stocked(0)
    const sent = await asProducer.deliveries.create({
      venue_id: venue.id,
      note_number: noteNumber(),
      note: 'Dikirim dengan motor',
      lines: [{ variant_id: variantId, quantity: 12 }],
    })
    expect(sent).toMatchObject({
      producer_id: producer.id,
      venue_id: venue.id,
      status: 'sent',
      note: 'Dikirim dengan motor',
      received_at: null,
      has_discrepancies: false,
      lines: [{ variant_id: variantId, quantity_sent: 12, quantity_received: null }],
    })
    expect(sent.id).toMatch(/^dlv_/)
    // Only the venue counts it in, and only lines on the note.
    expect(
      await apiError(
        asProducer.deliveries.receive(sent.id, {
          lines: [{ variant_id: variantId, quantity: 12 }],
        }),
      ),
    ).toMatchObject(forbidden)
    expect(
      await apiError(
        asVenue.deliveries.receive(sent.id, { lines: [{ variant_id: variantId, quantity: -1 }] }),
      ),
    ).toMatchObject({
      status: 422,
      code: 'validation_failed',
      errors: [{ path: 'lines.0.quantity' }],
    })
    const received = await asVenue.deliveries.receive(sent.id, {
      lines: [{ variant_id: variantId, quantity: 11 }],
      note: 'satu kurang',
    })
    expect(received).toMatchObject({
      status: 'received',
      received_note: 'satu kurang',
      received_at: expect.any(String),
      has_discrepancies: true,
      lines: [
        { quantity_sent: 12, quantity_received: 11, discrepancy: -1, lot_id: expect.any(String) },
      ],
    })
    expect(await asProducer.deliveries.get(sent.id)).toEqual(received)
    expect(await availableOf(asVenue, venue.id)).toBe(11)
    // Received once: neither again nor cancelled.
    expect(
      await apiError(
        asVenue.deliveries.receive(sent.id, { lines: [{ variant_id: variantId, quantity: 11 }] }),
      ),
    ).toMatchObject({ status: 409, code: 'illegal_status_transition' })
    expect(await apiError(asProducer.deliveries.cancel(sent.id))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })

    const second = await asProducer.deliveries.create({
      venue_id: venue.id,
      note_number: noteNumber(),
      lines: [{ variant_id: variantId, quantity: 3 }],
    })
    expect(await apiError(asVenue.deliveries.cancel(second.id))).toMatchObject(forbidden)
    const cancelled = await asProducer.deliveries.cancel(second.id)
    expect(cancelled.status).toBe('cancelled')
    expect((await asVenue.deliveries.get(second.id)).status).toBe('cancelled')
    expect(await availableOf(asVenue, venue.id)).toBe(11)
    // The same note number twice is refused.
    expect(
      await apiError(
        asProducer.deliveries.create({
          venue_id: venue.id,
          note_number: second.note_number,
          lines: [{ variant_id: variantId, quantity: 1 }],
        }),
      ),
    ).toMatchObject({ status: 409, code: 'conflict', errors: [{ path: 'note_number' }] })

    const third = await asProducer.deliveries.create({
      venue_id: venue.id,
      note_number: noteNumber(),
      lines: [{ variant_id: variantId, quantity: 1 }],
    })
    const ids = [sent.id, second.id, third.id]
    const page = await asVenue.deliveries.list({ limit: 2 })
    expect(page.data).toHaveLength(2)
    expect(page.next_cursor).toEqual(expect.any(String))
    const all: string[] = []
    for await (const delivery of asVenue.deliveries.list({ limit: 2 })) all.push(delivery.id)
    expect(all.sort()).toEqual([...ids].sort())
    expect(
      (await asProducer.deliveries.list({ status: 'cancelled' })).data.map((d) => d.id),
    ).toEqual([second.id])

    // Another party's delivery does not exist for it.
    const stranger = api.clientFor(await api.party('venue')).admin
    expect(await apiError(stranger.deliveries.get(sent.id))).toMatchObject(notFound)
    expect(await apiError(stranger.deliveries.cancel(third.id))).toMatchObject(notFound)
    expect(
      await apiError(
        stranger.deliveries.receive(third.id, { lines: [{ variant_id: variantId, quantity: 1 }] }),
      ),
    ).toMatchObject(notFound)
    expect((await stranger.deliveries.list()).data).toEqual([])
    // No agreement with that venue: nothing can be sent there.
    expect(
      await apiError(
        asProducer.deliveries.create({
          venue_id: (await api.party('venue')).id,
          note_number: noteNumber(),
          lines: [{ variant_id: variantId, quantity: 1 }],
        }),
      ),
    ).toMatchObject({ status: 409, code: 'agreement_not_active', errors: [{ path: 'venue_id' }] })
  })

  it('records a sale at the counter with its split, and refuses what cannot be sold', async () => {
    const platformId = await api.platform() // a QRIS fee is the platform's
    const { producer, venue, variantId, agreementId, asVenue } = await stocked(5)
    const sale = await asVenue.sales.create({
      venue_id: venue.id,
      receipt_number: 'NOTA-001',
      channel: 'cash',
      lines: [{ variant_id: variantId, quantity: 2 }],
    })
    expect(sale).toMatchObject({
      venue_id: venue.id,
      receipt_number: 'NOTA-001',
      channel: 'cash',
      reservation_id: null,
      lines: [
        {
          variant_id: variantId,
          producer_id: producer.id,
          agreement_id: agreementId,
          agreement_version: 1,
          quantity: 2,
          unit_price: { amount: 15_000, currency: 'IDR' },
        },
      ],
    })
    const [posting] = sale.postings
    const shares = Object.fromEntries(posting!.shares.map((s) => [s.role, s.amount]))
    // Rp30.000 in cash, 20 % to the café.
    expect(shares).toMatchObject({ venue: 6_000, producer: 24_000 })
    expect(await availableOf(asVenue, venue.id)).toBe(3)

    const qris = await asVenue.sales.create({
      venue_id: venue.id,
      receipt_number: 'NOTA-002',
      channel: 'qris',
      qris_merchant_class: 'regular',
      lines: [{ variant_id: variantId, quantity: 1 }],
    })
    const fee = qris.postings[0]!.shares.find((s) => s.role === 'payment_fee')
    expect(fee).toMatchObject({ party_id: platformId, amount: 105 }) // 0.7 % of Rp15.000
    expect(qris.postings[0]!.shares.reduce((sum, s) => sum + s.amount, 0)).toBe(15_000)

    const oversold = await apiError(
      asVenue.sales.create({
        venue_id: venue.id,
        receipt_number: 'NOTA-003',
        channel: 'cash',
        lines: [{ variant_id: variantId, quantity: 3 }],
      }),
    )
    expect(oversold).toMatchObject({ status: 409, code: 'insufficient_stock' })
    expect(oversold.problem.available).toBe(2)
    expect(
      await apiError(
        asVenue.sales.create({
          venue_id: venue.id,
          receipt_number: 'NOTA-004',
          channel: 'cash',
          qris_merchant_class: 'umi',
          lines: [{ variant_id: variantId, quantity: 1 }],
        }),
      ),
    ).toMatchObject({ status: 422, errors: [{ path: 'qris_merchant_class' }] })
    expect(
      await apiError(
        asVenue.sales.create({
          venue_id: venue.id,
          receipt_number: 'NOTA-005',
          channel: 'cash',
          lines: [],
        }),
      ),
    ).toMatchObject({ status: 422, code: 'validation_failed', errors: [{ path: 'lines' }] })
    // Selling at another venue is selling what you cannot see.
    const other = api.clientFor(await api.party('venue')).admin
    expect(
      await apiError(
        other.sales.create({
          venue_id: venue.id,
          receipt_number: 'NOPE',
          channel: 'cash',
          lines: [{ variant_id: variantId, quantity: 1 }],
        }),
      ),
    ).toMatchObject(notFound)
    expect(await availableOf(asVenue, venue.id)).toBe(2)
  })

  it('holds stock in a reservation, converts one into a sale and releases another', async () => {
    await api.platform() // an online sale is collected by the platform operator
    const { venue, variantId, asVenue } = await stocked(6)
    const held = await asVenue.reservations.create({
      venue_id: venue.id,
      reference: 'order-1',
      ttl_seconds: 600,
      lines: [{ variant_id: variantId, quantity: 2 }],
    })
    expect(held).toMatchObject({
      venue_id: venue.id,
      status: 'held',
      reference: 'order-1',
      sale_id: null,
      closed_at: null,
      lines: [{ variant_id: variantId, quantity: 2 }],
    })
    const expiresIn = Date.parse(held.expires_at) - Date.parse(held.created_at)
    expect(expiresIn).toBeGreaterThanOrEqual(599_000)
    expect(expiresIn).toBeLessThanOrEqual(601_000)
    expect(await asVenue.reservations.get(held.id)).toEqual(held)
    expect(await availableOf(asVenue, venue.id)).toBe(4)

    const sold = await asVenue.reservations.convert(held.id, { receipt_number: 'WEB-1' })
    expect(sold).toMatchObject({
      receipt_number: 'WEB-1',
      reservation_id: held.id,
      lines: [{ variant_id: variantId, quantity: 2 }],
    })
    expect(sold.postings).toHaveLength(1)
    expect(await asVenue.reservations.get(held.id)).toMatchObject({
      status: 'converted',
      sale_id: sold.id,
      closed_at: expect.any(String),
    })
    expect(await apiError(asVenue.reservations.release(held.id))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })
    expect(await apiError(asVenue.reservations.convert(held.id, {}))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })

    // Without ttl_seconds: held for the default 15 minutes.
    const second = await asVenue.reservations.create({
      venue_id: venue.id,
      lines: [{ variant_id: variantId, quantity: 3 }],
    })
    expect(Date.parse(second.expires_at) - Date.parse(second.created_at)).toBeGreaterThanOrEqual(
      899_000,
    )
    expect(await availableOf(asVenue, venue.id)).toBe(1)
    const released = await asVenue.reservations.release(second.id)
    expect(released).toMatchObject({ status: 'released', closed_at: expect.any(String) })
    expect((await asVenue.reservations.get(second.id)).status).toBe('released')
    expect(await availableOf(asVenue, venue.id)).toBe(4)

    expect(
      await apiError(
        asVenue.reservations.create({
          venue_id: venue.id,
          ttl_seconds: 5,
          lines: [{ variant_id: variantId, quantity: 1 }],
        }),
      ),
    ).toMatchObject({ status: 422, errors: [{ path: 'ttl_seconds' }] })
    expect(
      await apiError(
        asVenue.reservations.create({
          venue_id: venue.id,
          lines: [{ variant_id: variantId, quantity: 5 }],
        }),
      ),
    ).toMatchObject({ status: 409, code: 'insufficient_stock' })
    const stranger = api.clientFor(await api.party('venue')).admin
    expect(await apiError(stranger.reservations.get(second.id))).toMatchObject(notFound)
    expect(await apiError(stranger.reservations.release(second.id))).toMatchObject(notFound)
    expect(await apiError(stranger.reservations.convert(second.id, {}))).toMatchObject(notFound)
  })

  it('requests, confirms and cancels returns, and lists them across pages', async () => {
    const { producer, venue, variantId, asProducer, asVenue } = await stocked(10)
    const asked = await asVenue.returns.create({
      venue_id: venue.id,
      producer_id: producer.id,
      reason: 'tidak laku',
      lines: [{ variant_id: variantId, quantity: 4 }],
    })
    expect(asked).toMatchObject({
      venue_id: venue.id,
      producer_id: producer.id,
      status: 'requested',
      source: 'venue',
      reason: 'tidak laku',
      closed_at: null,
      lines: [{ variant_id: variantId, quantity_requested: 4, quantity_confirmed: null }],
    })
    expect(await asProducer.returns.get(asked.id)).toEqual(asked)
    expect(
      await apiError(
        asProducer.returns.confirm(asked.id, { lines: [{ variant_id: variantId, quantity: 5 }] }),
      ),
    ).toMatchObject({
      status: 422,
      code: 'validation_failed',
      errors: [{ path: 'lines.0.quantity' }],
    })
    const confirmed = await asProducer.returns.confirm(asked.id, {
      lines: [{ variant_id: variantId, quantity: 3 }],
    })
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      closed_at: expect.any(String),
      lines: [{ quantity_requested: 4, quantity_confirmed: 3 }],
    })
    expect((await asVenue.returns.get(asked.id)).status).toBe('confirmed')
    expect(await availableOf(asVenue, venue.id)).toBe(7)
    expect(await apiError(asVenue.returns.cancel(asked.id))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })

    const byProducer = await asProducer.returns.create({
      venue_id: venue.id,
      producer_id: producer.id,
      lines: [{ variant_id: variantId, quantity: 2 }],
    })
    expect(byProducer.source).toBe('producer')
    const cancelled = await asVenue.returns.cancel(byProducer.id)
    expect(cancelled).toMatchObject({ status: 'cancelled', closed_at: expect.any(String) })
    expect(await apiError(asProducer.returns.confirm(byProducer.id, {}))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })
    expect(await availableOf(asVenue, venue.id)).toBe(7)

    const third = await asVenue.returns.create({
      venue_id: venue.id,
      producer_id: producer.id,
      lines: [{ variant_id: variantId, quantity: 1 }],
    })
    // Confirmed without lines: everything requested goes back.
    expect((await asVenue.returns.confirm(third.id, {})).lines[0]!.quantity_confirmed).toBe(1)
    const ids = [asked.id, byProducer.id, third.id]
    const first = await asProducer.returns.list({ limit: 2 })
    expect(first.data).toHaveLength(2)
    expect(first.next_cursor).toEqual(expect.any(String))
    const seen: string[] = []
    for await (const ret of asProducer.returns.list({ limit: 2 })) seen.push(ret.id)
    expect(seen.sort()).toEqual([...ids].sort())
    expect((await asVenue.returns.list({ status: 'cancelled' })).data.map((r) => r.id)).toEqual([
      byProducer.id,
    ])

    const stranger = api.clientFor(await api.party('producer')).admin
    expect(await apiError(stranger.returns.get(asked.id))).toMatchObject(notFound)
    expect(await apiError(stranger.returns.cancel(asked.id))).toMatchObject(notFound)
    expect(await apiError(stranger.returns.confirm(asked.id, {}))).toMatchObject(notFound)
    expect(
      await apiError(
        stranger.returns.create({
          venue_id: venue.id,
          producer_id: producer.id,
          lines: [{ variant_id: variantId, quantity: 1 }],
        }),
      ),
    ).toMatchObject({ ...notFound, errors: [{ path: 'venue_id' }] })
    expect((await stranger.returns.list()).data).toEqual([])
  })

  it('writes off damage and loss as obligations the liable side owes, listed across pages', async () => {
    const { producer, venue, variantId, agreementId, asProducer, asVenue } = await stocked(10)
    const damaged = await asVenue.writeOffs.create({
      venue_id: venue.id,
      kind: 'damage',
      reason: 'kena air hujan',
      lines: [{ variant_id: variantId, quantity: 2 }],
    })
    expect(damaged.obligations).toHaveLength(1)
    expect(damaged.obligations[0]).toMatchObject({
      venue_id: venue.id,
      producer_id: producer.id,
      variant_id: variantId,
      agreement_id: agreementId,
      kind: 'damage',
      quantity: 2,
      basis: 'retail_price',
      unit_value: { amount: 15_000, currency: 'IDR' },
      bearer: 'venue',
      total: { amount: 30_000 },
      venue_owes: { amount: 30_000 },
      producer_bears: { amount: 0 },
      reason: 'kena air hujan',
      transaction_id: expect.any(String),
    })
    const lost = await asVenue.writeOffs.create({
      venue_id: venue.id,
      kind: 'loss',
      reason: 'hilang',
      lines: [
        {
          variant_id: variantId,
          quantity: 1,
          agreed_unit_value: { amount: 12_000, currency: 'IDR' },
        },
      ],
    })
    expect(lost.obligations[0]).toMatchObject({
      kind: 'loss',
      basis: 'agreed_price',
      venue_owes: { amount: 12_000 },
    })
    const third = await asVenue.writeOffs.create({
      venue_id: venue.id,
      kind: 'damage',
      reason: 'pecah',
      lines: [{ variant_id: variantId, quantity: 1 }],
    })
    expect(await availableOf(asVenue, venue.id)).toBe(6)
    expect(
      await apiError(
        asVenue.writeOffs.create({
          venue_id: venue.id,
          kind: 'damage',
          reason: 'terlalu banyak',
          lines: [{ variant_id: variantId, quantity: 7 }],
        }),
      ),
    ).toMatchObject({ status: 409, code: 'insufficient_stock' })
    expect(
      await apiError(
        asVenue.writeOffs.create({
          venue_id: venue.id,
          kind: 'damage',
          reason: '',
          lines: [{ variant_id: variantId, quantity: 1 }],
        }),
      ),
    ).toMatchObject({ status: 422, errors: [{ path: 'reason' }] })
    expect(
      await apiError(
        asProducer.writeOffs.create({
          venue_id: venue.id,
          kind: 'loss',
          reason: 'bukan venue',
          lines: [{ variant_id: variantId, quantity: 1 }],
        }),
      ),
    ).toMatchObject({ ...notFound, errors: [{ path: 'venue_id' }] })

    const ids = [damaged, lost, third].map((w) => w.obligations[0]!.id)
    for (const side of [asProducer, asVenue]) {
      const first = await side.obligations.list({ limit: 2 })
      expect(first.data).toHaveLength(2)
      expect(first.next_cursor).toEqual(expect.any(String))
      const seen: string[] = []
      for await (const obligation of side.obligations.list({ limit: 2 })) seen.push(obligation.id)
      expect(seen.sort()).toEqual([...ids].sort())
    }
    // The venue holds what it owes the producer for them.
    const stock = await asVenue.stock.venue()
    expect(stock.producers[0]!.owed).toMatchObject([
      { currency: 'IDR', amount: { amount: 30_000 + 12_000 + 15_000 } },
    ])
    expect((await api.clientFor(await api.party('venue')).admin.obligations.list()).data).toEqual(
      [],
    )
  })

  it('records a stock count whose differences become adjustments (owners only)', async () => {
    const { producer, venue, variantId, asVenue } = await stocked(5)
    const counted = await asVenue.counts.create({
      venue_id: venue.id,
      reason: 'stok opname Desember',
      lines: [{ variant_id: variantId, counted: 3 }],
    })
    expect(counted).toMatchObject({
      venue_id: venue.id,
      reason: 'stok opname Desember',
      lines: [
        {
          variant_id: variantId,
          producer_id: producer.id,
          expected: 5,
          counted: 3,
          difference: -2,
        },
      ],
    })
    expect(await availableOf(asVenue, venue.id)).toBe(3)
    const more = await asVenue.counts.create({
      venue_id: venue.id,
      reason: 'ketemu di gudang',
      lines: [{ variant_id: variantId, counted: 4 }],
    })
    expect(more.lines[0]).toMatchObject({ expected: 3, counted: 4, difference: 1 })
    const adjustments = await asVenue.stock
      .movements({ kind: 'count_adjustment', variant_id: variantId })
      .toArray()
    expect(adjustments.map((m) => m.on_hand_delta).sort()).toEqual([-2, 1])
    expect(adjustments.every((m) => m.reason !== null && m.actor_party_id === venue.id)).toBe(true)

    // Below what is held for a checkout: 409 naming the line.
    await asVenue.reservations.create({
      venue_id: venue.id,
      lines: [{ variant_id: variantId, quantity: 2 }],
    })
    expect(
      await apiError(
        asVenue.counts.create({
          venue_id: venue.id,
          reason: 'salah hitung',
          lines: [{ variant_id: variantId, counted: 1 }],
        }),
      ),
    ).toMatchObject({ status: 409, code: 'conflict', errors: [{ path: 'lines.0.counted' }] })
    expect(
      await apiError(asVenue.counts.create({ venue_id: venue.id, reason: 'kosong', lines: [] })),
    ).toMatchObject({ status: 422, errors: [{ path: 'lines' }] })
    const staff = await api.party('venue', { role: 'staff' })
    expect(
      await apiError(
        api.clientFor(staff).admin.counts.create({
          venue_id: staff.id,
          reason: 'stok opname',
          lines: [{ variant_id: variantId, counted: 0 }],
        }),
      ),
    ).toMatchObject(forbidden)
    const other = api.clientFor(await api.party('venue')).admin
    expect(
      await apiError(
        other.counts.create({
          venue_id: venue.id,
          reason: 'bukan punyaku',
          lines: [{ variant_id: variantId, counted: 0 }],
        }),
      ),
    ).toMatchObject({ ...notFound, errors: [{ path: 'venue_id' }] })
    expect(await availableOf(asVenue, venue.id)).toBe(2)
  })

  it('moves stock between two venues of a producer by transfers, listed across pages', async () => {
    const { producer, venue, variantId, asProducer, asVenue } = await stocked(10)
    const second = await secondVenue(producer, asProducer)
    const moved = await asVenue.transfers.create({
      from_venue_id: venue.id,
      to_venue_id: second.venue.id,
      reason: 'lebih laku di sana',
      lines: [{ variant_id: variantId, quantity: 4 }],
    })
    expect(moved).toMatchObject({
      producer_id: producer.id,
      from_venue_id: venue.id,
      to_venue_id: second.venue.id,
      status: 'requested',
      reason: 'lebih laku di sana',
      closed_at: null,
      lines: [{ variant_id: variantId, quantity: 4 }],
    })
    expect(await asProducer.transfers.get(moved.id)).toEqual(moved)
    // Held at the sending venue until received.
    expect((await asVenue.stock.venue()).producers[0]).toMatchObject({ on_hand: 10, reserved: 4 })
    expect(await apiError(asVenue.transfers.receive(moved.id))).toMatchObject(forbidden)
    const received = await second.asVenue.transfers.receive(moved.id)
    expect(received).toMatchObject({ status: 'received', closed_at: expect.any(String) })
    expect((await asVenue.transfers.get(moved.id)).status).toBe('received')
    expect(await availableOf(asVenue, venue.id)).toBe(6)
    expect(await availableOf(second.asVenue, second.venue.id)).toBe(4)
    expect(await apiError(second.asVenue.transfers.cancel(moved.id))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })

    const back = await asVenue.transfers.create({
      from_venue_id: venue.id,
      to_venue_id: second.venue.id,
      lines: [{ variant_id: variantId, quantity: 1 }],
    })
    expect(await apiError(asProducer.transfers.cancel(back.id))).toMatchObject(forbidden)
    const cancelled = await second.asVenue.transfers.cancel(back.id)
    expect(cancelled.status).toBe('cancelled')
    expect(await availableOf(asVenue, venue.id)).toBe(6)
    const third = await second.asVenue.transfers.create({
      from_venue_id: second.venue.id,
      to_venue_id: venue.id,
      lines: [{ variant_id: variantId, quantity: 1 }],
    })

    const ids = [moved.id, back.id, third.id]
    const first = await asProducer.transfers.list({ limit: 2 })
    expect(first.data).toHaveLength(2)
    expect(first.next_cursor).toEqual(expect.any(String))
    const seen: string[] = []
    for await (const transfer of asProducer.transfers.list({ limit: 2 })) seen.push(transfer.id)
    expect(seen.sort()).toEqual([...ids].sort())
    expect((await asVenue.transfers.list({ status: 'requested' })).data.map((t) => t.id)).toEqual([
      third.id,
    ])

    expect(
      await apiError(
        asVenue.transfers.create({
          from_venue_id: venue.id,
          to_venue_id: venue.id,
          lines: [{ variant_id: variantId, quantity: 1 }],
        }),
      ),
    ).toMatchObject({ status: 422, errors: [{ path: 'to_venue_id' }] })
    expect(
      await apiError(
        asVenue.transfers.create({
          from_venue_id: venue.id,
          to_venue_id: second.venue.id,
          lines: [{ variant_id: variantId, quantity: 100 }],
        }),
      ),
    ).toMatchObject({ status: 409, code: 'insufficient_stock' })
    const stranger = api.clientFor(await api.party('venue')).admin
    expect(await apiError(stranger.transfers.get(third.id))).toMatchObject(notFound)
    expect(await apiError(stranger.transfers.receive(third.id))).toMatchObject(notFound)
    expect(await apiError(stranger.transfers.cancel(third.id))).toMatchObject(notFound)
    expect((await stranger.transfers.list()).data).toEqual([])
  })

  it('shows both sides the same stock, its movements across pages, and lots by age', async () => {
    const short = { ...terms, consignment_days: 5, grace_days: 0 }
    const found = await api.partnership(undefined, short)
    const { producer, venue, variantId } = found
    const asProducer = api.clientFor(producer).admin
    const asVenue = api.clientFor(venue).admin
    await api.deliver(producer, venue, variantId, 12, 11)
    await asVenue.sales.create({
      venue_id: venue.id,
      receipt_number: 'NOTA-A1',
      channel: 'cash',
      lines: [{ variant_id: variantId, quantity: 3 }],
    })
    await asVenue.reservations.create({
      venue_id: venue.id,
      lines: [{ variant_id: variantId, quantity: 1 }],
    })

    const mine = await asProducer.stock.producer()
    expect(mine.producer_id).toBe(producer.id)
    expect(mine.rows).toEqual([
      expect.objectContaining({
        venue_id: venue.id,
        variant_id: variantId,
        sku: 'KT-100',
        on_hand: 8,
        reserved: 1,
        available: 7,
        sold: 3,
        discrepancy: -1,
        oldest_lot_age_days: 0,
      }),
    ])
    expect((await asProducer.stock.producer({ venue_id: venue.id })).rows).toHaveLength(1)
    const future = new Date(Date.now() + 86_400_000).toISOString()
    expect((await asProducer.stock.producer({ since: future })).rows[0]!.sold).toBe(0)

    const theirs = await asVenue.stock.venue()
    expect(theirs.venue_id).toBe(venue.id)
    expect(theirs.producers).toEqual([
      expect.objectContaining({
        producer_id: producer.id,
        on_hand: 8,
        reserved: 1,
        available: 7,
        sold: 3,
        // The café holds the producer's share of its cash sale: Rp45.000 less 20 %.
        owed: [expect.objectContaining({ amount: { amount: 36_000, currency: 'IDR' } })],
      }),
    ])

    // receipt, sale, reserve: 3 movements, 1 per page.
    const movements = asProducer.stock.movements({ limit: 1, variant_id: variantId })
    const first = await movements
    expect(first.data).toHaveLength(1)
    expect(first.next_cursor).toEqual(expect.any(String))
    const kinds: string[] = []
    for await (const movement of movements) {
      expect(movement).toMatchObject({
        venue_id: venue.id,
        producer_id: producer.id,
        variant_id: variantId,
      })
      kinds.push(movement.kind)
    }
    expect(kinds.sort()).toEqual(['receipt', 'reserve', 'sale'])
    const sale = await asVenue.stock.movements({ kind: 'sale' })
    expect(sale.data).toMatchObject([{ on_hand_delta: -3, reference: 'NOTA-A1' }])
    expect((await asVenue.stock.movements({ venue_id: venue.id }).toArray()).length).toBe(3)

    // A five-day consignment: the lot expires within the next two weeks, not today.
    const aging = await asProducer.stock.aging({ within_days: 14 })
    expect(aging.expired).toEqual([])
    expect(aging.expiring).toEqual([
      expect.objectContaining({
        venue_id: venue.id,
        variant_id: variantId,
        quantity: 11,
        remaining: 8,
        state: 'current',
        days_until_expiry: 5,
        price: { amount: 15_000, currency: 'IDR' },
        percent_off_bps: 0,
      }),
    ])
    expect((await asVenue.stock.aging({ within_days: 1 })).expiring).toEqual([])
    expect(await apiError(asVenue.stock.aging({ within_days: 400 }))).toMatchObject({
      status: 422,
      errors: [{ path: 'within_days' }],
    })

    // Another producer sees none of it.
    const stranger = api.clientFor(await api.party('producer')).admin
    expect((await stranger.stock.producer()).rows).toEqual([])
    expect((await stranger.stock.movements()).data).toEqual([])
    // Another producer's variant is not one it can ask about.
    expect(await apiError(stranger.stock.movements({ variant_id: variantId }))).toMatchObject(
      notFound,
    )
    expect((await stranger.stock.aging()).expiring).toEqual([])
    expect(await apiError(asVenue.stock.venue({ since: 'kemarin' }))).toMatchObject({
      status: 422,
      errors: [{ path: 'since' }],
    })
  })
  it('reads counter sales back: listed across pages, by day, one by id, only to their parties', async () => {
    const { producer, venue, variantId, asProducer, asVenue } = await stocked(5)
    const sell = async (receipt_number: string, sold_at: string, quantity = 1) => {
      const { postings, ...sale } = await asVenue.sales.create({
        venue_id: venue.id,
        receipt_number,
        channel: 'cash',
        sold_at,
        lines: [{ variant_id: variantId, quantity }],
      })
      expect(postings).toHaveLength(1)
      return { ...sale, total: { amount: 15_000 * quantity, currency: 'IDR' } }
    }
    const fifth = await sell('NOTA-L1', '2026-12-05T20:00:00+07:00', 2)
    const sixth = await sell('NOTA-L2', '2026-12-06T00:00:00+07:00')
    const seventh = await sell('NOTA-L3', '2026-12-07T09:00:00+07:00')

    const page = await asVenue.sales.list({ limit: 2 })
    expect(page.data).toEqual([seventh, sixth])
    expect(page.next_cursor).toEqual(expect.any(String))
    const all: string[] = []
    for await (const sale of asVenue.sales.list({ limit: 2 })) all.push(sale.id)
    expect(all).toEqual([seventh.id, sixth.id, fifth.id])
    expect(await asVenue.sales.get(fifth.id)).toEqual(fifth)
    expect(fifth.lines[0]).toMatchObject({ producer_id: producer.id, quantity: 2 })

    // The producer reads the same sales of its goods; days are Jakarta's, `to` exclusive.
    const day = await asProducer.sales.list({ from: '2026-12-06', to: '2026-12-07' })
    expect(day.data).toEqual([sixth])
    expect((await asProducer.sales.list({ to: '2026-12-06' }).toArray()).map((s) => s.id)).toEqual([
      fifth.id,
    ])
    expect(await asProducer.sales.get(seventh.id)).toEqual(seventh)
    expect((await asVenue.sales.list({ channel: 'qris' })).data).toEqual([])
    expect(await apiError(asVenue.sales.list({ from: '6 Desember' }))).toMatchObject({
      status: 422,
      code: 'validation_failed',
      errors: [{ path: 'from' }],
    })

    // Another venue or producer: no such sale.
    for (const kind of ['venue', 'producer'] as const) {
      const stranger = api.clientFor(await api.party(kind)).admin
      expect(await apiError(stranger.sales.get(fifth.id))).toMatchObject(notFound)
      expect((await stranger.sales.list()).data).toEqual([])
    }
  })
})
