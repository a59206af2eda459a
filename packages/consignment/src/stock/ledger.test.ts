import { isMitraError } from '@mitra/core'
import { sqlStateOf, stockLevels, stockLots, stockMovements } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { and, eq, sql } from 'drizzle-orm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyDelta, balanceOf, deltaOf, type StockBalance } from './arithmetic.js'
import { recordCount } from './counts.js'
import { convertReservation, releaseReservation, reserve } from './reservations.js'
import { confirmReturn, requestReturn } from './returns.js'
import { recordSale } from './sales.js'
import { partners, receipt, stockUp } from './testing.js'
import { reconcileStock } from './views.js'
import { recordWriteOff } from './write-offs.js'

type Step =
  | { op: 'deliver'; quantity: number }
  | { op: 'sell'; quantity: number }
  | { op: 'reserve'; quantity: number }
  | { op: 'convert'; pick: number }
  | { op: 'release'; pick: number }
  | { op: 'return'; quantity: number }
  | { op: 'damage'; quantity: number }
  | { op: 'count'; counted: number }

const quantity = fc.integer({ min: 1, max: 6 })
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('deliver' as const), quantity }),
  fc.record({ op: fc.constant('sell' as const), quantity }),
  fc.record({ op: fc.constant('reserve' as const), quantity }),
  fc.record({ op: fc.constant('convert' as const), pick: fc.nat(10) }),
  fc.record({ op: fc.constant('release' as const), pick: fc.nat(10) }),
  fc.record({ op: fc.constant('return' as const), quantity }),
  fc.record({ op: fc.constant('damage' as const), quantity }),
  fc.record({ op: fc.constant('count' as const), counted: fc.integer({ min: 0, max: 12 }) }),
)

describe.each(testDatabaseKinds())('the stock ledger on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('keeps the projection equal to Σ movements, Σ lots and the pure model, whatever happens', async () => {
    const { db } = database()
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        const {
          producer,
          venue,
          variants: [a],
        } = await partners(db)
        const variant = a!
        let model: StockBalance = { on_hand: 0, reserved: 0 }
        const held: { id: string; quantity: number }[] = []
        const refusedWhen = async (allowed: boolean, work: () => Promise<unknown>) => {
          try {
            await work()
            expect(allowed).toBe(true)
            return true
          } catch (error) {
            if (!isMitraError(error)) throw error
            expect(allowed).toBe(false)
            expect(['insufficient_stock', 'conflict']).toContain(error.code)
            return false
          }
        }
        for (const s of steps) {
          switch (s.op) {
            case 'deliver':
              await stockUp(db, producer, venue, [{ variant_id: variant, quantity: s.quantity }])
              model = applyDelta(model, deltaOf('receive', s.quantity)) ?? model
              break
            case 'sell':
            case 'damage':
            case 'return': {
              const next = applyDelta(model, deltaOf('take', s.quantity))
              const ok = await refusedWhen(next !== null, async () => {
                if (s.op === 'sell') {
                  await recordSale(db, venue.staff, {
                    venue_id: venue.id,
                    receipt_number: receipt(),
                    channel: 'cash',
                    lines: [{ variant_id: variant, quantity: s.quantity }],
                  })
                } else if (s.op === 'damage') {
                  await recordWriteOff(db, venue.staff, {
                    venue_id: venue.id,
                    kind: 'damage',
                    reason: 'rusak',
                    lines: [{ variant_id: variant, quantity: s.quantity }],
                  })
                } else {
                  const ret = await requestReturn(db, producer.staff, {
                    venue_id: venue.id,
                    producer_id: producer.id,
                    lines: [{ variant_id: variant, quantity: s.quantity }],
                  })
                  await confirmReturn(db, venue.staff, ret.id)
                }
              })
              if (ok && next !== null) model = next
              break
            }
            case 'reserve': {
              const next = applyDelta(model, deltaOf('reserve', s.quantity))
              let id: string | undefined
              const ok = await refusedWhen(next !== null, async () => {
                id = (
                  await reserve(db, venue.staff, {
                    venue_id: venue.id,
                    lines: [{ variant_id: variant, quantity: s.quantity }],
                  })
                ).id
              })
              if (ok && next !== null && id !== undefined) {
                model = next
                held.push({ id, quantity: s.quantity })
              }
              break
            }
            case 'convert':
            case 'release': {
              if (held.length === 0) break
              const [picked] = held.splice(s.pick % held.length, 1)
              if (picked === undefined) break
              if (s.op === 'convert') {
                await convertReservation(db, venue.staff, picked.id)
                model = applyDelta(model, deltaOf('take_reserved', picked.quantity)) ?? model
              } else {
                await releaseReservation(db, venue.staff, picked.id)
                model = applyDelta(model, deltaOf('release', picked.quantity)) ?? model
              }
              break
            }
            case 'count': {
              const allowed = s.counted >= model.reserved
              const ok = await refusedWhen(allowed, () =>
                recordCount(db, venue.owner, {
                  venue_id: venue.id,
                  reason: 'opname',
                  lines: [{ variant_id: variant, counted: s.counted }],
                }),
              )
              if (ok) model = { on_hand: s.counted, reserved: model.reserved }
              break
            }
          }
        }
        const [row] = await db
          .select({ on_hand: stockLevels.onHand, reserved: stockLevels.reserved })
          .from(stockLevels)
          .where(and(eq(stockLevels.venueId, venue.id), eq(stockLevels.variantId, variant)))
        expect(row ?? { on_hand: 0, reserved: 0 }).toEqual(model)
        const movements = await db
          .select({ on_hand: stockMovements.onHandDelta, reserved: stockMovements.reservedDelta })
          .from(stockMovements)
          .where(eq(stockMovements.venueId, venue.id))
        expect(balanceOf(movements)).toEqual(model)
        expect(await reconcileStock(db, { venueId: venue.id })).toEqual([])
      }),
      { numRuns: 25 },
    )
    expect(await reconcileStock(db)).toEqual([])
  })

  it('has check constraints that refuse a negative or over-reserved level outright', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [a],
    } = await partners(db)
    await stockUp(db, producer, venue, [{ variant_id: a!, quantity: 2 }])
    const where = and(eq(stockLevels.venueId, venue.id), eq(stockLevels.variantId, a!))
    for (const change of [
      { onHand: sql`${stockLevels.onHand} - 3` },
      { reserved: sql`${stockLevels.reserved} - 1` },
      { reserved: sql`${stockLevels.onHand} + 1` },
    ]) {
      let state: string | undefined
      try {
        await db.update(stockLevels).set(change).where(where)
      } catch (error) {
        state = sqlStateOf(error)
      }
      expect(state).toBe('23514')
    }
    let lotState: string | undefined
    try {
      await db.update(stockLots).set({ remaining: -1 }).where(eq(stockLots.venueId, venue.id))
    } catch (error) {
      lotState = sqlStateOf(error)
    }
    expect(lotState).toBe('23514')
  })
})
