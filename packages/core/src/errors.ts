import type { ZodError } from 'zod'

/**
 * Every error a caller can see has a stable `code`. The code decides the HTTP status and
 * title, so the same failure always looks the same whichever package raised it.
 */
export const errorCatalog = {
  // generic request problems
  invalid_request: { status: 400, title: 'The request is malformed' },
  validation_failed: { status: 422, title: 'Some fields are invalid' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'This key or role may not do that' },
  not_found: { status: 404, title: 'No such resource' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  idempotency_conflict: {
    status: 409,
    title: 'This Idempotency-Key was used with a different request',
  },
  idempotency_in_progress: {
    status: 409,
    title: 'A request with this Idempotency-Key is still in progress',
  },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Something went wrong on our side' },
  unavailable: { status: 503, title: 'A dependency is unavailable' },
  // money
  unknown_currency: { status: 422, title: 'The currency is not supported' },
  currency_mismatch: { status: 422, title: 'Amounts are in different currencies' },
  invalid_amount: { status: 422, title: 'The amount is not a valid number' },
  amount_precision: {
    status: 422,
    title: 'The amount has more decimal places than the currency allows',
  },
  amount_overflow: { status: 422, title: 'The amount is too large to handle exactly' },
  invalid_weights: { status: 422, title: 'The allocation weights are invalid' },
  // ids
  invalid_id: { status: 422, title: 'The id is malformed or of the wrong kind' },
  // catalog
  invalid_cursor: { status: 422, title: 'The pagination cursor is invalid' },
  wrong_party_kind: { status: 422, title: 'The party is of the wrong kind for this' },
  illegal_status_transition: { status: 409, title: 'This status change is not allowed' },
  product_incomplete: { status: 409, title: 'The product is not ready to be sold' },
  // branding
  palette_contrast: { status: 422, title: 'Some colour pairs are not readable enough' },
  image_too_large: { status: 413, title: 'The image file is too large' },
  image_too_many_pixels: { status: 422, title: 'The image has too many pixels' },
  unsupported_media_type: { status: 415, title: 'The file is not an image mitra can read' },
  image_unreadable: { status: 422, title: 'The image data is damaged or cannot be decoded' },
  // consignment stock
  insufficient_stock: { status: 409, title: 'Not enough stock is available' },
  price_not_allowed: { status: 422, title: 'The agreement does not allow this price' },
  goods_exceed_sale: {
    status: 409,
    title: 'More units would come back or be written off than the sale has left',
  },
  // agreements
  agreement_in_force: {
    status: 409,
    title: 'A version in force cannot be edited; propose an amendment instead',
  },
  agreement_not_draft: {
    status: 409,
    title: 'Only a draft can be edited; withdraw the proposal and redraft, or amend',
  },
  agreement_not_active: { status: 409, title: 'The agreement is not in force' },
  agreement_version_stale: {
    status: 409,
    title: 'The version or terms hash is not the one awaiting acceptance',
  },
  agreement_version_open: {
    status: 409,
    title: 'Another version of this agreement is still awaiting a decision',
  },
  agreement_exists: {
    status: 409,
    title: 'These parties already have an agreement of this model in force',
  },
  // revenue share and ledger
  invalid_policy: { status: 422, title: 'The split policy is invalid' },
  split_exceeds_total: {
    status: 422,
    title: 'The policy takes more than the line total; no share may be negative',
  },
  reversal_exceeds_original: {
    status: 409,
    title: 'More would be reversed than remains of the original',
  },
  ledger_unbalanced: { status: 422, title: 'The journal transaction does not balance' },
  source_already_posted: {
    status: 409,
    title: 'This source was already posted with different entries',
  },
  payout_below_minimum: { status: 409, title: 'The amount due is below the minimum payout' },
  insufficient_funds: {
    status: 409,
    title: 'Not enough money has been collected to pay this out',
  },
  remittance_exceeds_due: { status: 409, title: 'The remittance is more than what is due' },
  remittance_already_recorded: {
    status: 409,
    title: 'This remittance was already recorded with other details',
  },
  payout_stale: { status: 409, title: 'The amount due changed since the payout was previewed' },
  payout_destination_missing: {
    status: 409,
    title: 'The party has no payout destination for this method',
  },
  statement_stale: {
    status: 409,
    title: 'The statement changed since it was read; review the current numbers',
  },
  dispute_closed: { status: 409, title: 'This dispute is already resolved' },
  platform_unavailable: {
    status: 409,
    title: 'There is not exactly one platform party to collect or take the platform fee',
  },
  liability_mismatch: {
    status: 500,
    title: 'The ledger and the stock obligation disagree on what the venue owes',
  },
  // checkout
  cart_empty: { status: 422, title: 'The cart has nothing to check out' },
  cart_checked_out: {
    status: 409,
    title: 'The cart is checked out and takes no more changes; start a new cart',
  },
  refund_in_progress: {
    status: 409,
    title: 'mitra is still sending this refund or asking the provider about it',
  },
  // payment providers
  webhook_signature_invalid: {
    status: 400,
    title: 'The webhook signature is missing, forged or too old',
  },
  provider_unavailable: {
    status: 502,
    title: 'The payment provider did not answer; try again later',
  },
  provider_rejected: { status: 502, title: 'The payment provider refused the request' },
  webhook_event_ignored: {
    status: 422,
    title: 'The webhook is genuine but of a kind mitra does not act on',
  },
  provider_not_configured: { status: 503, title: 'This payment provider is not configured' },
  checkout_amount_mismatch: {
    status: 422,
    title: 'The checkout lines do not add up to the total',
  },
  checkout_expired: { status: 409, title: 'The checkout session has expired' },
  refund_exceeds_payment: {
    status: 409,
    title: 'The refund is larger than what remains of the payment',
  },
} as const satisfies Record<string, { status: number; title: string }>

export type ErrorCode = keyof typeof errorCatalog

/** One failing field: `path` is the dotted path into the request (`items.0.quantity`). */
export interface FieldError {
  path: string
  code: string
  message: string
}

/** RFC 9457 problem details, with mitra's stable `code` and per-field errors. */
export interface ProblemDetails {
  type: string
  title: string
  status: number
  detail: string
  code: ErrorCode
  errors?: FieldError[]
  instance?: string
  [extension: string]: unknown
}

export interface MitraErrorOptions {
  errors?: FieldError[]
  /** Overrides the catalog status for a code whose status depends on context. */
  status?: number
  /** Extra members for the problem document (e.g. `available` on a stock conflict). */
  extensions?: Record<string, unknown>
  cause?: unknown
}

/**
 * The one error type of mitra. Domain code throws it; the server renders it as
 * problem+json. Anything else that escapes is a bug and becomes a 500.
 *
 * @example
 * throw new MitraError('currency_mismatch', 'Cannot add USD to IDR')
 */
export class MitraError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly title: string
  readonly errors: FieldError[]
  readonly extensions: Record<string, unknown>

  constructor(code: ErrorCode, detail: string, options: MitraErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'MitraError'
    this.code = code
    this.status = options.status ?? errorCatalog[code].status
    this.title = errorCatalog[code].title
    this.errors = options.errors ?? []
    this.extensions = options.extensions ?? {}
  }

  /** The problem+json body for this error. */
  toProblem(instance?: string): ProblemDetails {
    const problem: ProblemDetails = {
      ...this.extensions,
      type: problemType(this.code),
      title: this.title,
      status: this.status,
      detail: this.message,
      code: this.code,
    }
    if (this.errors.length > 0) problem.errors = this.errors
    if (instance !== undefined) problem.instance = instance
    return problem
  }
}

