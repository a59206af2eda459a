import { allocate, type CurrencyCode, MitraError, type Money, money } from '@mitra/core'
import type { AccountPurpose, JournalKind } from '@mitra/db'
import type { ShareRole } from './policy.js'
import type { LineReversal, LineSplit, ShareExplanation } from './split.js'

/**
 * Journal entries as plain data, built by pure functions: what a sale, a refund, an advance
 * or a payout writes to the ledger. `@mitra/revenue-share`'s posting functions store them;
 * the property tests run them through an in-memory ledger. A line's amount is signed: a
 * debit is positive, a credit negative, and every entry adds up to zero.
 */

export interface EntryLine {
  partyId: string
  purpose: AccountPurpose
  /** Signed whole minor units: debit > 0, credit < 0, never 0. */
  amount: number
  counterpartyId?: string | null
  saleLineId?: string | null
  shareRole?: ShareRole | null
  ruleId?: string | null
  policyId?: string | null
  policyVersion?: number | null
  explanation?: ShareExplanation | CollectedExplanation | null
}

/** On a sale's collector line: the line as sold, so a return by units can be reversed. */
export interface CollectedExplanation {
  kind: 'collected'
  gross: number
  quantity: number
  unitPrice: number
}

export interface EntrySource {
  /** What kind of event posted it (`sale_line`, `refund`, `payout` …). */
  type: string
  /** The event's id; a source posts once. */
  id: string
}

export interface JournalEntry {
  kind: JournalKind
  source: EntrySource
  currency: CurrencyCode
  agreementId?: string | null
  reversedFraction?: string | null
  memo?: string | null
  lines: EntryLine[]
}

/** The account each share is credited to. */
export const sharePurposes: Readonly<Record<ShareRole, AccountPurpose>> = {
  producer: 'payable_to_producer',
  venue: 'commission_revenue',
  cooperative: 'cooperative_fees',
  core_partner: 'payable_to_core_partner',
  platform: 'platform_fees',
  payment_fee: 'payment_fees',
  tax: 'tax_payable',
}

/**
 * Accounts that hold what the network owes a party, paid out "on items": each credit or
 * debit line on them is paid by at most one payout.
 */
export const payablePurposes: readonly AccountPurpose[] = [
  'payable_to_producer',
  'tax_payable',
  'commission_revenue',
  'cooperative_fees',
  'platform_fees',
  'payable_to_core_partner',
  'delivery_fees',
]

export function isPayable(purpose: AccountPurpose): boolean {
  return payablePurposes.includes(purpose)
}

/** Checks an entry in code before the database checks it again: one currency, Σ = 0. */
export function validateEntry(entry: JournalEntry): void {
  let total = 0n
  entry.lines.forEach((line, index) => {
    if (!Number.isSafeInteger(line.amount) || line.amount === 0) {
      throw new MitraError('ledger_unbalanced', `Line ${index} has no whole non-zero amount`, {
        errors: [{ path: `lines.${index}.amount`, code: 'invalid', message: 'whole, not zero' }],
      })
    }
    if (line.partyId === '') {
      throw new MitraError('ledger_unbalanced', `Line ${index} names no party`)
    }
    total += BigInt(line.amount)
  })
  if (entry.lines.length === 1) {
    throw new MitraError('ledger_unbalanced', 'A transaction needs at least two lines')
  }
  if (total !== 0n) {
    throw new MitraError(
      'ledger_unbalanced',
      `The ${entry.kind} transaction for ${entry.source.type} ${entry.source.id} is off by ${total}`,
      { extensions: { difference: total.toString() } },
    )
  }
}

function shareLines(
  split: { policyId: string; policyVersion: number },
  saleLineId: string,
  shares: readonly { rule: string; role: ShareRole; partyId: string; amount: Money }[],
  sign: 1 | -1,
  explanations?: readonly ShareExplanation[],
): EntryLine[] {
  const lines: EntryLine[] = []
  shares.forEach((share, index) => {
    if (share.amount.amount === 0) return
    lines.push({
      partyId: share.partyId,
      purpose: sharePurposes[share.role],
      amount: sign * share.amount.amount,
      saleLineId,
      shareRole: share.role,
      ruleId: share.rule,
      policyId: split.policyId,
      policyVersion: split.policyVersion,
      explanation: explanations?.[index] ?? null,
    })
  })
  return lines
}

