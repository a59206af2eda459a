import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { createApiKey } from '../auth/keys.js'
import { type TestParty, useTestApi } from '../test-support.js'

describe.each(testDatabaseKinds())('stock routes on %s', (kind) => {
  const api = useTestApi(kind)

  const partnership = () => api.partnership()

  async function deliver(
    producer: TestParty,
    venue: TestParty,
    variantId: string,
    sent: number,
    counted: number,
  ) {
    const received = await api.deliver(producer, venue, variantId, sent, counted)
    expect(received.status).toBe(200)
    return received.json
  }

  it('delivers, receives with a discrepancy, sells, and shows both sides the same numbers', async () => {
    const { producer, venue, variantId } = await partnership()
    const received = await deliver(producer, venue, variantId, 12, 11)
    expect(received.lines[0].discrepancy).toBe(-1)
    const sold = await api.call('POST', '/v1/admin/sales', {
      token: venue.secret,
      body: {
        venue_id: venue.id,
        receipt_number: 'NOTA-001',
        channel: 'qris',
        lines: [{ variant_id: variantId, quantity: 3 }],
      },
    })
    expect(sold.status).toBe(201)

    const mine = await api.call('GET', '/v1/admin/stock/producer', { token: producer.secret })
    const theirs = await api.call('GET', '/v1/admin/stock/venue', { token: venue.secret })
    const atVenue = JSON.stringify(mine.json)
    expect(atVenue).toContain(venue.id)
    expect(mine.status).toBe(200)
    expect(theirs.status).toBe(200)
    const onHand = (json: unknown) => JSON.stringify(json).match(/"on_hand":(\d+)/)?.[1]
    expect(onHand(mine.json)).toBe('8')
    expect(onHand(theirs.json)).toBe('8')

    const available = await api.call('GET', `/v1/store/venues/${venue.id}/available`, {
      token: venue.publishable,
    })
    expect(available.json.data[0]).toMatchObject({ variant_id: variantId, available: 8 })
    expect(available.headers.get('Cache-Control')).toBe('no-store')
    const movements = await api.call('GET', '/v1/admin/stock/movements', { token: producer.secret })
    expect(movements.json.data.length).toBeGreaterThanOrEqual(2)
  })

  it('refuses to oversell with 409 and the quantity available, changing nothing', async () => {
    const { producer, venue, variantId } = await partnership()
    await deliver(producer, venue, variantId, 2, 2)
    const oversold = await api.call('POST', '/v1/admin/sales', {
      token: venue.secret,
      body: {
        venue_id: venue.id,
        receipt_number: 'NOTA-X',
        channel: 'cash',
        lines: [{ variant_id: variantId, quantity: 3 }],
      },
    })
    expect(oversold.status).toBe(409)
    expect(oversold.json).toMatchObject({ code: 'insufficient_stock', available: 2 })
    const available = await api.call('GET', `/v1/store/venues/${venue.id}/available`, {
      token: venue.publishable,
    })
    expect(available.json.data[0].available).toBe(2)
  })

  it('lists a venue’s shelf: only the products with units to buy there now', async () => {
    const { producer, venue, variantId } = await partnership()
    const other = await api.partnership({
      title: 'Madu',
      category: 'honey',
      sku: 'MD-1',
      price: 9_000,
    })
    await deliver(producer, venue, variantId, 2, 2)
    const shelf = async (venueId: string, limit: number) => {
      const answer = await api.call('GET', `/v1/store/products?venue=${venueId}&limit=${limit}`, {
        token: venue.publishable,
      })
      expect(answer.status).toBe(200)
      return answer.json.data.flatMap((p: { variants: { id: string }[] }) =>
        p.variants.map((v) => v.id),
      )
    }
    expect(await shelf(venue.id, 10)).toEqual([variantId])
    // The other venue has an agreement and an active product, but nothing delivered.
    expect(await shelf(other.venue.id, 10)).toEqual([])
    await api.call('POST', '/v1/admin/sales', {
      token: venue.secret,
      body: {
        venue_id: venue.id,
        receipt_number: 'NOTA-LAST',
        channel: 'cash',
        lines: [{ variant_id: variantId, quantity: 2 }],
      },
    })
    // Sold out: off the shelf (another limit, so no cached answer is read).
    expect(await shelf(venue.id, 11)).toEqual([])
  })

  it('sells the last units exactly once under concurrent requests', async () => {
    const { producer, venue, variantId } = await partnership()
    await deliver(producer, venue, variantId, 10, 10)
    const attempts = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api.call('POST', '/v1/admin/sales', {
          token: venue.secret,
          body: {
            venue_id: venue.id,
            receipt_number: `R-${i}`,
            channel: 'cash',
            lines: [{ variant_id: variantId, quantity: 1 }],
          },
        }),
      ),
    )
    expect(attempts.filter((r) => r.status === 201)).toHaveLength(10)
    expect(attempts.filter((r) => r.status === 409)).toHaveLength(30)
    const available = await api.call('GET', `/v1/store/venues/${venue.id}/available`, {
      token: venue.publishable,
    })
    expect(available.json.data).toEqual([])
  })

  it('records a sale once when the till retries with the same Idempotency-Key', async () => {
    const { producer, venue, variantId } = await partnership()
    await deliver(producer, venue, variantId, 5, 5)
    const request = {
      token: venue.secret,
      body: {
        venue_id: venue.id,
        receipt_number: 'NOTA-RETRY',
        channel: 'cash',
        lines: [{ variant_id: variantId, quantity: 2 }],
      },
      idempotencyKey: 'till-7-nota-retry',
    }
    const first = await api.call('POST', '/v1/admin/sales', request)
    const again = await api.call('POST', '/v1/admin/sales', request)
    expect(again.json.id).toBe(first.json.id)
    const available = await api.call('GET', `/v1/store/venues/${venue.id}/available`, {
      token: venue.publishable,
    })
    expect(available.json.data[0].available).toBe(3)
  })

  it('keeps other parties out: no sales at another venue, no reading another producer’s stock', async () => {
    const { producer, venue, variantId } = await partnership()
    const other = await partnership()
    await deliver(producer, venue, variantId, 3, 3)
    const elsewhere = await api.call('POST', '/v1/admin/sales', {
      token: other.venue.secret,
      body: {
        venue_id: venue.id,
        receipt_number: 'NOPE',
        channel: 'cash',
        lines: [{ variant_id: variantId, quantity: 1 }],
      },
    })
    expect(elsewhere.status).toBe(404)
    const theirView = await api.call('GET', '/v1/admin/stock/producer', {
      token: other.producer.secret,
    })
    expect(theirView.status).toBe(200)
    expect(JSON.stringify(theirView.json)).not.toContain(variantId)
    const theirMovements = await api.call(
      'GET',
      `/v1/admin/stock/movements?variant_id=${variantId}`,
      { token: other.venue.secret },
    )
    expect(theirMovements.status).toBe(404)
    expect(theirMovements.json.errors[0].path).toBe('variant_id')
    const ours = await api.call('GET', `/v1/admin/stock/movements?variant_id=${variantId}`, {
      token: venue.secret,
    })
    expect(ours.json.data.length).toBeGreaterThan(0)
    const staff = await api.party('venue', { role: 'staff' })
    const count = await api.call('POST', '/v1/admin/counts', {
      token: staff.secret,
      body: {
        venue_id: staff.id,
        reason: 'stok opname',
        lines: [{ variant_id: variantId, counted: 0 }],
      },
    })
    expect(count.status).toBe(403)
    const bad = await api.call('POST', '/v1/admin/sales', {
      token: venue.secret,
      body: { venue_id: venue.id, receipt_number: 'NOTA-Q', channel: 'card', lines: [] },
    })
    expect(bad.status).toBe(422)
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toContain('channel')
  })

  it('asks for the remaining stock back when the agreement ends', async () => {
    const { producer, venue, variantId } = await partnership()
    await deliver(producer, venue, variantId, 6, 6)
    const [agreement] = (
      await api.call('GET', '/v1/admin/agreements?status=active', { token: venue.secret })
    ).json.data
    const ended = await api.call('POST', `/v1/admin/agreements/${agreement.id}/terminate`, {
      token: venue.secret,
      body: { reason: 'kafe direnovasi' },
    })
    expect(ended.status).toBe(200)
    expect(ended.json.stock_return.lines).toEqual([
      { variant_id: variantId, quantity_requested: 6, quantity_confirmed: null },
    ])
    const returns = await api.call('GET', '/v1/admin/returns', { token: producer.secret })
    expect(returns.json.data.map((r: { id: string }) => r.id)).toContain(ended.json.stock_return.id)
    const confirmed = await api.call(
      'POST',
      `/v1/admin/returns/${ended.json.stock_return.id}/confirm`,
      { token: producer.secret, body: {} },
    )
    expect(confirmed.json.status).toBe('confirmed')
    const available = await api.call('GET', `/v1/store/venues/${venue.id}/available`, {
      token: venue.publishable,
    })
    expect(available.json.data).toEqual([])
  })

  it('holds stock for a checkout and gives it back on release', async () => {
    const { producer, venue, variantId } = await partnership()
    await deliver(producer, venue, variantId, 4, 4)
    const held = await api.call('POST', '/v1/admin/reservations', {
      token: venue.secret,
      body: {
        venue_id: venue.id,
        reference: 'order-1',
        lines: [{ variant_id: variantId, quantity: 3 }],
      },
    })
    expect(held.status).toBe(201)
    const during = await api.call('GET', `/v1/store/venues/${venue.id}/available`, {
      token: venue.publishable,
    })
    expect(during.json.data[0].available).toBe(1)
    await api.call('POST', `/v1/admin/reservations/${held.json.id}/release`, {
      token: venue.secret,
    })
    const after = await api.call('GET', `/v1/store/venues/${venue.id}/available`, {
      token: venue.publishable,
    })
    expect(after.json.data[0].available).toBe(4)
  })

  it('reads sales back to their parties: newest first across pages, by day in Jakarta time', async () => {
    const { producer, venue, variantId } = await partnership()
    await deliver(producer, venue, variantId, 10, 10)
    const sell = async (receipt: string, soldAt: string, channel = 'cash') => {
      const sold = await api.call('POST', '/v1/admin/sales', {
        token: venue.secret,
        body: {
          venue_id: venue.id,
          receipt_number: receipt,
          channel,
          sold_at: soldAt,
          lines: [{ variant_id: variantId, quantity: 1 }],
        },
      })
      expect(sold.status).toBe(201)
      const { postings, ...sale } = sold.json
      expect(postings).toHaveLength(1)
      return { ...sale, total: { amount: 15_000, currency: 'IDR' } }
    }
    const lastOf5th = await sell('NOTA-5', '2026-12-05T23:59:59.999+07:00')
    const firstOf6th = await sell('NOTA-6A', '2026-12-06T00:00:00+07:00', 'qris')
    const lastOf6th = await sell('NOTA-6B', '2026-12-06T23:59:59.999+07:00')
    const firstOf7th = await sell('NOTA-7', '2026-12-07T00:00:00+07:00')
    const newestFirst = [firstOf7th, lastOf6th, firstOf6th, lastOf5th]
    const ids = (json: { data: { id: string }[] }) => json.data.map((sale) => sale.id)

    // Staff may read; the list pages by cursor like every other list.
    const staff = await createApiKey(api.database().db, {
      partyId: venue.id,
      kind: 'secret',
      role: 'staff',
    })
    const first = await api.call('GET', '/v1/admin/sales?limit=3', { token: staff.token })
    expect(first.status).toBe(200)
    expect(first.json).toEqual({
      object: 'list',
      data: newestFirst.slice(0, 3),
      next_cursor: expect.any(String),
    })
    const rest = await api.call(
      'GET',
      `/v1/admin/sales?limit=3&cursor=${encodeURIComponent(first.json.next_cursor)}`,
      { token: staff.token },
    )
    expect(rest.json).toEqual({ object: 'list', data: [lastOf5th], next_cursor: null })
    const one = await api.call('GET', `/v1/admin/sales/${firstOf6th.id}`, { token: staff.token })
    expect(one.status).toBe(200)
    expect(one.json).toEqual(firstOf6th)

    // A day is Jakarta's: 6 December is [00:00, 24:00) WIB; `to` is exclusive.
    for (const side of [venue, producer]) {
      const sixth = await api.call('GET', '/v1/admin/sales?from=2026-12-06&to=2026-12-07', {
        token: side.secret,
      })
      expect(ids(sixth.json)).toEqual([lastOf6th.id, firstOf6th.id])
    }
    const since = await api.call(
      'GET',
      `/v1/admin/sales?from=${encodeURIComponent('2026-12-06T00:00:00+07:00')}`,
      { token: producer.secret },
    )
    expect(ids(since.json)).toEqual([firstOf7th.id, lastOf6th.id, firstOf6th.id])
    const before = await api.call('GET', '/v1/admin/sales?to=2026-12-06', { token: venue.secret })
    expect(ids(before.json)).toEqual([lastOf5th.id])
    const qris = await api.call('GET', '/v1/admin/sales?channel=qris', { token: producer.secret })
    expect(ids(qris.json)).toEqual([firstOf6th.id])
    const byProducer = await api.call('GET', `/v1/admin/sales?producer_id=${producer.id}`, {
      token: venue.secret,
    })
    expect(ids(byProducer.json)).toEqual(newestFirst.map((sale) => sale.id))
    const mine = await api.call('GET', `/v1/admin/sales/${lastOf5th.id}`, {
      token: producer.secret,
    })
    expect(mine.json).toEqual(lastOf5th)

    for (const [query, path] of [
      ['from=06-12-2026', 'from'],
      ['to=besok', 'to'],
      ['from=2026-12-06T25:00:00Z', 'from'],
      ['channel=card', 'channel'],
    ]) {
      const bad = await api.call('GET', `/v1/admin/sales?${query}`, { token: venue.secret })
      expect(bad.status).toBe(422)
      expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual([path])
    }

    // Another venue or producer: the sale does not exist for it.
    const other = await partnership()
    for (const stranger of [other.venue, other.producer]) {
      const theirs = await api.call('GET', `/v1/admin/sales/${firstOf7th.id}`, {
        token: stranger.secret,
      })
      expect(theirs.status).toBe(404)
      expect(theirs.json.code).toBe('not_found')
      const list = await api.call('GET', '/v1/admin/sales', { token: stranger.secret })
      expect(list.json).toEqual({ object: 'list', data: [], next_cursor: null })
    }
    const notASale = await api.call('GET', `/v1/admin/sales/${venue.id}`, { token: venue.secret })
    expect(notASale.status).toBe(422)
  })
})
