import { describe, expect, it } from 'vitest'
import { payoutProvidersFromEnv } from './config.js'

describe('payout configuration from the environment', () => {
  it('configures nothing, one provider, or both', () => {
    expect(payoutProvidersFromEnv({})).toEqual({})
    const stripe = payoutProvidersFromEnv({
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
    })
    expect(stripe.stripe).toEqual({ apiKey: 'sk_test_1', webhookSecret: 'whsec_1' })
    expect(stripe.iris).toBeUndefined()
    const iris = payoutProvidersFromEnv({
      MIDTRANS_IRIS_CREATOR_KEY: 'c',
      MIDTRANS_IRIS_APPROVER_KEY: 'a',
      MIDTRANS_IRIS_MERCHANT_KEY: 'm',
    })
    expect(iris.iris?.baseUrl).toContain('sandbox')
  })

  it('refuses half a configuration, naming what is missing', () => {
    expect(() => payoutProvidersFromEnv({ STRIPE_SECRET_KEY: 'sk_test_1' })).toThrow(
      /STRIPE_WEBHOOK_SECRET/,
    )
    expect(() =>
      payoutProvidersFromEnv({ MIDTRANS_IRIS_CREATOR_KEY: 'c', MIDTRANS_IRIS_MERCHANT_KEY: 'm' }),
    ).toThrow(/MIDTRANS_IRIS_APPROVER_KEY/)
  })
})
