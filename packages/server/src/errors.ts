import { type ErrorCode, fromZodError, MitraError } from '@mitra/core'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ZodError } from 'zod'

const codeByStatus: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation_failed',
  429: 'rate_limited',
  503: 'unavailable',
}

/** What the validator's targets are called in `errors[].path` when the whole part fails. */
const partNames: Record<string, string> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'path',
  header: 'headers',
  cookie: 'cookies',
}

/**
 * Whatever was thrown, as the one error type the API speaks (`target`: the part of the
 * request a validation failure is about: `json`, `query`, `param`…).
 */
export function toMitraError(error: unknown, target?: string): MitraError {
  if (error instanceof MitraError) return error
  if (error instanceof ZodError) {
    return fromZodError(error, undefined, undefined, partNames[target ?? ''] ?? 'body')
  }
  if (error instanceof HTTPException) {
    const code =
      codeByStatus[error.status] ?? (error.status >= 500 ? 'internal' : 'invalid_request')
    return new MitraError(code, error.message || `HTTP ${error.status}`, { status: error.status })
  }
  return new MitraError('internal', 'An unexpected error occurred; it has been logged', {
    cause: error,
  })
}

/**
 * The part of the request a refusal is about, for one that names no field of its own:
 * the key for 401, 403 and 429 (`authorization`); for a 404 or 409, the URL's parameter
 * whose value the message names (the id that is missing or in the wrong state), else its
 * only parameter; the body for 413; the URL's path when no route matched.
 */
function partAtFault(c: Context, error: MitraError): string {
  if (error.status === 401 || error.status === 403 || error.status === 429) return 'authorization'
  if (error.status === 413 || error.status === 415) return 'body'
  let params: Record<string, string> = {}
  try {
    params = c.req.param() as Record<string, string>
  } catch {
    // No route matched: there are no parameters.
  }
  const names = Object.keys(params)
  const named = names.find(
    (name) => params[name] !== '' && error.message.includes(params[name] as string),
  )
  if (named !== undefined) return named
  if (names.length === 1) return names[0] as string
  return error.status === 404 ? 'path' : 'body'
}

/** Renders an error as RFC 9457 problem+json, tagged with the request id. */
export function problemResponse(c: Context, error: MitraError): Response {
  const requestId = c.get('requestId' as never) as string | undefined
  const problem = error.toProblem(c.req.path)
  // Every refusal names what failed, so a client can point at it.
  if (error.status < 500 && problem.errors === undefined) {
    problem.errors = [{ path: partAtFault(c, error), code: error.code, message: error.message }]
  }
  const body = { ...problem, ...(requestId ? { request_id: requestId } : {}) }
  const retryAfter = error.extensions.retry_after
  return c.body(JSON.stringify(body), error.status as ContentfulStatusCode, {
    'Content-Type': 'application/problem+json',
    // A 429 says when to try again (seconds), as its `retry_after` member does.
    ...(typeof retryAfter === 'number' ? { 'Retry-After': String(retryAfter) } : {}),
    // The rest of a body too large to read is still on its way: this connection ends after
    // the answer, so no client sends its next request into it (or keeps writing, EPIPE).
    ...(error.status === 413 ? { Connection: 'close' } : {}),
  })
}
