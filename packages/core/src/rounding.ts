/**
 * How a division that does not come out even is rounded to whole minor units.
 * - `half_up`: to nearest, halves away from zero (what shoppers expect on a price).
 * - `half_even`: to nearest, halves to the even neighbour (banker's rounding, no drift).
 * - `down` / `up`: towards / away from zero.
 * - `floor` / `ceil`: towards −∞ / +∞.
 */
export type RoundingMode = 'half_up' | 'half_even' | 'down' | 'up' | 'floor' | 'ceil'

export const roundingModes: readonly RoundingMode[] = [
  'half_up',
  'half_even',
  'down',
  'up',
  'floor',
  'ceil',
]

/** Divides two bigints and rounds the quotient with `mode`. `divisor` must not be zero. */
export function divideRounded(dividend: bigint, divisor: bigint, mode: RoundingMode): bigint {
  if (divisor === 0n) throw new RangeError('division by zero')
  // Normalise to a positive divisor so the sign of the quotient is the sign of the dividend.
  const n = divisor < 0n ? -dividend : dividend
  const d = divisor < 0n ? -divisor : divisor
  const truncated = n / d // rounds towards zero
  const remainder = n % d // same sign as n
  if (remainder === 0n) return truncated
  const negative = n < 0n
  const awayFromZero = negative ? truncated - 1n : truncated + 1n
  const twiceRemainder = (remainder < 0n ? -remainder : remainder) * 2n
  switch (mode) {
    case 'down':
      return truncated
    case 'up':
      return awayFromZero
    case 'floor':
      return negative ? awayFromZero : truncated
    case 'ceil':
      return negative ? truncated : awayFromZero
    case 'half_up':
      return twiceRemainder >= d ? awayFromZero : truncated
    case 'half_even':
      if (twiceRemainder > d) return awayFromZero
      if (twiceRemainder < d) return truncated
      return truncated % 2n === 0n ? truncated : awayFromZero
  }
}
