import { isMitraError, type MitraError } from '@mitra/core'
import { describe, expect, it } from 'vitest'
import { paymentProvidersFromEnv } from './config.js'
import { DemoPaymentProvider } from './demo.js'
import { defaultFeeSchedule } from './fees.js'
import { MidtransPaymentProvider } from './midtrans.js'
import { StripePaymentProvider } from './stripe.js'

const options = { baseUrl: 'https://shop.example' }
const stripeEnv = { STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' }

function errorOf(run: () => unknown): MitraError {
  try {
    run()
  } catch (error) {
    if (isMitraError(error)) return error
    throw error
  }
  throw new Error('expected a MitraError')
}

describe('paymentProvidersFromEnv', () => {
  it('turns on only the demo provider by default', () => {
    const registry = paymentProvidersFromEnv({}, options)
    expect(registry.names()).toEqual(['demo'])
    expect(registry.get('demo')).toBeInstanceOf(DemoPaymentProvider)
    expect(registry.demo).toBe(registry.get('demo'))
    const off = errorOf(() => registry.get('stripe'))
    expect(off.code).toBe('provider_not_configured')
  })

  it('builds every provider that is on, in the order given', () => {
    const registry = paymentProvidersFromEnv(
      {
        MITRA_PAYMENT_PROVIDERS: 'midtrans, stripe,demo',
        ...stripeEnv,
        MIDTRANS_SERVER_KEY: 'SB-Mid-server-x',
        MIDTRANS_PRODUCTION: 'false',
      },
      options,
    )
    expect(registry.names()).toEqual(['midtrans', 'stripe', 'demo'])
    expect(registry.get('stripe')).toBeInstanceOf(StripePaymentProvider)
    expect(registry.get('midtrans')).toBeInstanceOf(MidtransPaymentProvider)
  })

  it('names the missing variable of a provider that is on', () => {
    const stripe = errorOf(() =>
      paymentProvidersFromEnv(
        { MITRA_PAYMENT_PROVIDERS: 'stripe', STRIPE_SECRET_KEY: 'sk_test_x' },
        options,
      ),
    )
    expect(stripe.code).toBe('provider_not_configured')
    expect(stripe.message).toContain('STRIPE_WEBHOOK_SECRET')
    expect(stripe.errors.map((e) => e.path)).toEqual(['STRIPE_WEBHOOK_SECRET'])

    const midtrans = errorOf(() =>
      paymentProvidersFromEnv({ MITRA_PAYMENT_PROVIDERS: 'midtrans' }, options),
    )
    expect(midtrans.message).toContain('MIDTRANS_SERVER_KEY')

    const swapped = errorOf(() =>
      paymentProvidersFromEnv(
        {
          MITRA_PAYMENT_PROVIDERS: 'stripe',
          STRIPE_SECRET_KEY: 'whsec_x',
          STRIPE_WEBHOOK_SECRET: 'sk_test_x',
        },
        options,
      ),
    )
    expect(swapped.errors.map((e) => e.path)).toEqual([
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
    ])

    const production = errorOf(() =>
      paymentProvidersFromEnv(
        {
          MITRA_PAYMENT_PROVIDERS: 'midtrans',
          MIDTRANS_SERVER_KEY: 'Mid-server-x',
          MIDTRANS_PRODUCTION: 'yes',
        },
        options,
      ),
    )
    expect(production.errors.map((e) => e.path)).toEqual(['MIDTRANS_PRODUCTION'])
  })

  it('refuses an unknown provider name', () => {
    const error = errorOf(() =>
      paymentProvidersFromEnv({ MITRA_PAYMENT_PROVIDERS: 'demo,paypal' }, options),
    )
    expect(error.code).toBe('validation_failed')
    expect(error.message).toContain('paypal')
  })

  it('gives a venue its own account, the platform account otherwise', () => {
    const registry = paymentProvidersFromEnv(
      {
        MITRA_PAYMENT_PROVIDERS: 'stripe,midtrans',
        ...stripeEnv,
        MIDTRANS_SERVER_KEY: 'SB-Mid-server-platform',
        MITRA_PAYMENT_ACCOUNTS: JSON.stringify({
          ven_cafe: { MIDTRANS_SERVER_KEY: 'Mid-server-cafe', MIDTRANS_PRODUCTION: true },
        }),
      },
      options,
    )
    expect(registry.accountIds()).toEqual(['ven_cafe'])
    const cafe = registry.get('midtrans', 'ven_cafe')
    expect(cafe).not.toBe(registry.get('midtrans'))
    expect(registry.get('midtrans', 'ven_gallery')).toBe(registry.get('midtrans'))
    expect(registry.get('stripe', 'ven_cafe')).toBe(registry.get('stripe'))
    // Whose account takes the money decides who the ledger says collected it.
    expect(registry.ownAccount('midtrans', 'ven_cafe')).toBe(true)
    expect(registry.ownAccount('stripe', 'ven_cafe')).toBe(false)
    expect(registry.ownAccount('midtrans', 'ven_gallery')).toBe(false)
  })

  it('refuses per-venue keys that are incomplete, malformed or for a provider that is off', () => {
    const half = errorOf(() =>
      paymentProvidersFromEnv(
        {
          MITRA_PAYMENT_PROVIDERS: 'stripe',
          ...stripeEnv,
          MITRA_PAYMENT_ACCOUNTS: JSON.stringify({ ven_cafe: { STRIPE_SECRET_KEY: 'sk_live_x' } }),
        },
        options,
      ),
    )
    expect(half.code).toBe('provider_not_configured')
    expect(half.errors.map((e) => e.path)).toEqual([
      'MITRA_PAYMENT_ACCOUNTS.ven_cafe.STRIPE_WEBHOOK_SECRET',
    ])
    const off = errorOf(() =>
      paymentProvidersFromEnv(
        {
          MITRA_PAYMENT_ACCOUNTS: JSON.stringify({ ven_cafe: { MIDTRANS_SERVER_KEY: 'x' } }),
        },
        options,
      ),
    )
    expect(off.message).toContain('midtrans is off')
    const notJson = errorOf(() =>
      paymentProvidersFromEnv({ MITRA_PAYMENT_ACCOUNTS: '{ven_cafe:' }, options),
    )
    expect(notJson.errors[0]?.path).toBe('MITRA_PAYMENT_ACCOUNTS')
    const unknownKey = errorOf(() =>
      paymentProvidersFromEnv(
        { MITRA_PAYMENT_ACCOUNTS: JSON.stringify({ ven_cafe: { STRIPE_KEY: 'x' } }) },
        options,
      ),
    )
    expect(unknownKey.code).toBe('validation_failed')
  })

  it('refuses the demo provider beside keys that take real money', () => {
    const liveStripe = { STRIPE_SECRET_KEY: 'sk_live_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' }
    const platform = errorOf(() =>
      paymentProvidersFromEnv({ MITRA_PAYMENT_PROVIDERS: 'stripe,demo', ...liveStripe }, options),
    )
    expect(platform.code).toBe('validation_failed')
    expect(platform.message).toContain('STRIPE_SECRET_KEY')
    expect(platform.errors).toEqual([
      {
        path: 'MITRA_PAYMENT_PROVIDERS',
        code: 'demo_with_live_keys',
        message: 'demo is on beside STRIPE_SECRET_KEY',
      },
    ])
    const venue = errorOf(() =>
      paymentProvidersFromEnv(
        {
          MITRA_PAYMENT_PROVIDERS: 'demo,midtrans',
          MIDTRANS_SERVER_KEY: 'SB-Mid-server-x',
          MITRA_PAYMENT_ACCOUNTS: JSON.stringify({
            ven_cafe: { MIDTRANS_SERVER_KEY: 'Mid-server-cafe', MIDTRANS_PRODUCTION: 'true' },
          }),
        },
        options,
      ),
    )
    expect(venue.message).toContain('MITRA_PAYMENT_ACCOUNTS.ven_cafe.MIDTRANS_PRODUCTION')
    // Live keys without the demo, and the demo beside test keys, are fine.
    const stripeOnly = { MITRA_PAYMENT_PROVIDERS: 'stripe', ...liveStripe }
    expect(paymentProvidersFromEnv(stripeOnly, options).names()).toEqual(['stripe'])
    const testing = { MITRA_PAYMENT_PROVIDERS: 'stripe,demo', ...stripeEnv }
    expect(paymentProvidersFromEnv(testing, options).names()).toEqual(['stripe', 'demo'])
  })

  it('signs demo webhooks with MITRA_DEMO_WEBHOOK_SECRET when set, a random secret otherwise', async () => {
    const a = paymentProvidersFromEnv({ MITRA_DEMO_WEBHOOK_SECRET: 'shared' }, options)
    const b = paymentProvidersFromEnv({ MITRA_DEMO_WEBHOOK_SECRET: 'shared' }, options)
    const c = paymentProvidersFromEnv({}, options)
    const request = {
      orderId: 'ord_1',
      currency: 'IDR' as const,
      lines: [{ id: 'a', name: 'A', unitAmount: 1_000, quantity: 1 }],
      total: 1_000,
      successUrl: 'https://shop.example/ok',
      cancelUrl: 'https://shop.example/cart',
      expiresAt: new Date(Date.now() + 600_000),
      idempotencyKey: 'k',
    }
    const session = await a.get('demo').createCheckout(request)
    expect(session.redirectUrl).toBe(`https://shop.example/demo-pay/${session.sessionId}`)
    const webhook = await a.demo?.complete(session.sessionId, 'pay')
    const delivered = { rawBody: webhook?.body ?? '', headers: new Headers(webhook?.headers) }
    await expect(b.get('demo').parseWebhook(delivered)).resolves.toMatchObject({ state: 'paid' })
    await expect(c.get('demo').parseWebhook(delivered)).rejects.toMatchObject({
      code: 'webhook_signature_invalid',
    })
  })

  it('takes the fee schedule from MITRA_PAYMENT_FEES over the default, and refuses a bad one', () => {
    expect(paymentProvidersFromEnv({}, options).feeSchedule).toEqual(defaultFeeSchedule)
    const registry = paymentProvidersFromEnv(
      { MITRA_PAYMENT_FEES: '{"virtual_account":{"flat":4400},"card":{"bps":250,"flat":2000}}' },
      options,
    )
    // The methods given replace the default's; the rest stay as they were.
    expect(registry.feeSchedule).toEqual({
      ...defaultFeeSchedule,
      virtual_account: { bps: 0, flat: 4_400, free_up_to: 0 },
      card: { bps: 250, flat: 2_000, free_up_to: 0 },
    })
    // The demo provider charges the same schedule.
    expect(registry.demo?.feeSchedule).toEqual(registry.feeSchedule)

    const bad = errorOf(() =>
      paymentProvidersFromEnv(
        { MITRA_PAYMENT_FEES: '{"qris":{"regular":{"bps":"0.7%"}}}' },
        options,
      ),
    )
    expect(bad.code).toBe('validation_failed')
    expect(bad.errors.map((e) => e.path)).toEqual([
      'MITRA_PAYMENT_FEES.qris.regular.bps',
      'MITRA_PAYMENT_FEES.qris.umi',
    ])
    const notJson = errorOf(() => paymentProvidersFromEnv({ MITRA_PAYMENT_FEES: '0.7%' }, options))
    expect(notJson.errors).toEqual([
      { path: 'MITRA_PAYMENT_FEES', code: 'invalid_json', message: 'not JSON' },
    ])
    const notAnObject = errorOf(() =>
      paymentProvidersFromEnv({ MITRA_PAYMENT_FEES: '[70]' }, options),
    )
    expect(notAnObject.errors[0]?.path).toBe('MITRA_PAYMENT_FEES')
  })
})
