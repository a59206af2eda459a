import { MitraError, newId } from '@mitra/core'
import {
  type Executor,
  insertRows,
  recordset,
  type StockLotSource,
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

function insufficient(
  variantId: string,
  available: number,
  wanted: number,
  path: string | undefined,
): MitraError {
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

/** Units to take out of one venue's stock of one variant (`planTakes`). */
export interface TakeRequest {
  venueId: string
  variantId: string
  quantity: number
  /** From units held for this purpose (a converted reservation, a transfer out). */
  fromReserved?: boolean
  /** The request field named by a 409 `insufficient_stock`. */
  path?: string
}

const keyOf = (venueId: string, variantId: string) => `${venueId}/${variantId}`

/** The (venue, variant) pairs of `requests` as a relation `k(venue_id, variant_id)`. */
function levelKeys(requests: readonly { venueId: string; variantId: string }[]): SQL {
  const seen = new Map<string, { venue_id: string; variant_id: string }>()
  for (const r of requests) {
    seen.set(keyOf(r.venueId, r.variantId), { venue_id: r.venueId, variant_id: r.variantId })
  }
  return sql`(select venue_id, variant_id from ${recordset(
    'k',
    { venue_id: 'text', variant_id: 'text' },
    [...seen.values()],
  )})`
}

/**
 * The open lots of many (venue, variant) pairs, oldest first, by one statement (no lock):
 * what a price by age is worked out from.
 */
export function openLotsOf(tx: Executor, pairs: readonly { venueId: string; variantId: string }[]) {
  return tx
    .select({
      venueId: stockLots.venueId,
      variantId: stockLots.variantId,
      delivered_at: stockLots.deliveredAt,
    })
    .from(stockLots)
    .where(
      and(
        sql`(${stockLots.venueId}, ${stockLots.variantId}) in ${levelKeys(pairs)}`,
        gt(stockLots.remaining, 0),
      ),
    )
    .orderBy(asc(stockLots.deliveredAt), asc(stockLots.id))
}

/** What a level says: where, and how many are on hand and reserved. */
export const levelColumns = {
  venueId: stockLevels.venueId,
  variantId: stockLevels.variantId,
  onHand: stockLevels.onHand,
  reserved: stockLevels.reserved,
}

/** The levels of many (venue, variant) pairs, in that order, by one statement. */
export function levelsOf(tx: Executor, pairs: readonly { venueId: string; variantId: string }[]) {
  return tx
    .select(levelColumns)
    .from(stockLevels)
    .where(sql`(${stockLevels.venueId}, ${stockLevels.variantId}) in ${levelKeys(pairs)}`)
    .orderBy(asc(stockLevels.venueId), asc(stockLevels.variantId))
}

/** Locks the levels of many (venue, variant) pairs, in that order, by one statement. */
async function lockLevels(
  tx: Executor,
  keys: readonly { venueId: string; variantId: string }[],
): Promise<Map<string, { onHand: number; reserved: number }>> {
  const locked = await levelsOf(tx, keys).for('update')
  return new Map(
    locked.map((row) => [
      keyOf(row.venueId, row.variantId),
      { onHand: row.onHand, reserved: row.reserved },
    ]),
  )
}

/** What `planTakes` worked out: the lots each request takes, and the writes that do it. */
export interface PlannedTakes {
  takes: TakenLot[][]
  /** Updates the levels and lots: one statement each, sent together. */
  write(): Promise<unknown>
}

/**
 * Works out how to take units out of venues' stock, oldest lots first, for many requests
 * at once: every level and open lot involved is locked (one statement each, sent together:
 * the connection runs them in order, levels first), and the takes are worked out in code in
 * the order given. From available units, or from units held (`fromReserved`). Too few
 * available → 409 `insufficient_stock` with `available` (what was left for that request);
 * nothing is written until `write()`.
 */
export async function planTakes(
  tx: Executor,
  requests: readonly TakeRequest[],
  at: Date,
): Promise<PlannedTakes> {
  if (requests.length === 0) return { takes: [], write: async () => undefined }
  const keys = levelKeys(requests)
  const [levels, open] = await Promise.all([
    lockLevels(tx, requests),
    tx
      .select({
        id: stockLots.id,
        venueId: stockLots.venueId,
        variantId: stockLots.variantId,
        delivered_at: stockLots.deliveredAt,
        remaining: stockLots.remaining,
      })
      .from(stockLots)
      .where(
        and(
          sql`(${stockLots.venueId}, ${stockLots.variantId}) in ${keys}`,
          gt(stockLots.remaining, 0),
        ),
      )
      .orderBy(
        asc(stockLots.venueId),
        asc(stockLots.variantId),
        asc(stockLots.deliveredAt),
        asc(stockLots.id),
      )
      .for('update'),
  ])
  const taken = new Map<
    string,
    { venue_id: string; variant_id: string; on_hand: number; reserved: number; at: string }
  >()
  for (const request of requests) {
    const key = keyOf(request.venueId, request.variantId)
    const level = levels.get(key) ?? { onHand: 0, reserved: 0 }
    levels.set(key, level)
    const fromReserved = request.fromReserved === true
    if (fromReserved && level.reserved < request.quantity) {
      throw new Error(`Fewer than ${request.quantity} units of ${request.variantId} are held`)
    }
    const available = level.onHand - level.reserved
    if (!fromReserved && available < request.quantity) {
      throw insufficient(request.variantId, available, request.quantity, request.path)
    }
    level.onHand -= request.quantity
    if (fromReserved) level.reserved -= request.quantity
    const sum = taken.get(key) ?? {
      venue_id: request.venueId,
      variant_id: request.variantId,
      on_hand: 0,
      reserved: 0,
      at: at.toISOString(),
    }
    sum.on_hand += request.quantity
    if (fromReserved) sum.reserved += request.quantity
    taken.set(key, sum)
  }
  const lotsByKey = new Map<string, (typeof open)[number][]>()
  for (const lot of open) {
    const key = keyOf(lot.venueId, lot.variantId)
    lotsByKey.set(key, [...(lotsByKey.get(key) ?? []), lot])
  }
  const lotTaken = new Map<string, number>()
  const takes = requests.map((request) => {
    const lots = lotsByKey.get(keyOf(request.venueId, request.variantId)) ?? []
    const fifo = takeFifo(lots, request.quantity)
    if (fifo === null) {
      // Σ lots = on hand is an invariant; a gap is a bug, never a reason to sell anyway.
      throw new Error(
        `Lots of ${request.variantId} at ${request.venueId} hold fewer units than on hand`,
      )
    }
    return fifo.map((take) => {
      const lot = lots.find((l) => l.id === take.lot_id) as (typeof lots)[number]
      lot.remaining -= take.quantity
      lotTaken.set(take.lot_id, (lotTaken.get(take.lot_id) ?? 0) + take.quantity)
      return { ...take, delivered_at: lot.delivered_at }
    })
  })
  const write = () =>
    Promise.all([
      tx.execute(sql`update ${stockLevels} as l
        set on_hand = l.on_hand - t.on_hand, reserved = l.reserved - t.reserved, updated_at = t.at
        from ${recordset(
          't',
          {
            venue_id: 'text',
            variant_id: 'text',
            on_hand: 'int',
            reserved: 'int',
            at: 'timestamptz',
          },
          [...taken.values()],
        )}
        where l.venue_id = t.venue_id and l.variant_id = t.variant_id`),
      tx.execute(sql`update ${stockLots} as l set remaining = l.remaining - t.quantity
        from ${recordset(
          't',
          { id: 'text', quantity: 'int' },
          [...lotTaken].map(([id, quantity]) => ({ id, quantity })),
        )}
        where l.id = t.id`),
    ])
  return { takes, write }
}

/**
 * Takes `quantity` units out of a venue's stock, oldest lots first (`planTakes` with
 * one request). Too few → 409 `insufficient_stock` with `available`.
 */
export async function takeUnits(
  tx: Executor,
  context: Pick<MovementContext, 'venueId' | 'variantId' | 'at'>,
  quantity: number,
  options: { fromReserved?: boolean; path?: string } = {},
): Promise<TakenLot[]> {
  const request: TakeRequest = { venueId: context.venueId, variantId: context.variantId, quantity }
  if (options.fromReserved !== undefined) request.fromReserved = options.fromReserved
  if (options.path !== undefined) request.path = options.path
  const planned = await planTakes(tx, [request], context.at)
  await planned.write()
  return planned.takes[0] as TakenLot[]
}

/** Movements for units taken by `takeUnits`: one per lot. */
export interface Removal {
  context: MovementContext
  kind: StockMovementKind
  takes: readonly LotTake[]
  fromReserved?: boolean
}

/** The movements of many removals, in one statement. */
export async function writeRemovalsMany(tx: Executor, removals: readonly Removal[]): Promise<void> {
  const rows = removals.flatMap(({ context, kind, takes, fromReserved }) =>
    takes.map((take) =>
      movementRow(
        context,
        kind,
        -take.quantity,
        fromReserved === true ? -take.quantity : 0,
        take.lot_id,
      ),
    ),
  )
  await insertRows(tx, stockMovements, rows)
}

/** One movement per lot taken by `takeUnits`. */
export function writeRemovals(
  tx: Executor,
  context: MovementContext,
  kind: StockMovementKind,
  takes: readonly LotTake[],
  fromReserved = false,
): Promise<void> {
  return writeRemovalsMany(tx, [{ context, kind, takes, fromReserved }])
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

/** Units to hold (`holdStockMany`): where, how many, and the request field to blame. */
export interface Hold {
  context: MovementContext
  quantity: number
  path?: string
}

/**
 * Holds available units for many requests at once (checkouts, a transfer): the levels are
 * locked by one statement in (venue, variant) order, checked in code in the order given,
 * then updated by one statement and the movements written by another. Too few available
 * for any request → 409 with `available` for it, and nothing is held.
 */
export async function holdStockMany(tx: Executor, holds: readonly Hold[]): Promise<void> {
  if (holds.length === 0) return
  const locked = await lockLevels(
    tx,
    holds.map((hold) => hold.context),
  )
  const added = new Map<
    string,
    { venue_id: string; variant_id: string; reserved: number; at: string }
  >()
  for (const { context, quantity, path } of holds) {
    const key = keyOf(context.venueId, context.variantId)
    const level = locked.get(key) ?? { onHand: 0, reserved: 0 }
    const available = level.onHand - level.reserved
    if (available < quantity) throw insufficient(context.variantId, available, quantity, path)
    level.reserved += quantity
    locked.set(key, level)
    const sum = added.get(key) ?? {
      venue_id: context.venueId,
      variant_id: context.variantId,
      reserved: 0,
      at: context.at.toISOString(),
    }
    sum.reserved += quantity
    added.set(key, sum)
  }
  // Sent together: the connection runs them in order, in one round trip.
  await Promise.all([
    tx.execute(sql`update ${stockLevels} as l
      set reserved = l.reserved + t.reserved, updated_at = t.at
      from ${recordset(
        't',
        { venue_id: 'text', variant_id: 'text', reserved: 'int', at: 'timestamptz' },
        [...added.values()],
      )}
      where l.venue_id = t.venue_id and l.variant_id = t.variant_id`),
    insertRows(
      tx,
      stockMovements,
      holds.map((hold) => movementRow(hold.context, 'reserve', 0, hold.quantity, null)),
    ),
  ])
}

/** Holds `quantity` available units (a checkout, a transfer); too few → 409, nothing held. */
export function holdStock(
  tx: Executor,
  context: MovementContext,
  quantity: number,
  path?: string,
): Promise<void> {
  return holdStockMany(tx, [
    path === undefined ? { context, quantity } : { context, quantity, path },
  ])
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
 * count, goods back after a refund): the level grows and one movement names the lot.
 */
export async function addStock(
  tx: Executor,
  context: MovementContext,
  kind: StockMovementKind,
  quantity: number,
  lot: {
    source: StockLotSource
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
