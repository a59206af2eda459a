import { createHash } from 'node:crypto'
import { releaseExpiredReservations } from '@mitra/consignment'
import { orders, stockReservations } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { createCart, setCartLine } from './carts.js'
import { assertOrderToken, orderParts, placeOrder } from './orders.js'
import type { VenueCheckoutSettingsInput } from './schemas.js'
import { setVenueCheckoutSettings, venueCheckoutSettings } from './settings.js'
import {
  buyer,
  checkoutTestbed,
  demoSessionOf,
  expectMitraError,
  type Shop,
  shop,
} from './testing.js'

describe.each(testDatabaseKinds())('holds and order tokens on %s', (kind) => {
  const database = useTestDatabase(kind)
  const { clock, demo, registry, available, deliver, sessionOf } = checkoutTestbed(
    () => database().db,
  )
  const pickup = { fulfilment: 'pickup', customer: buyer, provider: 'demo' } as const

  /** The venue's limits, pickup only in rupiah. */
  function limits(s: Shop, set: Omit<VenueCheckoutSettingsInput, 'pickup'>) {
    return setVenueCheckoutSettings(database().db, s.venue.owner, { pickup: true, ...set })
  }

  /** A cart at the venue holding `quantity` of each variant given (default: the first). */
  async function cartOf(s: Shop, quantity: number, variantIds = [s.variants[0] as string]) {
    const { db } = database()
    const channel = { channelId: s.venue.id }
    const cart = await createCart(db, channel, { now: clock.now })
    for (const variant_id of variantIds) {
      const line = { variant_id, venue_id: s.venue.id, quantity }
      await setCartLine(db, channel, cart.id, line, { now: clock.now })
    }
    return cart
  }

  function checkOut(s: Shop, cartId: string, buyerKey?: string, extra = {}) {
    const scope = { channelId: s.venue.id, ...(buyerKey === undefined ? {} : { buyerKey }) }
    const input = { ...pickup, ...extra }
    return placeOrder(database().db, registry, scope, cartId, input, { now: clock.now })
  }

  it('keeps the limits a venue sets, with the defaults and bounds of the database', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    expect(await venueCheckoutSettings(db, s.venue.id)).toMatchObject({
      max_units_per_order: 10,
      max_units_per_buyer: 20,
      hold_seconds: 600,
    })
    const set = { max_units_per_order: 3, max_units_per_buyer: 4, hold_seconds: 120 }
    expect(await limits(s, set)).toMatchObject(set)
    expect(await venueCheckoutSettings(db, s.venue.id)).toMatchObject(set)
    for (const [field, value] of [
      ['max_units_per_order', 0],
      ['max_units_per_order', 10_001],
      ['max_units_per_buyer', 0],
      ['max_units_per_buyer', 100_001],
      ['hold_seconds', 59],
      ['hold_seconds', 86_401],
    ] as const) {
      await expectMitraError(limits(s, { [field]: value }), {
        code: 'validation_failed',
        status: 422,
        path: field,
      })
    }
    // The bounds are the database's own: its largest values are taken.
    const most = { max_units_per_order: 10_000, max_units_per_buyer: 100_000, hold_seconds: 86_400 }
    expect(await limits(s, most)).toMatchObject(most)
  })

  it('refuses an order over the venue’s units per order, and takes one exactly at it', async () => {
    const { db } = database()
    const s = await shop(db, 10)
    await limits(s, { max_units_per_order: 3 })
    const over = await cartOf(s, 2, s.variants)
    await expectMitraError(checkOut(s, over.id), {
      code: 'validation_failed',
      status: 422,
      path: 'cart_id',
    })
    // Nothing was held, and the cart keeps its lines.
    expect(await available(s, s.variants[0] as string)).toBe(10)
    const atLimit = await cartOf(s, 3)
    expect((await checkOut(s, atLimit.id)).lines[0]?.quantity).toBe(3)
  })

  it('caps the units one buyer holds in unpaid orders at a venue, counting only held stock', async () => {
    const { db } = database()
    const s = await shop(db, 20)
    await limits(s, { max_units_per_buyer: 4, hold_seconds: 120 })
    await checkOut(s, (await cartOf(s, 2)).id, 'buyer-a')
    const second = await checkOut(s, (await cartOf(s, 2)).id, 'buyer-a')
    // At the limit; one more unit is over it, and says so.
    const over = await cartOf(s, 1)
    const refused = await expectMitraError(checkOut(s, over.id, 'buyer-a'), {
      code: 'validation_failed',
      status: 422,
      path: 'cart_id',
    })
    expect(refused.errors[0]?.code).toBe('too_many_units_held')
    expect(refused.errors[0]?.message).toContain('already hold 4 units')
    // Another buyer, and a call that names no buyer, are not counted with buyer-a.
    await checkOut(s, (await cartOf(s, 4)).id, 'buyer-b')
    await checkOut(s, (await cartOf(s, 1)).id)
    // A paid order holds nothing any more.
    await deliver(demo.complete(sessionOf(second.id), 'pay'))
    expect((await checkOut(s, over.id, 'buyer-a')).status).toBe('pending_payment')
    // Once the holds end, the units are free and count no more.
    clock.now = new Date(clock.now.getTime() + 121_000)
    await releaseExpiredReservations(db, { now: clock.now })
    await checkOut(s, (await cartOf(s, 4)).id, 'buyer-a')
  })

  it('lets only one of several checkouts by one buyer at once pass the cap', async () => {
    const { db } = database()
    const s = await shop(db, 20)
    await limits(s, { max_units_per_buyer: 3 })
    const carts = []
    for (let i = 0; i < 6; i++) carts.push(await cartOf(s, 2, [s.variants[i % 2] as string]))
    const results = await Promise.allSettled(carts.map((cart) => checkOut(s, cart.id, 'racer')))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const held = await db.select().from(orders).where(eq(orders.buyerKey, 'racer'))
    expect(held).toHaveLength(1)
  })

  it('holds the stock for hold_seconds from checkout; the worker then releases it', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    await limits(s, { hold_seconds: 300 })
    const placedAt = clock.now
    const order = await checkOut(s, (await cartOf(s, 2)).id)
    const { venue } = await orderParts(db, order.id)
    const [reservation] = await db
      .select()
      .from(stockReservations)
      .where(eq(stockReservations.id, venue.reservationId))
    expect(reservation?.expiresAt.getTime()).toBe(placedAt.getTime() + 300_000)
    // The buyer has the provider's whole session to pay (30 min), longer than the hold.
    expect(new Date(order.expires_at).getTime()).toBe(placedAt.getTime() + 1_800_000)
    expect(await available(s, s.variants[0] as string)).toBe(3)

    // (Other tests' holds share the database: only this order's is looked at.)
    clock.now = new Date(placedAt.getTime() + 299_000)
    const early = await releaseExpiredReservations(db, { now: clock.now })
    expect(early.released).not.toContain(venue.reservationId)
    clock.now = new Date(placedAt.getTime() + 300_000)
    const due = await releaseExpiredReservations(db, { now: clock.now })
    expect(due.released).toContain(venue.reservationId)
    expect(await available(s, s.variants[0] as string)).toBe(5)
    // A payment after the hold takes the stock again while it is there…
    expect((await deliver(demo.complete(sessionOf(order.id), 'pay'))).outcome).toBe('paid')
    expect(await available(s, s.variants[0] as string)).toBe(3)

    // …and is owed back when another buyer took it meanwhile.
    const late = await checkOut(s, (await cartOf(s, 2)).id)
    clock.now = new Date(clock.now.getTime() + 300_000)
    await releaseExpiredReservations(db, { now: clock.now })
    await checkOut(s, (await cartOf(s, 3)).id)
    expect((await deliver(demo.complete(sessionOf(late.id), 'pay'))).outcome).toBe('refund_due')
  })

  it('answers an access token once, keeps only its hash, and needs it to show the order', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await checkOut(s, (await cartOf(s, 1)).id)
    const other = await checkOut(s, (await cartOf(s, 1)).id)
    const token = order.access_token as string
    expect(token).toMatch(/^otok_[A-Za-z0-9_-]{32}$/)
    expect(other.access_token).not.toBe(token)
    const [row] = await db.select().from(orders).where(eq(orders.id, order.id))
    expect(row?.accessTokenHash).toBe(createHash('sha256').update(token).digest('hex'))
    expect(JSON.stringify(row)).not.toContain(token)

    await assertOrderToken(db, s.venue.id, order.id, token)
    for (const [channelId, orderId, given] of [
      [s.venue.id, order.id, undefined],
      [s.venue.id, order.id, ''],
      [s.venue.id, order.id, `${token}x`],
      [s.venue.id, order.id, other.access_token],
      [s.venue.id, other.id, token],
      [s.producer.id, order.id, token],
      [s.venue.id, 'ord_00000000000000000000000000', token],
    ] as const) {
      await expectMitraError(assertOrderToken(db, channelId, orderId, given), {
        code: 'not_found',
        status: 404,
      })
    }
  })

  it('puts the token in the provider’s copy of a return URL only, where it says {ORDER_TOKEN}', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const back = 'https://galeri.example/toko?mitra_order={ORDER_ID}&mitra_token={ORDER_TOKEN}'
    const order = await checkOut(s, (await cartOf(s, 1)).id, undefined, {
      success_url: back,
      cancel_url: 'https://galeri.example/batal',
    })
    const session = demoSessionOf(demo, order.id)
    expect(session.successUrl).toBe(
      `https://galeri.example/toko?mitra_order=${order.id}&mitra_token=${order.access_token}`,
    )
    expect(session.cancelUrl).toBe('https://galeri.example/batal')
    const [row] = await db.select().from(orders).where(eq(orders.id, order.id))
    expect(row?.successUrl).toBe(
      `https://galeri.example/toko?mitra_order=${order.id}&mitra_token={ORDER_TOKEN}`,
    )
  })
})
