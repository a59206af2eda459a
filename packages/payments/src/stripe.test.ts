import { isMitraError, type MitraError } from '@mitra/core'
import { delay, HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import Stripe from 'stripe'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { StripePaymentProvider } from './stripe.js'
import type { CheckoutRequest } from './types.js'

const API = 'https://api.stripe.com/v1'
const WHSEC = 'whsec_test_payments'
const NOW = new Date('2026-11-20T03:00:00Z')
const nowSeconds = Math.floor(NOW.getTime() / 1000)

const provider = new StripePaymentProvider({
  secretKey: 'sk_test_payments',
  webhookSecret: WHSEC,
  timeoutMs: 300,
  retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  now: () => NOW,
})

const request: CheckoutRequest = {
  orderId: 'ord_01JTESTORDER',
  currency: 'IDR',
  lines: [
    { id: 'var_tote', name: 'Woven tote', unitAmount: 125_000, quantity: 2 },
    { id: 'delivery', name: 'Delivery', unitAmount: 20_000, quantity: 1 },
  ],
  total: 270_000,
  customer: { name: 'Sari Dewi', email: 'sari@example.com' },
  successUrl: 'https://shop.example/orders/ord_01JTESTORDER?paid=1',
  cancelUrl: 'https://shop.example/cart',
  expiresAt: new Date(NOW.getTime() + 3_600_000),
  transferGroup: 'ord_01JTESTORDER',
  idempotencyKey: 'checkout-ord_01JTESTORDER-1',
}

/** A Checkout Session as the API returns it (API version 2026-10-28). */
function sessionObject(overrides: Record<string, unknown> = {}) {
  return {
    id: 'cs_test_a1B2c3',
    object: 'checkout.session',
    amount_subtotal: 27_000_000,
    amount_total: 27_000_000,
    cancel_url: request.cancelUrl,
    client_reference_id: request.orderId,
    created: nowSeconds,
    currency: 'idr',
    customer: null,
    customer_email: 'sari@example.com',
    expires_at: nowSeconds + 3600,
    livemode: false,
    metadata: { order_id: request.orderId },
    mode: 'payment',
    payment_intent: null,
    payment_status: 'unpaid',
    status: 'open',
    success_url: request.successUrl,
    url: 'https://checkout.stripe.com/c/pay/cs_test_a1B2c3',
    ...overrides,
  }
}

function chargeObject(overrides: Record<string, unknown> = {}) {
  return {
    id: 'ch_3TestCharge',
    object: 'charge',
    amount: 27_000_000,
    amount_captured: 27_000_000,
    amount_refunded: 0,
    balance_transaction: 'txn_3TestTxn',
    captured: true,
    created: nowSeconds,
    currency: 'idr',
    livemode: false,
    metadata: { order_id: request.orderId },
    paid: true,
    payment_intent: 'pi_3TestIntent',
    refunded: false,
    status: 'succeeded',
    ...overrides,
  }
}

function signedEvent(
  type: string,
  object: unknown,
  options: { secret?: string; timestamp?: number; id?: string } = {},
) {
  const body = JSON.stringify({
    id: options.id ?? `evt_${type.replace(/\W/g, '_')}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: nowSeconds,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  })
  const header = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: options.secret ?? WHSEC,
    // The SDK checks the age against the real clock.
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
  })
  return { rawBody: body, headers: new Headers({ 'stripe-signature': header }) }
}

async function errorOf(promise: Promise<unknown>): Promise<MitraError> {
  try {
    await promise
  } catch (error) {
    if (isMitraError(error)) return error
    throw error
  }
  throw new Error('expected a MitraError')
}

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

describe('Stripe checkout', () => {
  it('sends IDR in Stripe units with the order, transfer group, expiry and idempotency key', async () => {
    const seen: { form: URLSearchParams; headers: Headers }[] = []
    server.use(
      http.post(`${API}/checkout/sessions`, async ({ request: req }) => {
        seen.push({ form: new URLSearchParams(await req.text()), headers: req.headers })
        return HttpResponse.json(sessionObject())
      }),
    )
    const session = await provider.createCheckout(request)
    expect(session).toEqual({
      provider: 'stripe',
      sessionId: 'cs_test_a1B2c3',
      redirectUrl: 'https://checkout.stripe.com/c/pay/cs_test_a1B2c3',
      expiresAt: new Date((nowSeconds + 3600) * 1000),
    })
    expect(seen).toHaveLength(1)
    const { form, headers } = seen[0] as (typeof seen)[number]
    expect(headers.get('authorization')).toBe('Bearer sk_test_payments')
    expect(headers.get('idempotency-key')).toBe(request.idempotencyKey)
    expect(form.get('mode')).toBe('payment')
    expect(form.get('line_items[0][price_data][currency]')).toBe('idr')
    expect(form.get('line_items[0][price_data][unit_amount]')).toBe('12500000')
    expect(form.get('line_items[0][quantity]')).toBe('2')
    expect(form.get('line_items[0][price_data][product_data][name]')).toBe('Woven tote')
    expect(form.get('line_items[1][price_data][unit_amount]')).toBe('2000000')
    expect(form.get('metadata[order_id]')).toBe(request.orderId)
    expect(form.get('client_reference_id')).toBe(request.orderId)
    expect(form.get('payment_intent_data[transfer_group]')).toBe('ord_01JTESTORDER')
    expect(form.get('payment_intent_data[metadata][order_id]')).toBe(request.orderId)
    expect(form.get('expires_at')).toBe(String(nowSeconds + 3600))
    expect(form.get('customer_email')).toBe('sari@example.com')
    expect(form.get('success_url')).toBe(request.successUrl)
    expect(form.get('cancel_url')).toBe(request.cancelUrl)
  })

  it('keeps expires_at within the 30 minutes … 24 hours Stripe accepts', async () => {
    const forms: URLSearchParams[] = []
    server.use(
      http.post(`${API}/checkout/sessions`, async ({ request: req }) => {
        const form = new URLSearchParams(await req.text())
        forms.push(form)
        return HttpResponse.json(sessionObject({ expires_at: Number(form.get('expires_at')) }))
      }),
    )
    const soon = await provider.createCheckout({
      ...request,
      expiresAt: new Date(NOW.getTime() + 10 * 60_000),
    })
    expect(Number(forms[0]?.get('expires_at'))).toBe(nowSeconds + 31 * 60)
    expect(soon.expiresAt.getTime()).toBe((nowSeconds + 31 * 60) * 1000)
    await provider.createCheckout({
      ...request,
      expiresAt: new Date(NOW.getTime() + 3 * 86_400_000),
    })
    expect(Number(forms[1]?.get('expires_at'))).toBe(nowSeconds + 24 * 3600 - 60)
  })

  it('refuses lines that do not add up to the total before calling Stripe', async () => {
    const error = await errorOf(provider.createCheckout({ ...request, total: 269_999 }))
    expect(error.code).toBe('checkout_amount_mismatch')
    expect(error.status).toBe(422)
  })

  it('retries a 500 with the same idempotency key, then succeeds', async () => {
    const keys: (string | null)[] = []
    server.use(
      http.post(`${API}/checkout/sessions`, ({ request: req }) => {
        keys.push(req.headers.get('idempotency-key'))
        if (keys.length === 1) {
          return HttpResponse.json(
            { error: { type: 'api_error', message: 'An unknown error occurred' } },
            { status: 500 },
          )
        }
        return HttpResponse.json(sessionObject())
      }),
    )
    const session = await provider.createCheckout(request)
    expect(session.sessionId).toBe('cs_test_a1B2c3')
    expect(keys).toEqual([request.idempotencyKey, request.idempotencyKey])
  })

  it('retries a request that timed out', async () => {
    const keys: (string | null)[] = []
    server.use(
      http.post(`${API}/checkout/sessions`, async ({ request: req }) => {
        keys.push(req.headers.get('idempotency-key'))
        if (keys.length === 1) await delay(2_000)
        return HttpResponse.json(sessionObject())
      }),
    )
    const session = await provider.createCheckout(request)
    expect(session.sessionId).toBe('cs_test_a1B2c3')
    expect(keys).toEqual([request.idempotencyKey, request.idempotencyKey])
  })

  it('does not retry a 400 and reports the refusal as a 502', async () => {
    let calls = 0
    server.use(
      http.post(`${API}/checkout/sessions`, () => {
        calls++
        return HttpResponse.json(
          {
            error: {
              type: 'invalid_request_error',
              code: 'parameter_invalid_integer',
              message: 'Invalid integer: 12500000.5',
              param: 'line_items[0][price_data][unit_amount]',
            },
          },
          { status: 400 },
        )
      }),
    )
    const error = await errorOf(provider.createCheckout(request))
    expect(calls).toBe(1)
    expect(error.code).toBe('provider_rejected')
    expect(error.status).toBe(502)
  })

  it('gives up after the attempts on a provider that stays down', async () => {
    let calls = 0
    server.use(
      http.post(`${API}/checkout/sessions`, () => {
        calls++
        return HttpResponse.json({ error: { type: 'api_error', message: 'down' } }, { status: 503 })
      }),
    )
    const error = await errorOf(provider.createCheckout(request))
    expect(calls).toBe(3)
    expect(error.code).toBe('provider_unavailable')
  })
})

/** The session as retrieved with its charge's balance transaction: Stripe kept `fee`. */
function settledSession(fee: number) {
  return http.get(`${API}/checkout/sessions/cs_test_a1B2c3`, () => {
    return HttpResponse.json(
      sessionObject({
        status: 'complete',
        payment_status: 'paid',
        payment_intent: {
          id: 'pi_3TestIntent',
          object: 'payment_intent',
          status: 'succeeded',
          latest_charge: chargeObject({
            balance_transaction: {
              id: 'txn_3TestTxn',
              object: 'balance_transaction',
              currency: 'idr',
              fee,
            },
          }),
        },
      }),
    )
  })
}

describe('Stripe webhooks', () => {
  it('normalizes checkout.session.completed: paid, or pending while a delayed method settles', async () => {
    server.use(settledSession(945_000))
    const paid = await provider.parseWebhook(
      signedEvent(
        'checkout.session.completed',
        sessionObject({
          status: 'complete',
          payment_status: 'paid',
          payment_intent: 'pi_3TestIntent',
        }),
        { id: 'evt_1Paid' },
      ),
    )
    expect(paid).toMatchObject({
      provider: 'stripe',
      eventId: 'evt_1Paid',
      orderId: request.orderId,
      state: 'paid',
      amount: 270_000,
      currency: 'IDR',
      paymentId: 'pi_3TestIntent',
      // Rp9.450 kept by Stripe, read from the charge's balance transaction.
      fee: 9_450,
      occurredAt: NOW,
    })
    const waiting = await provider.parseWebhook(
      signedEvent(
        'checkout.session.completed',
        sessionObject({ status: 'complete', payment_intent: 'pi_3TestIntent' }),
      ),
    )
    expect(waiting.state).toBe('pending')
  })

  it('maps async success and failure and expiry', async () => {
    server.use(settledSession(0))
    const object = sessionObject({ status: 'complete', payment_intent: 'pi_3TestIntent' })
    const states = await Promise.all(
      [
        'checkout.session.async_payment_succeeded',
        'checkout.session.async_payment_failed',
        'checkout.session.expired',
      ].map(async (type) => (await provider.parseWebhook(signedEvent(type, object))).state),
    )
    expect(states).toEqual(['paid', 'failed', 'expired'])
  })

  it('tells a partial refund from a full one, amount refunded so far in our units', async () => {
    const partial = await provider.parseWebhook(
      signedEvent('charge.refunded', chargeObject({ amount_refunded: 2_000_000 })),
    )
    expect(partial).toMatchObject({
      state: 'partially_refunded',
      amount: 20_000,
      paymentId: 'pi_3TestIntent',
      orderId: request.orderId,
    })
    const full = await provider.parseWebhook(
      signedEvent('charge.refunded', chargeObject({ amount_refunded: 27_000_000, refunded: true })),
    )
    expect(full).toMatchObject({ state: 'refunded', amount: 270_000 })
  })

  it("reads a refund's own events: made, failed, or still pending, with mitra's refund id", async () => {
    const refund = (status: string, metadata: Record<string, string>) => ({
      id: 're_3TestRefund',
      object: 'refund',
      amount: 2_000_000,
      currency: 'idr',
      payment_intent: 'pi_3TestIntent',
      status,
      metadata,
    })
    const ours = { order_id: request.orderId, refund_id: 're_01JTESTREFUND' }
    const events = [
      ['refund.created', 'succeeded'],
      ['refund.updated', 'succeeded'],
      ['refund.failed', 'failed'],
      ['charge.refund.updated', 'pending'],
    ] as const
    for (const [type, status] of events) {
      expect(await provider.parseWebhook(signedEvent(type, refund(status, ours)))).toEqual({
        provider: 'stripe',
        eventId: `evt_${type.replace(/\W/g, '_')}`,
        orderId: request.orderId,
        refundId: 're_3TestRefund',
        reference: 're_01JTESTREFUND',
        state: status,
        occurredAt: new Date(nowSeconds * 1000),
        raw: expect.objectContaining({ type }),
      })
    }
    // A refund made in the dashboard: no metadata of ours, its order found on the payment.
    server.use(
      http.get(`${API}/payment_intents/pi_3TestIntent`, () =>
        HttpResponse.json({
          id: 'pi_3TestIntent',
          object: 'payment_intent',
          metadata: { order_id: request.orderId },
          status: 'succeeded',
        }),
      ),
    )
    const dashboard = await provider.parseWebhook(
      signedEvent('refund.updated', refund('succeeded', {})),
    )
    expect(dashboard).toMatchObject({ orderId: request.orderId, reference: null })
  })

  it("finds a refunded charge's order on its PaymentIntent when the charge has none", async () => {
    server.use(
      http.get(`${API}/payment_intents/pi_3TestIntent`, () =>
        HttpResponse.json({
          id: 'pi_3TestIntent',
          object: 'payment_intent',
          amount: 27_000_000,
          currency: 'idr',
          metadata: { order_id: request.orderId },
          status: 'succeeded',
        }),
      ),
    )
    const event = await provider.parseWebhook(
      signedEvent('charge.refunded', chargeObject({ metadata: {}, amount_refunded: 27_000_000 })),
    )
    expect(event.orderId).toBe(request.orderId)
  })

  it('refuses forged, stale, tampered and unsigned webhooks', async () => {
    const object = sessionObject({ status: 'complete', payment_status: 'paid' })
    const forged = signedEvent('checkout.session.completed', object, { secret: 'whsec_other' })
    const stale = signedEvent('checkout.session.completed', object, {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    })
    const genuine = signedEvent('checkout.session.completed', object)
    const tampered = {
      rawBody: genuine.rawBody.replace('27000000', '1'),
      headers: genuine.headers,
    }
    const unsigned = { rawBody: genuine.rawBody, headers: new Headers() }
    for (const attempt of [forged, stale, tampered, unsigned]) {
      const error = await errorOf(provider.parseWebhook(attempt))
      expect(error.code).toBe('webhook_signature_invalid')
      expect(error.status).toBe(400)
    }
  })

  it('answers a genuine event it does not act on with webhook_event_ignored', async () => {
    const error = await errorOf(
      provider.parseWebhook(signedEvent('customer.created', { id: 'cus_1', object: 'customer' })),
    )
    expect(error.code).toBe('webhook_event_ignored')
  })
})

describe('Stripe status and refunds', () => {
  it('reads the session with its PaymentIntent, charge and fee', async () => {
    let expand: string[] = []
    server.use(
      http.get(`${API}/checkout/sessions/cs_test_a1B2c3`, ({ request: req }) => {
        expand = [...new URL(req.url).searchParams]
          .filter(([key]) => key.startsWith('expand'))
          .map(([, value]) => value)
        return HttpResponse.json(
          sessionObject({
            status: 'complete',
            payment_status: 'paid',
            payment_intent: {
              id: 'pi_3TestIntent',
              object: 'payment_intent',
              amount: 27_000_000,
              currency: 'idr',
              status: 'succeeded',
              metadata: { order_id: request.orderId },
              latest_charge: chargeObject({
                balance_transaction: {
                  id: 'txn_3TestTxn',
                  object: 'balance_transaction',
                  amount: 27_000_000,
                  currency: 'idr',
                  fee: 783_000,
                  net: 26_217_000,
                  status: 'pending',
                },
              }),
            },
          }),
        )
      }),
    )
    const status = await provider.fetchStatus({
      orderId: request.orderId,
      sessionId: 'cs_test_a1B2c3',
    })
    expect(expand).toEqual(['payment_intent.latest_charge.balance_transaction'])
    expect(status).toEqual({
      orderId: request.orderId,
      state: 'paid',
      amount: 270_000,
      currency: 'IDR',
      paymentId: 'pi_3TestIntent',
      fee: 7_830,
    })
  })

  it('reports a partly refunded payment with the amount refunded so far', async () => {
    server.use(
      http.get(`${API}/checkout/sessions/cs_test_a1B2c3`, () =>
        HttpResponse.json(
          sessionObject({
            status: 'complete',
            payment_status: 'paid',
            payment_intent: {
              id: 'pi_3TestIntent',
              object: 'payment_intent',
              status: 'succeeded',
              metadata: { order_id: request.orderId },
              latest_charge: chargeObject({ amount_refunded: 2_000_000 }),
            },
          }),
        ),
      ),
    )
    const status = await provider.fetchStatus({
      orderId: request.orderId,
      sessionId: 'cs_test_a1B2c3',
    })
    expect(status).toMatchObject({ state: 'partially_refunded', amount: 20_000, fee: null })
  })

  it('reports an open session as pending and refuses a session of another order', async () => {
    server.use(
      http.get(`${API}/checkout/sessions/cs_test_a1B2c3`, () => HttpResponse.json(sessionObject())),
    )
    const status = await provider.fetchStatus({
      orderId: request.orderId,
      sessionId: 'cs_test_a1B2c3',
    })
    expect(status).toMatchObject({ state: 'pending', paymentId: null, fee: null })
    const error = await errorOf(
      provider.fetchStatus({ orderId: 'ord_other', sessionId: 'cs_test_a1B2c3' }),
    )
    expect(error.code).toBe('not_found')
  })

  it('refunds on the PaymentIntent in Stripe units with the idempotency key, retrying 5xx and 409', async () => {
    const seen: { form: URLSearchParams; key: string | null }[] = []
    server.use(
      http.post(`${API}/refunds`, async ({ request: req }) => {
        const form = new URLSearchParams(await req.text())
        seen.push({ form, key: req.headers.get('idempotency-key') })
        if (seen.length === 1) {
          return HttpResponse.json({ error: { type: 'api_error', message: 'x' } }, { status: 502 })
        }
        if (seen.length === 2) {
          const message = 'There is currently another in-progress request using this key.'
          return HttpResponse.json(
            {
              error: { type: 'invalid_request_error', code: 'idempotency_key_in_use', message },
            },
            { status: 409 },
          )
        }
        return HttpResponse.json({
          id: 're_3TestRefund',
          object: 'refund',
          amount: Number(form.get('amount')),
          currency: 'idr',
          payment_intent: form.get('payment_intent'),
          status: 'succeeded',
        })
      }),
    )
    const result = await provider.refund({
      orderId: request.orderId,
      paymentId: 'pi_3TestIntent',
      amount: 20_000,
      currency: 'IDR',
      reason: 'Delivery not possible',
      idempotencyKey: 'refund-ord_01JTESTORDER-1',
      reference: 're_01JTESTREFUND',
    })
    expect(result).toEqual({ refundId: 're_3TestRefund', state: 'succeeded' })
    // A 5xx, then the key still in use by a request running elsewhere: both tried again.
    expect(seen.map((s) => s.key)).toEqual([
      'refund-ord_01JTESTORDER-1',
      'refund-ord_01JTESTORDER-1',
      'refund-ord_01JTESTORDER-1',
    ])
    const form = seen[2]?.form as URLSearchParams
    expect(form.get('payment_intent')).toBe('pi_3TestIntent')
    expect(form.get('amount')).toBe('2000000')
    expect(form.get('metadata[reason]')).toBe('Delivery not possible')
    expect(form.get('metadata[refund_id]')).toBe('re_01JTESTREFUND')
  })

  it('reads how a pending refund stands: succeeded, failed, or still pending', async () => {
    const answers = ['pending', 'requires_action', 'succeeded', 'failed', 'canceled']
    const seen: string[] = []
    server.use(
      http.get(`${API}/refunds/:id`, ({ params, request: req }) => {
        seen.push(`${req.headers.get('authorization')} ${String(params.id)}`)
        return HttpResponse.json({
          id: params.id,
          object: 'refund',
          amount: 2_000_000,
          currency: 'idr',
          payment_intent: 'pi_3TestIntent',
          status: answers[seen.length - 1],
        })
      }),
    )
    const ref = {
      orderId: request.orderId,
      paymentId: 'pi_3TestIntent',
      amount: 20_000,
      currency: 'IDR' as const,
      idempotencyKey: 'refund-ord_01JTESTORDER-1',
      refundId: 're_3TestRefund',
    }
    const states = []
    for (const _ of answers) states.push((await provider.fetchRefund(ref)).state)
    expect(states).toEqual(['pending', 'pending', 'succeeded', 'failed', 'failed'])
    expect(seen).toHaveLength(answers.length)
    expect(seen[0]).toBe('Bearer sk_test_payments re_3TestRefund')
    // A refund of another payment is not this one's.
    const other = await errorOf(provider.fetchRefund({ ...ref, paymentId: 'pi_3Other' }))
    expect(other.code).toBe('not_found')
  })
})

describe('Stripe expiring a checkout', () => {
  const ref = { orderId: request.orderId, sessionId: 'cs_test_a1B2c3' }
  const notOpen = () =>
    HttpResponse.json(
      {
        error: {
          type: 'invalid_request_error',
          message: 'Only Checkout Sessions with a status in ["open"] can be expired.',
        },
      },
      { status: 400 },
    )

  it('expires an open session with checkout.sessions.expire', async () => {
    const calls: string[] = []
    server.use(
      http.post(`${API}/checkout/sessions/cs_test_a1B2c3/expire`, ({ request: req }) => {
        calls.push(req.method)
        return HttpResponse.json(sessionObject({ status: 'expired' }))
      }),
    )
    expect(await provider.expireCheckout(ref)).toMatchObject({ state: 'expired', amount: null })
    expect(calls).toEqual(['POST'])
  })

  it('reports a session completed first as paid, with its payment, and one expired already as expired', async () => {
    server.use(
      http.post(`${API}/checkout/sessions/cs_test_a1B2c3/expire`, notOpen),
      http.get(`${API}/checkout/sessions/cs_test_a1B2c3`, () =>
        HttpResponse.json(
          sessionObject({
            status: 'complete',
            payment_status: 'paid',
            payment_intent: { id: 'pi_3TestIntent', object: 'payment_intent', latest_charge: null },
          }),
        ),
      ),
    )
    expect(await provider.expireCheckout(ref)).toMatchObject({
      state: 'paid',
      amount: 270_000,
      paymentId: 'pi_3TestIntent',
    })
    server.use(
      http.get(`${API}/checkout/sessions/cs_test_a1B2c3`, () =>
        HttpResponse.json(sessionObject({ status: 'expired' })),
      ),
    )
    expect((await provider.expireCheckout(ref)).state).toBe('expired')
  })

  it('answers a session Stripe does not know as expired, and as not_found when asked its status', async () => {
    const missing = () =>
      HttpResponse.json(
        {
          error: {
            type: 'invalid_request_error',
            code: 'resource_missing',
            message: "No such checkout.session: 'cs_test_a1B2c3'",
          },
        },
        { status: 404 },
      )
    server.use(
      http.post(`${API}/checkout/sessions/cs_test_a1B2c3/expire`, missing),
      http.get(`${API}/checkout/sessions/cs_test_a1B2c3`, missing),
    )
    expect((await errorOf(provider.fetchStatus(ref))).code).toBe('not_found')
    expect((await provider.expireCheckout(ref)).state).toBe('expired')
  })

  it('passes on Stripe being down: the session may still be open', async () => {
    server.use(
      http.post(`${API}/checkout/sessions/cs_test_a1B2c3/expire`, () =>
        HttpResponse.json({ error: { type: 'api_error', message: 'down' } }, { status: 500 }),
      ),
    )
    expect((await errorOf(provider.expireCheckout(ref))).code).toBe('provider_unavailable')
  })
})
