import type { ConsignmentTerms } from '@mitra/consignment'
import {
  basisPointsSchema,
  currencyCodeSchema,
  type Id,
  idSchema,
  MitraError,
  newId,
  parseInput,
} from '@mitra/core'
import { z } from 'zod'

/**
 * Split policies: who gets what of a sale line, as a versioned list of rules. Pure data,
 * validated by `splitPolicySchema`; `splitLine` applies one to a line.
 */

export const shareRoles = [
  'producer',
  'venue',
  'cooperative',
  'core_partner',
  'platform',
  'payment_fee',
  'tax',
] as const
export type ShareRole = (typeof shareRoles)[number]
export const shareRoleSchema = z.enum(shareRoles)

/**
 * What a rule's rate applies to: the line's gross, the gross net of payment fees, or — for
 * the party that takes what is left (usually the producer) — the remainder.
 */
export const ruleBases = ['gross', 'net_of_fees', 'remainder'] as const
export type RuleBasis = (typeof ruleBases)[number]

const amountSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

const tierSchema = z.strictObject({
  /** Unit prices up to this many minor units (null: no upper bound) pay `bps`. */
  up_to: amountSchema.nullable(),
  bps: basisPointsSchema,
})

/** How a rule computes its amount from its basis. */
export const rateSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('percent'), bps: basisPointsSchema }),
  z.strictObject({
    kind: z.literal('tiered'),
    /** Tiers by unit price, rising; only the last is unbounded. */
    tiers: z.array(tierSchema).min(1).max(10),
  }),
  z.strictObject({
    kind: z.literal('flat'),
    amount: amountSchema,
    per: z.enum(['line', 'unit']).default('line'),
  }),
  /** The payment fee the provider actually charged for the line (`paymentFee` input). */
  z.strictObject({ kind: z.literal('actual') }),
])
export type Rate = z.output<typeof rateSchema>

const ruleIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'lower-case letters, digits and _ only' })

export const splitRuleSchema = z.strictObject({
  /** The rule's name, unique in the policy (`venue_commission`). */
  id: ruleIdSchema,
  role: shareRoleSchema,
  /** Who receives the share. */
  party_id: idSchema('pty'),
  basis: z.enum(ruleBases),
  /** Required unless the basis is `remainder`. */
  rate: rateSchema.optional(),
  /** Remainder rules share the remainder in proportion to their weights. */
  weight: z.number().int().min(1).max(10_000).default(1),
  /** At most this much per line, or per unit. */
  cap: z.strictObject({ amount: amountSchema, per: z.enum(['line', 'unit']) }).optional(),
  /**
   * For payment fees: whose shares the fee is taken from, in proportion to the weights
   * (`[{ rule: 'venue_commission', weight: 1 }]`). Without it the remainder bears the fee.
   */
  borne_by: z
    .array(z.strictObject({ rule: ruleIdSchema, weight: z.number().int().min(1).max(10_000) }))
    .min(1)
    .max(5)
    .optional(),
})
export type SplitRule = z.output<typeof splitRuleSchema>

/** VAT carved out of a (tax-inclusive) share, e.g. PPN 11 % on a VAT-registered producer's. */
export const taxRuleSchema = z.strictObject({
  id: ruleIdSchema,
  /** The rule whose share includes the tax. */
  of: ruleIdSchema,
  bps: z.number().int().min(1).max(10_000),
})
export type TaxRule = z.output<typeof taxRuleSchema>

