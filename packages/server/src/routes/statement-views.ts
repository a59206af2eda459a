import { z } from '@hono/zod-openapi'

/*
 * Statements as the API shows them: named schemas in snake_case. The services keep their own
 * (camelCase) shapes; `snakeCase` turns one into the other, keys only, whole.
 */

/** A value with every object key in snake_case and every Date as ISO 8601 (deep). */
export function snakeCase(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(snakeCase)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeCase(v)]),
    )
  }
  return value
}

const amount = z.object({ amount: z.number().int(), currency: z.string() })

export const appliedRate = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('percent'), bps: z.number().int() }),
    z.object({
      kind: z.literal('tier'),
      bps: z.number().int(),
      up_to: z.number().int().nullable(),
    }),
    z.object({
      kind: z.literal('flat'),
      amount: z.number().int(),
      per: z.enum(['line', 'unit']),
    }),
    z.object({ kind: z.literal('actual') }),
    z.object({ kind: z.literal('remainder'), weight: z.number(), of: z.number() }),
    z.object({ kind: z.literal('tax_inclusive'), bps: z.number().int() }),
  ])
  .meta({ id: 'AppliedRate' })

const shareExplanation = z
  .object({
    rule: z.string(),
    role: z.string(),
    basis: z.string(),
    basis_amount: z.string().describe('Exact, as a fraction in text ("91891/3")'),
    rate: appliedRate,
    adjustments: z.array(
      z.object({
        kind: z.enum(['cap', 'payment_fee', 'markdown', 'tax']),
        rule: z.string().optional(),
        amount: z.string(),
      }),
    ),
    exact: z.string(),
    amount: z.number().int(),
    rounding: z.string().describe('What rounding added or took: amount − exact'),
  })
  .meta({ id: 'ShareExplanation' })

const collectedExplanation = z
  .object({
    kind: z.literal('collected'),
    gross: z.number().int(),
    quantity: z.number().int(),
    unit_price: z.number().int(),
  })
  .meta({ id: 'CollectedExplanation' })

const period = z
  .object({
    cycle: z.enum(['weekly', 'twice_monthly', 'monthly']),
    from: z.string(),
    to: z.string().describe('Exclusive'),
  })
  .meta({ id: 'SettlementPeriod' })

export const statementSchema = z
  .object({
    party_id: z.string(),
    currency: z.string(),
    agreement_id: z.string().nullable(),
    from: z.string(),
    to: z.string(),
    opening_balance: amount,
    entries: z.array(
      z.object({
        transaction_id: z.string(),
        kind: z.string(),
        occurred_at: z.string(),
        source: z.object({ type: z.string(), id: z.string() }),
        sale_line_id: z.string().nullable(),
        agreement_id: z.string().nullable(),
        amount: amount.describe('Change in what the party is owed'),
        balance: amount.describe('What it is owed after this entry'),
        shares: z.array(
          z.object({
            rule: z.string(),
            role: z.string(),
            party_id: z.string(),
            amount: amount,
            explanation: z.union([shareExplanation, collectedExplanation]).nullable(),
          }),
        ),
        memo: z.string().nullable(),
      }),
    ),
    totals: z.object({
      sales: amount,
      refunds: amount,
      returns: amount,
      adjustments: amount,
      payouts: amount.describe('Paid to the party: payouts, remittances, kept from the till'),
    }),
    closing_balance: amount,
  })
  .meta({ id: 'Statement' })

export const acknowledgmentSchema = z
  .object({
    id: z.string(),
    party_id: z.string(),
    side: z.enum(['producer', 'venue']),
    statement_hash: z.string(),
    acknowledged_by: z.string(),
    acknowledged_at: z.string(),
    stale: z.boolean().describe('The numbers changed since: it no longer covers the statement'),
  })
  .meta({ id: 'StatementAcknowledgment' })

export const disputeSchema = z
  .object({
    id: z.string(),
    party_id: z.string(),
    side: z.enum(['producer', 'venue']),
    line_ref: z.string(),
    comment: z.string(),
    statement_hash: z.string(),
    opened_by: z.string(),
    opened_at: z.string(),
    status: z.enum(['open', 'withdrawn']),
    resolved_by: z.string().nullable(),
    resolved_at: z.string().nullable(),
    resolution_note: z.string().nullable(),
  })
  .meta({ id: 'StatementDispute' })

export const reviewSchema = z
  .object({
    agreement_id: z.string(),
    period,
    statement_hash: z.string(),
    status: z.enum(['open', 'acknowledged', 'disputed', 'partly_acknowledged']),
    acknowledgments: z.array(acknowledgmentSchema),
    disputes: z.array(disputeSchema),
  })
  .meta({ id: 'StatementReview' })

export const agreementStatementSchema = z
  .object({
    agreement_id: z.string(),
    producer_id: z.string(),
    venue_id: z.string(),
    cycle: z.enum(['weekly', 'twice_monthly', 'monthly']),
    period,
    statement: statementSchema,
    statement_hash: z.string().describe('SHA-256 of the statement: what an acknowledgment names'),
    review: reviewSchema,
  })
  .meta({ id: 'AgreementStatement' })

const adjustment = z.object({
  kind: z.enum(['cap', 'payment_fee', 'markdown', 'tax']),
  rule: z.string().optional(),
  amount: z.string(),
})

/** "Why did I get this amount": a sale line's lines that concern the party. */
export const shareExplanationForPartySchema = z
  .object({
    sale_line_id: z.string(),
    transaction_id: z.string(),
    party_id: z.string(),
    agreement_id: z.string().nullable(),
    policy_id: z.string().nullable(),
    policy_version: z.number().int().nullable(),
    occurred_at: z.string(),
    gross: amount,
    lines: z.array(
      z.discriminatedUnion('kind', [
        z.object({
          kind: z.literal('share'),
          purpose: z.string(),
          role: z.string(),
          rule: z.string(),
          amount: amount.describe('What the party is owed for it'),
          basis: z.string(),
          basis_amount: z.string(),
          rate: appliedRate,
          adjustments: z.array(adjustment),
          exact: z.string(),
          rounding: z.string(),
        }),
        z.object({
          kind: z.literal('collected'),
          purpose: z.string(),
          amount: amount.describe('What the party collected and holds for the others'),
          quantity: z.number().int(),
          unit_price: amount,
        }),
      ]),
    ),
    reversals: z.array(
      z.object({
        transaction_id: z.string(),
        kind: z.string(),
        reversed_fraction: z.string().nullable(),
        lines: z.array(z.object({ purpose: z.string(), rule: z.string().nullable(), amount })),
      }),
    ),
  })
  .meta({ id: 'ShareExplanationForParty' })
