import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  contrastRatio,
  formatRatio,
  hexToRgb,
  isHexColor,
  normalizeHex,
  relativeLuminance,
  rgbToHex,
} from './color.js'

const channel = fc.integer({ min: 0, max: 255 })
const hexColor = fc.tuple(channel, channel, channel).map(([r, g, b]) => rgbToHex({ r, g, b }))

describe('colours', () => {
  it('normalises #rgb and #rrggbb to lower-case #rrggbb and refuses the rest', () => {
    expect(normalizeHex('#ABC')).toBe('#aabbcc')
    expect(normalizeHex('#A1b2C3')).toBe('#a1b2c3')
    for (const bad of ['abc', '#abcd', '#ggg', 'red', '#12345', ' #123456', '#1234567']) {
      expect(isHexColor(bad)).toBe(false)
      expect(() => normalizeHex(bad)).toThrow(TypeError)
    }
    expect(hexToRgb('#ff8000')).toEqual({ r: 255, g: 128, b: 0 })
    expect(rgbToHex({ r: 300, g: -4, b: 15.6 })).toBe('#ff0010')
  })

  it('has the WCAG reference values', () => {
    expect(relativeLuminance('#000000')).toBe(0)
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 10)
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10)
    // #777 on white is the classic near miss: 4.48:1.
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.478, 3)
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5)
    expect(contrastRatio('#0000ff', '#ffffff')).toBeCloseTo(8.59, 2)
  })

  it('is symmetric, between 1 and 21, and 1 for a colour against itself', () => {
    fc.assert(
      fc.property(hexColor, hexColor, (a, b) => {
        const ratio = contrastRatio(a, b)
        expect(ratio).toBe(contrastRatio(b, a))
        expect(ratio).toBeGreaterThanOrEqual(1)
        expect(ratio).toBeLessThanOrEqual(21 + 1e-9)
        expect(contrastRatio(a, a)).toBe(1)
      }),
      { numRuns: 2000 },
    )
  })

  it('orders by luminance: a colour contrasts most with black or white', () => {
    fc.assert(
      fc.property(hexColor, hexColor, (a, b) => {
        const best = Math.max(contrastRatio(a, '#000000'), contrastRatio(a, '#ffffff'))
        expect(contrastRatio(a, b)).toBeLessThanOrEqual(best + 1e-9)
        // Every colour reaches AA against black or white.
        expect(best).toBeGreaterThanOrEqual(4.5)
      }),
      { numRuns: 1000 },
    )
  })

  it('shows ratios rounded down, so a near miss never reads as a pass', () => {
    expect(formatRatio(4.4999)).toBe('4.49:1')
    expect(formatRatio(3.126)).toBe('3.12:1')
    expect(formatRatio(21)).toBe('21.00:1')
    expect(formatRatio(1)).toBe('1.00:1')
  })
})
