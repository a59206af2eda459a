import { testDatabaseKinds } from '@mitra/db/testing'
import { paymentProvidersFromEnv } from '@mitra/payments'
import { describe, expect, it } from 'vitest'
import { useTestApi } from '../test-support.js'

describe.each(testDatabaseKinds())('the demo pay page’s payment methods on %s', (kind) => {
  const payments = paymentProvidersFromEnv(
    { MITRA_DEMO_WEBHOOK_SECRET: 'demo-pay-test-secret' },
    { baseUrl: 'http://shop.test' },
  )
  const api = useTestApi(kind, { payments, baseUrl: 'http://shop.test' })

  /** An order of `quantity` × Rp15.000 at a venue, and its pay page's path. */
  async function ordered(quantity: number) {
    await api.platform()
    const { producer, venue, variantId } = await api.partnership()
    await api.deliver(producer, venue, variantId, 5)
    const pk = venue.publishable
    const cart = await api.call('POST', '/v1/store/carts', { token: pk })
    await api.call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
      token: pk,
      body: { variant_id: variantId, venue_id: venue.id, quantity },
    })
    const order = await api.call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token: pk,
      body: { fulfilment: 'pickup', customer: { name: 'Sari' }, provider: 'demo' },
    })
    expect(order.status).toBe(201)
    return { order: order.json, producer, payPage: new URL(order.json.redirect_url).pathname }
  }

  const form = (method: string) => {
    const body = new FormData()
    body.set('method', method)
    return body
  }

  it('pays by the method the buyer picked: the buyer pays the total, the order shows its fee', async () => {
    const { order, producer, payPage } = await ordered(2)
    expect(order.total).toEqual({ amount: 30_000, currency: 'IDR' })
    const page = await api.call('GET', payPage)
    expect(page.text).toContain('DEMO — no real money')
    expect(page.text).toContain('value="card"> Card — fee Rp2.870') // 2.9 % + Rp2.000
    expect(page.text).toContain('Pay Rp30.000 (demo)')

    const paid = await api.call('POST', `${payPage}/pay`, { body: form('card') })
    expect(paid.status).toBe(303)
    const seen = await api.call('GET', `/v1/admin/orders/${order.id}`, { token: producer.secret })
    expect(seen.json).toMatchObject({
      status: 'paid',
      paid_amount: { amount: 30_000 },
      payment_fee: { amount: 2_870 },
    })
    expect((await api.call('GET', payPage)).text).toContain('Paid by card; payment fee Rp2.870')
  })

  it('pays by QRIS when no method is sent, and refuses one it does not know', async () => {
    const unknown = await ordered(1)
    const refused = await api.call('POST', `${unknown.payPage}/pay`, { body: form('cash') })
    expect(refused.status).toBe(422)
    expect(refused.json.errors[0].path).toBe('method')

    const { order, producer, payPage } = await ordered(2)
    expect((await api.call('POST', `${payPage}/pay`)).status).toBe(303)
    const seen = await api.call('GET', `/v1/admin/orders/${order.id}`, { token: producer.secret })
    expect(seen.json.payment_fee).toEqual({ amount: 210, currency: 'IDR' }) // 0.7 % of Rp30.000
  })
})
