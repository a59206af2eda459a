import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { allocate, allocateMoney } from './allocate.js'
import { MitraError } from './errors.js'
import { money } from './money.js'

const runs = { numRuns: 2_000 }
const total = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })
const weights = fc
  .array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 1, maxLength: 12 })
  .filter((ws) => ws.some((w) => w > 0))

describe('allocate', () => {
  it('splits exactly: Σ parts = total', () => {
    fc.assert(
      fc.property(total, weights, (t, ws) => {
        const parts = allocate(t, ws)
        expect(parts.reduce((a, b) => a + b, 0)).toBe(t)
        expect(parts).toHaveLength(ws.length)
      }),
      runs,
    )
  })

  it('keeps every part within one minor unit of its exact share and never negative', () => {
    fc.assert(
      fc.property(total, weights, (t, ws) => {
        const parts = allocate(t, ws)
        const weightSum = BigInt(ws.reduce((a, b) => a + b, 0))
        parts.forEach((part, i) => {
          expect(part).toBeGreaterThanOrEqual(0)
          // |part·Σw − t·wᵢ| < Σw  ⇔  |part − exact share| < 1
          const diff = BigInt(part) * weightSum - BigInt(t) * BigInt(ws[i] as number)
          expect(diff < 0n ? -diff : diff).toBeLessThan(weightSum)
        })
      }),
      runs,
    )
  })

  it('gives a zero weight nothing', () => {
    fc.assert(
      fc.property(total, weights, (t, ws) => {
        const parts = allocate(t, [...ws, 0])
        expect(parts.at(-1)).toBe(0)
      }),
      runs,
    )
  })

  it('is deterministic and a negative total mirrors the positive split', () => {
    fc.assert(
      fc.property(total, weights, (t, ws) => {
        const positive = allocate(t, ws)
        expect(allocate(t, ws)).toEqual(positive)
        expect(allocate(-t, ws)).toEqual(positive.map((p) => (p === 0 ? 0 : -p)))
      }),
      runs,
    )
  })

  it('is scale invariant in the weights', () => {
    fc.assert(
      fc.property(total, weights, fc.integer({ min: 2, max: 1000 }), (t, ws, k) => {
        expect(
          allocate(
            t,
            ws.map((w) => w * k),
          ),
        ).toEqual(allocate(t, ws))
      }),
      runs,
    )
  })

  it('breaks ties towards the earlier weight', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33])
    expect(allocate(2, [1, 1, 1])).toEqual([1, 1, 0])
    expect(allocate(5, [0, 1, 1])).toEqual([0, 3, 2])
  })

  it('splits a rupiah sale by basis points', () => {
    // 150.000 at 70 % producer, 20 % venue, 7 % cooperative, 3 % platform
    expect(allocate(150_000, [7000, 2000, 700, 300])).toEqual([105_000, 30_000, 10_500, 4_500])
    expect(allocate(99_999, [7000, 2000, 700, 300])).toEqual([69_999, 20_000, 7_000, 3_000])
  })

  it('stays exact for totals and weights whose product exceeds 2^53', () => {
    const parts = allocate(Number.MAX_SAFE_INTEGER, [Number.MAX_SAFE_INTEGER, 1])
    expect(parts.reduce((a, b) => a + b, 0)).toBe(Number.MAX_SAFE_INTEGER)
    expect(parts).toEqual([Number.MAX_SAFE_INTEGER - 1, 1])
  })

  it('rejects bad weights and totals with precise codes', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn()
      } catch (error) {
        return error instanceof MitraError ? error.code : 'other'
      }
      return 'none'
    }
    expect(codeOf(() => allocate(100, []))).toBe('invalid_weights')
    expect(codeOf(() => allocate(100, [0, 0]))).toBe('invalid_weights')
    expect(codeOf(() => allocate(100, [1, -1]))).toBe('invalid_weights')
    expect(codeOf(() => allocate(100, [0.5, 1]))).toBe('invalid_weights')
    expect(codeOf(() => allocate(100, [Number.NaN]))).toBe('invalid_weights')
    expect(codeOf(() => allocate(1.5, [1]))).toBe('invalid_amount')
    expect(codeOf(() => allocate(2n ** 60n, [1]))).toBe('amount_overflow')
  })
})

describe('allocateMoney', () => {
  it('returns amounts in the total currency', () => {
    const parts = allocateMoney(money(1001, 'USD'), [1, 1])
    expect(parts).toEqual([money(501, 'USD'), money(500, 'USD')])
  })
})
