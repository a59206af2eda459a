import { randomBytes } from 'node:crypto'
import { type FieldError, MitraError, type RetryOptions } from '@mitra/core'
import { z } from 'zod'
import { type DemoBank, DemoPaymentProvider } from './demo.js'
import { defaultFeeSchedule, type FeeSchedule, parseFeeSchedule } from './fees.js'
import { MidtransPaymentProvider } from './midtrans.js'
import { StripePaymentProvider } from './stripe.js'
import { type PaymentProvider, type ProviderName, providerNames } from './types.js'

type Env = Record<string, string | undefined>

export interface PaymentProvidersOptions {
  /** Public base URL of the server (demo pay pages, Midtrans notification URLs). */
  baseUrl: string
  retry?: RetryOptions
  /** A shared demo bank (tests); a new one otherwise. */
  bank?: DemoBank
  now?: () => Date
}

export interface PaymentProviderRegistry {
  /**
   * The provider for a venue: its own account when `MITRA_PAYMENT_ACCOUNTS` has one for this
   * provider, the platform's otherwise. A provider that is off is a 503
   * 'provider_not_configured'.
   */
  get(name: ProviderName, accountId?: string): PaymentProvider
  /** Whether the venue takes this provider's payments into an account of its own. */
  ownAccount(name: ProviderName, accountId: string): boolean
  /** The providers that are on, in the order `MITRA_PAYMENT_PROVIDERS` lists them. */
  names(): ProviderName[]
  /** Venue ids with an account of their own. */
  accountIds(): string[]
  /** The demo provider (pay page, buttons) when it is on. */
  readonly demo: DemoPaymentProvider | undefined
  /**
   * What payments cost the sellers, by method (`MITRA_PAYMENT_FEES` over
   * `defaultFeeSchedule`): the demo provider charges it, and QRIS counter sales are split
   * with it.
   */
  readonly feeSchedule: FeeSchedule
}

const missing = (path: string, message: string): FieldError => ({ path, code: 'missing', message })

function notConfigured(detail: string, errors: FieldError[]): MitraError {
  return new MitraError('provider_not_configured', detail, { errors })
}

interface StripeKeys {
  secretKey: string
  webhookSecret: string
}

interface MidtransKeys {
  serverKey: string
  production: boolean
}

const present = (value: string | undefined): value is string =>
  value !== undefined && value.trim() !== ''

/** `prefix` names where the values came from in errors (`MITRA_PAYMENT_ACCOUNTS.ven_1.`). */
function stripeKeys(values: Env, prefix: string, required: boolean): StripeKeys | undefined {
  const secretKey = values.STRIPE_SECRET_KEY
  const webhookSecret = values.STRIPE_WEBHOOK_SECRET
  if (!required && !present(secretKey) && !present(webhookSecret)) return undefined
  const errors: FieldError[] = []
  if (!present(secretKey)) {
    errors.push(missing(`${prefix}STRIPE_SECRET_KEY`, 'required when stripe is on'))
  } else if (!/^(sk|rk)_/.test(secretKey)) {
    errors.push({
      path: `${prefix}STRIPE_SECRET_KEY`,
      code: 'invalid_string',
      message: 'a secret key starts with sk_ or rk_',
    })
  }
  if (!present(webhookSecret)) {
    errors.push(missing(`${prefix}STRIPE_WEBHOOK_SECRET`, 'required when stripe is on'))
  } else if (!webhookSecret.startsWith('whsec_')) {
    errors.push({
      path: `${prefix}STRIPE_WEBHOOK_SECRET`,
      code: 'invalid_string',
      message: 'a webhook signing secret starts with whsec_',
    })
  }
  if (errors.length > 0) {
    throw notConfigured(
      `Stripe is on but ${errors.map((e) => e.path).join(' and ')} ${errors.length === 1 ? 'is' : 'are'} missing or malformed`,
      errors,
    )
  }
  return { secretKey: secretKey as string, webhookSecret: webhookSecret as string }
}

function midtransKeys(values: Env, prefix: string, required: boolean): MidtransKeys | undefined {
  const serverKey = values.MIDTRANS_SERVER_KEY
  const production = values.MIDTRANS_PRODUCTION?.trim().toLowerCase() ?? ''
  if (!required && !present(serverKey)) {
    if (production === '') return undefined
  }
  const errors: FieldError[] = []
  if (!present(serverKey)) {
    errors.push(missing(`${prefix}MIDTRANS_SERVER_KEY`, 'required when midtrans is on'))
  }
  if (production !== '' && production !== 'true' && production !== 'false') {
    errors.push({
      path: `${prefix}MIDTRANS_PRODUCTION`,
      code: 'invalid_value',
      message: 'true or false',
    })
  }
  if (errors.length > 0) {
    throw notConfigured(
      `Midtrans is on but ${errors.map((e) => e.path).join(' and ')} ${errors.length === 1 ? 'is' : 'are'} missing or malformed`,
      errors,
    )
  }
  return { serverKey: serverKey as string, production: production === 'true' }
}

