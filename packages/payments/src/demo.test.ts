import { isMitraError, type MitraError } from '@mitra/core'
import { describe, expect, it } from 'vitest'
import {
  DemoBank,
  DemoPaymentProvider,
  demoSignatureHeader,
  MemoryDemoBankStore,
  signDemoWebhook,
} from './demo.js'
import type { CheckoutRequest } from './types.js'

const SECRET = 'demo-secret-for-tests'
const BASE = 'https://shop.example'

function setup(start = new Date('2026-11-20T03:00:00Z')) {
  const clock = { now: start }
  const provider = new DemoPaymentProvider({
    baseUrl: `${BASE}/`,
    webhookSecret: SECRET,
    now: () => clock.now,
  })
  const request: CheckoutRequest = {
    orderId: 'ord_01JDEMO',
    currency: 'IDR',
    lines: [
      { id: 'var_tote', name: 'Woven <tote>', unitAmount: 125_000, quantity: 2 },
      { id: 'delivery', name: 'Delivery', unitAmount: 20_000, quantity: 1 },
    ],
    total: 270_000,
    successUrl: `${BASE}/orders/ord_01JDEMO`,
    cancelUrl: `${BASE}/cart`,
    expiresAt: new Date(start.getTime() + 15 * 60_000),
    idempotencyKey: 'checkout-ord_01JDEMO-1',
  }
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms)
  }
  return { provider, request, clock, advance }
}

const asRequest = (webhook: { body: string; headers: Record<string, string> }) => ({
  rawBody: webhook.body,
  headers: new Headers(webhook.headers),
})

async function errorOf(promise: Promise<unknown> | (() => unknown)): Promise<MitraError> {
  try {
    await (typeof promise === 'function' ? promise() : promise)
  } catch (error) {
    if (isMitraError(error)) return error
    throw error
  }
  throw new Error('expected a MitraError')
}