export interface SaleEntryInput {
  /** The sale line (order line or in-venue sale line): the source, posted once. */
  saleLineId: string
  /** `online`: the payment provider collected the money; `in_venue`: the venue did. */
  channel: 'online' | 'in_venue'
  /** Who holds the money: the platform (online) or the venue (in venue). */
  collectorId: string
  split: LineSplit
  agreementId?: string | null
  memo?: string | null
}

/** A sale line with its split: the collector owes the gross, each party is owed its share. */
export function saleEntry(input: SaleEntryInput): JournalEntry {
  const { split } = input
  const lines: EntryLine[] = []
  if (split.gross.amount !== 0) {
    lines.push({
      partyId: input.collectorId,
      purpose: input.channel === 'online' ? 'provider_clearing' : 'cash_at_venue',
      amount: split.gross.amount,
      saleLineId: input.saleLineId,
      policyId: split.policyId,
      policyVersion: split.policyVersion,
      explanation: {
        kind: 'collected',
        gross: split.gross.amount,
        quantity: split.quantity,
        unitPrice: split.unitPrice.amount,
      },
    })
  }
  lines.push(
    ...shareLines(
      split,
      input.saleLineId,
      split.shares,
      -1,
      split.shares.map((s) => s.explanation),
    ),
  )
  return {
    kind: 'sale',
    source: { type: 'sale_line', id: input.saleLineId },
    currency: split.gross.currency,
    agreementId: input.agreementId ?? null,
    memo: input.memo ?? null,
    lines,
  }
}

export interface ReversalEntryInput {
  kind: 'refund' | 'return'
  /** The refund or return (one per sale line it touches). */
  sourceId: string
  saleLineId: string
  /** The sale's collector line: who gives the money back. */
  collector: { partyId: string; purpose: AccountPurpose }
  policy: { policyId: string; policyVersion: number }
  reversal: LineReversal
  agreementId?: string | null
  memo?: string | null
}

/** A refund or return: the collector gives back the amount, each share gives back its part. */
export function reversalEntry(input: ReversalEntryInput): JournalEntry {
  const { reversal } = input
  const lines: EntryLine[] = []
  if (reversal.amount.amount !== 0) {
    lines.push({
      partyId: input.collector.partyId,
      purpose: input.collector.purpose,
      amount: -reversal.amount.amount,
      saleLineId: input.saleLineId,
      policyId: input.policy.policyId,
      policyVersion: input.policy.policyVersion,
    })
  }
  // The reversal's shares are negative; debiting their accounts takes them back.
  lines.push(...shareLines(input.policy, input.saleLineId, reversal.shares, -1))
  return {
    kind: input.kind,
    source: { type: input.kind, id: input.sourceId },
    currency: reversal.amount.currency,
    agreementId: input.agreementId ?? null,
    reversedFraction: reversal.reversedFraction,
    memo: input.memo ?? null,
    lines,
  }
}

/** Who carries a damage or loss, in money: `shared` is half and half (venue first). */
export function liabilitySplit(
  value: Money,
  bearer: 'venue' | 'producer' | 'shared',
): { venue: Money; producer: Money } {
  if (value.amount < 0) throw new MitraError('invalid_amount', 'A loss is not negative')
  if (bearer === 'venue') return { venue: value, producer: money(0, value.currency) }
  if (bearer === 'producer') return { venue: money(0, value.currency), producer: value }
  const [venue, producer] = value.amount === 0 ? [0, 0] : allocate(value.amount, [1, 1])
  return {
    venue: money(venue ?? 0, value.currency),
    producer: money(producer ?? 0, value.currency),
  }
}

export interface LiabilityEntryInput {
  kind: 'damage' | 'loss'
  sourceId: string
  venueId: string
  producerId: string
  /** What the venue owes the producer for it (see `liabilitySplit`). */
  venueOwes: Money
  agreementId?: string | null
  memo?: string | null
}

/**
 * Goods damaged or lost at a venue that is liable: the venue owes the producer, who is owed
 * it awaiting collection from the venue (a remittance closes it).
 */
export function liabilityEntry(input: LiabilityEntryInput): JournalEntry {
  const amount = input.venueOwes.amount
  if (amount <= 0) throw new MitraError('invalid_amount', 'The venue owes nothing for this')
  return {
    kind: input.kind,
    source: { type: input.kind, id: input.sourceId },
    currency: input.venueOwes.currency,
    agreementId: input.agreementId ?? null,
    memo: input.memo ?? null,
    lines: [
      {
        partyId: input.venueId,
        purpose: 'damages_receivable',
        amount,
        counterpartyId: input.producerId,
      },
      {
        partyId: input.producerId,
        purpose: 'awaiting_collection',
        amount: -amount,
        counterpartyId: input.venueId,
        shareRole: 'producer',
      },
    ],
  }
}

