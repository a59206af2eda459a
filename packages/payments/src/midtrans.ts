import { createHash, timingSafeEqual } from 'node:crypto'
import {
  type CurrencyCode,
  fromMidtransAmount,
  MitraError,
  money,
  ProviderError,
  type RetryOptions,
  toMidtransAmount,
} from '@mitra/core'
import { z } from 'zod'
import {
  basicAuth,
  callProvider,
  checkCheckoutRequest,
  fetchJson,
  linesTotal,
  signatureInvalid,
} from './shared.js'
import type {
  CheckoutRequest,
  CheckoutSession,
  PaymentEvent,
  PaymentProvider,
  PaymentState,
  PaymentStatus,
  RefundRef,
  RefundRequest,
  RefundResult,
  WebhookRequest,
} from './types.js'

/** Snap (checkout pages) and Core API (status, refund) base URLs. */
export const midtransBaseUrls = {
  sandbox: {
    snap: 'https://app.sandbox.midtrans.com/snap/v1',
    api: 'https://api.sandbox.midtrans.com',
  },
  production: { snap: 'https://app.midtrans.com/snap/v1', api: 'https://api.midtrans.com' },
} as const

export interface MidtransProviderConfig {
  /** Server key: the Basic-auth user name and part of every notification signature. */
  serverKey: string
  /** Production or sandbox base URLs (default sandbox). */
  production?: boolean
  /** Overrides of the base URLs (tests, proxies). */
  snapBaseUrl?: string
  apiBaseUrl?: string
  /**
   * Sent as `X-Override-Notification` so this account's notifications reach a URL that
   * tells which account signed them. Unset: the URL set in the Midtrans dashboard.
   */
  notificationUrl?: string
  /** Per-request timeout (default 30 s; Midtrans itself waits 15 s for our webhook answer). */
  timeoutMs?: number
  retry?: RetryOptions
  now?: () => Date
}

const orderIdPattern = /^[A-Za-z0-9\-_.~]{1,50}$/
const refundKeyPattern = /^[A-Za-z0-9\-_]{1,50}$/
const maxNameLength = 50

/** `signature_key` of a notification: sha512 over the fields exactly as received. */
export function midtransSignature(
  orderId: string,
  statusCode: string,
  grossAmount: string,
  serverKey: string,
): string {
  return createHash('sha512')
    .update(orderId + statusCode + grossAmount + serverKey)
    .digest('hex')
}

/** A Midtrans HTTP notification body (the fields mitra reads). */
export const midtransNotificationSchema = z.object({
  order_id: z.string().min(1),
  status_code: z.string().min(1),
  gross_amount: z.string().min(1),
  signature_key: z.string().min(1),
})

/** What the status API answers (the fields we use). */
const statusSchema = z.object({
  status_code: z.string(),
  transaction_id: z.string().optional(),
  transaction_status: z.string().optional(),
  transaction_time: z.string().optional(),
  settlement_time: z.string().optional(),
  order_id: z.string().optional(),
  gross_amount: z.string().optional(),
  currency: z.string().optional(),
  fraud_status: z.string().optional(),
  refund_amount: z.string().optional(),
  status_message: z.string().optional(),
  /** Every refund Midtrans has approved, under the `refund_key` it was asked with. */
  refunds: z.array(z.object({ refund_key: z.string().optional() }).passthrough()).optional(),
})

type MidtransStatus = z.infer<typeof statusSchema>

/**
 * Midtrans `transaction_status` (+ `fraud_status`) → our state. Paid means settled, or a
 * card capture the fraud check accepted; a capture under review waits.
 */
export function midtransState(transactionStatus: string, fraudStatus?: string): PaymentState {
  switch (transactionStatus) {
    case 'capture':
      return fraudStatus === 'accept' ? 'paid' : fraudStatus === 'deny' ? 'failed' : 'pending'
    case 'settlement':
      return 'paid'
    case 'pending':
    case 'authorize':
      return 'pending'
    case 'deny':
    case 'failure':
      return 'failed'
    case 'cancel':
      return 'canceled'
    case 'expire':
      return 'expired'
    // A chargeback takes the money back like a refund does.
    case 'refund':
    case 'chargeback':
      return 'refunded'
    case 'partial_refund':
    case 'partial_chargeback':
      return 'partially_refunded'
    default:
      throw new MitraError('provider_rejected', `Midtrans status '${transactionStatus}' is unknown`)
  }
}

/** Midtrans times are `YYYY-MM-DD HH:mm:ss` in Jakarta time (UTC+7). */
function parseJakartaTime(text: string | undefined): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text ?? '')
  if (match === null) return null
  const date = new Date(`${match[1]}T${match[2]}+07:00`)
  return Number.isNaN(date.getTime()) ? null : date
}

