import type { CurrencyCode } from '@mitra/core'

export type ProviderName = 'stripe' | 'midtrans' | 'demo'

export const providerNames: readonly ProviderName[] = ['stripe', 'midtrans', 'demo']

/** One line of a checkout. Delivery and fees are lines too, so the lines add up to `total`. */
export interface CheckoutLine {
  id: string
  name: string
  /** Domain minor units (whole rupiah for IDR). */
  unitAmount: number
  quantity: number
}

export interface CheckoutRequest {
  orderId: string
  currency: CurrencyCode
  lines: CheckoutLine[]
  /** Domain minor units; must equal Σ unitAmount × quantity. */
  total: number
  customer?: { name?: string; email?: string; phone?: string }
  successUrl: string
  cancelUrl: string
  expiresAt: Date
  /** Stripe Connect transfer group, for the separate transfers to each party. */
  transferGroup?: string
  idempotencyKey: string
}

export interface CheckoutSession {
  provider: ProviderName
  sessionId: string
  redirectUrl: string
  expiresAt: Date
}

export type PaymentState =
  | 'pending'
  | 'paid'
  | 'failed'
  | 'expired'
  | 'canceled'
  | 'refunded'
  | 'partially_refunded'

export interface PaymentEvent {
  provider: ProviderName
  /** Stable per provider event: the same delivery repeated has the same id (dedupe on it). */
  eventId: string
  orderId: string
  state: PaymentState
  /** Domain minor units: the amount paid, or for refund states the amount refunded so far. */
  amount: number | null
  currency: CurrencyCode | null
  /** The provider's payment or transaction id, used for refunds. */
  paymentId: string | null
  fee: number | null
  occurredAt: Date
  raw: unknown
}

/**
 * How one refund stands, as the provider reports it in an event of its own (Stripe
 * `refund.updated`, `refund.failed`): a refund accepted as pending being made, or failing.
 */
export interface RefundEvent {
  provider: ProviderName
  eventId: string
  orderId: string
  /** The provider's id for the refund. */
  refundId: string
  /** Ours (`RefundRequest.reference`), when the refund was made through mitra. */
  reference: string | null
  state: RefundResult['state']
  occurredAt: Date
  raw: unknown
}

export function isRefundEvent(event: PaymentEvent | RefundEvent): event is RefundEvent {
  return 'refundId' in event
}

export interface PaymentStatus {
  orderId: string
  state: PaymentState
  /** As in `PaymentEvent`: paid, or refunded so far. */
  amount: number | null
  currency: CurrencyCode | null
  paymentId: string | null
  fee: number | null
}

export interface RefundRequest {
  orderId: string
  paymentId: string
  /** Domain minor units. */
  amount: number
  currency: CurrencyCode
  reason?: string
  idempotencyKey: string
  /** Our id for the refund, given back in the provider's refund events. */
  reference?: string
}

export interface RefundResult {
  refundId: string
  /** `pending`: accepted, but the money has not gone back yet (ask again with `fetchRefund`). */
  state: 'succeeded' | 'pending' | 'failed'
}

/** A refund the provider accepted: the request that made it, and the provider's id for it. */
export interface RefundRef extends RefundRequest {
  refundId: string
}

export interface WebhookRequest {
  rawBody: string
  headers: Headers
}

export interface PaymentProvider {
  readonly name: ProviderName
  createCheckout(request: CheckoutRequest): Promise<CheckoutSession>
  /**
   * Verifies the signature on the raw body, then normalizes. Forged/stale → MitraError
   * 'webhook_signature_invalid' (status 400), nothing else happens.
   */
  parseWebhook(request: WebhookRequest): Promise<PaymentEvent | RefundEvent>
  /**
   * How the checkout's payment stands. A session the provider does not know (or not for
   * this order) → MitraError 'not_found': nobody can pay it.
   */
  fetchStatus(ref: { orderId: string; sessionId: string }): Promise<PaymentStatus>
  /**
   * Closes an open checkout so it can take no payment (the order was canceled). Safe to call
   * again. Answers how the payment stands afterwards: `expired` or `canceled` when it can no
   * longer be paid, or what the provider had already (`paid`: the buyer paid first, and the
   * payment goes through the payment path). A session the provider does not know is closed.
   */
  expireCheckout(ref: { orderId: string; sessionId: string }): Promise<PaymentStatus>
  refund(request: RefundRequest): Promise<RefundResult>
  /** How a refund the provider accepted as pending stands now. Never refunds anything. */
  fetchRefund(ref: RefundRef): Promise<RefundResult>
}
