import { MitraError } from '@mitra/core'
import { orderRefunds, orders } from '@mitra/db'
import { testDatabaseKinds } from '@mitra/db/testing'
import { type PaymentProviderRegistry, paymentProvidersFromEnv } from '@mitra/payments'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { useTestApi } from '../test-support.js'

describe.each(testDatabaseKinds())('checkout over HTTP on %s', (kind) => {
  const demo = paymentProvidersFromEnv(
    { MITRA_DEMO_WEBHOOK_SECRET: 'route-test-secret' },
    { baseUrl: 'http://shop.test' },
  )
  /** While set, the demo provider does not answer refunds. */
  let refundsDown = false
  const payments: PaymentProviderRegistry = {
    ...demo,
    get: (name, accountId) => {
      const provider = demo.get(name, accountId)
      return new Proxy(provider, {
        get(target, property) {
          if (property === 'refund' && refundsDown) {
            return async () => {
              throw new MitraError('provider_unavailable', 'demo refunds are down')
            }
          }
          const value = Reflect.get(target, property)
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
    },
  }
  const api = useTestApi(kind, { payments, baseUrl: 'http://shop.test' })

  async function shop(units = 5) {
    await api.platform()
    const partnership = await api.partnership()
    await api.deliver(partnership.producer, partnership.venue, partnership.variantId, units)
    return partnership
  }

  it('runs cart → checkout → demo pay page → webhook → paid, with the split live for both sides', async () => {
    const { producer, venue, variantId } = await shop(5)
    const pk = venue.publishable
    const cart = await api.call('POST', '/v1/store/carts', { token: pk, idempotencyKey: 'c1' })
    expect(cart.status).toBe(201)
    expect(cart.headers.get('Cache-Control')).toBe('no-store')
    const line = await api.call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
      token: pk,
      body: { variant_id: variantId, venue_id: venue.id, quantity: 2 },
    })
    expect(line.json.lines[0]).toMatchObject({ quantity: 2, line_total: { amount: 30_000 } })

    const checkout = {
      fulfilment: 'pickup',
      customer: { name: 'Sari', email: 'sari@example.id' },
      provider: 'demo',
    }
    const order = await api.call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token: pk,
      body: checkout,
      idempotencyKey: 'checkout-1',
    })
    expect(order.status).toBe(201)
    expect(order.json).toMatchObject({ status: 'pending_payment', total: { amount: 30_000 } })
    // A retried checkout replays the same order rather than holding the stock twice.
    const again = await api.call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token: pk,
      body: checkout,
      idempotencyKey: 'checkout-1',
    })
    expect(again.json.id).toBe(order.json.id)
    const available = await api.call('GET', `/v1/store/venues/${venue.id}/available`, { token: pk })
    expect(available.json.data[0].available).toBe(3)

    const payPage = new URL(order.json.redirect_url as string)
    const page = await api.call('GET', payPage.pathname)
    expect(page.text).toContain('DEMO — no real money')
    const paid = await api.call('POST', `${payPage.pathname}/pay`)
    expect(paid.status).toBe(303)
    expect(paid.headers.get('Location')).toBe('http://shop.test/checkout/success')

    const seen = await api.call('GET', `/v1/store/orders/${order.json.id}`, {
      token: pk,
      headers: { 'Mitra-Order-Token': order.json.access_token },
    })
    expect(seen.json.status).toBe('paid')
    const byProducer = await api.call('GET', `/v1/admin/orders/${order.json.id}`, {
      token: producer.secret,
    })
    expect(byProducer.json.lines[0].sale_line_id).toMatch(/^sale_/)
    const listed = await api.call('GET', '/v1/admin/orders?status=paid', { token: venue.secret })
    expect(listed.json.data.map((o: { id: string }) => o.id)).toContain(order.json.id)

    const ready = await api.call('POST', `/v1/admin/orders/${order.json.id}/ready-for-pickup`, {
      token: venue.secret,
    })
    expect(ready.json.status).toBe('ready_for_pickup')
    const shipped = await api.call('POST', `/v1/admin/orders/${order.json.id}/shipped`, {
      token: venue.secret,
    })
    expect(shipped.status).toBe(409)
    expect(shipped.json.code).toBe('illegal_status_transition')

    const refund = await api.call('POST', `/v1/admin/orders/${order.json.id}/refunds`, {
      token: venue.secret,
      body: {
        lines: [{ position: 0, quantity: 1 }],
        reason: 'one arrived torn',
        goods: 'written_off',
      },
    })
    expect(refund.status).toBe(201)
    expect(refund.json.order.status).toBe('partially_refunded')
    expect(refund.json.refund).toMatchObject({ status: 'succeeded', amount: { amount: 15_000 } })
  })

  it('refunds say what happens to the goods: restocked once, kept or written off, never more than sold', async () => {
    const { producer, venue, variantId } = await shop(5)
    const pk = venue.publishable
    const cart = await api.call('POST', '/v1/store/carts', { token: pk })
    await api.call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
      token: pk,
      body: { variant_id: variantId, venue_id: venue.id, quantity: 3 },
    })
    const order = await api.call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token: pk,
      body: { fulfilment: 'pickup', customer: { name: 'Sari' }, provider: 'demo' },
    })
    await api.call('POST', `${new URL(order.json.redirect_url as string).pathname}/pay`)
    const refunds = `/v1/admin/orders/${order.json.id}/refunds`
    const available = async () =>
      (await api.call('GET', `/v1/store/venues/${venue.id}/available`, { token: pk })).json.data[0]
        .available
    expect(await available()).toBe(2)

    for (const body of [{}, { goods: 'returned' }]) {
      const bad = await api.call('POST', refunds, { token: venue.secret, body })
      expect(bad.status).toBe(422)
      expect(bad.headers.get('Content-Type')).toContain('application/problem+json')
      expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['goods'])
    }
    const both = await api.call('POST', refunds, {
      token: venue.secret,
      body: {
        lines: [{ position: 0, quantity: 1 }],
        goods: 'restock',
        quantities: [{ position: 0, quantity: 1 }],
      },
    })
    expect(both.status).toBe(422)
    expect(both.json.errors[0].path).toBe('quantities')

    // Restocked, and a retry under the same Idempotency-Key restocks nothing more.
    const restock = {
      token: venue.secret,
      idempotencyKey: 'refund-restock-1',
      body: { lines: [{ position: 0, quantity: 2 }], goods: 'restock', reason: 'returned' },
    }
    const made = await api.call('POST', refunds, restock)
    expect(made.status).toBe(201)
    expect(made.json.refund).toMatchObject({
      status: 'succeeded',
      goods: 'restock',
      goods_lines: [{ position: 0, quantity: 2 }],
    })
    expect(await available()).toBe(4)
    const replayed = await api.call('POST', refunds, restock)
    expect(replayed.json.refund.id).toBe(made.json.refund.id)
    expect(await available()).toBe(4)
    const movements = await api.call('GET', '/v1/admin/stock/movements?kind=restock', {
      token: venue.secret,
    })
    expect(movements.json.data).toMatchObject([
      { on_hand_delta: 2, document_id: made.json.refund.id, variant_id: variantId },
    ])

    // One unit left to come back: two more are refused, naming the field, and nothing moves.
    const tooMany = await api.call('POST', refunds, {
      token: venue.secret,
      body: {
        amount: { amount: 1_000, currency: 'IDR' },
        goods: 'restock',
        quantities: [{ position: 0, quantity: 2 }],
      },
    })
    expect(tooMany.status).toBe(409)
    expect(tooMany.json).toMatchObject({
      code: 'goods_exceed_sale',
      errors: [{ path: 'quantities.0.quantity', code: 'goods_exceed_sale' }],
    })
    expect(await available()).toBe(4)

    // Kept by the buyer: money only. Written off: no stock, but the producer's report shows it.
    const kept = await api.call('POST', refunds, {
      token: venue.secret,
      body: { amount: { amount: 1_000, currency: 'IDR' }, goods: 'kept' },
    })
    expect(kept.json.refund).toMatchObject({ goods: 'kept', goods_lines: [] })
    const lost = await api.call('POST', refunds, {
      token: venue.secret,
      body: {
        amount: { amount: 1_000, currency: 'IDR' },
        goods: 'written_off',
        quantities: [{ position: 0, quantity: 1 }],
      },
    })
    expect(lost.json.refund.goods).toBe('written_off')
    expect(await available()).toBe(4)
    const report = await api.call('GET', '/v1/admin/stock/producer', { token: producer.secret })
    expect(report.json.rows[0]).toMatchObject({ refunded_restocked: 2, refunded_written_off: 1 })
    const listed = await api.call('GET', refunds, { token: venue.secret })
    expect(listed.json.data.map((r: { goods: string }) => r.goods)).toEqual([
      'restock',
      'kept',
      'written_off',
    ])
  })

  it('lets the platform operator settle by hand a refund mitra gave up sending', async () => {
    const { venue, variantId } = await shop(5)
    const pk = venue.publishable
    const cart = await api.call('POST', '/v1/store/carts', { token: pk })
    await api.call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
      token: pk,
      body: { variant_id: variantId, venue_id: venue.id, quantity: 2 },
    })
    const order = await api.call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token: pk,
      body: { fulfilment: 'pickup', customer: { name: 'Sari' }, provider: 'demo' },
    })
    await api.call('POST', `${new URL(order.json.redirect_url as string).pathname}/pay`)
    refundsDown = true
    const refund = await api.call('POST', `/v1/admin/orders/${order.json.id}/refunds`, {
      token: venue.secret,
      body: { goods: 'kept' },
    })
    refundsDown = false
    expect(refund.json.code).toBe('provider_unavailable')
    const listed = await api.call('GET', `/v1/admin/orders/${order.json.id}/refunds`, {
      token: venue.secret,
    })
    const refundId = listed.json.data[0].id as string
    const settle = `/v1/admin/orders/${order.json.id}/refunds/${refundId}/settle`
    const platform = await api.platformOwner()

    const early = await api.call('POST', settle, {
      token: platform.secret,
      body: { outcome: 'failed' },
    })
    expect(early.status).toBe(409)
    expect(early.json.code).toBe('refund_in_progress')
    // A day passes: mitra no longer sends it.
    await api
      .database()
      .db.update(orderRefunds)
      .set({ createdAt: new Date(Date.now() - 21 * 3_600_000) })
      .where(eq(orderRefunds.id, refundId))
    const byVenue = await api.call('POST', settle, {
      token: venue.secret,
      body: { outcome: 'failed' },
    })
    expect(byVenue.status).toBe(404)
    const noId = await api.call('POST', settle, {
      token: platform.secret,
      body: { outcome: 'succeeded' },
    })
    expect(noId.status).toBe(422)
    expect(noId.json.errors[0].path).toBe('provider_refund_id')
    const settled = await api.call('POST', settle, {
      token: platform.secret,
      body: { outcome: 'failed' },
    })
    expect(settled.status).toBe(200)
    expect(settled.json.refund.status).toBe('failed')
    expect(settled.json.order).toMatchObject({ status: 'paid', refunded_amount: { amount: 0 } })
  })

  it('answers a gallery page on an allowed origin, preflight included, and no other', async () => {
    const gallery = 'https://galeri.example'
    const venue = await api.party('venue', { allowedOrigins: [gallery] })
    const preflight = await api.call('OPTIONS', '/v1/store/carts/cart_x/lines/pty_y/var_z', {
      headers: { Origin: gallery, 'Access-Control-Request-Method': 'DELETE' },
    })
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toContain('DELETE')
    const cart = await api.call('POST', '/v1/store/carts', {
      token: venue.publishable,
      headers: { Origin: gallery },
    })
    expect(cart.status).toBe(201)
    expect(cart.headers.get('Access-Control-Allow-Origin')).toBe(gallery)
    const elsewhere = await api.call('POST', '/v1/store/carts', {
      token: venue.publishable,
      headers: { Origin: 'https://elsewhere.example' },
    })
    expect(elsewhere.status).toBe(403)
  })

  it('keeps other channels and tenants out, and names bad fields', async () => {
    const { venue, variantId } = await shop(2)
    const other = await api.party('venue')
    const cart = await api.call('POST', '/v1/store/carts', { token: venue.publishable })
    const foreign = await api.call('GET', `/v1/store/carts/${cart.json.id}`, {
      token: other.publishable,
    })
    expect(foreign.status).toBe(404)
    const bad = await api.call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
      token: venue.publishable,
      body: { variant_id: variantId, venue_id: venue.id, quantity: 0 },
    })
    expect(bad.status).toBe(422)
    expect(bad.json.errors[0].path).toBe('quantity')
    await api.call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
      token: venue.publishable,
      body: { variant_id: variantId, venue_id: venue.id, quantity: 1 },
    })
    const noAddress = await api.call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token: venue.publishable,
      body: { fulfilment: 'delivery', customer: { name: 'Budi' }, provider: 'demo' },
    })
    expect(noAddress.status).toBe(422)
    expect(noAddress.json.errors[0].path).toBe('delivery_address')
    const offProvider = await api.call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token: venue.publishable,
      body: { fulfilment: 'pickup', customer: { name: 'Budi' }, provider: 'stripe' },
    })
    // A provider this server does not offer is the buyer's to change: a 422 on the field.
    expect(offProvider.status).toBe(422)
    expect(offProvider.json.errors[0]).toMatchObject({ path: 'provider', code: 'provider_off' })
    const order = await api.call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token: venue.publishable,
      body: { fulfilment: 'pickup', customer: { name: 'Budi' }, provider: 'demo' },
    })
    const theirs = await api.call('GET', `/v1/admin/orders/${order.json.id}`, {
      token: other.secret,
    })
    expect(theirs.status).toBe(404)
    const refund = await api.call('POST', `/v1/admin/orders/${order.json.id}/refunds`, {
      token: other.secret,
      body: { goods: 'kept' },
    })
    expect(refund.status).toBe(404)
    const canceled = await api.call('POST', `/v1/store/orders/${order.json.id}/cancel`, {
      token: venue.publishable,
      headers: { 'Mitra-Order-Token': order.json.access_token },
    })
    expect(canceled.json.status).toBe('canceled')
  })

  it('refuses changes and a second checkout of a checked-out cart (409 naming cart_id), even at once', async () => {
    const { venue, variantId } = await shop(5)
    const pk = venue.publishable
    const checkout = { fulfilment: 'pickup', customer: { name: 'Sari' }, provider: 'demo' }
    const line = { variant_id: variantId, venue_id: venue.id, quantity: 1 }
    async function cartWith(quantity: number): Promise<string> {
      const cart = await api.call('POST', '/v1/store/carts', { token: pk })
      await api.call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
        token: pk,
        body: { ...line, quantity },
      })
      return cart.json.id
    }
    const available = async () =>
      (await api.call('GET', `/v1/store/venues/${venue.id}/available`, { token: pk })).json.data[0]
        .available
    const ordersOf = async (cartId: string) =>
      (await api.database().db.select().from(orders).where(eq(orders.cartId, cartId))).map(
        (order) => order.id,
      )

    const cartId = await cartWith(2)
    const order = await api.call('POST', `/v1/store/carts/${cartId}/checkout`, {
      token: pk,
      body: checkout,
    })
    expect(order.status).toBe(201)
    const cartPath = `/v1/store/carts/${cartId}`
    const refusals = [
      await api.call('POST', `${cartPath}/lines`, { token: pk, body: line }),
      await api.call('DELETE', `${cartPath}/lines/${venue.id}/${variantId}`, { token: pk }),
      await api.call('POST', `${cartPath}/checkout`, { token: pk, body: checkout }),
      await api.call('POST', `${cartPath}/checkout`, {
        token: pk,
        body: checkout,
        idempotencyKey: 'second-checkout',
      }),
    ]
    for (const refused of refusals) {
      expect(refused.status).toBe(409)
      expect(refused.headers.get('Content-Type')).toContain('application/problem+json')
      expect(refused.json).toMatchObject({ code: 'cart_checked_out', order_id: order.json.id })
      expect(refused.json.errors.map((e: { path: string }) => e.path)).toEqual(['cart_id'])
    }
    // Nothing changed: the cart still points at its one order, the stock held once.
    const cart = await api.call('GET', cartPath, { token: pk })
    expect(cart.json).toMatchObject({ status: 'checked_out', order_id: order.json.id, lines: [] })
    expect(await ordersOf(cartId)).toEqual([order.json.id])
    expect(await available()).toBe(3)

    // Two checkouts of one open cart at once: one order; the other is refused the same way.
    const racing = await cartWith(1)
    const both = await Promise.all(
      [1, 2].map(() =>
        api.call('POST', `/v1/store/carts/${racing}/checkout`, { token: pk, body: checkout }),
      ),
    )
    expect(both.map((r) => r.status).sort()).toEqual([201, 409])
    const won = both.find((r) => r.status === 201)?.json.id
    expect(both.find((r) => r.status === 409)?.json).toMatchObject({
      code: 'cart_checked_out',
      order_id: won,
    })
    expect(await ordersOf(racing)).toEqual([won])
    expect((await api.call('GET', `/v1/store/carts/${racing}`, { token: pk })).json.order_id).toBe(
      won,
    )
    expect(await available()).toBe(2)
  })

  it('refuses a forged demo webhook with 400 and acknowledges a replay once', async () => {
    const { venue, variantId } = await shop(2)
    const cart = await api.call('POST', '/v1/store/carts', { token: venue.publishable })
    await api.call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
      token: venue.publishable,
      body: { variant_id: variantId, venue_id: venue.id, quantity: 1 },
    })
    const order = await api.call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token: venue.publishable,
      body: { fulfilment: 'pickup', customer: { name: 'Budi' }, provider: 'demo' },
    })
    const session = new URL(order.json.redirect_url as string).pathname.split('/').at(-1) as string
    const hook = await payments.demo?.complete(session, 'pay')
    if (hook === undefined) throw new Error('demo provider is off')
    const forged = await api.call('POST', '/v1/webhooks/demo', {
      body: hook.body,
      headers: { ...hook.headers, 'Mitra-Demo-Signature': 't=1,v1=00' },
    })
    expect(forged.status).toBe(400)
    expect(forged.json.code).toBe('webhook_signature_invalid')
    const first = await api.call('POST', '/v1/webhooks/demo', {
      body: hook.body,
      headers: hook.headers,
    })
    expect(first.json).toMatchObject({ received: true, replayed: false, outcome: 'paid' })
    const replay = await api.call('POST', '/v1/webhooks/demo', {
      body: hook.body,
      headers: hook.headers,
    })
    expect(replay.json).toMatchObject({ received: true, replayed: true, outcome: 'paid' })
  })
})
