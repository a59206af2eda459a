import { createHash } from 'node:crypto'
import { reconcilePendingOrders } from '@mitra/checkout'
import { newId } from '@mitra/core'
import { journalLines, orders, paymentEvents } from '@mitra/db'
import { testDatabaseKinds } from '@mitra/db/testing'
import { paymentProvidersFromEnv } from '@mitra/payments'
import { useTestApi } from '@mitra/server/testing'
import { eq, like } from 'drizzle-orm'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import Stripe from 'stripe'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

/*
 * Checkout through real provider adapters over HTTP, the providers' APIs mocked with msw on
 * their real payloads: what we send is asserted, webhooks carry real signatures.
 */

const STRIPE_API = 'https://api.stripe.com/v1'
const SNAP = 'https://app.sandbox.midtrans.com/snap/v1'
const MIDTRANS_API = 'https://api.sandbox.midtrans.com'
const WHSEC = 'whsec_flows_test'
const SERVER_KEY = 'SB-Mid-server-flows'

const mock = setupServer()
beforeAll(() => mock.listen({ onUnhandledRequest: 'bypass' }))
afterEach(() => mock.resetHandlers())
afterAll(() => mock.close())

const sha512 = (text: string) => createHash('sha512').update(text).digest('hex')
const nowSeconds = () => Math.floor(Date.now() / 1000)

function stripeEvent(type: string, object: Record<string, unknown>, id = newId('evt')) {
  const body = JSON.stringify({
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: nowSeconds(),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  })
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WHSEC })
  return { body, headers: { 'Stripe-Signature': signature, 'Content-Type': 'application/json' } }
}

