/** One call's result inside a batch: its value, or the error that is its alone. */
export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown }

export interface BatcherOptions {
  /** Most calls in one batch (default 64). */
  maxBatch?: number
  /** Batches running at once, each on its own connection (default 4). */
  concurrency?: number
}

interface Waiting<I, O> {
  item: I
  resolve: (value: O) => void
  reject: (error: unknown) => void
}

/**
 * Runs calls of one operation in batches: calls that arrive while batches are running wait
 * and go together into the next one, so many orders share each statement and each commit.
 * No timer: a lone call starts at once. `run` answers each call of a batch; if it throws,
 * the batch is run again one call at a time, so an error reaches only the call it
 * belongs to and the others still succeed.
 *
 * @example
 * const paid = new Batcher((events) => applyPayments(db, events))
 * const outcome = await paid.submit(event)
 */
export class Batcher<I, O> {
  readonly #queue: Waiting<I, O>[] = []
  readonly #maxBatch: number
  readonly #concurrency: number
  #running = 0
  #scheduled = false

  constructor(
    private readonly run: (items: I[]) => Promise<Settled<O>[]>,
    options: BatcherOptions = {},
  ) {
    this.#maxBatch = Math.max(1, options.maxBatch ?? 64)
    this.#concurrency = Math.max(1, options.concurrency ?? 4)
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject })
      if (!this.#scheduled) {
        this.#scheduled = true
        // Calls made in the same turn of the event loop join the same batch.
        queueMicrotask(() => {
          this.#scheduled = false
          this.#drain()
        })
      }
    })
  }

  #drain(): void {
    while (this.#running < this.#concurrency && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch)
      this.#running++
      void this.#runBatch(batch).finally(() => {
        this.#running--
        this.#drain()
      })
    }
  }

  async #runBatch(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.run(batch.map((waiting) => waiting.item))
      for (const [index, waiting] of batch.entries()) settle(waiting, results[index])
    } catch (error) {
      if (batch.length === 1) {
        ;(batch[0] as Waiting<I, O>).reject(error)
        return
      }
      for (const waiting of batch) await this.#runBatch([waiting])
    }
  }
}

function settle<I, O>(waiting: Waiting<I, O>, result: Settled<O> | undefined): void {
  if (result === undefined) waiting.reject(new Error('the batch gave no answer for this call'))
  else if (result.ok) waiting.resolve(result.value)
  else waiting.reject(result.error)
}