export interface AdvanceEntryInput {
  /** The advance (`adv_…`). */
  sourceId: string
  producerId: string
  corePartnerId: string
  amount: Money
  agreementId?: string | null
  memo?: string | null
}

/**
 * Inti-plasma: a core partner advances inputs (cloth, wax, tools) to a producer on credit.
 * The producer owes it; the core partner holds the claim until it is repaid from settlements.
 */
export function advanceEntry(input: AdvanceEntryInput): JournalEntry {
  const amount = input.amount.amount
  if (amount <= 0) throw new MitraError('invalid_amount', 'An advance is positive')
  return {
    kind: 'advance',
    source: { type: 'advance', id: input.sourceId },
    currency: input.amount.currency,
    agreementId: input.agreementId ?? null,
    memo: input.memo ?? null,
    lines: [
      {
        partyId: input.producerId,
        purpose: 'advances_receivable',
        amount,
        counterpartyId: input.corePartnerId,
      },
      {
        partyId: input.corePartnerId,
        purpose: 'advances_funded',
        amount: -amount,
        counterpartyId: input.producerId,
      },
    ],
  }
}

/**
 * How much of a settlement goes to repaying an advance: at most `maxShareBps` of the
 * settlement (rounded down), never more than is outstanding, never negative.
 */
export function advanceDeduction(
  outstanding: Money,
  settlement: Money,
  maxShareBps: number,
): Money {
  if (!Number.isSafeInteger(maxShareBps) || maxShareBps < 0 || maxShareBps > 10_000) {
    throw new MitraError('invalid_amount', 'The deduction share is 0 to 10000 basis points')
  }
  if (outstanding.currency !== settlement.currency) {
    throw new MitraError('currency_mismatch', 'The advance and the settlement differ in currency')
  }
  if (outstanding.amount <= 0 || settlement.amount <= 0) return money(0, settlement.currency)
  const limit = (BigInt(settlement.amount) * BigInt(maxShareBps)) / 10_000n
  const deduction = limit < BigInt(outstanding.amount) ? limit : BigInt(outstanding.amount)
  return money(deduction, settlement.currency)
}

export interface AdvanceDeductionEntryInput {
  sourceId: string
  producerId: string
  corePartnerId: string
  amount: Money
  agreementId?: string | null
  memo?: string | null
}

/**
 * Repaying an advance from a settlement: the producer is owed less, its advance shrinks, and
 * the core partner's claim becomes money owed to it.
 */
export function advanceDeductionEntry(input: AdvanceDeductionEntryInput): JournalEntry {
  const amount = input.amount.amount
  if (amount <= 0) throw new MitraError('invalid_amount', 'A deduction is positive')
  const producer = { counterpartyId: input.corePartnerId }
  const core = { counterpartyId: input.producerId }
  return {
    kind: 'advance_deduction',
    source: { type: 'advance_deduction', id: input.sourceId },
    currency: input.amount.currency,
    agreementId: input.agreementId ?? null,
    memo: input.memo ?? null,
    lines: [
      { partyId: input.producerId, purpose: 'payable_to_producer', amount, ...producer },
      { partyId: input.producerId, purpose: 'advances_receivable', amount: -amount, ...producer },
      { partyId: input.corePartnerId, purpose: 'advances_funded', amount, ...core },
      {
        partyId: input.corePartnerId,
        purpose: 'payable_to_core_partner',
        amount: -amount,
        ...core,
      },
    ],
  }
}

export interface PenaltyEntryInput {
  sourceId: string
  producerId: string
  /** The buyer (contractor) that charges the penalty. */
  buyerId: string
  amount: Money
  agreementId?: string | null
  memo?: string | null
}

/** Subkontrak: a missed target's penalty is taken from what the producer is owed. */
export function penaltyEntry(input: PenaltyEntryInput): JournalEntry {
  const amount = input.amount.amount
  if (amount <= 0) throw new MitraError('invalid_amount', 'A penalty is positive')
  return {
    kind: 'penalty',
    source: { type: 'penalty', id: input.sourceId },
    currency: input.amount.currency,
    agreementId: input.agreementId ?? null,
    memo: input.memo ?? null,
    lines: [
      {
        partyId: input.producerId,
        purpose: 'payable_to_producer',
        amount,
        counterpartyId: input.buyerId,
      },
      {
        partyId: input.buyerId,
        purpose: 'penalties',
        amount: -amount,
        counterpartyId: input.producerId,
      },
    ],
  }
}

