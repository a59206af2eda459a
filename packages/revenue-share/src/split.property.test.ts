import { isMitraError, newId } from '@mitra/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Fraction, fadd, fparse, frac, fsub } from './fraction.js'
import { definePolicy, type SplitPolicy, type SplitPolicyInput } from './policy.js'
import {
  type LineReversal,
  type LineSplit,
  postedFraction,
  type ReversalRequest,
  reverseShares,
  type SplitLineInput,
  splitLine,
  standingReversals,
} from './split.js'
import { consignmentPolicy, idr, ids, saleLine } from './testing.js'

const RUNS = 1_500
/** Any policy the schema accepts: fees, rates on gross or net, flats, caps, tiers, weights. */
const anyPolicy: fc.Arbitrary<SplitPolicy> = fc
  .record({
    fee: fc.option(
      fc.record({
        rate: fc.oneof(
          fc.constant({ kind: 'actual' as const }),
          fc.integer({ min: 0, max: 500 }).map((bps) => ({ kind: 'percent' as const, bps })),
        ),
        bearers: fc.subarray(['r0', 'r1', 'producer', 'core'], { minLength: 0, maxLength: 3 }),
      }),
      { nil: undefined },
    ),
    shares: fc.array(
      fc.record({
        role: fc.constantFrom('venue' as const, 'cooperative' as const, 'platform' as const),
        basis: fc.constantFrom('gross' as const, 'net_of_fees' as const),
        rate: fc.oneof(
          fc.integer({ min: 0, max: 3_000 }).map((bps) => ({ kind: 'percent' as const, bps })),
          fc.record({
            kind: fc.constant('flat' as const),
            amount: fc.integer({ min: 0, max: 2_000 }),
            per: fc.constantFrom('line' as const, 'unit' as const),
          }),
          fc.record({
            kind: fc.constant('tiered' as const),
            tiers: fc
              .tuple(
                fc.integer({ min: 1, max: 100_000 }),
                fc.integer({ min: 0, max: 3_000 }),
                fc.integer({ min: 0, max: 3_000 }),
              )
              .map(([up, a, b]) => [
                { up_to: up, bps: a },
                { up_to: null, bps: b },
              ]),
          }),
        ),
        cap: fc.option(
          fc.record({
            amount: fc.integer({ min: 0, max: 50_000 }),
            per: fc.constantFrom('line' as const, 'unit' as const),
          }),
          { nil: undefined },
        ),
      }),
      { minLength: 0, maxLength: 2 },
    ),
    producerWeight: fc.integer({ min: 1, max: 10 }),
    coreWeight: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    tax: fc.option(fc.integer({ min: 1, max: 2_000 }), { nil: undefined }),
    markdownBps: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
  })
  .map((p) => {
    const rules: SplitPolicyInput['rules'] = []
    const known = new Set([
      'producer',
      ...(p.coreWeight ? ['core'] : []),
      ...p.shares.map((_, i) => `r${i}`),
    ])
    const bearers = (p.fee?.bearers ?? []).filter((b) => known.has(b))
    if (p.fee !== undefined) {
      rules.push({
        id: 'fee',
        role: 'payment_fee',
        party_id: ids.platform,
        basis: 'gross',
        rate: p.fee.rate,
        ...(bearers.length > 0
          ? { borne_by: bearers.map((rule, i) => ({ rule, weight: i + 1 })) }
          : {}),
      })
    }
    p.shares.forEach((s, i) => {
      rules.push({
        id: `r${i}`,
        role: s.role,
        party_id: ids.venue,
        basis: s.basis,
        rate: s.rate,
        ...(s.cap ? { cap: s.cap } : {}),
      })
    })
    rules.push({
      id: 'producer',
      role: 'producer',
      party_id: ids.producer,
      basis: 'remainder',
      weight: p.producerWeight,
    })
    if (p.coreWeight) {
      rules.push({
        id: 'core',
        role: 'core_partner',
        party_id: ids.core,
        basis: 'remainder',
        weight: p.coreWeight,
      })
    }
    return definePolicy({
      id: newId('pol'),
      version: 1,
      currency: 'IDR',
      rules,
      taxes: p.tax ? [{ id: 'ppn', of: 'producer', bps: p.tax }] : [],
      markdown:
        p.markdownBps && p.shares.length > 0 ? { borne_by: 'r0', bps: p.markdownBps } : null,
    })
  })

