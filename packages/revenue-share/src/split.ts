import { allocate, MitraError, type Money, money } from '@mitra/core'
import {
  commonDenominator,
  type Fraction,
  fadd,
  fcmp,
  fmax,
  fmin,
  fmul,
  fparse,
  frac,
  fround,
  fsub,
  ftext,
  ZERO,
} from './fraction.js'
import type { Rate, RuleBasis, ShareRole, SplitPolicy, SplitRule } from './policy.js'

/** A sale line to split. `gross` is what the buyer paid for the line. */
export interface SplitLineInput {
  gross: Money
  quantity: number
  unitPrice: Money
  /** The payment fee the provider charged for this line (rules with an `actual` rate). */
  paymentFee?: Money
  /** The line was sold below its original price; the policy says who bears the difference. */
  markdown?: { originalUnitPrice: Money }
}

/** The rate as it was applied to the basis. */
export type AppliedRate =
  | { kind: 'percent'; bps: number }
  | { kind: 'tier'; bps: number; up_to: number | null }
  | { kind: 'flat'; amount: number; per: 'line' | 'unit' }
  | { kind: 'actual' }
  | { kind: 'remainder'; weight: number; of: number }
  | { kind: 'tax_inclusive'; bps: number }

/** A change to a share after its rate was applied, as an exact signed amount. */
export interface ShareAdjustment {
  kind: 'cap' | 'payment_fee' | 'markdown' | 'tax'
  /** The other rule involved (the fee borne, the share taxed, the markdown bearer). */
  rule?: string
  amount: string
}

/**
 * Why a share is what it is: the rule, the basis and its amount, the rate, the adjustments,
 * the exact value and the rounding that made it whole. Exact values are fractions as text
 * (`"91891/3"`), so nothing is lost to floating point.
 */
export interface ShareExplanation {
  rule: string
  role: ShareRole
  basis: RuleBasis | 'share'
  basisAmount: string
  rate: AppliedRate
  adjustments: ShareAdjustment[]
  exact: string
  amount: number
  /** `amount − exact`: what the largest-remainder rounding added or took. */
  rounding: string
}

export interface Share {
  rule: string
  role: ShareRole
  partyId: string
  amount: Money
  explanation: ShareExplanation
}

/** A line split by one policy version: Σ share amounts = gross, no share negative. */
export interface LineSplit {
  policyId: string
  policyVersion: number
  gross: Money
  quantity: number
  unitPrice: Money
  shares: Share[]
}

interface Working {
  rule: SplitRule
  exact: Fraction
  basis: RuleBasis | 'share'
  basisAmount: Fraction
  rate: AppliedRate
  adjustments: ShareAdjustment[]
  /** Fee parts this remainder rule bears itself. */
  borne: Fraction
}

function signed(value: Fraction): string {
  return value.n > 0n ? `+${ftext(value)}` : ftext(value)
}

function exceeds(detail: string): MitraError {
  return new MitraError('split_exceeds_total', detail)
}

function checkInput(policy: SplitPolicy, input: SplitLineInput): void {
  const fail = (path: string, message: string) =>
    new MitraError('validation_failed', `'${path}': ${message}`, {
      errors: [{ path, code: 'invalid', message }],
    })
  for (const [path, value] of [
    ['gross', input.gross],
    ['unitPrice', input.unitPrice],
    ['paymentFee', input.paymentFee],
    ['markdown.originalUnitPrice', input.markdown?.originalUnitPrice],
  ] as const) {
    if (value === undefined) continue
    if (value.currency !== policy.currency) {
      throw new MitraError(
        'currency_mismatch',
        `'${path}' is in ${value.currency}; the policy is in ${policy.currency}`,
      )
    }
    if (value.amount < 0) throw fail(path, 'must not be negative')
  }
  if (!Number.isSafeInteger(input.quantity) || input.quantity < 1) {
    throw fail('quantity', 'must be a whole number of at least 1')
  }
  if (
    input.markdown !== undefined &&
    input.markdown.originalUnitPrice.amount < input.unitPrice.amount
  ) {
    throw fail('markdown.originalUnitPrice', 'must not be below the unit price sold at')
  }
}

