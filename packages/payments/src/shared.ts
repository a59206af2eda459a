import {
  currencyCodeSchema,
  fromZodError,
  isMitraError,
  MitraError,
  ProviderError,
  type RetryOptions,
  requestPath,
  withRetries,
} from '@mitra/core'
import { z } from 'zod'
import type { CheckoutRequest, PaymentStatus, ProviderName } from './types.js'

const lineSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  unitAmount: z.number().int().safe(),
  quantity: z.number().int().positive().safe(),
})

const checkoutSchema = z.object({
  orderId: z.string().min(1),
  currency: currencyCodeSchema,
  lines: z.array(lineSchema).min(1),
  total: z.number().int().positive().safe(),
  customer: z
    .object({
      name: z.string().optional(),
      email: z.string().optional(),
      phone: z.string().optional(),
    })
    .optional(),
  successUrl: z.url(),
  cancelUrl: z.url(),
  expiresAt: z.date(),
  transferGroup: z.string().min(1).optional(),
  idempotencyKey: z.string().min(1).max(255),
})

/** Σ unitAmount × quantity, exactly (bigint, so a large order cannot lose precision). */
export function linesTotal(lines: readonly { unitAmount: number; quantity: number }[]): bigint {
  return lines.reduce((sum, line) => sum + BigInt(line.unitAmount) * BigInt(line.quantity), 0n)
}

/**
 * Checks a checkout before any provider sees it: the shape, and that the lines add up to the
 * total (a provider that recomputes the total would otherwise charge a different amount).
 * A 422 names each field in snake_case, as the API does (`expires_at`, `lines.0.unit_amount`).
 */
export function checkCheckoutRequest(request: CheckoutRequest, now: Date): CheckoutRequest {
  const parsed = checkoutSchema.safeParse(request)
  if (!parsed.success) throw fromZodError(parsed.error, undefined, (path) => requestPath(path))
  const sum = linesTotal(request.lines)
  if (sum !== BigInt(request.total)) {
    throw new MitraError(
      'checkout_amount_mismatch',
      `The lines add up to ${sum} but the total is ${request.total}`,
      { extensions: { linesTotal: Number(sum), total: request.total } },
    )
  }
  if (request.expiresAt.getTime() <= now.getTime()) {
    throw new MitraError('validation_failed', 'The checkout expires in the past', {
      errors: [{ path: 'expires_at', code: 'too_small', message: 'must be in the future' }],
    })
  }
  return request
}

export function signatureInvalid(provider: ProviderName, detail: string, cause?: unknown) {
  return new MitraError('webhook_signature_invalid', `${provider}: ${detail}`, {
    ...(cause === undefined ? {} : { cause }),
  })
}

/**
 * Runs a provider call with retries, then turns what is left into a MitraError: a transient
 * failure is 'provider_unavailable' (try later), a refusal is 'provider_rejected'.
 */
export async function callProvider<T>(
  provider: ProviderName,
  what: string,
  call: () => Promise<T>,
  retry: RetryOptions | undefined,
): Promise<T> {
  try {
    return await withRetries(call, retry)
  } catch (error) {
    if (isMitraError(error)) throw error
    if (error instanceof ProviderError) {
      const status = error.status === undefined ? {} : { providerStatus: error.status }
      throw new MitraError(
        error.transient ? 'provider_unavailable' : 'provider_rejected',
        `${provider} ${what}: ${error.message}`,
        { cause: error, extensions: { provider, ...status } },
      )
    }
    throw error
  }
}

export function basicAuth(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`
}

export interface JsonResponse {
  status: number
  body: unknown
}

/**
 * One HTTP call with a timeout. A dropped connection, a timeout, a 5xx, 429 or 408 is a
 * transient ProviderError; other statuses are returned for the caller to judge.
 */
export async function fetchJson(
  label: string,
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: unknown },
  timeoutMs: number,
): Promise<JsonResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(url, {
      method: init.method,
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new ProviderError(`${label}: ${message}`, { transient: true, cause: error })
  }
  let text: string
  try {
    text = await response.text()
  } catch (error) {
    throw new ProviderError(`${label}: the answer was cut off`, { transient: true, cause: error })
  }
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    throw new ProviderError(`${label} answered ${response.status}: ${text.slice(0, 300)}`, {
      transient: true,
      status: response.status,
    })
  }
  let body: unknown = null
  if (text !== '') {
    try {
      body = JSON.parse(text) as unknown
    } catch (error) {
      throw new ProviderError(`${label} answered ${response.status} with no JSON`, {
        transient: false,
        status: response.status,
        cause: error,
      })
    }
  }
  return { status: response.status, body }
}

/** The status of a checkout that took no payment and can take none now. */
export function closedStatus(orderId: string, state: 'expired' | 'canceled'): PaymentStatus {
  return { orderId, state, amount: null, currency: null, paymentId: null, fee: null }
}

/** The provider does not know the checkout session (`PaymentProvider.fetchStatus`). */
export function unknownSession(provider: ProviderName, sessionId: string, orderId: string) {
  return new MitraError('not_found', `${provider} knows no checkout ${sessionId} of ${orderId}`, {
    extensions: { provider },
  })
}
