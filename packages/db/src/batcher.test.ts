import { describe, expect, it } from 'vitest'
import { Batcher, type Settled } from './batcher.js'

/** A run that records each batch and answers each item doubled, or fails on `bad`. */
function recorder(options: { bad?: number; failWhole?: boolean } = {}) {
  const batches: number[][] = []
  let release: (() => void) | undefined
  const gate = { wait: Promise.resolve() }
  const run = async (items: number[]): Promise<Settled<number>[]> => {
    batches.push([...items])
    await gate.wait
    if (options.failWhole === true && items.length > 1) throw new Error('the batch failed')
    return items.map((item) =>
      item === options.bad
        ? { ok: false, error: new Error(`bad ${item}`) }
        : { ok: true, value: item * 2 },
    )
  }
  const hold = () => {
    gate.wait = new Promise<void>((resolve) => {
      release = resolve
    })
  }
  return { batches, run, hold, release: () => release?.() }
}

describe('Batcher', () => {
  it('puts calls made together into one batch and answers each', async () => {
    const r = recorder()
    const batcher = new Batcher(r.run)
    const answers = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)))
    expect(answers).toEqual([2, 4, 6])
    expect(r.batches).toEqual([[1, 2, 3]])
  })

  it('starts a lone call at once, and calls made meanwhile wait for the next batch', async () => {
    const r = recorder()
    const batcher = new Batcher(r.run, { concurrency: 1 })
    r.hold()
    const first = batcher.submit(1)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(r.batches).toEqual([[1]])
    const later = [2, 3, 4].map((n) => batcher.submit(n))
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(r.batches).toEqual([[1]])
    r.release()
    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6, 8])
    expect(r.batches).toEqual([[1], [2, 3, 4]])
  })

  it('keeps batches within maxBatch and runs at most `concurrency` at once', async () => {
    const r = recorder()
    const batcher = new Batcher(r.run, { maxBatch: 2, concurrency: 2 })
    r.hold()
    const calls = [1, 2, 3, 4, 5].map((n) => batcher.submit(n))
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(r.batches).toEqual([
      [1, 2],
      [3, 4],
    ])
    r.release()
    expect(await Promise.all(calls)).toEqual([2, 4, 6, 8, 10])
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]])
  })

  it("gives a call's own error to that call only", async () => {
    const r = recorder({ bad: 2 })
    const batcher = new Batcher(r.run)
    const settled = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)))
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('bad 2')
  })

  it('runs a batch that failed as a whole again one call at a time', async () => {
    const r = recorder({ failWhole: true, bad: 3 })
    const batcher = new Batcher(r.run)
    const settled = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)))
    expect(r.batches).toEqual([[1, 2, 3], [1], [2], [3]])
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected'])
    expect((settled[0] as PromiseFulfilledResult<number>).value).toBe(2)
  })
})
