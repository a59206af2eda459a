import { divideRounded } from '@mitra/core'

/**
 * An exact non-negative rational in bigint, for the exact values behind each share
 * (`150000 × 2000 / 10000`, a tax-inclusive `share × 1100 / 11100` …). Internal: shares are
 * computed exactly as fractions, then rounded together by `allocate`.
 */
export interface Fraction {
  readonly n: bigint
  readonly d: bigint
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

export function frac(n: bigint | number, d: bigint | number = 1n): Fraction {
  let num = BigInt(n)
  let den = BigInt(d)
  if (den === 0n) throw new RangeError('zero denominator')
  if (den < 0n) {
    num = -num
    den = -den
  }
  const g = gcd(num, den)
  return g > 1n ? { n: num / g, d: den / g } : { n: num, d: den }
}

export const ZERO = frac(0)

export function fadd(a: Fraction, b: Fraction): Fraction {
  return frac(a.n * b.d + b.n * a.d, a.d * b.d)
}

export function fsub(a: Fraction, b: Fraction): Fraction {
  return frac(a.n * b.d - b.n * a.d, a.d * b.d)
}

export function fmul(a: Fraction, b: Fraction): Fraction {
  return frac(a.n * b.n, a.d * b.d)
}

export function fcmp(a: Fraction, b: Fraction): -1 | 0 | 1 {
  const left = a.n * b.d
  const right = b.n * a.d
  return left < right ? -1 : left > right ? 1 : 0
}

export function fmin(a: Fraction, b: Fraction): Fraction {
  return fcmp(a, b) <= 0 ? a : b
}

export function fmax(a: Fraction, b: Fraction): Fraction {
  return fcmp(a, b) >= 0 ? a : b
}

/** Rounds half up (away from zero) to a whole bigint. */
export function fround(a: Fraction): bigint {
  return divideRounded(a.n, a.d, 'half_up')
}

/** `n/d` text, e.g. `"1/3"`; a whole number prints as itself. */
export function ftext(a: Fraction): string {
  return a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`
}

export function fparse(text: string): Fraction {
  const match = /^(-?\d+)(?:\/(\d+))?$/.exec(text)
  if (match === null) throw new RangeError(`not a fraction: ${text}`)
  return frac(BigInt(match[1] as string), BigInt(match[2] ?? '1'))
}

/** Least common multiple of the denominators. */
export function commonDenominator(values: readonly Fraction[]): bigint {
  return values.reduce((acc, v) => (acc / gcd(acc, v.d)) * v.d, 1n)
}
