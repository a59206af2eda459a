import { assertRole } from '@mitra/catalog'
import { newId } from '@mitra/core'
import {
  type Database,
  type Executor,
  insertRows,
  inTransaction,
  isOneOf,
  recordset,
  type StockReservationLineRow,
  type StockReservationRow,
  stockReservationLines,
  stockReservations,
  venueSales,
} from '@mitra/db'
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm'
import type { z } from 'zod'
import {
  type Actor,
  type AgreementTerms,
  type At,
  actorOf,
  agreementKey,
  agreementsInForce,
  assertDistinctVariants,
  atomically,
  childrenOf,
  iso,
  isoOrNull,
  loadVariants,
  mapUniqueViolation,
  moneyOrNull,
  notFound,
  nowOf,
  parseInput,
  type StockScope,
  systemActor,
  variantOf,
  wrongStatus,
} from './internal.js'
import { holdStockMany, inLockOrder, openLotsOf, releaseStock } from './ledger.js'
import { salePrice, saleUniques, sellLinesOfSales } from './sales.js'
import {
  type ConvertReservationInput,
  convertReservationSchema,
  type Reservation,
  type ReserveInput,
  reserveSchema,
  type Sale,
} from './schemas.js'

function toReservation(row: StockReservationRow, lines: StockReservationLineRow[]): Reservation {
  return {
    id: row.id,
    venue_id: row.venueId,
    status: row.status,
    reference: row.reference,
    expires_at: iso(row.expiresAt),
    closed_at: isoOrNull(row.closedAt),
    sale_id: row.saleId,
    created_at: iso(row.createdAt),
    lines: lines.map((line) => ({
      variant_id: line.variantId,
      producer_id: line.producerId,
      quantity: line.quantity,
      unit_price: moneyOrNull(line.unitPriceAmount, line.currency),
    })),
  }
}

async function linesOf(
  tx: Executor,
  ids: string[],
): Promise<Map<string, StockReservationLineRow[]>> {
  return childrenOf(
    ids,
    () =>
      tx
        .select()
        .from(stockReservationLines)
        .where(isOneOf(stockReservationLines.reservationId, ids))
        .orderBy(asc(stockReservationLines.reservationId), asc(stockReservationLines.variantId)),
    (row) => row.reservationId,
  )
}

/** The venue's reservation, locked for the rest of the transaction; else 404. */
async function lockReservation(
  tx: Executor,
  scope: StockScope,
  id: string,
): Promise<StockReservationRow> {
  const [row] = await tx
    .select()
    .from(stockReservations)
    .where(and(eq(stockReservations.id, id), eq(stockReservations.venueId, scope.partyId)))
    .for('update')
  if (row === undefined) throw notFound('reservation', id)
  return row
}

/**
 * Holds units at the venue for an online checkout until `expires_at` (now + `ttl_seconds`):
 * all lines or none. More than is available → 409 `insufficient_stock` with `available`.
 * Only the venue reserves at itself (its store or widget); the agreement with each
 * variant's producer must be in force.
 */
export async function reserve(
  db: Executor,
  scope: StockScope,
  input: ReserveInput,
  options?: At,
): Promise<Reservation> {
  assertRole(scope, 'staff')
  const data = parseInput(reserveSchema, input)
  const now = nowOf(options)
  const [reservation] = await atomically(db, (tx) => reserveMany(tx, [{ scope, input: data }], now))
  return reservation as Reservation
}

/** A hold to make (`reserveMany`): by whom, and the input `reserveSchema` has parsed. */
export interface ReservationRequest {
  scope: StockScope
  input: z.output<typeof reserveSchema>
}

/**
 * Makes many reservations in the caller's transaction, by one statement per table for all
 * of them (`holdStockMany`). Each is checked as `reserve` checks one; any one refused
 * refuses the call, and nothing is held.
 */
