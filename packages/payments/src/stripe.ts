import {
  type CurrencyCode,
  fromStripeAmount,
  isTransientStatus,
  MitraError,
  money,
  ProviderError,
  type RetryOptions,
  toStripeAmount,
} from '@mitra/core'
import Stripe from 'stripe'
import {
  callProvider,
  checkCheckoutRequest,
  closedStatus,
  signatureInvalid,
  unknownSession,
} from './shared.js'
import type {
  CheckoutRequest,
  CheckoutSession,
  PaymentEvent,
  PaymentProvider,
  PaymentState,
  PaymentStatus,
  RefundEvent,
  RefundRef,
  RefundRequest,
  RefundResult,
  WebhookRequest,
} from './types.js'

export interface StripeProviderConfig {
  /** Secret key (`sk_…`, or a restricted `rk_…` key with Checkout and Refunds write). */
  secretKey: string
  /** Signing secret of the webhook endpoint (`whsec_…`). */
  webhookSecret: string
  /** API host, port and protocol (default `api.stripe.com`, 443, https). */
  host?: string
  port?: number
  protocol?: 'http' | 'https'
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number
  retry?: RetryOptions
  now?: () => Date
}

/** Stripe refuses more line items than this in one Checkout Session. */
const maxLineItems = 100
/** Checkout Sessions live 30 minutes to 24 hours; a minute of margin on each side. */
const minLifetimeMs = 31 * 60_000
const maxLifetimeMs = 24 * 3_600_000 - 60_000
/** Signature age limit for webhooks. */
const toleranceSeconds = 300

/**
 * A Stripe SDK error as a `ProviderError`: a dropped connection, a 5xx, 429 or 408, and a
 * 409 are worth another try (`transient`); any other answer is Stripe saying no. Shared by
 * checkout and payouts (`@mitra/revenue-share`), which both call Stripe.
 */
export function stripeProviderError(error: unknown, label = ''): ProviderError {
  if (error instanceof Stripe.errors.StripeError) {
    const status = error.statusCode
    const transient =
      error instanceof Stripe.errors.StripeConnectionError ||
      status === undefined ||
      isTransientStatus(status) ||
      // A conflict (another request with this idempotency key still running, a lock on the
      // object) is Stripe's "try again": nothing was done and nothing saved for the key.
      status === 409
    const code = error.code === undefined ? '' : ` (${error.code})`
    return new ProviderError(`${label}${error.message}${code}`, {
      transient,
      ...(status === undefined ? {} : { status }),
      cause: error,
    })
  }
  const message = error instanceof Error ? error.message : String(error)
  return new ProviderError(`${label}${message}`, { transient: true, cause: error })
}

/** Stripe answered 404: it has no such object. */
function isMissing(error: unknown): boolean {
  return (
    error instanceof MitraError &&
    error.code === 'provider_rejected' &&
    error.extensions.providerStatus === 404
  )
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null
  return typeof value === 'string' ? value : value.id
}

function currencyOf(stripeCurrency: string | null | undefined): CurrencyCode | null {
  if (stripeCurrency === null || stripeCurrency === undefined) return null
  return money(0, stripeCurrency.toUpperCase()).currency
}

function domainAmount(amount: number | null | undefined, currency: string | null | undefined) {
  if (amount === null || amount === undefined || currency === null || currency === undefined) {
    return null
  }
  return fromStripeAmount(amount, currency).amount
}

/** `pending` and `requires_action` are still on their way; `canceled` never happens now. */
function refundResult(refund: Stripe.Refund): RefundResult {
  const state =
    refund.status === 'succeeded'
      ? 'succeeded'
      : refund.status === 'failed' || refund.status === 'canceled'
        ? 'failed'
        : 'pending'
  return { refundId: refund.id, state }
}

function refundState(charge: Stripe.Charge): PaymentState {
  return charge.refunded || charge.amount_refunded >= charge.amount
    ? 'refunded'
    : 'partially_refunded'
}

/**
 * The fee from a charge's balance transaction, when it is in the charge's currency (a fee
 * settled in another currency is not comparable with our amounts).
 */
