import { assertRole } from '@mitra/catalog'
import { MitraError, newId } from '@mitra/core'
import { type Executor, stockCountLines, stockCounts } from '@mitra/db'
import {
  type AgreementTerms,
  type At,
  actorOf,
  assertDistinctVariants,
  atomically,
  governingAgreement,
  iso,
  loadVariants,
  notFound,
  nowOf,
  parseInput,
  type StockScope,
  variantOf,
} from './internal.js'
import { addStock, inLockOrder, lockLevel, removeStock } from './ledger.js'
import { type RecordCountInput, recordCountSchema, type StockCount } from './schemas.js'

/**
 * A stock count (stok opname) at the venue: for each variant counted, the difference from
 * what the ledger says becomes a `count_adjustment` movement with the count's reason — a
 * shortfall leaves the oldest lots first, a surplus arrives as a new lot. Counting fewer
 * than are reserved is a 409 (release or sell those first). Needs the venue's owner role:
 * a count changes what the books say is there.
 */
export async function recordCount(
  db: Executor,
  scope: StockScope,
  input: RecordCountInput,
  options?: At,
): Promise<StockCount> {
  assertRole(scope, 'owner')
  const data = parseInput(recordCountSchema, input)
  if (data.venue_id !== scope.partyId) throw notFound('venue', data.venue_id, 'venue_id')
  assertDistinctVariants(data.lines)
  const now = nowOf(options)
  return atomically(db, async (tx) => {
    const variants = await loadVariants(tx, data.lines)
    const agreements = new Map<string, AgreementTerms | undefined>()
    const id = newId('cnt')
    await tx.insert(stockCounts).values({
      id,
      venueId: data.venue_id,
      reason: data.reason,
      countedAt: now,
      actorPartyId: scope.partyId,
      actorId: scope.actorId ?? null,
      createdAt: now,
    })
    const out: StockCount['lines'] = new Array(data.lines.length)
    for (const { line, index } of inLockOrder(data.lines)) {
      const variant = variantOf(variants, line.variant_id)
      if (!agreements.has(variant.producerId)) {
        agreements.set(
          variant.producerId,
          await governingAgreement(tx, variant.producerId, data.venue_id),
        )
      }
      const agreement = agreements.get(variant.producerId)
      if (agreement === undefined) {
        const path = `lines.${index}.variant_id`
        const message = `this venue has no consignment agreement with the producer of '${variant.id}'`
        throw new MitraError('agreement_not_active', message, {
          errors: [{ path, code: 'agreement_not_active', message }],
        })
      }
      const level = await lockLevel(tx, data.venue_id, variant.id)
      if (line.counted < level.reserved) {
        const path = `lines.${index}.counted`
        const message = `${level.reserved} units are held for checkouts or transfers; release or sell them before counting fewer`
        throw new MitraError('conflict', message, {
          errors: [{ path, code: 'below_reserved', message }],
          extensions: { reserved: level.reserved },
        })
      }
      const difference = line.counted - level.onHand
      const context = {
        venueId: data.venue_id,
        producerId: variant.producerId,
        variantId: variant.id,
        agreementId: agreement.id,
        agreementVersion: agreement.version,
        documentId: id,
        reason: data.reason,
        actor: actorOf(scope),
        at: now,
      }
      if (difference < 0) {
        await removeStock(tx, context, 'count_adjustment', -difference, {
          path: `lines.${index}.counted`,
        })
      } else if (difference > 0) {
        await addStock(tx, context, 'count_adjustment', difference, {
          source: 'count',
          deliveredAt: now,
          unitPriceAmount: variant.price?.amount ?? null,
          currency: variant.price?.currency ?? null,
        })
      }
      await tx.insert(stockCountLines).values({
        countId: id,
        variantId: variant.id,
        producerId: variant.producerId,
        expected: level.onHand,
        counted: line.counted,
      })
      out[index] = {
        variant_id: variant.id,
        producer_id: variant.producerId,
        expected: level.onHand,
        counted: line.counted,
        difference,
      }
    }
    return {
      id,
      venue_id: data.venue_id,
      reason: data.reason,
      counted_at: iso(now),
      lines: out,
    }
  })
}
