import { recordPaymentEvent } from '@mitra/checkout'
import { ManualClock } from '@mitra/core'
import { testDatabaseKinds } from '@mitra/db/testing'
import { paymentProvidersFromEnv } from '@mitra/payments'
import { describe, expect, it } from 'vitest'
import { useTestApi } from './test-support.js'
import { startWorkers } from './workers.js'

describe.each(testDatabaseKinds())('background workers on %s', (kind) => {
  const payments = paymentProvidersFromEnv(
    { MITRA_DEMO_WEBHOOK_SECRET: 'worker-test-secret' },
    { baseUrl: 'http://shop.test' },
  )
  const api = useTestApi(kind, { payments, baseUrl: 'http://shop.test' })

  it('release an expired checkout hold once, even with several instances running', async () => {
    const { producer, venue, variantId } = await api.partnership({
      title: 'Topeng kayu',
      category: 'masks',
      sku: 'TPG-1',
      price: 250_000,
    })
    await api.deliver(producer, venue, variantId, 2)
    const held = await api.call('POST', '/v1/admin/reservations', {
      token: venue.secret,
      body: {
        venue_id: venue.id,
        ttl_seconds: 60,
        lines: [{ variant_id: variantId, quantity: 2 }],
      },
    })
    expect(held.status).toBe(201)
    const { db } = api.database()
    const clock = new ManualClock(Date.now())
    const early = startWorkers(db, { clock })
    expect((await early.runOnce()).released).toBe(0) // not yet expired
    early.stop()

    clock.advance(61_000)
    const instances = [1, 2, 3].map(() => startWorkers(db, { clock }))
    const passes = await Promise.all(instances.map((w) => w.runOnce()))
    for (const w of instances) w.stop()
    expect(passes.reduce((sum, pass) => sum + pass.released, 0)).toBe(1)
    const after = await api.call('GET', `/v1/admin/reservations/${held.json.id}`, {
      token: venue.secret,
    })
    expect(after.json.status).toBe('expired')
    const available = await api.call('GET', `/v1/store/venues/${venue.id}/available`, {
      token: venue.publishable,
    })
    expect(available.json.data[0].available).toBe(2)
  })

  it('give back a payment owed to a buyer whose refund was never made, once across instances', async () => {
    await api.platform()
    const { producer, venue, variantId } = await api.partnership()
    await api.deliver(producer, venue, variantId, 2)
    const order = await api.storeOrder(venue, variantId)
    expect(order.status).toBe(201)
    const demo = payments.demo
    if (demo === undefined) throw new Error('demo provider is off')
    const sessionId = new URL(order.json.redirect_url).pathname.split('/').at(-1) as string
    await demo.complete(sessionId, 'pay')
    const session = await demo.bank.session(sessionId, new Date())
    // The provider reports less than the total; the process stops before refunding it.
    const clock = new ManualClock(Date.now())
    const short = order.json.total.amount - 1_000
    const applied = await recordPaymentEvent(
      api.database().db,
      {
        provider: 'demo',
        eventId: 'evt_short',
        orderId: order.json.id,
        state: 'paid',
        amount: short,
        currency: 'IDR',
        paymentId: session.paymentId,
        fee: null,
        raw: {},
      },
      'test',
      clock.now(),
    )
    expect(applied.outcome).toBe('amount_mismatch')

    clock.advance(61_000)
    const instances = [1, 2].map(() => startWorkers(api.database().db, { clock, payments }))
    await Promise.all(instances.map((w) => w.runOnce()))
    for (const w of instances) w.stop()
    expect((await demo.bank.session(sessionId, new Date())).refunded).toBe(short)
    const refunds = await api.call('GET', `/v1/admin/orders/${order.json.id}/refunds`, {
      token: venue.secret,
    })
    expect(refunds.json.data).toMatchObject([{ status: 'succeeded', amount: { amount: short } }])
    const after = await api.call('GET', `/v1/admin/orders/${order.json.id}`, {
      token: venue.secret,
    })
    expect(after.json).toMatchObject({ status: 'canceled', refunded_amount: { amount: short } })
  })
})
