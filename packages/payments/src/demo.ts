import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { fieldError, formatMoney, MitraError, money } from '@mitra/core'
import { z } from 'zod'
import {
  defaultFeeSchedule,
  type FeeSchedule,
  type FeeScheduleInput,
  isPaymentMethod,
  type PaymentMethod,
  parseFeeSchedule,
  paymentFeeOf,
  paymentMethods,
} from './fees.js'
import { checkCheckoutRequest, closedStatus, signatureInvalid } from './shared.js'
import type {
  CheckoutLine,
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

/*
 * DEMO — no real money. A keyless provider that runs the same flow as a real one inside the
 * process, so a storefront works end to end with no provider account.
 */

export const demoSignatureHeader = 'Mitra-Demo-Signature'
const toleranceSeconds = 300

export interface DemoSession {
  readonly sessionId: string
  readonly orderId: string
  /** The checkout request's key: the same key opens no second session. */
  readonly idempotencyKey: string
  readonly currency: CheckoutRequest['currency']
  readonly lines: readonly CheckoutLine[]
  readonly total: number
  readonly successUrl: string
  readonly cancelUrl: string
  readonly expiresAt: Date
  state: PaymentState
  paymentId: string | null
  /** How the buyer paid, once paid. */
  method: PaymentMethod | null
  /** What the "provider" kept of the payment, once paid: the schedule's fee for the method. */
  fee: number | null
  refunded: number
  /** The webhook of the last change, so a repeated click gets the same event. */
  lastWebhook: DemoWebhook | null
}

export interface DemoWebhook {
  body: string
  headers: Record<string, string>
  /** Where to send the buyer next (the success or cancel URL). */
  redirectUrl: string
}

/** A refund the demo bank made, under the request's idempotency key. */
export interface DemoRefund {
  readonly idempotencyKey: string
  readonly refundId: string
  readonly paymentId: string
  readonly amount: number
  /** The buyer's bank sent it back (`failRefund`). */
  failed: boolean
}

/**
 * One consistent view of the demo bank's records, for the length of a `transaction`: the
 * sessions read are locked until it ends, and what is saved is kept together or not at all.
 */
export interface DemoBankTransaction {
  session(sessionId: string): Promise<DemoSession | undefined>
  sessionByPayment(paymentId: string): Promise<DemoSession | undefined>
  /** Open sessions whose time is up (not already locked by another transaction). */
  dueSessions(now: Date, limit: number): Promise<DemoSession[]>
  /** Adds the session, or answers the one opened before under its idempotency key. */
  insertSession(session: DemoSession): Promise<DemoSession>
  saveSession(session: DemoSession): Promise<void>
  refund(idempotencyKey: string): Promise<DemoRefund | undefined>
  refundById(refundId: string): Promise<DemoRefund | undefined>
  saveRefund(refund: DemoRefund): Promise<void>
}

/**
 * Where a `DemoBank` keeps its records. `MemoryDemoBankStore` (here, for tests) forgets them
 * with the process; the running server keeps them in its database (`@mitra/checkout`'s
 * `databaseDemoBank`), so a restart strands no session and every instance sees the same.
 */
export interface DemoBankStore {
  transaction<T>(work: (tx: DemoBankTransaction) => Promise<T>): Promise<T>
}

/** Records as values: a caller that changes one changes nothing until it saves it. */
const copyOf = <T>(value: T): T => structuredClone(value)

/**
 * The demo bank's records in this process's memory, one transaction at a time. For tests
 * and for a server without a database.
 */
export class MemoryDemoBankStore implements DemoBankStore {
  readonly #sessions = new Map<string, DemoSession>()
  readonly #refunds = new Map<string, DemoRefund>()
  #queue: Promise<unknown> = Promise.resolve()

  transaction<T>(work: (tx: DemoBankTransaction) => Promise<T>): Promise<T> {
    const sessions = this.#sessions
    const refunds = this.#refunds
    const find = <V>(values: Iterable<V>, test: (value: V) => boolean) => {
      for (const value of values) if (test(value)) return copyOf(value)
      return undefined
    }
    const tx: DemoBankTransaction = {
      session: async (sessionId) => find(sessions.values(), (s) => s.sessionId === sessionId),
      sessionByPayment: async (paymentId) =>
        find(sessions.values(), (s) => s.paymentId === paymentId),
      dueSessions: async (now, limit) =>
        [...sessions.values()]
          .filter((s) => s.state === 'pending' && s.expiresAt.getTime() <= now.getTime())
          .slice(0, limit)
          .map(copyOf),
      insertSession: async (session) => {
        const known = find(sessions.values(), (s) => s.idempotencyKey === session.idempotencyKey)
        if (known !== undefined) return known
        sessions.set(session.sessionId, copyOf(session))
        return copyOf(session)
      },
      saveSession: async (session) => {
        sessions.set(session.sessionId, copyOf(session))
      },
      refund: async (key) => find(refunds.values(), (r) => r.idempotencyKey === key),
      refundById: async (refundId) => find(refunds.values(), (r) => r.refundId === refundId),
      saveRefund: async (refund) => {
        refunds.set(refund.idempotencyKey, copyOf(refund))
      },
    }
    // One at a time, as a database's row locks would have it.
    const run = this.#queue.then(() => work(tx))
    this.#queue = run.catch(() => {})
    return run
  }

  /** Every session, as it stands now (tests). */
  sessions(): DemoSession[] {
    return [...this.#sessions.values()].map(copyOf)
  }

  /** Changes a session behind the bank's back (tests: a bank that changes its mind). */
  alter(sessionId: string, patch: Partial<DemoSession>): void {
    const session = this.#sessions.get(sessionId)
    if (session === undefined) throw new Error(`no demo session ${sessionId}`)
    this.#sessions.set(sessionId, { ...session, ...patch })
  }
}

const token = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`

/** The "bank": sessions, payments and refunds, kept in its store. */
export class DemoBank {
  readonly store: DemoBankStore

  constructor(store: DemoBankStore = new MemoryDemoBankStore()) {
    this.store = store
  }

  open(request: CheckoutRequest): Promise<DemoSession> {
    return this.store.transaction((tx) =>
      tx.insertSession({
        sessionId: token('demo_cs'),
        orderId: request.orderId,
        idempotencyKey: request.idempotencyKey,
        currency: request.currency,
        lines: request.lines.map((line) => ({ ...line })),
        total: request.total,
        successUrl: request.successUrl,
        cancelUrl: request.cancelUrl,
        expiresAt: new Date(request.expiresAt.getTime()),
        state: 'pending',
        paymentId: null,
        method: null,
        fee: null,
        refunded: 0,
        lastWebhook: null,
      }),
    )
  }

  /** The session, expired first if its time is up and it was never paid. */
  async session(sessionId: string, now: Date): Promise<DemoSession> {
    return (await this.change(sessionId, now, () => undefined)) as DemoSession
  }

  /**
   * Runs `change` on the session, locked and expired first if its time is up, and saves it:
   * two clicks at once, on any instance, see one after the other.
   */
  change<T = DemoSession>(
    sessionId: string,
    now: Date,
    change: (session: DemoSession) => Promise<T | undefined> | T | undefined,
  ): Promise<T | DemoSession> {
    return this.store.transaction(async (tx) => {
      const session = await tx.session(sessionId)
      if (session === undefined) {
        throw new MitraError('not_found', `No demo checkout session ${sessionId}`)
      }
      if (session.state === 'pending' && now.getTime() >= session.expiresAt.getTime()) {
        session.state = 'expired'
        session.lastWebhook = null
      }
      const result = await change(session)
      await tx.saveSession(session)
      return result === undefined ? session : result
    })
  }

  /** Expires open sessions whose time is up, with `webhookOf` each one's notice. */
  expireDue(
    now: Date,
    webhookOf: (session: DemoSession) => DemoWebhook,
    limit = 100,
  ): Promise<DemoWebhook[]> {
    return this.store.transaction(async (tx) => {
      const due = await tx.dueSessions(now, limit)
      const hooks: DemoWebhook[] = []
      for (const session of due) {
        session.state = 'expired'
        session.lastWebhook = webhookOf(session)
        await tx.saveSession(session)
        hooks.push(session.lastWebhook)
      }
      return hooks
    })
  }

  /** The refund made under an idempotency key, if any, and whether it failed since. */
  refundOf(idempotencyKey: string): Promise<DemoRefund | undefined> {
    return this.store.transaction((tx) => tx.refund(idempotencyKey))
  }

  /**
   * The buyer's bank sends a refund back (a closed card, say): it no longer counts against
   * the payment, which can be refunded again, and the refund reads as failed from then on.
   */
  failRefund(refundId: string): Promise<DemoSession> {
    return this.store.transaction(async (tx) => {
      const refund = await tx.refundById(refundId)
      if (refund === undefined) throw new MitraError('not_found', `No demo refund ${refundId}`)
      const session = await paymentSession(tx, refund.paymentId)
      if (!refund.failed) {
        refund.failed = true
        session.refunded -= refund.amount
        session.state = session.refunded === 0 ? 'paid' : 'partially_refunded'
        await tx.saveRefund(refund)
        await tx.saveSession(session)
      }
      return session
    })
  }

  refund(request: RefundRequest): Promise<{ refundId: string; session: DemoSession }> {
    return this.store.transaction(async (tx) => {
      const session = await paymentSession(tx, request.paymentId)
      const known = await tx.refund(request.idempotencyKey)
      if (known !== undefined) {
        if (known.paymentId !== request.paymentId || known.amount !== request.amount) {
          throw new MitraError(
            'idempotency_conflict',
            'This refund key was used for another refund',
          )
        }
        return { refundId: known.refundId, session }
      }
      if (session.orderId !== request.orderId || session.currency !== request.currency) {
        throw new MitraError('conflict', `Demo payment ${request.paymentId} is not for this order`)
      }
      if (session.state !== 'paid' && session.state !== 'partially_refunded') {
        throw new MitraError('conflict', `Demo payment ${request.paymentId} is ${session.state}`)
      }
      if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
        throw new MitraError('invalid_amount', 'A refund is a positive whole amount')
      }
      if (session.refunded + request.amount > session.total) {
        throw new MitraError(
          'refund_exceeds_payment',
          `Only ${session.total - session.refunded} of ${session.total} is left to refund`,
        )
      }
      session.refunded += request.amount
      session.state = session.refunded === session.total ? 'refunded' : 'partially_refunded'
      const refundId = token('demo_re')
      await tx.saveSession(session)
      await tx.saveRefund({
        idempotencyKey: request.idempotencyKey,
        refundId,
        paymentId: request.paymentId,
        amount: request.amount,
        failed: false,
      })
      return { refundId, session }
    })
  }
}

async function paymentSession(tx: DemoBankTransaction, paymentId: string): Promise<DemoSession> {
  const session = await tx.sessionByPayment(paymentId)
  if (session === undefined) throw new MitraError('not_found', `No demo payment ${paymentId}`)
  return session
}

/** `t=<unix>,v1=<hex>`: HMAC-SHA256 over `${t}.${body}`, as Stripe signs its webhooks. */
export function signDemoWebhook(body: string, secret: string, timestamp: number): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
  return `t=${timestamp},v1=${digest}`
}

/** The body of a demo provider webhook, as it signs and sends it. */
export const demoEventSchema = z.object({
  id: z.string().min(1),
  type: z.literal('demo.payment'),
  created: z.number().int(),
  order_id: z.string().min(1),
  session_id: z.string().min(1),
  state: z.enum([
    'pending',
    'paid',
    'failed',
    'expired',
    'canceled',
    'refunded',
    'partially_refunded',
  ]),
  amount: z.number().int(),
  currency: z.string(),
  payment_id: z.string().nullable(),
  payment_method: z.enum(paymentMethods).nullable(),
  fee: z.number().int().min(0).nullable(),
})

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export interface DemoProviderOptions {
  /** Public base URL of the server; the pay page lives at `${baseUrl}/demo-pay/{sessionId}`. */
  baseUrl: string
  /** Signs the webhooks `complete` returns. */
  webhookSecret: string
  bank?: DemoBank
  now?: () => Date
  /**
   * What the demo "provider" keeps of a payment, by the method the buyer picks (default
   * `defaultFeeSchedule`: Indonesian rates). Checked here: a bad schedule is a 422 naming
   * the field. Sessions in another currency than the schedule's carry no fee.
   */
  feeSchedule?: FeeScheduleInput
}

/** The methods the pay page offers, in order; the first is chosen unless the buyer changes it. */
const payPageMethods: readonly { method: PaymentMethod; label: string }[] = [
  { method: 'qris', label: 'QRIS' },
  { method: 'virtual_account', label: 'Bank virtual account' },
  { method: 'card', label: 'Card' },
  { method: 'ewallet', label: 'E-wallet (GoPay, ShopeePay)' },
]

/**
 * DEMO — no real money. Checkout opens a session in a `DemoBank`; the pay page offers a
 * payment method, Pay and Fail; `complete` moves the session and returns a signed webhook
 * for the server to deliver to its own `/v1/webhooks/demo`, which goes through
 * `parseWebhook` like a real provider's. The webhook and the status carry the fee the
 * schedule sets for the method, as a real provider reports what it kept.
 */
export class DemoPaymentProvider implements PaymentProvider {
  readonly name = 'demo' as const
  readonly bank: DemoBank
  readonly #baseUrl: string
  readonly #secret: string
  readonly #now: () => Date
  /** What a payment costs the sellers, by method (checked at construction). */
  readonly feeSchedule: FeeSchedule

  constructor(options: DemoProviderOptions) {
    if (options.webhookSecret === '') {
      throw new MitraError('provider_not_configured', 'The demo provider needs a webhook secret')
    }
    this.bank = options.bank ?? new DemoBank()
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.#secret = options.webhookSecret
    this.#now = options.now ?? (() => new Date())
    this.feeSchedule =
      options.feeSchedule === undefined
        ? defaultFeeSchedule
        : parseFeeSchedule(options.feeSchedule, 'feeSchedule')
  }

  /** The fee a payment of the session by `method` costs the sellers (never the buyer). */
  feeFor(session: Pick<DemoSession, 'total' | 'currency'>, method: PaymentMethod): number {
    if (session.currency !== this.feeSchedule.currency) return 0
    return paymentFeeOf(this.feeSchedule, method, money(session.total, session.currency)).amount
  }

  async createCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
    checkCheckoutRequest(request, this.#now())
    const session = await this.bank.open(request)
    return {
      provider: 'demo',
      sessionId: session.sessionId,
      redirectUrl: this.payPageUrl(session.sessionId),
      expiresAt: session.expiresAt,
    }
  }

  payPageUrl(sessionId: string): string {
    return `${this.#baseUrl}/demo-pay/${encodeURIComponent(sessionId)}`
  }

  /**
   * The demo pay page: the order, its total, a choice of payment method with the fee each
   * costs the sellers, and Pay / Fail buttons while it is open. The buyer pays the total
   * whichever method they pick.
   */
  async renderPaymentPage(sessionId: string): Promise<string> {
    const session = await this.bank.session(sessionId, this.#now())
    const action = this.payPageUrl(session.sessionId)
    const fmt = (amount: number) => escapeHtml(formatMoney(money(amount, session.currency)))
    const rows = session.lines
      .map(
        (line) =>
          `<tr><td>${escapeHtml(line.name)}</td><td>${line.quantity}</td><td>${fmt(line.unitAmount * line.quantity)}</td></tr>`,
      )
      .join('')
    const open = session.state === 'pending'
    const choices = payPageMethods
      .map(
        ({ method, label }, index) =>
          `<label><input type="radio" name="method" value="${method}"${index === 0 ? ' checked' : ''}> ${escapeHtml(label)} — fee ${fmt(this.feeFor(session, method))}</label><br>`,
      )
      .join('\n')
    const paid =
      session.method === null
        ? ''
        : `<p>Paid by ${escapeHtml(session.method)}; payment fee ${fmt(session.fee ?? 0)}, borne by the sellers.</p>`
    const controls = open
      ? `<form method="post" action="${escapeHtml(`${action}/pay`)}">
<fieldset><legend>Pay with</legend>
${choices}
</fieldset>
<p>You pay ${fmt(session.total)} with any method. The payment fee is not added to your price: the sellers bear it, out of their split.</p>
<button type="submit">Pay ${fmt(session.total)} (demo)</button></form>
<form method="post" action="${escapeHtml(`${action}/fail`)}"><button type="submit">Fail the payment (demo)</button></form>`
      : `<p>This demo payment is ${escapeHtml(session.state)}.</p>${paid}`
    return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>DEMO payment — no real money</title></head>
<body>
<p role="alert"><strong>DEMO — no real money.</strong> Nothing is charged; this page stands in for a payment provider.</p>
<h1>Order ${escapeHtml(session.orderId)}</h1>
<table><thead><tr><th>Item</th><th>Qty</th><th>Amount</th></tr></thead><tbody>${rows}</tbody>
<tfoot><tr><th colspan="2">Total</th><th>${fmt(session.total)}</th></tr></tfoot></table>
${controls}
</body>
</html>`
  }

  /**
   * The buyer pressed Pay (with `method`, QRIS unless they chose another) or Fail: the bank
   * moves the session and the webhook to deliver is returned, carrying the method's fee.
   * Pressing the same button again returns the same webhook (same event id).
   */
  async complete(
    sessionId: string,
    outcome: 'pay' | 'fail',
    method: PaymentMethod = 'qris',
  ): Promise<DemoWebhook> {
    // The method comes from a form field: anything can arrive.
    if (!isPaymentMethod(method)) {
      throw fieldError('method', 'invalid_value', `one of ${paymentMethods.join(', ')}`)
    }
    const now = this.#now()
    const wanted: PaymentState = outcome === 'pay' ? 'paid' : 'failed'
    return (await this.bank.change(sessionId, now, (session): DemoWebhook => {
      if (session.state === 'expired') {
        throw new MitraError('checkout_expired', `Demo checkout ${sessionId} has expired`)
      }
      if (session.state !== 'pending') {
        if (session.state === wanted && session.lastWebhook !== null) {
          // Same event, signed afresh so its signature is not stale.
          const created = Math.floor(now.getTime() / 1000)
          const { body, headers, redirectUrl } = session.lastWebhook
          const signature = signDemoWebhook(body, this.#secret, created)
          return { body, headers: { ...headers, [demoSignatureHeader]: signature }, redirectUrl }
        }
        throw new MitraError('conflict', `Demo checkout ${sessionId} is already ${session.state}`)
      }
      session.state = wanted
      if (outcome === 'pay') {
        session.paymentId = token('demo_pay')
        session.method = method
        session.fee = this.feeFor(session, method)
      }
      const webhook = this.#webhook(
        session,
        now,
        outcome === 'pay' ? session.successUrl : session.cancelUrl,
      )
      session.lastWebhook = webhook
      return webhook
    })) as DemoWebhook
  }

  /** Expires every open session past its time and returns their webhooks (a sweeper). */
  expireDue(): Promise<DemoWebhook[]> {
    const now = this.#now()
    return this.bank.expireDue(now, (session) => this.#webhook(session, now, session.cancelUrl))
  }

  #webhook(session: DemoSession, now: Date, redirectUrl: string): DemoWebhook {
    const created = Math.floor(now.getTime() / 1000)
    const refunding = session.state === 'refunded' || session.state === 'partially_refunded'
    const body = JSON.stringify({
      id: token('demo_evt'),
      type: 'demo.payment',
      created,
      order_id: session.orderId,
      session_id: session.sessionId,
      state: session.state,
      amount: refunding ? session.refunded : session.total,
      currency: session.currency,
      payment_id: session.paymentId,
      payment_method: session.method,
      // Kept by the provider on a refund too, as real providers do.
      fee: session.fee,
    })
    return {
      body,
      headers: {
        'content-type': 'application/json',
        [demoSignatureHeader]: signDemoWebhook(body, this.#secret, created),
      },
      redirectUrl,
    }
  }

  async parseWebhook({ rawBody, headers }: WebhookRequest): Promise<PaymentEvent> {
    const header = headers.get(demoSignatureHeader)
    if (header === null || header === '') {
      throw signatureInvalid('demo', `the ${demoSignatureHeader} header is missing`)
    }
    const parts = header.split(',').map((part) => part.trim().split('='))
    const timestamp = Number(parts.find(([key]) => key === 't')?.[1])
    const signatures = parts.filter(([key]) => key === 'v1').map(([, value]) => value ?? '')
    if (!Number.isSafeInteger(timestamp) || signatures.length === 0) {
      throw signatureInvalid('demo', `the ${demoSignatureHeader} header is malformed`)
    }
    const age = Math.floor(this.#now().getTime() / 1000) - timestamp
    if (Math.abs(age) > toleranceSeconds) {
      throw signatureInvalid('demo', 'the signature is too old')
    }
    const expected = Buffer.from(
      signDemoWebhook(rawBody, this.#secret, timestamp).split('v1=')[1] as string,
      'utf8',
    )
    const verified = signatures.some((given) => {
      const buffer = Buffer.from(given, 'utf8')
      return buffer.length === expected.length && timingSafeEqual(buffer, expected)
    })
    if (!verified) throw signatureInvalid('demo', 'the signature does not verify')
    const parsed = demoEventSchema.safeParse(JSON.parse(rawBody))
    if (!parsed.success) {
      throw new MitraError('invalid_request', 'The demo webhook body is not a demo event')
    }
    const event = parsed.data
    return {
      provider: 'demo',
      eventId: event.id,
      orderId: event.order_id,
      state: event.state,
      amount: event.amount,
      currency: money(0, event.currency).currency,
      paymentId: event.payment_id,
      fee: event.fee,
      occurredAt: new Date(event.created * 1000),
      raw: event,
    }
  }

  async fetchStatus(ref: { orderId: string; sessionId: string }): Promise<PaymentStatus> {
    return statusOf(ref, await this.bank.session(ref.sessionId, this.#now()))
  }

  /**
   * The order was canceled: an open session is canceled and its pay page offers nothing
   * more. One that was paid, failed or expired first stays as it is, and says so.
   */
  async expireCheckout(ref: { orderId: string; sessionId: string }): Promise<PaymentStatus> {
    try {
      const closed = await this.bank.change(ref.sessionId, this.#now(), (session) => {
        const status = statusOf(ref, session)
        if (session.state === 'pending') {
          session.state = 'canceled'
          session.lastWebhook = null
        }
        return { ...status, state: session.state }
      })
      return closed as PaymentStatus
    } catch (error) {
      // Never opened here, or another order's: there is nothing anyone could pay.
      if (!(error instanceof MitraError) || error.code !== 'not_found') throw error
      return closedStatus(ref.orderId, 'canceled')
    }
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const { refundId } = await this.bank.refund(request)
    return { refundId, state: 'succeeded' }
  }

  /** The demo bank refunds at once, so a refund it knows has succeeded. */
  async fetchRefund(ref: RefundRef): Promise<RefundResult> {
    const known = await this.bank.refundOf(ref.idempotencyKey)
    if (known?.refundId !== ref.refundId || known.paymentId !== ref.paymentId) {
      throw new MitraError('not_found', `No demo refund ${ref.refundId}`)
    }
    return { refundId: known.refundId, state: known.failed ? 'failed' : 'succeeded' }
  }
}

/** How the session's payment stands; a session of another order is none of this one's. */
function statusOf(
  ref: { orderId: string; sessionId: string },
  session: DemoSession,
): PaymentStatus {
  if (session.orderId !== ref.orderId) {
    throw new MitraError('not_found', `Demo session ${ref.sessionId} is not for ${ref.orderId}`)
  }
  return {
    orderId: session.orderId,
    state: session.state,
    amount:
      session.state === 'refunded' || session.state === 'partially_refunded'
        ? session.refunded
        : session.total,
    currency: session.currency,
    paymentId: session.paymentId,
    fee: session.fee,
  }
}

export function createDemoProvider(options: DemoProviderOptions): DemoPaymentProvider {
  return new DemoPaymentProvider(options)
}
