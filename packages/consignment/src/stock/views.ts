import { assertRole, type Page } from '@mitra/catalog'
import {
  agreements,
  deliveries,
  deliveryLines,
  type Executor,
  parties,
  products,
  productVariants,
  refundedGoods,
  type StockMovementRow,
  stockLevels,
  stockLots,
  stockMovements,
} from '@mitra/db'
import { and, asc, desc, eq, exists, gt, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { daysOnConsignment } from './aging.js'
import {
  type At,
  cursorId,
  iso,
  moneyOrNull,
  notFound,
  nowOf,
  pageOf,
  parseInput,
  type StockScope,
} from './internal.js'
import { levelColumns } from './ledger.js'
import {
  type AvailableQuery,
  type AvailableVariant,
  availableQuerySchema,
  type ListMovementsQuery,
  listMovementsQuerySchema,
  type Movement,
  type ProducerStock,
  type StockViewQuery,
  stockViewQuerySchema,
  type VenueStock,
} from './schemas.js'

/** Indonesia's western time (WIB), UTC+7 all year: where "this month" starts. */
const wibOffsetMs = 7 * 3_600_000

/** The start of the calendar month (in WIB) that `now` falls in. */
export function startOfMonthWib(now: Date): Date {
  const local = new Date(now.getTime() + wibOffsetMs)
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - wibOffsetMs)
}

function sinceOf(since: string | undefined, now: Date): Date {
  return since === undefined ? startOfMonthWib(now) : new Date(since)
}

const levelKey = (venueId: string, variantId: string) => `${venueId}|${variantId}`

/**
 * The producer's stock at every venue, per variant, derived live from the ledger: on hand,
 * reserved, available, units sold since `since` (default: the start of this month, WIB),
 * units refunded since then whose goods came back on the shelf or were written off, the
 * age of the oldest lot still there, and delivery discrepancies (received − sent).
 * The venue sees the same numbers in `venueStock` and `listMovements`.
 */
