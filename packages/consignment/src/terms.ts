import {
  amountSchema,
  basisPointsSchema,
  currencyCodeSchema,
  idSchema,
  priceSchema,
} from '@mitra/core'
import { z } from 'zod'

/** Who carries a cost: the venue, the producer, or both half and half. */
export const bearerSchema = z.enum(['venue', 'producer', 'shared'])
export type Bearer = z.infer<typeof bearerSchema>

export const settlementCycles = ['weekly', 'twice_monthly', 'monthly'] as const
export const settlementCycleSchema = z.enum(settlementCycles)
export type SettlementCycle = z.infer<typeof settlementCycleSchema>

/** A price tier: unit prices up to `up_to` minor units (null: no upper bound) pay `bps`. */
const tierSchema = z.strictObject({
  up_to: amountSchema.positive().nullable(),
  bps: basisPointsSchema,
})

/** The venue's commission: one rate, or a rate by unit price tier. */
export const commissionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('percent'), bps: basisPointsSchema }),
  z.strictObject({
    kind: z.literal('tiered'),
    tiers: z
      .array(tierSchema)
      .min(1)
      .max(10)
      .superRefine((tiers, ctx) => {
        tiers.forEach((tier, index) => {
          const last = index === tiers.length - 1
          if (last !== (tier.up_to === null)) {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'up_to'],
              message: last
                ? 'the last tier has no upper bound (null)'
                : 'only the last tier may be unbounded',
            })
          }
          const previous = tiers[index - 1]?.up_to
          if (index > 0 && tier.up_to !== null && previous != null && tier.up_to <= previous) {
            ctx.addIssue({ code: 'custom', path: [index, 'up_to'], message: 'tiers must rise' })
          }
        })
      }),
  }),
])
export type Commission = z.infer<typeof commissionSchema>

/** A markdown step: after `after_days` on consignment, `percent_off_bps` off the price. */
const markdownStepSchema = z.strictObject({
  after_days: z.number().int().min(0).max(3650),
  percent_off_bps: z.number().int().min(1).max(9000),
})

/**
 * The terms of a consignment agreement (dagang umum), as both sides sign them. Amounts are
 * in the agreement's currency; rates in basis points (10000 = 100 %).
 */
export const consignmentTermsSchema = z
  .strictObject({
    currency: currencyCodeSchema.default('IDR'),
    commission: commissionSchema,
    /** The cluster or cooperative's fee, funding shared work (0 when none). */
    cooperative_fee_bps: basisPointsSchema.default(0),
    cooperative_id: idSchema('pty').nullable().default(null),
    platform_fee_bps: basisPointsSchema.default(0),
    payment_fee_bearer: bearerSchema,
    markdown_bearer: bearerSchema,
    settlement_cycle: settlementCycleSchema,
    /** Days goods may stay on consignment, then the grace period before expiry applies. */
    consignment_days: z.number().int().min(1).max(730),
    grace_days: z.number().int().min(0).max(180).default(0),
    on_expiry: z.enum(['return', 'markdown', 'extend']),
    markdown_schedule: z.array(markdownStepSchema).max(10).default([]),
    /** With `on_expiry: 'extend'`: how many days one extension adds. */
    extension_days: z.number().int().min(1).max(365).nullable().default(null),
    damage_liability: bearerSchema,
    loss_liability: bearerSchema,
    venue_may_change_price: z.boolean().default(false),
    minimum_payout: priceSchema,
    /**
     * How the venue hands over the money it takes at its counter: `platform`, paid in to the
     * platform, which pays everyone out; `direct`, straight to the producer (and the
     * cooperative), who confirms receipt. The platform's own fee always goes to the platform.
     */
    remittance: z.enum(['platform', 'direct']).default('platform'),
    /** Days after a settlement by which the venue pays what it owes. */
    remittance_due_days: z.number().int().min(1).max(90).default(7),
  })
  .superRefine((terms, ctx) => {
    const highestCommission =
      terms.commission.kind === 'percent'
        ? terms.commission.bps
        : Math.max(...terms.commission.tiers.map((t) => t.bps))
    if (highestCommission + terms.cooperative_fee_bps + terms.platform_fee_bps > 10_000) {
      ctx.addIssue({
        code: 'custom',
        path: ['commission'],
        message: 'commission, cooperative fee and platform fee together exceed 100 %',
      })
    }
    if (terms.cooperative_fee_bps > 0 && terms.cooperative_id === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['cooperative_id'],
        message: 'name the cooperative that takes the fee',
      })
    }
    terms.markdown_schedule.forEach((step, index) => {
      const previous = terms.markdown_schedule[index - 1]
      if (
        previous &&
        (step.after_days <= previous.after_days || step.percent_off_bps <= previous.percent_off_bps)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['markdown_schedule', index],
          message: 'each step comes later and takes more off than the one before',
        })
      }
    })
    if (terms.on_expiry === 'markdown' && terms.markdown_schedule.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['markdown_schedule'],
        message: 'markdown at expiry needs a schedule',
      })
    }
    if (terms.on_expiry === 'extend' && terms.extension_days === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['extension_days'],
        message: 'say how many days an extension adds',
      })
    }
    if (terms.minimum_payout.currency !== terms.currency) {
      ctx.addIssue({
        code: 'custom',
        path: ['minimum_payout', 'currency'],
        message: `must be ${terms.currency}`,
      })
    }
    if (terms.minimum_payout.amount < 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['minimum_payout', 'amount'],
        message: 'must not be negative',
      })
    }
  })

export type ConsignmentTermsInput = z.input<typeof consignmentTermsSchema>
export type ConsignmentTerms = z.output<typeof consignmentTermsSchema>

/** The commission rate for one unit price (in minor units), in basis points. */
export function commissionBps(commission: Commission, unitPrice: number): number {
  if (commission.kind === 'percent') return commission.bps
  const tier = commission.tiers.find((t) => t.up_to === null || unitPrice <= t.up_to)
  return (tier ?? commission.tiers[commission.tiers.length - 1])?.bps ?? 0
}
