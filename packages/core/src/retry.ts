/**
 * Bounded retries with exponential backoff and full jitter, for provider calls that failed
 * in a way that may succeed later (a 5xx, a 429, a timeout, a dropped connection). Every
 * attempt carries the same idempotency key, so a retry of a request that did arrive is
 * answered by the provider with the first result and never pays twice.
 */

export interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  attempts?: number
  /** Delay before the first retry, doubled for each later one (default 250 ms). */
  baseDelayMs?: number
  /** Longest delay between attempts (default 2 s). */
  maxDelayMs?: number
}

/** A provider's answer: transient failures are retried, permanent ones are final. */
export class ProviderError extends Error {
  readonly transient: boolean
  readonly status: number | undefined
  constructor(message: string, options: { transient: boolean; status?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ProviderError'
    this.transient = options.transient
    this.status = options.status
  }
}

export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Runs `call` until it succeeds, fails permanently, or the attempts are spent. Returns the
 * result and how many attempts it took; rethrows the last error.
 */
export async function withRetries<T>(
  call: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
  onAttempt?: (attempt: number) => void,
): Promise<T> {
  const attempts = Math.max(1, Math.floor(options.attempts ?? 3))
  const base = Math.max(0, options.baseDelayMs ?? 250)
  const cap = Math.max(base, options.maxDelayMs ?? 2_000)
  let last: unknown
  for (let attempt = 1; attempt <= attempts; attempt++) {
    onAttempt?.(attempt)
    try {
      return await call(attempt)
    } catch (error) {
      last = error
      const transient = error instanceof ProviderError ? error.transient : false
      if (!transient || attempt === attempts) throw error
      await sleep(Math.random() * Math.min(cap, base * 2 ** (attempt - 1)))
    }
  }
  throw last
}