export async function producerStock(
  db: Executor,
  scope: StockScope,
  query: StockViewQuery = {},
  options?: At,
): Promise<ProducerStock> {
  assertRole(scope, 'staff')
  const data = parseInput(stockViewQuerySchema, query)
  const now = nowOf(options)
  const since = sinceOf(data.since, now)
  const producerId = scope.partyId
  const venue = (column: PgColumn): SQL[] =>
    data.venue_id === undefined ? [] : [eq(column, data.venue_id)]

  const [levels, sold, refunded, oldest, discrepancies] = await Promise.all([
    db
      .select(levelColumns)
      .from(stockLevels)
      .where(and(eq(stockLevels.producerId, producerId), ...venue(stockLevels.venueId))),
    db
      .select({
        venueId: stockMovements.venueId,
        variantId: stockMovements.variantId,
        units: sql<number>`(-sum(${stockMovements.onHandDelta}))::int`,
      })
      .from(stockMovements)
      .where(
        and(
          eq(stockMovements.producerId, producerId),
          eq(stockMovements.kind, 'sale'),
          gte(stockMovements.createdAt, since),
          ...venue(stockMovements.venueId),
        ),
      )
      .groupBy(stockMovements.venueId, stockMovements.variantId),
    db
      .select({
        venueId: refundedGoods.venueId,
        variantId: refundedGoods.variantId,
        goods: refundedGoods.goods,
        units: sql<number>`sum(${refundedGoods.quantity})::int`,
      })
      .from(refundedGoods)
      .where(
        and(
          eq(refundedGoods.producerId, producerId),
          gte(refundedGoods.createdAt, since),
          ...venue(refundedGoods.venueId),
        ),
      )
      .groupBy(refundedGoods.venueId, refundedGoods.variantId, refundedGoods.goods),
    db
      .select({
        venueId: stockLots.venueId,
        variantId: stockLots.variantId,
        deliveredAt: sql<Date>`min(${stockLots.deliveredAt})`.mapWith(stockLots.deliveredAt),
      })
      .from(stockLots)
      .where(
        and(
          eq(stockLots.producerId, producerId),
          gt(stockLots.remaining, 0),
          ...venue(stockLots.venueId),
        ),
      )
      .groupBy(stockLots.venueId, stockLots.variantId),
    db
      .select({
        venueId: deliveries.venueId,
        variantId: deliveryLines.variantId,
        difference: sql<number>`sum(${deliveryLines.quantityReceived} - ${deliveryLines.quantitySent})::int`,
      })
      .from(deliveryLines)
      .innerJoin(deliveries, eq(deliveries.id, deliveryLines.deliveryId))
      .where(
        and(
          eq(deliveries.producerId, producerId),
          eq(deliveries.status, 'received'),
          ...venue(deliveries.venueId),
        ),
      )
      .groupBy(deliveries.venueId, deliveryLines.variantId),
  ])

  type Row = ProducerStock['rows'][number]
  const rows = new Map<string, Row>()
  const rowOf = (venueId: string, variantId: string): Row => {
    const key = levelKey(venueId, variantId)
    let row = rows.get(key)
    if (row === undefined) {
      row = {
        venue_id: venueId,
        venue_name: '',
        variant_id: variantId,
        sku: '',
        on_hand: 0,
        reserved: 0,
        available: 0,
        sold: 0,
        refunded_restocked: 0,
        refunded_written_off: 0,
        oldest_lot_age_days: null,
        discrepancy: 0,
      }
      rows.set(key, row)
    }
    return row
  }
  for (const level of levels) {
    const row = rowOf(level.venueId, level.variantId)
    row.on_hand = level.onHand
    row.reserved = level.reserved
    row.available = level.onHand - level.reserved
  }
  for (const entry of sold) rowOf(entry.venueId, entry.variantId).sold = Number(entry.units)
  for (const entry of refunded) {
    const row = rowOf(entry.venueId, entry.variantId)
    if (entry.goods === 'restock') row.refunded_restocked = Number(entry.units)
    else if (entry.goods === 'written_off') row.refunded_written_off = Number(entry.units)
  }
  for (const entry of oldest) {
    rowOf(entry.venueId, entry.variantId).oldest_lot_age_days = daysOnConsignment(
      new Date(entry.deliveredAt),
      now,
    )
  }
  for (const entry of discrepancies) {
    rowOf(entry.venueId, entry.variantId).discrepancy = Number(entry.difference)
  }
  const all = [...rows.values()]
  const [names, skus] = await Promise.all([
    partyNames(
      db,
      all.map((row) => row.venue_id),
    ),
    variantSkus(
      db,
      all.map((row) => row.variant_id),
    ),
  ])
  for (const row of all) {
    row.venue_name = names.get(row.venue_id) ?? ''
    row.sku = skus.get(row.variant_id) ?? ''
  }
  all.sort(
    (a, b) =>
      a.venue_name.localeCompare(b.venue_name) ||
      a.venue_id.localeCompare(b.venue_id) ||
      a.sku.localeCompare(b.sku),
  )
  return { producer_id: producerId, since: iso(since), rows: all }
}

async function partyNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const rows = await db
    .select({ id: parties.id, name: parties.name })
    .from(parties)
    .where(inArray(parties.id, unique))
  return new Map(rows.map((row) => [row.id, row.name]))
}

async function variantSkus(db: Executor, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const rows = await db
    .select({ id: productVariants.id, sku: productVariants.sku })
    .from(productVariants)
    .where(inArray(productVariants.id, unique))
  return new Map(rows.map((row) => [row.id, row.sku]))
}

/**
 * The venue's stock by producer, derived live: on hand, reserved, available, and units sold
 * since `since` (default: this month, WIB). Money is not counted here: what the venue owes
 * each producer is read from the revenue-share ledger, the one home for money (refunds,
 * online sales the platform collected and remittances already made are only there).
 */
