import { MitraError, type Money } from '@mitra/core'
import type { Executor } from '@mitra/db'
import { type EntrySource, type JournalEntry, platformParty } from '@mitra/revenue-share'

/*
 * The delivery fee of an online order is not a sale of goods and follows no split: the
 * provider collected it for the platform, and it is owed in full to the venue that ships.
 */

async function platformOf(tx: Executor): Promise<string> {
  const platformId = await platformParty(tx)
  if (platformId === null) {
    throw new MitraError(
      'platform_unavailable',
      'An online order is collected by the platform, and there is no party of kind platform',
    )
  }
  return platformId
}

export function deliverySourceId(orderId: string, venueId: string): string {
  return `${orderId}:${venueId}`
}

/** The delivery fee as collected: the platform holds it, the venue is owed it. */
export async function deliveryFeeEntry(
  tx: Executor,
  input: { orderId: string; venueId: string; amount: Money },
): Promise<JournalEntry> {
  const platformId = await platformOf(tx)
  return {
    kind: 'sale',
    source: { type: 'delivery_fee', id: deliverySourceId(input.orderId, input.venueId) },
    currency: input.amount.currency,
    memo: `Delivery of order ${input.orderId}`,
    lines: [
      { partyId: platformId, purpose: 'provider_clearing', amount: input.amount.amount },
      { partyId: input.venueId, purpose: 'delivery_fees', amount: -input.amount.amount },
    ],
  }
}

/** What a refund posted for the delivery fee of one venue's part, if anything. */
export function deliveryRefundSource(refundId: string, venueId: string): EntrySource {
  return { type: 'delivery_refund', id: `${refundId}:${venueId}` }
}

/** What a refund posted for the order line at `position`, if anything. */
export function lineRefundSource(refundId: string, position: number): EntrySource {
  return { type: 'refund', id: `${refundId}:${position}` }
}

/** Part or all of a delivery fee refunded: the mirror of what it reverses. */
export async function deliveryRefundEntry(
  tx: Executor,
  input: { refundId: string; orderId: string; venueId: string; amount: Money },
): Promise<JournalEntry> {
  const platformId = await platformOf(tx)
  return {
    kind: 'refund',
    source: deliveryRefundSource(input.refundId, input.venueId),
    currency: input.amount.currency,
    memo: `Delivery refund ${input.refundId} of order ${input.orderId}`,
    lines: [
      { partyId: platformId, purpose: 'provider_clearing', amount: -input.amount.amount },
      { partyId: input.venueId, purpose: 'delivery_fees', amount: input.amount.amount },
    ],
  }
}
