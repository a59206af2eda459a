import { assertRole } from '@mitra/catalog'
import { newId } from '@mitra/core'
import {
  agreements,
  agreementVersions,
  type Database,
  type Executor,
  inTransaction,
  stockExpiryNotices,
  stockLots,
  stockReturnLines,
  stockReturns,
} from '@mitra/db'
import { and, asc, eq, gt, notExists, or, sql } from 'drizzle-orm'
import { type ConsignmentTerms, consignmentTermsSchema } from '../terms.js'
import { expiredLots, expiringLots, lotAge, markdownPrice } from './aging.js'
import {
  type At,
  activeVersionOfAgreement,
  governingAgreement,
  iso,
  moneyOrNull,
  nowOf,
  parseInput,
  type StockScope,
  termsOf,
} from './internal.js'
import { toStockReturn } from './returns.js'
import {
  type LotsQuery,
  type LotsReport,
  type LotView,
  lotsQuerySchema,
  type StockReturn,
} from './schemas.js'

export interface RaiseExpiryOptions {
  /** The time to compare with (default: now). */
  now?: Date
  /** Most lots looked at in one call (default 500). */
  limit?: number
}

/**
 * Raises a return request (source `expiry`) for every open lot past its consignment and
 * grace period, where the agreement in force says `on_expiry: 'return'`: one request per
 * venue and producer, one line per variant (the units still there). Each lot raises one
 * request, once — calling it again, or on several instances at once, raises nothing new.
 */
