import { assertRole, type Page } from '@mitra/catalog'
import { MitraError, newId } from '@mitra/core'
import {
  type Executor,
  type StockReturnLineRow,
  type StockReturnRow,
  type StockReturnSource,
  stockReturnLines,
  stockReturns,
} from '@mitra/db'
import { and, asc, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm'
import {
  type At,
  actorOf,
  assertDistinctVariants,
  atomically,
  childrenOf,
  cursorId,
  governingAgreement,
  invalid,
  iso,
  isoOrNull,
  loadVariants,
  notFound,
  nowOf,
  pageOf,
  parseInput,
  type StockScope,
  wrongStatus,
} from './internal.js'
import { inLockOrder, removeStock } from './ledger.js'
import {
  type ConfirmReturnInput,
  confirmReturnSchema,
  type ListReturnsQuery,
  listReturnsQuerySchema,
  type RequestReturnInput,
  requestReturnSchema,
  type StockReturn,
} from './schemas.js'

export function toStockReturn(row: StockReturnRow, lines: StockReturnLineRow[]): StockReturn {
  return {
    id: row.id,
    venue_id: row.venueId,
    producer_id: row.producerId,
    status: row.status,
    source: row.source,
    reason: row.reason,
    requested_at: iso(row.requestedAt),
    requested_by: row.requestedBy,
    closed_at: isoOrNull(row.closedAt),
    closed_by: row.closedBy,
    lines: lines.map((line) => ({
      variant_id: line.variantId,
      quantity_requested: line.quantityRequested,
      quantity_confirmed: line.quantityConfirmed,
    })),
  }
}

export async function returnLinesOf(
  tx: Executor,
  ids: string[],
): Promise<Map<string, StockReturnLineRow[]>> {
  return childrenOf(
    ids,
    () =>
      tx
        .select()
        .from(stockReturnLines)
        .where(inArray(stockReturnLines.returnId, ids))
        .orderBy(asc(stockReturnLines.returnId), asc(stockReturnLines.variantId)),
    (row) => row.returnId,
  )
}

/** Writes a return request and its lines (no stock moves until it is confirmed). */
export async function insertReturn(
  tx: Executor,
  values: {
    venueId: string
    producerId: string
    source: StockReturnSource
    reason: string | null
    requestedBy: string | null
    at: Date
    lines: { variantId: string; quantity: number }[]
  },
): Promise<StockReturn> {
  const [row] = await tx
    .insert(stockReturns)
    .values({
      id: newId('ret'),
      venueId: values.venueId,
      producerId: values.producerId,
      status: 'requested',
      source: values.source,
      reason: values.reason,
      requestedAt: values.at,
      requestedBy: values.requestedBy,
      createdAt: values.at,
      updatedAt: values.at,
    })
    .returning()
  if (row === undefined) throw new Error('insert returned no return')
  const lines = await tx
    .insert(stockReturnLines)
    .values(
      values.lines.map((line) => ({
        returnId: row.id,
        variantId: line.variantId,
        quantityRequested: line.quantity,
      })),
    )
    .returning()
  return toStockReturn(
    row,
    lines.sort((a, b) => (a.variantId < b.variantId ? -1 : 1)),
  )
}

/** A return the scope is party to, optionally locked; anyone else gets 404. */
async function findReturn(
  tx: Executor,
  scope: StockScope,
  id: string,
  lock = false,
): Promise<StockReturnRow> {
  const query = tx
    .select()
    .from(stockReturns)
    .where(
      and(
        eq(stockReturns.id, id),
        or(eq(stockReturns.venueId, scope.partyId), eq(stockReturns.producerId, scope.partyId)),
      ),
    )
  const [row] = lock ? await query.for('update') : await query
  if (row === undefined) throw notFound('return', id)
  return row
}

/**
 * Either side asks for goods to go back to the producer: the producer (its own variants)
 * or the venue. Stock stays where it is until the return is confirmed. The two parties
 * must have (or have had) a consignment agreement; otherwise the other party is a 404.
 */
export async function requestReturn(
  db: Executor,
  scope: StockScope,
  input: RequestReturnInput,
  options?: At,
): Promise<StockReturn> {
  assertRole(scope, 'staff')
  const data = parseInput(requestReturnSchema, input)
  const side =
    scope.partyId === data.producer_id
      ? 'producer'
      : scope.partyId === data.venue_id
        ? 'venue'
        : null
  if (side === null) throw notFound('venue', data.venue_id, 'venue_id')
  assertDistinctVariants(data.lines)
  const now = nowOf(options)
  return atomically(db, async (tx) => {
    const agreement = await governingAgreement(tx, data.producer_id, data.venue_id)
    if (agreement === undefined) {
      throw side === 'producer'
        ? notFound('venue', data.venue_id, 'venue_id')
        : notFound('producer', data.producer_id, 'producer_id')
    }
    await loadVariants(tx, data.lines, { producerId: data.producer_id })
    return insertReturn(tx, {
      venueId: data.venue_id,
      producerId: data.producer_id,
      source: side,
      reason: data.reason ?? null,
      requestedBy: scope.partyId,
      at: now,
      lines: data.lines.map((line) => ({ variantId: line.variant_id, quantity: line.quantity })),
    })
  })
}

/**
 * Confirms a return with the quantities handed back (each at most what was requested;
 * without `lines`, all of it): they leave the venue's available stock, oldest lots first.
 * Either side may confirm. Fewer available than confirmed → 409 `insufficient_stock` and
 * nothing changes; a return already confirmed or cancelled → 409.
 */
export async function confirmReturn(
  db: Executor,
  scope: StockScope,
  returnId: string,
  input: ConfirmReturnInput = {},
  options?: At,
): Promise<StockReturn> {
  assertRole(scope, 'staff')
  const data = parseInput(confirmReturnSchema, input)
  if (data.lines !== undefined) assertDistinctVariants(data.lines)
  const now = nowOf(options)
  return atomically(db, async (tx) => {
    const ret = await findReturn(tx, scope, returnId, true)
    if (ret.status !== 'requested') throw wrongStatus('return', returnId, ret.status, 'confirmed')
    const lines = (await returnLinesOf(tx, [returnId])).get(returnId) ?? []
    const requested = new Map(lines.map((line) => [line.variantId, line.quantityRequested]))
    const confirmed = new Map<string, number>()
    if (data.lines === undefined) {
      for (const line of lines) confirmed.set(line.variantId, line.quantityRequested)
    } else {
      data.lines.forEach((line, index) => {
        const asked = requested.get(line.variant_id)
        if (asked === undefined) {
          throw invalid(
            `lines.${index}.variant_id`,
            'not_requested',
            `variant '${line.variant_id}' is not on this return`,
          )
        }
        if (line.quantity > asked) {
          throw invalid(
            `lines.${index}.quantity`,
            'too_many',
            `only ${asked} were requested; request another return for more`,
          )
        }
        confirmed.set(line.variant_id, line.quantity)
      })
      for (const line of lines) {
        if (!confirmed.has(line.variantId)) {
          throw invalid(
            'lines',
            'missing_line',
            `say how many of '${line.variantId}' went back (0 if none)`,
          )
        }
      }
    }
    const agreement = await governingAgreement(tx, ret.producerId, ret.venueId)
    if (agreement === undefined) {
      throw new MitraError('agreement_not_active', 'These parties have no consignment agreement')
    }
    const indexOf = new Map<string, number>(
      data.lines?.map((line, index) => [line.variant_id, index]) ?? [],
    )
    for (const { line } of inLockOrder(lines.map((l) => ({ ...l, variant_id: l.variantId })))) {
      const quantity = confirmed.get(line.variantId) ?? 0
      if (quantity > 0) {
        const index = indexOf.get(line.variantId)
        await removeStock(
          tx,
          {
            venueId: ret.venueId,
            producerId: ret.producerId,
            variantId: line.variantId,
            agreementId: agreement.id,
            agreementVersion: agreement.version,
            documentId: ret.id,
            reason: ret.reason ?? (ret.source === 'expiry' ? 'consignment period expired' : null),
            actor: actorOf(scope),
            at: now,
          },
          'return',
          quantity,
          { path: index === undefined ? 'lines' : `lines.${index}.quantity` },
        )
      }
      await tx
        .update(stockReturnLines)
        .set({ quantityConfirmed: quantity })
        .where(
          and(
            eq(stockReturnLines.returnId, returnId),
            eq(stockReturnLines.variantId, line.variantId),
          ),
        )
    }
    const [row] = await tx
      .update(stockReturns)
      .set({ status: 'confirmed', closedAt: now, closedBy: scope.partyId, updatedAt: now })
      .where(eq(stockReturns.id, returnId))
      .returning()
    if (row === undefined) throw new Error('update returned no return')
    return toStockReturn(row, (await returnLinesOf(tx, [returnId])).get(returnId) ?? [])
  })
}

/** Either side calls off a return that is still requested. */
export async function cancelReturn(
  db: Executor,
  scope: StockScope,
  returnId: string,
  options?: At,
): Promise<StockReturn> {
  assertRole(scope, 'staff')
  const now = nowOf(options)
  return atomically(db, async (tx) => {
    const ret = await findReturn(tx, scope, returnId, true)
    if (ret.status !== 'requested') throw wrongStatus('return', returnId, ret.status, 'cancelled')
    const [row] = await tx
      .update(stockReturns)
      .set({ status: 'cancelled', closedAt: now, closedBy: scope.partyId, updatedAt: now })
      .where(eq(stockReturns.id, returnId))
      .returning()
    if (row === undefined) throw new Error('update returned no return')
    return toStockReturn(row, (await returnLinesOf(tx, [returnId])).get(returnId) ?? [])
  })
}

/** A return as both sides see it; anyone else gets 404. */
export async function getReturn(
  db: Executor,
  scope: StockScope,
  returnId: string,
): Promise<StockReturn> {
  assertRole(scope, 'staff')
  const row = await findReturn(db, scope, returnId)
  return toStockReturn(row, (await returnLinesOf(db, [returnId])).get(returnId) ?? [])
}

/** Returns the scope is party to (requested by either side or raised at expiry), newest first. */
export async function listReturns(
  db: Executor,
  scope: StockScope,
  query: ListReturnsQuery = {},
): Promise<Page<StockReturn>> {
  assertRole(scope, 'staff')
  const { status, cursor, limit } = parseInput(listReturnsQuerySchema, query)
  const after = cursorId(cursor)
  const conditions: SQL[] = [
    or(eq(stockReturns.venueId, scope.partyId), eq(stockReturns.producerId, scope.partyId)) as SQL,
  ]
  if (status !== undefined) conditions.push(eq(stockReturns.status, status))
  if (after !== undefined) conditions.push(lt(stockReturns.id, after))
  const rows = await db
    .select()
    .from(stockReturns)
    .where(and(...conditions))
    .orderBy(desc(stockReturns.id))
    .limit(limit + 1)
  const { page, next } = pageOf(rows, limit, (row) => row.id)
  const lines = await returnLinesOf(
    db,
    page.map((row) => row.id),
  )
  return { data: page.map((row) => toStockReturn(row, lines.get(row.id) ?? [])), next_cursor: next }
}
