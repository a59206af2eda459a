import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MitraError } from './errors.js'
import { idPrefixes, idTimestamp, isId, newId, parseId } from './ids.js'

describe('ids', () => {
  it('are prefixed, URL-safe and valid', () => {
    const id = newId('prod')
    expect(id).toMatch(/^prod_[0-9a-z]{26}$/)
    expect(encodeURIComponent(id)).toBe(id)
    expect(isId(id, 'prod')).toBe(true)
    expect(isId(id)).toBe(true)
    expect(isId(id, 'ord')).toBe(false)
  })

  it('sort in the order they were minted, even within one millisecond', () => {
    const ids = Array.from({ length: 2_000 }, () => newId('ord'))
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('sort by time across milliseconds and carry their time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1e12, max: 2e12 }),
        fc.integer({ min: 1, max: 1e9 }),
        (t, dt) => {
          const a = newId('agr', t)
          const b = newId('agr', t + dt)
          expect(a < b).toBe(true)
          expect(idTimestamp(b).getTime()).toBe(t + dt)
        },
      ),
      { numRuns: 1_000 },
    )
  })

  it('rejects malformed ids and ids of another kind, naming the field', () => {
    for (const bad of [
      '',
      'prod_',
      'prod',
      '_01j0000000000000000000000',
      `prod_${'0'.repeat(25)}`,
      `prod_${'u'.repeat(26)}`, // U is not Crockford base-32
      `xyz_${'0'.repeat(26)}`,
      `PROD_${'0'.repeat(26)}`,
      42,
      null,
    ]) {
      expect(isId(bad)).toBe(false)
    }
    try {
      parseId(newId('ord'), 'prod', 'product_id')
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(MitraError)
      expect((error as MitraError).code).toBe('invalid_id')
      expect((error as MitraError).errors[0]?.path).toBe('product_id')
    }
  })

  it('has distinct prefixes', () => {
    const prefixes = Object.values(idPrefixes)
    expect(new Set(prefixes).size).toBe(prefixes.length)
  })
})