function rateOf(
  rule: SplitRule,
  rate: Rate,
  base: Fraction,
  input: SplitLineInput,
): { exact: Fraction; applied: AppliedRate } {
  switch (rate.kind) {
    case 'percent':
      return {
        exact: fmul(base, frac(rate.bps, 10_000)),
        applied: { kind: 'percent', bps: rate.bps },
      }
    case 'tiered': {
      const tier =
        rate.tiers.find((t) => t.up_to === null || input.unitPrice.amount <= t.up_to) ??
        rate.tiers[rate.tiers.length - 1]
      if (tier === undefined)
        throw new MitraError('invalid_policy', `Rule '${rule.id}' has no tier`)
      return {
        exact: fmul(base, frac(tier.bps, 10_000)),
        applied: { kind: 'tier', bps: tier.bps, up_to: tier.up_to },
      }
    }
    case 'flat':
      return {
        exact: frac(
          rate.per === 'unit' ? BigInt(rate.amount) * BigInt(input.quantity) : rate.amount,
        ),
        applied: { kind: 'flat', amount: rate.amount, per: rate.per },
      }
    case 'actual':
      return { exact: frac(input.paymentFee?.amount ?? 0), applied: { kind: 'actual' } }
  }
}

/**
 * The exact (unrounded) shares of the policy's rules, before taxes: fees, then the rules on
 * gross or net of fees (capped, less the fees they bear), then the remainder.
 */
function exactShares(policy: SplitPolicy, input: SplitLineInput, gross: Fraction): Working[] {
  const working: Working[] = policy.rules.map((rule) => ({
    rule,
    exact: ZERO,
    basis: rule.basis,
    basisAmount: ZERO,
    rate: { kind: 'actual' },
    adjustments: [],
    borne: ZERO,
  }))
  const byId = new Map(working.map((w) => [w.rule.id, w]))
  const apply = (w: Working, base: Fraction) => {
    const rate = w.rule.rate
    if (rate === undefined) return
    const { exact, applied } = rateOf(w.rule, rate, base, input)
    w.basisAmount = base
    w.rate = applied
    w.exact = exact
    const cap = w.rule.cap
    if (cap !== undefined) {
      const limit = frac(
        cap.per === 'unit' ? BigInt(cap.amount) * BigInt(input.quantity) : cap.amount,
      )
      if (fcmp(exact, limit) > 0) {
        w.adjustments.push({ kind: 'cap', amount: signed(fsub(limit, exact)) })
        w.exact = limit
      }
    }
  }
  const fees = working.filter((w) => w.rule.role === 'payment_fee')
  for (const fee of fees) apply(fee, gross)
  const totalFees = fees.reduce((acc, w) => fadd(acc, w.exact), ZERO)
  const net = fsub(gross, totalFees)
  if (net.n < 0n) throw exceeds(`The payment fees ${ftext(totalFees)} exceed the line total`)
  for (const w of working) {
    if (w.rule.role === 'payment_fee' || w.rule.basis === 'remainder') continue
    apply(w, w.rule.basis === 'gross' ? gross : net)
  }
  // Who bears each fee: parts taken from the named shares (never below zero; what a share
  // cannot bear falls to the remainder), or from the remainder when none are named.
  for (const fee of fees) {
    const bearers = fee.rule.borne_by
    if (bearers === undefined || fee.exact.n === 0n) continue
    const totalWeight = bearers.reduce((acc, b) => acc + b.weight, 0)
    for (const bearer of bearers) {
      const target = byId.get(bearer.rule)
      if (target === undefined) continue
      const part = fmul(fee.exact, frac(bearer.weight, totalWeight))
      if (target.rule.basis === 'remainder') {
        target.borne = fadd(target.borne, part)
        continue
      }
      const taken = fmin(part, target.exact)
      if (taken.n === 0n) continue
      target.exact = fsub(target.exact, taken)
      target.adjustments.push({
        kind: 'payment_fee',
        rule: fee.rule.id,
        amount: signed(frac(-taken.n, taken.d)),
      })
    }
  }
  const remainderRules = working.filter((w) => w.rule.basis === 'remainder')
  const taken = working
    .filter((w) => w.rule.basis !== 'remainder')
    .reduce((acc, w) => fadd(acc, w.exact), ZERO)
  const pool = fsub(gross, taken)
  if (pool.n < 0n) {
    throw exceeds(
      `The policy's rules take ${ftext(taken)}, more than the line total ${ftext(gross)}`,
    )
  }
  // Fee parts a named remainder rule bears come out of that rule's part of the pool.
  const specific = remainderRules.reduce((acc, w) => fadd(acc, w.borne), ZERO)
  const shared = fadd(pool, specific)
  const weights = remainderRules.reduce((acc, w) => acc + w.rule.weight, 0)
  for (const w of remainderRules) {
    const part = fmul(shared, frac(w.rule.weight, weights))
    w.basisAmount = shared
    w.rate = { kind: 'remainder', weight: w.rule.weight, of: weights }
    w.exact = fsub(part, w.borne)
    if (w.borne.n !== 0n) {
      w.adjustments.push({ kind: 'payment_fee', amount: signed(frac(-w.borne.n, w.borne.d)) })
    }
    if (w.exact.n < 0n) throw exceeds(`The '${w.rule.id}' share cannot bear its payment fee`)
  }
  return working
}

