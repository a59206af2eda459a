import { MitraError, type Money, money } from '@mitra/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { consignmentTermsSchema } from '../terms.js'
import { sampleTerms } from '../testing.js'
import {
  dayMs,
  daysOnConsignment,
  expiredLots,
  expiringLots,
  isExpired,
  lotAge,
  markdownBps,
  markdownPrice,
  splitByBearer,
} from './aging.js'
import { salePrice } from './sales.js'
import { liabilityFor } from './write-offs.js'

const start = new Date('2026-01-01T03:00:00Z')
const days = (n: number) => new Date(start.getTime() + n * dayMs)
const terms = consignmentTermsSchema.parse({
  ...sampleTerms,
  consignment_days: 30,
  grace_days: 7,
  on_expiry: 'markdown',
  markdown_bearer: 'shared',
  markdown_schedule: [
    { after_days: 20, percent_off_bps: 1000 },
    { after_days: 40, percent_off_bps: 2500 },
  ],
})
const idr = (amount: number): Money => money(amount, 'IDR')

describe('days on consignment', () => {
  it('counts whole days from delivery, never negative', () => {
    expect(daysOnConsignment(start, start)).toBe(0)
    expect(daysOnConsignment(start, new Date(start.getTime() + dayMs - 1))).toBe(0)
    expect(daysOnConsignment(start, days(1))).toBe(1)
    expect(daysOnConsignment(start, days(-3))).toBe(0)
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: dayMs - 1 }),
        (d, ms) => {
          expect(daysOnConsignment(start, new Date(days(d).getTime() + ms))).toBe(d)
        },
      ),
    )
  })

  it('moves from current to grace to expired at the agreed days', () => {
    expect(lotAge(start, terms, days(29)).state).toBe('current')
    expect(lotAge(start, terms, days(30)).state).toBe('grace')
    expect(lotAge(start, terms, days(36)).state).toBe('grace')
    expect(lotAge(start, terms, days(37)).state).toBe('expired')
    expect(lotAge(start, terms, days(10))).toMatchObject({
      age_days: 10,
      days_until_expiry: 27,
      consignment_ends_at: days(30),
      expires_at: days(37),
    })
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 730 }),
        fc.integer({ min: 0, max: 180 }),
        fc.integer({ min: 0, max: 1_000 }),
        (consignment, grace, at) => {
          const t = { consignment_days: consignment, grace_days: grace }
          const age = lotAge(start, t, days(at))
          expect(age.state === 'expired').toBe(isExpired(start, t, days(at)))
          expect(age.state === 'expired').toBe(at >= consignment + grace)
          expect(age.days_until_expiry).toBe(Math.max(0, consignment + grace - at))
        },
      ),
      { numRuns: 1_000 },
    )
  })

  it('lists expired and expiring lots, oldest first, each lot in at most one list', () => {
    const lots = [
      { id: 'lot_3', delivered_at: days(-20), remaining: 1 },
      { id: 'lot_1', delivered_at: days(-40), remaining: 2 },
      { id: 'lot_2', delivered_at: days(-38), remaining: 0 },
      { id: 'lot_4', delivered_at: days(-5), remaining: 4 },
    ]
    expect(expiredLots(lots, terms, start).map((lot) => lot.id)).toEqual(['lot_1'])
    expect(expiringLots(lots, terms, start, 17).map((lot) => lot.id)).toEqual(['lot_3'])
    expect(expiringLots(lots, terms, start, 32).map((lot) => lot.id)).toEqual(['lot_3', 'lot_4'])
    fc.assert(
      fc.property(
        fc.array(fc.record({ age: fc.integer({ min: 0, max: 100 }), remaining: fc.nat(5) })),
        fc.integer({ min: 0, max: 60 }),
        (items, within) => {
          const all = items.map((item, index) => ({
            id: `lot_${index}`,
            delivered_at: days(-item.age),
            remaining: item.remaining,
          }))
          const expired = new Set(expiredLots(all, terms, start).map((lot) => lot.id))
          const expiring = expiringLots(all, terms, start, within)
          for (const lot of expiring) expect(expired.has(lot.id)).toBe(false)
          for (const lot of all) {
            const age = items[Number(lot.id.slice(4))]?.age ?? 0
            expect(expired.has(lot.id)).toBe(lot.remaining > 0 && age >= 37)
          }
        },
      ),
    )
  })
})