export async function venueStock(
  db: Executor,
  scope: StockScope,
  query: StockViewQuery = {},
  options?: At,
): Promise<VenueStock> {
  assertRole(scope, 'staff')
  const data = parseInput(stockViewQuerySchema, query)
  if (data.venue_id !== undefined && data.venue_id !== scope.partyId) {
    throw notFound('venue', data.venue_id, 'venue_id')
  }
  const now = nowOf(options)
  const since = sinceOf(data.since, now)
  const venueId = scope.partyId

  const [levels, sales] = await Promise.all([
    db
      .select({
        producerId: stockLevels.producerId,
        onHand: sql<number>`sum(${stockLevels.onHand})::int`,
        reserved: sql<number>`sum(${stockLevels.reserved})::int`,
      })
      .from(stockLevels)
      .where(eq(stockLevels.venueId, venueId))
      .groupBy(stockLevels.producerId),
    db
      .select({
        producerId: stockMovements.producerId,
        units: sql<number>`(-sum(${stockMovements.onHandDelta}))::int`,
      })
      .from(stockMovements)
      .where(
        and(
          eq(stockMovements.venueId, venueId),
          eq(stockMovements.kind, 'sale'),
          gte(stockMovements.createdAt, since),
        ),
      )
      .groupBy(stockMovements.producerId),
  ])

  type Producer = VenueStock['producers'][number]
  const producers = new Map<string, Producer>()
  const producerOf = (id: string): Producer => {
    let entry = producers.get(id)
    if (entry === undefined) {
      entry = { producer_id: id, producer_name: '', on_hand: 0, reserved: 0, available: 0, sold: 0 }
      producers.set(id, entry)
    }
    return entry
  }
  for (const level of levels) {
    const entry = producerOf(level.producerId)
    entry.on_hand = Number(level.onHand)
    entry.reserved = Number(level.reserved)
    entry.available = entry.on_hand - entry.reserved
  }
  for (const sale of sales) producerOf(sale.producerId).sold += Number(sale.units)
  const names = await partyNames(db, [...producers.keys()])
  const out = [...producers.values()]
  for (const entry of out) entry.producer_name = names.get(entry.producer_id) ?? ''
  out.sort(
    (a, b) =>
      a.producer_name.localeCompare(b.producer_name) || a.producer_id.localeCompare(b.producer_id),
  )
  return { venue_id: venueId, since: iso(since), producers: out }
}

function toMovement(row: StockMovementRow): Movement {
  return {
    id: row.id,
    venue_id: row.venueId,
    producer_id: row.producerId,
    variant_id: row.variantId,
    agreement_id: row.agreementId,
    agreement_version: row.agreementVersion,
    kind: row.kind,
    on_hand_delta: row.onHandDelta,
    reserved_delta: row.reservedDelta,
    lot_id: row.lotId,
    document_id: row.documentId,
    reference: row.reference,
    reason: row.reason,
    unit_price: moneyOrNull(row.unitPriceAmount, row.currency),
    actor_party_id: row.actorPartyId,
    actor_id: row.actorId,
    created_at: iso(row.createdAt),
  }
}

/**
 * The ledger as the scope may see it — movements at its venue, or of its goods anywhere —
 * newest first, with who and when. Filters: `venue_id`, `variant_id`, `kind`. Naming
 * another venue (as a venue), or a variant that is neither the producer's own nor ever
 * stocked at the venue, is a 404.
 */
export async function listMovements(
  db: Executor,
  scope: StockScope,
  query: ListMovementsQuery = {},
): Promise<Page<Movement>> {
  assertRole(scope, 'staff')
  const data = parseInput(listMovementsQuerySchema, query)
  const [party] = await db
    .select({ kind: parties.kind })
    .from(parties)
    .where(eq(parties.id, scope.partyId))
  const isProducer = party?.kind === 'producer'
  if (data.venue_id !== undefined && data.venue_id !== scope.partyId && !isProducer) {
    throw notFound('venue', data.venue_id, 'venue_id')
  }
  // A variant the caller has nothing to do with is 404 for a producer and a venue alike:
  // a producer's own variants, or the ones ever stocked at the venue.
  if (data.variant_id !== undefined) {
    const [known] = isProducer
      ? await db
          .select({ id: productVariants.id })
          .from(productVariants)
          .where(
            and(
              eq(productVariants.id, data.variant_id),
              eq(productVariants.partyId, scope.partyId),
            ),
          )
      : await db
          .select({ id: stockLevels.variantId })
          .from(stockLevels)
          .where(
            and(eq(stockLevels.variantId, data.variant_id), eq(stockLevels.venueId, scope.partyId)),
          )
          .limit(1)
    if (known === undefined) throw notFound('variant', data.variant_id, 'variant_id')
  }
  const conditions: SQL[] = [
    or(
      eq(stockMovements.venueId, scope.partyId),
      eq(stockMovements.producerId, scope.partyId),
    ) as SQL,
  ]
  if (data.venue_id !== undefined) conditions.push(eq(stockMovements.venueId, data.venue_id))
  if (data.variant_id !== undefined) conditions.push(eq(stockMovements.variantId, data.variant_id))
  if (data.kind !== undefined) conditions.push(eq(stockMovements.kind, data.kind))
  const after = cursorId(data.cursor)
  if (after !== undefined) conditions.push(lt(stockMovements.id, after))
  const rows = await db
    .select()
    .from(stockMovements)
    .where(and(...conditions))
    .orderBy(desc(stockMovements.id))
    .limit(data.limit + 1)
  const { page, next } = pageOf(rows, data.limit, (row) => row.id)
  return { data: page.map(toMovement), next_cursor: next }
}

