import { currency as checkCurrency } from '@mitra/core'
import { atomically, demoRefunds, demoSessions, type Executor } from '@mitra/db'
import {
  type CheckoutLine,
  DemoBank,
  type DemoBankStore,
  type DemoBankTransaction,
  type DemoRefund,
  type DemoSession,
  type DemoWebhook,
  isPaymentMethod,
  type PaymentState,
} from '@mitra/payments'
import { and, asc, eq, lte, type SQL } from 'drizzle-orm'

/*
 * DEMO — no real money. The demo provider's "bank" kept in the database (`demo_sessions`,
 * `demo_refunds`), so a restart strands no open checkout and every instance on one database
 * sees the same sessions. Each bank transaction is a database transaction; the sessions it
 * reads are locked `FOR UPDATE` until it ends, so two clicks of Pay never pay twice.
 */

type DemoSessionRow = typeof demoSessions.$inferSelect

function sessionOf(row: DemoSessionRow): DemoSession {
  return {
    sessionId: row.sessionId,
    orderId: row.orderId,
    idempotencyKey: row.idempotencyKey,
    currency: checkCurrency(row.currency),
    lines: row.lines as CheckoutLine[],
    total: row.total,
    successUrl: row.successUrl,
    cancelUrl: row.cancelUrl,
    expiresAt: row.expiresAt,
    state: row.state as PaymentState,
    paymentId: row.paymentId,
    method: row.method !== null && isPaymentMethod(row.method) ? row.method : null,
    fee: row.fee,
    refunded: row.refunded,
    lastWebhook: row.lastWebhook as DemoWebhook | null,
  }
}

function rowOf(session: DemoSession, now: Date) {
  return {
    sessionId: session.sessionId,
    orderId: session.orderId,
    idempotencyKey: session.idempotencyKey,
    currency: session.currency,
    lines: session.lines,
    total: session.total,
    successUrl: session.successUrl,
    cancelUrl: session.cancelUrl,
    expiresAt: session.expiresAt,
    state: session.state,
    paymentId: session.paymentId,
    method: session.method,
    fee: session.fee,
    refunded: session.refunded,
    lastWebhook: session.lastWebhook,
    updatedAt: now,
  }
}

function refundOf(row: typeof demoRefunds.$inferSelect): DemoRefund {
  return {
    idempotencyKey: row.idempotencyKey,
    refundId: row.refundId,
    paymentId: row.paymentId,
    amount: row.amount,
    failed: row.failed !== 0,
  }
}

function transactionOn(tx: Executor): DemoBankTransaction {
  const one = async (where: SQL) => {
    const [row] = await tx.select().from(demoSessions).where(where).for('update')
    return row === undefined ? undefined : sessionOf(row)
  }
  const refundWhere = async (where: SQL) => {
    const [row] = await tx.select().from(demoRefunds).where(where).for('update')
    return row === undefined ? undefined : refundOf(row)
  }
  return {
    session: (sessionId) => one(eq(demoSessions.sessionId, sessionId)),
    sessionByPayment: (paymentId) => one(eq(demoSessions.paymentId, paymentId)),
    async dueSessions(now, limit) {
      const rows = await tx
        .select()
        .from(demoSessions)
        .where(and(eq(demoSessions.state, 'pending'), lte(demoSessions.expiresAt, now)))
        .orderBy(asc(demoSessions.expiresAt))
        .limit(limit)
        .for('update', { skipLocked: true })
      return rows.map(sessionOf)
    },
    async insertSession(session) {
      await tx
        .insert(demoSessions)
        .values(rowOf(session, new Date()))
        .onConflictDoNothing({ target: demoSessions.idempotencyKey })
      // Ours, or the one a request with the same key opened first.
      return (await one(eq(demoSessions.idempotencyKey, session.idempotencyKey))) as DemoSession
    },
    async saveSession(session) {
      const { sessionId: _id, ...changes } = rowOf(session, new Date())
      await tx
        .update(demoSessions)
        .set(changes)
        .where(eq(demoSessions.sessionId, session.sessionId))
    },
    refund: (key) => refundWhere(eq(demoRefunds.idempotencyKey, key)),
    refundById: (refundId) => refundWhere(eq(demoRefunds.refundId, refundId)),
    async saveRefund(refund) {
      const row = { ...refund, failed: refund.failed ? 1 : 0 }
      await tx
        .insert(demoRefunds)
        .values(row)
        .onConflictDoUpdate({ target: demoRefunds.idempotencyKey, set: { failed: row.failed } })
    },
  }
}

/** The demo bank's records in `db`: one database transaction per bank transaction. */
export function databaseDemoBankStore(db: Executor): DemoBankStore {
  return { transaction: (work) => atomically(db, (tx) => work(transactionOn(tx))) }
}

/** A demo bank over `db`, for the running server (`paymentProvidersFromEnv`'s `bank`). */
export function databaseDemoBank(db: Executor): DemoBank {
  return new DemoBank(databaseDemoBankStore(db))
}
