/** Where domain code gets the time, so tests can hold it still or move it on. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock that only moves when told to: for aging, expiry and TTL tests. */
export class ManualClock implements Clock {
  #ms: number

  constructor(start: Date | string | number = '2026-01-01T00:00:00Z') {
    this.#ms = new Date(start).getTime()
  }

  now(): Date {
    return new Date(this.#ms)
  }

  advance(ms: number): Date {
    this.#ms += ms
    return this.now()
  }

  set(to: Date | string | number): void {
    this.#ms = new Date(to).getTime()
  }
}
