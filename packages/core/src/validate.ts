import type { z } from 'zod'
import { fromZodError, MitraError } from './errors.js'

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