function checkSplit(split: LineSplit, input: SplitLineInput): void {
  expect(split.shares.reduce((acc, s) => acc + s.amount.amount, 0)).toBe(input.gross.amount)
  for (const share of split.shares) {
    expect(share.amount.amount).toBeGreaterThanOrEqual(0)
    expect(share.explanation.amount).toBe(share.amount.amount)
    // Within one minor unit of the exact share.
    const off = fsub(frac(share.amount.amount), fparse(share.explanation.exact))
    expect(off.n < off.d && -off.n < off.d).toBe(true)
    expect(share.explanation.rounding).toBe(
      off.n > 0n
        ? `+${off.n}${off.d === 1n ? '' : `/${off.d}`}`
        : `${off.n}${off.d === 1n ? '' : `/${off.d}`}`,
    )
  }
}

describe('splitLine properties (invariant 1)', () => {
  it('a consignment split adds up to the line total, no share negative, the same every time', () => {
    fc.assert(
      fc.property(consignmentPolicy, saleLine, (policy, input) => {
        const split = splitLine(policy, input)
        checkSplit(split, input)
        expect(splitLine(policy, input)).toEqual(split)
      }),
      { numRuns: RUNS },
    )
  })

  it('any policy either splits exactly or refuses with split_exceeds_total', () => {
    let refused = 0
    fc.assert(
      fc.property(anyPolicy, saleLine, (policy, input) => {
        let split: LineSplit
        try {
          split = splitLine(policy, input)
        } catch (error) {
          expect(isMitraError(error) && error.code).toBe('split_exceeds_total')
          refused += 1
          return
        }
        checkSplit(split, input)
        expect(splitLine(policy, input)).toEqual(split)
      }),
      { numRuns: RUNS },
    )
    expect(refused).toBeLessThan(RUNS)
  })
})

type Step = { kind: 'amount' | 'fraction' | 'quantity'; a: number; b: number }
const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom('amount' as const, 'fraction' as const, 'quantity' as const),
  a: fc.integer({ min: 1, max: 1_000_000 }),
  b: fc.integer({ min: 1, max: 12 }),
})

function requestFor(
  s: Step,
  split: LineSplit,
  done: readonly LineReversal[],
): ReversalRequest | null {
  const reversed = done.reduce((acc, r) => acc + r.amount.amount, 0)
  const left = split.gross.amount - reversed
  const fraction = done.length === 0 ? frac(0) : fparse(done.at(-1)!.reversedFraction)
  if (s.kind === 'amount') return left > 0 ? { amount: idr(1 + (s.a % left)) } : null
  if (s.kind === 'quantity') {
    const units = fsub(frac(split.quantity), frac(fraction.n * BigInt(split.quantity), fraction.d))
    if (units.d !== 1n || units.n < 1n) return null
    return { quantity: 1 + (s.a % Number(units.n)) }
  }
  const step = frac(1 + (s.a % s.b), s.b + 1)
  const after = frac(fraction.n * step.d + step.n * fraction.d, fraction.d * step.d)
  return after.n <= after.d
    ? { fraction: { numerator: Number(step.n), denominator: Number(step.d) } }
    : null
}