function feeOf(charge: Stripe.Charge | null): number | null {
  const txn = charge?.balance_transaction
  if (charge === null || txn === null || txn === undefined || typeof txn === 'string') return null
  if (txn.currency !== charge.currency) return null
  return fromStripeAmount(txn.fee, txn.currency).amount
}

/** Stripe Checkout (mode payment) with separate charges and transfers for Connect. */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const
  readonly #config: StripeProviderConfig
  readonly #stripe: Stripe
  readonly #now: () => Date

  constructor(config: StripeProviderConfig) {
    this.#config = config
    this.#now = config.now ?? (() => new Date())
    // Retries are ours (withRetries), so every attempt carries our idempotency key.
    this.#stripe = new Stripe(config.secretKey, {
      maxNetworkRetries: 0,
      // fetch: one timeout for the whole request, so a slow answer cannot stall a checkout.
      // Looked up per call, so a fetch patched later (tracing, mocks) is the one used.
      httpClient: Stripe.createFetchHttpClient((input, init) => fetch(input, init)),
      timeout: config.timeoutMs ?? 30_000,
      ...(config.host === undefined ? {} : { host: config.host }),
      ...(config.port === undefined ? {} : { port: config.port }),
      ...(config.protocol === undefined ? {} : { protocol: config.protocol }),
    })
  }

  #call<T>(what: string, call: () => Promise<T>): Promise<T> {
    return callProvider(
      'stripe',
      what,
      async () => {
        try {
          return await call()
        } catch (error) {
          throw stripeProviderError(error)
        }
      },
      this.#config.retry,
    )
  }

  async createCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
    const now = this.#now()
    checkCheckoutRequest(request, now)
    if (request.lines.length > maxLineItems) {
      throw new MitraError('validation_failed', `Stripe takes at most ${maxLineItems} lines`, {
        errors: [{ path: 'lines', code: 'too_big', message: `at most ${maxLineItems} lines` }],
      })
    }
    const currency = request.currency.toLowerCase()
    const lineItems = request.lines.map((line, index) => {
      if (line.unitAmount < 0) {
        throw new MitraError('validation_failed', 'Stripe Checkout takes no negative lines', {
          errors: [
            { path: `lines.${index}.unit_amount`, code: 'too_small', message: 'must be ≥ 0' },
          ],
        })
      }
      return {
        quantity: line.quantity,
        price_data: {
          currency,
          // IDR is whole rupiah for us and two-decimal in Stripe's API.
          unit_amount: toStripeAmount(money(line.unitAmount, request.currency)),
          product_data: { name: line.name, metadata: { line_id: line.id } },
        },
      }
    })
    // Stripe only takes 30 min … 24 h; the session reports the expiry it really has.
    const expiresMs = Math.min(
      Math.max(request.expiresAt.getTime(), now.getTime() + minLifetimeMs),
      now.getTime() + maxLifetimeMs,
    )
    const metadata = { order_id: request.orderId }
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      line_items: lineItems,
      success_url: request.successUrl,
      cancel_url: request.cancelUrl,
      client_reference_id: request.orderId,
      metadata,
      expires_at: Math.floor(expiresMs / 1000),
      payment_intent_data: {
        metadata,
        ...(request.transferGroup === undefined ? {} : { transfer_group: request.transferGroup }),
      },
      ...(request.customer?.email === undefined ? {} : { customer_email: request.customer.email }),
    }
    const session = await this.#call('checkout.sessions.create', () =>
      this.#stripe.checkout.sessions.create(params, { idempotencyKey: request.idempotencyKey }),
    )
    if (session.url === null) {
      throw new MitraError('provider_rejected', 'Stripe returned a Checkout Session with no url')
    }
    return {
      provider: 'stripe',
      sessionId: session.id,
      redirectUrl: session.url,
      expiresAt: new Date(session.expires_at * 1000),
    }
  }

  async parseWebhook({ rawBody, headers }: WebhookRequest): Promise<PaymentEvent | RefundEvent> {
    const signature = headers.get('stripe-signature')
    if (signature === null || signature === '') {
      throw signatureInvalid('stripe', 'the Stripe-Signature header is missing')
    }
    let event: Stripe.Event
    try {
      event = await this.#stripe.webhooks.constructEventAsync(
        rawBody,
        signature,
        this.#config.webhookSecret,
        toleranceSeconds,
      )
    } catch (error) {
      throw signatureInvalid('stripe', 'the Stripe-Signature does not verify', error)
    }
    const base = { provider: 'stripe' as const, eventId: event.id, raw: event }
    const occurredAt = new Date(event.created * 1000)
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
      case 'checkout.session.async_payment_failed':
      case 'checkout.session.expired': {
        const session = event.data.object
        let state: PaymentState
        if (event.type === 'checkout.session.expired') state = 'expired'
        else if (event.type === 'checkout.session.async_payment_failed') state = 'failed'
        else if (event.type === 'checkout.session.async_payment_succeeded') state = 'paid'
        // Completed but unpaid: a delayed method (bank transfer …) that settles later.
        else state = session.payment_status === 'unpaid' ? 'pending' : 'paid'
        const orderId = this.#orderIdOf(session)
        return {
          ...base,
          orderId,
          state,
          amount: domainAmount(session.amount_total, session.currency),
          currency: currencyOf(session.currency),
          paymentId: idOf(session.payment_intent),
          // The event carries no fee; the split needs it, so a paid session asks once.
          fee:
            state === 'paid'
              ? (await this.fetchStatus({ orderId, sessionId: session.id })).fee
              : null,
          occurredAt,
        }
      }
      case 'charge.refunded': {
        const charge = event.data.object
        return {
          ...base,
          orderId: await this.#orderIdOfPayment(charge.metadata, charge.payment_intent, charge.id),
          state: refundState(charge),
          // For refunds, the amount is what has been refunded so far, so replays agree.
          amount: domainAmount(charge.amount_refunded, charge.currency),
          currency: currencyOf(charge.currency),
          paymentId: idOf(charge.payment_intent) ?? charge.id,
          fee: null,
          occurredAt,
        }
      }
      // `charge.refund.updated` is the older name of `refund.updated`, sent for fewer methods.
      // `refund.created` settles one whose answer was lost on the way back.
      case 'refund.created':
      case 'refund.updated':
      case 'refund.failed':
      case 'charge.refund.updated': {
        const refund = event.data.object
        const reference = refund.metadata?.refund_id
        return {
          ...base,
          orderId: await this.#orderIdOfPayment(refund.metadata, refund.payment_intent, refund.id),
          refundId: refund.id,
          reference: reference === undefined || reference === '' ? null : reference,
          state: refundResult(refund).state,
          occurredAt,
        }
      }
      default:
        throw new MitraError(
          'webhook_event_ignored',
          `Stripe event ${event.type} is not one mitra acts on`,
          { extensions: { provider: 'stripe', eventId: event.id, eventType: event.type } },
        )
    }
  }

  #orderIdOf(session: Stripe.Checkout.Session): string {
    const orderId = session.metadata?.order_id ?? session.client_reference_id
    if (orderId === null || orderId === undefined || orderId === '') {
      throw new MitraError('invalid_request', `Checkout Session ${session.id} names no order`)
    }
    return orderId
  }

  /**
   * A charge's or refund's order: its own metadata, else its PaymentIntent's (where we put
   * it; a refund made in the dashboard has none of its own).
   */
  async #orderIdOfPayment(
    metadata: Stripe.Metadata | null | undefined,
    paymentIntent: string | Stripe.PaymentIntent | null,
    id: string,
  ): Promise<string> {
    const own = metadata?.order_id
    if (own !== undefined && own !== '') return own
    const intentId = idOf(paymentIntent)
    if (intentId !== null) {
      const intent = await this.#call('paymentIntents.retrieve', () =>
        this.#stripe.paymentIntents.retrieve(intentId),
      )
      const orderId = intent.metadata?.order_id
      if (orderId !== undefined && orderId !== '') return orderId
    }
    throw new MitraError('invalid_request', `${id} names no order`)
  }

  async fetchStatus(ref: { orderId: string; sessionId: string }): Promise<PaymentStatus> {
    const session = await this.#call('checkout.sessions.retrieve', () =>
      this.#stripe.checkout.sessions.retrieve(ref.sessionId, {
        expand: ['payment_intent.latest_charge.balance_transaction'],
      }),
    ).catch((error: unknown) => {
      throw isMissing(error) ? unknownSession('stripe', ref.sessionId, ref.orderId) : error
    })
    if (this.#orderIdOf(session) !== ref.orderId) {
      throw unknownSession('stripe', ref.sessionId, ref.orderId)
    }
    const intent =
      session.payment_intent !== null && typeof session.payment_intent === 'object'
        ? session.payment_intent
        : null
    const charge =
      intent?.latest_charge !== null && typeof intent?.latest_charge === 'object'
        ? intent.latest_charge
        : null
    let state: PaymentState
    if (session.status === 'expired') state = 'expired'
    else if (session.status === 'open') state = 'pending'
    else if (charge !== null && charge.amount_refunded > 0) state = refundState(charge)
    else if (session.payment_status !== 'unpaid') state = 'paid'
    // A completed, unpaid session whose PaymentIntent gave up: the delayed payment failed.
    else if (intent?.status === 'canceled' || intent?.status === 'requires_payment_method') {
      state = 'failed'
    } else state = 'pending'
    const refunding = state === 'refunded' || state === 'partially_refunded'
    return {
      orderId: ref.orderId,
      state,
      // As in refund events: what has been refunded so far.
      amount: refunding
        ? domainAmount(charge?.amount_refunded, charge?.currency)
        : domainAmount(session.amount_total, session.currency),
      currency: currencyOf(session.currency),
      paymentId: idOf(session.payment_intent),
      fee: feeOf(charge),
    }
  }

  /**
   * `checkout.sessions.expire`, which Stripe allows only while the session is open. Any
   * other session (completed: paid or paying; expired already; unknown) is refused, and
   * its status tells how it stands.
   */
  async expireCheckout(ref: { orderId: string; sessionId: string }): Promise<PaymentStatus> {
    try {
      const session = await this.#call('checkout.sessions.expire', () =>
        this.#stripe.checkout.sessions.expire(ref.sessionId),
      )
      if (session.status === 'expired') return closedStatus(ref.orderId, 'expired')
    } catch (error) {
      if (!(error instanceof MitraError) || error.code !== 'provider_rejected') throw error
    }
    try {
      return await this.fetchStatus(ref)
    } catch (error) {
      // Stripe knows no such session of this order: nobody can pay it.
      if (error instanceof MitraError && error.code === 'not_found') {
        return closedStatus(ref.orderId, 'expired')
      }
      throw error
    }
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const refund = await this.#call('refunds.create', () =>
      this.#stripe.refunds.create(
        {
          payment_intent: request.paymentId,
          amount: toStripeAmount(money(request.amount, request.currency)),
          // Stripe's `reason` is an enum; our free text goes to metadata.
          metadata: {
            order_id: request.orderId,
            ...(request.reference === undefined ? {} : { refund_id: request.reference }),
            ...(request.reason === undefined ? {} : { reason: request.reason.slice(0, 500) }),
          },
        },
        { idempotencyKey: request.idempotencyKey },
      ),
    )
    return refundResult(refund)
  }

  async fetchRefund(ref: RefundRef): Promise<RefundResult> {
    const refund = await this.#call('refunds.retrieve', () =>
      this.#stripe.refunds.retrieve(ref.refundId),
    )
    if (idOf(refund.payment_intent) !== ref.paymentId) {
      throw new MitraError('not_found', `Refund ${ref.refundId} is not of ${ref.paymentId}`)
    }
    return refundResult(refund)
  }
}

export function createStripeProvider(config: StripeProviderConfig): StripePaymentProvider {
  return new StripePaymentProvider(config)
}
