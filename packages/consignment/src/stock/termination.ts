import { type Executor, stockLevels } from '@mitra/db'
import { and, asc, eq, gt } from 'drizzle-orm'
import { insertReturn } from './returns.js'
import type { StockReturn } from './schemas.js'

export interface RemainingStockReturn {
  producerId: string
  venueId: string
  /** The side that ended the agreement; it is recorded as the requester. */
  requestedBy: 'producer' | 'venue'
  reason: string
  at?: Date
}

/**
 * When an agreement ends, everything the producer still has at the venue is to come back:
 * one return request for all of it (null when nothing is left). Units still held for
 * checkouts are included — a held unit is still the producer's and still at the venue.
 */
export async function requestReturnOfRemainingStock(
  db: Executor,
  input: RemainingStockReturn,
): Promise<StockReturn | null> {
  const remaining = await db
    .select({ variantId: stockLevels.variantId, onHand: stockLevels.onHand })
    .from(stockLevels)
    .where(
      and(
        eq(stockLevels.producerId, input.producerId),
        eq(stockLevels.venueId, input.venueId),
        gt(stockLevels.onHand, 0),
      ),
    )
    .orderBy(asc(stockLevels.variantId))
  if (remaining.length === 0) return null
  return insertReturn(db, {
    venueId: input.venueId,
    producerId: input.producerId,
    source: input.requestedBy,
    reason: `agreement terminated: ${input.reason}`,
    requestedBy: input.requestedBy === 'producer' ? input.producerId : input.venueId,
    at: input.at ?? new Date(),
    lines: remaining.map((row) => ({ variantId: row.variantId, quantity: row.onHand })),
  })
}
