import { createHash } from 'node:crypto'
import { isMitraError, type MitraError } from '@mitra/core'
import { delay, HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MidtransPaymentProvider, midtransState } from './midtrans.js'
import type { CheckoutRequest } from './types.js'

const SNAP = 'https://app.sandbox.midtrans.com/snap/v1'
const API = 'https://api.sandbox.midtrans.com'
const SERVER_KEY = 'SB-Mid-server-TESTpayments123'
const NOW = new Date('2026-11-20T03:00:00Z') // 10:00 in Jakarta
const ORDER = 'ord_01JTESTORDER'
const TXN = '9aed5972-5b6a-401e-894b-a32c91ed1a3a'

const provider = new MidtransPaymentProvider({
  serverKey: SERVER_KEY,
  timeoutMs: 300,
  retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  now: () => NOW,
})

const basic = `Basic ${Buffer.from(`${SERVER_KEY}:`).toString('base64')}`
const sha512 = (text: string) => createHash('sha512').update(text).digest('hex')

const request: CheckoutRequest = {
  orderId: ORDER,
  currency: 'IDR',
  lines: [
    {
      id: 'var_tote',
      name: 'Woven pandan tote bag from the Sumba weaving cooperative, natural dye',
      unitAmount: 125_000,
      quantity: 2,
    },
    { id: 'delivery', name: 'Delivery', unitAmount: 20_000, quantity: 1 },
    { id: 'fee', name: 'Payment fee', unitAmount: 4_000, quantity: 1 },
  ],
  total: 274_000,
  customer: { name: 'Sari Dewi Lestari', email: 'sari@example.com', phone: '+6281234567890' },
  successUrl: 'https://shop.example/orders/ord_01JTESTORDER',
  cancelUrl: 'https://shop.example/cart',
  expiresAt: new Date(NOW.getTime() + 60 * 60_000),
  idempotencyKey: 'checkout-ord_01JTESTORDER-1',
}

/** A Midtrans notification / status answer as sent for a VA bank transfer. */
function transaction(fields: Record<string, string> = {}) {
  const base = {
    transaction_time: '2026-11-20 10:05:00',
    transaction_status: 'settlement',
    transaction_id: TXN,
    status_message: 'midtrans payment notification',
    status_code: '200',
    settlement_time: '2026-11-20 10:06:12',
    payment_type: 'bank_transfer',
    order_id: ORDER,
    merchant_id: 'G141532850',
    gross_amount: '274000.00',
    fraud_status: 'accept',
    currency: 'IDR',
    ...fields,
  }
  return {
    ...base,
    va_numbers: [{ va_number: '12345678901', bank: 'bca' }],
    signature_key: sha512(base.order_id + base.status_code + base.gross_amount + SERVER_KEY),
  }
}

function notification(body: Record<string, unknown>) {
  return {
    rawBody: JSON.stringify(body),
    headers: new Headers({ 'content-type': 'application/json' }),
  }
}