export const splitPolicySchema = z
  .strictObject({
    id: idSchema('pol'),
    version: z.number().int().min(1),
    currency: currencyCodeSchema,
    rules: z.array(splitRuleSchema).min(1).max(20),
    taxes: z.array(taxRuleSchema).max(5).default([]),
    /**
     * Who bears a markdown: `borne_by` keeps its share at the original price less `bps` of
     * the discount; the remainder (the producer) carries the rest of the discount. So with
     * 10000 the producer is paid as if sold at the original price, with 0 the producer
     * absorbs the whole discount, with 5000 each absorbs half.
     */
    markdown: z
      .strictObject({ borne_by: ruleIdSchema, bps: z.number().int().min(0).max(10_000) })
      .nullable()
      .default(null),
  })
  .superRefine((policy, ctx) => {
    const byId = new Map<string, SplitRule>()
    policy.rules.forEach((rule, index) => {
      const at = (...path: (string | number)[]) => ['rules', index, ...path]
      if (byId.has(rule.id)) {
        ctx.addIssue({ code: 'custom', path: at('id'), message: `duplicate rule '${rule.id}'` })
      }
      byId.set(rule.id, rule)
      if (rule.basis === 'remainder') {
        if (rule.rate !== undefined || rule.cap !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: at('rate'),
            message: 'a remainder rule takes what is left: no rate or cap',
          })
        }
      } else if (rule.rate === undefined) {
        ctx.addIssue({ code: 'custom', path: at('rate'), message: 'a rate is required' })
      }
      if (rule.role === 'payment_fee' && rule.basis !== 'gross') {
        ctx.addIssue({ code: 'custom', path: at('basis'), message: 'payment fees are on gross' })
      }
      if (rule.rate?.kind === 'actual' && rule.role !== 'payment_fee') {
        ctx.addIssue({
          code: 'custom',
          path: at('rate'),
          message: "only a payment fee is charged at the 'actual' amount",
        })
      }
      if (rule.borne_by !== undefined && rule.role !== 'payment_fee') {
        ctx.addIssue({
          code: 'custom',
          path: at('borne_by'),
          message: 'only a payment fee is borne by other shares',
        })
      }
      if (rule.role === 'tax') {
        ctx.addIssue({
          code: 'custom',
          path: at('role'),
          message: "VAT is a 'taxes' entry carved out of a share",
        })
      }
      if (rule.rate?.kind === 'tiered') {
        const tiers = rule.rate.tiers
        tiers.forEach((tier, t) => {
          const last = t === tiers.length - 1
          const previous = tiers[t - 1]?.up_to
          if (last !== (tier.up_to === null)) {
            ctx.addIssue({
              code: 'custom',
              path: at('rate', 'tiers', t, 'up_to'),
              message: last
                ? 'the last tier is unbounded (null)'
                : 'only the last tier is unbounded',
            })
          } else if (tier.up_to !== null && previous != null && tier.up_to <= previous) {
            ctx.addIssue({
              code: 'custom',
              path: at('rate', 'tiers', t, 'up_to'),
              message: 'tiers must rise',
            })
          }
        })
      }
    })
    if (!policy.rules.some((rule) => rule.basis === 'remainder')) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules'],
        message: 'one rule must take the remainder, so the shares add up to the line total',
      })
    }
    policy.rules.forEach((rule, index) => {
      rule.borne_by?.forEach((entry, e) => {
        const target = byId.get(entry.rule)
        if (target === undefined || target.role === 'payment_fee') {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', index, 'borne_by', e, 'rule'],
            message: `'${entry.rule}' is not a share that can bear the fee`,
          })
        }
      })
    })
    const taxed = new Set<string>()
    policy.taxes.forEach((tax, index) => {
      const target = byId.get(tax.of)
      if (target === undefined || target.role === 'payment_fee') {
        ctx.addIssue({
          code: 'custom',
          path: ['taxes', index, 'of'],
          message: `'${tax.of}' is not a share tax can be carved from`,
        })
      }
      if (byId.has(tax.id) || taxed.has(tax.id)) {
        ctx.addIssue({ code: 'custom', path: ['taxes', index, 'id'], message: 'duplicate id' })
      }
      taxed.add(tax.id)
    })
    if (policy.markdown !== null) {
      const target = byId.get(policy.markdown.borne_by)
      if (target === undefined || target.basis === 'remainder' || target.role === 'payment_fee') {
        ctx.addIssue({
          code: 'custom',
          path: ['markdown', 'borne_by'],
          message: 'the markdown is borne by a share that is not the remainder',
        })
      }
    }
  })

export type SplitPolicyInput = z.input<typeof splitPolicySchema>
export type SplitPolicy = z.output<typeof splitPolicySchema>

/** Validates a policy; a failure is `invalid_policy` naming each field. */
export function definePolicy(input: SplitPolicyInput): SplitPolicy {
  try {
    return parseInput(splitPolicySchema, input)
  } catch (error) {
    if (error instanceof MitraError) {
      throw new MitraError('invalid_policy', error.message, { errors: error.errors })
    }
    throw error
  }
}

