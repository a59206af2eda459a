import { MitraError } from '@mitra/core'
import { demoSessions, orderLines, orderRefunds, orderVenues } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { DemoPaymentProvider, type PaymentProvider, type PaymentStatus } from '@mitra/payments'
import { trialBalance } from '@mitra/revenue-share'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { cancelOrder, closeCanceledCheckouts } from './cancellation.js'
import { databaseDemoBank } from './demo-bank.js'
import { getOrder } from './orders.js'
import { receiveWebhook, reconcilePendingOrders, refundIsDue } from './payments.js'
import type { ProviderRegistry } from './providers.js'
import { resumeRefunds } from './refund-worker.js'
import { refundUnfilledPayment } from './refunds.js'
import {
  checkoutDriver,
  checkoutTestbed,
  demoProviders,
  demoSessionOf,
  reopenDemoSession,
  type Shop,
  shop,
  webhookSecret,
} from './testing.js'

/** The registry's demo provider with some of its answers replaced. */
function answering(registry: ProviderRegistry, overrides: Partial<PaymentProvider>) {
  const calls: string[] = []
  const wrapped: ProviderRegistry = {
    names: () => registry.names(),
    get: (name, accountId) => {
      const provider = registry.get(name, accountId)
      return new Proxy(provider, {
        get(target, property) {
          const own = overrides[property as keyof PaymentProvider]
          if (typeof own === 'function') {
            return (...args: unknown[]) => {
              calls.push(String(property))
              return (own as (...a: unknown[]) => unknown)(...args)
            }
          }
          const value = Reflect.get(target, property, target)
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
    },
  }
  return { registry: wrapped, calls }
}

const status = (orderId: string, state: PaymentStatus['state'], paid = 200_000): PaymentStatus => ({
  orderId,
  state,
  amount: state === 'paid' ? paid : null,
  currency: state === 'paid' ? 'IDR' : null,
  paymentId: state === 'paid' ? 'pay_stub' : null,
  fee: null,
})

describe.each(testDatabaseKinds())('canceling and reconciling checkouts on %s', (kind) => {
  const database = useTestDatabase(kind)
  const { clock, demo, registry, available, ordered, deliver, sessionOf } = checkoutTestbed(
    () => database().db,
  )
  const later = (minutes: number) => new Date(clock.now.getTime() + minutes * 60_000)

  /** Nothing of the order reached the ledger: no sale, no sale line, no split posted. */
  async function expectNoSale(orderId: string) {
    const { db } = database()
    const [venue] = await db.select().from(orderVenues).where(eq(orderVenues.orderId, orderId))
    expect(venue?.saleId).toBeNull()
    const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, orderId))
    expect(lines.every((line) => line.saleLineId === null)).toBe(true)
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
  }

  it('closes the demo checkout when the buyer cancels: the pay page offers no Pay, paying is refused', async () => {
    const { db } = database()
    const s = await shop(db, 3)
    const order = await ordered(s, 2)
    expect(await available(s, s.variants[0] as string)).toBe(1)
    const canceled = await cancelOrder(db, registry, { channelId: s.venue.id }, order.id)
    expect(canceled.status).toBe('canceled')
    expect(await available(s, s.variants[0] as string)).toBe(3)
    expect(demoSessionOf(demo, order.id).state).toBe('canceled')
    const page = await demo.renderPaymentPage(sessionOf(order.id))
    expect(page).not.toContain('/pay"')
    await expect(demo.complete(sessionOf(order.id), 'pay')).rejects.toMatchObject({
      code: 'conflict',
    })
    expect((await getOrder(db, { channelId: s.venue.id }, order.id)).status).toBe('canceled')
    // Closed once: the worker finds nothing left to close.
    expect(await closeCanceledCheckouts(db, registry, { now: clock.now })).toEqual({
      closed: 0,
      failed: [],
    })
  })

  it('refunds in full, once, a payment that still arrives for a canceled order; it stays canceled', async () => {
    const { db } = database()
    const s = await shop(db, 3)
    const order = await ordered(s, 1)
    await cancelOrder(db, registry, { channelId: s.venue.id }, order.id)
    // The bank took the money all the same (a transfer already on its way).
    const hook = await demo.complete(reopenDemoSession(demo, order.id), 'pay')
    const applied = await Promise.all([deliver(hook), deliver(hook), deliver(hook)])
    const fresh = applied.filter((a) => !a.replayed)
    expect(fresh).toHaveLength(1)
    expect(fresh[0]?.outcome).toBe('refund_due')
    // Each delivery's answer refunds what is due, and the worker runs again on top.
    await Promise.all(
      applied
        .filter(refundIsDue)
        .map((a) => refundUnfilledPayment(db, registry, a.orderId, { now: clock.now })),
    )
    await refundUnfilledPayment(db, registry, order.id, { now: clock.now })
    await resumeRefunds(db, registry, { now: later(10) })
    expect((await deliver(hook)).replayed).toBe(true)

    const refunds = await db.select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id))
    expect(refunds.map((r) => [r.amount, r.status])).toEqual([[100_000, 'succeeded']])
    expect(demoSessionOf(demo, order.id)).toMatchObject({ refunded: 100_000, state: 'refunded' })
    const view = await getOrder(db, { channelId: s.venue.id }, order.id)
    expect(view).toMatchObject({ status: 'canceled', refunded_amount: { amount: 100_000 } })
    expect(view.transitions.map((t) => t.to)).toEqual(['pending_payment', 'canceled'])
    expect(await available(s, s.variants[0] as string)).toBe(3)
    await expectNoSale(order.id)
  })

  it('learns at cancel time that the buyer paid first: that payment goes back, and its webhook later adds nothing', async () => {
    const { db } = database()
    const s = await shop(db, 3)
    const order = await ordered(s, 1)
    // Paid at the bank; the webhook is still on its way when the buyer cancels.
    const hook = await demo.complete(sessionOf(order.id), 'pay')
    const canceled = await cancelOrder(db, registry, { channelId: s.venue.id }, order.id)
    expect(canceled).toMatchObject({
      status: 'canceled',
      paid_amount: { amount: 100_000 },
      refunded_amount: { amount: 100_000 },
    })
    const late = await deliver(hook)
    expect(late).toMatchObject({ outcome: 'ignored', replayed: false })
    await resumeRefunds(db, registry, { now: later(10) })
    const refunds = await db.select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id))
    expect(refunds).toHaveLength(1)
    expect(demoSessionOf(demo, order.id).refunded).toBe(100_000)
    await expectNoSale(order.id)
  })

  it('cancels even when the provider cannot be reached, and the worker closes the checkout later', async () => {
    const { db } = database()
    const s = await shop(db, 3)
    const order = await ordered(s, 1)
    const down = answering(registry, {
      expireCheckout: async () => {
        throw new MitraError('provider_unavailable', 'demo is down')
      },
    })
    const canceled = await cancelOrder(db, down.registry, { channelId: s.venue.id }, order.id)
    expect(canceled.status).toBe('canceled')
    expect(down.calls).toEqual(['expireCheckout'])
    expect(demoSessionOf(demo, order.id).state).toBe('pending')
    expect(await closeCanceledCheckouts(db, down.registry, { now: later(1) })).toMatchObject({
      closed: 0,
      failed: [{ orderId: order.id }],
    })
    expect(await closeCanceledCheckouts(db, registry, { now: later(2) })).toEqual({
      closed: 1,
      failed: [],
    })
    expect(demoSessionOf(demo, order.id).state).toBe('canceled')
    expect(await closeCanceledCheckouts(db, registry, { now: later(3) })).toEqual({
      closed: 0,
      failed: [],
    })
  })

  it('keeps the demo bank in the database: a checkout opened before a restart is paid after it', async () => {
    const { db } = database()
    const s = await shop(db, 3)
    const before = demoProviders(clock, databaseDemoBank(db))
    const buyer = checkoutDriver(() => db, clock, before.demo, before.registry)
    const order = await buyer.ordered(s, 1)
    const sessionId = (order.redirect_url as string).split('/').at(-1) as string
    // The process restarts: a new provider, its bank over the same database.
    const after = new DemoPaymentProvider({
      baseUrl: 'http://shop.test',
      webhookSecret,
      now: () => clock.now,
      bank: databaseDemoBank(db),
    })
    const afterRegistry: ProviderRegistry = { names: () => ['demo'], get: () => after }
    expect(await after.renderPaymentPage(sessionId)).toContain('/pay"')
    const hook = await after.complete(sessionId, 'pay')
    const applied = await receiveWebhook(
      db,
      afterRegistry,
      'demo',
      { rawBody: hook.body, headers: new Headers(hook.headers) },
      { now: clock.now },
    )
    expect(applied.outcome).toBe('paid')
    expect((await getOrder(db, { channelId: s.venue.id }, order.id)).status).toBe('paid')
    const [row] = await db.select().from(demoSessions).where(eq(demoSessions.sessionId, sessionId))
    expect(row).toMatchObject({ state: 'paid', orderId: order.id, method: 'qris' })
    // Its refunds are kept there too: the bank after another restart still knows them.
    const paymentId = row?.paymentId as string
    const refund = { orderId: order.id, paymentId, amount: 40_000, currency: 'IDR' as const }
    const made = await after.refund({ ...refund, idempotencyKey: 'refund-1' })
    const restarted = databaseDemoBank(db)
    expect(await restarted.refundOf('refund-1')).toMatchObject({ refundId: made.refundId })
    expect((await restarted.session(sessionId, clock.now)).refunded).toBe(40_000)
  })

  describe('reconciliation', () => {
    async function pending(s: Shop) {
      const before = await available(s, s.variants[0] as string)
      const order = await ordered(s, 2)
      expect(await available(s, s.variants[0] as string)).toBe(before - 2)
      return order
    }

    it('ends an order whose session the provider no longer knows, and releases its stock', async () => {
      const { db } = database()
      const s = await shop(db, 3)
      const order = await pending(s)
      // The demo bank of a process that kept its sessions in memory, restarted.
      const forgetful = demoProviders(clock).registry
      const run = await reconcilePendingOrders(db, forgetful, { now: later(11) })
      expect(run.failed).toEqual([])
      expect(run.applied.find((a) => a.orderId === order.id)?.outcome).toBe('expired')
      expect(await available(s, s.variants[0] as string)).toBe(3)
      const view = await getOrder(db, { channelId: s.venue.id }, order.id)
      expect(view.status).toBe('expired')
      expect(view.transitions.at(-1)?.cause).toBe(
        'reconciliation: the provider knows no such checkout',
      )
      // A provider that answers not_found for its own reasons (Stripe's 404) is the same.
      const other = await pending(s)
      const stripeLike = answering(registry, {
        fetchStatus: async () => {
          throw new MitraError('not_found', 'stripe knows no checkout cs_x')
        },
      })
      const again = await reconcilePendingOrders(db, stripeLike.registry, { now: later(11) })
      expect(again.applied.find((a) => a.orderId === other.id)?.outcome).toBe('expired')
      expect(await available(s, s.variants[0] as string)).toBe(3)
    })

    it('ends an order past its deadline that the provider still calls open, closing it there first', async () => {
      const { db } = database()
      const s = await shop(db, 3)
      const order = await pending(s)
      // Midtrans: a Snap page where the buyer never chose a method stays "pending".
      const open = answering(registry, {
        fetchStatus: async (ref) => status(ref.orderId, 'pending'),
        expireCheckout: async (ref) => status(ref.orderId, 'pending'),
      })
      const inTime = await reconcilePendingOrders(db, open.registry, { now: later(35) })
      expect(inTime.applied).toEqual([])
      expect(open.calls).toEqual(['fetchStatus'])
      const late = await reconcilePendingOrders(db, open.registry, {
        now: later(45),
        graceSeconds: 60,
      })
      expect(late.applied.find((a) => a.orderId === order.id)?.outcome).toBe('expired')
      expect(open.calls).toEqual(['fetchStatus', 'fetchStatus', 'expireCheckout'])
      expect(await available(s, s.variants[0] as string)).toBe(3)
    })

    it('never ends an order the provider reports paid, even past its deadline', async () => {
      const { db } = database()
      const s = await shop(db, 5)
      // Paid at the bank, the webhook lost; reconciliation comes only after the deadline.
      const order = await pending(s)
      await demo.complete(sessionOf(order.id), 'pay')
      const run = await reconcilePendingOrders(db, registry, {
        now: later(45),
        graceSeconds: 60,
      })
      expect(run.applied.find((a) => a.orderId === order.id)?.outcome).toBe('paid')
      expect((await getOrder(db, { channelId: s.venue.id }, order.id)).status).toBe('paid')
      // Paid in the last second: closing it at the provider answers paid, and it is taken.
      const last = await pending(s)
      const racing = answering(registry, {
        fetchStatus: async (ref) => status(ref.orderId, 'pending'),
        expireCheckout: async (ref) => status(ref.orderId, 'paid'),
      })
      const raced = await reconcilePendingOrders(db, racing.registry, {
        now: later(45),
        graceSeconds: 60,
      })
      expect(raced.applied.find((a) => a.orderId === last.id)?.outcome).toBe('paid')
      expect((await getOrder(db, { channelId: s.venue.id }, last.id)).status).toBe('paid')
    })

    it('leaves an order as it is while its provider cannot be reached', async () => {
      const { db } = database()
      const s = await shop(db, 3)
      const order = await pending(s)
      const down = answering(registry, {
        fetchStatus: async () => {
          throw new MitraError('provider_unavailable', 'down')
        },
      })
      const run = await reconcilePendingOrders(db, down.registry, {
        now: later(45),
        graceSeconds: 60,
      })
      expect(run.failed).toEqual([{ orderId: order.id, error: 'down' }])
      expect((await getOrder(db, { channelId: s.venue.id }, order.id)).status).toBe(
        'pending_payment',
      )
      expect(await available(s, s.variants[0] as string)).toBe(1)
    })
  })
})
