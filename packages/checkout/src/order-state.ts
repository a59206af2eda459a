import { MitraError } from '@mitra/core'
import type { OrderStatus } from '@mitra/db'
import type { PaymentState } from '@mitra/payments'

/*
 * The order state machine, pure. An order waits for payment, is paid, then fulfilled (ready
 * for pickup or shipped, then completed); it may instead expire or be canceled before
 * payment, and be refunded in part or in full after it. Refunds do not stop fulfilment of
 * what was not refunded, so a partially refunded order can still be shipped or completed.
 */

const transitions: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ['paid', 'expired', 'canceled'],
  paid: ['ready_for_pickup', 'shipped', 'completed', 'partially_refunded', 'refunded'],
  ready_for_pickup: ['completed', 'partially_refunded', 'refunded'],
  shipped: ['completed', 'partially_refunded', 'refunded'],
  completed: ['partially_refunded', 'refunded'],
  partially_refunded: [
    'ready_for_pickup',
    'shipped',
    'completed',
    'partially_refunded',
    'refunded',
  ],
  // Only a payment that arrives after the order expired reopens it (see `decidePayment`).
  expired: ['paid'],
  // Canceled stays canceled: a payment that still arrives goes back (`give_back`).
  canceled: [],
  refunded: [],
}

// Only a refund the provider made and then failed takes an order back from its refunds
// (see `afterFailedRefund`); no one can ask for these moves.
const reopenings: Partial<Record<OrderStatus, readonly OrderStatus[]>> = {
  refunded: ['partially_refunded', 'paid', 'ready_for_pickup', 'shipped', 'completed'],
  partially_refunded: ['partially_refunded', 'paid', 'ready_for_pickup', 'shipped', 'completed'],
}

export function canTransition(from: OrderStatus, to: OrderStatus, reopening = false): boolean {
  return (reopening ? (reopenings[from] ?? []) : transitions[from]).includes(to)
}

/**
 * The next status, or a 409 `illegal_status_transition` naming both ends. `reopening`: the
 * move undoes a refund that failed at the provider.
 */
export function transition(from: OrderStatus, to: OrderStatus, reopening = false): OrderStatus {
  if (!canTransition(from, to, reopening)) {
    throw new MitraError(
      'illegal_status_transition',
      `An order that is ${from} cannot become ${to}`,
      {
        extensions: { status: from, requested: to },
      },
    )
  }
  return to
}

/** Statuses an order no longer leaves by anyone's action (a late payment aside). */
export function isFinal(status: OrderStatus): boolean {
  return status === 'expired' || status === 'canceled' || status === 'refunded'
}

/** Whether money was taken for the order (it was paid, whatever happened since). */
export function wasPaid(status: OrderStatus): boolean {
  return status !== 'pending_payment' && status !== 'expired' && status !== 'canceled'
}

export type PaymentDecision =
  /** The order is paid now: turn its reservations into sales and post the split. */
  | { kind: 'pay' }
  /** Close the unpaid order (expired, or canceled when the payment failed). */
  | { kind: 'close'; status: 'expired' | 'canceled'; reason: string }
  /** A payment for an expired order: take it if the stock is still there, else refund. */
  | { kind: 'late_payment' }
  /** A payment for a canceled order: recorded, never taken, all of it owed back. */
  | { kind: 'give_back' }
  /**
   * The provider says money went back to the buyer: take whatever mitra has not yet (and
   * reverse it, when the payment had filled the order).
   */
  | { kind: 'refund' }
  /** Nothing to do: a replay in other words, an older or a weaker event. */
  | { kind: 'ignore'; reason: string }

/**
 * What a provider's word about the payment means for an order in `status`. Events may come
 * late, twice or out of order (an `expired` after the payment settled): they never move an
 * order backwards. Refund events are applied by the refund flow, which knows the amounts.
 * `paymentTaken`: the order has recorded a payment already.
 */
export function decidePayment(
  status: OrderStatus,
  state: PaymentState,
  paymentTaken = false,
): PaymentDecision {
  if (state === 'paid') {
    if (status === 'pending_payment') return { kind: 'pay' }
    // A closed order that already took a payment (and owes it back) takes no other.
    if (paymentTaken && !wasPaid(status)) return { kind: 'ignore', reason: 'payment taken' }
    // Someone called the order off (the buyer, the venue), or its payment failed and the
    // buyer was told nothing was charged; its stock went back on sale. Whatever is paid
    // after that goes back. An expired order only ran out of time: the buyer still wants it.
    if (status === 'canceled') return { kind: 'give_back' }
    if (status === 'expired') return { kind: 'late_payment' }
    return { kind: 'ignore', reason: `already ${status}` }
  }
  if (state === 'expired' || state === 'failed' || state === 'canceled') {
    if (status !== 'pending_payment') return { kind: 'ignore', reason: `already ${status}` }
    return state === 'expired'
      ? { kind: 'close', status: 'expired', reason: 'payment expired' }
      : { kind: 'close', status: 'canceled', reason: `payment ${state}` }
  }
  if (state === 'pending') return { kind: 'ignore', reason: 'payment still pending' }
  // A closed order gives back only a payment it took (and owes back in full).
  if (!wasPaid(status) && !paymentTaken) {
    return { kind: 'ignore', reason: `no payment taken while ${status}` }
  }
  return { kind: 'refund' }
}

/**
 * How much of what the provider reports refunded so far (`refundedAtProvider`, cumulative)
 * mitra has not refunded itself: a refund made in the provider's dashboard. Refunds mitra
 * started count from the moment they are claimed, so their own events add nothing, and a
 * cumulative figure makes replays and older events add nothing either.
 */
export function refundedElsewhere(
  paid: number,
  refundedHere: number,
  refundedAtProvider: number,
): number {
  return Math.max(0, Math.min(refundedAtProvider, paid) - refundedHere)
}

/** The status after refunding: all of what was paid, or part of it. */
export function afterRefund(paid: number, refunded: number): 'refunded' | 'partially_refunded' {
  return refunded >= paid ? 'refunded' : 'partially_refunded'
}

/** Statuses that tell how far fulfilment got, as opposed to refunds. */
const fulfilmentStatuses: readonly OrderStatus[] = [
  'paid',
  'ready_for_pickup',
  'shipped',
  'completed',
]

/**
 * Where an order goes when a refund it counted fails at the provider after it was made (the
 * buyer's bank sent the money back): still partly refunded when other refunds stand, else
 * back to how far its fulfilment had got (the last such status in `history`, oldest first).
 * `null`: its status is not about refunds (fulfilment went on after them), so it stays.
 */
export function afterFailedRefund(
  status: OrderStatus,
  refundedAfter: number,
  history: readonly OrderStatus[],
): OrderStatus | null {
  if (status !== 'refunded' && status !== 'partially_refunded') return null
  if (refundedAfter > 0) return 'partially_refunded'
  return history.findLast((s) => fulfilmentStatuses.includes(s)) ?? 'paid'
}
