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

/** Whatever was thrown, as the one error type the API speaks. */
export function toMitraError(error: unknown): MitraError {
  if (error instanceof MitraError) return error
  if (error instanceof ZodError) return fromZodError(error)
  if (error instanceof HTTPException) {
    const code =
      codeByStatus[error.status] ?? (error.status >= 500 ? 'internal' : 'invalid_request')
    return new MitraError(code, error.message || `HTTP ${error.status}`, { status: error.status })
  }
  return new MitraError('internal', 'An unexpected error occurred; it has been logged', {
    cause: error,
  })
}

/** Renders an error as RFC 9457 problem+json, tagged with the request id. */
export function problemResponse(c: Context, error: MitraError): Response {
  const requestId = c.get('requestId' as never) as string | undefined
  const body = { ...error.toProblem(c.req.path), ...(requestId ? { request_id: requestId } : {}) }
  const retryAfter = error.extensions.retry_after
  return c.body(JSON.stringify(body), error.status as ContentfulStatusCode, {
    'Content-Type': 'application/problem+json',
    // A 429 says when to try again (seconds), as its `retry_after` member does.
    ...(typeof retryAfter === 'number' ? { 'Retry-After': String(retryAfter) } : {}),
  })
}
