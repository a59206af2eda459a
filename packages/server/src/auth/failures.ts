import { MitraError } from '@mitra/core'
import type { Context } from 'hono'
import { type ClientOptions, clientAddress } from '../client.js'

export interface AuthFailureLimit {
  /** Failed authentications one client address may make within `windowSeconds` (default 20). */
  maxFailures: number
  /** The sliding window, in seconds (default 300). */
  windowSeconds: number
}

export const defaultAuthFailureLimit: AuthFailureLimit = { maxFailures: 20, windowSeconds: 300 }

/**
 * Failed authentications per client address over a sliding window, in this instance's
 * memory. An address that reached the limit is refused (429 with `Retry-After`) until its
 * oldest failure in the window ages out, whatever key it sends: guessing keys gets slow,
 * while other addresses are unaffected. A request of no known address (`clientAddress`) is
 * not counted, rather than sharing one count with every other such request.
 */
export class AuthFailures {
  readonly #failures = new Map<string, number[]>()

  constructor(
    readonly limit: AuthFailureLimit = defaultAuthFailureLimit,
    readonly client: ClientOptions = {},
    readonly maxAddresses = 10_000,
    readonly now: () => number = Date.now,
  ) {}

  /** The address a request is counted under (undefined: not counted). */
  addressOf(c: Context): string | undefined {
    return clientAddress(c, this.client)
  }

  /** Throws `rate_limited` while `address` is over the limit. */
  check(address: string): void {
    const recent = this.#recent(address)
    if (recent.length < this.limit.maxFailures) return
    const oldest = recent[recent.length - this.limit.maxFailures] as number
    const retryAfter = Math.max(
      1,
      Math.ceil((oldest + this.limit.windowSeconds * 1000 - this.now()) / 1000),
    )
    throw new MitraError(
      'rate_limited',
      `Too many failed authentications from this address; try again in ${retryAfter} s`,
      { extensions: { retry_after: retryAfter } },
    )
  }

  record(address: string): void {
    const recent = this.#recent(address)
    recent.push(this.now())
    // Only the last `maxFailures` matter for the decision.
    if (recent.length > this.limit.maxFailures)
      recent.splice(0, recent.length - this.limit.maxFailures)
    this.#failures.delete(address)
    this.#failures.set(address, recent)
    if (this.#failures.size > this.maxAddresses) {
      const stalest = this.#failures.keys().next().value
      if (stalest !== undefined) this.#failures.delete(stalest)
    }
  }

  #recent(address: string): number[] {
    const since = this.now() - this.limit.windowSeconds * 1000
    const kept = (this.#failures.get(address) ?? []).filter((at) => at > since)
    if (kept.length === 0) this.#failures.delete(address)
    else this.#failures.set(address, kept)
    return kept
  }
}