export async function reserveMany(
  tx: Executor,
  requests: readonly ReservationRequest[],
  now: Date,
): Promise<Reservation[]> {
  for (const { scope, input } of requests) {
    assertRole(scope, 'staff')
    if (input.venue_id !== scope.partyId) throw notFound('venue', input.venue_id, 'venue_id')
    assertDistinctVariants(input.lines)
  }
  const variants = await loadVariants(
    tx,
    requests.flatMap(({ input }) => input.lines),
  )
  const agreements = await agreementsInForce(
    tx,
    requests.flatMap(({ input }) =>
      input.lines.map((line, index) => ({
        producerId: variantOf(variants, line.variant_id).producerId,
        venueId: input.venue_id,
        path: `lines.${index}.variant_id`,
      })),
    ),
  )
  const made = requests.map(({ scope, input }) => {
    const id = newId('rsv')
    const row: StockReservationRow = {
      id,
      venueId: input.venue_id,
      status: 'held',
      reference: input.reference ?? null,
      expiresAt: new Date(now.getTime() + input.ttl_seconds * 1000),
      actorPartyId: scope.partyId,
      actorId: scope.actorId ?? null,
      createdAt: now,
      closedAt: null,
      saleId: null,
    }
    const lines = input.lines.map((line, index) => {
      const variant = variantOf(variants, line.variant_id)
      const agreement = agreements.get(
        agreementKey(variant.producerId, input.venue_id),
      ) as AgreementTerms
      return { line, index, variant, agreement }
    })
    return { scope, row, lines }
  })
  const lineRows = made.map(({ row, lines }) =>
    lines.map(
      ({ line, variant, agreement }): StockReservationLineRow => ({
        reservationId: row.id,
        variantId: variant.id,
        producerId: variant.producerId,
        agreementId: agreement.id,
        agreementVersion: agreement.version,
        quantity: line.quantity,
        unitPriceAmount: line.unit_price?.amount ?? null,
        currency: line.unit_price?.currency ?? null,
      }),
    ),
  )
  const priced = made.flatMap(({ row, lines }) =>
    lines.filter(({ line }) => line.unit_price !== undefined).map((line) => ({ row, ...line })),
  )
  // Sent together, in one round trip: the reservations and their lines, then the holds.
  const [, , , open] = await Promise.all([
    insertRows(
      tx,
      stockReservations,
      made.map(({ row }) => row),
    ),
    insertRows(tx, stockReservationLines, lineRows.flat()),
    holdStockMany(
      tx,
      made.flatMap(({ scope, row, lines }) =>
        lines.map(({ line, index, variant, agreement }) => ({
          context: {
            venueId: row.venueId,
            producerId: variant.producerId,
            variantId: variant.id,
            agreementId: agreement.id,
            agreementVersion: agreement.version,
            documentId: row.id,
            reference: row.reference,
            actor: actorOf(scope),
            at: now,
          },
          quantity: line.quantity,
          path: `lines.${index}.quantity`,
        })),
      ),
    ),
    priced.length === 0
      ? []
      : openLotsOf(
          tx,
          priced.map(({ row, variant }) => ({ venueId: row.venueId, variantId: variant.id })),
        ),
  ])
  // The price the checkout will charge must be one the sale may record later.
  for (const { row, line, index, variant, agreement } of priced) {
    salePrice(
      agreement.terms,
      variant.price,
      line.unit_price ?? null,
      open.filter((lot) => lot.venueId === row.venueId && lot.variantId === variant.id),
      now,
      `lines.${index}.unit_price`,
    )
  }
  return made.map(({ row }, index) => toReservation(row, lineRows[index] ?? []))
}

/** A held reservation to turn into a sale, by the venue that holds it. */
export interface ConversionRequest {
  scope: StockScope
  reservationId: string
  /** The sale's receipt number (default: the reservation's reference, else its id). */
  receiptNumber?: string
  /** The sale's id, when the caller needs it before the sale is made (default: a new one). */
  saleId?: string
}

/**
 * Turns many held reservations into sales (channel `online`) with one statement per table
 * for all of them, in the caller's transaction. Each must be its scope's venue's (else
 * 404) and still held (else 409 with its `status`); the agreements must still be in force.
 */
