import { assertRole, type Page } from '@mitra/catalog'
import { MitraError, type Money, money, multiply, newId } from '@mitra/core'
import { type Executor, type StockObligationRow, stockMovements, stockObligations } from '@mitra/db'
import { and, asc, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm'
import type { Bearer, ConsignmentTerms } from '../terms.js'
import { splitByBearer } from './aging.js'
import {
  type AgreementTerms,
  type At,
  actorOf,
  assertDistinctVariants,
  atomically,
  cursorId,
  governingAgreement,
  invalid,
  iso,
  loadVariants,
  notFound,
  nowOf,
  pageOf,
  parseInput,
  type StockScope,
  variantOf,
} from './internal.js'
import { inLockOrder, removeStock } from './ledger.js'
import {
  type ListObligationsQuery,
  listObligationsQuerySchema,
  type Obligation,
  type RecordWriteOffInput,
  recordWriteOffSchema,
} from './schemas.js'

/** What damaged or lost goods are worth and who carries it, by the agreement's liability. */
export interface Liability {
  bearer: Bearer
  total: Money
  venue_owes: Money
  producer_bears: Money
}

/**
 * The liability for `quantity` units worth `unitValue` each, damaged or lost under `terms`:
 * `damage_liability` or `loss_liability` says whether the venue owes the producer the
 * whole value, none of it, or half (an odd minor unit to the venue).
 */
export function liabilityFor(
  terms: Pick<ConsignmentTerms, 'damage_liability' | 'loss_liability'>,
  kind: 'damage' | 'loss',
  unitValue: Money,
  quantity: number,
): Liability {
  const bearer = kind === 'damage' ? terms.damage_liability : terms.loss_liability
  const total = multiply(unitValue, quantity)
  const split = splitByBearer(total, bearer)
  return { bearer, total, venue_owes: split.venue, producer_bears: split.producer }
}

function toObligation(row: StockObligationRow, lots: { lot_id: string; quantity: number }[]) {
  const m = (amount: number) => ({ ...money(amount, row.currency) })
  return {
    id: row.id,
    venue_id: row.venueId,
    producer_id: row.producerId,
    variant_id: row.variantId,
    agreement_id: row.agreementId,
    agreement_version: row.agreementVersion,
    kind: row.kind,
    quantity: row.quantity,
    basis: row.basis,
    unit_value: m(row.unitValueAmount),
    bearer: row.bearer,
    total: m(row.totalAmount),
    venue_owes: m(row.venueOwesAmount),
    producer_bears: m(row.producerBearsAmount),
    reason: row.reason,
    lots,
    created_at: iso(row.createdAt),
  } satisfies Obligation
}

/**
 * The venue writes off damaged or lost goods: they leave its available stock (oldest lots
 * first) and each line records an obligation to the producer by the agreement's liability
 * rule, valued at the producer's retail price or at `agreed_unit_value`. More than is
 * available → 409 `insufficient_stock`, nothing changes. The money ledger posts the
 * obligations later.
 */
export async function recordWriteOff(
  db: Executor,
  scope: StockScope,
  input: RecordWriteOffInput,
  options?: At,
): Promise<Obligation[]> {
  assertRole(scope, 'staff')
  const data = parseInput(recordWriteOffSchema, input)
  if (data.venue_id !== scope.partyId) throw notFound('venue', data.venue_id, 'venue_id')
  assertDistinctVariants(data.lines)
  const now = nowOf(options)
  return atomically(db, async (tx) => {
    const variants = await loadVariants(tx, data.lines)
    const agreements = new Map<string, AgreementTerms>()
    for (const [index, line] of data.lines.entries()) {
      const producerId = variantOf(variants, line.variant_id).producerId
      if (agreements.has(producerId)) continue
      const agreement = await governingAgreement(tx, producerId, data.venue_id)
      if (agreement === undefined) {
        const path = `lines.${index}.variant_id`
        const message = `this venue has no consignment agreement with the producer of '${line.variant_id}'`
        throw new MitraError('agreement_not_active', message, {
          errors: [{ path, code: 'agreement_not_active', message }],
        })
      }
      agreements.set(producerId, agreement)
    }
    const out: Obligation[] = new Array(data.lines.length)
    for (const { line, index } of inLockOrder(data.lines)) {
      const variant = variantOf(variants, line.variant_id)
      const agreement = agreements.get(variant.producerId) as AgreementTerms
      const value = line.agreed_unit_value ?? variant.price
      const path = `lines.${index}.agreed_unit_value`
      if (value === null) {
        throw invalid(path, 'required', 'the variant has no retail price; give agreed_unit_value')
      }
      if (value.currency !== agreement.terms.currency) {
        const message = `values under this agreement are in ${agreement.terms.currency}`
        throw new MitraError('currency_mismatch', `'${path}': ${message}`, {
          errors: [{ path, code: 'currency_mismatch', message }],
        })
      }
      const liability = liabilityFor(agreement.terms, data.kind, value, line.quantity)
      const id = newId('obl')
      const takes = await removeStock(
        tx,
        {
          venueId: data.venue_id,
          producerId: variant.producerId,
          variantId: variant.id,
          agreementId: agreement.id,
          agreementVersion: agreement.version,
          documentId: id,
          reason: data.reason,
          actor: actorOf(scope),
          at: now,
        },
        data.kind,
        line.quantity,
        { path: `lines.${index}.quantity` },
      )
      const [row] = await tx
        .insert(stockObligations)
        .values({
          id,
          venueId: data.venue_id,
          producerId: variant.producerId,
          variantId: variant.id,
          agreementId: agreement.id,
          agreementVersion: agreement.version,
          kind: data.kind,
          quantity: line.quantity,
          basis: line.agreed_unit_value === undefined ? 'retail_price' : 'agreed_price',
          unitValueAmount: value.amount,
          currency: value.currency,
          bearer: liability.bearer,
          totalAmount: liability.total.amount,
          venueOwesAmount: liability.venue_owes.amount,
          producerBearsAmount: liability.producer_bears.amount,
          reason: data.reason,
          actorPartyId: scope.partyId,
          actorId: scope.actorId ?? null,
          createdAt: now,
        })
        .returning()
      if (row === undefined) throw new Error('insert returned no obligation')
      out[index] = toObligation(
        row,
        takes.map((take) => ({ lot_id: take.lot_id, quantity: take.quantity })),
      )
    }
    return out
  })
}

/** Obligations from damage and loss the scope is party to (venue or producer), newest first. */
export async function listObligations(
  db: Executor,
  scope: StockScope,
  query: ListObligationsQuery = {},
): Promise<Page<Obligation>> {
  assertRole(scope, 'staff')
  const { cursor, limit } = parseInput(listObligationsQuerySchema, query)
  const after = cursorId(cursor)
  const conditions: SQL[] = [
    or(
      eq(stockObligations.venueId, scope.partyId),
      eq(stockObligations.producerId, scope.partyId),
    ) as SQL,
  ]
  if (after !== undefined) conditions.push(lt(stockObligations.id, after))
  const rows = await db
    .select()
    .from(stockObligations)
    .where(and(...conditions))
    .orderBy(desc(stockObligations.id))
    .limit(limit + 1)
  const { page, next } = pageOf(rows, limit, (row) => row.id)
  const lots = new Map<string, { lot_id: string; quantity: number }[]>(
    page.map((row) => [row.id, []]),
  )
  if (page.length > 0) {
    const movements = await db
      .select({
        documentId: stockMovements.documentId,
        lotId: stockMovements.lotId,
        delta: stockMovements.onHandDelta,
      })
      .from(stockMovements)
      .where(
        inArray(
          stockMovements.documentId,
          page.map((row) => row.id),
        ),
      )
      .orderBy(asc(stockMovements.id))
    for (const movement of movements) {
      if (movement.documentId === null || movement.lotId === null) continue
      lots.get(movement.documentId)?.push({ lot_id: movement.lotId, quantity: -movement.delta })
    }
  }
  return {
    data: page.map((row) => toObligation(row, lots.get(row.id) ?? [])),
    next_cursor: next,
  }
}