/** The status API answering `answer` (or a function of the call number). */
function statusApi(
  answer: (call: number) => Record<string, unknown>,
  seen: { calls: number; auth: string[] },
) {
  return http.get(`${API}/v2/:orderId/status`, ({ request: req, params }) => {
    seen.calls++
    seen.auth.push(req.headers.get('authorization') ?? '')
    expect(params.orderId).toBe(ORDER)
    const body = answer(seen.calls)
    const code = Number((body as { status_code: string }).status_code)
    return HttpResponse.json(body, { status: code === 404 ? 404 : 200 })
  })
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

const snapAnswer = {
  token: '66e4fa55-fdac-4ef9-91b5-733b97d1b862',
  redirect_url:
    'https://app.sandbox.midtrans.com/snap/v4/redirection/66e4fa55-fdac-4ef9-91b5-733b97d1b862',
}

describe('Midtrans Snap checkout', () => {
  it('sends items that add up to gross_amount, names within 50 characters, expiry and keys', async () => {
    interface SnapBody {
      transaction_details: unknown
      item_details: { id: string; price: number; quantity: number; name: string }[]
      customer_details: unknown
      expiry: unknown
      callbacks: unknown
    }
    const seen: { body: SnapBody; headers: Headers }[] = []
    server.use(
      http.post(`${SNAP}/transactions`, async ({ request: req }) => {
        seen.push({ body: (await req.json()) as SnapBody, headers: req.headers })
        return HttpResponse.json(snapAnswer, { status: 201 })
      }),
    )
    const session = await provider.createCheckout(request)
    expect(session).toEqual({
      provider: 'midtrans',
      sessionId: snapAnswer.token,
      redirectUrl: snapAnswer.redirect_url,
      expiresAt: new Date(NOW.getTime() + 60 * 60_000),
    })
    const { body, headers } = seen[0] as (typeof seen)[number]
    expect(headers.get('authorization')).toBe(basic)
    expect(headers.get('idempotency-key')).toBe(request.idempotencyKey)
    expect(body.transaction_details).toEqual({ order_id: ORDER, gross_amount: 274_000 })
    const items = body.item_details
    expect(items.reduce((sum, item) => sum + item.price * item.quantity, 0)).toBe(274_000)
    expect(items.map((i) => i.name.length).every((length) => length <= 50)).toBe(true)
    expect(items[0]).toEqual({
      id: 'var_tote',
      price: 125_000,
      quantity: 2,
      name: 'Woven pandan tote bag from the Sumba weaving coope',
    })
    expect(body.customer_details).toEqual({
      first_name: 'Sari',
      last_name: 'Dewi Lestari',
      email: 'sari@example.com',
      phone: '+6281234567890',
    })
    expect(body.expiry).toEqual({
      start_time: '2026-11-20 10:00:00 +0700',
      unit: 'minute',
      duration: 60,
    })
    expect(body.callbacks).toEqual({ finish: request.successUrl })
  })

  it('refuses an order id Midtrans would refuse, lines that do not add up, and non-IDR', async () => {
    const tooLong = await errorOf(provider.createCheckout({ ...request, orderId: 'o'.repeat(51) }))
    expect(tooLong.code).toBe('validation_failed')
    expect(tooLong.errors[0]?.path).toBe('order_id')
    const badChars = await errorOf(provider.createCheckout({ ...request, orderId: 'ord/1 2' }))
    expect(badChars.code).toBe('validation_failed')
    const mismatch = await errorOf(provider.createCheckout({ ...request, total: 270_000 }))
    expect(mismatch.code).toBe('checkout_amount_mismatch')
    const usd = await errorOf(
      provider.createCheckout({
        ...request,
        currency: 'USD',
        lines: [{ id: 'a', name: 'A', unitAmount: 500, quantity: 1 }],
        total: 500,
      }),
    )
    expect(usd.code).toBe('currency_mismatch')
  })

  it('retries a 503 and a timeout with the same Idempotency-Key, and never a 400', async () => {
    const keys: (string | null)[] = []
    server.use(
      http.post(`${SNAP}/transactions`, async ({ request: req }) => {
        keys.push(req.headers.get('idempotency-key'))
        if (keys.length === 1) return new HttpResponse('Service Unavailable', { status: 503 })
        if (keys.length === 2) await delay(2_000)
        return HttpResponse.json(snapAnswer, { status: 201 })
      }),
    )
    await provider.createCheckout(request)
    expect(keys).toEqual(Array(3).fill(request.idempotencyKey))

    let calls = 0
    server.use(
      http.post(`${SNAP}/transactions`, () => {
        calls++
        return HttpResponse.json(
          { error_messages: ['transaction_details.order_id sudah digunakan'] },
          { status: 400 },
        )
      }),
    )
    const error = await errorOf(provider.createCheckout(request))
    expect(calls).toBe(1)
    expect(error.code).toBe('provider_rejected')
    expect(error.message).toContain('sudah digunakan')
  })
})

describe('Midtrans notifications', () => {
  it('verifies the signature, confirms with the status API and takes its answer', async () => {
    const seen = { calls: 0, auth: [] as string[] }
    const status = transaction({ status_message: 'Success, transaction is found' })
    server.use(statusApi(() => status, seen))
    const event = await provider.parseWebhook(notification(transaction()))
    expect(seen.calls).toBe(1)
    expect(seen.auth).toEqual([basic])
    expect(event).toMatchObject({
      provider: 'midtrans',
      eventId: `midtrans:${TXN}:settlement:200:`,
      orderId: ORDER,
      state: 'paid',
      amount: 274_000,
      currency: 'IDR',
      paymentId: TXN,
      fee: null,
      occurredAt: new Date('2026-11-20T03:06:12Z'),
    })
    // The same notification again: the same event id, so it is applied once.
    const again = await provider.parseWebhook(notification(transaction()))
    expect(again.eventId).toBe(event.eventId)
  })

  it('believes the status API over a notification that claims more', async () => {
    const seen = { calls: 0, auth: [] as string[] }
    server.use(
      statusApi(
        () =>
          transaction({
            transaction_status: 'pending',
            status_code: '201',
            settlement_time: '',
            status_message: 'Success, transaction is found',
          }),
        seen,
      ),
    )
    // Genuinely signed (e.g. replayed, or sent before a reversal) but not what Midtrans says now.
    const event = await provider.parseWebhook(notification(transaction()))
    expect(event.state).toBe('pending')
    expect(event.eventId).toBe(`midtrans:${TXN}:pending:201:`)
  })

  it('refuses a forged or tampered notification without asking Midtrans', async () => {
    const seen = { calls: 0, auth: [] as string[] }
    server.use(statusApi(() => transaction(), seen))
    const genuine = transaction()
    const forged = {
      ...genuine,
      signature_key: sha512(
        `${genuine.order_id}${genuine.status_code}${genuine.gross_amount}guess`,
      ),
    }
    const tampered = { ...genuine, gross_amount: '1000.00' }
    const unsigned: Record<string, unknown> = { ...genuine }
    delete unsigned.signature_key
    for (const body of [forged, tampered, unsigned]) {
      const error = await errorOf(provider.parseWebhook(notification(body)))
      expect(error.code).toBe('webhook_signature_invalid')
      expect(error.status).toBe(400)
    }
    const notJson = await errorOf(
      provider.parseWebhook({ rawBody: 'order_id=x', headers: new Headers() }),
    )
    expect(notJson.code).toBe('webhook_signature_invalid')
    expect(seen.calls).toBe(0)
  })

  it('reads expire (status code 407) and partial refunds from the status API', async () => {
    const seen = { calls: 0, auth: [] as string[] }
    const answers = [
      transaction({ transaction_status: 'expire', status_code: '407', settlement_time: '' }),
      transaction({ transaction_status: 'partial_refund', refund_amount: '20000.00' }),
    ]
    server.use(statusApi((call) => answers[call - 1] ?? {}, seen))
    const expired = await provider.parseWebhook(notification(transaction()))
    expect(expired.state).toBe('expired')
    const refunded = await provider.parseWebhook(notification(transaction()))
    expect(refunded).toMatchObject({
      state: 'partially_refunded',
      amount: 20_000,
      eventId: `midtrans:${TXN}:partial_refund:200:20000.00`,
    })
  })

  it('maps every transaction status', () => {
    expect(midtransState('capture', 'accept')).toBe('paid')
    expect(midtransState('capture', 'challenge')).toBe('pending')
    expect(midtransState('settlement')).toBe('paid')
    expect(midtransState('pending')).toBe('pending')
    expect(midtransState('deny')).toBe('failed')
    expect(midtransState('cancel')).toBe('canceled')
    expect(midtransState('expire')).toBe('expired')
    expect(midtransState('refund')).toBe('refunded')
    expect(midtransState('partial_refund')).toBe('partially_refunded')
  })
})

describe('Midtrans status and refunds', () => {
  it('reports pending while Midtrans has no transaction for the order yet', async () => {
    const seen = { calls: 0, auth: [] as string[] }
    server.use(
      statusApi(() => ({ status_code: '404', status_message: "Transaction doesn't exist." }), seen),
    )
    const status = await provider.fetchStatus({ orderId: ORDER, sessionId: snapAnswer.token })
    expect(status).toEqual({
      orderId: ORDER,
      state: 'pending',
      amount: null,
      currency: null,
      paymentId: null,
      fee: null,
    })
  })

  it('retries a status API 502 and then reads capture + challenge as pending', async () => {
    let calls = 0
    server.use(
      http.get(`${API}/v2/:orderId/status`, () => {
        calls++
        if (calls === 1) return new HttpResponse('Bad Gateway', { status: 502 })
        return HttpResponse.json(
          transaction({
            transaction_status: 'capture',
            fraud_status: 'challenge',
            payment_type: 'credit_card',
            settlement_time: '',
          }),
        )
      }),
    )
    const status = await provider.fetchStatus({ orderId: ORDER, sessionId: snapAnswer.token })
    expect(calls).toBe(2)
    expect(status.state).toBe('pending')
    expect(status.amount).toBe(274_000)
  })

  it('refunds with refund_key and amount, retrying a 500 with the same key', async () => {
    const seen: { body: Record<string, unknown>; key: string | null; auth: string | null }[] = []
    server.use(
      http.post(`${API}/v2/:orderId/refund`, async ({ request: req, params }) => {
        expect(params.orderId).toBe(ORDER)
        const body = (await req.json()) as Record<string, unknown>
        seen.push({
          body,
          key: req.headers.get('idempotency-key'),
          auth: req.headers.get('authorization'),
        })
        if (seen.length === 1) {
          return HttpResponse.json({ status_code: '500', status_message: 'Internal server error' })
        }
        return HttpResponse.json({
          status_code: '200',
          status_message: 'Success, refund request is approved',
          transaction_id: TXN,
          order_id: ORDER,
          payment_type: 'gopay',
          transaction_time: '2026-11-20 10:05:00',
          transaction_status: 'partial_refund',
          gross_amount: '274000.00',
          refund_chargeback_id: 1,
          refund_amount: '20000.00',
          refund_key: body.refund_key,
        })
      }),
    )
    const result = await provider.refund({
      orderId: ORDER,
      paymentId: TXN,
      amount: 20_000,
      currency: 'IDR',
      reason: 'Delivery not possible',
      idempotencyKey: 'refund_ord_01JTESTORDER_1',
    })
    expect(result).toEqual({ refundId: 'refund_ord_01JTESTORDER_1', state: 'succeeded' })
    expect(seen).toHaveLength(2)
    for (const attempt of seen) {
      expect(attempt.body).toEqual({
        refund_key: 'refund_ord_01JTESTORDER_1',
        amount: 20_000,
        reason: 'Delivery not possible',
      })
      expect(attempt.key).toBe('refund_ord_01JTESTORDER_1')
      expect(attempt.auth).toBe(basic)
    }
  })

  it('turns an idempotency key with characters refund_key refuses into a stable one', async () => {
    const keys: unknown[] = []
    let calls = 0
    server.use(
      http.post(`${API}/v2/:orderId/refund`, async ({ request: req }) => {
        calls++
        keys.push(((await req.json()) as { refund_key: unknown }).refund_key)
        return HttpResponse.json({
          status_code: '412',
          status_message: 'Merchant cannot modify status of the transaction',
        })
      }),
    )
    const refund = {
      orderId: ORDER,
      paymentId: TXN,
      amount: 20_000,
      currency: 'IDR' as const,
      idempotencyKey: 'refund:ord_01JTESTORDER:1',
    }
    const first = await errorOf(provider.refund(refund))
    await errorOf(provider.refund(refund))
    expect(first.code).toBe('provider_rejected')
    expect(calls).toBe(2)
    expect(keys[0]).toMatch(/^rk-[0-9a-f]{40}$/)
    expect(keys[1]).toBe(keys[0])
  })

  it('finds a pending refund approved once the status API lists its refund_key', async () => {
    const seen = { calls: 0, auth: [] as string[] }
    const refunded = () =>
      transaction({ transaction_status: 'partial_refund' }) as Record<string, unknown>
    server.use(
      statusApi(
        (call) => ({
          ...refunded(),
          refund_amount: call === 1 ? '5000.00' : '25000.00',
          // A refund made in the dashboard first, then ours, listed by Midtrans as it does.
          refunds: [
            {
              refund_chargeback_id: 1,
              refund_amount: '5000.00',
              created_at: '2026-11-20 11:00:00',
              reason: 'dashboard',
              refund_key: 'a-dashboard-refund',
              bank_confirmed_at: '2026-11-20 11:02:00',
            },
            ...(call === 1
              ? []
              : [
                  {
                    refund_chargeback_id: 2,
                    refund_amount: '20000.00',
                    created_at: '2026-11-20 12:00:00',
                    reason: 'Delivery not possible',
                    refund_key: 'refund_ord_01JTESTORDER_1',
                  },
                ]),
          ],
        }),
        seen,
      ),
    )
    const ref = {
      orderId: ORDER,
      paymentId: TXN,
      amount: 20_000,
      currency: 'IDR' as const,
      idempotencyKey: 'refund_ord_01JTESTORDER_1',
      refundId: 'refund_ord_01JTESTORDER_1',
    }
    expect(await provider.fetchRefund(ref)).toEqual({
      refundId: 'refund_ord_01JTESTORDER_1',
      state: 'pending',
    })
    expect(await provider.fetchRefund(ref)).toEqual({
      refundId: 'refund_ord_01JTESTORDER_1',
      state: 'succeeded',
    })
    expect(seen.calls).toBe(2)
    expect(seen.auth).toEqual([basic, basic])
  })
})

describe('Midtrans expiring a checkout', () => {
  const ref = { orderId: ORDER, sessionId: snapAnswer.token }
  const expireApi = (answer: Record<string, unknown>, seen: string[]) =>
    http.post(`${API}/v2/:orderId/expire`, ({ request: req, params }) => {
      seen.push(`${params.orderId} ${req.headers.get('authorization')}`)
      const code = Number(answer.status_code)
      return HttpResponse.json(answer, { status: code === 407 ? 200 : code })
    })

  it('expires a pending transaction (407) and reports it expired', async () => {
    const expired = transaction({
      transaction_status: 'expire',
      status_code: '407',
      status_message: 'Success, transaction has expired',
    })
    const calls: string[] = []
    server.use(
      expireApi(expired, calls),
      statusApi(() => expired, { calls: 0, auth: [] }),
    )
    expect(await provider.expireCheckout(ref)).toMatchObject({ state: 'expired' })
    expect(calls).toEqual([`${ORDER} ${basic}`])
  })

  it('leaves a settled transaction as it is (412) and reports it paid', async () => {
    const calls: string[] = []
    server.use(
      expireApi(
        {
          status_code: '412',
          status_message: 'Merchant cannot modify the status of the transaction',
        },
        calls,
      ),
      statusApi(() => transaction(), { calls: 0, auth: [] }),
    )
    expect(await provider.expireCheckout(ref)).toMatchObject({
      state: 'paid',
      amount: 274_000,
      paymentId: TXN,
    })
  })

  it('reports a Snap page with no transaction yet (404) as pending: it may still start one', async () => {
    const calls: string[] = []
    server.use(
      expireApi({ status_code: '404', status_message: "Transaction doesn't exist." }, calls),
      statusApi(() => ({ status_code: '404', status_message: "Transaction doesn't exist." }), {
        calls: 0,
        auth: [],
      }),
    )
    expect((await provider.expireCheckout(ref)).state).toBe('pending')
  })

  it('refuses to guess when Midtrans says no or is down', async () => {
    server.use(expireApi({ status_code: '401', status_message: 'Access denied' }, []))
    expect((await errorOf(provider.expireCheckout(ref))).code).toBe('provider_rejected')
    server.use(expireApi({ status_code: '503', status_message: 'down' }, []))
    expect((await errorOf(provider.expireCheckout(ref))).code).toBe('provider_unavailable')
  })
})