/** Problem type URIs are relative references to the error reference in the API docs. */
export function problemType(code: ErrorCode): string {
  return `/docs/errors#${code}`
}

export function isMitraError(value: unknown): value is MitraError {
  return value instanceof MitraError
}

/** Shorthand for a 422 that names one failing field. */
export function fieldError(path: string, code: string, message: string): MitraError {
  return new MitraError('validation_failed', message, { errors: [{ path, code, message }] })
}

/**
 * A service's field path as the API request names it: each camelCase segment in snake_case
 * (`lines.0.unitAmount` → `lines.0.unit_amount`), and a first segment the request calls
 * something else renamed (`{ payoutId: 'id' }`: the payout is the URL's `id`).
 */
export function requestPath(path: string, rename: Readonly<Record<string, string>> = {}): string {
  const [head = '', ...rest] = path.split('.')
  return [rename[head] ?? head, ...rest]
    .map((segment) => segment.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .join('.')
}

/**
 * Turns a zod failure into a 422 naming every failing field (under `prefix`, each path
 * passed through `name` when given: see `requestPath`). An unknown field is named itself
 * (`profile.colour`), not its parent; a failure of the input as a whole is named `whole`
 * (the API passes `body` or `query`).
 */
export function fromZodError(
  error: ZodError,
  prefix?: string,
  name?: (path: string) => string,
  whole = 'input',
): MitraError {
  const errors = error.issues.flatMap((issue) => {
    const at = (extra: string[]) => {
      const segments = [prefix, ...issue.path.map(String), ...extra].filter(
        (p) => p !== undefined && p !== '',
      )
      const path = segments.join('.')
      return name === undefined ? path : name(path)
    }
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined]
    return keys.map((key) => {
      const path = at(key === undefined ? [] : [key])
      return {
        path: path === '' ? whole : path,
        code: issue.code,
        message: key === undefined ? issue.message : `'${key}' is not a known field`,
      }
    })
  })
  const first = errors[0]
  const detail =
    first === undefined ? 'The request is invalid' : `'${first.path}': ${first.message}`
  return new MitraError('validation_failed', detail, { errors })
}