describe('markdowns', () => {
  it('applies the last step reached', () => {
    expect(markdownBps(terms.markdown_schedule, 0)).toBe(0)
    expect(markdownBps(terms.markdown_schedule, 19)).toBe(0)
    expect(markdownBps(terms.markdown_schedule, 20)).toBe(1000)
    expect(markdownBps(terms.markdown_schedule, 40)).toBe(2500)
    expect(markdownBps([], 400)).toBe(0)
  })

  it('splits the discount by who absorbs it', () => {
    const price = idr(150_001)
    const shared = markdownPrice(price, 25, terms)
    expect(shared).toMatchObject({
      percent_off_bps: 1000,
      discount: idr(15_000),
      price: idr(135_001),
    })
    expect(shared.absorbed).toEqual({ venue: idr(7_500), producer: idr(7_500) })
    const odd = markdownPrice(idr(150_010), 25, terms)
    expect(odd.discount).toEqual(idr(15_001))
    expect(odd.absorbed).toEqual({ venue: idr(7_501), producer: idr(7_500) })
    expect(markdownPrice(price, 25, { ...terms, markdown_bearer: 'venue' }).absorbed).toEqual({
      venue: idr(15_000),
      producer: idr(0),
    })
    expect(markdownPrice(price, 25, { ...terms, markdown_bearer: 'producer' }).absorbed).toEqual({
      venue: idr(0),
      producer: idr(15_000),
    })
  })

  it('keeps price + discount = list price, the split exact, and prices falling with age', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom('venue' as const, 'producer' as const, 'shared' as const),
        (amount, a, b, bearer) => {
          const t = { ...terms, markdown_bearer: bearer }
          const younger = markdownPrice(idr(amount), Math.min(a, b), t)
          const older = markdownPrice(idr(amount), Math.max(a, b), t)
          for (const m of [younger, older]) {
            expect(m.price.amount + m.discount.amount).toBe(amount)
            expect(m.discount.amount).toBeGreaterThanOrEqual(0)
            expect(m.price.amount).toBeGreaterThanOrEqual(0)
            expect(m.absorbed.venue.amount + m.absorbed.producer.amount).toBe(m.discount.amount)
            expect(m.absorbed.venue.amount).toBeGreaterThanOrEqual(0)
            expect(m.absorbed.producer.amount).toBeGreaterThanOrEqual(0)
            if (bearer === 'shared') {
              expect(
                Math.abs(m.absorbed.venue.amount - m.absorbed.producer.amount),
              ).toBeLessThanOrEqual(1)
            }
          }
          expect(older.price.amount).toBeLessThanOrEqual(younger.price.amount)
        },
      ),
      { numRuns: 2_000 },
    )
  })
})

describe('who owes for damage and loss', () => {
  it('follows the liability of the agreement', () => {
    const venueLiable = consignmentTermsSchema.parse(sampleTerms)
    expect(liabilityFor(venueLiable, 'damage', idr(100_000), 2)).toEqual({
      bearer: 'venue',
      total: idr(200_000),
      venue_owes: idr(200_000),
      producer_bears: idr(0),
    })
    const shared = { ...venueLiable, loss_liability: 'shared' as const }
    expect(liabilityFor(shared, 'loss', idr(33_333), 1)).toMatchObject({
      venue_owes: idr(16_667),
      producer_bears: idr(16_666),
    })
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.constantFrom('venue' as const, 'producer' as const, 'shared' as const),
        (value, quantity, bearer) => {
          const split = splitByBearer(idr(value * quantity), bearer)
          expect(split.venue.amount + split.producer.amount).toBe(value * quantity)
        },
      ),
    )
  })
})

describe('sale prices', () => {
  const fixed = consignmentTermsSchema.parse({
    ...sampleTerms,
    markdown_schedule: [{ after_days: 60, percent_off_bps: 2000 }],
  })
  const lots = [{ delivered_at: days(-70) }, { delivered_at: days(-5) }]

  it('defaults to the retail price marked down for the oldest lot sold', () => {
    expect(salePrice(fixed, idr(100_000), null, lots, start, 'p')).toEqual(idr(80_000))
    expect(salePrice(fixed, idr(100_000), null, lots.slice(1), start, 'p')).toEqual(idr(100_000))
  })

  it('accepts only the retail or markdown price unless the venue may change prices', () => {
    expect(salePrice(fixed, idr(100_000), idr(100_000), lots, start, 'p')).toEqual(idr(100_000))
    expect(salePrice(fixed, idr(100_000), idr(80_000), lots, start, 'p')).toEqual(idr(80_000))
    expect(() => salePrice(fixed, idr(100_000), idr(90_000), lots, start, 'p')).toThrow(MitraError)
    const free = { ...fixed, venue_may_change_price: true }
    expect(salePrice(free, idr(100_000), idr(90_000), lots, start, 'p')).toEqual(idr(90_000))
    try {
      salePrice(fixed, idr(100_000), idr(90_000), lots, start, 'lines.0.unit_price')
    } catch (error) {
      expect(error).toMatchObject({ code: 'price_not_allowed', status: 422 })
      expect((error as MitraError).errors[0]?.path).toBe('lines.0.unit_price')
    }
  })

  it('needs a price in the agreement currency', () => {
    expect(() => salePrice(fixed, null, null, lots, start, 'p')).toThrow(MitraError)
    expect(() => salePrice(fixed, idr(1), money(1, 'USD'), lots, start, 'p')).toThrow(
      /prices under this agreement are in IDR/,
    )
  })
})
