import { conflict } from '@mitra/core'
import { PgTransaction } from 'drizzle-orm/pg-core'
import type { Database, Executor } from './database.js'

/** Postgres SQLSTATEs worth naming in services. */
export const sqlState = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  notNullViolation: '23502',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
} as const

/** The SQLSTATE of a database error, looking through the wrappers drivers add. */
export function sqlStateOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (typeof current !== 'object' || current === null) return undefined
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** The constraint a violation names, when the driver reports it. */
export function constraintOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (typeof current !== 'object' || current === null) return undefined
    const record = current as { constraint?: unknown; constraint_name?: unknown; cause?: unknown }
    const name = record.constraint ?? record.constraint_name
    if (typeof name === 'string') return name
    current = record.cause
  }
  return undefined
}

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable'

export interface TransactionOptions {
  isolationLevel?: IsolationLevel
  /** How often a serialization failure or deadlock is retried (default 5). */
  retries?: number
}

const retryable = new Set<string>([sqlState.serializationFailure, sqlState.deadlockDetected])

/**
 * Runs `work` in one transaction: all of it commits or none of it does. A serialization
 * failure or deadlock — the database telling two writers to take turns — is retried with a
 * jittered backoff; any other error rolls back and is rethrown unchanged.
 *
 * @example
 * await inTransaction(db, async (tx) => { await tx.insert(parties).values(row) })
 */
export async function inTransaction<T>(
  db: Database,
  work: (tx: Executor) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const retries = options.retries ?? 5
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(
        (tx) => work(tx),
        options.isolationLevel ? { isolationLevel: options.isolationLevel } : undefined,
      )
    } catch (error) {
      const state = sqlStateOf(error)
      if (attempt >= retries || state === undefined || !retryable.has(state)) throw error
      const backoff = Math.min(200, 5 * 2 ** attempt)
      await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * backoff))
    }
  }
}

/**
 * Runs `work` atomically: in a new transaction (retried on serialization failures, with
 * `options`) when given the database, or inside the caller's transaction when given one — so
 * services compose into larger units of work.
 */
export function atomically<T>(
  db: Executor,
  work: (tx: Executor) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (db instanceof PgTransaction) return work(db)
  return inTransaction(db as Database, work, options)
}

/**
 * Rethrows a unique violation of one of `constraints` as a 409 `conflict` naming its field;
 * any other error unchanged.
 */
export function mapUniqueViolation(
  error: unknown,
  constraints: Record<string, { path: string; message: string }>,
): never {
  if (sqlStateOf(error) === sqlState.uniqueViolation) {
    const name = constraintOf(error)
    const known = name === undefined ? undefined : constraints[name]
    if (known !== undefined) throw conflict(known.path, known.message, error)
  }
  throw error
}