/** Snap's `expiry.start_time`: `yyyy-MM-dd HH:mm:ss +0700`. */
function jakartaTimestamp(date: Date): string {
  const shifted = new Date(date.getTime() + 7 * 3_600_000).toISOString()
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)} +0700`
}

/** Refund keys allow fewer characters than idempotency keys: hash a key that does not fit. */
function refundKeyOf(idempotencyKey: string): string {
  if (refundKeyPattern.test(idempotencyKey)) return idempotencyKey
  return `rk-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8')
  const right = Buffer.from(b, 'utf8')
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Midtrans also reports failures in the body's `status_code` (with HTTP 200 at times). */
function bodyStatus(body: unknown): number | null {
  if (typeof body !== 'object' || body === null) return null
  const code = (body as { status_code?: unknown }).status_code
  const parsed = typeof code === 'string' || typeof code === 'number' ? Number(code) : Number.NaN
  return Number.isInteger(parsed) ? parsed : null
}

function splitName(name: string | undefined): { first_name?: string; last_name?: string } {
  const trimmed = name?.trim() ?? ''
  if (trimmed === '') return {}
  const space = trimmed.indexOf(' ')
  if (space < 0) return { first_name: trimmed }
  return { first_name: trimmed.slice(0, space), last_name: trimmed.slice(space + 1).trim() }
}

/**
 * Midtrans Snap for checkout, Core API for status and refunds. Plain `fetch` rather than
 * `midtrans-client`: we need our own timeouts, retries with one idempotency key and our own
 * signature check, and the client offers none of these (nor types).
 */
export class MidtransPaymentProvider implements PaymentProvider {
  readonly name = 'midtrans' as const
  readonly #config: MidtransProviderConfig
  readonly #snap: string
  readonly #api: string
  readonly #now: () => Date

  constructor(config: MidtransProviderConfig) {
    this.#config = config
    const urls = config.production === true ? midtransBaseUrls.production : midtransBaseUrls.sandbox
    this.#snap = (config.snapBaseUrl ?? urls.snap).replace(/\/+$/, '')
    this.#api = (config.apiBaseUrl ?? urls.api).replace(/\/+$/, '')
    this.#now = config.now ?? (() => new Date())
  }

  #headers(idempotencyKey?: string): Record<string, string> {
    return {
      authorization: basicAuth(this.#config.serverKey),
      ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
    }
  }

  async createCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
    checkCheckoutRequest(request, this.#now())
    if (!orderIdPattern.test(request.orderId)) {
      throw new MitraError(
        'validation_failed',
        'Midtrans order ids are 1–50 of A-Z a-z 0-9 - _ . ~',
        {
          errors: [
            { path: 'order_id', code: 'invalid_string', message: 'not a Midtrans order_id' },
          ],
        },
      )
    }
    const grossAmount = toMidtransAmount(money(request.total, request.currency))
    const items = request.lines.map((line) => ({
      id: line.id.slice(0, 50),
      price: toMidtransAmount(money(line.unitAmount, request.currency)),
      quantity: line.quantity,
      name: line.name.slice(0, maxNameLength),
    }))
    // Midtrans rejects a request whose items do not add up; say so before sending it.
    const itemsTotal = linesTotal(items.map((i) => ({ unitAmount: i.price, quantity: i.quantity })))
    if (itemsTotal !== BigInt(grossAmount)) {
      throw new MitraError(
        'checkout_amount_mismatch',
        `Midtrans items add up to ${itemsTotal}, gross_amount is ${grossAmount}`,
      )
    }
    const now = this.#now()
    const minutes = Math.max(1, Math.ceil((request.expiresAt.getTime() - now.getTime()) / 60_000))
    const customer = request.customer
    const body = {
      transaction_details: { order_id: request.orderId, gross_amount: grossAmount },
      item_details: items,
      ...(customer === undefined
        ? {}
        : {
            customer_details: {
              ...splitName(customer.name),
              ...(customer.email === undefined ? {} : { email: customer.email }),
              ...(customer.phone === undefined ? {} : { phone: customer.phone }),
            },
          }),
      // Snap has no cancel URL; unfinished and error pages come from the dashboard.
      callbacks: { finish: request.successUrl },
      expiry: { start_time: jakartaTimestamp(now), unit: 'minute', duration: minutes },
    }
    const headers = this.#headers(request.idempotencyKey)
    if (this.#config.notificationUrl !== undefined) {
      headers['x-override-notification'] = this.#config.notificationUrl
    }
    const answer = await callProvider(
      'midtrans',
      'snap transactions',
      async () => {
        const { status, body: json } = await fetchJson(
          'Midtrans Snap',
          `${this.#snap}/transactions`,
          { method: 'POST', headers, body },
          this.#config.timeoutMs ?? 30_000,
        )
        const parsed = z.object({ token: z.string(), redirect_url: z.string() }).safeParse(json)
        if (status >= 300 || !parsed.success) {
          const messages = (json as { error_messages?: unknown } | null)?.error_messages
          throw new ProviderError(
            `Snap answered ${status}: ${JSON.stringify(messages ?? json).slice(0, 300)}`,
            { transient: false, status },
          )
        }
        return parsed.data
      },
      this.#config.retry,
    )
    return {
      provider: 'midtrans',
      sessionId: answer.token,
      redirectUrl: answer.redirect_url,
      expiresAt: new Date(now.getTime() + minutes * 60_000),
    }
  }

