import { MitraError, type Money, toStripeAmount } from '@mitra/core'
import { stripeProviderError } from '@mitra/payments'
import Stripe from 'stripe'

/** Stripe Connect, separate charges and transfers: the platform transfers to `acct_…`. */
export interface StripeTransferConfig {
  /** Secret key (`sk_…` or a restricted `rk_…` key with Transfers write). */
  apiKey: string
  /** Signing secret of the webhook endpoint (`whsec_…`). */
  webhookSecret: string
  /** API host, port and protocol (default `api.stripe.com`, 443, https): a mock in tests. */
  host?: string
  port?: number
  protocol?: 'http' | 'https'
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number
}

const clients = new WeakMap<StripeTransferConfig, Stripe>()

/** The Stripe client for a config (one per config object). Retries are ours, not the SDK's. */
export function stripeClient(config: StripeTransferConfig): Stripe {
  let client = clients.get(config)
  if (client === undefined) {
    client = new Stripe(config.apiKey, {
      maxNetworkRetries: 0,
      timeout: config.timeoutMs ?? 30_000,
      ...(config.host === undefined ? {} : { host: config.host }),
      ...(config.port === undefined ? {} : { port: config.port }),
      ...(config.protocol === undefined ? {} : { protocol: config.protocol }),
    })
    clients.set(config, client)
  }
  return client
}

export interface StripeTransferRequest {
  amount: Money
  destination: string
  transferGroup: string
  sourceTransaction?: string | undefined
  idempotencyKey: string
  metadata: Record<string, string>
}

/**
 * `transfers.create` with our amount in Stripe's units (IDR is two-decimal in Stripe's API,
 * so Rp150.000 is 15000000) and the currency in lower case.
 */
export async function createStripeTransfer(
  config: StripeTransferConfig,
  request: StripeTransferRequest,
): Promise<Stripe.Transfer> {
  const params: Stripe.TransferCreateParams = {
    amount: toStripeAmount(request.amount),
    currency: request.amount.currency.toLowerCase(),
    destination: request.destination,
    transfer_group: request.transferGroup,
    metadata: request.metadata,
  }
  if (request.sourceTransaction !== undefined) {
    params.source_transaction = request.sourceTransaction
  }
  try {
    return await stripeClient(config).transfers.create(params, {
      idempotencyKey: request.idempotencyKey,
    })
  } catch (error) {
    throw stripeProviderError(error, 'Stripe: ')
  }
}

/**
 * Verifies a webhook with the endpoint secret over the raw body (not parsed JSON). A
 * missing or forged signature, or one older than the tolerance, is a 401.
 */
export async function verifyStripeEvent(
  config: StripeTransferConfig,
  rawBody: string | Buffer,
  signature: string | null | undefined,
): Promise<Stripe.Event> {
  if (signature === null || signature === undefined || signature === '') {
    throw new MitraError('unauthorized', 'The Stripe-Signature header is missing')
  }
  try {
    return await stripeClient(config).webhooks.constructEventAsync(
      rawBody,
      signature,
      config.webhookSecret,
    )
  } catch (error) {
    throw new MitraError('unauthorized', 'The Stripe-Signature does not verify', { cause: error })
  }
}