describe('reverseShares properties (invariant 5)', () => {
  it('partial refunds and returns in any order reverse exactly the original shares', () => {
    fc.assert(
      fc.property(
        consignmentPolicy,
        saleLine,
        fc.array(step, { maxLength: 6 }),
        (policy, input, steps) => {
          const split = splitLine(policy, input)
          const done: LineReversal[] = []
          for (const s of steps) {
            const request = requestFor(s, split, done)
            if (request !== null) done.push(reverseShares(split, request, done))
          }
          const left = split.gross.amount - done.reduce((acc, r) => acc + r.amount.amount, 0)
          if (left > 0) done.push(reverseShares(split, { amount: idr(left) }, done))
          const back = split.shares.map(() => 0)
          for (const reversal of done) {
            const sum = reversal.shares.reduce((acc, s) => acc + s.amount.amount, 0)
            expect(sum + reversal.amount.amount).toBe(0)
            reversal.shares.forEach((share, i) => {
              expect(share.amount.amount).toBeLessThanOrEqual(0)
              back[i] = (back[i] as number) - share.amount.amount
              // Never more back than the share held.
              expect(back[i]).toBeLessThanOrEqual(split.shares[i]?.amount.amount as number)
            })
          }
          expect(back).toEqual(split.shares.map((s) => s.amount.amount))
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('refunds that fail afterwards count as never made: the rest still reverse exactly', () => {
    type Op = { op: 'reverse'; s: Step } | { op: 'fail'; pick: number }
    const op: fc.Arbitrary<Op> = fc.oneof(
      step.map((s): Op => ({ op: 'reverse', s })),
      fc.nat().map((pick): Op => ({ op: 'fail', pick })),
    )
    fc.assert(
      fc.property(
        consignmentPolicy,
        saleLine,
        fc.array(op, { maxLength: 10 }),
        (policy, input, ops) => {
          const split = splitLine(policy, input)
          // As stored: every reversal posted, in any order, and which have failed since.
          const posted: LineReversal[] = []
          const failed: boolean[] = []
          // The oracle: each reversal's own part of the line, as it was asked for.
          const own: Fraction[] = []
          const standingNow = () => standingReversals(posted, failed)
          const expectStandingPart = () => {
            const expected = own.reduce(
              (acc, part, i) => (failed[i] ? acc : fadd(acc, part)),
              frac(0),
            )
            const { standing } = standingNow()
            expect(fparse(standing.at(-1)?.reversedFraction ?? '0/1')).toEqual(expected)
          }
          for (const o of ops) {
            const { standing, failedFraction } = standingNow()
            if (o.op === 'reverse') {
              const request = requestFor(o.s, split, standing)
              if (request === null) continue
              const reversal = reverseShares(split, request, standing)
              const before = fparse(standing.at(-1)?.reversedFraction ?? '0/1')
              own.push(fsub(fparse(reversal.reversedFraction), before))
              posted.push({
                ...reversal,
                reversedFraction: postedFraction(reversal, failedFraction),
              })
              failed.push(false)
            } else {
              const open = failed.flatMap((f, i) => (f ? [] : [i]))
              if (open.length > 0) failed[open[o.pick % open.length] as number] = true
            }
            expectStandingPart()
          }
          // Whatever order they come back in, the same reversals stand.
          const shuffled = standingReversals([...posted].reverse(), [...failed].reverse())
          expect(shuffled.standing).toEqual(standingNow().standing)
          const { standing } = standingNow()
          const reversed = fparse(standing.at(-1)?.reversedFraction ?? '0/1')
          const rest = fsub(frac(1), reversed)
          if (rest.n > 0n) {
            const request = { fraction: { numerator: Number(rest.n), denominator: Number(rest.d) } }
            standing.push(reverseShares(split, request, standing))
          }
          expect(standing.at(-1)?.reversedFraction ?? '1/1').toBe('1/1')
          const total = standing.reduce((acc, r) => acc + r.amount.amount, 0)
          expect(total).toBe(split.gross.amount)
          split.shares.forEach((share, i) => {
            const back = standing.reduce((acc, r) => acc - (r.shares[i]?.amount.amount ?? 0), 0)
            expect(back).toBe(share.amount.amount)
          })
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('returning every unit in any partition gives back exactly every share', () => {
    fc.assert(
      fc.property(
        consignmentPolicy,
        saleLine,
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
        (policy, input, cuts) => {
          const split = splitLine(policy, input)
          const done: LineReversal[] = []
          let left = input.quantity
          for (const cut of cuts) {
            if (left === 0) break
            const units = Math.min(left, cut)
            done.push(reverseShares(split, { quantity: units }, done))
            left -= units
          }
          if (left > 0) done.push(reverseShares(split, { quantity: left }, done))
          expect(done.at(-1)?.reversedFraction).toBe('1/1')
          split.shares.forEach((share, i) => {
            const back = done.reduce((acc, r) => acc - (r.shares[i]?.amount.amount ?? 0), 0)
            expect(back).toBe(share.amount.amount)
          })
        },
      ),
      { numRuns: RUNS },
    )
  })
})
