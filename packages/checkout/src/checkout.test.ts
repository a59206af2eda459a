import { MitraError, money } from '@mitra/core'
import { carts, journalLines, orderRefunds, orders, paymentEvents } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import type { PaymentProvider } from '@mitra/payments'
import { accountBalances, amountOwed, moneyPosition, trialBalance } from '@mitra/revenue-share'
import { and, eq, gt, isNull, like } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import {
  activeAgreement,
  party,
  stockUp,
  terminate,
  variants,
} from '../../consignment/src/stock/testing.js'
import { cancelOrder } from './cancellation.js'
import { createCart, getCart, removeCartLine, setCartLine } from './carts.js'
import { fulfilOrder, getOrder, listOrders, placeOrder } from './orders.js'
import { receiveWebhook, reconcilePendingOrders, recordPaymentEvent } from './payments.js'
import type { ProviderRegistry } from './providers.js'
import { listRefunds, refundOrder, refundUnfilledPayment } from './refunds.js'
import {
  buyer,
  checkoutTestbed,
  delivered,
  deliveryAt,
  demoSessionOf,
  expectMitraError,
  reopenDemoSession,
  shop,
} from './testing.js'

describe.each(testDatabaseKinds())('checkout on %s', (kind) => {
  const database = useTestDatabase(kind)
  const { clock, demo, registry, available, ordered, deliver, sessionOf } = checkoutTestbed(
    () => database().db,
  )

  /**
   * A shop with 5 units of its first variant, and a cart at its venue's widget holding 2 of
   * them (at the test's clock), with the checkout for pickup to place it.
   */
  async function cartReadyForCheckout() {
    const { db } = database()
    const s = await shop(db, 5)
    const channel = { channelId: s.venue.id }
    const cart = await createCart(db, channel, { now: clock.now })
    const line = { variant_id: s.variants[0] as string, venue_id: s.venue.id, quantity: 2 }
    await setCartLine(db, channel, cart.id, line, { now: clock.now })
    const pickup = { fulfilment: 'pickup', customer: buyer, provider: 'demo' } as const
    return { db, s, channel, cart, line, pickup }
  }
  /** The venue sells in rupiah, for pickup or a flat `rate` of delivery. */

  it('prices a cart at the venue, and refuses more than is available or another channel', async () => {
    const { db } = database()
    const s = await shop(db, 3)
    const channel = { channelId: s.venue.id }
    const cart = await createCart(db, channel)
    const line = { variant_id: s.variants[0] as string, venue_id: s.venue.id, quantity: 2 }
    const priced = await setCartLine(db, channel, cart.id, line)
    expect(priced.lines).toMatchObject([
      {
        quantity: 2,
        unit_price: { amount: 100_000 },
        line_total: { amount: 200_000 },
        available: 3,
        problem: null,
      },
    ])
    expect(priced.venues).toMatchObject([
      { venue_id: s.venue.id, currency: 'IDR', subtotal: { amount: 200_000 } },
    ])
    // Setting the quantity again is not an increment.
    expect((await setCartLine(db, channel, cart.id, line)).lines[0]?.quantity).toBe(2)
    await expectMitraError(setCartLine(db, channel, cart.id, { ...line, quantity: 4 }), {
      code: 'insufficient_stock',
      status: 409,
      path: 'quantity',
    })
    const other = await shop(db, 3)
    // A venue's widget sells only its own shelf; another channel cannot see the cart.
    await expectMitraError(
      setCartLine(db, channel, cart.id, {
        ...line,
        variant_id: other.variants[0] as string,
        venue_id: other.venue.id,
      }),
      { code: 'not_found', status: 404, path: 'venue_id' },
    )
    await expectMitraError(getCart(db, { channelId: other.venue.id }, cart.id), {
      code: 'not_found',
      status: 404,
    })
    const emptied = await removeCartLine(db, channel, cart.id, line)
    expect(emptied.lines).toEqual([])
    await expectMitraError(
      placeOrder(db, registry, channel, cart.id, {
        fulfilment: 'pickup',
        customer: buyer,
        provider: 'demo',
      }),
      { code: 'cart_empty', status: 422 },
    )
  })

  it('refuses to change or check out again a checked-out cart, and changes nothing', async () => {
    const { db, s, channel, cart, line, pickup } = await cartReadyForCheckout()
    const order = await placeOrder(db, registry, channel, cart.id, pickup, { now: clock.now })
    const [done] = await db.select().from(carts).where(eq(carts.id, cart.id))
    expect(done).toMatchObject({ status: 'checked_out', orderId: order.id })

    const later = { now: new Date(clock.now.getTime() + 60_000) }
    const refusals = [
      () => setCartLine(db, channel, cart.id, line, later),
      () => setCartLine(db, channel, cart.id, { ...line, quantity: 1 }, later),
      () => removeCartLine(db, channel, cart.id, line, later),
      () => placeOrder(db, registry, channel, cart.id, pickup, later),
    ]
    for (const refused of refusals) {
      const error = await expectMitraError(refused(), {
        code: 'cart_checked_out',
        status: 409,
        path: 'cart_id',
      })
      expect(error.errors.map((e) => e.path)).toEqual(['cart_id'])
      expect(error.extensions).toEqual({ order_id: order.id })
    }
    // Another channel still cannot tell the cart exists.
    await expectMitraError(
      setCartLine(db, { channelId: (await shop(db, 1)).venue.id }, cart.id, line),
      { code: 'not_found', status: 404 },
    )
    // Nothing changed: one order, the same cart, the same stock held.
    const [after] = await db.select().from(carts).where(eq(carts.id, cart.id))
    expect(after).toEqual(done)
    expect(await db.select().from(orders).where(eq(orders.cartId, cart.id))).toHaveLength(1)
    expect((await getCart(db, channel, cart.id)).lines).toEqual([])
    expect(await available(s, line.variant_id)).toBe(3)
  })

  it('makes one order of two checkouts of one cart at once; the other is refused', async () => {
    const { db, s, channel, cart, line, pickup } = await cartReadyForCheckout()
    // Not batched: two transactions race for the cart's row lock.
    const results = await Promise.allSettled([
      placeOrder(db, registry, channel, cart.id, pickup, { now: clock.now }),
      placeOrder(db, registry, channel, cart.id, pickup, { now: clock.now }),
    ])
    const placed = results.filter((r) => r.status === 'fulfilled').map((r) => r.value)
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason)
    expect(placed).toHaveLength(1)
    expect(refused.map((e) => [e.code, e.status])).toEqual([['cart_checked_out', 409]])
    const made = await db.select().from(orders).where(eq(orders.cartId, cart.id))
    expect(made.map((o) => o.id)).toEqual([placed[0]?.id])
    const [row] = await db.select().from(carts).where(eq(carts.id, cart.id))
    expect(row).toMatchObject({ status: 'checked_out', orderId: placed[0]?.id })
    expect(await available(s, line.variant_id)).toBe(3)
  })

  it('gives the cart back open when the provider cannot open the payment', async () => {
    const { db, s, channel, cart, line, pickup } = await cartReadyForCheckout()
    const unreachable = {
      name: 'demo',
      createCheckout: async () => {
        throw new MitraError('provider_unavailable', 'the demo bank is down')
      },
    }
    const down: ProviderRegistry = {
      names: () => ['demo'],
      get: () => unreachable as unknown as PaymentProvider,
    }
    await expectMitraError(placeOrder(db, down, channel, cart.id, pickup, { now: clock.now }), {
      code: 'provider_unavailable',
      status: 502,
    })
    const back = await getCart(db, channel, cart.id)
    expect(back).toMatchObject({ status: 'open', lines: [{ quantity: 2 }] })
    // Open again, it can change and be checked out.
    await setCartLine(db, channel, cart.id, { ...line, quantity: 1 }, { now: clock.now })
    const order = await placeOrder(db, registry, channel, cart.id, pickup, { now: clock.now })
    expect(order.total.amount).toBe(100_000)
    expect(await available(s, line.variant_id)).toBe(4)
  })

  it('prices each line of a cart, marking only the one its venue can no longer sell', async () => {
    const { db } = database()
    const s = await shop(db, 3)
    const other = await party(db, 'producer', 'Kerajinan Bambu')
    const agreementId = await activeAgreement(db, other, s.venue)
    const [bamboo] = await variants(db, other, 1)
    await stockUp(db, other, s.venue, [{ variant_id: bamboo as string, quantity: 2 }])
    const channel = { channelId: s.venue.id }
    const cart = await createCart(db, channel)
    for (const variant_id of [s.variants[0], bamboo, s.variants[1]] as string[]) {
      await setCartLine(db, channel, cart.id, { variant_id, venue_id: s.venue.id, quantity: 1 })
    }
    await terminate(db, agreementId)
    const priced = await getCart(db, channel, cart.id)
    expect(priced.lines.map((line) => line.problem?.code ?? null)).toEqual([
      null,
      'agreement_not_active',
      null,
    ])
    expect(priced.venues[0]?.subtotal.amount).toBe(250_000)
  })

  it('holds the stock at checkout, and a paid order becomes a sale with its split posted once', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const variantId = s.variants[0] as string
    const order = await ordered(s, 2)
    expect(order).toMatchObject({
      status: 'pending_payment',
      total: { amount: 200_000, currency: 'IDR' },
    })
    expect(order.redirect_url).toContain('/demo-pay/')
    expect(await available(s, variantId)).toBe(3)

    const hook = await demo.complete(sessionOf(order.id), 'pay')
    const applied = await deliver(hook)
    expect(applied).toMatchObject({ outcome: 'paid', replayed: false, orderId: order.id })
    const paid = await getOrder(db, { partyId: s.producer.id }, order.id)
    expect(paid.status).toBe('paid')
    expect(paid.lines[0]?.sale_line_id).toMatch(/^sale_/)
    // The producer's share is owed now (commission 20 %, platform fee from the sample terms).
    const owed = await amountOwed(db, s.producer.id, 'IDR')
    expect(owed.amount).toBeGreaterThan(0)
    expect(owed.amount).toBeLessThan(200_000)

    // The same webhook again: acknowledged, nothing posted twice.
    const lines = await db
      .select()
      .from(journalLines)
      .where(like(journalLines.saleLineId, 'sale_%'))
    expect((await deliver(hook)).replayed).toBe(true)
    expect(
      await db.select().from(journalLines).where(like(journalLines.saleLineId, 'sale_%')),
    ).toHaveLength(lines.length)
    expect((await amountOwed(db, s.producer.id, 'IDR')).amount).toBe(owed.amount)
    // The stock left the venue for good: 3 remain on the shelf.
    expect(await available(s, variantId)).toBe(3)
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
  })

  it('refuses a forged webhook and stores nothing', async () => {
    const { db } = database()
    const s = await shop(db)
    const order = await ordered(s, 1)
    const hook = await demo.complete(sessionOf(order.id), 'pay')
    const forged = hook.body.replace('"paid"', '"paid" ').replace(/"amount":\d+/, '"amount":1')
    await expectMitraError(deliver({ body: forged, headers: hook.headers }), {
      code: 'webhook_signature_invalid',
      status: 400,
    })
    expect(
      await db.select().from(paymentEvents).where(eq(paymentEvents.orderId, order.id)),
    ).toEqual([])
    expect((await getOrder(db, { channelId: s.venue.id }, order.id)).status).toBe('pending_payment')
  })

  it('releases the stock when the payment fails, and ignores an expiry after payment', async () => {
    const { db } = database()
    const s = await shop(db, 4)
    const variantId = s.variants[0] as string
    const failed = await ordered(s, 3)
    expect(await available(s, variantId)).toBe(1)
    expect((await deliver(await demo.complete(sessionOf(failed.id), 'fail'))).outcome).toBe(
      'canceled',
    )
    expect(await available(s, variantId)).toBe(4)
    expect((await getOrder(db, { channelId: s.venue.id }, failed.id)).status).toBe('canceled')

    const paid = await ordered(s, 1)
    await deliver(await demo.complete(sessionOf(paid.id), 'pay'))
    // An expiry delivered late, after the payment settled: the order does not go back.
    const late = await receiveWebhook(
      db,
      {
        names: () => ['demo'],
        get: () => ({
          ...demo,
          name: 'demo',
          parseWebhook: async () => ({
            provider: 'demo',
            eventId: `late-expiry-${paid.id}`,
            orderId: paid.id,
            state: 'expired',
            amount: null,
            currency: null,
            paymentId: null,
            fee: null,
            occurredAt: clock.now,
            raw: {},
          }),
          createCheckout: demo.createCheckout.bind(demo),
          fetchStatus: demo.fetchStatus.bind(demo),
          expireCheckout: demo.expireCheckout.bind(demo),
          fetchRefund: demo.fetchRefund.bind(demo),
          refund: demo.refund.bind(demo),
        }),
      },
      'demo',
      { rawBody: '{}', headers: new Headers() },
    )
    expect(late.outcome).toBe('ignored')
    expect((await getOrder(db, { channelId: s.venue.id }, paid.id)).status).toBe('paid')
  })

  it('recovers a paid order whose webhook never came, once, with several workers', async () => {
    const { db } = database()
    const s = await shop(db)
    const order = await ordered(s, 2)
    // The buyer paid; the process died before the webhook was delivered.
    await demo.complete(sessionOf(order.id), 'pay')
    const early = await reconcilePendingOrders(db, registry, { now: clock.now })
    expect(early.applied.filter((a) => a.orderId === order.id)).toEqual([])
    const later = new Date(clock.now.getTime() + 11 * 60_000)
    const runs = await Promise.all([
      reconcilePendingOrders(db, registry, { now: later }),
      reconcilePendingOrders(db, registry, { now: later }),
      reconcilePendingOrders(db, registry, { now: later }),
    ])
    const mine = runs.flatMap((run) => run.applied).filter((a) => a.orderId === order.id)
    expect(mine.filter((a) => a.outcome === 'paid' && !a.replayed)).toHaveLength(1)
    expect((await getOrder(db, { channelId: s.venue.id }, order.id)).status).toBe('paid')
    const sales = await db
      .select()
      .from(journalLines)
      .where(like(journalLines.saleLineId, 'sale_%'))
    expect(sales.filter((l) => l.partyId === s.producer.id)).toHaveLength(1)
  })

  it('expires an order whose checkout was never handed to the buyer, once its window is over', async () => {
    const { db } = database()
    const s = await shop(db, 3)
    const variantId = s.variants[0] as string
    const order = await ordered(s, 2)
    // The process stopped after holding the stock, before it recorded the provider's session.
    await db.update(orders).set({ providerSessionId: null }).where(eq(orders.id, order.id))
    const inWindow = new Date(clock.now.getTime() + 11 * 60_000)
    const early = await reconcilePendingOrders(db, registry, { now: inWindow })
    expect(early.applied.filter((a) => a.orderId === order.id)).toEqual([])
    expect(early.failed).toEqual([])
    expect(await available(s, variantId)).toBe(1)
    const afterWindow = new Date(clock.now.getTime() + 45 * 60_000)
    const late = await reconcilePendingOrders(db, registry, { now: afterWindow, graceSeconds: 60 })
    expect(late.applied.find((a) => a.orderId === order.id)?.outcome).toBe('expired')
    expect(await available(s, variantId)).toBe(3)
  })

  it('expires an unpaid order through reconciliation, then takes a late payment while stock lasts', async () => {
    const { db } = database()
    const s = await shop(db, 2)
    const variantId = s.variants[0] as string
    const order = await ordered(s, 2)
    const pastExpiry = new Date(clock.now.getTime() + 45 * 60_000)
    const run = await reconcilePendingOrders(db, registry, { now: pastExpiry, graceSeconds: 60 })
    expect(run.applied.find((a) => a.orderId === order.id)?.outcome).toBe('expired')
    expect(await available(s, variantId)).toBe(2)
    // The bank still took the money afterwards (an e-wallet settling late): stock is there.
    const hook = await demo.complete(reopenDemoSession(demo, order.id), 'pay')
    expect((await deliver(hook)).outcome).toBe('paid_late')
    expect((await getOrder(db, { channelId: s.venue.id }, order.id)).status).toBe('paid')
    expect(await available(s, variantId)).toBe(0)
  })

  it('refunds a late payment whose stock is gone, in full and once', async () => {
    const { db } = database()
    const s = await shop(db, 1)
    const first = await ordered(s, 1)
    await deliver(await demo.complete(sessionOf(first.id), 'fail'))
    const second = await ordered(s, 1)
    await deliver(await demo.complete(sessionOf(second.id), 'pay'))
    // The first buyer's payment goes through after all, but the unit is sold.
    const sessionId = reopenDemoSession(demo, first.id)
    expect((await deliver(await demo.complete(sessionId, 'pay'))).outcome).toBe('refund_due')
    const refund = await refundUnfilledPayment(db, registry, first.id, { now: clock.now })
    expect(refund).toMatchObject({ status: 'succeeded', amount: { amount: 100_000 } })
    expect(await refundUnfilledPayment(db, registry, first.id)).toMatchObject({ id: refund?.id })
    expect(demoSessionOf(demo, first.id).refunded).toBe(100_000)
    expect((await getOrder(db, { channelId: s.venue.id }, first.id)).status).toBe('canceled')
  })

  it('refunds part by lines then the rest by amount, reversing exactly the shares, never more', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    await deliveryAt(database().db, s, 15_000)
    const order = await ordered(s, 3, delivered)
    expect(order.total.amount).toBe(315_000)
    await deliver(await demo.complete(sessionOf(order.id), 'pay'))
    const venueBefore = await accountBalances(db, s.venue.id, 'IDR')
    expect(venueBefore.find((b) => b.purpose === 'delivery_fees')?.balance.amount).toBe(-15_000)
    const owedBefore = (await amountOwed(db, s.producer.id, 'IDR')).amount

    await expectMitraError(refundOrder(db, registry, s.venue.staff, order.id, { goods: 'kept' }), {
      code: 'forbidden',
      status: 403,
    })
    const other = await shop(db)
    await expectMitraError(
      refundOrder(db, registry, other.venue.owner, order.id, { goods: 'kept' }),
      {
        code: 'not_found',
        status: 404,
      },
    )

    const one = await refundOrder(
      db,
      registry,
      s.venue.owner,
      order.id,
      { lines: [{ position: 0, quantity: 1 }], goods: 'kept' },
      { now: clock.now },
    )
    expect(one.refund).toMatchObject({ status: 'succeeded', amount: { amount: 100_000 } })
    expect(one.order.status).toBe('partially_refunded')
    // A third of the line went back: the producer is owed exactly a third less.
    const owedAfter = (await amountOwed(db, s.producer.id, 'IDR')).amount
    expect(owedBefore - owedAfter).toBe(Math.round(owedBefore / 3))

    await expectMitraError(
      refundOrder(db, registry, s.venue.owner, order.id, {
        amount: money(215_001, 'IDR'),
        goods: 'kept',
      }),
      { code: 'refund_exceeds_payment', status: 409, path: 'amount.amount' },
    )
    const rest = await refundOrder(db, registry, s.venue.owner, order.id, { goods: 'kept' })
    expect(rest.refund.amount.amount).toBe(215_000)
    expect(rest.order).toMatchObject({ status: 'refunded', refunded_amount: { amount: 315_000 } })
    expect((await amountOwed(db, s.producer.id, 'IDR')).amount).toBe(0)
    const venueAfter = await accountBalances(db, s.venue.id, 'IDR')
    expect(venueAfter.find((b) => b.purpose === 'delivery_fees')?.balance.amount).toBe(0)
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
    await expectMitraError(refundOrder(db, registry, s.venue.owner, order.id, { goods: 'kept' }), {
      code: 'illegal_status_transition',
      status: 409,
    })
  })

  it('reverses a refund made in the provider dashboard once, whatever events follow', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await ordered(s, 3)
    expect(order.total.amount).toBe(300_000)
    const unpaid = await ordered(s, 1)
    await deliver(await demo.complete(sessionOf(order.id), 'pay'))
    const owedBefore = (await amountOwed(db, s.producer.id, 'IDR')).amount
    const event = (
      eventId: string,
      state: 'refunded' | 'partially_refunded',
      refundedSoFar: number,
      about = order.id,
      currency: 'IDR' | 'USD' = 'IDR',
    ) =>
      recordPaymentEvent(
        db,
        {
          provider: 'demo',
          eventId,
          orderId: about,
          state,
          amount: refundedSoFar,
          currency,
          paymentId: null,
          fee: null,
          raw: {},
        },
        'demo webhook',
        clock.now,
      )

    // A third goes back from the provider's dashboard: mitra takes it as a refund.
    expect((await event('dash-1', 'partially_refunded', 100_000)).outcome).toBe('refunded')
    expect(await event('dash-1', 'partially_refunded', 100_000)).toMatchObject({ replayed: true })
    expect((await event('dash-1b', 'partially_refunded', 100_000)).outcome).toBe('ignored')
    expect((await event('dash-usd', 'partially_refunded', 200_000, order.id, 'USD')).outcome).toBe(
      'ignored',
    )
    expect(await getOrder(db, { channelId: s.venue.id }, order.id)).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: { amount: 100_000 },
    })
    const owedAfter = (await amountOwed(db, s.producer.id, 'IDR')).amount
    expect(owedBefore - owedAfter).toBe(Math.round(owedBefore / 3))

    // Mitra's own refund, then the provider's word on it: nothing more is reversed.
    await refundOrder(db, registry, s.venue.owner, order.id, {
      amount: money(50_000, 'IDR'),
      goods: 'kept',
    })
    expect((await event('own-echo', 'partially_refunded', 150_000)).outcome).toBe('ignored')
    // An older event arriving late adds nothing either.
    expect((await event('dash-0', 'partially_refunded', 60_000)).outcome).toBe('ignored')
    // The rest goes back in the dashboard.
    expect((await event('dash-2', 'refunded', 300_000)).outcome).toBe('refunded')
    expect(await getOrder(db, { channelId: s.venue.id }, order.id)).toMatchObject({
      status: 'refunded',
      refunded_amount: { amount: 300_000 },
    })
    expect((await amountOwed(db, s.producer.id, 'IDR')).amount).toBe(0)
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
    const refunds = await db.select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id))
    expect(refunds.map((r) => [r.requestedBy, r.amount, r.status]).sort()).toEqual(
      [
        ['demo', 100_000, 'succeeded'],
        ['demo', 150_000, 'succeeded'],
        [s.venue.id, 50_000, 'succeeded'],
      ].sort(),
    )
    // The venue and the producer see them, page by page; another venue does not.
    const first = await listRefunds(db, { partyId: s.venue.id }, order.id, { limit: 2 })
    expect(first.data).toHaveLength(2)
    const rest = await listRefunds(db, { partyId: s.producer.id }, order.id, {
      limit: 2,
      cursor: first.next_cursor as string,
    })
    expect(rest).toMatchObject({ next_cursor: null })
    expect([...first.data, ...rest.data].map((r) => r.amount.amount)).toEqual([
      100_000, 50_000, 150_000,
    ])
    const other = await shop(db)
    await expectMitraError(listRefunds(db, { partyId: other.venue.id }, order.id), {
      code: 'not_found',
      status: 404,
    })
    // No money was taken for an unpaid order, so a refund event for it is not ours to post.
    expect((await event('dash-unpaid', 'refunded', 100_000, unpaid.id)).outcome).toBe('ignored')
    expect((await getOrder(db, { channelId: s.venue.id }, unpaid.id)).status).toBe(
      'pending_payment',
    )
  })

  it("posts a payment into the venue's own provider account as held by the venue, and its refund", async () => {
    const { db } = database()
    const s = await shop(db, 5)
    await deliveryAt(database().db, s, 15_000)
    const venueKeys: ProviderRegistry = {
      names: () => ['demo'],
      get: registry.get,
      ownAccount: (name, accountId) => name === 'demo' && accountId === s.venue.id,
    }
    const platformOrder = await ordered(s, 1)
    expect(platformOrder.collector).toBe('platform')
    const order = await ordered(s, 2, delivered, venueKeys)
    expect(order).toMatchObject({ collector: 'venue', total: { amount: 215_000 } })
    const hook = await demo.complete(sessionOf(order.id), 'pay')
    // Only the venue's own account speaks for an order paid into it: not the platform's…
    const platformSays = await deliver(hook)
    expect(platformSays).toMatchObject({ outcome: 'unknown_order', orderId: null })
    // …and the venue's account not for the platform's orders, nor for another venue's.
    const other = await shop(db, 5)
    const otherKeys: ProviderRegistry = {
      names: () => ['demo'],
      get: registry.get,
      ownAccount: (name, accountId) => name === 'demo' && accountId === other.venue.id,
    }
    const otherVenueSays = await deliver(hook, { providers: otherKeys, accountId: other.venue.id })
    expect(otherVenueSays.outcome).toBe('unknown_order')
    const platformHook = await demo.complete(sessionOf(platformOrder.id), 'pay')
    const venueSays = await deliver(platformHook, { providers: venueKeys, accountId: s.venue.id })
    expect(venueSays.outcome).toBe('unknown_order')
    expect((await getOrder(db, { channelId: s.venue.id }, order.id)).status).toBe('pending_payment')
    expect((await getOrder(db, { channelId: s.venue.id }, platformOrder.id)).status).toBe(
      'pending_payment',
    )
    // Kept under its sender: a replay of it is one, and the same event on the right
    // endpoint is taken.
    expect(await deliver(platformHook, { providers: venueKeys, accountId: s.venue.id })).toEqual({
      ...venueSays,
      replayed: true,
    })
    const idOf = (webhook: { body: string }) => (JSON.parse(webhook.body) as { id: string }).id
    expect([platformSays.eventId, otherVenueSays.eventId, venueSays.eventId]).toEqual([
      `${idOf(hook)}@platform`,
      `${idOf(hook)}@${other.venue.id}`,
      `${idOf(platformHook)}@${s.venue.id}`,
    ])
    const stored = await db
      .select({ eventId: paymentEvents.eventId, outcome: paymentEvents.outcome })
      .from(paymentEvents)
      .where(like(paymentEvents.eventId, `${idOf(hook)}%`))
    expect(stored.map((row) => row.outcome).sort()).toEqual(['unknown_order', 'unknown_order'])
    expect((await deliver(hook, { providers: venueKeys, accountId: s.venue.id })).outcome).toBe(
      'paid',
    )
    const paid = await getOrder(db, { channelId: s.venue.id }, order.id)
    const collected = await db
      .select()
      .from(journalLines)
      .where(
        and(
          eq(journalLines.saleLineId, paid.lines[0]?.sale_line_id as string),
          isNull(journalLines.shareRole),
          eq(journalLines.purpose, 'provider_clearing'),
          gt(journalLines.amount, 0),
        ),
      )
    // The venue holds the goods' money in its own provider account; the platform holds none.
    expect(collected.map((l) => [l.partyId, l.purpose, l.amount])).toEqual([
      [s.venue.id, 'provider_clearing', 200_000],
    ])
    // The delivery fee is the venue's own money: nobody owes it to anyone.
    const balances = await accountBalances(db, s.venue.id, 'IDR')
    expect(balances.find((b) => b.purpose === 'delivery_fees')?.balance.amount ?? 0).toBe(0)
    // It kept its commission; the rest it holds for the others, awaiting collection.
    const venue = await moneyPosition(db, s.venue.id, 'IDR')
    expect(venue.holds.amount).toBe(venue.owes.reduce((sum, o) => sum + o.amount.amount, 0))
    expect(venue.holds.amount).toBeGreaterThan(0)
    expect((await moneyPosition(db, s.producer.id, 'IDR')).awaiting).toMatchObject([
      { partyId: s.venue.id },
    ])

    const refunded = await refundOrder(db, venueKeys, s.venue.owner, order.id, { goods: 'kept' })
    expect(refunded.order).toMatchObject({
      status: 'refunded',
      refunded_amount: { amount: 215_000 },
    })
    const after = await accountBalances(db, s.venue.id, 'IDR')
    expect(after.find((b) => b.purpose === 'provider_clearing')?.balance.amount).toBe(0)
    expect((await amountOwed(db, s.producer.id, 'IDR')).amount).toBe(0)
    // Given back from what it held: nobody is owed anything of it any more.
    expect((await moneyPosition(db, s.producer.id, 'IDR')).owed.amount).toBe(0)
    expect((await moneyPosition(db, s.venue.id, 'IDR')).owes).toEqual([])
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
  })

  it('lets two refunds race without returning more than was paid', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await ordered(s, 2)
    await deliver(await demo.complete(sessionOf(order.id), 'pay'))
    const results = await Promise.allSettled([
      refundOrder(db, registry, s.venue.owner, order.id, {
        amount: money(150_000, 'IDR'),
        goods: 'kept',
      }),
      refundOrder(db, registry, s.venue.owner, order.id, {
        amount: money(150_000, 'IDR'),
        goods: 'kept',
      }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refunds = await db
      .select()
      .from(orderRefunds)
      .where(and(eq(orderRefunds.orderId, order.id), eq(orderRefunds.status, 'succeeded')))
    expect(refunds.reduce((sum, r) => sum + r.amount, 0)).toBe(150_000)
  })

  it('follows the state machine for fulfilment and cancellation', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const pending = await ordered(s, 1)
    await expectMitraError(fulfilOrder(db, s.venue.staff, pending.id, 'completed'), {
      code: 'illegal_status_transition',
      status: 409,
    })
    await expectMitraError(cancelOrder(db, registry, { partyId: s.producer.id }, pending.id), {
      code: 'not_found',
      status: 404,
    })
    const canceled = await cancelOrder(db, registry, { channelId: s.venue.id }, pending.id)
    expect(canceled.status).toBe('canceled')
    expect(await available(s, s.variants[0] as string)).toBe(5)

    const order = await ordered(s, 1)
    await deliver(await demo.complete(sessionOf(order.id), 'pay'))
    await expectMitraError(fulfilOrder(db, s.venue.staff, order.id, 'shipped'), {
      code: 'illegal_status_transition',
      status: 409,
    })
    const other = await shop(db)
    await expectMitraError(fulfilOrder(db, other.venue.staff, order.id, 'ready_for_pickup'), {
      code: 'not_found',
      status: 404,
    })
    expect((await fulfilOrder(db, s.venue.staff, order.id, 'ready_for_pickup')).status).toBe(
      'ready_for_pickup',
    )
    const done = await fulfilOrder(db, s.venue.staff, order.id, 'completed')
    expect(done.transitions.map((t) => t.to)).toEqual([
      'pending_payment',
      'paid',
      'ready_for_pickup',
      'completed',
    ])
    await expectMitraError(cancelOrder(db, registry, { channelId: s.venue.id }, order.id), {
      code: 'illegal_status_transition',
      status: 409,
    })
    const mine = await listOrders(db, s.producer.owner)
    expect(mine.data.map((o) => o.id)).toEqual(expect.arrayContaining([order.id, pending.id]))
    expect((await listOrders(db, other.producer.owner)).data.map((o) => o.id)).not.toContain(
      order.id,
    )
  })
})
