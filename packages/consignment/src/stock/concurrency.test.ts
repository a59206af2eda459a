import { isMitraError, MitraError } from '@mitra/core'
import { stockLevels, stockMovements } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { and, eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { sampleTerms } from '../testing.js'
import { dayMs } from './aging.js'
import { receiveDelivery, sendDelivery } from './deliveries.js'
import { raiseExpiryReturns } from './expiry.js'
import { convertReservation, releaseExpiredReservations, reserve } from './reservations.js'
import { recordSale } from './sales.js'
import { partners, receipt, stockUp } from './testing.js'
import { reconcileStock } from './views.js'

const t0 = new Date('2026-05-04T01:00:00Z')

describe.each(testDatabaseKinds())('stock under concurrency on %s', (kind) => {
  const database = useTestDatabase(kind)

  async function level(venueId: string, variantId: string) {
    const [row] = await database()
      .db.select({ on_hand: stockLevels.onHand, reserved: stockLevels.reserved })
      .from(stockLevels)
      .where(and(eq(stockLevels.venueId, venueId), eq(stockLevels.variantId, variantId)))
    return row
  }

  function outcomes(results: PromiseSettledResult<unknown>[]) {
    const won = results.filter((r) => r.status === 'fulfilled').length
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []))
    return { won, errors }
  }

  function expectAllInsufficient(errors: unknown[]) {
    for (const error of errors) {
      expect(error).toBeInstanceOf(MitraError)
      expect({ code: (error as MitraError).code, status: (error as MitraError).status }).toEqual({
        code: 'insufficient_stock',
        status: 409,
      })
    }
  }

  it('200 sales of one unit at a venue holding 10: exactly 10 go through', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a],
    } = await partners(db)
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 10 }])
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        recordSale(db, venue.staff, {
          venue_id: venue.id,
          receipt_number: receipt(),
          channel: 'cash',
          lines: [{ variant_id: a!, quantity: 1 }],
        }),
      ),
    )
    const { won, errors } = outcomes(results)
    expect(won).toBe(10)
    expect(errors).toHaveLength(190)
    expectAllInsufficient(errors)
    expect(await level(venue.id, a!)).toEqual({ on_hand: 0, reserved: 0 })
    const sales = await db
      .select()
      .from(stockMovements)
      .where(and(eq(stockMovements.venueId, venue.id), eq(stockMovements.kind, 'sale')))
    expect(sales.reduce((sum, m) => sum - m.onHandDelta, 0)).toBe(10)
    expect(await reconcileStock(db, { venueId: venue.id })).toEqual([])
  })

  it('200 reservations of one unit at a venue holding 10: exactly 10 are held', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a],
    } = await partners(db)
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 10 }])
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        reserve(db, venue.staff, { venue_id: venue.id, lines: [{ variant_id: a!, quantity: 1 }] }),
      ),
    )
    const { won, errors } = outcomes(results)
    expect(won).toBe(10)
    expectAllInsufficient(errors)
    expect(await level(venue.id, a!)).toEqual({ on_hand: 10, reserved: 10 })
    expect(await reconcileStock(db, { venueId: venue.id })).toEqual([])
  })

  it('sales and reservations racing for the same 10 units never take more than 10', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a],
    } = await partners(db)
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 10 }])
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0
          ? recordSale(db, venue.staff, {
              venue_id: venue.id,
              receipt_number: receipt(),
              channel: 'qris',
              lines: [{ variant_id: a!, quantity: 1 }],
            })
          : reserve(db, venue.staff, {
              venue_id: venue.id,
              lines: [{ variant_id: a!, quantity: 1 }],
            }),
      ),
    )
    const { won, errors } = outcomes(results)
    expect(won).toBe(10)
    expectAllInsufficient(errors)
    const after = await level(venue.id, a!)
    expect(after!.on_hand - after!.reserved).toBe(0)
    expect(after!.on_hand).toBeGreaterThanOrEqual(0)
    expect(after!.reserved).toBeGreaterThanOrEqual(0)
    expect(await reconcileStock(db, { venueId: venue.id })).toEqual([])
  })

  it('one delivery confirmed five times at once is received once', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a],
    } = await partners(db)
    const note = await sendDelivery(db, producer.staff, {
      venue_id: venue.id,
      note_number: receipt(),
      lines: [{ variant_id: a!, quantity: 4 }],
    })
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        receiveDelivery(db, venue.staff, note.id, { lines: [{ variant_id: a!, quantity: 4 }] }),
      ),
    )
    const { won, errors } = outcomes(results)
    expect(won).toBe(1)
    for (const error of errors)
      expect(error).toMatchObject({ code: 'illegal_status_transition', status: 409 })
    expect(await level(venue.id, a!)).toEqual({ on_hand: 4, reserved: 0 })
  })

  it('sweepers on several instances release each expired reservation exactly once', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a],
    } = await partners(db)
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 40 }])
    const held = await Promise.all(
      Array.from({ length: 30 }, () =>
        reserve(
          db,
          venue.staff,
          { venue_id: venue.id, ttl_seconds: 30, lines: [{ variant_id: a!, quantity: 1 }] },
          { now: t0 },
        ),
      ),
    )
    const ours = new Set(held.map((r) => r.id))
    const released: string[] = []
    const due = new Date(t0.getTime() + 60_000)
    for (let wave = 0; wave < 20; wave++) {
      const calls = await Promise.all(
        Array.from({ length: 6 }, () => releaseExpiredReservations(db, { now: due, limit: 4 })),
      )
      const got = calls.flatMap((call) => call.released)
      released.push(...got)
      if (got.length === 0) break
    }
    const mine = released.filter((id) => ours.has(id))
    expect(new Set(released).size).toBe(released.length)
    expect(mine.sort()).toEqual([...ours].sort())
    expect(await level(venue.id, a!)).toEqual({ on_hand: 40, reserved: 0 })
    const releases = await db
      .select()
      .from(stockMovements)
      .where(and(inArray(stockMovements.documentId, [...ours]), eq(stockMovements.kind, 'release')))
    expect(releases).toHaveLength(30)
    expect(await reconcileStock(db, { venueId: venue.id })).toEqual([])
  })

  it('a checkout converting while the sweeper expires ends each reservation one way only', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a],
    } = await partners(db)
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 20 }])
    const held = await Promise.all(
      Array.from({ length: 20 }, () =>
        reserve(
          db,
          venue.staff,
          { venue_id: venue.id, ttl_seconds: 30, lines: [{ variant_id: a!, quantity: 1 }] },
          { now: t0 },
        ),
      ),
    )
    const due = new Date(t0.getTime() + 60_000)
    const [conversions, sweeps] = await Promise.all([
      Promise.allSettled(held.map((r) => convertReservation(db, venue.staff, r.id))),
      Promise.all(
        Array.from({ length: 4 }, () => releaseExpiredReservations(db, { now: due, limit: 10 })),
      ),
    ])
    const converted = conversions.filter((r) => r.status === 'fulfilled').length
    const ours = new Set(held.map((r) => r.id))
    const expired = sweeps.flatMap((s) => s.released).filter((id) => ours.has(id))
    for (const r of conversions) {
      if (r.status === 'rejected') {
        expect(isMitraError(r.reason) && r.reason.code).toBe('illegal_status_transition')
      }
    }
    // A sweep may run before a conversion or after; then the rest expire on the next sweep.
    const rest = (await releaseExpiredReservations(db, { now: due, limit: 100 })).released.filter(
      (id) => ours.has(id),
    )
    expect(converted + expired.length + rest.length).toBe(20)
    expect(await level(venue.id, a!)).toEqual({ on_hand: 20 - converted, reserved: 0 })
    expect(await reconcileStock(db, { venueId: venue.id })).toEqual([])
  })

  it('expiry raised on several instances at once raises each lot once', async () => {
    const { db } = database()
    const made = await Promise.all(
      Array.from({ length: 3 }, () =>
        partners(db, { count: 2, terms: { ...sampleTerms, consignment_days: 10, grace_days: 0 } }),
      ),
    )
    for (const { producer, venue, variants } of made) {
      for (const variant of variants) {
        await stockUp(db, producer, venue, [{ variant_id: variant, quantity: 2 }], t0)
        await stockUp(
          db,
          producer,
          venue,
          [{ variant_id: variant, quantity: 1 }],
          new Date(t0.getTime() + dayMs),
        )
      }
    }
    const venues = new Set(made.map((m) => m.venue.id))
    const now = new Date(t0.getTime() + 30 * dayMs)
    const calls = await Promise.all(
      Array.from({ length: 5 }, () => raiseExpiryReturns(db, { now, limit: 3 })),
    )
    const again = await raiseExpiryReturns(db, { now })
    const raised = [...calls.flatMap((c) => c.raised), ...again.raised].filter((r) =>
      venues.has(r.venue_id),
    )
    // 3 venues × 2 variants × 3 units, every unit asked back exactly once.
    const units = raised
      .flatMap((r) => r.lines)
      .reduce((sum, line) => sum + line.quantity_requested, 0)
    expect(units).toBe(18)
    const last = await raiseExpiryReturns(db, { now })
    expect(last.raised.filter((r) => venues.has(r.venue_id))).toEqual([])
  })
})
