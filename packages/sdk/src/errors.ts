import type { components } from './generated/openapi.js'

type Problem = components['schemas']['Problem']

/**
 * Every `code` the API answers errors with (see `/docs/errors`), plus `unexpected_response`
 * for an answer that is not the API's problem+json (a proxy's HTML 502, say).
 */
export type ErrorCode = Problem['code'] | 'unexpected_response'

/** One failing field: `path` is the field (`lines.0.quantity`), `code` what is wrong with it. */
export interface FieldError {
  path: string
  code: string
  message: string
}

/**
 * The API answered with an error (RFC 9457 problem+json). Narrow it by `code`:
 *
 * ```ts
 * if (isMitraApiError(error, 'insufficient_funds')) console.log(error.problem.available)
 * ```
 */
export class MitraApiError<Code extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'MitraApiError'
  /** The HTTP status (400–599). */
  readonly status: number
  readonly code: Code
  readonly title: string
  /** What went wrong, in a sentence meant for the developer. */
  readonly detail: string
  /** The failing fields, when the request was refused for its content. */
  readonly errors: readonly FieldError[]
  /** Quote it to support: it names this request in the server's log. */
  readonly requestId: string | undefined
  /** The whole problem document, with any members particular to this code. */
  readonly problem: Readonly<Record<string, unknown>>

  constructor(
    status: number,
    problem: Partial<Problem> & Record<string, unknown>,
    requestId?: string,
  ) {
    const detail = typeof problem.detail === 'string' ? problem.detail : `HTTP ${status}`
    super(detail)
    this.status = status
    this.code = (problem.code ?? 'unexpected_response') as Code
    this.title = problem.title ?? 'Unexpected response'
    this.detail = detail
    this.errors = problem.errors ?? []
    this.requestId = problem.request_id ?? requestId
    this.problem = problem
  }
}

/** True when `error` is a `MitraApiError`, and (given `code`) one with that code. */
export function isMitraApiError<Code extends ErrorCode>(
  error: unknown,
  code?: Code,
): error is MitraApiError<Code> {
  return error instanceof MitraApiError && (code === undefined || error.code === code)
}

/** No answer came back: the network failed, or the request timed out (`timedOut`). */
export class MitraConnectionError extends Error {
  override readonly name = 'MitraConnectionError'
  constructor(
    message: string,
    readonly timedOut: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
