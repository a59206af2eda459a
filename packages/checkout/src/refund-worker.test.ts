import type { Scope } from '@mitra/catalog'
import { MitraError, money } from '@mitra/core'
import { orderRefunds, paymentEvents } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import type { PaymentEvent, PaymentProvider, RefundResult } from '@mitra/payments'

type RefundState = RefundResult['state']

import { amountOwed, platformParty, trialBalance } from '@mitra/revenue-share'
import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fulfilOrder, getOrder } from './orders.js'
import { receiveWebhook, recordPaymentEvent, recordRefundEvent, refundIsDue } from './payments.js'
import type { ProviderRegistry } from './providers.js'
import { resumeRefunds } from './refund-worker.js'
import {
  listRefunds,
  nextRefundAttempt,
  refundOrder,
  refundUnfilledPayment,
  settleStalledRefund,
  unfilledRefundId,
} from './refunds.js'
import type { RefundSettlement } from './schemas.js'
import {
  checkoutTestbed,
  delivered,
  deliveryAt,
  demoSessionOf,
  expectMitraError,
  reopenDemoSession,
  type Shop,
  shop,
} from './testing.js'

/** The registry's providers, with refunds that fail while `failWith` says how. */
function flakyRefunds(registry: ProviderRegistry) {
  const control = {
    failWith: null as MitraError | 'refused' | null,
    /** While set, refunds wait for it before reaching the provider (a sender that hangs). */
    hold: null as Promise<void> | null,
    calls: 0,
    /**
     * While set, the provider accepts refunds as pending, makes them only when asked about
     * them and answers `succeeded`, or answers as said (or fails to answer: an error).
     */
    pending: null as 'pending' | 'succeeded' | 'failed' | MitraError | null,
    checks: 0,
    registry: {
      names: () => registry.names(),
      get: (name, accountId) => {
        const provider = registry.get(name, accountId) as PaymentProvider
        return new Proxy(provider, {
          get(target, property) {
            if (property === 'refund') {
              return async (request: Parameters<PaymentProvider['refund']>[0]) => {
                control.calls++
                if (control.hold !== null) await control.hold
                if (control.failWith === 'refused') return { refundId: 're_no', state: 'failed' }
                if (control.failWith !== null) throw control.failWith
                if (control.pending !== null) {
                  return { refundId: `re_later_${request.idempotencyKey}`, state: 'pending' }
                }
                return target.refund(request)
              }
            }
            if (property === 'fetchRefund') {
              return async (ref: Parameters<PaymentProvider['fetchRefund']>[0]) => {
                control.checks++
                const answer = control.pending
                if (answer === null) return target.fetchRefund(ref)
                if (answer instanceof MitraError) throw answer
                if (answer === 'succeeded') await target.refund(ref) // the money goes back now
                return { refundId: ref.refundId, state: answer }
              }
            }
            const value = Reflect.get(target, property)
            return typeof value === 'function' ? value.bind(target) : value
          },
        })
      },
    } as ProviderRegistry,
  }
  return control
}