/** A payable journal line not yet paid, as a payout selects it. */
export interface PayableItem {
  transactionId: string
  position: number
  purpose: AccountPurpose
  /** The line's signed amount: credits (< 0) are owed to the party, debits reduce it. */
  amount: number
}

/** What a party is owed on a set of items (positive when owed). */
export function amountDue(items: readonly Pick<PayableItem, 'amount'>[]): number {
  return 0 - items.reduce((acc, item) => acc + item.amount, 0)
}

/**
 * A payout of the items: each payable account is debited by what its items add up to, and
 * the total goes out to the party through `payouts_in_transit`.
 */
export function payoutEntry(input: {
  payoutId: string
  partyId: string
  currency: CurrencyCode
  items: readonly PayableItem[]
  memo?: string | null
}): JournalEntry {
  const byPurpose = new Map<AccountPurpose, number>()
  for (const item of input.items) {
    byPurpose.set(item.purpose, (byPurpose.get(item.purpose) ?? 0) - item.amount)
  }
  const lines: EntryLine[] = []
  let total = 0
  for (const purpose of payablePurposes) {
    const amount = byPurpose.get(purpose) ?? 0
    if (amount === 0) continue
    lines.push({ partyId: input.partyId, purpose, amount })
    total += amount
  }
  if (total <= 0) throw new MitraError('payout_below_minimum', 'Nothing is due to pay out')
  lines.push({ partyId: input.partyId, purpose: 'payouts_in_transit', amount: -total })
  return {
    kind: 'payout',
    source: { type: 'payout', id: input.payoutId },
    currency: input.currency,
    memo: input.memo ?? null,
    lines,
  }
}

/** An entry's exact mirror, every line's sign flipped: what undoes it. */
export function mirrorEntry(
  entry: JournalEntry,
  kind: JournalKind,
  sourceId: string,
  memo?: string | null,
): JournalEntry {
  return {
    kind,
    source: { type: kind, id: sourceId },
    currency: entry.currency,
    ...(entry.agreementId == null ? {} : { agreementId: entry.agreementId }),
    memo: memo ?? null,
    lines: entry.lines.map((line) => ({ ...line, amount: -line.amount })),
  }
}

/** A payout that did not arrive (bank rejected it): its lines mirrored, the items owed again. */
export function payoutReversalEntry(payout: JournalEntry, memo?: string | null): JournalEntry {
  return mirrorEntry(payout, 'payout_reversal', payout.source.id, memo)
}

/** A payout arrived: what was in transit to the party has left the platform's funds. */
export function payoutPaidEntry(input: {
  payoutId: string
  partyId: string
  platformId: string
  amount: Money
}): JournalEntry {
  return {
    kind: 'payout_paid',
    source: { type: 'payout_paid', id: input.payoutId },
    currency: input.amount.currency,
    memo: `Payout ${input.payoutId} arrived`,
    lines: [
      { partyId: input.partyId, purpose: 'payouts_in_transit', amount: input.amount.amount },
      { partyId: input.platformId, purpose: 'provider_clearing', amount: -input.amount.amount },
    ],
  }
}

/** A payout that arrived and was sent back: its arrival mirrored, the money in the funds again. */
export function payoutPaidReversalEntry(paid: JournalEntry, memo?: string | null): JournalEntry {
  return mirrorEntry(paid, 'payout_paid_reversal', paid.source.id, memo)
}

/**
 * A refund the provider made and then failed (the buyer's bank sent the money back): its
 * entry mirrored, once per refund entry, so the shares it took back are owed again.
 */
export function refundFailureEntry(refund: JournalEntry, memo?: string | null): JournalEntry {
  return mirrorEntry(refund, 'refund_failure', `${refund.source.type}:${refund.source.id}`, memo)
}

/** Σ amounts per `party/purpose` over entries: the balances a ledger derives. */
export function balancesOf(entries: readonly JournalEntry[]): Map<string, number> {
  const balances = new Map<string, number>()
  for (const entry of entries) {
    for (const line of entry.lines) {
      const key = `${line.partyId}/${line.purpose}`
      balances.set(key, (balances.get(key) ?? 0) + line.amount)
    }
  }
  return balances
}

/** What the network owes a party: minus the sum of its payable accounts. */
export function owedTo(balances: ReadonlyMap<string, number>, partyId: string): number {
  let owed = 0
  for (const purpose of payablePurposes) owed -= balances.get(`${partyId}/${purpose}`) ?? 0
  return owed
}