function remainderPool(working: readonly Working[]): Fraction {
  return working
    .filter((w) => w.rule.basis === 'remainder')
    .reduce((acc, w) => fadd(acc, w.exact), ZERO)
}

/**
 * Splits one sale line by a policy. Every share is computed exactly, then all are rounded
 * together by `allocate` (largest remainder), so Σ shares = gross to the minor unit, no share
 * is negative, each is within one minor unit of its exact value, and the same input always
 * gives the same split. Each share explains itself.
 *
 * @example
 * splitLine(policy, { gross: money(150000, 'IDR'), quantity: 1, unitPrice: money(150000, 'IDR') })
 */
export function splitLine(policy: SplitPolicy, input: SplitLineInput): LineSplit {
  checkInput(policy, input)
  const gross = frac(input.gross.amount)
  const working = exactShares(policy, input, gross)

  if (input.markdown !== undefined && policy.markdown !== null) {
    const markedDown = input.markdown.originalUnitPrice.amount - input.unitPrice.amount
    const bearer = working.find((w) => w.rule.id === policy.markdown?.borne_by)
    // A split whose fees already exceed the line is refused below; nothing to shift here.
    const pool = remainderPool(working)
    if (markedDown > 0 && bearer !== undefined && pool.n >= 0n) {
      const discount = frac(BigInt(markedDown) * BigInt(input.quantity))
      const original = exactShares(
        policy,
        { ...input, unitPrice: input.markdown.originalUnitPrice },
        fadd(gross, discount),
      )
      const atList = original.find((w) => w.rule.id === bearer.rule.id)?.exact ?? bearer.exact
      const remainders = working.filter((w) => w.rule.basis === 'remainder')
      // The bearer keeps its share at the list price less its part of the discount (never
      // below zero, never more than the sale leaves it and the producer); the producer
      // carries the rest of the discount.
      const target = fmin(
        fmax(ZERO, fsub(atList, fmul(discount, frac(policy.markdown.bps, 10_000)))),
        fadd(bearer.exact, pool),
      )
      const shift = fsub(bearer.exact, target)
      if (shift.n !== 0n) {
        bearer.exact = target
        bearer.adjustments.push({ kind: 'markdown', amount: signed(frac(-shift.n, shift.d)) })
        // Given to the remainders by weight; taken from them in proportion to what each
        // has, so no remainder share goes below zero.
        const weights = remainders.reduce((acc, w) => acc + w.rule.weight, 0)
        const held = remainders.map((w) => fmax(ZERO, w.exact))
        const heldTotal = held.reduce((acc, h) => fadd(acc, h), ZERO)
        remainders.forEach((w, index) => {
          const have = held[index] as Fraction
          const share =
            shift.n > 0n
              ? frac(w.rule.weight, weights)
              : heldTotal.n === 0n
                ? ZERO
                : frac(have.n * heldTotal.d, have.d * heldTotal.n)
          const part = fmul(shift, share)
          w.exact = fadd(w.exact, part)
          w.adjustments.push({ kind: 'markdown', rule: bearer.rule.id, amount: signed(part) })
        })
      }
    }
  }

  // Taxes carved out of tax-inclusive shares, each a share of its own right after its source.
  const ordered: Working[] = []
  for (const w of working) {
    ordered.push(w)
    for (const tax of policy.taxes.filter((t) => t.of === w.rule.id)) {
      const amount = fmul(w.exact, frac(tax.bps, 10_000 + tax.bps))
      const before = w.exact
      w.exact = fsub(w.exact, amount)
      w.adjustments.push({ kind: 'tax', rule: tax.id, amount: signed(frac(-amount.n, amount.d)) })
      ordered.push({
        rule: { ...w.rule, id: tax.id, role: 'tax', basis: 'gross', rate: undefined },
        exact: amount,
        basis: 'share',
        basisAmount: before,
        rate: { kind: 'tax_inclusive', bps: tax.bps },
        adjustments: [],
        borne: ZERO,
      })
    }
  }

  const total = ordered.reduce((acc, w) => fadd(acc, w.exact), ZERO)
  if (fcmp(total, gross) !== 0) {
    throw new MitraError('internal', `Split of ${ftext(gross)} came to ${ftext(total)}`)
  }
  const denominator = commonDenominator(ordered.map((w) => w.exact))
  const amounts =
    input.gross.amount === 0
      ? ordered.map(() => 0)
      : allocate(
          input.gross.amount,
          ordered.map((w) => (w.exact.n * denominator) / w.exact.d),
        )
  const currency = policy.currency
  return {
    policyId: policy.id,
    policyVersion: policy.version,
    gross: input.gross,
    quantity: input.quantity,
    unitPrice: input.unitPrice,
    shares: ordered.map((w, index) => {
      const amount = amounts[index] as number
      return {
        rule: w.rule.id,
        role: w.rule.role,
        partyId: w.rule.party_id,
        amount: money(amount, currency),
        explanation: {
          rule: w.rule.id,
          role: w.rule.role,
          basis: w.basis,
          basisAmount: ftext(w.basisAmount),
          rate: w.rate,
          adjustments: w.adjustments,
          exact: ftext(w.exact),
          amount,
          rounding: signed(fsub(frac(amount), w.exact)),
        },
      }
    }),
  }
}

