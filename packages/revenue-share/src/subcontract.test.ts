import { newId } from '@mitra/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  defineSubcontract,
  evaluateSubcontract,
  parseSubcontractDelivery,
  type SubcontractInput,
} from './subcontract.js'
import { ids } from './testing.js'

// A batik firm orders 500 jars of indigo paste at Rp20.000, due 31 March.
const contract = (overrides: Partial<SubcontractInput> = {}) =>
  defineSubcontract({
    id: newId('ctr'),
    producer_id: ids.producer,
    buyer_id: ids.buyer,
    target_quantity: 500,
    unit_price: 20_000,
    deadline: '2026-03-31T23:59:59+07:00',
    penalty: { kind: 'per_unit', amount: 2_000 },
    ...overrides,
  })

const delivery = (date: string, quantity: number, accepted: number) =>
  parseSubcontractDelivery({ delivered_at: date, quantity, accepted })

const deliveries = [
  delivery('2026-02-15T09:00:00+07:00', 200, 190),
  delivery('2026-03-20T09:00:00+07:00', 250, 210),
  delivery('2026-04-03T09:00:00+07:00', 100, 100),
]

describe('evaluateSubcontract', () => {
  it('does not penalise before the deadline', () => {
    const result = evaluateSubcontract(
      contract(),
      deliveries.slice(0, 2),
      new Date('2026-03-25T00:00:00Z'),
    )
    expect(result).toMatchObject({
      delivered: 450,
      accepted: 400,
      rejected: 50,
      acceptedOnTime: 400,
      shortfall: 100,
      fulfilmentBps: 8_000,
      deadlinePassed: false,
    })
    expect(result.penalty.amount).toBe(0)
    expect(result.invoice.amount).toBe(8_000_000)
  })

  it('pays every accepted unit and penalises the shortfall of units accepted on time', () => {
    const result = evaluateSubcontract(contract(), deliveries, new Date('2026-04-10T00:00:00Z'))
    expect(result).toMatchObject({
      accepted: 500,
      acceptedOnTime: 400,
      shortfall: 100,
      fulfilmentBps: 8_000,
    })
    expect(result.gross.amount).toBe(10_000_000)
    expect(result.penalty.amount).toBe(200_000)
    expect(result.invoice.amount).toBe(9_800_000)
  })

  it('charges a percentage of the shortfall value, capped', () => {
    const asOf = new Date('2026-04-10T00:00:00Z')
    const percent = contract({ penalty: { kind: 'percent', bps: 1_000 } })
    expect(evaluateSubcontract(percent, deliveries, asOf).penalty.amount).toBe(200_000)
    const capped = contract({ penalty: { kind: 'percent', bps: 1_000 }, penalty_cap: 150_000 })
    expect(evaluateSubcontract(capped, deliveries, asOf).penalty.amount).toBe(150_000)
  })

  it('never invoices below zero and owes nothing once the target is met', () => {
    const asOf = new Date('2026-04-10T00:00:00Z')
    const harsh = contract({ penalty: { kind: 'per_unit', amount: 50_000 } })
    const little = evaluateSubcontract(harsh, [delivery('2026-03-01T00:00:00Z', 10, 10)], asOf)
    expect(little.penalty.amount).toBe(24_500_000)
    expect(little.penaltyCharged.amount).toBe(200_000)
    expect(little.invoice.amount).toBe(0)
    const met = evaluateSubcontract(contract(), [delivery('2026-03-01T00:00:00Z', 600, 550)], asOf)
    expect(met).toMatchObject({ shortfall: 0, fulfilmentBps: 10_000 })
    expect(met.penalty.amount).toBe(0)
    expect(met.invoice.amount).toBe(11_000_000)
  })

  it('refuses invalid contracts and deliveries naming the field', () => {
    expect(() => contract({ target_quantity: 0 })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    )
    expect(() => delivery('2026-03-01T00:00:00Z', 5, 6)).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ path: 'accepted' })] }),
    )
  })

  it('invoice = accepted × price − charged penalty, never negative (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.oneof(
          fc.record({
            kind: fc.constant('per_unit' as const),
            amount: fc.integer({ min: 0, max: 1_000_000 }),
          }),
          fc.record({
            kind: fc.constant('percent' as const),
            bps: fc.integer({ min: 0, max: 10_000 }),
          }),
        ),
        fc.option(fc.integer({ min: 0, max: 1_000_000_000 }), { nil: null }),
        fc.array(
          fc.record({
            day: fc.integer({ min: 1, max: 60 }),
            quantity: fc.integer({ min: 1, max: 3_000 }),
            rejectedShare: fc.integer({ min: 0, max: 100 }),
          }),
          { maxLength: 8 },
        ),
        fc.integer({ min: 1, max: 60 }),
        (target, price, penalty, cap, raw, asOfDay) => {
          const c = contract({
            target_quantity: target,
            unit_price: price,
            penalty,
            penalty_cap: cap,
            deadline: new Date(Date.UTC(2026, 0, 30)),
          })
          const ds = raw.map((d) =>
            delivery(
              new Date(Date.UTC(2026, 0, d.day)).toISOString(),
              d.quantity,
              d.quantity - Math.floor((d.quantity * d.rejectedShare) / 100),
            ),
          )
          const r = evaluateSubcontract(c, ds, new Date(Date.UTC(2026, 0, asOfDay, 12)))
          expect(r.invoice.amount).toBe(r.gross.amount - r.penaltyCharged.amount)
          expect(r.invoice.amount).toBeGreaterThanOrEqual(0)
          expect(r.gross.amount).toBe(r.accepted * price)
          expect(r.fulfilmentBps).toBeLessThanOrEqual(10_000)
          if (cap !== null) expect(r.penalty.amount).toBeLessThanOrEqual(cap)
          if (!r.deadlinePassed || r.shortfall === 0) expect(r.penalty.amount).toBe(0)
          expect(r.acceptedOnTime + r.shortfall).toBeGreaterThanOrEqual(target)
        },
      ),
      { numRuns: 1_000 },
    )
  })
})