export async function convertReservations(
  tx: Executor,
  requests: readonly ConversionRequest[],
  now: Date,
): Promise<Sale[]> {
  if (requests.length === 0) return []
  const ids = requests.map((request) => request.reservationId)
  // Sent together: the connection runs them in order, in one round trip.
  const [locked, lines] = await Promise.all([
    tx
      .select()
      .from(stockReservations)
      .where(isOneOf(stockReservations.id, ids))
      .orderBy(asc(stockReservations.id))
      .for('update'),
    linesOf(tx, ids),
  ])
  const byId = new Map(locked.map((row) => [row.id, row]))
  const sales = requests.map((request) => {
    const reservation = byId.get(request.reservationId)
    if (reservation === undefined || reservation.venueId !== request.scope.partyId) {
      throw notFound('reservation', request.reservationId)
    }
    if (reservation.status !== 'held') {
      throw wrongStatus('reservation', reservation.id, reservation.status, 'converted')
    }
    return {
      reservation,
      lines: lines.get(reservation.id) ?? [],
      sale: {
        id: request.saleId ?? newId('sale'),
        venueId: reservation.venueId,
        receiptNumber: request.receiptNumber ?? reservation.reference ?? reservation.id,
        at: now,
        actor: actorOf(request.scope),
      },
    }
  })
  const asLines = sales.flatMap((s) => s.lines.map((line) => ({ variant_id: line.variantId })))
  const [, variants, agreements] = await Promise.all([
    insertRows(
      tx,
      venueSales,
      sales.map(({ sale, reservation }) => ({
        id: sale.id,
        venueId: sale.venueId,
        receiptNumber: sale.receiptNumber,
        channel: 'online' as const,
        reservationId: reservation.id,
        soldAt: now,
        actorPartyId: sale.actor.partyId,
        actorId: sale.actor.actorId,
        createdAt: now,
      })),
    ),
    loadVariants(tx, asLines),
    // Each line names its producer: the agreements are read with the variants.
    agreementsInForce(
      tx,
      sales.flatMap(({ sale, lines: own }) =>
        own.map((line, index) => ({
          producerId: line.producerId,
          venueId: sale.venueId,
          path: `lines.${index}.variant_id`,
        })),
      ),
    ),
  ])
  // The stock taken, its movements and the reservations closed: written together.
  const [sold] = await Promise.all([
    sellLinesOfSales(
      tx,
      sales.map(({ sale, lines: own }) => ({
        sale,
        lines: own.map((line, index) => {
          const variant = variantOf(variants, line.variantId)
          return {
            variant,
            agreement: agreements.get(
              agreementKey(variant.producerId, sale.venueId),
            ) as AgreementTerms,
            quantity: line.quantity,
            unitPrice: moneyOrNull(line.unitPriceAmount, line.currency),
            path: `lines.${index}`,
          }
        }),
      })),
      true,
    ),
    tx.execute(sql`update ${stockReservations} as r
    set status = 'converted', closed_at = t.at, sale_id = t.sale_id
    from ${recordset(
      't',
      { id: 'text', sale_id: 'text', at: 'timestamptz' },
      sales.map(({ sale, reservation }) => ({
        id: reservation.id,
        sale_id: sale.id,
        at: now.toISOString(),
      })),
    )}
    where r.id = t.id`),
  ])
  return sales.map(({ sale, reservation }, index) => ({
    id: sale.id,
    venue_id: sale.venueId,
    receipt_number: sale.receiptNumber,
    channel: 'online' as const,
    reservation_id: reservation.id,
    sold_at: iso(now),
    lines: sold[index] as Sale['lines'],
  }))
}

/**
 * Turns a held reservation into a sale (channel `online`): the held units leave the venue,
 * priced as reserved (or at the retail price). A reservation no longer held (converted,
 * released, expired) is a 409 with its `status`; the agreement must still be in force.
 */
export async function convertReservation(
  db: Executor,
  scope: StockScope,
  reservationId: string,
  input: ConvertReservationInput = {},
  options?: At,
): Promise<Sale> {
  assertRole(scope, 'staff')
  const data = parseInput(convertReservationSchema, input)
  const now = nowOf(options)
  const request: ConversionRequest = { scope, reservationId }
  if (data.receipt_number !== undefined) request.receiptNumber = data.receipt_number
  try {
    const [sale] = await atomically(db, (tx) => convertReservations(tx, [request], now))
    return sale as Sale
  } catch (error) {
    mapUniqueViolation(error, saleUniques)
  }
}