  /** `GET /v2/{order_id}/status`; null when Midtrans has no transaction for the order yet. */
  async #status(orderId: string): Promise<MidtransStatus | null> {
    return callProvider(
      'midtrans',
      'status',
      async () => {
        const { status, body } = await fetchJson(
          'Midtrans status',
          `${this.#api}/v2/${encodeURIComponent(orderId)}/status`,
          { method: 'GET', headers: this.#headers() },
          this.#config.timeoutMs ?? 30_000,
        )
        const code = bodyStatus(body) ?? status
        // A Snap order has no transaction until the buyer picks a payment method.
        if (status === 404 || code === 404) return null
        if (code >= 500) {
          throw new ProviderError(`Midtrans status answered ${code}`, {
            transient: true,
            status: code,
          })
        }
        // 407 is how the status API reports an expired transaction, not an error.
        if (status >= 400 || (code >= 400 && code !== 407)) {
          throw new ProviderError(`Midtrans status answered ${code}: ${JSON.stringify(body)}`, {
            transient: false,
            status: code,
          })
        }
        const parsed = statusSchema.safeParse(body)
        if (!parsed.success || parsed.data.transaction_status === undefined) {
          throw new ProviderError('Midtrans status answered without a transaction_status', {
            transient: false,
            status,
          })
        }
        return parsed.data
      },
      this.#config.retry,
    )
  }

