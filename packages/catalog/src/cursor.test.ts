import { MitraError, newId } from '@mitra/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Cursor, decodeCursor, encodeCursor } from './cursor.js'

const idArbitrary = fc.integer({ min: 1e12, max: 3e12 }).map((time) => newId('prod', time))

function rejects(value: string, kind: Cursor['kind']): MitraError {
  try {
    decodeCursor(value, kind)
  } catch (error) {
    expect(error).toBeInstanceOf(MitraError)
    const mitra = error as MitraError
    expect(mitra.code).toBe('invalid_cursor')
    expect(mitra.status).toBe(422)
    expect(mitra.errors[0]?.path).toBe('cursor')
    return mitra
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`)
}

describe('cursor', () => {
  it('round-trips id and rank cursors and is URL-safe', () => {
    fc.assert(
      fc.property(idArbitrary, fc.double({ noNaN: true, noDefaultInfinity: true }), (id, rank) => {
        const byId = encodeCursor({ kind: 'id', id })
        expect(byId).toMatch(/^[A-Za-z0-9_-]+$/)
        expect(decodeCursor(byId, 'id')).toEqual({ kind: 'id', id })
        const byRank = encodeCursor({ kind: 'rank', rank, id })
        expect(byRank).toMatch(/^[A-Za-z0-9_-]+$/)
        const decoded = decodeCursor(byRank, 'rank')
        expect(decoded).toEqual({ kind: 'rank', rank: Object.is(rank, -0) ? 0 : rank, id })
      }),
      { numRuns: 500 },
    )
  })

  it('rejects any garbage with a 422 naming cursor, never a crash', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('id', 'rank'), (value, kind) => {
        try {
          decodeCursor(value, kind as Cursor['kind'])
        } catch (error) {
          expect((error as MitraError).code).toBe('invalid_cursor')
          return
        }
        // The rare string that happens to decode must be a well-formed cursor.
        expect(encodeCursor(decodeCursor(value, kind as Cursor['kind']))).toBe(value)
      }),
      { numRuns: 2_000 },
    )
  })

  it('rejects tampered, non-canonical and mismatched cursors', () => {
    const id = newId('prod')
    const good = encodeCursor({ kind: 'id', id })
    rejects('', 'id')
    rejects(`${good}=`, 'id')
    rejects(`${good}!`, 'id')
    rejects(good.slice(0, -3), 'id')
    rejects('x'.repeat(400), 'id')
    rejects(Buffer.from('{"id":1}').toString('base64url'), 'id')
    rejects(Buffer.from('["i","prod_123"]').toString('base64url'), 'id')
    rejects(Buffer.from(`["i","${id}",1]`).toString('base64url'), 'id')
    rejects(Buffer.from(`["r","NaN","${id}"]`).toString('base64url'), 'rank')
    rejects(Buffer.from(`["r",1e999,"${id}"]`).toString('base64url'), 'rank')
    // A search cursor on a listing without search, and the other way round.
    const searchCursor = encodeCursor({ kind: 'rank', rank: 0.5, id })
    expect(rejects(searchCursor, 'id').message).toMatch(/search/)
    rejects(good, 'rank')
  })
})
