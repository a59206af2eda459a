import type { AccountPurpose } from '@mitra/db'
import type { JournalEntry } from './entries.js'

/*
 * The rows journal entries are stored as, built once for both ways entries are written:
 * `postEntries` (replays, races) and `settle` (fresh payouts, in chunks).
 */

/** The accounts the entries' lines touch, each once. */
export function accountRowsOf(
  entries: readonly JournalEntry[],
): { partyId: string; purpose: AccountPurpose; currency: string }[] {
  const accounts = new Map<string, { partyId: string; purpose: AccountPurpose; currency: string }>()
  for (const entry of entries) {
    for (const line of entry.lines) {
      accounts.set(`${line.partyId}/${line.purpose}/${entry.currency}`, {
        partyId: line.partyId,
        purpose: line.purpose,
        currency: entry.currency,
      })
    }
  }
  return [...accounts.values()]
}

/** The entry's transaction row, under `id`, with the content hash a replay is checked by. */
export function transactionRowOf(
  entry: JournalEntry,
  id: string,
  post: { contentHash: string; occurredAt: Date; reversesId?: string | null | undefined },
) {
  return {
    id,
    kind: entry.kind,
    sourceType: entry.source.type,
    sourceId: entry.source.id,
    currency: entry.currency,
    agreementId: entry.agreementId ?? null,
    reversesId: post.reversesId ?? null,
    reversedFraction: entry.reversedFraction ?? null,
    memo: entry.memo ?? null,
    contentHash: post.contentHash,
    occurredAt: post.occurredAt,
  }
}

/** The entry's line rows, numbered in order, for the transaction `id`. */
export function lineRowsOf(entry: JournalEntry, id: string) {
  return entry.lines.map((line, position) => ({
    transactionId: id,
    position,
    partyId: line.partyId,
    purpose: line.purpose,
    currency: entry.currency,
    amount: line.amount,
    counterpartyId: line.counterpartyId ?? null,
    saleLineId: line.saleLineId ?? null,
    shareRole: line.shareRole ?? null,
    ruleId: line.ruleId ?? null,
    policyId: line.policyId ?? null,
    policyVersion: line.policyVersion ?? null,
    explanation: line.explanation ?? null,
  }))
}
