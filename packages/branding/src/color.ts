/**
 * Colours as mitra stores them: `#rrggbb`, lower case. Contrast follows WCAG 2.x (relative
 * luminance of sRGB, ratio (L1 + 0.05) / (L2 + 0.05), from 1:1 to 21:1).
 */

/** A normalised colour: `#` and six lower-case hex digits. */
export type HexColor = `#${string}`

const hexPattern = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i

/** True for `#rgb` or `#rrggbb` (either case). */
export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && hexPattern.test(value)
}

/** `#ABC` → `#aabbcc`, `#A1B2C3` → `#a1b2c3`; anything else throws a TypeError. */
export function normalizeHex(value: string): HexColor {
  if (!isHexColor(value)) throw new TypeError(`'${value}' is not a hex colour (#rrggbb)`)
  const digits = value.slice(1).toLowerCase()
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits
  return `#${full}`
}

/** The 0–255 channels of a hex colour. */
export function hexToRgb(value: string): { r: number; g: number; b: number } {
  const hex = normalizeHex(value)
  return {
    r: Number.parseInt(hex.slice(1, 3), 16),
    g: Number.parseInt(hex.slice(3, 5), 16),
    b: Number.parseInt(hex.slice(5, 7), 16),
  }
}

/** `{ r, g, b }` (0–255, rounded and clamped) → `#rrggbb`. */
export function rgbToHex(rgb: { r: number; g: number; b: number }): HexColor {
  const part = (n: number) =>
    Math.max(0, Math.min(255, Math.round(n)))
      .toString(16)
      .padStart(2, '0')
  return `#${part(rgb.r)}${part(rgb.g)}${part(rgb.b)}`
}

function linear(channel: number): number {
  const c = channel / 255
  // WCAG 2.x; 0.04045 is the sRGB standard's threshold (2.0 printed 0.03928, which gives the
  // same result for every 8-bit value).
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(color: string): number {
  const { r, g, b } = hexToRgb(color)
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/**
 * WCAG 2.x contrast ratio of two colours, from 1 (same luminance) to 21 (black on white).
 * Symmetric: the order of the arguments does not matter.
 */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a)
  const lb = relativeLuminance(b)
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05)
}

/**
 * A ratio as people read it, rounded *down* to two decimals so that a failing 4.499 never
 * shows as a passing-looking "4.50:1".
 */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 100 + 1e-9) / 100).toFixed(2)}:1`
}

/** WCAG 2.x AA for normal text. */
export const minimumContrast = 4.5