/**
 * The one rule for what a shopper can buy at a venue now: a priced variant of an active
 * product, with units free (on hand, not held), under a consignment agreement in force.
 * Rows are stock levels joined to their variant and product.
 */
function buyableAt(db: Executor, venueId: string | undefined): SQL[] {
  return [
    ...(venueId === undefined ? [] : [eq(stockLevels.venueId, venueId)]),
    sql`${stockLevels.onHand} - ${stockLevels.reserved} > 0`,
    eq(products.status, 'active'),
    sql`${productVariants.priceAmount} is not null`,
    exists(
      db
        .select({ one: sql`1` })
        .from(agreements)
        .where(
          and(
            eq(agreements.producerId, stockLevels.producerId),
            eq(agreements.venueId, stockLevels.venueId),
            eq(agreements.model, 'consignment'),
            eq(agreements.status, 'active'),
          ),
        ),
    ),
  ]
}

/** Stock levels on shelves with their variant's price: the rows `buyableAt` filters. */
function shelfRows(db: Executor, conditions: SQL[]) {
  return db
    .select({
      venueId: stockLevels.venueId,
      variantId: stockLevels.variantId,
      productId: productVariants.productId,
      producerId: stockLevels.producerId,
      sku: productVariants.sku,
      options: productVariants.options,
      priceAmount: productVariants.priceAmount,
      priceCurrency: productVariants.priceCurrency,
      onHand: stockLevels.onHand,
      reserved: stockLevels.reserved,
    })
    .from(stockLevels)
    .innerJoin(productVariants, eq(productVariants.id, stockLevels.variantId))
    .innerJoin(products, eq(products.id, productVariants.productId))
    .where(and(...conditions))
}

function toAvailable(row: Awaited<ReturnType<typeof shelfRows>>[number]): AvailableVariant {
  return {
    variant_id: row.variantId,
    product_id: row.productId,
    producer_id: row.producerId,
    sku: row.sku,
    options: row.options,
    price: moneyOrNull(row.priceAmount, row.priceCurrency),
    available: row.onHand - row.reserved,
  }
}

/** The products with something a shopper can buy at `venueId` now (its shelf). */
export async function productsOnShelf(db: Executor, venueId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ productId: productVariants.productId })
    .from(stockLevels)
    .innerJoin(productVariants, eq(productVariants.id, stockLevels.variantId))
    .innerJoin(products, eq(products.id, productVariants.productId))
    .where(and(...buyableAt(db, venueId)))
  return rows.map((row) => row.productId)
}

/** One variant on one venue's shelf: what `availableAtVenue` says of it, with the venue. */
export type ShelfEntry = AvailableVariant & { venue_id: string }

/**
 * Where a product can be bought now, by the same rule as `availableAtVenue`: every venue's
 * variants of it with units free, by venue, then variant.
 */
export async function shelvesOfProduct(db: Executor, productId: string): Promise<ShelfEntry[]> {
  const rows = await shelfRows(db, [
    eq(products.id, productId),
    ...buyableAt(db, undefined),
  ]).orderBy(asc(stockLevels.venueId), asc(stockLevels.variantId))
  return rows.map((row) => ({ venue_id: row.venueId, ...toAvailable(row) }))
}

/**
 * The venues where something of these producers (of anyone, when left out) can be bought
 * now, by the same rule as `availableAtVenue`: the places to find a maker's goods.
 */
