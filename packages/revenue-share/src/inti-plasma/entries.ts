import { MitraError, type Money } from '@mitra/core'
import type { JournalEntry } from '../entries.js'

export interface PurchaseEntryInput {
  /** The purchase (`dlv_…`): posted once. */
  sourceId: string
  producerId: string
  corePartnerId: string
  amount: Money
  /** The inti-plasma partnership whose agreed price it used. */
  agreementId: string
  memo?: string | null
}

/**
 * Inti-plasma: the core partner buys the producer's output at the agreed price. The core
 * partner owes it and holds the money until it pays: the producer is owed it, awaiting
 * collection from the core partner (a remittance closes it). Its kind is `sale`: for the
 * producer it is one, and statements count it with sales.
 */
export function purchaseEntry(input: PurchaseEntryInput): JournalEntry {
  const amount = input.amount.amount
  if (amount <= 0) throw new MitraError('invalid_amount', 'A purchase is positive')
  return {
    kind: 'sale',
    source: { type: 'inti_plasma_purchase', id: input.sourceId },
    currency: input.amount.currency,
    agreementId: input.agreementId,
    memo: input.memo ?? null,
    lines: [
      {
        partyId: input.corePartnerId,
        purpose: 'purchases_receivable',
        amount,
        counterpartyId: input.producerId,
      },
      {
        partyId: input.producerId,
        purpose: 'awaiting_collection',
        amount: -amount,
        counterpartyId: input.corePartnerId,
        shareRole: 'producer',
      },
    ],
  }
}