/** Stripe's live secret and restricted keys; test keys take no real money. */
function isLiveStripeKey(key: string): boolean {
  return key.startsWith('sk_live_') || key.startsWith('rk_live_')
}

function enabledProviders(env: Env): ProviderName[] {
  const text = env.MITRA_PAYMENT_PROVIDERS
  const names = present(text)
    ? text
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter((name) => name !== '')
    : ['demo']
  const unknown = names.filter((name) => !(providerNames as readonly string[]).includes(name))
  if (unknown.length > 0) {
    throw new MitraError(
      'validation_failed',
      `MITRA_PAYMENT_PROVIDERS names unknown providers: ${unknown.join(', ')} (known: ${providerNames.join(', ')})`,
      {
        errors: [
          { path: 'MITRA_PAYMENT_PROVIDERS', code: 'invalid_value', message: 'unknown provider' },
        ],
      },
    )
  }
  return [...new Set(names as ProviderName[])]
}

const accountsSchema = z.record(
  z.string().min(1),
  z
    .object({
      STRIPE_SECRET_KEY: z.string().optional(),
      STRIPE_WEBHOOK_SECRET: z.string().optional(),
      MIDTRANS_SERVER_KEY: z.string().optional(),
      MIDTRANS_PRODUCTION: z.union([z.string(), z.boolean()]).optional(),
    })
    .strict(),
)

interface Account {
  stripe?: StripeKeys
  midtrans?: MidtransKeys
}

/**
 * `MITRA_PAYMENT_ACCOUNTS`: JSON mapping a venue id to its own keys, under the same names as
 * the platform's variables, e.g. `{"ven_…":{"MIDTRANS_SERVER_KEY":"…","MIDTRANS_PRODUCTION":"true"}}`.
 */
function accountsFromEnv(env: Env, on: ProviderName[]): Map<string, Account> {
  const accounts = new Map<string, Account>()
  const text = env.MITRA_PAYMENT_ACCOUNTS
  if (!present(text)) return accounts
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new MitraError('validation_failed', 'MITRA_PAYMENT_ACCOUNTS is not JSON', {
      cause: error,
      errors: [{ path: 'MITRA_PAYMENT_ACCOUNTS', code: 'invalid_json', message: 'not JSON' }],
    })
  }
  const parsed = accountsSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = ['MITRA_PAYMENT_ACCOUNTS', ...(issue?.path.map(String) ?? [])].join('.')
    throw new MitraError('validation_failed', `${path}: ${issue?.message ?? 'invalid'}`, {
      errors: [{ path, code: issue?.code ?? 'invalid', message: issue?.message ?? 'invalid' }],
    })
  }
  for (const [accountId, values] of Object.entries(parsed.data)) {
    const prefix = `MITRA_PAYMENT_ACCOUNTS.${accountId}.`
    const strings: Env = {
      ...values,
      MIDTRANS_PRODUCTION:
        values.MIDTRANS_PRODUCTION === undefined ? undefined : String(values.MIDTRANS_PRODUCTION),
    }
    const stripe = stripeKeys(strings, prefix, false)
    const midtrans = midtransKeys(strings, prefix, false)
    for (const [name, keys] of [
      ['stripe', stripe],
      ['midtrans', midtrans],
    ] as const) {
      if (keys !== undefined && !on.includes(name)) {
        throw notConfigured(`${prefix.slice(0, -1)} has ${name} keys but ${name} is off`, [
          missing('MITRA_PAYMENT_PROVIDERS', `add ${name} or remove the keys`),
        ])
      }
    }
    accounts.set(accountId, {
      ...(stripe === undefined ? {} : { stripe }),
      ...(midtrans === undefined ? {} : { midtrans }),
    })
  }
  return accounts
}

/**
 * `MITRA_PAYMENT_FEES`: JSON of the methods whose fees differ from `defaultFeeSchedule`, each
 * given whole, e.g. `{"virtual_account":{"flat":4400},"qris":{"regular":{"bps":70},"umi":{"bps":30,"free_up_to":100000}}}`.
 */
function feeScheduleFromEnv(env: Env): FeeSchedule {
  const text = env.MITRA_PAYMENT_FEES
  if (!present(text)) return defaultFeeSchedule
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new MitraError('validation_failed', 'MITRA_PAYMENT_FEES is not JSON', {
      cause: error,
      errors: [{ path: 'MITRA_PAYMENT_FEES', code: 'invalid_json', message: 'not JSON' }],
    })
  }
  // A method left out keeps its default; anything but an object is refused by the schema.
  const merged =
    typeof json === 'object' && json !== null && !Array.isArray(json)
      ? { ...defaultFeeSchedule, ...json }
      : json
  return parseFeeSchedule(merged, 'MITRA_PAYMENT_FEES')
}

