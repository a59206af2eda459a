import { reconcileStock } from '@mitra/consignment'
import { journalLines, journalTransactions, orders, paymentEvents, stockLevels } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { trialBalance } from '@mitra/revenue-share'
import { and, asc, eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { checkoutBatches, payTogether } from './batches.js'
import { createCart, getCart, setCartLine } from './carts.js'
import { getOrder, type OrderView, placeOrder } from './orders.js'
import { verifyWebhook } from './payments.js'
import { buyer, checkoutTestbed, expectMitraError, type Shop, shop } from './testing.js'

describe.each(testDatabaseKinds())('checkout in batches on %s', (kind) => {
  const database = useTestDatabase(kind)
  const { clock, demo, registry, available, ordered, deliver, sessionOf } = checkoutTestbed(
    () => database().db,
  )
  const batches = () => checkoutBatches(database().db, registry)
  const pickup = { fulfilment: 'pickup', customer: buyer, provider: 'demo' } as const

  /** A cart at the shop's venue with `quantity` of its first variant. */
  async function cartWith(s: Shop, quantity: number): Promise<string> {
    const { db } = database()
    const channel = { channelId: s.venue.id }
    const cart = await createCart(db, channel, { now: clock.now })
    const line = { variant_id: s.variants[0] as string, venue_id: s.venue.id, quantity }
    await setCartLine(db, channel, cart.id, line, { now: clock.now })
    return cart.id
  }

  /** What each party's purpose got from an order's sale lines, whoever the parties are. */
  async function splitOf(order: OrderView): Promise<[string, number][]> {
    const { db } = database()
    const sources = order.lines.map((line) => line.sale_line_id as string)
    const rows = await db
      .select({ purpose: journalLines.purpose, amount: journalLines.amount })
      .from(journalLines)
      .innerJoin(journalTransactions, eq(journalTransactions.id, journalLines.transactionId))
      .where(inArray(journalTransactions.sourceId, sources))
      .orderBy(asc(journalLines.purpose), asc(journalLines.amount))
    return rows.map((row) => [row.purpose, row.amount])
  }

  it('creates carts and sets their lines together; a line another channel may not sell fails alone', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const other = await shop(db, 5)
    const checkout = batches()
    const channel = { channelId: s.venue.id }
    const carts = await Promise.all([1, 2, 3].map(() => checkout.createCart(channel)))
    expect(new Set(carts.map((cart) => cart.id)).size).toBe(3)
    const line = (venue: Shop, quantity: number) => ({
      variant_id: venue.variants[0] as string,
      venue_id: venue.venue.id,
      quantity,
    })
    const [first, foreign, third] = await Promise.allSettled([
      checkout.setCartLine(channel, carts[0]?.id as string, line(s, 2)),
      checkout.setCartLine(channel, carts[1]?.id as string, line(other, 1)),
      checkout.setCartLine(channel, carts[2]?.id as string, line(s, 5)),
    ])
    expect(first).toMatchObject({
      status: 'fulfilled',
      value: { lines: [{ quantity: 2, available: 5, line_total: { amount: 200_000 } }] },
    })
    expect(third).toMatchObject({ status: 'fulfilled', value: { lines: [{ quantity: 5 }] } })
    await expectMitraError(Promise.reject((foreign as PromiseRejectedResult).reason), {
      code: 'not_found',
      status: 404,
      path: 'venue_id',
    })
    expect((await getCart(db, channel, carts[1]?.id as string)).lines).toEqual([])
  })

  it('places orders together: each holds its own stock, and one short of stock fails alone', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const variantId = s.variants[0] as string
    const cartIds = [await cartWith(s, 2), await cartWith(s, 2), await cartWith(s, 2)]
    const checkout = batches()
    const channel = { channelId: s.venue.id }
    const placed = await Promise.allSettled([
      ...cartIds.map((id) => checkout.placeOrder(channel, id, pickup, { now: clock.now })),
      // The same cart twice at once: once it is checked out, it takes no second checkout.
      checkout.placeOrder(channel, cartIds[0] as string, pickup, { now: clock.now }),
    ])
    const made = placed.filter((p) => p.status === 'fulfilled').map((p) => p.value)
    expect(made).toHaveLength(2)
    for (const order of made) {
      expect(order).toMatchObject({ status: 'pending_payment', total: { amount: 200_000 } })
      expect(order.redirect_url).toMatch(/^http:\/\/shop\.test\//)
      expect(order.transitions).toEqual([
        { from: null, to: 'pending_payment', cause: 'checkout', at: clock.now.toISOString() },
      ])
      // Read again, the order is the same, but for its access token: given only once.
      const { access_token, ...stored } = order
      expect(access_token).toMatch(/^otok_/)
      expect(await getOrder(db, channel, order.id)).toEqual(stored)
    }
    const refused = placed.filter((p) => p.status === 'rejected').map((p) => p.reason)
    expect(refused.map((error) => error.code).sort()).toEqual([
      'cart_checked_out',
      'insufficient_stock',
    ])
    // Neither names a field the checkout did not send: both name the cart.
    expect(refused.map((error) => error.errors.map((e: { path: string }) => e.path))).toEqual([
      ['cart_id'],
      ['cart_id'],
    ])
    // 4 of 5 held; the cart that found too little keeps its line, the others are empty.
    expect(await available(s, variantId)).toBe(1)
    const carts = await Promise.all(cartIds.map((id) => getCart(db, channel, id)))
    expect(carts.map((cart) => cart.lines.length).sort()).toEqual([0, 0, 1])
    expect(carts.filter((cart) => cart.order_id !== null)).toHaveLength(2)
  })

  it('pays orders together exactly as one by one; replays, forged and failed payments are answered alone', async () => {
    const { db } = database()
    const s = await shop(db, 10)
    const alone = await shop(db, 10)
    const paidAlone = await ordered(alone, 2)
    await deliver(await demo.complete(sessionOf(paidAlone.id), 'pay'))
    const orders3 = [await ordered(s, 2), await ordered(s, 2), await ordered(s, 1)]
    const failing = await ordered(s, 1)
    const hooks = await Promise.all(
      orders3.map((order) => demo.complete(sessionOf(order.id), 'pay')),
    )
    const failed = await demo.complete(sessionOf(failing.id), 'fail')
    const checkout = batches()
    const receive = (hook: { body: string; headers: Record<string, string> }) =>
      checkout.receiveWebhook(
        'demo',
        { rawBody: hook.body, headers: new Headers(hook.headers) },
        { now: clock.now },
      )
    const first = hooks[0] as (typeof hooks)[number]
    const forged = { ...first, body: first.body.replace(/"amount":\d+/, '"amount":1') }
    const answers = await Promise.allSettled([
      ...hooks.map(receive),
      receive(first),
      receive(forged),
      receive(failed),
    ])
    const value = (index: number) => (answers[index] as PromiseFulfilledResult<unknown>).value
    for (const index of [0, 1, 2]) {
      expect(value(index)).toMatchObject({ outcome: 'paid', replayed: false })
    }
    // The same event twice at once is applied once; the second is its replay.
    expect(value(3)).toMatchObject({ outcome: 'paid', replayed: true })
    await expectMitraError(Promise.reject((answers[4] as PromiseRejectedResult).reason), {
      code: 'webhook_signature_invalid',
      status: 400,
    })
    expect(value(5)).toMatchObject({ outcome: 'canceled', replayed: false })

    const channel = { channelId: s.venue.id }
    const reference = await getOrder(db, { channelId: alone.venue.id }, paidAlone.id)
    for (const order of orders3) {
      const seen = await getOrder(db, channel, order.id)
      expect(seen.status).toBe('paid')
      expect(seen.transitions.map((move) => move.to)).toEqual(['pending_payment', 'paid'])
      expect(seen.lines.every((line) => line.sale_line_id !== null)).toBe(true)
      expect(seen.paid_amount).toEqual(seen.total)
    }
    // Same goods, same terms: the batch posts the split a lone payment posts.
    const twoUnits = await getOrder(db, channel, orders3[0]?.id as string)
    expect(await splitOf(twoUnits)).toEqual(await splitOf(reference))
    expect(
      await db
        .select()
        .from(paymentEvents)
        .where(
          inArray(
            paymentEvents.orderId,
            orders3.map((o) => o.id),
          ),
        ),
    ).toHaveLength(3)
    // 10 − 5 sold; the failed order's unit is back on the shelf.
    expect(await available(s, s.variants[0] as string)).toBe(5)
    expect((await db.select().from(orders).where(eq(orders.id, failing.id)))[0]?.status).toBe(
      'canceled',
    )
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
  })

  it('pays together only new events that fill a pending order; the rest are left for one at a time', async () => {
    const { db } = database()
    const s = await shop(db, 10)
    const [a, b, c] = [await ordered(s, 1), await ordered(s, 1), await ordered(s, 1)]
    const verified = async (hook: { body: string; headers: Record<string, string> }) => ({
      ...(await verifyWebhook(registry, 'demo', {
        rawBody: hook.body,
        headers: new Headers(hook.headers),
      })),
      now: clock.now,
    })
    const payA = await verified(await demo.complete(sessionOf(a.id), 'pay'))
    const payB = await verified(await demo.complete(sessionOf(b.id), 'pay'))
    const failC = await verified(await demo.complete(sessionOf(c.id), 'fail'))
    // A pays, B pays, A again (the same order: left), C fails (not a payment: left).
    expect(await payTogether(db, [payA, payB, payA, failC], clock.now)).toEqual([0, 1])
    // Delivered again, an applied event is a replay: nothing is paid twice.
    expect(await payTogether(db, [payB], clock.now)).toEqual([])
    const channel = { channelId: s.venue.id }
    expect((await getOrder(db, channel, a.id)).status).toBe('paid')
    expect((await getOrder(db, channel, c.id)).status).toBe('pending_payment')
    // Two sold, one still held for C.
    expect(await available(s, s.variants[0] as string)).toBe(7)
  })

  it('two servers batching and a lone call racing for the last units never oversell', async () => {
    const { db } = database()
    const s = await shop(db, 10)
    const variantId = s.variants[0] as string
    const channel = { channelId: s.venue.id }
    const cartIds: string[] = []
    for (let i = 0; i < 16; i++) cartIds.push(await cartWith(s, 1))
    const [one, two] = [batches(), batches()]
    const placed = await Promise.allSettled(
      cartIds.map((id, i) =>
        i % 4 === 3
          ? placeOrder(db, registry, channel, id, pickup, { now: clock.now })
          : (i % 2 === 0 ? one : two).placeOrder(channel, id, pickup, { now: clock.now }),
      ),
    )
    const made = placed.filter((p) => p.status === 'fulfilled').map((p) => p.value)
    const refused = placed.filter((p) => p.status === 'rejected').map((p) => p.reason.code)
    expect(made).toHaveLength(10)
    expect(refused).toEqual(Array(6).fill('insufficient_stock'))
    expect(await available(s, variantId)).toBe(0)
    // Paid through both servers at once, and one of them twice: each sells its unit once.
    const hooks = await Promise.all(made.map((order) => demo.complete(sessionOf(order.id), 'pay')))
    const request = (hook: (typeof hooks)[number]) => ({
      rawBody: hook.body,
      headers: new Headers(hook.headers),
    })
    const answers = await Promise.all([
      ...hooks.map((hook, i) => (i % 2 === 0 ? one : two).receiveWebhook('demo', request(hook))),
      ...hooks.map((hook, i) => (i % 2 === 0 ? two : one).receiveWebhook('demo', request(hook))),
    ])
    expect(answers.filter((a) => a.outcome === 'paid' && !a.replayed)).toHaveLength(10)
    expect(answers.filter((a) => a.replayed)).toHaveLength(10)
    for (const order of made) expect((await getOrder(db, channel, order.id)).status).toBe('paid')
    expect(await reconcileStock(db, { venueId: s.venue.id })).toEqual([])
    const [level] = await db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.venueId, s.venue.id), eq(stockLevels.variantId, variantId)))
    expect(level).toMatchObject({ onHand: 0, reserved: 0 })
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
  })
})
