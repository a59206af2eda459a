import type { z } from 'zod'
import { fromZodError, MitraError, requestPath } from './errors.js'

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

/**
 * `parseInput` for a service whose camelCase input carries an API request's snake_case
 * fields: a failure names each field as the request does (`statementHash` →
 * `statement_hash`; `rename` for a field the request calls something else, such as the
 * URL's `id`), so a 422 never shows the service's own names.
 */
export function parseRequestInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  rename: Readonly<Record<string, string>> = {},
): z.output<S> {
  const result = schema.safeParse(input)
  if (!result.success) {
    throw fromZodError(result.error, undefined, (path) => requestPath(path, rename))
  }
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