export async function raiseExpiryReturns(
  db: Database,
  options: RaiseExpiryOptions = {},
): Promise<{ raised: StockReturn[] }> {
  const now = options.now ?? new Date()
  const limit = Math.max(1, Math.min(5_000, Math.floor(options.limit ?? 500)))
  return inTransaction(db, async (tx) => {
    const terms = agreementVersions.terms
    const candidates = await tx
      .select({
        id: stockLots.id,
        venueId: stockLots.venueId,
        producerId: stockLots.producerId,
        variantId: stockLots.variantId,
        delivered_at: stockLots.deliveredAt,
        remaining: stockLots.remaining,
        agreementId: agreements.id,
        version: agreementVersions.version,
        terms,
      })
      .from(stockLots)
      .innerJoin(
        agreements,
        and(
          eq(agreements.producerId, stockLots.producerId),
          eq(agreements.venueId, stockLots.venueId),
          eq(agreements.model, 'consignment'),
          eq(agreements.status, 'active'),
        ),
      )
      .innerJoin(agreementVersions, activeVersionOfAgreement)
      .where(
        and(
          gt(stockLots.remaining, 0),
          sql`${terms}->>'on_expiry' = 'return'`,
          // A coarse filter; the pure `expiredLots` below decides.
          sql`${stockLots.deliveredAt} + make_interval(days => ((${terms}->>'consignment_days')::int + coalesce((${terms}->>'grace_days')::int, 0))) <= ${now.toISOString()}::timestamptz`,
          notExists(
            tx
              .select({ one: sql`1` })
              .from(stockExpiryNotices)
              .where(eq(stockExpiryNotices.lotId, stockLots.id)),
          ),
        ),
      )
      .orderBy(asc(stockLots.deliveredAt), asc(stockLots.id))
      .limit(limit)
      .for('update', { of: stockLots, skipLocked: true })

    const groups = new Map<
      string,
      { venueId: string; producerId: string; lots: typeof candidates }
    >()
    const parsed = new Map<string, ConsignmentTerms>()
    for (const lot of candidates) {
      const key = `${lot.agreementId}#${lot.version}`
      let lotTerms = parsed.get(key)
      if (lotTerms === undefined) {
        lotTerms = consignmentTermsSchema.parse(lot.terms)
        parsed.set(key, lotTerms)
      }
      if (lotTerms.on_expiry !== 'return' || expiredLots([lot], lotTerms, now).length === 0)
        continue
      const group = `${lot.venueId}|${lot.producerId}`
      const entry = groups.get(group) ?? {
        venueId: lot.venueId,
        producerId: lot.producerId,
        lots: [],
      }
      entry.lots.push(lot)
      groups.set(group, entry)
    }

    const raised: StockReturn[] = []
    for (const group of groups.values()) {
      const [header] = await tx
        .insert(stockReturns)
        .values({
          id: newId('ret'),
          venueId: group.venueId,
          producerId: group.producerId,
          status: 'requested',
          source: 'expiry',
          reason: 'consignment period and grace ended',
          requestedAt: now,
          requestedBy: null,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
      if (header === undefined) throw new Error('insert returned no return')
      // Another instance may have claimed a lot between our read and now: the notice's
      // primary key decides who raises it.
      const claimed = await tx
        .insert(stockExpiryNotices)
        .values(group.lots.map((lot) => ({ lotId: lot.id, returnId: header.id, createdAt: now })))
        .onConflictDoNothing()
        .returning({ lotId: stockExpiryNotices.lotId })
      const mine = new Set(claimed.map((row) => row.lotId))
      const byVariant = new Map<string, number>()
      for (const lot of group.lots) {
        if (mine.has(lot.id))
          byVariant.set(lot.variantId, (byVariant.get(lot.variantId) ?? 0) + lot.remaining)
      }
      if (byVariant.size === 0) {
        await tx.delete(stockReturns).where(eq(stockReturns.id, header.id))
        continue
      }
      const lines = await tx
        .insert(stockReturnLines)
        .values(
          [...byVariant].map(([variantId, quantity]) => ({
            returnId: header.id,
            variantId,
            quantityRequested: quantity,
          })),
        )
        .returning()
      raised.push(
        toStockReturn(
          header,
          lines.sort((a, b) => (a.variantId < b.variantId ? -1 : 1)),
        ),
      )
    }
    return { raised }
  })
}

/**
 * The scope's open lots (as producer or venue) that have expired or will within
 * `within_days`, with their age, the markdown their age brings and the price after it,
 * under the agreement that governs each venue and producer.
 */
export async function agingReport(
  db: Executor,
  scope: StockScope,
  query: LotsQuery = {},
  options?: At,
): Promise<LotsReport> {
  assertRole(scope, 'staff')
  const { venue_id, within_days } = parseInput(lotsQuerySchema, query)
  const now = nowOf(options)
  const conditions = [
    gt(stockLots.remaining, 0),
    or(eq(stockLots.producerId, scope.partyId), eq(stockLots.venueId, scope.partyId)),
  ]
  if (venue_id !== undefined) conditions.push(eq(stockLots.venueId, venue_id))
  const lots = await db
    .select()
    .from(stockLots)
    .where(and(...conditions))
    .orderBy(asc(stockLots.deliveredAt), asc(stockLots.id))
  const termsByPair = new Map<string, ConsignmentTerms>()
  const report: LotsReport = { expiring: [], expired: [] }
  for (const lot of lots) {
    const pair = `${lot.venueId}|${lot.producerId}`
    let terms = termsByPair.get(pair)
    if (terms === undefined) {
      terms =
        (await governingAgreement(db, lot.producerId, lot.venueId))?.terms ??
        (await termsOf(db, lot.agreementId, lot.agreementVersion))
      termsByPair.set(pair, terms)
    }
    const item = { ...lot, delivered_at: lot.deliveredAt }
    const expired = expiredLots([item], terms, now).length > 0
    const expiring = !expired && expiringLots([item], terms, now, within_days).length > 0
    if (!expired && !expiring) continue
    const age = lotAge(lot.deliveredAt, terms, now)
    const list = moneyOrNull(lot.unitPriceAmount, lot.currency)
    const markdown = list === null ? null : markdownPrice(list, age.age_days, terms)
    const view: LotView = {
      id: lot.id,
      venue_id: lot.venueId,
      producer_id: lot.producerId,
      variant_id: lot.variantId,
      delivered_at: iso(lot.deliveredAt),
      quantity: lot.quantity,
      remaining: lot.remaining,
      age_days: age.age_days,
      state: age.state,
      expires_at: iso(age.expires_at),
      days_until_expiry: age.days_until_expiry,
      price: markdown === null ? null : { ...markdown.price },
      percent_off_bps: markdown?.percent_off_bps ?? 0,
    }
    ;(expired ? report.expired : report.expiring).push(view)
  }
  return report
}