describe('demo provider', () => {
  it('runs checkout → pay page → pay → signed webhook → status → refunds', async () => {
    const { provider, request } = setup()
    const session = await provider.createCheckout(request)
    expect(session.provider).toBe('demo')
    expect(session.redirectUrl).toBe(`${BASE}/demo-pay/${session.sessionId}`)
    // The same idempotency key opens no second session.
    expect((await provider.createCheckout(request)).sessionId).toBe(session.sessionId)

    const page = await provider.renderPaymentPage(session.sessionId)
    expect(page).toContain('DEMO — no real money')
    expect(page).toContain(`action="${BASE}/demo-pay/${session.sessionId}/pay"`)
    expect(page).toContain(`action="${BASE}/demo-pay/${session.sessionId}/fail"`)
    expect(page).toContain('Woven &#60;tote&#62;')
    expect(page).not.toContain('<tote>')

    expect(
      await provider.fetchStatus({ orderId: request.orderId, sessionId: session.sessionId }),
    ).toMatchObject({ state: 'pending', paymentId: null })

    const webhook = await provider.complete(session.sessionId, 'pay')
    expect(webhook.redirectUrl).toBe(request.successUrl)
    expect(webhook.headers[demoSignatureHeader]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    const event = await provider.parseWebhook(asRequest(webhook))
    expect(event).toMatchObject({
      provider: 'demo',
      orderId: request.orderId,
      state: 'paid',
      amount: 270_000,
      currency: 'IDR',
      // Pay without a method chosen is QRIS: 0.7 % of Rp270.000, kept from the sellers.
      fee: 1_890,
    })
    expect(event.paymentId).toMatch(/^demo_pay_/)
    // A second click on Pay: the same event, freshly signed.
    const again = await provider.parseWebhook(
      asRequest(await provider.complete(session.sessionId, 'pay')),
    )
    expect(again.eventId).toBe(event.eventId)
    expect((await errorOf(() => provider.complete(session.sessionId, 'fail'))).code).toBe(
      'conflict',
    )
    expect(await provider.renderPaymentPage(session.sessionId)).not.toContain('<form')

    const paymentId = event.paymentId as string
    const refund = {
      orderId: request.orderId,
      paymentId,
      currency: 'IDR' as const,
    }
    const partial = await provider.refund({ ...refund, amount: 20_000, idempotencyKey: 'r1' })
    expect(partial.state).toBe('succeeded')
    // Replayed refund: same id, refunded once.
    expect(await provider.refund({ ...refund, amount: 20_000, idempotencyKey: 'r1' })).toEqual(
      partial,
    )
    const made = { ...refund, amount: 20_000, idempotencyKey: 'r1', refundId: partial.refundId }
    expect(await provider.fetchRefund(made)).toEqual(partial)
    const unknown = await errorOf(provider.fetchRefund({ ...made, refundId: 'demo_re_other' }))
    expect(unknown.code).toBe('not_found')
    expect(
      await provider.fetchStatus({ orderId: request.orderId, sessionId: session.sessionId }),
    ).toEqual({
      orderId: request.orderId,
      state: 'partially_refunded',
      amount: 20_000,
      currency: 'IDR',
      paymentId,
      fee: 1_890,
    })
    const tooMuch = await errorOf(
      provider.refund({ ...refund, amount: 250_001, idempotencyKey: 'r2' }),
    )
    expect(tooMuch.code).toBe('refund_exceeds_payment')
    await provider.refund({ ...refund, amount: 250_000, idempotencyKey: 'r3' })
    const status = () =>
      provider.fetchStatus({ orderId: request.orderId, sessionId: session.sessionId })
    expect((await status()).state).toBe('refunded')

    // The buyer's bank sends the first refund back: it reads failed and counts no more, so
    // its amount can be refunded again.
    await provider.bank.failRefund(partial.refundId)
    await provider.bank.failRefund(partial.refundId) // told twice, counted once
    expect(await provider.fetchRefund(made)).toEqual({ ...partial, state: 'failed' })
    expect(await status()).toMatchObject({ state: 'partially_refunded', amount: 250_000 })
    await provider.refund({ ...refund, amount: 20_000, idempotencyKey: 'r4' })
    expect(await status()).toMatchObject({ state: 'refunded', amount: 270_000 })
    expect((await errorOf(() => provider.bank.failRefund('demo_re_other'))).code).toBe('not_found')
  })

  it('fails a payment on Fail and sends the buyer back to the cancel URL', async () => {
    const { provider, request } = setup()
    const session = await provider.createCheckout(request)
    const webhook = await provider.complete(session.sessionId, 'fail')
    expect(webhook.redirectUrl).toBe(request.cancelUrl)
    const event = await provider.parseWebhook(asRequest(webhook))
    expect(event).toMatchObject({ state: 'failed', paymentId: null, fee: null })
    const refund = await errorOf(
      provider.refund({
        orderId: request.orderId,
        paymentId: 'demo_pay_missing',
        amount: 1,
        currency: 'IDR',
        idempotencyKey: 'x',
      }),
    )
    expect(refund.code).toBe('not_found')
  })

  it('lets the buyer choose the method; the webhook and status carry its fee, the buyer pays the total', async () => {
    const { provider, request } = setup()
    const session = await provider.createCheckout(request)
    const page = await provider.renderPaymentPage(session.sessionId)
    expect(page).toContain('DEMO — no real money')
    expect(page).toContain(
      '<input type="radio" name="method" value="qris" checked> QRIS — fee Rp1.890',
    )
    expect(page).toContain('value="virtual_account"> Bank virtual account — fee Rp4.000')
    expect(page).toContain('value="card"> Card — fee Rp9.830') // 2.9 % + Rp2.000
    expect(page).toContain('value="ewallet"> E-wallet (GoPay, ShopeePay) — fee Rp5.400')
    expect(page).toContain('Pay Rp270.000 (demo)')

    const webhook = await provider.complete(session.sessionId, 'pay', 'virtual_account')
    const event = await provider.parseWebhook(asRequest(webhook))
    expect(event).toMatchObject({ state: 'paid', amount: 270_000, fee: 4_000 })
    expect(JSON.parse(webhook.body)).toMatchObject({ payment_method: 'virtual_account' })
    // Pay again with another method: the payment was made, the same event comes back.
    const again = await provider.parseWebhook(
      asRequest(await provider.complete(session.sessionId, 'pay', 'card')),
    )
    expect(again).toMatchObject({ eventId: event.eventId, fee: 4_000 })
    const ref = { orderId: request.orderId, sessionId: session.sessionId }
    expect(await provider.fetchStatus(ref)).toMatchObject({ amount: 270_000, fee: 4_000 })
    expect(await provider.renderPaymentPage(session.sessionId)).toContain(
      'Paid by virtual_account; payment fee Rp4.000, borne by the sellers.',
    )
    // A refund gives the buyer money back; the provider keeps its fee.
    await provider.refund({
      orderId: request.orderId,
      paymentId: event.paymentId as string,
      amount: 270_000,
      currency: 'IDR',
      idempotencyKey: 'all',
    })
    expect(await provider.fetchStatus(ref)).toMatchObject({ state: 'refunded', fee: 4_000 })

    const card = await provider.createCheckout({ ...request, idempotencyKey: 'card' })
    const paidByCard = await provider.parseWebhook(
      asRequest(await provider.complete(card.sessionId, 'pay', 'card')),
    )
    expect(paidByCard).toMatchObject({ amount: 270_000, fee: 9_830 })
    const unknown = await errorOf(() => provider.complete(card.sessionId, 'pay', 'cash' as 'card'))
    expect(unknown).toMatchObject({ code: 'validation_failed', status: 422 })
  })

  it('charges the fee schedule it is given, and refuses a bad one', async () => {
    const { request } = setup()
    const options = {
      baseUrl: BASE,
      webhookSecret: SECRET,
      now: () => new Date('2026-11-20T03:00:00Z'),
    }
    const provider = new DemoPaymentProvider({
      ...options,
      feeSchedule: {
        qris: { regular: { bps: 63 }, umi: { bps: 30, free_up_to: 100_000 } },
        virtual_account: { flat: 4_400 },
        card: { bps: 290, flat: 2_000 },
        ewallet: { bps: 150 },
      },
    })
    const session = await provider.createCheckout(request)
    const event = await provider.parseWebhook(
      asRequest(await provider.complete(session.sessionId, 'pay')),
    )
    expect(event.fee).toBe(1_701) // 0.63 % of Rp270.000

    const bad = await errorOf(
      () =>
        new DemoPaymentProvider({
          ...options,
          feeSchedule: { ...provider.feeSchedule, card: { bps: -1, flat: 2_000 } },
        }),
    )
    expect(bad).toMatchObject({ code: 'validation_failed', status: 422 })
    expect(bad.errors[0]?.path).toBe('feeSchedule.card.bps')

    // The schedule prices rupiah; a session in another currency carries no fee.
    const usd = await provider.createCheckout({
      ...request,
      currency: 'USD',
      lines: [{ id: 'tote', name: 'Tote', unitAmount: 2_500, quantity: 1 }],
      total: 2_500,
      idempotencyKey: 'usd',
    })
    const paidInUsd = await provider.parseWebhook(
      asRequest(await provider.complete(usd.sessionId, 'pay')),
    )
    expect(paidInUsd).toMatchObject({ amount: 2_500, currency: 'USD', fee: 0 })
  })

  it('expires sessions past their time', async () => {
    const { provider, request, advance } = setup()
    const session = await provider.createCheckout(request)
    const other = await provider.createCheckout({ ...request, idempotencyKey: 'other' })
    advance(15 * 60_000)
    expect(
      (await provider.fetchStatus({ orderId: request.orderId, sessionId: session.sessionId }))
        .state,
    ).toBe('expired')
    expect((await errorOf(() => provider.complete(session.sessionId, 'pay'))).code).toBe(
      'checkout_expired',
    )
    const swept = await provider.expireDue()
    expect(swept).toHaveLength(1)
    const event = await provider.parseWebhook(asRequest(swept[0] as (typeof swept)[number]))
    expect(event).toMatchObject({ state: 'expired' })
    expect(JSON.parse((swept[0] as (typeof swept)[number]).body).session_id).toBe(other.sessionId)
    expect(await provider.expireDue()).toHaveLength(0)
  })

  it('refuses forged, stale, tampered and unsigned webhooks', async () => {
    const { provider, request, advance } = setup()
    const session = await provider.createCheckout(request)
    const webhook = await provider.complete(session.sessionId, 'pay')
    const t = Number(/t=(\d+)/.exec(webhook.headers[demoSignatureHeader] as string)?.[1])
    const forged = {
      ...webhook,
      headers: { [demoSignatureHeader]: signDemoWebhook(webhook.body, 'guess', t) },
    }
    const tampered = { ...webhook, body: webhook.body.replace('270000', '1') }
    const unsigned = { ...webhook, headers: {} }
    const malformed = { ...webhook, headers: { [demoSignatureHeader]: 'v1=abc' } }
    for (const attempt of [forged, tampered, unsigned, malformed]) {
      const error = await errorOf(provider.parseWebhook(asRequest(attempt)))
      expect(error.code).toBe('webhook_signature_invalid')
      expect(error.status).toBe(400)
    }
    advance(301_000)
    const stale = await errorOf(provider.parseWebhook(asRequest(webhook)))
    expect(stale.code).toBe('webhook_signature_invalid')
  })

  it('checks the request like any provider', async () => {
    const { provider, request } = setup()
    const mismatch = await errorOf(provider.createCheckout({ ...request, total: 1 }))
    expect(mismatch.code).toBe('checkout_amount_mismatch')
    const past = await errorOf(
      provider.createCheckout({ ...request, expiresAt: new Date('2026-01-01T00:00:00Z') }),
    )
    expect(past.code).toBe('validation_failed')
    expect((await errorOf(() => provider.renderPaymentPage('demo_cs_nope'))).code).toBe('not_found')
  })

  it('cancels an open session when its order is canceled: the pay page offers nothing more', async () => {
    const { provider, request } = setup()
    const session = await provider.createCheckout(request)
    const ref = { orderId: request.orderId, sessionId: session.sessionId }
    expect(await provider.expireCheckout(ref)).toMatchObject({ state: 'canceled', paymentId: null })
    expect((await provider.expireCheckout(ref)).state).toBe('canceled') // again: the same
    const page = await provider.renderPaymentPage(session.sessionId)
    expect(page).not.toContain('/pay"')
    expect(page).toContain('This demo payment is canceled.')
    expect((await errorOf(() => provider.complete(session.sessionId, 'pay'))).code).toBe('conflict')
    expect((await provider.fetchStatus(ref)).state).toBe('canceled')
    // Nothing to close for a session it never opened, or another order's.
    const unknown = { orderId: request.orderId, sessionId: 'demo_cs_nope' }
    expect((await provider.expireCheckout(unknown)).state).toBe('canceled')
    const foreign = { orderId: 'ord_other', sessionId: session.sessionId }
    expect((await provider.expireCheckout(foreign)).state).toBe('canceled')
  })

  it('leaves a paid session paid when asked to expire it, and says so', async () => {
    const { provider, request } = setup()
    const session = await provider.createCheckout(request)
    await provider.complete(session.sessionId, 'pay')
    const after = await provider.expireCheckout({
      orderId: request.orderId,
      sessionId: session.sessionId,
    })
    expect(after).toMatchObject({ state: 'paid', amount: 270_000 })
    expect(after.paymentId).toMatch(/^demo_pay_/)
  })

  it('keeps its records in its store: a new provider over the same store pays the session', async () => {
    const { provider, request, clock } = setup()
    const store = new MemoryDemoBankStore()
    const first = new DemoPaymentProvider({
      baseUrl: BASE,
      webhookSecret: SECRET,
      bank: new DemoBank(store),
      now: () => clock.now,
    })
    const session = await first.createCheckout(request)
    const second = new DemoPaymentProvider({
      baseUrl: BASE,
      webhookSecret: 'another-secret',
      bank: new DemoBank(store),
      now: () => clock.now,
    })
    const paid = await second.parseWebhook(
      asRequest(await second.complete(session.sessionId, 'pay')),
    )
    expect(paid).toMatchObject({ orderId: request.orderId, state: 'paid' })
    expect(
      (await first.fetchStatus({ orderId: request.orderId, sessionId: session.sessionId })).state,
    ).toBe('paid')
    // The provider without that store knows nothing of it.
    expect(
      (
        await errorOf(() =>
          provider.fetchStatus({ orderId: request.orderId, sessionId: session.sessionId }),
        )
      ).code,
    ).toBe('not_found')
  })

  it('pays a session once when two clicks come at once', async () => {
    const { provider, request } = setup()
    const session = await provider.createCheckout(request)
    const hooks = await Promise.all([
      provider.complete(session.sessionId, 'pay'),
      provider.complete(session.sessionId, 'pay'),
    ])
    const ids = hooks.map((hook) => JSON.parse(hook.body).payment_id)
    expect(ids[0]).toBe(ids[1])
    expect(JSON.parse((hooks[0] as (typeof hooks)[number]).body).id).toBe(
      JSON.parse((hooks[1] as (typeof hooks)[number]).body).id,
    )
  })
})
