/**
 * A small in-process cache with a time-to-live and a size bound (oldest entries leave
 * first). Each server instance has its own; what one instance changes it clears at once,
 * and changes made through other instances show after at most the TTL.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>()

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 10_000,
    readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expires <= this.now()) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.value
  }

  set(key: string, value: V): void {
    if (this.ttlMs <= 0) return
    this.#entries.delete(key)
    this.#entries.set(key, { value, expires: this.now() + this.ttlMs })
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
  }

  clear(): void {
    this.#entries.clear()
  }

  get size(): number {
    return this.#entries.size
  }
}
