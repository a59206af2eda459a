import { inTransaction } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { terminateAgreement } from '../agreements/agreements.js'
import { quoteAtVenue } from './quotes.js'
import { recordSale } from './sales.js'
import { requestReturnOfRemainingStock } from './termination.js'
import { partners, receipt, stockUp } from './testing.js'

describe.each(testDatabaseKinds())('return of remaining stock on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('asks for everything still at the venue, and for nothing when all is sold', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      variants: [first, second],
    } = await partners(db, { count: 2 })
    await stockUp(db, producer, venue, [
      { variant_id: first!, quantity: 5 },
      { variant_id: second!, quantity: 2 },
    ])
    const venueScope = { partyId: venue.id, role: 'owner' as const }
    await recordSale(db, venueScope, {
      venue_id: venue.id,
      receipt_number: receipt(),
      channel: 'cash',
      lines: [{ variant_id: second!, quantity: 2 }],
    })
    const raised = await requestReturnOfRemainingStock(db, {
      producerId: producer.id,
      venueId: venue.id,
      requestedBy: 'venue',
      reason: 'kafe tutup',
    })
    expect(raised?.status).toBe('requested')
    expect(raised?.lines.map((l) => [l.variant_id, l.quantity_requested])).toEqual([[first, 5]])

    const other = await partners(db, { count: 1 })
    expect(
      await requestReturnOfRemainingStock(db, {
        producerId: other.producer.id,
        venueId: other.venue.id,
        requestedBy: 'producer',
        reason: 'nothing left',
      }),
    ).toBeNull()
  })

  it('does not sell under an agreement ended earlier in the same transaction', async () => {
    const { db } = database()
    const {
      producer,
      venue,
      agreementId,
      variants: [first],
    } = await partners(db, { count: 1 })
    await stockUp(db, producer, venue, [{ variant_id: first!, quantity: 3 }])
    const venueOwner = { partyId: venue.id, role: 'owner' as const }
    const sold = inTransaction(db, async (tx) => {
      // Priced first: the agreement in force is remembered for the transaction …
      await quoteAtVenue(tx, venue.id, [first!])
      // … until the transaction itself ends it.
      await terminateAgreement(tx, venueOwner, agreementId, { reason: 'kafe tutup' })
      return recordSale(tx, venueOwner, {
        venue_id: venue.id,
        receipt_number: receipt(),
        channel: 'cash',
        lines: [{ variant_id: first!, quantity: 1 }],
      })
    })
    await expect(sold).rejects.toMatchObject({ code: 'agreement_not_active' })
  })
})
