import { MitraError, newId } from '@mitra/core'
import {
  type Executor,
  type StockMovementKind,
  stockLevels,
  stockLots,
  stockMovements,
} from '@mitra/db'
import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm'
import { type LotTake, takeFifo } from './arithmetic.js'
import type { Actor } from './internal.js'

/*
 * The one place stock changes. Each function writes the movements and updates the
 * `stock_levels` projection in the caller's transaction, with conditional updates that take
 * the row lock and only succeed when the rule holds, so concurrent writers take turns and
 * never push a level below zero. Callers lock levels in variant order to avoid deadlocks.
 */

/** Where a movement happens and what it belongs to. */
export interface MovementContext {
  venueId: string
  producerId: string
  variantId: string
  agreementId: string
  agreementVersion: number
  documentId: string | null
  reference?: string | null
  reason?: string | null
  unitPriceAmount?: number | null
  listPriceAmount?: number | null
  currency?: string | null
  actor: Actor
  at: Date
}

type MovementRow = typeof stockMovements.$inferInsert

function movementRow(
  context: MovementContext,
  kind: StockMovementKind,
  onHandDelta: number,
  reservedDelta: number,
  lotId: string | null,
): MovementRow {
  return {
    id: newId('mov'),
    venueId: context.venueId,
    producerId: context.producerId,
    variantId: context.variantId,
    agreementId: context.agreementId,
    agreementVersion: context.agreementVersion,
    kind,
    onHandDelta,
    reservedDelta,
    lotId,
    documentId: context.documentId,
    reference: context.reference ?? null,
    reason: context.reason ?? null,
    unitPriceAmount: context.unitPriceAmount ?? null,
    listPriceAmount: context.listPriceAmount ?? null,
    currency: context.currency ?? null,
    actorPartyId: context.actor.partyId,
    actorId: context.actor.actorId,
    createdAt: context.at,
  }
}

const levelOf = (venueId: string, variantId: string): SQL =>
  and(eq(stockLevels.venueId, venueId), eq(stockLevels.variantId, variantId)) as SQL

/** Available units of a variant at a venue, as last committed (no lock). */
export async function availableNow(
  tx: Executor,
  venueId: string,
  variantId: string,
): Promise<number> {
  const [row] = await tx
    .select({ onHand: stockLevels.onHand, reserved: stockLevels.reserved })
    .from(stockLevels)
    .where(levelOf(venueId, variantId))
  return row === undefined ? 0 : row.onHand - row.reserved
}

async function insufficient(
  tx: Executor,
  venueId: string,
  variantId: string,
  wanted: number,
  path: string | undefined,
): Promise<MitraError> {
  const available = await availableNow(tx, venueId, variantId)
  const message = `Only ${available} of variant '${variantId}' available at this venue; ${wanted} asked for`
  return new MitraError('insufficient_stock', message, {
    errors: path === undefined ? [] : [{ path, code: 'insufficient_stock', message }],
    extensions: { available, variant_id: variantId, requested: wanted },
  })
}

/** Units taken from one lot, with the day the lot arrived (for markdown by age). */
export interface TakenLot extends LotTake {
  delivered_at: Date
}

/** Takes the oldest open lots of a variant at a venue; the level row must already be locked. */
async function consumeLots(
  tx: Executor,
  venueId: string,
  variantId: string,
  quantity: number,
): Promise<TakenLot[]> {
  const open = await tx
    .select({
      id: stockLots.id,
      delivered_at: stockLots.deliveredAt,
      remaining: stockLots.remaining,
    })
    .from(stockLots)
    .where(
      and(
        eq(stockLots.venueId, venueId),
        eq(stockLots.variantId, variantId),
        gt(stockLots.remaining, 0),
      ),
    )
    .orderBy(asc(stockLots.deliveredAt), asc(stockLots.id))
    .for('update')
  const takes = takeFifo(open, quantity)
  if (takes === null) {
    // Σ lots = on hand is an invariant; a gap is a bug, never a reason to sell anyway.
    throw new Error(`Lots of ${variantId} at ${venueId} hold fewer units than on hand`)
  }
  const arrived = new Map(open.map((lot) => [lot.id, lot.delivered_at]))
  for (const take of takes) {
    await tx
      .update(stockLots)
      .set({ remaining: sql`${stockLots.remaining} - ${take.quantity}` })
      .where(eq(stockLots.id, take.lot_id))
  }
  return takes.map((take) => ({ ...take, delivered_at: arrived.get(take.lot_id) ?? new Date(0) }))
}

/**
 * Takes `quantity` units out of a venue's stock, oldest lots first, without writing the
 * movements yet (`writeRemovals` does, once the caller has priced them). From available
 * units (`fromReserved` false: a counter sale, return, damage…) or from units held for this
 * purpose (`fromReserved` true: a converted reservation, a transfer out). Too few → 409
 * `insufficient_stock` with `available`; the caller's transaction then changes nothing.
 */
export async function takeUnits(
  tx: Executor,
  context: Pick<MovementContext, 'venueId' | 'variantId' | 'at'>,
  quantity: number,
  options: { fromReserved?: boolean; path?: string } = {},
): Promise<TakenLot[]> {
  const fromReserved = options.fromReserved === true
  const updated = await tx
    .update(stockLevels)
    .set({
      onHand: sql`${stockLevels.onHand} - ${quantity}`,
      ...(fromReserved ? { reserved: sql`${stockLevels.reserved} - ${quantity}` } : {}),
      updatedAt: context.at,
    })
    .where(
      and(
        levelOf(context.venueId, context.variantId),
        fromReserved
          ? sql`${stockLevels.reserved} >= ${quantity}`
          : sql`${stockLevels.onHand} - ${stockLevels.reserved} >= ${quantity}`,
      ),
    )
    .returning({ onHand: stockLevels.onHand })
  if (updated.length === 0) {
    if (fromReserved) {
      throw new Error(`Fewer than ${quantity} units of ${context.variantId} are held`)
    }
    throw await insufficient(tx, context.venueId, context.variantId, quantity, options.path)
  }
  return consumeLots(tx, context.venueId, context.variantId, quantity)
}

