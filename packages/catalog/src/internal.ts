import { fromZodError, MitraError } from '@mitra/core'
import {
  constraintOf,
  type Database,
  type Executor,
  inTransaction,
  sqlState,
  sqlStateOf,
} from '@mitra/db'
import { PgTransaction } from 'drizzle-orm/pg-core'
import type { z } from 'zod'

/** Validates service input with a zod schema; a failure is a 422 naming each field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  pathPrefix?: string,
): z.output<S> {
  const result = schema.safeParse(input)
  if (!result.success) throw fromZodError(result.error, pathPrefix)
  return result.data
}

/** 404 for a missing row or another party's row: the two look the same from outside. */
export function notFound(what: string, id: string, path?: string): MitraError {
  const message = `No ${what} with id '${id}'`
  return new MitraError(
    'not_found',
    message,
    path === undefined ? {} : { errors: [{ path, code: 'not_found', message }] },
  )
}

/** 409 `conflict` naming the field that must be unique. */
export function conflict(path: string, message: string, cause?: unknown): MitraError {
  return new MitraError('conflict', message, {
    errors: [{ path, code: 'already_exists', message }],
    cause,
  })
}

/**
 * Rethrows a unique violation of one of `constraints` as a 409 naming its field; any other
 * error unchanged.
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

/**
 * Runs `work` atomically: in a new transaction (retried on serialization failures) when
 * given the database, or inside the caller's transaction when given one.
 */
export function atomically<T>(db: Executor, work: (tx: Executor) => Promise<T>): Promise<T> {
  if (db instanceof PgTransaction) return work(db)
  return inTransaction(db as Database, work)
}

export function iso(date: Date): string {
  return date.toISOString()
}