/**
 * Payment providers from the environment, checked at start-up: a provider that is on
 * without its keys is refused now, naming the missing variable, not at the first checkout.
 *
 * - `MITRA_PAYMENT_PROVIDERS` — which are on, e.g. `demo,stripe,midtrans` (default `demo`).
 * - `STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET` — the platform's Stripe account.
 * - `MIDTRANS_SERVER_KEY`, `MIDTRANS_PRODUCTION=true|false` (default false: sandbox).
 * - `MITRA_PAYMENT_ACCOUNTS` — per-venue keys (see `accountsFromEnv`).
 * - `MITRA_DEMO_WEBHOOK_SECRET` — signs demo webhooks; random per process when unset.
 * - `MITRA_PAYMENT_FEES` — the fee schedule's departures from the default (see
 *   `feeScheduleFromEnv`).
 */
export function paymentProvidersFromEnv(
  env: Env,
  options: PaymentProvidersOptions,
): PaymentProviderRegistry {
  const on = enabledProviders(env)
  const feeSchedule = feeScheduleFromEnv(env)
  const common = {
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.now === undefined ? {} : { now: options.now }),
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const platform = new Map<ProviderName, PaymentProvider>()
  let demo: DemoPaymentProvider | undefined
  /** Variables that take real money: the demo provider may not be on beside them. */
  const live: string[] = []
  for (const name of on) {
    if (name === 'stripe') {
      const keys = stripeKeys(env, '', true) as StripeKeys
      if (isLiveStripeKey(keys.secretKey)) live.push('STRIPE_SECRET_KEY')
      platform.set(name, new StripePaymentProvider({ ...keys, ...common }))
    } else if (name === 'midtrans') {
      const keys = midtransKeys(env, '', true) as MidtransKeys
      if (keys.production) live.push('MIDTRANS_PRODUCTION')
      platform.set(name, new MidtransPaymentProvider({ ...keys, ...common }))
    } else {
      const secret = present(env.MITRA_DEMO_WEBHOOK_SECRET)
        ? env.MITRA_DEMO_WEBHOOK_SECRET
        : randomBytes(32).toString('hex')
      demo = new DemoPaymentProvider({
        baseUrl,
        webhookSecret: secret,
        feeSchedule,
        ...(options.bank === undefined ? {} : { bank: options.bank }),
        ...(options.now === undefined ? {} : { now: options.now }),
      })
      platform.set(name, demo)
    }
  }
  const accounts = accountsFromEnv(env, on)
  const perAccount = new Map<string, PaymentProvider>()
  for (const [accountId, account] of accounts) {
    const prefix = `MITRA_PAYMENT_ACCOUNTS.${accountId}.`
    if (account.stripe !== undefined && isLiveStripeKey(account.stripe.secretKey)) {
      live.push(`${prefix}STRIPE_SECRET_KEY`)
    }
    if (account.midtrans?.production === true) live.push(`${prefix}MIDTRANS_PRODUCTION`)
    if (account.stripe !== undefined) {
      perAccount.set(
        `stripe:${accountId}`,
        new StripePaymentProvider({ ...account.stripe, ...common }),
      )
    }
    if (account.midtrans !== undefined) {
      perAccount.set(
        `midtrans:${accountId}`,
        new MidtransPaymentProvider({
          ...account.midtrans,
          ...common,
          // Tells the webhook route whose server key signed the notification.
          notificationUrl: `${baseUrl}/v1/webhooks/midtrans?account=${encodeURIComponent(accountId)}`,
        }),
      )
    }
  }
  if (demo !== undefined && live.length > 0) {
    // A demo payment takes no money but fills the order: beside live keys, buyers could
    // take goods for nothing.
    throw new MitraError(
      'validation_failed',
      `The demo provider takes no money and cannot be on with live keys (${live.join(', ')}): take demo out of MITRA_PAYMENT_PROVIDERS`,
      {
        errors: [
          {
            path: 'MITRA_PAYMENT_PROVIDERS',
            code: 'demo_with_live_keys',
            message: `demo is on beside ${live.join(', ')}`,
          },
        ],
      },
    )
  }
  return {
    get(name, accountId) {
      const provider = platform.get(name)
      if (provider === undefined) {
        throw new MitraError('provider_not_configured', `Payment provider ${name} is off`, {
          extensions: { provider: name, enabled: on },
        })
      }
      if (accountId === undefined) return provider
      return perAccount.get(`${name}:${accountId}`) ?? provider
    },
    ownAccount: (name, accountId) => perAccount.has(`${name}:${accountId}`),
    names: () => [...on],
    accountIds: () => [...accounts.keys()],
    demo,
    feeSchedule,
  }
}
