import { isMitraError } from '@mitra/core'
import { describe, expect, it } from 'vitest'
import { attribution } from './attribution.js'

describe('attribution', () => {
  it('names the brand as maker and the venue only as where it is sold', () => {
    const input = { brand: 'Batik Gemawangi', village: 'Gemawang', venue: 'Kafe Banaran 9' }
    expect(attribution(input, 'en')).toEqual({
      maker: 'by Batik Gemawangi · Gemawang',
      soldAt: 'sold at Kafe Banaran 9',
      text: 'by Batik Gemawangi · Gemawang — sold at Kafe Banaran 9',
    })
    expect(attribution(input, 'id')).toEqual({
      maker: 'oleh Batik Gemawangi · Gemawang',
      soldAt: 'dijual di Kafe Banaran 9',
      text: 'oleh Batik Gemawangi · Gemawang — dijual di Kafe Banaran 9',
    })
  })

  it('adds the cluster mark after the village, and works without a venue', () => {
    const result = attribution(
      { brand: 'APE Gemawang Kreasi', village: 'Gemawang', cluster: 'Desa Vokasi Gemawang' },
      'id',
    )
    expect(result.maker).toBe('oleh APE Gemawang Kreasi · Gemawang · Desa Vokasi Gemawang')
    expect(result.soldAt).toBeNull()
    expect(result.text).toBe(result.maker)
  })

  it('tidies whitespace and skips repeated names', () => {
    const result = attribution(
      { brand: '  Gemawang\n', village: 'gemawang', cluster: ' ', venue: ' Galeri   Gemawangi ' },
      'en',
    )
    expect(result.maker).toBe('by Gemawang')
    expect(result.soldAt).toBe('sold at Galeri Gemawangi')
  })

  it('refuses an attribution without a maker', () => {
    let caught: unknown
    try {
      attribution({ brand: ' ', village: 'Gemawang', venue: 'Kafe Banaran 9' }, 'en')
    } catch (error) {
      caught = error
    }
    expect(isMitraError(caught) && caught.errors[0]?.path).toBe('brand')
  })
})
