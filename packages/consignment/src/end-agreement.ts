import type { Scope } from '@mitra/catalog'
import { atomically, type Executor } from '@mitra/db'
import { terminateAgreement } from './agreements/agreements.js'
import type { AgreementWithVersions, TerminateAgreementInput } from './agreements/schemas.js'
import type { StockReturn } from './stock/schemas.js'
import { requestReturnOfRemainingStock } from './stock/termination.js'

/**
 * Ends a consignment agreement and, in the same transaction, asks for everything the
 * producer still has at the venue to come back.
 */
export async function endConsignment(
  db: Executor,
  scope: Scope,
  agreementId: string,
  input: TerminateAgreementInput,
): Promise<{ agreement: AgreementWithVersions; stock_return: StockReturn | null }> {
  return atomically(db, async (tx) => {
    const agreement = await terminateAgreement(tx, scope, agreementId, input)
    const stock_return = await requestReturnOfRemainingStock(tx, {
      producerId: agreement.producer_id,
      venueId: agreement.venue_id,
      requestedBy: agreement.producer_id === scope.partyId ? 'producer' : 'venue',
      reason: input.reason,
    })
    return { agreement, stock_return }
  })
}
