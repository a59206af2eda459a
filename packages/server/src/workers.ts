import {
  closeCanceledCheckouts,
  receiveWebhook,
  reconcilePendingOrders,
  refundIsDue,
  refundUnfilledPayment,
  resumeRefunds,
} from '@mitra/checkout'
import { raiseExpiryReturns, releaseExpiredReservations } from '@mitra/consignment'
import { type Clock, systemClock } from '@mitra/core'
import type { Database } from '@mitra/db'
import type { PaymentProviderRegistry } from '@mitra/payments'

export interface WorkerOptions {
  /** How often expired checkout reservations are released (default 30 s). */
  reservationsEveryMs?: number
  /** How often lots past their consignment term raise return requests (default 1 h). */
  expiryEveryMs?: number
  /**
   * Checkout's providers: pending orders are reconciled with them (and the demo provider's
   * unpaid sessions expire). Without them, no payment job runs.
   */
  payments?: PaymentProviderRegistry
  /** How often pending orders are reconciled and owed refunds sent again (default 60 s). */
  paymentsEveryMs?: number
  onError?: (error: unknown, job: string) => void
  /** Whose time decides what has expired (tests move a ManualClock on). */
  clock?: Clock
}

export interface Workers {
  /** Runs every job once now (tests, and a first pass at start-up). */
  runOnce(): Promise<{ released: number; raised: number; reconciled: number }>
  stop(): void
}

/**
 * Background jobs of a server instance. Each job claims its rows with
 * `FOR UPDATE SKIP LOCKED`, so every instance behind a load balancer may run them: a
 * reservation is released, and an expired lot raises its return, exactly once.
 */
export function startWorkers(db: Database, options: WorkerOptions = {}): Workers {
  const onError = options.onError ?? ((error, job) => console.error(`worker ${job} failed`, error))
  const clock = options.clock ?? systemClock
  const jobs = {
    reservations: async () =>
      (await releaseExpiredReservations(db, { now: clock.now() })).released.length,
    expiry: async () => (await raiseExpiryReturns(db, { now: clock.now() })).raised.length,
    payments: async () => {
      const payments = options.payments
      if (payments === undefined) return 0
      // The demo "bank" expires its own sessions and notifies, like a real provider.
      for (const hook of (await payments.demo?.expireDue()) ?? []) {
        await receiveWebhook(db, payments, 'demo', {
          rawBody: hook.body,
          headers: new Headers(hook.headers),
        })
      }
      const result = await reconcilePendingOrders(db, payments, { now: clock.now() })
      for (const applied of result.applied) {
        if (refundIsDue(applied)) {
          await refundUnfilledPayment(db, payments, applied.orderId)
        }
      }
      // Canceled orders whose checkout the provider did not close at the time.
      const closing = await closeCanceledCheckouts(db, payments, { now: clock.now() })
      for (const failure of [...result.failed, ...closing.failed]) {
        onError(new Error(`${failure.orderId}: ${failure.error}`), 'payments')
      }
      // Money owed back to buyers: refunds the provider did not answer, or never made.
      const refunds = await resumeRefunds(db, payments, { now: clock.now() })
      for (const answer of [...refunds.sent, ...refunds.checked]) {
        if (answer.error !== null) {
          onError(new Error(`${answer.refundId}: ${answer.error}`), 'refunds')
        }
      }
      if (refunds.stalled > 0) {
        const message = `${refunds.stalled} refunds still pending after the retry window`
        onError(new Error(message), 'refunds')
      }
      if (refunds.refused > 0) {
        const message = `${refunds.refused} payments owed back whose refund the provider refused`
        onError(new Error(message), 'refunds')
      }
      return result.applied.length + closing.closed + refunds.sent.length + refunds.checked.length
    },
  }
  const guarded = (name: keyof typeof jobs) => {
    let running = false
    return async () => {
      if (running) return 0 // a slow pass is not overlapped by the next tick
      running = true
      try {
        return await jobs[name]()
      } catch (error) {
        onError(error, name)
        return 0
      } finally {
        running = false
      }
    }
  }
  const reservations = guarded('reservations')
  const expiry = guarded('expiry')
  const payments = guarded('payments')
  const timers = [
    setInterval(reservations, options.reservationsEveryMs ?? 30_000),
    setInterval(expiry, options.expiryEveryMs ?? 3_600_000),
    setInterval(payments, options.paymentsEveryMs ?? 60_000),
  ]
  for (const timer of timers) timer.unref()
  return {
    runOnce: async () => ({
      released: await reservations(),
      raised: await expiry(),
      reconciled: await payments(),
    }),
    stop: () => {
      for (const timer of timers) clearInterval(timer)
    },
  }
}
