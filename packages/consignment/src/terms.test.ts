import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { commissionBps, consignmentTermsSchema } from './terms.js'
import { sampleTerms } from './testing.js'

const pathsOf = (input: unknown) =>
  (consignmentTermsSchema.safeParse(input).error?.issues ?? []).map((i) => i.path.join('.'))

describe('consignment terms', () => {
  it('accepts sensible terms and fills defaults', () => {
    const terms = consignmentTermsSchema.parse(sampleTerms)
    expect(terms).toMatchObject({
      currency: 'IDR',
      cooperative_fee_bps: 0,
      venue_may_change_price: false,
    })
  })

  it('names what is wrong', () => {
    expect(
      pathsOf({
        ...sampleTerms,
        commission: { kind: 'percent', bps: 9000 },
        platform_fee_bps: 2000,
      }),
    ).toContain('commission')
    expect(pathsOf({ ...sampleTerms, cooperative_fee_bps: 500 })).toContain('cooperative_id')
    expect(pathsOf({ ...sampleTerms, on_expiry: 'markdown' })).toContain('markdown_schedule')
    expect(pathsOf({ ...sampleTerms, on_expiry: 'extend' })).toContain('extension_days')
    expect(pathsOf({ ...sampleTerms, minimum_payout: { amount: 5, currency: 'USD' } })).toContain(
      'minimum_payout.currency',
    )
    expect(
      pathsOf({
        ...sampleTerms,
        markdown_schedule: [
          { after_days: 30, percent_off_bps: 2000 },
          { after_days: 20, percent_off_bps: 3000 },
        ],
      }),
    ).toContain('markdown_schedule.1')
    expect(
      pathsOf({
        ...sampleTerms,
        commission: {
          kind: 'tiered',
          tiers: [
            { up_to: null, bps: 1000 },
            { up_to: 5, bps: 1 },
          ],
        },
      }),
    ).toContain('commission.tiers.0.up_to')
    expect(pathsOf({ ...sampleTerms, surprise: true }).length).toBeGreaterThan(0)
  })

  it('picks the commission tier by unit price', () => {
    const tiered = {
      kind: 'tiered' as const,
      tiers: [
        { up_to: 100_000, bps: 2500 },
        { up_to: 500_000, bps: 2000 },
        { up_to: null, bps: 1500 },
      ],
    }
    expect(commissionBps(tiered, 100_000)).toBe(2500)
    expect(commissionBps(tiered, 100_001)).toBe(2000)
    expect(commissionBps(tiered, 10_000_000)).toBe(1500)
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        (a, b) => {
          // a dearer item never pays a higher rate under a falling schedule
          const [lo, hi] = a <= b ? [a, b] : [b, a]
          expect(commissionBps(tiered, hi)).toBeLessThanOrEqual(commissionBps(tiered, lo))
        },
      ),
      { numRuns: 1_000 },
    )
  })
})
