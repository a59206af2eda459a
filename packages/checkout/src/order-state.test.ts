import type { OrderStatus } from '@mitra/db'
import type { PaymentState } from '@mitra/payments'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  afterRefund,
  canTransition,
  decidePayment,
  isFinal,
  transition,
  wasPaid,
} from './order-state.js'

const paymentStates: PaymentState[] = [
  'pending',
  'paid',
  'failed',
  'expired',
  'canceled',
  'refunded',
  'partially_refunded',
]

/** What applying a decision does to the status (the services do the same, with I/O). */
function apply(status: OrderStatus, state: PaymentState, stockLeft: boolean): OrderStatus {
  const decision = decidePayment(status, state)
  if (decision.kind === 'pay') return stockLeft ? 'paid' : 'canceled'
  if (decision.kind === 'late_payment') return stockLeft ? 'paid' : status
  if (decision.kind === 'close') return decision.status
  return status
}

describe('order state machine', () => {
  it('walks the happy paths and refuses illegal steps with 409', () => {
    expect(transition('pending_payment', 'paid')).toBe('paid')
    expect(transition('paid', 'ready_for_pickup')).toBe('ready_for_pickup')
    expect(transition('ready_for_pickup', 'completed')).toBe('completed')
    expect(transition('paid', 'shipped')).toBe('shipped')
    expect(transition('completed', 'partially_refunded')).toBe('partially_refunded')
    expect(transition('partially_refunded', 'refunded')).toBe('refunded')
    for (const [from, to] of [
      ['pending_payment', 'shipped'],
      ['pending_payment', 'refunded'],
      ['paid', 'pending_payment'],
      ['paid', 'expired'],
      ['completed', 'shipped'],
      ['refunded', 'paid'],
      ['expired', 'canceled'],
    ] as [OrderStatus, OrderStatus][]) {
      expect(() => transition(from, to)).toThrow(expect.objectContaining({ status: 409 }))
    }
  })

  it('knows what was paid and what is final', () => {
    expect(wasPaid('pending_payment')).toBe(false)
    expect(wasPaid('canceled')).toBe(false)
    expect(wasPaid('shipped')).toBe(true)
    expect(isFinal('refunded')).toBe(true)
    expect(isFinal('paid')).toBe(false)
    expect(afterRefund(100, 40)).toBe('partially_refunded')
    expect(afterRefund(100, 100)).toBe('refunded')
  })

  it('maps a capture after expiry to a late payment, and ignores everything weaker', () => {
    expect(decidePayment('pending_payment', 'paid')).toEqual({ kind: 'pay' })
    expect(decidePayment('expired', 'paid')).toEqual({ kind: 'late_payment' })
    expect(decidePayment('paid', 'expired').kind).toBe('ignore')
    expect(decidePayment('paid', 'pending').kind).toBe('ignore')
    expect(decidePayment('pending_payment', 'failed')).toMatchObject({ status: 'canceled' })
    expect(decidePayment('pending_payment', 'expired')).toMatchObject({ status: 'expired' })
  })

  it('never moves a paid order back, whatever events arrive in whatever order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...paymentStates), fc.boolean()), { maxLength: 30 }),
        (events) => {
          let status: OrderStatus = 'pending_payment'
          let paid = false
          for (const [state, stockLeft] of events) {
            const next = apply(status, state, stockLeft)
            if (next !== status) expect(canTransition(status, next)).toBe(true)
            if (paid) expect(wasPaid(next)).toBe(true)
            // Replaying the same event changes nothing more.
            expect(apply(next, state, stockLeft)).toBe(next)
            status = next
            paid ||= wasPaid(status)
          }
          // Only a payment makes an order paid.
          if (wasPaid(status)) expect(events.some(([state]) => state === 'paid')).toBe(true)
        },
      ),
      { numRuns: 2000 },
    )
  })
})
