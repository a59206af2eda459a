import { createHmac } from 'node:crypto'
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
    const order = await api.storeOrder(venue, variantId, { quantity })
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

  it('takes a demo event signed by hand the way docs/api.md says, and refuses a forged one', async () => {
    const { order, producer } = await ordered(1)
    const body = JSON.stringify({
      id: 'evt_by_hand_1',
      type: 'demo.payment',
      created: Math.floor(Date.now() / 1000),
      order_id: order.id,
      session_id: 'by-hand',
      state: 'paid',
      amount: 15_000,
      currency: 'IDR',
      payment_id: 'pay_by_hand_1',
      payment_method: 'qris',
      fee: 105,
    })
    const t = Math.floor(Date.now() / 1000)
    const v1 = createHmac('sha256', 'demo-pay-test-secret').update(`${t}.${body}`).digest('hex')
    const send = (signature: string) =>
      api.call('POST', '/v1/webhooks/demo', {
        body,
        headers: { 'Content-Type': 'application/json', 'Mitra-Demo-Signature': signature },
      })
    expect((await send(`t=${t},v1=${'0'.repeat(64)}`)).status).toBe(400)
    const taken = await send(`t=${t},v1=${v1}`)
    expect(taken.json).toMatchObject({ received: true, outcome: 'paid' })
    const seen = await api.call('GET', `/v1/admin/orders/${order.id}`, { token: producer.secret })
    expect(seen.json).toMatchObject({ status: 'paid', payment_fee: { amount: 105 } })
  })
})