/** Releases the held units of reservations (already locked and still held). */
async function releaseHeld(
  tx: Executor,
  reservations: StockReservationRow[],
  status: 'released' | 'expired',
  actor: Actor,
  now: Date,
): Promise<Map<string, StockReservationLineRow[]>> {
  const lines = await linesOf(
    tx,
    reservations.map((r) => r.id),
  )
  const all = reservations.flatMap((reservation) =>
    (lines.get(reservation.id) ?? []).map((line) => ({
      reservation,
      line,
      // levels are locked in (venue, variant) order whatever the reservation
      variant_id: `${reservation.venueId}/${line.variantId}`,
    })),
  )
  for (const { line: item } of inLockOrder(all)) {
    await releaseStock(
      tx,
      {
        venueId: item.reservation.venueId,
        producerId: item.line.producerId,
        variantId: item.line.variantId,
        agreementId: item.line.agreementId,
        agreementVersion: item.line.agreementVersion,
        documentId: item.reservation.id,
        reference: item.reservation.reference,
        reason: status === 'expired' ? 'reservation expired' : 'reservation released',
        actor,
        at: now,
      },
      item.line.quantity,
    )
  }
  if (reservations.length > 0) {
    await tx
      .update(stockReservations)
      .set({ status, closedAt: now })
      .where(
        inArray(
          stockReservations.id,
          reservations.map((r) => r.id),
        ),
      )
  }
  return lines
}

/** Lets go of a held reservation (the checkout was abandoned); not held → 409. */
export async function releaseReservation(
  db: Executor,
  scope: StockScope,
  reservationId: string,
  options?: At,
): Promise<Reservation> {
  assertRole(scope, 'staff')
  const now = nowOf(options)
  return atomically(db, async (tx) => {
    const reservation = await lockReservation(tx, scope, reservationId)
    if (reservation.status !== 'held') {
      throw wrongStatus('reservation', reservationId, reservation.status, 'released')
    }
    const lines = await releaseHeld(tx, [reservation], 'released', actorOf(scope), now)
    return toReservation(
      { ...reservation, status: 'released', closedAt: now },
      lines.get(reservationId) ?? [],
    )
  })
}

/** A reservation of the scope's venue; another venue's → 404. */
export async function getReservation(
  db: Executor,
  scope: StockScope,
  reservationId: string,
): Promise<Reservation> {
  assertRole(scope, 'staff')
  const [row] = await db
    .select()
    .from(stockReservations)
    .where(
      and(eq(stockReservations.id, reservationId), eq(stockReservations.venueId, scope.partyId)),
    )
  if (row === undefined) throw notFound('reservation', reservationId)
  return toReservation(row, (await linesOf(db, [reservationId])).get(reservationId) ?? [])
}

export interface ReleaseExpiredOptions {
  /** The time to compare expiries with (default: now). */
  now?: Date
  /** Most reservations released in one call (default 100). */
  limit?: number
}

/**
 * Releases held reservations whose time is up, oldest expiry first, at most `limit` per
 * call (a worker calls it in a loop). Rows are claimed with `FOR UPDATE SKIP LOCKED`, so
 * any number of instances may run it at once: each reservation is released exactly once,
 * and a checkout converting it at the same moment either wins or sees it expired.
 */
export async function releaseExpiredReservations(
  db: Database,
  options: ReleaseExpiredOptions = {},
): Promise<{ released: string[] }> {
  const now = options.now ?? new Date()
  const limit = Math.max(1, Math.min(1_000, Math.floor(options.limit ?? 100)))
  return inTransaction(db, async (tx) => {
    const due = await tx
      .select()
      .from(stockReservations)
      .where(and(eq(stockReservations.status, 'held'), lte(stockReservations.expiresAt, now)))
      .orderBy(asc(stockReservations.expiresAt), asc(stockReservations.id))
      .limit(limit)
      .for('update', { skipLocked: true })
    await releaseHeld(tx, due, 'expired', systemActor, now)
    return { released: due.map((row) => row.id) }
  })
}
