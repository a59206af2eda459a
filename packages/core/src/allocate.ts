import { MitraError } from './errors.js'
import { type Money, money, toSafeInteger } from './money.js'

/**
 * Splits `total` minor units in proportion to `weights` by the largest-remainder method.
 *
 * Guarantees, for any integer total and non-negative integer weights with a positive sum:
 * - Σ parts = total exactly;
 * - each part is within one minor unit of its exact share total × wᵢ / Σw;
 * - no part is negative when the total is not (a negative total, e.g. a refund, mirrors
 *   the split of its absolute value, so a refund reverses exactly what the sale split);
 * - the result is deterministic: leftover units go to the largest fractional remainders,
 *   ties to the earlier weight.
 *
 * Arithmetic is in bigint, so large totals × large weights stay exact.
 *
 * @example
 * allocate(100, [1, 1, 1]) // [34, 33, 33]
 */
export function allocate(total: number | bigint, weights: readonly (number | bigint)[]): number[] {
  if (typeof total === 'number' && !Number.isSafeInteger(total)) {
    throw new MitraError('invalid_amount', `Total ${total} is not a whole number of minor units`)
  }
  const bigTotal = BigInt(total)
  toSafeInteger(bigTotal, 'total')
  if (weights.length === 0) {
    throw new MitraError('invalid_weights', 'At least one weight is required')
  }
  const bigWeights = weights.map((weight, index) => {
    if (typeof weight === 'number' && !Number.isSafeInteger(weight)) {
      throw new MitraError('invalid_weights', `Weight ${index} (${weight}) is not a whole number`)
    }
    const big = BigInt(weight)
    if (big < 0n) {
      throw new MitraError('invalid_weights', `Weight ${index} (${weight}) is negative`)
    }
    return big
  })
  const weightSum = bigWeights.reduce((a, b) => a + b, 0n)
  if (weightSum === 0n) {
    throw new MitraError('invalid_weights', 'The weights add up to zero')
  }

  if (bigTotal < 0n) return allocate(-bigTotal, weights).map((part) => (part === 0 ? 0 : -part))

  const parts = bigWeights.map((w) => (bigTotal * w) / weightSum)
  const remainders = bigWeights.map((w) => (bigTotal * w) % weightSum)
  let leftover = bigTotal - parts.reduce((a, b) => a + b, 0n)
  // leftover < number of weights with a non-zero remainder, so one pass is enough.
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) =>
      a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
    )
  for (const { index } of order) {
    if (leftover === 0n) break
    parts[index] = (parts[index] as bigint) + 1n
    leftover -= 1n
  }
  return parts.map((part) => Number(part))
}

/** `allocate` for an amount: the parts are amounts of the same currency. */
export function allocateMoney(total: Money, weights: readonly (number | bigint)[]): Money[] {
  return allocate(total.amount, weights).map((part) => money(part, total.currency))
}
