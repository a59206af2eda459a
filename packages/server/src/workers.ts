import { raiseExpiryReturns, releaseExpiredReservations } from '@mitra/consignment'
import { type Clock, systemClock } from '@mitra/core'
import type { Database } from '@mitra/db'

export interface WorkerOptions {
  /** How often expired checkout reservations are released (default 30 s). */
  reservationsEveryMs?: number
  /** How often lots past their consignment term raise return requests (default 1 h). */
  expiryEveryMs?: number
  onError?: (error: unknown, job: string) => void
  /** Whose time decides what has expired (tests move a ManualClock on). */
  clock?: Clock
}

export interface Workers {
  /** Runs every job once now (tests, and a first pass at start-up). */
  runOnce(): Promise<{ released: number; raised: number }>
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
  const timers = [
    setInterval(reservations, options.reservationsEveryMs ?? 30_000),
    setInterval(expiry, options.expiryEveryMs ?? 3_600_000),
  ]
  for (const timer of timers) timer.unref()
  return {
    runOnce: async () => ({ released: await reservations(), raised: await expiry() }),
    stop: () => {
      for (const timer of timers) clearInterval(timer)
    },
  }
}
