import {
  atomically,
  type Executor,
  type OrderRefundRow,
  type OrderRow,
  orderRefunds,
  orders,
} from '@mitra/db'
import {
  and,
  asc,
  eq,
  exists,
  gt,
  inArray,
  isNotNull,
  isNull,
  lte,
  notExists,
  or,
  sql,
} from 'drizzle-orm'
import type { ProviderRegistry } from './providers.js'
import { pursueRefund, refundUnfilledPayment, resendForHours } from './refunds.js'

export interface ResumeRefundsOptions {
  now?: Date
  /** Refunds claimed per pass (default 20). */
  limit?: number
  /** How long a claimed refund is left to its sender before another may try (5 min). */
  leaseSeconds?: number
  /** How long a refund due is left to the request that found it owed (1 min). */
  graceSeconds?: number
}

export interface ResumeRefundsResult {
  /** Payments owed back that had no refund yet (the process stopped before it was made). */
  claimed: number
  /** Refunds sent, and how each stands now. */
  sent: RefundOutcome[]
  /** Refunds the provider accepted as pending, asked about again, and how each stands now. */
  checked: RefundOutcome[]
  /**
   * Refunds never accepted and still pending past the retry window: a person must settle
   * them with the provider.
   */
  stalled: number
  /**
   * Payments owed back whose refund the provider refused: they filled nothing, so no venue
   * can refund them again. A person must settle them with the provider.
   */
  refused: number
}

export interface RefundOutcome {
  refundId: string
  status: OrderRefundRow['status']
  error: string | null
}

/**
 * The refund worker: no money owed back to a buyer waits for a request that may never come.
 * It claims a refund for every payment owed back that has none (a crash between the payment
 * and its refund), then sends again every pending refund whose time has come: ones the
 * provider did not answer, or whose sender stopped. A refund the provider accepted but has
 * not made yet is asked about instead, until it succeeds or fails. Refunds are claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease, so any number of instances may run it, and each is
 * sent under its own idempotency key, so sending again never refunds twice.
 */
export async function resumeRefunds(
  db: Executor,
  providers: ProviderRegistry,
  options: ResumeRefundsOptions = {},
): Promise<ResumeRefundsResult> {
  const now = options.now ?? new Date()
  const limit = options.limit ?? 20
  const graceStart = new Date(now.getTime() - (options.graceSeconds ?? 60) * 1000)
  // Past this, a refund never accepted is left to a person (`settleStalledRefund`).
  const windowStart = new Date(now.getTime() - resendForHours * 3_600_000)

  const refundsOf = (status?: OrderRefundRow['status']) =>
    db
      .select({ one: sql`1` })
      .from(orderRefunds)
      .where(
        and(
          eq(orderRefunds.orderId, orders.id),
          status === undefined ? undefined : eq(orderRefunds.status, status),
        ),
      )
  // The predicate of orders_refund_due_idx: paid, closed, nothing given back.
  const owedBack = and(
    sql`${orders.paidAmount} is not null and ${orders.refundedAmount} = 0 and ${orders.status} in ('canceled', 'expired')`,
    isNotNull(orders.providerPaymentId),
  )
  const owed = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(owedBack, lte(orders.updatedAt, graceStart), notExists(refundsOf())))
    .orderBy(asc(orders.updatedAt))
    .limit(limit)
  // Claimed and sent at once; one the provider does not answer is picked up below next time.
  const result: ResumeRefundsResult = { claimed: 0, sent: [], checked: [], stalled: 0, refused: 0 }
  for (const { id } of owed) {
    const refund = await refundUnfilledPayment(db, providers, id, { now })
    if (refund === null) continue
    result.claimed++
    result.sent.push({ refundId: refund.id, status: refund.status, error: null })
  }

  const lease = new Date(now.getTime() + (options.leaseSeconds ?? 300) * 1000)
  const due = await atomically(db, async (tx) => {
    const rows = await tx
      .select()
      .from(orderRefunds)
      .where(
        and(
          eq(orderRefunds.status, 'pending'),
          lte(orderRefunds.nextAttemptAt, now),
          or(isNotNull(orderRefunds.providerRefundId), gt(orderRefunds.createdAt, windowStart)),
        ),
      )
      .orderBy(asc(orderRefunds.nextAttemptAt))
      .limit(limit)
      .for('update', { skipLocked: true })
    if (rows.length > 0) {
      const ids = rows.map((row) => row.id)
      await tx
        .update(orderRefunds)
        .set({ nextAttemptAt: lease })
        .where(inArray(orderRefunds.id, ids))
    }
    return rows
  })
  for (const refund of due) {
    const [order] = await db.select().from(orders).where(eq(orders.id, refund.orderId))
    const answer = await pursueRefund(db, providers, order as OrderRow, refund, now)
    ;(refund.providerRefundId === null ? result.sent : result.checked).push({
      refundId: refund.id,
      status: answer.refund.status,
      error: answer.error === undefined ? null : errorText(answer.error),
    })
  }

  const [stalled] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(orderRefunds)
    .where(
      and(
        eq(orderRefunds.status, 'pending'),
        isNull(orderRefunds.providerRefundId),
        lte(orderRefunds.createdAt, windowStart),
      ),
    )
  result.stalled = stalled?.count ?? 0
  const [refused] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(orders)
    .where(and(owedBack, exists(refundsOf('failed')), notExists(refundsOf('pending'))))
  result.refused = refused?.count ?? 0
  return result
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
