import type { OrderStatus } from '@mitra/db'
import type { PaymentState } from '@mitra/payments'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  afterFailedRefund,
  afterRefund,
  canTransition,
  decidePayment,
  isFinal,
  refundedElsewhere,
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

interface Model {
  status: OrderStatus
  /** What mitra has refunded of the order's 100. */
  refunded: number
  /** A payment was taken that filled nothing: it is owed back in full. */
  owedBack: boolean
}

/**
 * What applying a decision does to the order (the services do the same, with I/O). Refund
 * events carry what the provider has refunded so far, out of 100 paid.
 */
function apply(order: Model, state: PaymentState, stockLeft: boolean, refundedSoFar: number) {
  const decision = decidePayment(order.status, state, order.owedBack)
  const to = (status: OrderStatus): Model => ({ ...order, status })
  if (decision.kind === 'pay') return stockLeft ? to('paid') : { ...to('canceled'), owedBack: true }
  if (decision.kind === 'late_payment') return stockLeft ? to('paid') : { ...order, owedBack: true }
  if (decision.kind === 'give_back') return { ...order, owedBack: true }
  if (decision.kind === 'close') return to(decision.status)
  if (decision.kind === 'refund') {
    const more = refundedElsewhere(100, order.refunded, refundedSoFar)
    if (more === 0) return order
    const refunded = order.refunded + more
    // A payment owed back is given back while its order stays closed.
    const status = wasPaid(order.status) ? afterRefund(100, refunded) : order.status
    return { ...order, status, refunded }
  }
  return order
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
    // Canceled stays canceled: what is paid after goes back, whatever stock is left.
    expect(decidePayment('canceled', 'paid')).toEqual({ kind: 'give_back' })
    expect(canTransition('canceled', 'paid')).toBe(false)
    // …unless the order already took a payment it owes back.
    expect(decidePayment('canceled', 'paid', true).kind).toBe('ignore')
    expect(decidePayment('pending_payment', 'paid', true)).toEqual({ kind: 'pay' })
    expect(decidePayment('paid', 'expired').kind).toBe('ignore')
    expect(decidePayment('paid', 'pending').kind).toBe('ignore')
    expect(decidePayment('pending_payment', 'failed')).toMatchObject({ status: 'canceled' })
    expect(decidePayment('pending_payment', 'expired')).toMatchObject({ status: 'expired' })
  })

  it('never moves a paid order back, whatever events arrive in whatever order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(...paymentStates),
            fc.boolean(),
            fc.integer({ min: 0, max: 150 }),
          ),
          { maxLength: 30 },
        ),
        (events) => {
          let order: Model = { status: 'pending_payment', refunded: 0, owedBack: false }
          let paid = false
          for (const [state, stockLeft, refundedSoFar] of events) {
            const next = apply(order, state, stockLeft, refundedSoFar)
            if (next.status !== order.status) {
              expect(canTransition(order.status, next.status)).toBe(true)
            }
            if (paid) expect(wasPaid(next.status)).toBe(true)
            // A canceled order never becomes paid: what it takes after is owed back.
            if (order.status === 'canceled') expect(next.status).toBe('canceled')
            // A payment owed back is never then filled: it would be refunded and sold.
            if (order.owedBack) expect(wasPaid(next.status)).toBe(false)
            // Never more refunded than paid, never less than before.
            expect(next.refunded).toBeLessThanOrEqual(100)
            expect(next.refunded).toBeGreaterThanOrEqual(order.refunded)
            // Nothing is given back of a payment never taken.
            if (!wasPaid(order.status) && !order.owedBack) expect(next.refunded).toBe(0)
            // Replaying the same event changes nothing more.
            expect(apply(next, state, stockLeft, refundedSoFar)).toEqual(next)
            order = next
            paid ||= wasPaid(order.status)
          }
          // Only a payment makes an order paid.
          if (wasPaid(order.status)) expect(events.some(([state]) => state === 'paid')).toBe(true)
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('counts a provider refund only for what mitra has not refunded itself', () => {
    expect(refundedElsewhere(100, 0, 30)).toBe(30)
    // Mitra's own refund of 30, echoed by the provider: nothing more.
    expect(refundedElsewhere(100, 30, 30)).toBe(0)
    // An older event (20 refunded then) after a newer one was taken: nothing.
    expect(refundedElsewhere(100, 30, 20)).toBe(0)
    // Never beyond what was paid.
    expect(refundedElsewhere(100, 30, 500)).toBe(70)
    expect(decidePayment('paid', 'partially_refunded')).toEqual({ kind: 'refund' })
    expect(decidePayment('completed', 'refunded')).toEqual({ kind: 'refund' })
    expect(decidePayment('pending_payment', 'refunded').kind).toBe('ignore')
    expect(decidePayment('canceled', 'refunded').kind).toBe('ignore')
    // A closed order that took a payment it owes back: what the provider gave back is taken.
    expect(decidePayment('canceled', 'refunded', true)).toEqual({ kind: 'refund' })
    expect(decidePayment('expired', 'partially_refunded', true)).toEqual({ kind: 'refund' })
  })

  it('takes an order back from a refund that failed after it was made, and only then', () => {
    const shipped: OrderStatus[] = ['pending_payment', 'paid', 'shipped', 'partially_refunded']
    // Other refunds still stand: partly refunded.
    expect(afterFailedRefund('refunded', 30_000, shipped)).toBe('partially_refunded')
    expect(afterFailedRefund('partially_refunded', 30_000, shipped)).toBe('partially_refunded')
    // None stands: back to how far fulfilment had got.
    expect(afterFailedRefund('refunded', 0, [...shipped, 'refunded'])).toBe('shipped')
    expect(afterFailedRefund('partially_refunded', 0, ['pending_payment', 'paid'])).toBe('paid')
    // Fulfilment went on after the refunds: the status is about that, not them.
    expect(afterFailedRefund('completed', 0, [...shipped, 'completed'])).toBeNull()
    expect(afterFailedRefund('canceled', 0, ['pending_payment', 'canceled'])).toBeNull()
    // Those moves exist only for this: nobody can ask a refunded order to be completed.
    expect(canTransition('refunded', 'completed')).toBe(false)
    expect(canTransition('refunded', 'completed', true)).toBe(true)
    expect(canTransition('paid', 'completed', true)).toBe(false)
    expect(() => transition('refunded', 'shipped')).toThrow(/cannot become shipped/)
    expect(transition('refunded', 'shipped', true)).toBe('shipped')
  })
})