describe.each(testDatabaseKinds())('refund worker on %s', (kind) => {
  const database = useTestDatabase(kind)
  const { clock, demo, registry, available, ordered, deliver, sessionOf } = checkoutTestbed(
    () => database().db,
  )
  const flaky = flakyRefunds(registry)
  beforeEach(() => {
    flaky.failWith = null
    flaky.pending = null
    flaky.hold = null
    flaky.calls = 0
    flaky.checks = 0
  })
  const later = (seconds: number) => new Date(clock.now.getTime() + seconds * 1000)
  const bankSession = (orderId: string) => demoSessionOf(demo, orderId)
  const viewOf = (s: Shop, orderId: string) =>
    getOrder(database().db, { channelId: s.venue.id }, orderId)
  /** The order as its venue sees it: its status and how much is refunded (or claimed). */
  async function expectOrder(s: Shop, orderId: string, status: string, refunded: number) {
    expect(await viewOf(s, orderId)).toMatchObject({
      status,
      refunded_amount: { amount: refunded },
    })
  }
  /** What the producer is owed now. */
  const owed = async (s: Shop) => (await amountOwed(database().db, s.producer.id, 'IDR')).amount
  /** The producer is owed `share` less than `before`, to the rupiah. */
  async function expectOwedLess(s: Shop, before: number, share: number) {
    expect(Math.abs(before - (await owed(s)) - before * share)).toBeLessThanOrEqual(1)
  }
  /** The order's refunds, oldest first, as [status, amount]. */
  async function refundsOf(s: Shop, orderId: string) {
    const page = await listRefunds(database().db, { channelId: s.venue.id }, orderId)
    return page.data.map((refund) => [refund.status, refund.amount.amount])
  }
  /** The venue refunds `amount` of the order (all that is left without it), at the clock. */
  function refundNow(s: Shop, orderId: string, amount?: number) {
    const input = {
      goods: 'kept' as const,
      ...(amount === undefined ? {} : { amount: money(amount, 'IDR') }),
    }
    return refundOrder(database().db, flaky.registry, s.venue.owner, orderId, input, {
      now: clock.now,
    })
  }

  async function paidOrder(s: Shop, quantity: number) {
    const order = await ordered(s, quantity)
    expect((await deliver(await demo.complete(sessionOf(order.id), 'pay'))).outcome).toBe('paid')
    return order
  }

  /** The ledger balances, and hours later the refund worker finds nothing left to do. */
  async function expectNothingLeftToRefund() {
    const { db } = database()
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
    const pass = await resumeRefunds(db, flaky.registry, { now: later(7200) })
    expect(pass).toEqual({ claimed: 0, sent: [], checked: [], stalled: 0, refused: 0 })
  }

  /** What is left of the order (`amount`) can still be refunded, and then nothing is owed. */
  async function expectRefundsInFull(s: Shop, orderId: string, amount: number) {
    const done = await refundNow(s, orderId)
    expect(done.refund).toMatchObject({ status: 'succeeded', amount: { amount } })
    expect(done.order.status).toBe('refunded')
    expect(await owed(s)).toBe(0)
    await expectNothingLeftToRefund()
  }

  /**
   * A buyer's payment that goes through after its order failed and its last unit was sold to
   * another: owed back in full, its refund not made yet.
   */
  async function paymentOwedBack(s: Shop) {
    const first = await ordered(s, 1)
    await deliver(await demo.complete(sessionOf(first.id), 'fail'))
    await paidOrder(s, 1)
    const sessionId = reopenDemoSession(demo, first.id)
    const applied = await deliver(await demo.complete(sessionId, 'pay'))
    expect(applied.outcome).toBe('refund_due')
    expect(refundIsDue(applied)).toBe(true)
    return {
      first,
      session: {
        get refunded() {
          return bankSession(first.id).refunded
        },
      },
    }
  }

  /** The venue refunds `amount` of the order while the provider does not answer. */
  async function refundUnanswered(s: Shop, orderId: string, amount: number) {
    flaky.failWith = new MitraError('provider_unavailable', 'demo refunds are down')
    await expectMitraError(refundNow(s, orderId, amount), {
      code: 'provider_unavailable',
      status: 502,
    })
  }

  /** The provider's word about an order's payment, as an event of its own. */
  function providerSays(
    orderId: string,
    eventId: string,
    facts: Pick<PaymentEvent, 'state' | 'amount'> &
      Partial<Pick<PaymentEvent, 'currency' | 'paymentId' | 'fee'>>,
  ) {
    const event = { currency: 'IDR' as const, paymentId: null, fee: null, ...facts }
    return recordPaymentEvent(
      database().db,
      { provider: 'demo', eventId, orderId, raw: {}, ...event },
      'demo webhook',
      clock.now,
    )
  }

  /**
   * Someone refunds `amount` of the order in the provider's dashboard; the provider then
   * reports what is refunded so far (`refundedSoFar`) in an event of the payment's own.
   */
  async function dashboardRefund(
    orderId: string,
    eventId: string,
    amount: number,
    facts: { state: 'refunded' | 'partially_refunded'; refundedSoFar: number },
  ) {
    const session = bankSession(orderId)
    if (session?.paymentId == null) throw new Error('no payment')
    await demo.bank.refund({
      orderId,
      paymentId: session.paymentId,
      amount,
      currency: 'IDR',
      idempotencyKey: `dashboard-${eventId}`,
    })
    return providerSays(orderId, eventId, { state: facts.state, amount: facts.refundedSoFar })
  }

  it('sends a refund the provider did not answer again until it is taken, once however many workers run', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await paidOrder(s, 2)
    const owedBefore = await owed(s)

    await refundUnanswered(s, order.id, 50_000)
    const [pending] = await db.select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id))
    if (pending === undefined) throw new Error('no refund recorded')
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 })
    expect(pending.nextAttemptAt).toEqual(nextRefundAttempt(1, clock.now))
    // The amount stays claimed, so no other refund can take it; nothing is reversed yet.
    await expectOrder(s, order.id, 'paid', 50_000)
    expect(await owed(s)).toBe(owedBefore)
    await expectMitraError(
      refundOrder(db, registry, s.venue.owner, order.id, {
        amount: money(150_001, 'IDR'),
        goods: 'kept',
      }),
      { code: 'refund_exceeds_payment', status: 409, path: 'amount.amount' },
    )

    expect((await resumeRefunds(db, flaky.registry, { now: later(10) })).sent).toEqual([])
    const down = await resumeRefunds(db, flaky.registry, { now: later(31) })
    expect(down.sent).toEqual([
      { refundId: pending.id, status: 'pending', error: 'demo refunds are down' },
    ])
    const [retried] = await db.select().from(orderRefunds).where(eq(orderRefunds.id, pending.id))
    expect(retried?.attempts).toBe(2)
    expect(retried?.nextAttemptAt).toEqual(nextRefundAttempt(2, later(31)))
    expect(bankSession(order.id)?.refunded).toBe(0)

    flaky.failWith = null
    flaky.calls = 0
    const passes = await Promise.all(
      [1, 2, 3].map(() => resumeRefunds(db, flaky.registry, { now: later(100) })),
    )
    expect(passes.flatMap((pass) => pass.sent)).toEqual([
      { refundId: pending.id, status: 'succeeded', error: null },
    ])
    expect(flaky.calls).toBe(1)
    expect(bankSession(order.id)?.refunded).toBe(50_000)
    await expectOrder(s, order.id, 'partially_refunded', 50_000)
    // A quarter of the money went back: the producer is owed a quarter less.
    await expectOwedLess(s, owedBefore, 1 / 4)
    await expectNothingLeftToRefund()
  })

  it('keeps a refund the provider accepted as pending claimed, and reverses it only once made', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await paidOrder(s, 2)
    const owedBefore = await owed(s)
    flaky.pending = 'pending'
    const accepted = await refundNow(s, order.id, 50_000)
    expect(accepted.refund).toMatchObject({ status: 'pending', amount: { amount: 50_000 } })
    // Claimed, so no other refund can take it, but not reversed: the money has not gone back.
    expect(accepted.order).toMatchObject({ status: 'paid', refunded_amount: { amount: 50_000 } })
    expect(await owed(s)).toBe(owedBefore)
    const refundId = accepted.refund.id

    expect((await resumeRefunds(db, flaky.registry, { now: later(31) })).checked).toEqual([
      { refundId, status: 'pending', error: null },
    ])
    // Asking fails, even with a 4xx: the money may be on its way, so it stays pending.
    flaky.pending = new MitraError('not_found', 'no such refund')
    expect((await resumeRefunds(db, flaky.registry, { now: later(120) })).checked).toEqual([
      { refundId, status: 'pending', error: 'no such refund' },
    ])
    // A day later, past the window for sending again: still asked about, never sent again.
    flaky.pending = 'succeeded'
    const dayLater = await resumeRefunds(db, flaky.registry, { now: later(86_400) })
    expect(dayLater).toEqual({
      claimed: 0,
      sent: [],
      checked: [{ refundId, status: 'succeeded', error: null }],
      stalled: 0,
      refused: 0,
    })
    expect(flaky.calls).toBe(1)
    expect(flaky.checks).toBe(3)
    expect(bankSession(order.id)?.refunded).toBe(50_000)
    await expectOrder(s, order.id, 'partially_refunded', 50_000)
    await expectOwedLess(s, owedBefore, 1 / 4)
    flaky.pending = null
    await expectNothingLeftToRefund()
  })

  it('gives the claim back when a refund accepted as pending fails at the provider later', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await paidOrder(s, 1)
    const owedBefore = await owed(s)
    flaky.pending = 'pending'
    const accepted = await refundNow(s, order.id)
    expect(accepted.order.refunded_amount.amount).toBe(100_000)
    flaky.pending = 'failed'
    const passes = await Promise.all(
      [1, 2].map(() => resumeRefunds(db, flaky.registry, { now: later(31) })),
    )
    flaky.pending = null
    expect(passes.flatMap((pass) => pass.checked)).toEqual([
      { refundId: accepted.refund.id, status: 'failed', error: 'The provider refused the refund' },
    ])
    await expectOrder(s, order.id, 'paid', 0)
    expect(await owed(s)).toBe(owedBefore)
    // The money can be refunded again.
    await expectRefundsInFull(s, order.id, 100_000)
  })

  it("takes the provider's refund events: made or failed at once, replays and strangers change nothing", async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await paidOrder(s, 2)
    const owedBefore = await owed(s)
    flaky.pending = 'pending'
    const first = (await refundNow(s, order.id, 50_000)).refund
    const second = (await refundNow(s, order.id, 30_000)).refund
    const refundEvent = (eventId: string, reference: string | null, state: RefundState) =>
      recordRefundEvent(
        db,
        flaky.registry,
        {
          provider: 'demo',
          eventId,
          orderId: order.id,
          refundId: `re_later_refund-${reference ?? 'dashboard'}`,
          reference,
          state,
          occurredAt: clock.now,
          raw: {},
        },
        later(5),
      )

    const made = await refundEvent('evt_made', first.id, 'succeeded')
    expect(made).toMatchObject({ outcome: 'refund_succeeded', orderId: order.id, replayed: false })
    expect(await refundEvent('evt_made', first.id, 'succeeded')).toMatchObject({
      outcome: 'refund_succeeded',
      replayed: true,
    })
    const failed = await refundEvent('evt_failed', second.id, 'failed')
    expect(failed.outcome).toBe('refund_failed')
    // Too late: a refund that failed stays failed.
    expect((await refundEvent('evt_late', second.id, 'succeeded')).outcome).toBe('refund_failed')
    // A refund mitra did not make (the dashboard's): its amounts come with the payment's events.
    expect((await refundEvent('evt_dash', null, 'succeeded')).outcome).toBe('ignored')

    await expectOrder(s, order.id, 'partially_refunded', 50_000)
    expect(await refundsOf(s, order.id)).toEqual([
      ['succeeded', 50_000],
      ['failed', 30_000],
    ])
    await expectOwedLess(s, owedBefore, 1 / 4)
    expect(flaky.checks).toBe(0) // learnt from the events, nobody asked
    flaky.pending = null
    await expectNothingLeftToRefund()
  })

  it("asks about refunds accepted as pending when the payment's refund event comes (Midtrans)", async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await paidOrder(s, 2)
    flaky.pending = 'pending'
    const accepted = await refundNow(s, order.id, 50_000)
    expect(accepted.refund.status).toBe('pending')
    // The provider makes it and says so for the whole payment: refunded so far, 50 000.
    flaky.pending = 'succeeded'
    const event: PaymentEvent = {
      provider: 'demo',
      eventId: 'evt_partial_refund',
      orderId: order.id,
      state: 'partially_refunded',
      amount: 50_000,
      currency: 'IDR',
      paymentId: null,
      fee: null,
      occurredAt: clock.now,
      raw: {},
    }
    const saying: ProviderRegistry = {
      names: () => ['demo'],
      get: (name, accountId) =>
        new Proxy(flaky.registry.get(name, accountId), {
          get(target, property) {
            if (property === 'parseWebhook') return async () => event
            const value = Reflect.get(target, property)
            return typeof value === 'function' ? value.bind(target) : value
          },
        }),
    }
    const webhook = { rawBody: '{}', headers: new Headers() }
    const applied = await receiveWebhook(db, saying, 'demo', webhook, { now: later(5) })
    // Not a refund of its own (the pending claim covers it), and the claim is now made.
    expect(applied.outcome).toBe('ignored')
    expect(flaky.checks).toBe(1)
    await expectOrder(s, order.id, 'partially_refunded', 50_000)
    const [made] = await db.select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id))
    expect(made?.status).toBe('succeeded')
    // The same event again: a replay, nothing asked.
    expect((await receiveWebhook(db, saying, 'demo', webhook, { now: later(6) })).replayed).toBe(
      true,
    )
    expect(flaky.checks).toBe(1)
    flaky.pending = null
    await expectNothingLeftToRefund()
  })

  it('settles a refund whose answer was lost, from its event naming it', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await paidOrder(s, 1)
    await refundUnanswered(s, order.id, 100_000)
    const [lost] = await db.select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id))
    expect(lost).toMatchObject({ status: 'pending', providerRefundId: null })
    // Its event was delivered once already, but the process stopped after storing it.
    await db.insert(paymentEvents).values({
      provider: 'demo',
      eventId: 'evt_lost_answer',
      state: 'refund_succeeded',
      outcome: 'received',
      payload: {},
      receivedAt: clock.now,
    })
    const applied = await recordRefundEvent(
      db,
      flaky.registry,
      {
        provider: 'demo',
        eventId: 'evt_lost_answer',
        orderId: order.id,
        refundId: 're_provider_1',
        reference: lost?.id ?? null,
        state: 'succeeded',
        occurredAt: clock.now,
        raw: {},
      },
      later(5),
    )
    expect(applied).toMatchObject({ outcome: 'refund_succeeded', replayed: false })
    const [settled] = await db.select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id))
    expect(settled).toMatchObject({ status: 'succeeded', providerRefundId: 're_provider_1' })
    expect((await viewOf(s, order.id)).status).toBe('refunded')
    expect(await owed(s)).toBe(0)
  })

  it('leaves a refund to its sender for a while, then sends it; the late sender changes nothing', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await paidOrder(s, 1)
    let answer = () => {}
    flaky.hold = new Promise((resolve) => {
      answer = resolve
    })
    const slow = refundNow(s, order.id)
    await vi.waitFor(() => expect(flaky.calls).toBe(1))
    flaky.hold = null
    // The sender may still be retrying: the worker leaves the refund alone for 5 minutes.
    expect((await resumeRefunds(db, flaky.registry, { now: later(120) })).sent).toEqual([])
    const [pending] = await db.select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id))
    const pass = await resumeRefunds(db, flaky.registry, { now: later(301) })
    expect(pass.sent).toEqual([{ refundId: pending?.id, status: 'succeeded', error: null }])
    expect(flaky.calls).toBe(2)

    answer() // the first sender's answer comes at last: the same refund, recorded once
    const late = await slow
    expect(late.refund).toMatchObject({ id: pending?.id, status: 'succeeded' })
    expect(late.order).toMatchObject({ status: 'refunded', refunded_amount: { amount: 100_000 } })
    expect(bankSession(order.id)?.refunded).toBe(100_000)
    expect(await owed(s)).toBe(0)
    await expectNothingLeftToRefund()
  })

  it('gives the claim back when the provider refuses a refund, so the money can still be refunded', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await paidOrder(s, 1)
    const refusals = [
      new MitraError('provider_rejected', 'the card was closed'),
      'refused',
    ] as const
    for (const refusal of refusals) {
      flaky.failWith = refusal
      await expectMitraError(refundNow(s, order.id), { code: 'provider_rejected', status: 502 })
      await expectOrder(s, order.id, 'paid', 0)
    }
    const refunds = await db.select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id))
    expect(refunds.map((refund) => [refund.status, refund.attempts])).toEqual([
      ['failed', 1],
      ['failed', 1],
    ])
    flaky.failWith = null
    await expectRefundsInFull(s, order.id, 100_000)
  })

  it('refunds a payment owed back whose refund was never made, as if the process had stopped', async () => {
    const { db } = database()
    const s = await shop(db, 1)
    const { first, session } = await paymentOwedBack(s)
    // The process stops here, before refundUnfilledPayment.

    expect((await resumeRefunds(db, flaky.registry, { now: later(30) })).claimed).toBe(0)
    const pass = await resumeRefunds(db, flaky.registry, { now: later(61) })
    expect(pass).toEqual({
      claimed: 1,
      sent: [{ refundId: unfilledRefundId(first.id), status: 'succeeded', error: null }],
      checked: [],
      stalled: 0,
      refused: 0,
    })
    expect(session.refunded).toBe(100_000)
    expect(await viewOf(s, first.id)).toMatchObject({
      status: 'canceled',
      paid_amount: { amount: 100_000 },
      refunded_amount: { amount: 100_000 },
    })
    await expectNothingLeftToRefund()
  })

  it('closes an order paid another amount than asked, releases its stock and gives all of it back', async () => {
    const { db } = database()
    const s = await shop(db, 3)
    const order = await ordered(s, 2)
    const variant = s.variants[0] as string
    expect(await available(s, variant)).toBe(1)
    const hook = await demo.complete(sessionOf(order.id), 'pay') // the bank took the money…
    const paymentId = bankSession(order.id)?.paymentId ?? null
    // …and says it was in another currency: cannot be, so it is kept for a person.
    const foreign = await providerSays(order.id, 'evt_usd', {
      state: 'paid',
      amount: 200_000,
      currency: 'USD',
      paymentId,
    })
    expect(foreign.outcome).toBe('currency_mismatch')
    expect(refundIsDue(foreign)).toBe(false)
    expect((await viewOf(s, order.id)).status).toBe('pending_payment')

    // …or that it was less than the order's total.
    const short = await providerSays(order.id, 'evt_short', {
      state: 'paid',
      amount: 150_000,
      paymentId,
    })
    expect(short.outcome).toBe('amount_mismatch')
    expect(refundIsDue(short)).toBe(true)
    expect(await viewOf(s, order.id)).toMatchObject({
      status: 'canceled',
      paid_amount: { amount: 150_000 },
      closed_reason: 'paid 150000 instead of 200000; refund due',
    })
    expect(await available(s, variant)).toBe(3)

    // The provider's word for the full amount, later, for the same payment: taken no second time.
    expect((await deliver(hook)).outcome).toBe('ignored')
    expect(await available(s, variant)).toBe(3)
    expect((await viewOf(s, order.id)).status).toBe('canceled')

    const refund = await refundUnfilledPayment(db, registry, order.id, { now: clock.now })
    expect(refund).toMatchObject({ status: 'succeeded', amount: { amount: 150_000 } })
    expect(bankSession(order.id)?.refunded).toBe(150_000)
    // Nothing was sold, so nothing was posted for it.
    expect(await owed(s)).toBe(0)
    expect((await viewOf(s, order.id)).lines.map((line) => line.sale_line_id)).toEqual([null])
    await expectNothingLeftToRefund()
  })

  it('takes a dashboard refund made while its own claim was pending, once that claim is refused', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await paidOrder(s, 1)
    const owedBefore = await owed(s)
    await refundUnanswered(s, order.id, 60_000)
    // Meanwhile 30 000 goes back from the provider's dashboard. Its event is measured
    // against mitra's pending claim of 60 000, so nothing is taken yet.
    const dashboard = await dashboardRefund(order.id, 'dash-1', 30_000, {
      state: 'partially_refunded',
      refundedSoFar: 30_000,
    })
    expect(dashboard.outcome).toBe('ignored')

    flaky.failWith = new MitraError('provider_rejected', 'the refund window has closed')
    const pass = await resumeRefunds(db, flaky.registry, { now: later(31) })
    flaky.failWith = null
    expect(pass.sent).toEqual([
      { refundId: expect.any(String), status: 'failed', error: 'the refund window has closed' },
    ])
    // The claim is given back and the dashboard's 30 000 is taken at once.
    await expectOrder(s, order.id, 'partially_refunded', 30_000)
    expect(await refundsOf(s, order.id)).toEqual([
      ['failed', 60_000],
      ['succeeded', 30_000],
    ])
    await expectOwedLess(s, owedBefore, 0.3)
    await expectNothingLeftToRefund()
  })

  it('lets whoever holds the money settle by hand a refund mitra gave up sending', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await paidOrder(s, 2)
    const owedBefore = await owed(s)
    const platform: Scope = { partyId: (await platformParty(db)) as string, role: 'owner' }
    const settle = (refundId: string, input: RefundSettlement, scope = platform, hours = 21) =>
      settleStalledRefund(db, flaky.registry, scope, order.id, refundId, input, {
        now: later(hours * 3600),
      })
    await refundUnanswered(s, order.id, 60_000)
    await refundUnanswered(s, order.id, 50_000)
    const [lost, dashboard] = await db
      .select()
      .from(orderRefunds)
      .where(eq(orderRefunds.orderId, order.id))
      .orderBy(orderRefunds.id)
    if (lost === undefined || dashboard === undefined) throw new Error('no refunds')

    // Still being sent: not a person's yet.
    await expectMitraError(settle(lost.id, { outcome: 'failed' }, platform, 19), {
      code: 'refund_in_progress',
      status: 409,
    })
    const pass = await resumeRefunds(db, flaky.registry, { now: later(21 * 3600) })
    expect(pass.stalled).toBe(2)
    // The platform's account took the money: not the venue's to settle, nor a staff member's.
    await expectMitraError(settle(lost.id, { outcome: 'failed' }, s.venue.owner), {
      code: 'not_found',
      status: 404,
    })
    await expectMitraError(settle(lost.id, { outcome: 'failed' }, { ...platform, role: 'staff' }), {
      code: 'forbidden',
      status: 403,
    })
    await expectMitraError(settle(lost.id, { outcome: 'succeeded' } as RefundSettlement), {
      code: 'validation_failed',
      status: 422,
      path: 'provider_refund_id',
    })

    // The dashboard shows no such refund: the claim is given back.
    const notMade = await settle(lost.id, { outcome: 'failed' })
    expect(notMade.refund.status).toBe('failed')
    expect(notMade.order.refunded_amount.amount).toBe(50_000)
    // The dashboard shows the other was made: reversed as if the provider had answered.
    const made = await settle(dashboard.id, {
      outcome: 'succeeded',
      provider_refund_id: 're_3Dashboard',
    })
    expect(made.refund).toMatchObject({ status: 'succeeded', amount: { amount: 50_000 } })
    expect(made.order).toMatchObject({ status: 'partially_refunded' })
    await expectOwedLess(s, owedBefore, 1 / 4)
    await expectMitraError(settle(dashboard.id, { outcome: 'failed' }), {
      code: 'refund_in_progress',
      status: 409,
    })
    expect(flaky.calls).toBe(2) // nothing was sent again

    // Accepted by the provider, then never made nor failed (Midtrans says nothing of a
    // failure): asked about for a day, then a person's too.
    flaky.failWith = null
    flaky.pending = 'pending'
    const silent = (await refundNow(s, order.id, 40_000)).refund
    await expectMitraError(settle(silent.id, { outcome: 'failed' }, platform, 19), {
      code: 'refund_in_progress',
      status: 409,
    })
    const settledSilent = await settle(silent.id, { outcome: 'failed' })
    expect(settledSilent.refund.status).toBe('failed')
    expect(settledSilent.order.refunded_amount.amount).toBe(50_000)
    flaky.pending = null
    await expectNothingLeftToRefund()
  })

  /** The provider's refund id for a refund mitra made. */
  async function providerRefundIdOf(refundId: string): Promise<string> {
    const [row] = await database()
      .db.select({ id: orderRefunds.providerRefundId })
      .from(orderRefunds)
      .where(eq(orderRefunds.id, refundId))
    return row?.id as string
  }

  /** The provider's event saying one of the order's refunds failed (after it was made). */
  function refundFailed(
    orderId: string,
    eventId: string,
    refund: { id: string },
    refundId: string,
  ) {
    return recordRefundEvent(
      database().db,
      flaky.registry,
      {
        provider: 'demo',
        eventId,
        orderId,
        refundId,
        reference: refund.id,
        state: 'failed',
        occurredAt: clock.now,
        raw: {},
      },
      later(5),
    )
  }

  it('undoes a refund made and then failed at the provider: shares owed again, order back, refundable again', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    await deliveryAt(db, s, 15_000)
    const order = await ordered(s, 2, delivered)
    expect((await deliver(await demo.complete(sessionOf(order.id), 'pay'))).outcome).toBe('paid')
    await fulfilOrder(db, s.venue.staff, order.id, 'shipped', { now: clock.now })
    const venueOwed = async () => (await amountOwed(db, s.venue.id, 'IDR')).amount
    const before = { producer: await owed(s), venue: await venueOwed() }
    const first = (await refundNow(s, order.id, 50_000)).refund
    const rest = await refundNow(s, order.id) // the rest, with the delivery fee
    expect(rest.refund).toMatchObject({ status: 'succeeded', amount: { amount: 165_000 } })
    await expectOrder(s, order.id, 'refunded', 215_000)
    const firstAtProvider = await providerRefundIdOf(first.id)
    const restAtProvider = await providerRefundIdOf(rest.refund.id)

    // Another provider refund failing says nothing about this one.
    const stranger = await refundFailed(order.id, 'evt_other', first, 're_someone_else')
    expect(stranger.outcome).toBe('refund_succeeded')
    await expectOrder(s, order.id, 'refunded', 215_000)

    await demo.bank.failRefund(restAtProvider)
    const bounced = await refundFailed(order.id, 'evt_bounce', rest.refund, restAtProvider)
    expect(bounced).toMatchObject({ outcome: 'refund_failed', orderId: order.id })
    await expectOrder(s, order.id, 'partially_refunded', 50_000)
    expect(await refundsOf(s, order.id)).toEqual([
      ['succeeded', 50_000],
      ['failed', 165_000],
    ])
    // Told again, by a replay or another event: undone once.
    const venueAfterBounce = await venueOwed()
    expect(venueAfterBounce).toBeGreaterThan(0)
    expect(await refundFailed(order.id, 'evt_bounce', rest.refund, restAtProvider)).toMatchObject({
      outcome: 'refund_failed',
      replayed: true,
    })
    expect((await refundFailed(order.id, 'evt_again', rest.refund, restAtProvider)).outcome).toBe(
      'refund_failed',
    )
    expect(await venueOwed()).toBe(venueAfterBounce)

    // The first fails too, told by two events at once (Stripe sends `refund.failed` and
    // `charge.refund.updated`): undone once. Nothing refunded, the order shipped again,
    // every share owed again.
    await demo.bank.failRefund(firstAtProvider)
    const both = await Promise.all(
      ['evt_bounce_first', 'evt_bounce_first_2'].map((id) =>
        refundFailed(order.id, id, first, firstAtProvider),
      ),
    )
    expect(both.map((applied) => applied.outcome)).toEqual(['refund_failed', 'refund_failed'])
    await expectOrder(s, order.id, 'shipped', 0)
    expect(await owed(s)).toBe(before.producer)
    expect(await venueOwed()).toBe(before.venue)
    const view = await viewOf(s, order.id)
    expect(view.transitions.map((step) => step.to).slice(-3)).toEqual([
      'refunded',
      'partially_refunded',
      'shipped',
    ])
    // The money can go back again, to exactly the original shares.
    await expectRefundsInFull(s, order.id, 215_000)
  })

  it('reports a payment owed back again when its refund fails after it was made', async () => {
    const { db } = database()
    const s = await shop(db, 1)
    const { first } = await paymentOwedBack(s)
    const pass = await resumeRefunds(db, flaky.registry, { now: later(61) })
    expect(pass).toMatchObject({ sent: [{ status: 'succeeded' }], refused: 0 })
    const refund = { id: unfilledRefundId(first.id) }
    const atProvider = await providerRefundIdOf(refund.id)
    await demo.bank.failRefund(atProvider)
    const failed = await refundFailed(first.id, 'evt_owed', refund, atProvider)
    expect(failed.outcome).toBe('refund_failed')
    // Still closed, nothing was posted for it; owed back again, for a person to see to.
    await expectOrder(s, first.id, 'canceled', 0)
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
    expect((await resumeRefunds(db, flaky.registry, { now: later(7200) })).refused).toBe(1)
    // A person pays the buyer back another way, through the provider's dashboard: heard.
    const byHand = await dashboardRefund(first.id, 'dash-owed-again', 100_000, {
      state: 'refunded',
      refundedSoFar: 100_000,
    })
    expect(byHand.outcome).toBe('refunded')
    await expectOrder(s, first.id, 'canceled', 100_000)
    expect((await resumeRefunds(db, flaky.registry, { now: later(9000) })).refused).toBe(0)
  })

  it('reports a payment owed back whose refund the provider refused, until a person refunds it', async () => {
    const { db } = database()
    const s = await shop(db, 1)
    const { first, session } = await paymentOwedBack(s)

    flaky.failWith = 'refused'
    const pass = await resumeRefunds(db, flaky.registry, { now: later(61) })
    expect(pass).toMatchObject({
      claimed: 1,
      sent: [{ refundId: unfilledRefundId(first.id), status: 'failed', error: null }],
      refused: 1,
    })
    // Nobody can refund a canceled order's payment again: it stays reported, not retried.
    flaky.failWith = null
    const later2 = await resumeRefunds(db, flaky.registry, { now: later(7200) })
    expect(later2).toEqual({ claimed: 0, sent: [], checked: [], stalled: 0, refused: 1 })
    expect(session.refunded).toBe(0)
    await expectOrder(s, first.id, 'canceled', 0)

    // A person refunds it in the provider's dashboard; the provider's event is heard.
    const byHand = await dashboardRefund(first.id, 'dash-owed', 100_000, {
      state: 'refunded',
      refundedSoFar: 100_000,
    })
    expect(byHand.outcome).toBe('refunded')
    expect(await refundsOf(s, first.id)).toEqual([
      ['failed', 100_000],
      ['succeeded', 100_000],
    ])
    // The order stays closed, nothing was posted for it, and nothing is owed back any more.
    await expectOrder(s, first.id, 'canceled', 100_000)
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
    expect((await resumeRefunds(db, flaky.registry, { now: later(9000) })).refused).toBe(0)
  })
})