  #normalize(orderId: string, answer: MidtransStatus | null): PaymentStatus & { at: Date | null } {
    if (answer === null) {
      return {
        orderId,
        state: 'pending',
        amount: null,
        currency: null,
        paymentId: null,
        fee: null,
        at: null,
      }
    }
    const state = midtransState(answer.transaction_status as string, answer.fraud_status)
    const refunded = state === 'refunded' || state === 'partially_refunded'
    const amountText = refunded
      ? (answer.refund_amount ?? answer.gross_amount)
      : answer.gross_amount
    const currency = money(0, answer.currency ?? 'IDR').currency as CurrencyCode
    return {
      orderId,
      state,
      amount: amountText === undefined ? null : fromMidtransAmount(amountText).amount,
      currency,
      paymentId: answer.transaction_id ?? null,
      // Midtrans reports no fee per transaction.
      fee: null,
      at: parseJakartaTime(answer.settlement_time) ?? parseJakartaTime(answer.transaction_time),
    }
  }

  /**
   * Checks `signature_key` ourselves (constant time), then asks the status API: the state
   * comes from Midtrans's answer, never from the notification, so a replayed or stale
   * notification cannot claim more than Midtrans says now.
   */
  async parseWebhook({ rawBody }: WebhookRequest): Promise<PaymentEvent> {
    let json: unknown
    try {
      json = JSON.parse(rawBody)
    } catch (error) {
      throw signatureInvalid('midtrans', 'the notification is not JSON', error)
    }
    const parsed = midtransNotificationSchema.safeParse(json)
    if (!parsed.success) {
      throw signatureInvalid('midtrans', 'the notification has no signature_key')
    }
    const note = parsed.data
    const expected = midtransSignature(
      note.order_id,
      note.status_code,
      note.gross_amount,
      this.#config.serverKey,
    )
    if (!sameText(expected, note.signature_key.trim().toLowerCase())) {
      throw signatureInvalid('midtrans', 'the signature_key does not verify')
    }
    const answer = await this.#status(note.order_id)
    if (answer === null) {
      throw new MitraError('conflict', `Midtrans has no transaction for order ${note.order_id}`)
    }
    if (answer.order_id !== undefined && answer.order_id !== note.order_id) {
      throw new MitraError('provider_rejected', 'Midtrans status answered for another order')
    }
    const status = this.#normalize(note.order_id, answer)
    // Midtrans gives notifications no id. What identifies the fact is the transaction, its
    // status and status code, and for refunds the amount refunded so far; all from the
    // confirmed answer, so repeated notifications of one fact share an id.
    const eventId = [
      'midtrans',
      answer.transaction_id ?? note.order_id,
      answer.transaction_status,
      answer.status_code,
      answer.refund_amount ?? '',
    ].join(':')
    return {
      provider: 'midtrans',
      eventId,
      orderId: status.orderId,
      state: status.state,
      amount: status.amount,
      currency: status.currency,
      paymentId: status.paymentId,
      fee: status.fee,
      occurredAt: status.at ?? this.#now(),
      raw: { notification: json, status: answer },
    }
  }

  async fetchStatus(ref: { orderId: string; sessionId: string }): Promise<PaymentStatus> {
    const { at: _at, ...status } = this.#normalize(ref.orderId, await this.#status(ref.orderId))
    return status
  }

  /**
   * `POST /v2/{order_id}/expire`: a pending transaction can be paid no more (407). One
   * already past pending (412: settled, or closed already) or not started yet (404: the
   * buyer never chose a method in Snap) is left as it is; the status then tells how it
   * stands. A Snap page without a transaction can still start one until its own expiry,
   * so its status stays `pending`: a payment made there comes as a late one.
   */
  async expireCheckout(ref: { orderId: string; sessionId: string }): Promise<PaymentStatus> {
    await callProvider(
      'midtrans',
      'expire',
      async () => {
        const { status, body } = await fetchJson(
          'Midtrans expire',
          `${this.#api}/v2/${encodeURIComponent(ref.orderId)}/expire`,
          { method: 'POST', headers: this.#headers() },
          this.#config.timeoutMs ?? 30_000,
        )
        const code = bodyStatus(body) ?? status
        if (code >= 500) {
          throw new ProviderError(`Midtrans expire answered ${code}`, {
            transient: true,
            status: code,
          })
        }
        if (code !== 200 && code !== 407 && code !== 404 && code !== 412) {
          const message = (body as { status_message?: unknown } | null)?.status_message
          throw new ProviderError(`Midtrans expire answered ${code}: ${String(message ?? '')}`, {
            transient: false,
            status: code,
          })
        }
      },
      this.#config.retry,
    )
    return this.fetchStatus(ref)
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const amount = toMidtransAmount(money(request.amount, request.currency))
    const refundKey = refundKeyOf(request.idempotencyKey)
    const body = {
      refund_key: refundKey,
      amount,
      ...(request.reason === undefined ? {} : { reason: request.reason.slice(0, 255) }),
    }
    return callProvider(
      'midtrans',
      'refund',
      async () => {
        const { status, body: json } = await fetchJson(
          'Midtrans refund',
          `${this.#api}/v2/${encodeURIComponent(request.orderId)}/refund`,
          { method: 'POST', headers: this.#headers(request.idempotencyKey), body },
          this.#config.timeoutMs ?? 30_000,
        )
        const code = bodyStatus(json) ?? status
        if (code >= 500) {
          throw new ProviderError(`Midtrans refund answered ${code}`, {
            transient: true,
            status: code,
          })
        }
        if (status >= 400 || code >= 400) {
          const message = (json as { status_message?: unknown } | null)?.status_message
          throw new ProviderError(`Midtrans refund answered ${code}: ${String(message ?? '')}`, {
            transient: false,
            status: code,
          })
        }
        const answer = z
          .object({ refund_key: z.string().optional(), transaction_status: z.string().optional() })
          .safeParse(json)
        const transactionStatus = answer.success ? answer.data.transaction_status : undefined
        // 200 with refund/partial_refund: done; anything else accepted is still on its way.
        const done =
          code === 200 && (transactionStatus === 'refund' || transactionStatus === 'partial_refund')
        return {
          refundId: (answer.success ? answer.data.refund_key : undefined) ?? refundKey,
          state: done ? 'succeeded' : 'pending',
        } satisfies RefundResult
      },
      this.#config.retry,
    )
  }

  /**
   * Midtrans has no refund lookup; a refund it has approved is listed in the transaction's
   * status under its `refund_key`. Until it is, the refund is still on its way: Midtrans
   * reports no refund as failed there.
   */
  async fetchRefund(ref: RefundRef): Promise<RefundResult> {
    const refundKey = refundKeyOf(ref.idempotencyKey)
    const answer = await this.#status(ref.orderId)
    const approved = answer?.refunds?.some((refund) => refund.refund_key === refundKey) ?? false
    return { refundId: ref.refundId, state: approved ? 'succeeded' : 'pending' }
  }
}

export function createMidtransProvider(config: MidtransProviderConfig): MidtransPaymentProvider {
  return new MidtransPaymentProvider(config)
}
