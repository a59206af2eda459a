import { isOneOf, orderRefunds } from '@mitra/db'
import { type PaymentProviderRegistry, paymentProvidersFromEnv } from '@mitra/server'
import type { TestParty } from '@mitra/server/testing'
import { describe, expect, it } from 'vitest'
import type { Mitra, Schemas } from './index.js'
import { apiError, useSdkAgainstServer } from './test-support.js'

const address = {
  recipient: 'Budi',
  phone: '+62 812 1111 2222',
  line1: 'Jl. Gemawang 1',
  city: 'Kabupaten Semarang',
  postal_code: '50664',
}

describe('admin orders, refunds and checkout settings through the SDK', () => {
  const demo = paymentProvidersFromEnv(
    { MITRA_DEMO_WEBHOOK_SECRET: 'sdk-orders-test' },
    { baseUrl: 'http://shop.test' },
  )
  /** While set, the demo provider answers a refund "pending" (as a slow bank would). */
  let refundsPending = false
  let pendingRefunds = 0
  const payments: PaymentProviderRegistry = {
    ...demo,
    get: (name, accountId) => {
      const provider = demo.get(name, accountId)
      return new Proxy(provider, {
        get(target, property) {
          if (property === 'refund' && refundsPending) {
            return async () => ({
              refundId: `demo_re_pending_${++pendingRefunds}`,
              state: 'pending' as const,
            })
          }
          const value = Reflect.get(target, property)
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
    },
  }
  const api = useSdkAgainstServer({ payments, baseUrl: 'http://shop.test' })

  /** A producer and a venue with an agreement in force, and `units` on the venue's shelf. */
  async function shop(units = 10) {
    await api.platform()
    const partnership = await api.partnership()
    await api.deliver(partnership.producer, partnership.venue, partnership.variantId, units)
    return {
      ...partnership,
      venueClient: api.clientFor(partnership.venue),
      producerClient: api.clientFor(partnership.producer),
    }
  }

  /** A buyer orders `quantity` × Rp15.000 through the venue's own store channel. */
  async function place(
    venue: TestParty,
    variantId: string,
    quantity: number,
    fulfilment: 'pickup' | 'delivery' = 'pickup',
  ): Promise<Schemas['Order']> {
    const { store } = api.clientFor(venue)
    const cart = await store.carts.create()
    await store.carts.setLine(cart.id, { variant_id: variantId, venue_id: venue.id, quantity })
    return store.carts.checkout(cart.id, {
      fulfilment,
      customer: { name: 'Sari', email: 'sari@example.id' },
      provider: 'demo',
      ...(fulfilment === 'delivery' ? { delivery_address: address } : {}),
    })
  }

  /** The buyer presses Pay on the demo provider's page. */
  async function pay(order: Schemas['Order']) {
    if (order.redirect_url === null) throw new Error('the order has no payment page')
    const paid = await api.call('POST', `${new URL(order.redirect_url).pathname}/pay`)
    expect(paid.status).toBe(303)
  }

  const onShelf = async (mitra: Mitra, venueId: string) =>
    (await mitra.store.venues.available(venueId)).data[0]?.available ?? 0

  it('checkoutSettings: reads the defaults, sets a delivery rate, refuses settings that cannot sell', async () => {
    const venue = await api.party('venue')
    const { admin } = api.clientFor(venue)
    expect(await admin.checkoutSettings.get()).toEqual({
      venue_id: venue.id,
      currency: 'IDR',
      pickup: true,
      delivery_rate: null,
      max_units_per_order: 10,
      max_units_per_buyer: 20,
      hold_seconds: 600,
    })
    // Currency and pickup left to their defaults (IDR, yes).
    const saved = await admin.checkoutSettings.update({
      delivery_rate: { amount: 12_000, currency: 'IDR' },
    })
    expect(saved).toEqual({
      venue_id: venue.id,
      currency: 'IDR',
      pickup: true,
      delivery_rate: { amount: 12_000, currency: 'IDR' },
      max_units_per_order: 10,
      max_units_per_buyer: 20,
      hold_seconds: 600,
    })
    expect((await admin.checkoutSettings.get()).delivery_rate).toEqual({
      amount: 12_000,
      currency: 'IDR',
    })
    // Delivery only, from now on.
    await admin.checkoutSettings.update({
      currency: 'IDR',
      pickup: false,
      delivery_rate: { amount: 9_000, currency: 'IDR' },
    })
    expect(await admin.checkoutSettings.get()).toMatchObject({
      pickup: false,
      delivery_rate: { amount: 9_000 },
    })

    const neither = await apiError(
      admin.checkoutSettings.update({ currency: 'IDR', pickup: false, delivery_rate: null }),
    )
    expect(neither).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(neither.errors.map((e) => e.path)).toEqual(['pickup'])
    const mixed = await apiError(
      admin.checkoutSettings.update({
        currency: 'IDR',
        pickup: true,
        delivery_rate: { amount: 5, currency: 'USD' },
      }),
    )
    expect(mixed.errors.map((e) => e.path)).toEqual(['delivery_rate.currency'])
    const staff = api.clientFor(await api.party('venue', { role: 'staff' }))
    const refused = await apiError(staff.admin.checkoutSettings.update({ pickup: true }))
    expect(refused).toMatchObject({ status: 403, code: 'forbidden' })
    expect((await admin.checkoutSettings.get()).delivery_rate?.amount).toBe(9_000)
  })

  it('orders: pages the venue’s orders, fulfils a pickup and a delivery, cancels an unpaid one', async () => {
    const { producer, venue, variantId, venueClient, producerClient } = await shop(10)
    await venueClient.admin.checkoutSettings.update({
      currency: 'IDR',
      pickup: true,
      delivery_rate: { amount: 10_000, currency: 'IDR' },
    })
    const pickup = await place(venue, variantId, 2)
    await pay(pickup)
    const delivery = await place(venue, variantId, 1, 'delivery')
    expect(delivery).toMatchObject({
      fulfilment: 'delivery',
      subtotal: { amount: 15_000 },
      delivery_fee: { amount: 10_000 },
      total: { amount: 25_000 },
    })
    await pay(delivery)
    const unpaid = await place(venue, variantId, 3)

    // Newest first, across pages of two, each once.
    const first = await venueClient.admin.orders.list({ limit: 2 })
    expect(first.data.map((o) => o.id)).toEqual([unpaid.id, delivery.id])
    const ids: string[] = []
    for await (const order of venueClient.admin.orders.list({ limit: 2 })) ids.push(order.id)
    expect(ids).toEqual([unpaid.id, delivery.id, pickup.id])
    const paidOnly = await venueClient.admin.orders.list({ status: 'paid', limit: 1 }).toArray()
    expect(paidOnly.map((o) => o.id)).toEqual([delivery.id, pickup.id])
    // The producer sees the orders its goods are in, with the sale line its share is on.
    const seenByProducer = await producerClient.admin.orders.get(pickup.id)
    expect(seenByProducer).toMatchObject({
      status: 'paid',
      venue_id: venue.id,
      paid_amount: { amount: 30_000 },
      lines: [
        { producer_id: producer.id, quantity: 2, sale_line_id: expect.stringMatching(/^sale_/) },
      ],
    })
    expect((await producerClient.admin.orders.list().toArray()).map((o) => o.id)).toContain(
      pickup.id,
    )

    // Pickup: ready at the counter, then collected.
    const ready = await venueClient.admin.orders.readyForPickup(pickup.id)
    expect(ready.status).toBe('ready_for_pickup')
    const notShipped = await apiError(venueClient.admin.orders.shipped(pickup.id))
    expect(notShipped).toMatchObject({ status: 409, code: 'illegal_status_transition' })
    const collected = await venueClient.admin.orders.completed(pickup.id)
    expect(collected.status).toBe('completed')
    expect((await venueClient.admin.orders.get(pickup.id)).transitions.map((t) => t.to)).toEqual([
      'pending_payment',
      'paid',
      'ready_for_pickup',
      'completed',
    ])

    // Delivery: shipped, then received; it never waits at the counter.
    const atCounter = await apiError(venueClient.admin.orders.readyForPickup(delivery.id))
    expect(atCounter).toMatchObject({ status: 409, code: 'illegal_status_transition' })
    expect((await venueClient.admin.orders.shipped(delivery.id)).status).toBe('shipped')
    expect((await venueClient.admin.orders.completed(delivery.id)).status).toBe('completed')
    const delivered = await venueClient.admin.orders.get(delivery.id)
    expect(delivered).toMatchObject({ status: 'completed', delivery_address: address })

    // Unpaid: canceled by the venue, its stock back on the shelf; a paid one cannot be.
    expect(await onShelf(venueClient, venue.id)).toBe(4)
    const early = await apiError(venueClient.admin.orders.completed(unpaid.id))
    expect(early).toMatchObject({ status: 409, code: 'illegal_status_transition' })
    const canceled = await venueClient.admin.orders.cancel(unpaid.id)
    expect(canceled).toMatchObject({ id: unpaid.id, status: 'canceled' })
    expect(await onShelf(venueClient, venue.id)).toBe(7)
    const paidCancel = await apiError(venueClient.admin.orders.cancel(pickup.id))
    expect(paidCancel).toMatchObject({ status: 409, code: 'illegal_status_transition' })
    expect((await venueClient.admin.orders.get(pickup.id)).status).toBe('completed')
  })

  it('orders: another venue’s orders are 404 to every call; the producer may not fulfil; bad queries are named', async () => {
    const { venue, variantId, venueClient, producerClient } = await shop(5)
    const order = await place(venue, variantId, 1)
    await pay(order)
    const other = api.clientFor(await api.party('venue')).admin.orders
    for (const call of [
      other.get(order.id),
      other.readyForPickup(order.id),
      other.shipped(order.id),
      other.completed(order.id),
      other.cancel(order.id),
    ]) {
      expect(await apiError(call)).toMatchObject({ status: 404, code: 'not_found' })
    }
    expect((await other.list()).data).toEqual([])
    // The producer sees it but fulfilment is the venue's.
    expect((await apiError(producerClient.admin.orders.readyForPickup(order.id))).status).toBe(404)
    expect((await venueClient.admin.orders.get(order.id)).status).toBe('paid')

    const badLimit = await apiError(venueClient.admin.orders.list({ limit: 0 }))
    expect(badLimit).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(badLimit.errors.map((e) => e.path)).toEqual(['limit'])
    const badId = await apiError(venueClient.admin.orders.get('not-an-order'))
    expect(badId.errors.map((e) => e.path)).toEqual(['order_id'])
  })

  it('refunds: by lines, by amount and by quantities; pages them; names what cannot be refunded', async () => {
    const { producer, venue, variantId, venueClient, producerClient } = await shop(5)
    const order = await place(venue, variantId, 3)
    const unpaidRefund = await apiError(
      venueClient.admin.refunds.create(order.id, { goods: 'kept' }),
    )
    expect(unpaidRefund).toMatchObject({ status: 409, code: 'illegal_status_transition' })
    expect(unpaidRefund.problem.requested).toBe('refunded')
    await pay(order)
    expect(await onShelf(venueClient, venue.id)).toBe(2)

    const restocked = await venueClient.admin.refunds.create(order.id, {
      lines: [{ position: 0, quantity: 2 }],
      goods: 'restock',
      reason: 'returned unopened',
    })
    expect(restocked.refund).toMatchObject({
      order_id: order.id,
      status: 'succeeded',
      amount: { amount: 30_000, currency: 'IDR' },
      goods: 'restock',
      goods_lines: [{ position: 0, quantity: 2 }],
      reason: 'returned unopened',
    })
    expect(restocked.order).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: { amount: 30_000 },
    })
    expect(await onShelf(venueClient, venue.id)).toBe(4)

    const kept = await venueClient.admin.refunds.create(order.id, {
      amount: { amount: 1_000, currency: 'IDR' },
      goods: 'kept',
    })
    expect(kept.refund).toMatchObject({ goods: 'kept', goods_lines: [], amount: { amount: 1_000 } })
    const lost = await venueClient.admin.refunds.create(order.id, {
      amount: { amount: 1_000, currency: 'IDR' },
      goods: 'written_off',
      quantities: [{ position: 0, quantity: 1 }],
    })
    expect(lost.refund).toMatchObject({
      goods: 'written_off',
      goods_lines: [{ position: 0, quantity: 1 }],
    })
    expect(await onShelf(venueClient, venue.id)).toBe(4)
    expect(await venueClient.admin.orders.get(order.id)).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: { amount: 32_000 },
      lines: [{ refunded: { amount: 32_000 } }],
    })

    // Oldest first, across pages of two; the producer sees the refunds of its goods too.
    const page = await venueClient.admin.refunds.list(order.id, { limit: 2 })
    expect(page.data.map((r) => r.id)).toEqual([restocked.refund.id, kept.refund.id])
    expect(page.next_cursor).not.toBeNull()
    const all = []
    for await (const refund of venueClient.admin.refunds.list(order.id, { limit: 2 }))
      all.push(refund)
    expect(all.map((r) => [r.id, r.goods])).toEqual([
      [restocked.refund.id, 'restock'],
      [kept.refund.id, 'kept'],
      [lost.refund.id, 'written_off'],
    ])
    const byProducer = await producerClient.admin.refunds.list(order.id).toArray()
    expect(byProducer.map((r) => r.id)).toEqual(all.map((r) => r.id))
    expect(producer.id).not.toBe(venue.id)

    // Wrong input: lines with quantities; more goods back than were sold; another venue.
    const both = await apiError(
      venueClient.admin.refunds.create(order.id, {
        lines: [{ position: 0, quantity: 1 }],
        goods: 'restock',
        quantities: [{ position: 0, quantity: 1 }],
      }),
    )
    expect(both).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(both.errors.map((e) => e.path)).toEqual(['quantities'])
    const tooMany = await apiError(
      venueClient.admin.refunds.create(order.id, {
        amount: { amount: 1_000, currency: 'IDR' },
        goods: 'restock',
        quantities: [{ position: 0, quantity: 2 }],
      }),
    )
    expect(tooMany).toMatchObject({ status: 409, code: 'goods_exceed_sale' })
    expect(tooMany.errors).toMatchObject([
      { path: 'quantities.0.quantity', code: 'goods_exceed_sale' },
    ])
    const other = api.clientFor(await api.party('venue')).admin.refunds
    expect(await apiError(other.create(order.id, { goods: 'kept' }))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    expect((await apiError(other.list(order.id))).status).toBe(404)
    expect((await venueClient.admin.refunds.list(order.id).toArray()).length).toBe(3)
  })

  it('refunds.settle: the platform operator settles by hand a refund left pending a day', async () => {
    const { venue, variantId, venueClient } = await shop(5)
    const order = await place(venue, variantId, 2)
    await pay(order)
    refundsPending = true
    let pending: Schemas['RefundResult']
    try {
      pending = await venueClient.admin.refunds.create(order.id, { goods: 'kept' })
    } finally {
      refundsPending = false
    }
    expect(pending.refund).toMatchObject({ status: 'pending', amount: { amount: 30_000 } })
    const refundId = pending.refund.id
    const platform = api.clientFor({
      ...(await api.platformOwner()),
      publishable: venue.publishable,
    })

    // Still within the day mitra keeps asking the provider: not for a person to settle.
    const early = await apiError(
      platform.admin.refunds.settle(order.id, refundId, { outcome: 'failed' }),
    )
    expect(early).toMatchObject({ status: 409, code: 'refund_in_progress' })
    // A day passes.
    await api
      .database()
      .db.update(orderRefunds)
      .set({ createdAt: new Date(Date.now() - 21 * 3_600_000) })
      .where(isOneOf(orderRefunds.id, [refundId]))
    // The platform collected the payment: the venue does not settle its refunds.
    const byVenue = await apiError(
      venueClient.admin.refunds.settle(order.id, refundId, { outcome: 'failed' }),
    )
    expect(byVenue).toMatchObject({ status: 404, code: 'not_found' })
    const badId = await apiError(
      platform.admin.refunds.settle(order.id, 'not-a-refund', { outcome: 'failed' }),
    )
    expect(badId.errors.map((e) => e.path)).toEqual(['refund_id'])

    const settled = await platform.admin.refunds.settle(order.id, refundId, {
      outcome: 'succeeded',
      provider_refund_id: 'demo_re_dashboard_1',
    })
    expect(settled.refund).toMatchObject({ id: refundId, status: 'succeeded' })
    expect(settled.order).toMatchObject({ id: order.id, status: 'refunded' })
    const [listed] = await venueClient.admin.refunds.list(order.id).toArray()
    expect(listed).toMatchObject({ id: refundId, status: 'succeeded' })
    const again = await apiError(
      platform.admin.refunds.settle(order.id, refundId, { outcome: 'failed' }),
    )
    expect(again).toMatchObject({ status: 409, code: 'refund_in_progress' })
  })
})