/** What to reverse of a line: an amount, a fraction of the original, or units returned. */
export type ReversalRequest =
  | { amount: Money }
  | { fraction: { numerator: number; denominator: number } }
  | { quantity: number }

/** A share as a reversal needs it: who, under which rule, how much. */
export interface ShareRef {
  rule: string
  role: ShareRole
  partyId: string
  amount: Money
}

/** The original line as a reversal needs it. */
export interface ReversibleLine {
  gross: Money
  quantity: number
  shares: readonly ShareRef[]
}

/** One refund or return of a line: the shares it takes back (negative amounts). */
export interface LineReversal {
  /** How much of the line this reverses (positive). */
  amount: Money
  /** The fraction of the original reversed once this one is applied, `n/d`. */
  reversedFraction: string
  shares: ShareRef[]
}

/**
 * The shares a refund or return takes back. The amount is spread over the shares not yet
 * reversed with `allocate`, so no share gives back more than it still holds, and reversing a
 * line in any number of steps that add up to all of it gives back exactly every original
 * share. Fractions and quantities accumulate exactly (the cumulative fraction is carried in
 * `reversedFraction`), so three thirds reverse the whole line.
 *
 * @example
 * const first = reverseShares(split, { quantity: 1 })           // 1 of 3 units returned
 * const rest = reverseShares(split, { quantity: 2 }, [first])   // the other two
 */