describe.each(testDatabaseKinds())('payments through providers on %s', (kind) => {
  const payments = paymentProvidersFromEnv(
    {
      MITRA_PAYMENT_PROVIDERS: 'demo,stripe,midtrans',
      STRIPE_SECRET_KEY: 'sk_test_flows',
      STRIPE_WEBHOOK_SECRET: WHSEC,
      MIDTRANS_SERVER_KEY: SERVER_KEY,
    },
    { baseUrl: 'http://shop.test', retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } },
  )
  const api = useTestApi(kind, { payments, baseUrl: 'http://shop.test' })

  async function cartWith(quantity: number, units = 5) {
    await api.platform()
    const shop = await api.partnership()
    await api.deliver(shop.producer, shop.venue, shop.variantId, units)
    const cart = await api.call('POST', '/v1/store/carts', { token: shop.venue.publishable })
    await api.call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
      token: shop.venue.publishable,
      body: { variant_id: shop.variantId, venue_id: shop.venue.id, quantity },
    })
    return { ...shop, cartId: cart.json.id as string }
  }

  function checkout(shop: { venue: { publishable: string }; cartId: string }, provider: string) {
    return api.call('POST', `/v1/store/carts/${shop.cartId}/checkout`, {
      token: shop.venue.publishable,
      body: {
        fulfilment: 'pickup',
        customer: { name: 'Sari', email: 'sari@example.id' },
        provider,
      },
    })
  }

  async function available(shop: { venue: { id: string; publishable: string } }) {
    const res = await api.call('GET', `/v1/store/venues/${shop.venue.id}/available`, {
      token: shop.venue.publishable,
    })
    return (res.json.data[0]?.available as number | undefined) ?? 0
  }

  it('Stripe: a Checkout Session in Stripe units, a signed webhook, a refund with its key', async () => {
    const shop = await cartWith(2)
    const sent: { body: URLSearchParams; headers: Headers }[] = []
    let attempts = 0
    mock.use(
      http.post(`${STRIPE_API}/checkout/sessions`, async ({ request }) => {
        attempts++
        // The first attempt meets a Stripe outage; the retry carries the same key.
        if (attempts === 1)
          return HttpResponse.json({ error: { type: 'api_error' } }, { status: 500 })
        const body = new URLSearchParams(await request.text())
        sent.push({ body, headers: request.headers })
        return HttpResponse.json({
          id: 'cs_test_flow1',
          object: 'checkout.session',
          amount_total: Number(body.get('line_items[0][price_data][unit_amount]')) * 2,
          currency: 'idr',
          expires_at: nowSeconds() + 3600,
          metadata: { order_id: body.get('metadata[order_id]') },
          client_reference_id: body.get('client_reference_id'),
          mode: 'payment',
          payment_status: 'unpaid',
          status: 'open',
          url: 'https://checkout.stripe.com/c/pay/cs_test_flow1',
        })
      }),
    )
    const order = await checkout(shop, 'stripe')
    expect(order.status).toBe(201)
    expect(order.json.redirect_url).toBe('https://checkout.stripe.com/c/pay/cs_test_flow1')
    expect(attempts).toBe(2)
    const [create] = sent
    // Rp15.000 × 2 becomes 1,500,000 in Stripe's two-decimal unit, at this boundary only.
    expect(create?.body.get('line_items[0][price_data][unit_amount]')).toBe('1500000')
    expect(create?.body.get('line_items[0][price_data][currency]')).toBe('idr')
    expect(create?.body.get('line_items[0][quantity]')).toBe('2')
    expect(create?.body.get('metadata[order_id]')).toBe(order.json.id)
    expect(create?.body.get('payment_intent_data[transfer_group]')).toBe(order.json.id)
    expect(create?.headers.get('authorization')).toBe('Bearer sk_test_flows')
    expect(create?.headers.get('idempotency-key')).toBe(`checkout-${order.json.id}`)

    // Stripe kept Rp1.050 (its fee, read from the charge's balance transaction).
    mock.use(
      http.get(`${STRIPE_API}/checkout/sessions/cs_test_flow1`, () =>
        HttpResponse.json({
          id: 'cs_test_flow1',
          object: 'checkout.session',
          amount_total: 3_000_000,
          currency: 'idr',
          metadata: { order_id: order.json.id },
          payment_status: 'paid',
          status: 'complete',
          payment_intent: {
            id: 'pi_flow1',
            object: 'payment_intent',
            status: 'succeeded',
            latest_charge: {
              id: 'ch_flow1',
              object: 'charge',
              currency: 'idr',
              amount_refunded: 0,
              balance_transaction: {
                id: 'txn_flow1',
                object: 'balance_transaction',
                currency: 'idr',
                fee: 105_000,
              },
            },
          },
        }),
      ),
    )
    const completed = stripeEvent('checkout.session.completed', {
      id: 'cs_test_flow1',
      object: 'checkout.session',
      amount_total: 3_000_000,
      currency: 'idr',
      metadata: { order_id: order.json.id },
      client_reference_id: order.json.id,
      payment_intent: 'pi_flow1',
      payment_status: 'paid',
      status: 'complete',
    })
    const forged = await api.call('POST', '/v1/webhooks/stripe', {
      body: completed.body.replace('3000000', '3000001'),
      headers: completed.headers,
    })
    expect(forged.status).toBe(400)
    const paid = await api.call('POST', '/v1/webhooks/stripe', completed)
    expect(paid.json).toMatchObject({ outcome: 'paid', replayed: false })
    expect((await api.call('POST', '/v1/webhooks/stripe', completed)).json.replayed).toBe(true)
    const afterPay = await api.call('GET', `/v1/admin/orders/${order.json.id}`, {
      token: shop.venue.secret,
    })
    expect(afterPay.json).toMatchObject({ status: 'paid', payment_fee: { amount: 1_050 } })
    // An expiry arriving after the payment (out of order) does not regress the order.
    const expired = stripeEvent('checkout.session.expired', {
      id: 'cs_test_flow1',
      object: 'checkout.session',
      amount_total: 3_000_000,
      currency: 'idr',
      metadata: { order_id: order.json.id },
      payment_intent: null,
      payment_status: 'unpaid',
      status: 'expired',
    })
    expect((await api.call('POST', '/v1/webhooks/stripe', expired)).json.outcome).toBe('ignored')

    const refunds: { body: URLSearchParams; key: string | null }[] = []
    /** Stripe's refunds API answering every refund as `status`, with its metadata. */
    const stripeRefunds = (id: string, status: string) =>
      http.post(`${STRIPE_API}/refunds`, async ({ request }) => {
        const body = new URLSearchParams(await request.text())
        refunds.push({ body, key: request.headers.get('idempotency-key') })
        const metadata = [...body]
          .filter(([key]) => key.startsWith('metadata['))
          .map(([key, value]) => [key.slice('metadata['.length, -1), value])
        return HttpResponse.json({
          id,
          object: 'refund',
          amount: Number(body.get('amount')),
          currency: 'idr',
          payment_intent: 'pi_flow1',
          status,
          metadata: Object.fromEntries(metadata),
        })
      })
    mock.use(stripeRefunds('re_flow1', 'succeeded'))
    const refund = await api.call('POST', `/v1/admin/orders/${order.json.id}/refunds`, {
      token: shop.venue.secret,
      body: { amount: { amount: 10_000, currency: 'IDR' }, goods: 'kept' },
    })
    expect(refund.status).toBe(201)
    expect(refunds[0]?.body.get('amount')).toBe('1000000')
    expect(refunds[0]?.body.get('payment_intent')).toBe('pi_flow1')
    expect(refunds[0]?.key).toBe(`refund-${refund.json.refund.id}`)
    expect(refund.json.order).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: { amount: 10_000 },
    })

    // The order as its venue sees it: its status and how much is refunded.
    const expectOrder = async (status: string, refunded: number) => {
      const view = await api.call('GET', `/v1/admin/orders/${order.json.id}`, {
        token: shop.venue.secret,
      })
      expect(view.json).toMatchObject({ status, refunded_amount: { amount: refunded } })
    }
    // The order's refunds as its venue sees them: [amount, status], sorted.
    const refundsSoFar = async () => {
      const list = await api.call('GET', `/v1/admin/orders/${order.json.id}/refunds`, {
        token: shop.venue.secret,
      })
      expect(list.status).toBe(200)
      return (list.json.data as { amount: { amount: number }; status: string }[])
        .map((r) => [r.amount.amount, r.status])
        .sort()
    }
    // Stripe reports refunds as what the charge has had refunded so far, in its units.
    const chargeRefunded = (refundedSoFar: number) =>
      stripeEvent('charge.refunded', {
        id: 'ch_flow1',
        object: 'charge',
        amount: 3_000_000,
        amount_refunded: refundedSoFar,
        currency: 'idr',
        metadata: { order_id: order.json.id },
        payment_intent: 'pi_flow1',
        refunded: refundedSoFar >= 3_000_000,
      })
    // The word on mitra's own refund changes nothing.
    const echo = await api.call('POST', '/v1/webhooks/stripe', chargeRefunded(1_000_000))
    expect(echo.json).toMatchObject({ outcome: 'ignored', replayed: false })
    // Rp5.000 more refunded in Stripe's dashboard: recorded and reversed in the ledger.
    const dashboard = await api.call('POST', '/v1/webhooks/stripe', chargeRefunded(1_500_000))
    expect(dashboard.json).toMatchObject({ outcome: 'refunded', replayed: false })
    await expectOrder('partially_refunded', 15_000)
    expect(await refundsSoFar()).toEqual([
      [10_000, 'succeeded'],
      [5_000, 'succeeded'],
    ])

    // A refund Stripe accepts as pending: held, not reversed, until Stripe's refund event.
    mock.use(stripeRefunds('re_flow2', 'pending'))
    const pending = await api.call('POST', `/v1/admin/orders/${order.json.id}/refunds`, {
      token: shop.venue.secret,
      body: { amount: { amount: 15_000, currency: 'IDR' }, goods: 'kept' },
    })
    expect(pending.status).toBe(201)
    expect(pending.json.refund).toMatchObject({ status: 'pending', amount: { amount: 15_000 } })
    expect(pending.json.order).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: { amount: 30_000 },
    })
    expect(refunds[1]?.body.get('metadata[refund_id]')).toBe(pending.json.refund.id)
    // Stripe's word on refund re_flow2, in its units.
    const refundEvent = (type: string, status: string, extra: Record<string, unknown> = {}) =>
      stripeEvent(type, {
        id: 're_flow2',
        object: 'refund',
        amount: 1_500_000,
        currency: 'idr',
        payment_intent: 'pi_flow1',
        status,
        metadata: { order_id: order.json.id, refund_id: pending.json.refund.id },
        ...extra,
      })
    const made = await api.call(
      'POST',
      '/v1/webhooks/stripe',
      refundEvent('refund.updated', 'succeeded'),
    )
    expect(made.json).toMatchObject({ outcome: 'refund_succeeded', replayed: false })
    await expectOrder('refunded', 30_000)

    // The buyer's card was closed: Stripe fails the refund it had made and takes it off the
    // charge. mitra undoes it: the shares are owed again, the order is partly refunded.
    const refundFailed = refundEvent('refund.failed', 'failed', {
      failure_reason: 'expired_or_canceled_card',
    })
    const bounced = await api.call('POST', '/v1/webhooks/stripe', refundFailed)
    expect(bounced.json).toMatchObject({ outcome: 'refund_failed', replayed: false })
    await expectOrder('partially_refunded', 15_000)
    // The charge's own word afterwards (refunded so far, without the failed one) adds nothing.
    const settled = await api.call('POST', '/v1/webhooks/stripe', chargeRefunded(1_500_000))
    expect(settled.json).toMatchObject({ outcome: 'ignored' })
    expect(await refundsSoFar()).toEqual([
      [10_000, 'succeeded'],
      [15_000, 'failed'],
      [5_000, 'succeeded'],
    ])
  })

  it('Stripe down for good: the order is canceled, its stock released, the lines back in the cart', async () => {
    const shop = await cartWith(1, 1)
    mock.use(
      http.post(`${STRIPE_API}/checkout/sessions`, () =>
        HttpResponse.json({ error: { type: 'api_error' } }, { status: 503 }),
      ),
    )
    const failed = await checkout(shop, 'stripe')
    expect(failed.status).toBe(502)
    expect(failed.json.code).toBe('provider_unavailable')
    expect(await available(shop)).toBe(1)
    const cart = await api.call('GET', `/v1/store/carts/${shop.cartId}`, {
      token: shop.venue.publishable,
    })
    expect(cart.json.lines).toHaveLength(1)
  })

  it('Midtrans: items add up to gross_amount, the signature is checked, then the status API decides', async () => {
    const shop = await cartWith(3)
    let snapBody: Record<string, unknown> | undefined
    let snapAuth: string | null = null
    mock.use(
      http.post(`${SNAP}/transactions`, async ({ request }) => {
        snapBody = (await request.json()) as Record<string, unknown>
        snapAuth = request.headers.get('authorization')
        return HttpResponse.json(
          {
            token: 'snap-token-1',
            redirect_url: 'https://app.sandbox.midtrans.com/snap/v4/redirection/snap-token-1',
          },
          { status: 201 },
        )
      }),
    )
    const order = await checkout(shop, 'midtrans')
    expect(order.status).toBe(201)
    const orderId = order.json.id as string
    const details = snapBody?.transaction_details as { order_id: string; gross_amount: number }
    const items = snapBody?.item_details as { price: number; quantity: number }[]
    expect(details).toEqual({ order_id: orderId, gross_amount: 45_000 })
    expect(items.reduce((sum, item) => sum + item.price * item.quantity, 0)).toBe(45_000)
    expect(snapAuth).toBe(`Basic ${Buffer.from(`${SERVER_KEY}:`).toString('base64')}`)

    const settled = {
      order_id: orderId,
      transaction_id: 'b7d4-flow',
      transaction_status: 'settlement',
      status_code: '200',
      gross_amount: '45000.00',
      currency: 'IDR',
      payment_type: 'qris',
      fraud_status: 'accept',
      transaction_time: '2026-11-22 10:00:00',
      settlement_time: '2026-11-22 10:00:05',
    }
    let statusCalls = 0
    mock.use(
      http.get(`${MIDTRANS_API}/v2/:orderId/status`, ({ params }) => {
        statusCalls++
        expect(params.orderId).toBe(orderId)
        return HttpResponse.json(settled)
      }),
    )
    const note = (fields: Record<string, string>) => {
      const body = { ...settled, ...fields }
      return {
        ...body,
        signature_key: sha512(body.order_id + body.status_code + body.gross_amount + SERVER_KEY),
      }
    }
    const forged = await api.call('POST', '/v1/webhooks/midtrans', {
      body: { ...note({}), signature_key: sha512(`forged${SERVER_KEY}`) },
    })
    expect(forged.status).toBe(400)
    expect(statusCalls).toBe(0)
    const paid = await api.call('POST', '/v1/webhooks/midtrans', { body: note({}) })
    expect(paid.json).toMatchObject({ outcome: 'paid', replayed: false })
    expect(statusCalls).toBe(1)
    // A stale "pending" notification (genuinely signed) arriving late: Midtrans now says
    // settlement, so it is the same fact again and nothing changes.
    const late = await api.call('POST', '/v1/webhooks/midtrans', {
      body: note({ transaction_status: 'pending', status_code: '201' }),
    })
    expect(late.json).toMatchObject({ replayed: true })
    const seen = await api.call('GET', `/v1/admin/orders/${orderId}`, {
      token: shop.producer.secret,
    })
    expect(seen.json.status).toBe('paid')
    const { db } = api.database()
    const events = await db.select().from(paymentEvents).where(eq(paymentEvents.orderId, orderId))
    expect(events).toHaveLength(1)
  })

  it('recovers a Stripe payment whose webhook was lost, by asking Stripe', async () => {
    const shop = await cartWith(1)
    mock.use(
      http.post(`${STRIPE_API}/checkout/sessions`, async ({ request }) => {
        const body = new URLSearchParams(await request.text())
        return HttpResponse.json({
          id: 'cs_test_lost',
          object: 'checkout.session',
          amount_total: 1_500_000,
          currency: 'idr',
          expires_at: nowSeconds() + 3600,
          metadata: { order_id: body.get('metadata[order_id]') },
          mode: 'payment',
          payment_status: 'unpaid',
          status: 'open',
          url: 'https://checkout.stripe.com/c/pay/cs_test_lost',
        })
      }),
    )
    const order = await checkout(shop, 'stripe')
    const orderId = order.json.id as string
    // The buyer paid at Stripe; this server crashed before the webhook arrived.
    mock.use(
      http.get(`${STRIPE_API}/checkout/sessions/cs_test_lost`, () =>
        HttpResponse.json({
          id: 'cs_test_lost',
          object: 'checkout.session',
          amount_total: 1_500_000,
          currency: 'idr',
          metadata: { order_id: orderId },
          mode: 'payment',
          payment_status: 'paid',
          status: 'complete',
          payment_intent: {
            id: 'pi_lost',
            object: 'payment_intent',
            status: 'succeeded',
            latest_charge: {
              id: 'ch_lost',
              object: 'charge',
              currency: 'idr',
              amount_refunded: 0,
              balance_transaction: {
                id: 'txn_lost',
                object: 'balance_transaction',
                currency: 'idr',
                fee: 105_000,
              },
            },
          },
        }),
      ),
    )
    const { db } = api.database()
    const later = new Date(Date.now() + 11 * 60_000)
    const [a, b] = await Promise.all([
      reconcilePendingOrders(db, payments, { now: later }),
      reconcilePendingOrders(db, payments, { now: later }),
    ])
    const applied = [...(a?.applied ?? []), ...(b?.applied ?? [])].filter(
      (x) => x.orderId === orderId,
    )
    expect(applied.filter((x) => x.outcome === 'paid' && !x.replayed)).toHaveLength(1)
    const [row] = await db.select().from(orders).where(eq(orders.id, orderId))
    expect(row).toMatchObject({ status: 'paid', paymentFee: 1_050, providerPaymentId: 'pi_lost' })
    const fees = await db.select().from(journalLines).where(like(journalLines.saleLineId, 'sale_%'))
    expect(fees.some((line) => line.purpose === 'payment_fees' && line.amount === -1_050)).toBe(
      true,
    )
  })
})
