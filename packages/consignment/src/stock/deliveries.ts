import { assertRole, type Page } from '@mitra/catalog'
import { newId } from '@mitra/core'
import {
  type DeliveryLineRow,
  type DeliveryRow,
  deliveries,
  deliveryLines,
  type Executor,
} from '@mitra/db'
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
  invalid,
  iso,
  isoOrNull,
  loadVariants,
  mapUniqueViolation,
  notFound,
  nowOf,
  pageOf,
  parseInput,
  type StockScope,
  variantOf,
  wrongStatus,
} from './internal.js'
import { addStock, inLockOrder } from './ledger.js'
import {
  type Delivery,
  type ListDeliveriesQuery,
  listDeliveriesQuerySchema,
  type ReceiveDeliveryInput,
  receiveDeliverySchema,
  type SendDeliveryInput,
  sendDeliverySchema,
} from './schemas.js'

const deliveryUniques = {
  deliveries_note_number_unique: {
    path: 'note_number',
    message: 'You already sent a delivery note with this number',
  },
}

function toDelivery(row: DeliveryRow, lines: DeliveryLineRow[]): Delivery {
  const out = lines
    .sort((a, b) => a.position - b.position)
    .map((line) => ({
      variant_id: line.variantId,
      quantity_sent: line.quantitySent,
      quantity_received: line.quantityReceived,
      discrepancy:
        line.quantityReceived === null ? null : line.quantityReceived - line.quantitySent,
      lot_id: line.lotId,
    }))
  return {
    id: row.id,
    producer_id: row.producerId,
    venue_id: row.venueId,
    note_number: row.noteNumber,
    status: row.status,
    note: row.note,
    received_note: row.receivedNote,
    sent_at: iso(row.sentAt),
    received_at: isoOrNull(row.receivedAt),
    lines: out,
    has_discrepancies: out.some((line) => line.discrepancy !== null && line.discrepancy !== 0),
  }
}

async function linesOf(db: Executor, ids: string[]): Promise<Map<string, DeliveryLineRow[]>> {
  return childrenOf(
    ids,
    () =>
      db
        .select()
        .from(deliveryLines)
        .where(inArray(deliveryLines.deliveryId, ids))
        .orderBy(asc(deliveryLines.deliveryId), asc(deliveryLines.position)),
    (row) => row.deliveryId,
  )
}

/** A delivery the scope is party to (as producer or venue), optionally locked; else 404. */
async function findDelivery(
  db: Executor,
  scope: StockScope,
  id: string,
  lock = false,
): Promise<DeliveryRow> {
  const query = db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.id, id),
        or(eq(deliveries.producerId, scope.partyId), eq(deliveries.venueId, scope.partyId)),
      ),
    )
  const [row] = lock ? await query.for('update') : await query
  if (row === undefined) throw notFound('delivery', id)
  return row
}

/**
 * The producer sends a delivery note (surat jalan) to a venue it has an agreement in force
 * with. Its variants only (another's → 404); a note number it used before → 409.
 */
