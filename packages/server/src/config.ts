import { MitraError } from '@mitra/core'
import type { PayoutProviders } from '@mitra/revenue-share'

type Env = Record<string, string | undefined>

function group(env: Env, names: string[]): Record<string, string> | undefined {
  const present = names.filter((name) => (env[name] ?? '') !== '')
  if (present.length === 0) return undefined
  const missing = names.filter((name) => !present.includes(name))
  if (missing.length > 0) {
    throw new MitraError(
      'validation_failed',
      `Set ${missing.join(' and ')} too: ${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set`,
      {
        errors: missing.map((path) => ({
          path,
          code: 'missing',
          message: 'required with the others',
        })),
      },
    )
  }
  return Object.fromEntries(names.map((name) => [name, env[name] as string]))
}

/**
 * Payout credentials from the environment. A provider is either fully configured or not at
 * all: half a configuration is refused at start-up, not at the first payout.
 */
export function payoutProvidersFromEnv(env: Env = process.env): PayoutProviders {
  const providers: PayoutProviders = {}
  const stripe = group(env, ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'])
  if (stripe) {
    providers.stripe = {
      apiKey: stripe.STRIPE_SECRET_KEY as string,
      webhookSecret: stripe.STRIPE_WEBHOOK_SECRET as string,
    }
  }
  const iris = group(env, [
    'MIDTRANS_IRIS_CREATOR_KEY',
    'MIDTRANS_IRIS_APPROVER_KEY',
    'MIDTRANS_IRIS_MERCHANT_KEY',
  ])
  if (iris) {
    providers.iris = {
      baseUrl: env.MIDTRANS_IRIS_BASE_URL || 'https://app.sandbox.midtrans.com/iris/api/v1',
      creatorKey: iris.MIDTRANS_IRIS_CREATOR_KEY as string,
      approverKey: iris.MIDTRANS_IRIS_APPROVER_KEY as string,
      merchantKey: iris.MIDTRANS_IRIS_MERCHANT_KEY as string,
    }
  }
  return providers
}
