import { orders } from '@mitra/db'
import { testDatabaseKinds } from '@mitra/db/testing'
import { paymentProvidersFromEnv } from '@mitra/payments'
import { describe, expect, it } from 'vitest'
import { type CallOptions, type CallResult, useTestApi } from '../test-support.js'

/** The Node request a listening server hands Hono: the client's socket address. */
const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress }, headers: {} } })

describe.each(testDatabaseKinds())('buyers’ orders over HTTP on %s', (kind) => {
  const payments = paymentProvidersFromEnv(
    { MITRA_DEMO_WEBHOOK_SECRET: 'store-orders-secret' },
    { baseUrl: 'http://shop.test' },
  )
  const api = useTestApi(kind, { payments, baseUrl: 'http://shop.test' })
  const checkout = { fulfilment: 'pickup', customer: { name: 'Sari' }, provider: 'demo' }

  async function shop(units = 30) {
    await api.platform()
    const partnership = await api.partnership()
    await api.deliver(partnership.producer, partnership.venue, partnership.variantId, units)
    return partnership
  }

  /** A call from a client at `address`, as a listening server sees it. */
  async function callFrom(
    address: string,
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<CallResult> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`
    if (options.body !== undefined) headers['Content-Type'] = 'application/json'
    const init = {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    }
    const res = await api.app().request(path, init, from(address))
    const text = await res.text()
    return { status: res.status, headers: res.headers, json: JSON.parse(text || 'null'), text }
  }

  /** A cart of `quantity` units checked out by the client at `address` (the answer as is). */
  async function order(
    partnership: Awaited<ReturnType<typeof shop>>,
    quantity: number,
    address = '192.0.2.10',
  ) {
    const { venue, variantId } = partnership
    const pk = venue.publishable
    const cart = await callFrom(address, 'POST', '/v1/store/carts', { token: pk })
    await callFrom(address, 'POST', `/v1/store/carts/${cart.json.id}/lines`, {
      token: pk,
      body: { variant_id: variantId, venue_id: venue.id, quantity },
    })
    return callFrom(address, 'POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token: pk,
      body: checkout,
    })
  }

  it('shows a buyer’s order only with its own access token; admins read it as before', async () => {
    const partnership = await shop()
    const { venue, producer } = partnership
    const pk = venue.publishable
    const placed = await order(partnership, 1)
    const other = await order(partnership, 1)
    expect(placed.status).toBe(201)
    const token = placed.json.access_token as string
    expect(token).toMatch(/^otok_/)
    const path = `/v1/store/orders/${placed.json.id}`

    const seen = await api.call('GET', path, { token: pk, headers: { 'Mitra-Order-Token': token } })
    expect(seen.status).toBe(200)
    expect(seen.json).toMatchObject({ id: placed.json.id, customer: { name: 'Sari' } })
    // Read again, the token is not shown: it was given once.
    expect(seen.json.access_token).toBeUndefined()

    const missing = await api.call('GET', `/v1/store/orders/ord_00000000000000000000000000`, {
      token: pk,
      headers: { 'Mitra-Order-Token': token },
    })
    expect(missing.status).toBe(404)
    const refusals: Record<string, string>[] = [
      {},
      { 'Mitra-Order-Token': '' },
      { 'Mitra-Order-Token': `${token.slice(0, -1)}A` },
      { 'Mitra-Order-Token': other.json.access_token },
    ]
    for (const headers of refusals) {
      const refused = await api.call('GET', path, { token: pk, headers })
      expect(refused.status).toBe(404)
      expect(refused.headers.get('Content-Type')).toBe('application/problem+json')
      // Told apart from an order that does not exist by nothing but the id.
      expect(refused.json.code).toBe(missing.json.code)
      expect(refused.text).not.toContain('Sari')
      const cancel = await api.call('POST', `${path}/cancel`, { token: pk, headers })
      expect(cancel.status).toBe(404)
    }
    // Another channel's key with the right token: still 404.
    const stranger = await api.party('venue')
    const elsewhere = await api.call('GET', path, {
      token: stranger.publishable,
      headers: { 'Mitra-Order-Token': token },
    })
    expect(elsewhere.status).toBe(404)
    // A malformed id is still named as such.
    const malformed = await api.call('GET', '/v1/store/orders/nope', { token: pk })
    expect(malformed.status).toBe(422)

    // Admin reads by secret keys need no token.
    for (const secret of [venue.secret, producer.secret]) {
      const admin = await api.call('GET', `/v1/admin/orders/${placed.json.id}`, { token: secret })
      expect(admin.status).toBe(200)
    }
    // The buyer cancels with the token.
    const canceled = await api.call('POST', `${path}/cancel`, {
      token: pk,
      headers: { 'Mitra-Order-Token': token },
    })
    expect(canceled.json.status).toBe('canceled')
  })

  it('sets and reads a venue’s hold limits, within the database’s bounds', async () => {
    const { venue } = await shop()
    const before = await api.call('GET', '/v1/admin/checkout/settings', { token: venue.secret })
    expect(before.json).toMatchObject({
      max_units_per_order: 10,
      max_units_per_buyer: 20,
      hold_seconds: 600,
    })
    const set = { max_units_per_order: 4, max_units_per_buyer: 6, hold_seconds: 60 }
    const put = await api.call('PUT', '/v1/admin/checkout/settings', {
      token: venue.secret,
      body: { currency: 'IDR', pickup: true, ...set },
    })
    expect(put.status).toBe(200)
    expect(put.json).toMatchObject(set)
    for (const [field, value] of [
      ['max_units_per_order', 10_001],
      ['max_units_per_buyer', 0],
      ['hold_seconds', 59],
      ['hold_seconds', 86_401],
    ] as const) {
      const refused = await api.call('PUT', '/v1/admin/checkout/settings', {
        token: venue.secret,
        body: { pickup: true, [field]: value },
      })
      expect(refused.status).toBe(422)
      expect(refused.json.errors.map((e: { path: string }) => e.path)).toEqual([field])
    }
    const after = await api.call('GET', '/v1/admin/checkout/settings', { token: venue.secret })
    expect(after.json).toMatchObject(set)
  })

  it('caps units per order and per client at a venue (422 naming the cart), up to the boundary', async () => {
    const partnership = await shop(40)
    const { venue } = partnership
    await api.call('PUT', '/v1/admin/checkout/settings', {
      token: venue.secret,
      body: { pickup: true, max_units_per_order: 5, max_units_per_buyer: 8 },
    })
    const tooBig = await order(partnership, 6, '198.51.100.1')
    expect(tooBig.status).toBe(422)
    expect(tooBig.headers.get('Content-Type')).toBe('application/problem+json')
    expect(tooBig.json.errors).toMatchObject([{ path: 'cart_id', code: 'too_many_units' }])
    expect(tooBig.json.detail).toContain('at most 5')

    // One client: 5 + 3 is exactly its limit; one more unit is over it.
    expect((await order(partnership, 5, '198.51.100.1')).status).toBe(201)
    expect((await order(partnership, 3, '198.51.100.1')).status).toBe(201)
    const over = await order(partnership, 1, '198.51.100.1')
    expect(over.status).toBe(422)
    expect(over.json.errors).toMatchObject([{ path: 'cart_id', code: 'too_many_units_held' }])
    // Another client is its own buyer.
    expect((await order(partnership, 5, '198.51.100.2')).status).toBe(201)

    // The buyer is kept as a keyed hash, never the address.
    const { db } = api.database()
    const rows = await db.select().from(orders)
    const keys = new Set(rows.map((row) => row.buyerKey).filter((key) => key !== null))
    expect(keys.size).toBeGreaterThanOrEqual(2)
    for (const key of keys) expect(key).not.toContain('198.51.100')
  })

  it('lets one of two checkouts by one client at once through the cap', async () => {
    const partnership = await shop(40)
    const { venue, variantId } = partnership
    const pk = venue.publishable
    await api.call('PUT', '/v1/admin/checkout/settings', {
      token: venue.secret,
      body: { pickup: true, max_units_per_buyer: 3 },
    })
    const address = '203.0.113.7'
    const carts: string[] = []
    for (let i = 0; i < 4; i++) {
      const cart = await callFrom(address, 'POST', '/v1/store/carts', { token: pk })
      await callFrom(address, 'POST', `/v1/store/carts/${cart.json.id}/lines`, {
        token: pk,
        body: { variant_id: variantId, venue_id: venue.id, quantity: 2 },
      })
      carts.push(cart.json.id)
    }
    const answers = await Promise.all(
      carts.map((id) =>
        callFrom(address, 'POST', `/v1/store/carts/${id}/checkout`, { token: pk, body: checkout }),
      ),
    )
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422, 422, 422])
  })
})