export async function sendDelivery(
  db: Executor,
  scope: StockScope,
  input: SendDeliveryInput,
  options?: At,
): Promise<Delivery> {
  assertRole(scope, 'staff')
  const data = parseInput(sendDeliverySchema, input)
  assertDistinctVariants(data.lines)
  const now = nowOf(options)
  try {
    return await atomically(db, async (tx) => {
      await loadVariants(tx, data.lines, { producerId: scope.partyId })
      await agreementInForce(tx, scope.partyId, data.venue_id, 'venue_id')
      const [row] = await tx
        .insert(deliveries)
        .values({
          id: newId('dlv'),
          producerId: scope.partyId,
          venueId: data.venue_id,
          noteNumber: data.note_number,
          status: 'sent',
          note: data.note ?? null,
          sentAt: now,
          sentBy: scope.actorId ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
      if (row === undefined) throw new Error('insert returned no delivery')
      const lines = await tx
        .insert(deliveryLines)
        .values(
          data.lines.map((line, position) => ({
            deliveryId: row.id,
            position,
            variantId: line.variant_id,
            quantitySent: line.quantity,
          })),
        )
        .returning()
      return toDelivery(row, lines)
    })
  } catch (error) {
    mapUniqueViolation(error, deliveryUniques)
  }
}

/**
 * The venue confirms a delivery with what it counted, line by line: the received units
 * become stock (one lot per line, dated now) under the agreement in force, and any
 * difference from the note stays on the delivery for both sides to see. Only the venue
 * confirms (the producer gets 403); a second confirmation is a 409.
 */
export async function receiveDelivery(
  db: Executor,
  scope: StockScope,
  deliveryId: string,
  input: ReceiveDeliveryInput,
  options?: At,
): Promise<Delivery> {
  assertRole(scope, 'staff')
  const data = parseInput(receiveDeliverySchema, input)
  assertDistinctVariants(data.lines)
  const now = nowOf(options)
  return atomically(db, async (tx) => {
    const delivery = await findDelivery(tx, scope, deliveryId, true)
    if (delivery.venueId !== scope.partyId) {
      throw forbidden('Only the venue that received the goods confirms a delivery')
    }
    if (delivery.status !== 'sent') {
      throw wrongStatus('delivery', deliveryId, delivery.status, 'received')
    }
    const lines = (await linesOf(tx, [deliveryId])).get(deliveryId) ?? []
    const sent = new Map<string, DeliveryLineRow>(lines.map((line) => [line.variantId, line]))
    data.lines.forEach((line, index) => {
      if (!sent.has(line.variant_id)) {
        throw invalid(
          `lines.${index}.variant_id`,
          'not_on_note',
          `variant '${line.variant_id}' is not on this delivery note`,
        )
      }
    })
    const counted = new Map<string, number>(
      data.lines.map((line) => [line.variant_id, line.quantity]),
    )
    for (const line of lines) {
      if (!counted.has(line.variantId)) {
        throw invalid(
          'lines',
          'missing_line',
          `say how many of variant '${line.variantId}' arrived (0 if none)`,
        )
      }
    }
    const agreement = await agreementInForce(tx, delivery.producerId, delivery.venueId)
    const variants = await loadVariants(
      tx,
      lines.map((line) => ({ variant_id: line.variantId })),
    )
    const received: DeliveryLineRow[] = []
    for (const { line } of inLockOrder(lines.map((l) => ({ ...l, variant_id: l.variantId })))) {
      const quantity = counted.get(line.variantId) ?? 0
      let lotId: string | null = null
      if (quantity > 0) {
        const price = variantOf(variants, line.variantId).price
        lotId = await addStock(
          tx,
          {
            venueId: delivery.venueId,
            producerId: delivery.producerId,
            variantId: line.variantId,
            agreementId: agreement.id,
            agreementVersion: agreement.version,
            documentId: delivery.id,
            reference: delivery.noteNumber,
            reason: data.note ?? null,
            actor: actorOf(scope),
            at: now,
          },
          'receipt',
          quantity,
          {
            source: 'delivery',
            deliveredAt: now,
            unitPriceAmount: price?.amount ?? null,
            currency: price?.currency ?? null,
          },
        )
      }
      await tx
        .update(deliveryLines)
        .set({ quantityReceived: quantity, lotId })
        .where(
          and(eq(deliveryLines.deliveryId, deliveryId), eq(deliveryLines.position, line.position)),
        )
      received.push({
        deliveryId,
        position: line.position,
        variantId: line.variantId,
        quantitySent: line.quantitySent,
        quantityReceived: quantity,
        lotId,
      })
    }
    const [row] = await tx
      .update(deliveries)
      .set({
        status: 'received',
        receivedAt: now,
        receivedBy: scope.actorId ?? null,
        receivedNote: data.note ?? null,
        updatedAt: now,
      })
      .where(and(eq(deliveries.id, deliveryId), eq(deliveries.status, 'sent')))
      .returning()
    if (row === undefined) throw wrongStatus('delivery', deliveryId, 'received', 'received')
    return toDelivery(row, received)
  })
}

/** The producer withdraws a delivery note the venue has not confirmed yet. */
export async function cancelDelivery(
  db: Executor,
  scope: StockScope,
  deliveryId: string,
  options?: At,
): Promise<Delivery> {
  assertRole(scope, 'staff')
  const now = nowOf(options)
  return atomically(db, async (tx) => {
    const delivery = await findDelivery(tx, scope, deliveryId, true)
    if (delivery.producerId !== scope.partyId) {
      throw forbidden('Only the producer that sent a delivery note withdraws it')
    }
    if (delivery.status !== 'sent') {
      throw wrongStatus('delivery', deliveryId, delivery.status, 'cancelled')
    }
    const [row] = await tx
      .update(deliveries)
      .set({ status: 'cancelled', updatedAt: now })
      .where(eq(deliveries.id, deliveryId))
      .returning()
    if (row === undefined) throw new Error('update returned no delivery')
    return toDelivery(row, (await linesOf(tx, [deliveryId])).get(deliveryId) ?? [])
  })
}

/** A delivery as both its producer and its venue see it; anyone else gets 404. */
export async function getDelivery(
  db: Executor,
  scope: StockScope,
  deliveryId: string,
): Promise<Delivery> {
  assertRole(scope, 'staff')
  const row = await findDelivery(db, scope, deliveryId)
  return toDelivery(row, (await linesOf(db, [deliveryId])).get(deliveryId) ?? [])
}

/** Deliveries the scope sent or received, newest first. */
export async function listDeliveries(
  db: Executor,
  scope: StockScope,
  query: ListDeliveriesQuery = {},
): Promise<Page<Delivery>> {
  assertRole(scope, 'staff')
  const { status, cursor, limit } = parseInput(listDeliveriesQuerySchema, query)
  const after = cursorId(cursor)
  const conditions: SQL[] = [
    or(eq(deliveries.producerId, scope.partyId), eq(deliveries.venueId, scope.partyId)) as SQL,
  ]
  if (status !== undefined) conditions.push(eq(deliveries.status, status))
  if (after !== undefined) conditions.push(lt(deliveries.id, after))
  const rows = await db
    .select()
    .from(deliveries)
    .where(and(...conditions))
    .orderBy(desc(deliveries.id))
    .limit(limit + 1)
  const { page, next } = pageOf(rows, limit, (row) => row.id)
  const lines = await linesOf(
    db,
    page.map((row) => row.id),
  )
  return { data: page.map((row) => toDelivery(row, lines.get(row.id) ?? [])), next_cursor: next }
}
