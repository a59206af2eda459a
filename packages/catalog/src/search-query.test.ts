import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { maxSearchWords, parseSearchQuery, toTsQueryText } from './search-query.js'

describe('parseSearchQuery', () => {
  it('reads words, "phrases" and -exclusions', () => {
    expect(parseSearchQuery('Batik "pewarna alami" -cap')).toEqual({
      include: [['batik'], ['pewarna', 'alami']],
      exclude: [['cap']],
    })
    expect(parseSearchQuery('-"batik cap" madu')).toEqual({
      include: [['madu']],
      exclude: [['batik', 'cap']],
    })
  })

  it('splits words joined by punctuation into a phrase', () => {
    expect(parseSearchQuery('eco-print')).toEqual({ include: [['eco', 'print']], exclude: [] })
    expect(parseSearchQuery("'batik'&(tulis)")).toEqual({
      include: [['batik', 'tulis']],
      exclude: [],
    })
  })

  it('lowercases, normalises and drops repeats', () => {
    expect(parseSearchQuery('MADU madu Madu')).toEqual({ include: [['madu']], exclude: [] })
    // Full-width letters are NFKC-normalised.
    expect(parseSearchQuery('ＢＡＴＩＫ')).toEqual({ include: [['batik']], exclude: [] })
  })

  it('returns null when nothing can be searched', () => {
    for (const q of ['', '   ', '""', '- -', '!!! ***', '"', '&|!():*']) {
      expect(parseSearchQuery(q)).toBeNull()
    }
  })

  it('keeps an unterminated phrase', () => {
    expect(parseSearchQuery('"kain batik')).toEqual({ include: [['kain', 'batik']], exclude: [] })
  })

  it(`stops after ${maxSearchWords} words`, () => {
    const q = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')
    const parsed = parseSearchQuery(q)
    expect(parsed?.include.flat()).toHaveLength(maxSearchWords)
  })

  it('never lets syntax through: terms are letters and digits only', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'grapheme' }), (q) => {
        const parsed = parseSearchQuery(q)
        if (parsed === null) return
        const all = [...parsed.include, ...parsed.exclude].flat()
        expect(all.length).toBeGreaterThan(0)
        expect(all.length).toBeLessThanOrEqual(maxSearchWords)
        for (const word of all) expect(word).toMatch(/^[\p{L}\p{N}]+$/u)
      }),
      { numRuns: 2_000 },
    )
  })
})

describe('toTsQueryText', () => {
  it('joins terms with AND, phrases with <->, exclusions with !', () => {
    expect(
      toTsQueryText({ include: [['batik'], ['pewarna', 'alami']], exclude: [['cap'], ['a', 'b']] }),
    ).toBe("'batik' & ('pewarna' <-> 'alami') & !'cap' & !('a' <-> 'b')")
  })
})