export function reverseShares(
  original: ReversibleLine,
  request: ReversalRequest,
  previous: readonly LineReversal[] = [],
): LineReversal {
  const currency = original.gross.currency
  const total = original.shares.reduce((acc, s) => acc + BigInt(s.amount.amount), 0n)
  if (total !== BigInt(original.gross.amount)) {
    throw new MitraError('invalid_amount', 'The original shares do not add up to its gross')
  }
  const reversedBefore = previous.reduce((acc, r) => acc + BigInt(r.amount.amount), 0n)
  const fractionBefore = previous.length === 0 ? ZERO : fparse(previous.at(-1)!.reversedFraction)
  const over = (detail: string) => new MitraError('reversal_exceeds_original', detail)

  let amount: bigint
  let fraction: Fraction
  if ('amount' in request) {
    if (request.amount.currency !== currency) {
      throw new MitraError('currency_mismatch', `The line is in ${currency}`)
    }
    amount = BigInt(request.amount.amount)
    if (amount <= 0n) throw new MitraError('invalid_amount', 'Reverse a positive amount')
    if (reversedBefore + amount > total) {
      throw over(`Only ${total - reversedBefore} of ${total} remains to reverse`)
    }
    fraction = frac(reversedBefore + amount, total)
  } else {
    const step =
      'quantity' in request
        ? { numerator: request.quantity, denominator: original.quantity }
        : request.fraction
    if (
      !Number.isSafeInteger(step.numerator) ||
      !Number.isSafeInteger(step.denominator) ||
      step.numerator < 1 ||
      step.denominator < 1
    ) {
      throw new MitraError('invalid_amount', 'Reverse a positive whole fraction or quantity')
    }
    fraction = fadd(fractionBefore, frac(step.numerator, step.denominator))
    if (fcmp(fraction, frac(1)) > 0) {
      throw over(`That would reverse ${ftext(fraction)} of the line`)
    }
    amount = fround(fmul(frac(total), fraction)) - reversedBefore
    if (amount < 0n) amount = 0n
  }

  const remaining = original.shares.map((share, index) => {
    const taken = previous.reduce((acc, r) => acc - BigInt(r.shares[index]?.amount.amount ?? 0), 0n)
    return BigInt(share.amount.amount) - taken
  })
  const parts = amount === 0n ? remaining.map(() => 0) : allocate(amount, remaining)
  return {
    amount: money(amount, currency),
    reversedFraction: fractionText(fraction),
    shares: original.shares.map((share, index) => ({
      rule: share.rule,
      role: share.role,
      partyId: share.partyId,
      amount: money(-(parts[index] as number), currency),
    })),
  }
}

/** A fraction as stored in `reversedFraction`: always `n/d`. */
function fractionText(fraction: Fraction): string {
  const text = ftext(fraction)
  return text.includes('/') ? text : `${text}/1`
}

/** A line's reversals once some failed, as `standingReversals` counts them. */
export interface StandingReversals {
  /** The reversals that stand, oldest first, `reversedFraction` counted over them alone. */
  standing: LineReversal[]
  /** The part of the line the failed ones had taken, `n/d`: it is free to reverse again. */
  failedFraction: string
}

/**
 * The reversals of a line that still stand once some failed (a refund the provider made,
 * then failed: nothing went back). Each keeps its amount and shares, and the cumulative
 * `reversedFraction` is counted again over the standing ones, so a later reversal starts
 * from what stands and reversing the rest still gives back exactly every share.
 *
 * Stored fractions count every reversal ever posted, failed ones too (`postedFraction`), so
 * they only grow, and each reversal's own part is the step from the one before it: the order
 * they were posted in needs no clock.
 */
export function standingReversals(
  reversals: readonly LineReversal[],
  failed: readonly boolean[],
): StandingReversals {
  const posted = reversals
    .map((reversal, index) => ({
      reversal,
      failed: failed[index] === true,
      after: fparse(reversal.reversedFraction),
    }))
    .sort((a, b) => fcmp(a.after, b.after))
  let before = ZERO
  let standing = ZERO
  let lost = ZERO
  const out: LineReversal[] = []
  for (const { reversal, failed: gone, after } of posted) {
    const own = fsub(after, before)
    before = after
    if (gone) {
      lost = fadd(lost, own)
      continue
    }
    standing = fadd(standing, own)
    out.push({ ...reversal, reversedFraction: fractionText(standing) })
  }
  return { standing: out, failedFraction: fractionText(lost) }
}

/**
 * The `reversedFraction` a new reversal is stored with: counted over every reversal posted,
 * the failed ones too (`reversal` was computed over the standing ones).
 */
export function postedFraction(reversal: LineReversal, failedFraction: string): string {
  return fractionText(fadd(fparse(reversal.reversedFraction), fparse(failedFraction)))
}
