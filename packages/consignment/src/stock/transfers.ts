import { assertRole, type Page } from '@mitra/catalog'
import { MitraError, newId } from '@mitra/core'
import { type Executor, stockTransferLines, stockTransfers } from '@mitra/db'
import { and, asc, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm'
import {
  type At,
  actorOf,
  agreementInForce,
  assertDistinctVariants,
  atomically,
  childrenOf,
  cursorId,
  forbidden,
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
  variantOf,
  wrongStatus,
} from './internal.js'
import { addStock, holdStock, inLockOrder, releaseStock, removeStock } from './ledger.js'
import {
  type ListTransfersQuery,
  listTransfersQuerySchema,
  type RequestTransferInput,
  requestTransferSchema,
  type Transfer,
} from './schemas.js'

type TransferRow = typeof stockTransfers.$inferSelect
type TransferLineRow = typeof stockTransferLines.$inferSelect

function toTransfer(row: TransferRow, lines: TransferLineRow[]): Transfer {
  return {
    id: row.id,
    producer_id: row.producerId,
    from_venue_id: row.fromVenueId,
    to_venue_id: row.toVenueId,
    status: row.status,
    reason: row.reason,
    requested_at: iso(row.requestedAt),
    closed_at: isoOrNull(row.closedAt),
    lines: lines.map((line) => ({ variant_id: line.variantId, quantity: line.quantity })),
  }
}

async function linesOf(tx: Executor, ids: string[]): Promise<Map<string, TransferLineRow[]>> {
  return childrenOf(
    ids,
    () =>
      tx
        .select()
        .from(stockTransferLines)
        .where(inArray(stockTransferLines.transferId, ids))
        .orderBy(asc(stockTransferLines.transferId), asc(stockTransferLines.variantId)),
    (row) => row.transferId,
  )
}

/** A transfer the scope is party to (either venue or the producer), optionally locked. */
async function findTransfer(
  tx: Executor,
  scope: StockScope,
  id: string,
  lock = false,
): Promise<TransferRow> {
  const query = tx
    .select()
    .from(stockTransfers)
    .where(
      and(
        eq(stockTransfers.id, id),
        or(
          eq(stockTransfers.fromVenueId, scope.partyId),
          eq(stockTransfers.toVenueId, scope.partyId),
          eq(stockTransfers.producerId, scope.partyId),
        ),
      ),
    )
  const [row] = lock ? await query.for('update') : await query
  if (row === undefined) throw notFound('transfer', id)
  return row
}

/**
 * The sending venue asks to move a producer's goods to another of that producer's venues:
 * both need an agreement in force with the producer (409 `agreement_not_active` naming
 * which). The units are held at the sending venue until the receiving one confirms.
 * One producer per transfer.
 */
export async function requestTransfer(
  db: Executor,
  scope: StockScope,
  input: RequestTransferInput,
  options?: At,
): Promise<Transfer> {
  assertRole(scope, 'staff')
  const data = parseInput(requestTransferSchema, input)
  if (data.from_venue_id !== scope.partyId) {
    throw notFound('venue', data.from_venue_id, 'from_venue_id')
  }
  if (data.to_venue_id === data.from_venue_id) {
    throw invalid('to_venue_id', 'same_venue', 'a transfer goes to another venue')
  }
  assertDistinctVariants(data.lines)
  const now = nowOf(options)
  return atomically(db, async (tx) => {
    const variants = await loadVariants(tx, data.lines)
    const producerId = variantOf(variants, data.lines[0]?.variant_id ?? '').producerId
    data.lines.forEach((line, index) => {
      if (variantOf(variants, line.variant_id).producerId !== producerId) {
        throw invalid(
          `lines.${index}.variant_id`,
          'other_producer',
          'all lines of a transfer belong to one producer',
        )
      }
    })
    const sending = await agreementInForce(tx, producerId, data.from_venue_id, 'from_venue_id')
    await agreementInForce(tx, producerId, data.to_venue_id, 'to_venue_id')
    const id = newId('trf')
    const [row] = await tx
      .insert(stockTransfers)
      .values({
        id,
        producerId,
        fromVenueId: data.from_venue_id,
        toVenueId: data.to_venue_id,
        status: 'requested',
        reason: data.reason ?? null,
        requestedAt: now,
        requestedBy: scope.actorId ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
    if (row === undefined) throw new Error('insert returned no transfer')
    for (const { line, index } of inLockOrder(data.lines)) {
      await holdStock(
        tx,
        {
          venueId: data.from_venue_id,
          producerId,
          variantId: line.variant_id,
          agreementId: sending.id,
          agreementVersion: sending.version,
          documentId: id,
          reason: `transfer to ${data.to_venue_id}`,
          actor: actorOf(scope),
          at: now,
        },
        line.quantity,
        `lines.${index}.quantity`,
      )
    }
    const lines = await tx
      .insert(stockTransferLines)
      .values(
        data.lines.map((line) => ({
          transferId: id,
          variantId: line.variant_id,
          quantity: line.quantity,
        })),
      )
      .returning()
    return toTransfer(
      row,
      lines.sort((a, b) => (a.variantId < b.variantId ? -1 : 1)),
    )
  })
}

/**
 * The receiving venue confirms a transfer: the held units leave the sending venue (oldest
 * lots first) and arrive as new lots at the receiving one, dated now. Both agreements must
 * still be in force; only the receiving venue confirms (others party to it get 403).
 */
export async function receiveTransfer(
  db: Executor,
  scope: StockScope,
  transferId: string,
  options?: At,
): Promise<Transfer> {
  assertRole(scope, 'staff')
  const now = nowOf(options)
  return atomically(db, async (tx) => {
    const transfer = await findTransfer(tx, scope, transferId, true)
    if (transfer.toVenueId !== scope.partyId) {
      throw forbidden('Only the receiving venue confirms a transfer')
    }
    if (transfer.status !== 'requested') {
      throw wrongStatus('transfer', transferId, transfer.status, 'received')
    }
    const sending = await agreementInForce(tx, transfer.producerId, transfer.fromVenueId)
    const receiving = await agreementInForce(tx, transfer.producerId, transfer.toVenueId)
    const lines = (await linesOf(tx, [transferId])).get(transferId) ?? []
    const variants = await loadVariants(
      tx,
      lines.map((line) => ({ variant_id: line.variantId })),
    )
    for (const line of lines) {
      const base = {
        producerId: transfer.producerId,
        variantId: line.variantId,
        documentId: transfer.id,
        actor: actorOf(scope),
        at: now,
      }
      await removeStock(
        tx,
        {
          ...base,
          venueId: transfer.fromVenueId,
          agreementId: sending.id,
          agreementVersion: sending.version,
          reason: `transfer to ${transfer.toVenueId}`,
        },
        'transfer_out',
        line.quantity,
        { fromReserved: true },
      )
      const price = variantOf(variants, line.variantId).price
      await addStock(
        tx,
        {
          ...base,
          venueId: transfer.toVenueId,
          agreementId: receiving.id,
          agreementVersion: receiving.version,
          reason: `transfer from ${transfer.fromVenueId}`,
        },
        'transfer_in',
        line.quantity,
        {
          source: 'transfer',
          deliveredAt: now,
          unitPriceAmount: price?.amount ?? null,
          currency: price?.currency ?? null,
        },
      )
    }
    const [row] = await tx
      .update(stockTransfers)
      .set({ status: 'received', closedAt: now, closedBy: scope.actorId ?? null, updatedAt: now })
      .where(eq(stockTransfers.id, transferId))
      .returning()
    if (row === undefined) throw new Error('update returned no transfer')
    return toTransfer(row, lines)
  })
}

/** Either venue calls off a transfer still requested; the held units are free again. */
export async function cancelTransfer(
  db: Executor,
  scope: StockScope,
  transferId: string,
  options?: At,
): Promise<Transfer> {
  assertRole(scope, 'staff')
  const now = nowOf(options)
  return atomically(db, async (tx) => {
    const transfer = await findTransfer(tx, scope, transferId, true)
    if (transfer.producerId === scope.partyId) {
      throw forbidden('The venues of a transfer call it off, not the producer')
    }
    if (transfer.status !== 'requested') {
      throw wrongStatus('transfer', transferId, transfer.status, 'cancelled')
    }
    const agreement = await governingAgreement(tx, transfer.producerId, transfer.fromVenueId)
    if (agreement === undefined) {
      throw new MitraError('agreement_not_active', 'The sending venue has no agreement')
    }
    const lines = (await linesOf(tx, [transferId])).get(transferId) ?? []
    for (const line of lines) {
      await releaseStock(
        tx,
        {
          venueId: transfer.fromVenueId,
          producerId: transfer.producerId,
          variantId: line.variantId,
          agreementId: agreement.id,
          agreementVersion: agreement.version,
          documentId: transfer.id,
          reason: 'transfer cancelled',
          actor: actorOf(scope),
          at: now,
        },
        line.quantity,
      )
    }
    const [row] = await tx
      .update(stockTransfers)
      .set({ status: 'cancelled', closedAt: now, closedBy: scope.actorId ?? null, updatedAt: now })
      .where(eq(stockTransfers.id, transferId))
      .returning()
    if (row === undefined) throw new Error('update returned no transfer')
    return toTransfer(row, lines)
  })
}

/** A transfer as its venues and its producer see it; anyone else gets 404. */
export async function getTransfer(
  db: Executor,
  scope: StockScope,
  transferId: string,
): Promise<Transfer> {
  assertRole(scope, 'staff')
  const row = await findTransfer(db, scope, transferId)
  return toTransfer(row, (await linesOf(db, [transferId])).get(transferId) ?? [])
}

/** Transfers the scope sends, receives or owns the goods of, newest first. */
export async function listTransfers(
  db: Executor,
  scope: StockScope,
  query: ListTransfersQuery = {},
): Promise<Page<Transfer>> {
  assertRole(scope, 'staff')
  const { status, cursor, limit } = parseInput(listTransfersQuerySchema, query)
  const after = cursorId(cursor)
  const conditions: SQL[] = [
    or(
      eq(stockTransfers.fromVenueId, scope.partyId),
      eq(stockTransfers.toVenueId, scope.partyId),
      eq(stockTransfers.producerId, scope.partyId),
    ) as SQL,
  ]
  if (status !== undefined) conditions.push(eq(stockTransfers.status, status))
  if (after !== undefined) conditions.push(lt(stockTransfers.id, after))
  const rows = await db
    .select()
    .from(stockTransfers)
    .where(and(...conditions))
    .orderBy(desc(stockTransfers.id))
    .limit(limit + 1)
  const { page, next } = pageOf(rows, limit, (row) => row.id)
  const lines = await linesOf(
    db,
    page.map((row) => row.id),
  )
  return { data: page.map((row) => toTransfer(row, lines.get(row.id) ?? [])), next_cursor: next }
}
