import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  applyDelta,
  availableOf,
  balanceOf,
  canApply,
  deltaOf,
  emptyBalance,
  isValidBalance,
  type OpenLot,
  type StockBalance,
  type StockDelta,
  type StockOperation,
  takeFifo,
} from './arithmetic.js'

const operations: StockOperation[] = ['receive', 'take', 'reserve', 'release', 'take_reserved']
const operation = fc.record({
  op: fc.constantFrom(...operations),
  quantity: fc.integer({ min: 1, max: 20 }),
})

describe('stock arithmetic', () => {
  it('knows valid balances', () => {
    expect(isValidBalance({ on_hand: 3, reserved: 3 })).toBe(true)
    expect(isValidBalance({ on_hand: 3, reserved: 4 })).toBe(false)
    expect(isValidBalance({ on_hand: -1, reserved: 0 })).toBe(false)
    expect(isValidBalance({ on_hand: 2, reserved: -1 })).toBe(false)
    expect(availableOf({ on_hand: 10, reserved: 4 })).toBe(6)
  })

  it('refuses what would break a rule and changes nothing', () => {
    const balance = { on_hand: 2, reserved: 1 }
    expect(applyDelta(balance, deltaOf('take', 2))).toBeNull()
    expect(applyDelta(balance, deltaOf('reserve', 2))).toBeNull()
    expect(applyDelta(balance, deltaOf('release', 2))).toBeNull()
    expect(applyDelta(balance, deltaOf('take_reserved', 1))).toEqual({ on_hand: 1, reserved: 0 })
    expect(canApply(balance, 'take', 0)).toBe(false)
    expect(balance).toEqual({ on_hand: 2, reserved: 1 })
  })

  it('keeps every balance valid and equal to the sum of its accepted movements', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (ops) => {
        let balance: StockBalance = emptyBalance
        const ledger: StockDelta[] = []
        for (const { op, quantity } of ops) {
          const allowed = canApply(balance, op, quantity)
          const next = applyDelta(balance, deltaOf(op, quantity))
          expect(next !== null).toBe(allowed)
          if (next === null) continue
          ledger.push(deltaOf(op, quantity))
          balance = next
          expect(isValidBalance(balance)).toBe(true)
        }
        expect(balanceOf(ledger)).toEqual(balance)
      }),
      { numRuns: 2_000 },
    )
  })

  it('sells at most what is available, whatever the order of attempts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 100 }),
        (stock, attempts) => {
          let balance: StockBalance = { on_hand: stock, reserved: 0 }
          let sold = 0
          for (const quantity of attempts) {
            const next = applyDelta(balance, deltaOf('take', quantity))
            if (next !== null) {
              balance = next
              sold += quantity
            }
          }
          expect(sold).toBeLessThanOrEqual(stock)
          expect(balance.on_hand).toBe(stock - sold)
        },
      ),
      { numRuns: 1_000 },
    )
  })
})

const lotsArbitrary = fc
  .array(
    fc.record({
      day: fc.integer({ min: 0, max: 400 }),
      remaining: fc.integer({ min: 0, max: 30 }),
    }),
    { maxLength: 12 },
  )
  .map((items) =>
    items.map(
      (item, index): OpenLot => ({
        id: `lot_${String(index).padStart(26, '0')}`,
        delivered_at: new Date(Date.UTC(2026, 0, 1) + item.day * 86_400_000),
        remaining: item.remaining,
      }),
    ),
  )

describe('FIFO lots', () => {
  it('takes exactly the quantity, oldest lots first, never more than a lot holds', () => {
    fc.assert(
      fc.property(lotsArbitrary, fc.integer({ min: 0, max: 400 }), (lots, quantity) => {
        const total = lots.reduce((sum, lot) => sum + lot.remaining, 0)
        const takes = takeFifo(lots, quantity)
        if (quantity > total) {
          expect(takes).toBeNull()
          return
        }
        expect(takes).not.toBeNull()
        const taken = takes ?? []
        expect(taken.reduce((sum, take) => sum + take.quantity, 0)).toBe(quantity)
        const byId = new Map(lots.map((lot) => [lot.id, lot]))
        for (const take of taken) {
          expect(take.quantity).toBeGreaterThan(0)
          expect(take.quantity).toBeLessThanOrEqual(byId.get(take.lot_id)?.remaining ?? 0)
        }
        // Every lot before the last one touched was emptied, and it is the oldest ones.
        const used = new Set(taken.map((take) => take.lot_id))
        const last = taken.at(-1)
        const lastLot = last === undefined ? undefined : byId.get(last.lot_id)
        for (const lot of lots) {
          if (lot.remaining === 0 || lastLot === undefined) continue
          const older =
            lot.delivered_at < lastLot.delivered_at ||
            (lot.delivered_at.getTime() === lastLot.delivered_at.getTime() && lot.id < lastLot.id)
          if (older) {
            expect(used.has(lot.id)).toBe(true)
            const take = taken.find((t) => t.lot_id === lot.id)
            expect(take?.quantity).toBe(lot.remaining)
          }
        }
      }),
      { numRuns: 2_000 },
    )
  })

  it('orders by delivery date, then id', () => {
    const lots: OpenLot[] = [
      { id: 'lot_b', delivered_at: new Date('2026-02-01'), remaining: 2 },
      { id: 'lot_a', delivered_at: new Date('2026-02-01'), remaining: 2 },
      { id: 'lot_c', delivered_at: new Date('2026-01-01'), remaining: 1 },
    ]
    expect(takeFifo(lots, 4)).toEqual([
      { lot_id: 'lot_c', quantity: 1 },
      { lot_id: 'lot_a', quantity: 2 },
      { lot_id: 'lot_b', quantity: 1 },
    ])
    expect(takeFifo(lots, 6)).toBeNull()
    expect(takeFifo(lots, 0)).toEqual([])
  })
})