/** One movement per lot taken by `takeUnits`. */
export async function writeRemovals(
  tx: Executor,
  context: MovementContext,
  kind: StockMovementKind,
  takes: readonly LotTake[],
  fromReserved = false,
): Promise<void> {
  if (takes.length === 0) return
  await tx
    .insert(stockMovements)
    .values(
      takes.map((take) =>
        movementRow(context, kind, -take.quantity, fromReserved ? -take.quantity : 0, take.lot_id),
      ),
    )
}

/** `takeUnits` and `writeRemovals` in one. */
export async function removeStock(
  tx: Executor,
  context: MovementContext,
  kind: StockMovementKind,
  quantity: number,
  options: { fromReserved?: boolean; path?: string } = {},
): Promise<TakenLot[]> {
  const takes = await takeUnits(tx, context, quantity, options)
  await writeRemovals(tx, context, kind, takes, options.fromReserved === true)
  return takes
}

/** Holds `quantity` available units (a checkout, a transfer); too few → 409, nothing held. */
export async function holdStock(
  tx: Executor,
  context: MovementContext,
  quantity: number,
  path?: string,
): Promise<void> {
  const updated = await tx
    .update(stockLevels)
    .set({ reserved: sql`${stockLevels.reserved} + ${quantity}`, updatedAt: context.at })
    .where(
      and(
        levelOf(context.venueId, context.variantId),
        sql`${stockLevels.onHand} - ${stockLevels.reserved} >= ${quantity}`,
      ),
    )
    .returning({ reserved: stockLevels.reserved })
  if (updated.length === 0) {
    throw await insufficient(tx, context.venueId, context.variantId, quantity, path)
  }
  await tx.insert(stockMovements).values(movementRow(context, 'reserve', 0, quantity, null))
}

/** Lets go of `quantity` held units again. */
export async function releaseStock(
  tx: Executor,
  context: MovementContext,
  quantity: number,
): Promise<void> {
  const updated = await tx
    .update(stockLevels)
    .set({ reserved: sql`${stockLevels.reserved} - ${quantity}`, updatedAt: context.at })
    .where(
      and(levelOf(context.venueId, context.variantId), sql`${stockLevels.reserved} >= ${quantity}`),
    )
    .returning({ reserved: stockLevels.reserved })
  if (updated.length === 0) {
    throw new Error(`Fewer than ${quantity} units of ${context.variantId} are held`)
  }
  await tx.insert(stockMovements).values(movementRow(context, 'release', 0, -quantity, null))
}

/**
 * Units arrive at a venue as a new lot (a delivery line, a transfer, a surplus found in a
 * count): the level grows and one movement names the lot.
 */
export async function addStock(
  tx: Executor,
  context: MovementContext,
  kind: StockMovementKind,
  quantity: number,
  lot: {
    source: 'delivery' | 'transfer' | 'count'
    deliveredAt: Date
    unitPriceAmount: number | null
    currency: string | null
  },
): Promise<string> {
  const lotId = newId('lot')
  await tx
    .insert(stockLevels)
    .values({
      venueId: context.venueId,
      variantId: context.variantId,
      producerId: context.producerId,
      onHand: quantity,
      reserved: 0,
      updatedAt: context.at,
    })
    .onConflictDoUpdate({
      target: [stockLevels.venueId, stockLevels.variantId],
      set: { onHand: sql`${stockLevels.onHand} + ${quantity}`, updatedAt: context.at },
    })
  await tx.insert(stockLots).values({
    id: lotId,
    venueId: context.venueId,
    producerId: context.producerId,
    variantId: context.variantId,
    agreementId: context.agreementId,
    agreementVersion: context.agreementVersion,
    source: lot.source,
    documentId: context.documentId ?? lotId,
    deliveredAt: lot.deliveredAt,
    quantity,
    remaining: quantity,
    unitPriceAmount: lot.unitPriceAmount,
    currency: lot.currency,
    createdAt: context.at,
  })
  await tx.insert(stockMovements).values(movementRow(context, kind, quantity, 0, lotId))
  return lotId
}

/** Locks a venue's level of a variant and returns it (zeros when it has none yet). */
export async function lockLevel(
  tx: Executor,
  venueId: string,
  variantId: string,
): Promise<{ onHand: number; reserved: number }> {
  const [row] = await tx
    .select({ onHand: stockLevels.onHand, reserved: stockLevels.reserved })
    .from(stockLevels)
    .where(levelOf(venueId, variantId))
    .for('update')
  return row ?? { onHand: 0, reserved: 0 }
}

/** Sorts lines by variant id: every service locks levels in this order. */
export function inLockOrder<L extends { variant_id: string }>(
  items: readonly L[],
): { line: L; index: number }[] {
  return items
    .map((line, index) => ({ line, index }))
    .sort((a, b) =>
      a.line.variant_id < b.line.variant_id ? -1 : a.line.variant_id > b.line.variant_id ? 1 : 0,
    )
}