export async function venuesSelling(
  db: Executor,
  producerIds?: readonly string[],
): Promise<string[]> {
  if (producerIds?.length === 0) return []
  const rows = await db
    .selectDistinct({ venueId: stockLevels.venueId })
    .from(stockLevels)
    .innerJoin(productVariants, eq(productVariants.id, stockLevels.variantId))
    .innerJoin(products, eq(products.id, productVariants.productId))
    .where(
      and(
        ...buyableAt(db, undefined),
        ...(producerIds === undefined ? [] : [inArray(stockLevels.producerId, [...producerIds])]),
      ),
    )
    .orderBy(asc(stockLevels.venueId))
  return rows.map((row) => row.venueId)
}

/**
 * What a shopper can buy at a venue (for its store or widget): priced variants of active
 * products with units available, under an agreement in force. By variant id, paged.
 */
export async function availableAtVenue(
  db: Executor,
  venueId: string,
  query: AvailableQuery = {},
): Promise<Page<AvailableVariant>> {
  const { cursor, limit } = parseInput(availableQuerySchema, query)
  const after = cursorId(cursor)
  const conditions = buyableAt(db, venueId)
  if (after !== undefined) conditions.push(gt(stockLevels.variantId, after))
  const rows = await shelfRows(db, conditions)
    .orderBy(asc(stockLevels.variantId))
    .limit(limit + 1)
  // Ascending: the cursor is the last id, and the next page starts after it.
  const { page, next } = pageOf(rows, limit, (row) => row.variantId)
  return {
    data: page.map(toAvailable),
    next_cursor: next,
  }
}

/** A level whose projection, movements and lots do not agree (should never be any). */
export interface LedgerMismatch {
  venue_id: string
  variant_id: string
  projection: { on_hand: number; reserved: number }
  movements: { on_hand: number; reserved: number }
  lots_remaining: number
}

/**
 * Recomputes every level (of one venue, when given) from the movements and the lots, and
 * lists where they differ from the `stock_levels` projection. Empty when the ledger holds.
 */
export async function reconcileStock(
  db: Executor,
  options: { venueId?: string } = {},
): Promise<LedgerMismatch[]> {
  const byVenue = <
    C extends typeof stockLevels.venueId | typeof stockMovements.venueId | typeof stockLots.venueId,
  >(
    column: C,
  ) => (options.venueId === undefined ? undefined : eq(column, options.venueId))
  const [levels, sums, lots] = await Promise.all([
    db.select().from(stockLevels).where(byVenue(stockLevels.venueId)),
    db
      .select({
        venueId: stockMovements.venueId,
        variantId: stockMovements.variantId,
        onHand: sql<number>`sum(${stockMovements.onHandDelta})::int`,
        reserved: sql<number>`sum(${stockMovements.reservedDelta})::int`,
      })
      .from(stockMovements)
      .where(byVenue(stockMovements.venueId))
      .groupBy(stockMovements.venueId, stockMovements.variantId),
    db
      .select({
        venueId: stockLots.venueId,
        variantId: stockLots.variantId,
        remaining: sql<number>`sum(${stockLots.remaining})::int`,
      })
      .from(stockLots)
      .where(byVenue(stockLots.venueId))
      .groupBy(stockLots.venueId, stockLots.variantId),
  ])
  const all = new Map<string, LedgerMismatch>()
  const entry = (venueId: string, variantId: string) => {
    const key = levelKey(venueId, variantId)
    let found = all.get(key)
    if (found === undefined) {
      found = {
        venue_id: venueId,
        variant_id: variantId,
        projection: { on_hand: 0, reserved: 0 },
        movements: { on_hand: 0, reserved: 0 },
        lots_remaining: 0,
      }
      all.set(key, found)
    }
    return found
  }
  for (const level of levels) {
    entry(level.venueId, level.variantId).projection = {
      on_hand: level.onHand,
      reserved: level.reserved,
    }
  }
  for (const sum of sums) {
    entry(sum.venueId, sum.variantId).movements = {
      on_hand: Number(sum.onHand),
      reserved: Number(sum.reserved),
    }
  }
  for (const lot of lots) entry(lot.venueId, lot.variantId).lots_remaining = Number(lot.remaining)
  return [...all.values()].filter(
    (m) =>
      m.projection.on_hand !== m.movements.on_hand ||
      m.projection.reserved !== m.movements.reserved ||
      m.lots_remaining !== m.movements.on_hand,
  )
}
