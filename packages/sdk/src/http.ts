import type { Client } from 'openapi-fetch'
import { MitraApiError, MitraConnectionError } from './errors.js'
import type { paths } from './generated/openapi.js'
import { typedClient } from './typed-fetch.js'

export interface ClientOptions {
  /** Where the API lives, e.g. `https://mitra.example` (no `/v1`). */
  baseUrl: string
  /** The `fetch` to call: pass `app.request` to talk to an app in-process. Default: global fetch. */
  fetch?: (request: Request) => Response | Promise<Response>
  /** How long one attempt may take before it is abandoned (default 30 000 ms). */
  timeoutMs?: number
  /** Retries after the first attempt, for requests safe to retry (default 2). */
  maxRetries?: number
  /** First retry's delay; each later one doubles, with jitter (default 500 ms). */
  retryBaseDelayMs?: number
  /** Longest wait between attempts, `Retry-After` included (default 20 000 ms). */
  maxRetryDelayMs?: number
  /** Sent with every request (a `User-Agent` for your integration, say). */
  headers?: Record<string, string>
}

/** Per call: the last argument of every method. */
export interface RequestOptions {
  /** Sent as `Idempotency-Key` on a POST (default: a fresh random key, the same on retries). */
  idempotencyKey?: string
  signal?: AbortSignal
  timeoutMs?: number
  maxRetries?: number
}

/** What each call hands the typed client: the attempt's abort signal and its headers. */
export type AttemptInit = {
  signal: AbortSignal
  headers: Record<string, string>
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

type Answer<T> = { data?: T; error?: unknown; response: Response }

/** One page of a list: the API's cursor pagination. */
export interface Page<T> {
  object: 'list'
  data: T[]
  next_cursor: string | null
}

/**
 * A list call: `await` it for the first page, or `for await` it for every item across pages.
 * The first page is asked for at once, as in Stripe's SDK; iterating starts from it.
 */
export type PageList<T> = Promise<Page<T>> &
  AsyncIterable<T> & {
    /** Every item across pages, up to `max` (default 10 000, so a slip cannot fill memory). */
    toArray(options?: { max?: number }): Promise<T[]>
  }

export function pageList<T>(page: (cursor: string | undefined) => Promise<Page<T>>): PageList<T> {
  const first = page(undefined)
  // Whoever only iterates still sees a failure; this only keeps it from being reported twice.
  first.catch(() => {})
  async function* items(): AsyncGenerator<T> {
    let current = await first
    for (;;) {
      yield* current.data
      if (current.next_cursor === null) return
      current = await page(current.next_cursor)
    }
  }
  return Object.assign(first, {
    [Symbol.asyncIterator]: items,
    async toArray({ max = 10_000 }: { max?: number } = {}) {
      const all: T[] = []
      for await (const item of items()) {
        if (all.length >= max) break
        all.push(item)
      }
      return all
    },
  })
}

const retriedStatuses = new Set([429, 500, 502, 503, 504])

/**
 * The transport every resource calls through: authentication, timeouts, retries with backoff
 * and `Retry-After`, an `Idempotency-Key` on every POST, and errors as `MitraApiError`.
 */
export class Transport {
  readonly api: Client<paths>
  readonly #options: Required<Omit<ClientOptions, 'fetch' | 'headers'>>

  constructor(key: string, options: ClientOptions) {
    const given = options.fetch
    const fetch = given
      ? async (request: Request) => given(request)
      : (request: Request) => globalThis.fetch(request)
    this.api = typedClient<paths>({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      fetch,
      headers: { ...options.headers, Authorization: `Bearer ${key}` },
    })
    this.#options = {
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 20_000,
    }
  }

  /** Sends one call, retrying it while that is safe, and returns its data or throws. */
  async send<T>(
    method: Method,
    options: RequestOptions | undefined,
    call: (init: AttemptInit) => Promise<Answer<T>>,
  ): Promise<T> {
    const headers: Record<string, string> = {}
    // One key for every attempt: a retried POST is then applied once.
    if (method === 'POST') headers['Idempotency-Key'] = options?.idempotencyKey ?? randomKey()
    const maxRetries = options?.maxRetries ?? this.#options.maxRetries
    const timeoutMs = options?.timeoutMs ?? this.#options.timeoutMs
    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < maxRetries
      const timeout = AbortSignal.timeout(timeoutMs)
      const signal = options?.signal ? AbortSignal.any([options.signal, timeout]) : timeout
      let answer: Answer<T>
      try {
        answer = await call({ signal, headers })
      } catch (cause) {
        if (options?.signal?.aborted) throw options.signal.reason
        const timedOut = timeout.aborted
        const failure = new MitraConnectionError(
          timedOut
            ? `No answer within ${timeoutMs} ms`
            : `Could not reach the API: ${cause instanceof Error ? cause.message : String(cause)}`,
          timedOut,
          { cause },
        )
        // PATCH is not repeated blind: it may have been applied before the answer was lost.
        if (!canRetry || method === 'PATCH') throw failure
        await this.#pause(this.#backoff(attempt), options?.signal)
        continue
      }
      const { response } = answer
      if (response.ok) return answer.data as T
      const error = toApiError(response, answer.error)
      if (canRetry && retriable(method, error)) {
        const delay = retryAfterMs(response.headers.get('Retry-After')) ?? this.#backoff(attempt)
        if (delay <= this.#options.maxRetryDelayMs) {
          await this.#pause(delay, options?.signal)
          continue
        }
      }
      throw error
    }
  }

  /** A list call whose pages are fetched on demand, each through `send`. */
  list<T>(
    options: RequestOptions | undefined,
    call: (init: AttemptInit, cursor: string | undefined) => Promise<Answer<Page<T>>>,
  ): PageList<T> {
    return pageList((cursor) => this.send('GET', options, (init) => call(init, cursor)))
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(
      this.#options.maxRetryDelayMs,
      this.#options.retryBaseDelayMs * 2 ** attempt,
    )
    // Equal jitter: never less than half the step, so many clients do not retry in lockstep.
    return ceiling / 2 + Math.random() * (ceiling / 2)
  }

  #pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', stop)
        resolve()
      }, ms)
      const stop = () => {
        clearTimeout(timer)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', stop, { once: true })
    })
  }
}

function retriable(method: Method, error: MitraApiError): boolean {
  // The first request with this key is still running: its answer is worth waiting for.
  if (error.code === 'idempotency_in_progress') return true
  if (!retriedStatuses.has(error.status)) return false
  // 429 means not processed; other methods are idempotent, POST is made so by its key.
  return method !== 'PATCH' || error.status === 429
}

function toApiError(response: Response, body: unknown): MitraApiError {
  const requestId = response.headers.get('Request-Id') ?? undefined
  const problem =
    typeof body === 'object' && body !== null && 'code' in body
      ? (body as Record<string, unknown>)
      : {
          detail: `HTTP ${response.status}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`,
        }
  return new MitraApiError(response.status, problem, requestId)
}

/** `Retry-After` as milliseconds: either delay-seconds or an HTTP date. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

/** 128 random bits as hex: `crypto.getRandomValues` exists everywhere (`randomUUID` needs https). */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
