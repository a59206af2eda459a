import {
  type At,
  type Obligation,
  type RecordWriteOffInput,
  recordWriteOff,
  type StockScope,
} from '@mitra/consignment'
import { MitraError, money } from '@mitra/core'
import { atomically, type Executor } from '@mitra/db'
import { liabilitySplit } from '../entries.js'
import { type PostedTransaction, postLiability } from '../ledger.js'

/** An obligation and what it posted: `null` when the producer bears it all. */
export interface PostedObligation {
  obligation: Obligation
  transaction: PostedTransaction | null
}

/**
 * The venue writes off damaged or lost goods (`recordWriteOff`) and, in the same
 * transaction, each obligation's venue part is posted (`postLiability`, source: the
 * obligation id): when the venue bears it, or half of it when shared, the venue owes the
 * producer; when the producer bears it, nothing is posted.
 */
export function writeOffWithLiability(
  db: Executor,
  scope: StockScope,
  input: RecordWriteOffInput,
  options?: At,
): Promise<PostedObligation[]> {
  return atomically(db, async (tx) => {
    const obligations = await recordWriteOff(tx, scope, input, options)
    const out: PostedObligation[] = []
    for (const obligation of obligations) {
      const value = money(obligation.total.amount, obligation.total.currency)
      const { venue } = liabilitySplit(value, obligation.bearer)
      if (venue.amount !== obligation.venue_owes.amount) {
        throw new MitraError(
          'liability_mismatch',
          `Obligation ${obligation.id}: the stock ledger says the venue owes ${obligation.venue_owes.amount}, the money ledger ${venue.amount}`,
        )
      }
      const transaction = await postLiability(
        tx,
        {
          kind: obligation.kind,
          sourceId: obligation.id,
          venueId: obligation.venue_id,
          producerId: obligation.producer_id,
          value,
          bearer: obligation.bearer,
          agreementId: obligation.agreement_id,
          memo: `${obligation.kind === 'damage' ? 'Damaged' : 'Lost'}: ${obligation.quantity} × ${obligation.variant_id} (${obligation.reason})`,
        },
        { occurredAt: new Date(obligation.created_at) },
      )
      out.push({ obligation, transaction })
    }
    return out
  })
}
