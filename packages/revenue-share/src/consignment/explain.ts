import { type Money, money, notFound } from '@mitra/core'
import type { AccountPurpose, Executor, JournalKind } from '@mitra/db'
import type { CollectedExplanation } from '../entries.js'
import { explainSaleLine, type PostedLine } from '../ledger.js'
import type { RuleBasis, ShareRole } from '../policy.js'
import type { AppliedRate, ShareAdjustment, ShareExplanation } from '../split.js'

/** A share of the sale line that goes to the party, and why it is that amount. */
export interface ExplainedShare {
  kind: 'share'
  purpose: AccountPurpose
  role: ShareRole
  rule: string
  /** What the party is owed for it (the credit, as a positive amount). */
  amount: Money
  basis: RuleBasis | 'share'
  /** The amount the rate applied to, exact (`"150000"`, `"91891/3"`). */
  basisAmount: string
  rate: AppliedRate
  adjustments: ShareAdjustment[]
  exact: string
  /** What rounding added or took (`amount − exact`). */
  rounding: string
}

/** The party collected the sale's money (the venue at its counter, the platform online). */
export interface ExplainedCollection {
  kind: 'collected'
  purpose: AccountPurpose
  /** What the party holds for the others (the debit). */
  amount: Money
  quantity: number
  unitPrice: Money
}

/** A refund or return of the line, as it touched the party's accounts (signed). */
export interface ExplainedReversal {
  transactionId: string
  kind: JournalKind
  /** As stored: the part reversed by every refund and return posted so far, failed ones too. */
  reversedFraction: string | null
  lines: { purpose: AccountPurpose; rule: string | null; amount: Money }[]
}

export interface ShareExplanationForParty {
  saleLineId: string
  transactionId: string
  partyId: string
  agreementId: string | null
  policyId: string | null
  policyVersion: number | null
  occurredAt: Date
  gross: Money
  lines: (ExplainedShare | ExplainedCollection)[]
  reversals: ExplainedReversal[]
}

function explained(line: PostedLine, currency: string): ExplainedShare | ExplainedCollection {
  const explanation = line.explanation
  if (line.shareRole === null || line.shareRole === undefined) {
    const collected = explanation as CollectedExplanation | null
    return {
      kind: 'collected',
      purpose: line.purpose,
      amount: money(line.amount, currency),
      quantity: collected?.quantity ?? 1,
      unitPrice: money(collected?.unitPrice ?? line.amount, currency),
    }
  }
  const share = explanation as ShareExplanation | null
  return {
    kind: 'share',
    purpose: line.purpose,
    role: line.shareRole,
    rule: line.ruleId ?? share?.rule ?? line.shareRole,
    amount: money(-line.amount, currency),
    basis: share?.basis ?? 'share',
    basisAmount: share?.basisAmount ?? String(-line.amount),
    rate: share?.rate ?? { kind: 'actual' },
    adjustments: share?.adjustments ?? [],
    exact: share?.exact ?? String(-line.amount),
    rounding: share?.rounding ?? '0',
  }
}

/**
 * "Why did I get this amount": the lines of a sale line's journal transaction that concern
 * `partyId` — each share with its rule, basis, rate, adjustments and rounding, or the
 * money it collected — and how refunds and returns touched them. A party the sale line does
 * not concern gets the same 404 as a sale line that does not exist.
 */
export async function explainShare(
  db: Executor,
  partyId: string,
  saleLineId: string,
): Promise<ShareExplanationForParty> {
  const { sale, reversals } = await explainSaleLine(db, saleLineId)
  const mine = sale.lines.filter((line) => line.partyId === partyId)
  if (mine.length === 0) throw notFound('sale line', saleLineId)
  const collector = sale.lines.find((line) => line.shareRole === null)
  const first = sale.lines.find((line) => line.policyId !== null)
  return {
    saleLineId,
    transactionId: sale.id,
    partyId,
    agreementId: sale.agreementId,
    policyId: first?.policyId ?? null,
    policyVersion: first?.policyVersion ?? null,
    occurredAt: sale.occurredAt,
    gross: money(collector?.amount ?? 0, sale.currency),
    lines: mine.map((line) => explained(line, sale.currency)),
    reversals: reversals
      .map((reversal) => ({
        transactionId: reversal.id,
        kind: reversal.kind,
        reversedFraction: reversal.reversedFraction,
        lines: reversal.lines
          .filter((line) => line.partyId === partyId)
          .map((line) => ({
            purpose: line.purpose,
            rule: line.ruleId ?? null,
            amount: money(line.amount, reversal.currency),
          })),
      }))
      .filter((reversal) => reversal.lines.length > 0),
  }
}