/** The terms `policyFromConsignmentTerms` reads; a full `ConsignmentTerms` fits. */
export type ConsignmentSplitTerms = Pick<
  ConsignmentTerms,
  | 'currency'
  | 'commission'
  | 'cooperative_fee_bps'
  | 'cooperative_id'
  | 'platform_fee_bps'
  | 'payment_fee_bearer'
  | 'markdown_bearer'
>

export interface ConsignmentParties {
  producerId: Id<'pty'> | string
  venueId: Id<'pty'> | string
  /** The platform operator: takes the platform fee and holds the payment provider account. */
  platformId: Id<'pty'> | string
  /** Whether the producer group is VAT-registered (PKP); most micro-enterprises are not. */
  producerVat?: { registered: boolean; bps?: number }
}

/** Default PPN rate in basis points (11 %). */
export const defaultPpnBps = 1_100

/**
 * The split policy of a consignment agreement (dagang umum): the venue's commission (one
 * rate or by unit price tier), the cooperative's and the platform's fees on the gross, the
 * payment fee borne by the venue, the producer or both half and half, the markdown borne as
 * agreed, and the producer takes the remainder — with PPN carved out of it when the producer
 * is VAT-registered.
 *
 * @example
 * policyFromConsignmentTerms(terms, { producerId, venueId, platformId }, { version: 2 })
 */
export function policyFromConsignmentTerms(
  terms: ConsignmentSplitTerms,
  parties: ConsignmentParties,
  options: { id?: string; version?: number } = {},
): SplitPolicy {
  const rules: z.input<typeof splitRuleSchema>[] = []
  const bearers: { rule: string; weight: number }[] =
    terms.payment_fee_bearer === 'venue'
      ? [{ rule: 'venue_commission', weight: 1 }]
      : terms.payment_fee_bearer === 'producer'
        ? [{ rule: 'producer', weight: 1 }]
        : [
            { rule: 'venue_commission', weight: 1 },
            { rule: 'producer', weight: 1 },
          ]
  rules.push({
    id: 'payment_fee',
    role: 'payment_fee',
    party_id: parties.platformId,
    basis: 'gross',
    rate: { kind: 'actual' },
    borne_by: bearers,
  })
  rules.push({
    id: 'venue_commission',
    role: 'venue',
    party_id: parties.venueId,
    basis: 'gross',
    rate:
      terms.commission.kind === 'percent'
        ? { kind: 'percent', bps: terms.commission.bps }
        : { kind: 'tiered', tiers: terms.commission.tiers.map((t) => ({ ...t })) },
  })
  if (terms.cooperative_fee_bps > 0) {
    if (terms.cooperative_id === null) {
      throw new MitraError('invalid_policy', 'A cooperative fee needs the cooperative', {
        errors: [{ path: 'cooperative_id', code: 'required', message: 'name the cooperative' }],
      })
    }
    rules.push({
      id: 'cooperative_fee',
      role: 'cooperative',
      party_id: terms.cooperative_id,
      basis: 'gross',
      rate: { kind: 'percent', bps: terms.cooperative_fee_bps },
    })
  }
  if (terms.platform_fee_bps > 0) {
    rules.push({
      id: 'platform_fee',
      role: 'platform',
      party_id: parties.platformId,
      basis: 'gross',
      rate: { kind: 'percent', bps: terms.platform_fee_bps },
    })
  }
  rules.push({ id: 'producer', role: 'producer', party_id: parties.producerId, basis: 'remainder' })
  // The same rule as consignment's `markdownPrice`: the bearer absorbs the discount.
  const markdownShare = { venue: 10_000, shared: 5_000, producer: 0 } as const
  const markdown = { borne_by: 'venue_commission', bps: markdownShare[terms.markdown_bearer] }
  const taxes = parties.producerVat?.registered
    ? [{ id: 'ppn', of: 'producer', bps: parties.producerVat.bps ?? defaultPpnBps }]
    : []
  return definePolicy({
    id: options.id ?? newId('pol'),
    version: options.version ?? 1,
    currency: terms.currency,
    rules,
    taxes,
    markdown,
  })
}
