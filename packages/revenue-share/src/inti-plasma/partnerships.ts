import { cursorId, cursorSchema, pageOf } from '@mitra/catalog'
import {
  type CurrencyCode,
  currency as checkCurrency,
  fieldError,
  idSchema,
  isId,
  MitraError,
  type Money,
  money,
  newId,
  notFound,
  parseInput,
  toSafeInteger,
} from '@mitra/core'
import {
  atomically,
  constraintOf,
  type Executor,
  type IntiPlasmaStatus,
  intiPlasmaPartnerships,
  intiPlasmaPurchases,
  intiPlasmaStatuses,
  journalLines,
  journalTransactions,
  productVariants,
  sqlState,
  sqlStateOf,
} from '@mitra/db'
import { and, asc, eq, gt, inArray, ne, or, sql } from 'drizzle-orm'
import { z } from 'zod'
import { betweenParties } from '../between.js'
import { type PostedTransaction, postAdvance, postEntry } from '../ledger.js'
import { requireActingKind, requirePartyKind } from '../party-kinds.js'
import { purchaseEntry } from './entries.js'
import {
  agreedItem,
  agreedPrices,
  type IntiPlasmaPartnershipInput,
  type IntiPlasmaPurchaseInput,
  intiPlasmaAdvanceInputSchema,
  intiPlasmaPartnershipInputSchema,
  intiPlasmaPurchaseInputSchema,
  purchaseAmount,
} from './terms.js'

/*
 * Inti-plasma partnerships stored: a core partner proposes the terms (currency, agreed
 * purchase prices, the largest share of each settlement that repays advances), the producer
 * accepts them, either side ends the partnership. Terms never change once proposed, so
 * accepting the partnership's id accepts exactly what both sides see; new terms are a new
 * partnership (one not ended per core partner, producer and currency). Under an active
 * partnership the core partner records advances and purchases at the agreed prices; both post
 * to the ledger with the partnership id as `agreementId`, so statements show them.
 */

/** Who is acting: the party a key or session acts for, and who acts (for the record). */
export interface IntiPlasmaScope {
  partyId: string
  actorId?: string
}

const actorOf = (scope: IntiPlasmaScope) => scope.actorId ?? scope.partyId

export interface IntiPlasmaPriceView {
  variant_id: string | null
  description: string | null
  unit_price: Money
}

export interface IntiPlasmaPartnership {
  id: string
  core_partner_id: string
  producer_id: string
  currency: CurrencyCode
  max_deduction_bps: number
  prices: IntiPlasmaPriceView[]
  status: IntiPlasmaStatus
  note: string | null
  created_at: Date
  accepted_at: Date | null
  ended_at: Date | null
  /** Which side ended it. */
  ended_by_party_id: string | null
  end_reason: string | null
  /** Advances under this partnership: given, repaid from settlements, still owed. */
  advances: { advanced: Money; repaid: Money; outstanding: Money }
  /** What the core partner bought under it, in all. */
  purchased: Money
}

export interface IntiPlasmaPurchase {
  id: string
  partnership_id: string
  reference: string | null
  variant_id: string | null
  description: string | null
  quantity: number
  unit_price: Money
  amount: Money
  transaction_id: string
  purchased_at: Date
  /** True when the same reference was recorded before: nothing new was posted. */
  replayed: boolean
}

export interface IntiPlasmaAdvance {
  id: string
  partnership_id: string
  producer_id: string
  core_partner_id: string
  amount: Money
  description: string
  transaction_id: string
  occurred_at: Date
}

type PartnershipRow = typeof intiPlasmaPartnerships.$inferSelect
type PurchaseRow = typeof intiPlasmaPurchases.$inferSelect

interface Totals {
  advanced: number
  repaid: number
  purchased: number
}

function toPartnership(row: PartnershipRow, totals: Totals | undefined): IntiPlasmaPartnership {
  const currency = checkCurrency(row.currency)
  const t = totals ?? { advanced: 0, repaid: 0, purchased: 0 }
  return {
    id: row.id,
    core_partner_id: row.corePartnerId,
    producer_id: row.producerId,
    currency,
    max_deduction_bps: row.maxDeductionBps,
    prices: row.prices.map((p) => ({
      variant_id: p.variant_id,
      description: p.description,
      unit_price: money(p.unit_price, currency),
    })),
    status: row.status,
    note: row.note,
    created_at: row.createdAt,
    accepted_at: row.acceptedAt,
    ended_at: row.endedAt,
    ended_by_party_id: row.endedByParty,
    end_reason: row.endReason,
    advances: {
      advanced: money(t.advanced, currency),
      repaid: money(t.repaid, currency),
      outstanding: money(t.advanced - t.repaid, currency),
    },
    purchased: money(t.purchased, currency),
  }
}

function toPurchase(row: PurchaseRow, replayed: boolean): IntiPlasmaPurchase {
  return {
    id: row.id,
    partnership_id: row.partnershipId,
    reference: row.reference,
    variant_id: row.variantId,
    description: row.description,
    quantity: row.quantity,
    unit_price: money(row.unitPrice, row.currency),
    amount: money(row.amount, row.currency),
    transaction_id: row.transactionId,
    purchased_at: row.purchasedAt,
    replayed,
  }
}

const asNumber = (value: string | null | undefined) => toSafeInteger(BigInt(value ?? '0'))

/** Advances (on the producer's `advances_receivable`) and purchases per partnership. */
async function totalsOf(db: Executor, ids: readonly string[]): Promise<Map<string, Totals>> {
  const totals = new Map<string, Totals>(
    ids.map((id) => [id, { advanced: 0, repaid: 0, purchased: 0 }]),
  )
  if (ids.length === 0) return totals
  const advances = await db
    .select({
      id: intiPlasmaPartnerships.id,
      advanced: sql<string>`coalesce(sum(${journalLines.amount}) filter (where ${journalLines.amount} > 0), 0)::text`,
      repaid: sql<string>`coalesce(-sum(${journalLines.amount}) filter (where ${journalLines.amount} < 0), 0)::text`,
    })
    .from(journalLines)
    .innerJoin(journalTransactions, eq(journalTransactions.id, journalLines.transactionId))
    .innerJoin(
      intiPlasmaPartnerships,
      and(
        eq(intiPlasmaPartnerships.id, journalTransactions.agreementId),
        eq(intiPlasmaPartnerships.producerId, journalLines.partyId),
        eq(intiPlasmaPartnerships.currency, journalLines.currency),
      ),
    )
    .where(
      and(
        inArray(journalTransactions.agreementId, [...ids]),
        eq(journalLines.purpose, 'advances_receivable'),
      ),
    )
    .groupBy(intiPlasmaPartnerships.id)
  for (const row of advances) {
    const t = totals.get(row.id)
    if (t !== undefined) {
      t.advanced = asNumber(row.advanced)
      t.repaid = asNumber(row.repaid)
    }
  }
  const purchases = await db
    .select({
      id: intiPlasmaPurchases.partnershipId,
      purchased: sql<string>`coalesce(sum(${intiPlasmaPurchases.amount}), 0)::text`,
    })
    .from(intiPlasmaPurchases)
    .where(inArray(intiPlasmaPurchases.partnershipId, [...ids]))
    .groupBy(intiPlasmaPurchases.partnershipId)
  for (const row of purchases) {
    const t = totals.get(row.id)
    if (t !== undefined) t.purchased = asNumber(row.purchased)
  }
  return totals
}

/** What the producer still owes for advances under one partnership. */
export async function partnershipOutstanding(
  db: Executor,
  partnership: { id: string; producerId: string; currency: string },
): Promise<Money> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${journalLines.amount}), 0)::text` })
    .from(journalLines)
    .innerJoin(journalTransactions, eq(journalTransactions.id, journalLines.transactionId))
    .where(
      and(
        eq(journalTransactions.agreementId, partnership.id),
        eq(journalLines.partyId, partnership.producerId),
        eq(journalLines.purpose, 'advances_receivable'),
        eq(journalLines.currency, partnership.currency),
      ),
    )
  return money(asNumber(row?.total), partnership.currency)
}

async function view(db: Executor, row: PartnershipRow): Promise<IntiPlasmaPartnership> {
  return toPartnership(row, (await totalsOf(db, [row.id])).get(row.id))
}

/** A partnership the acting party is a side of; anyone else's (or a bad id) is a 404. */
async function partnershipFor(
  db: Executor,
  scope: IntiPlasmaScope,
  id: string,
  options: { lock?: boolean } = {},
): Promise<PartnershipRow> {
  if (!isId(id, 'ctr')) throw notFound('inti-plasma partnership', id)
  const query = db
    .select()
    .from(intiPlasmaPartnerships)
    .where(
      and(
        eq(intiPlasmaPartnerships.id, id),
        or(
          eq(intiPlasmaPartnerships.corePartnerId, scope.partyId),
          eq(intiPlasmaPartnerships.producerId, scope.partyId),
        ),
      ),
    )
  const [row] = options.lock ? await query.for('update') : await query
  if (row === undefined) throw notFound('inti-plasma partnership', id)
  return row
}

function onlyThe(
  side: 'core_partner' | 'producer',
  row: PartnershipRow,
  scope: IntiPlasmaScope,
  what: string,
): void {
  const partyId = side === 'core_partner' ? row.corePartnerId : row.producerId
  if (partyId !== scope.partyId) {
    const name = side === 'core_partner' ? 'core partner' : 'producer'
    throw new MitraError('forbidden', `Only the partnership's ${name} ${what}`)
  }
}

function requireActive(row: PartnershipRow): void {
  if (row.status !== 'active') {
    throw new MitraError(
      'agreement_not_active',
      `Inti-plasma partnership ${row.id} is ${row.status}, not active`,
    )
  }
}

/**
 * A core partner proposes an inti-plasma partnership to a producer: currency, the agreed
 * purchase prices (catalogue variants of the producer, or described product lines) and the
 * largest share of each settlement that repays advances. The acting party must be a core
 * partner and `producer_id` a producer (422 `wrong_party_kind` naming the field). While one
 * between the same two parties in the same currency is proposed or active, another is a 409
 * `agreement_exists`.
 */
export async function createIntiPlasmaPartnership(
  db: Executor,
  scope: IntiPlasmaScope,
  input: IntiPlasmaPartnershipInput,
): Promise<IntiPlasmaPartnership> {
  const parsed = parseInput(intiPlasmaPartnershipInputSchema, input)
  const prices = agreedPrices(parsed.currency, parsed.prices)
  return atomically(db, async (tx) => {
    await requireActingKind(tx, scope, 'core_partner', 'core_partner_id')
    await requirePartyKind(tx, parsed.producer_id, 'producer', 'producer_id')
    const variantIds = prices.flatMap((p) => p.variant_id ?? [])
    if (variantIds.length > 0) {
      const found = await tx
        .select({ id: productVariants.id })
        .from(productVariants)
        .where(
          and(
            inArray(productVariants.id, variantIds),
            eq(productVariants.partyId, parsed.producer_id),
          ),
        )
      const known = new Set(found.map((v) => v.id))
      const missing = prices.findIndex((p) => p.variant_id !== null && !known.has(p.variant_id))
      if (missing >= 0) {
        throw fieldError(
          `prices.${missing}.variant_id`,
          'not_found',
          "not a variant of the producer's catalogue",
        )
      }
    }
    const [open] = await tx
      .select({ id: intiPlasmaPartnerships.id })
      .from(intiPlasmaPartnerships)
      .where(
        and(
          eq(intiPlasmaPartnerships.corePartnerId, scope.partyId),
          eq(intiPlasmaPartnerships.producerId, parsed.producer_id),
          eq(intiPlasmaPartnerships.currency, parsed.currency),
          ne(intiPlasmaPartnerships.status, 'ended'),
        ),
      )
    if (open !== undefined) throw partnershipExists(open.id)
    let row: PartnershipRow | undefined
    try {
      ;[row] = await tx
        .insert(intiPlasmaPartnerships)
        .values({
          id: newId('ctr'),
          corePartnerId: scope.partyId,
          producerId: parsed.producer_id,
          currency: parsed.currency,
          maxDeductionBps: parsed.max_deduction_bps,
          prices,
          note: parsed.note ?? null,
          createdBy: actorOf(scope),
        })
        .returning()
    } catch (error) {
      if (
        sqlStateOf(error) === sqlState.uniqueViolation &&
        constraintOf(error) === 'inti_plasma_partnerships_open_unique'
      ) {
        throw partnershipExists(null)
      }
      throw error
    }
    return toPartnership(row as PartnershipRow, undefined)
  })
}

function partnershipExists(id: string | null): MitraError {
  const message = `These parties already have an inti-plasma partnership in this currency${id === null ? '' : ` (${id})`}; end it first`
  return new MitraError('agreement_exists', message, {
    errors: [{ path: 'producer_id', code: 'agreement_exists', message }],
    ...(id === null ? {} : { extensions: { partnership_id: id } }),
  })
}

export const listIntiPlasmaPartnershipsQuerySchema = z.strictObject({
  status: z.enum(intiPlasmaStatuses).optional(),
  /** Only those with this party (the core partner or the producer on the other side). */
  counterparty_id: idSchema('pty').optional(),
  /** `next_cursor` of the previous page. */
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
export type ListIntiPlasmaPartnershipsQuery = z.input<typeof listIntiPlasmaPartnershipsQuerySchema>

/** The acting party's partnerships, as core partner or producer, oldest first, by pages. */
export async function listIntiPlasmaPartnerships(
  db: Executor,
  scope: IntiPlasmaScope,
  query: ListIntiPlasmaPartnershipsQuery = {},
): Promise<{ data: IntiPlasmaPartnership[]; next_cursor: string | null }> {
  const parsed = parseInput(listIntiPlasmaPartnershipsQuerySchema, query)
  const me = scope.partyId
  const t = intiPlasmaPartnerships
  const conditions = betweenParties(me, [t.corePartnerId, t.producerId], parsed.counterparty_id)
  if (parsed.status !== undefined) conditions.push(eq(t.status, parsed.status))
  const after = cursorId(parsed.cursor)
  if (after !== undefined) conditions.push(gt(t.id, after))
  const rows = await db
    .select()
    .from(t)
    .where(and(...conditions))
    .orderBy(asc(t.id))
    .limit(parsed.limit + 1)
  const { page, next } = pageOf(rows, parsed.limit, (row) => row.id)
  const totals = await totalsOf(
    db,
    page.map((row) => row.id),
  )
  return {
    data: page.map((row) => toPartnership(row, totals.get(row.id))),
    next_cursor: next,
  }
}

/** A partnership seen by its core partner or producer (anyone else: 404). */
export async function getIntiPlasmaPartnership(
  db: Executor,
  scope: IntiPlasmaScope,
  id: string,
): Promise<IntiPlasmaPartnership> {
  return view(db, await partnershipFor(db, scope, id))
}

/**
 * The producer accepts the proposed terms: the partnership is active from now. Accepting an
 * active one returns it unchanged; an ended one is a 409. Only the producer (the core
 * partner: 403).
 */
export async function acceptIntiPlasmaPartnership(
  db: Executor,
  scope: IntiPlasmaScope,
  id: string,
  options: { now?: Date } = {},
): Promise<IntiPlasmaPartnership> {
  const now = options.now ?? new Date()
  return atomically(db, async (tx) => {
    const row = await partnershipFor(tx, scope, id, { lock: true })
    onlyThe('producer', row, scope, 'accepts the partnership')
    if (row.status === 'active') return view(tx, row)
    if (row.status === 'ended') {
      throw new MitraError('illegal_status_transition', `Inti-plasma partnership ${id} has ended`)
    }
    const [updated] = await tx
      .update(intiPlasmaPartnerships)
      .set({ status: 'active', acceptedAt: now, acceptedBy: actorOf(scope), updatedAt: now })
      .where(eq(intiPlasmaPartnerships.id, id))
      .returning()
    return view(tx, updated as PartnershipRow)
  })
}

export const endIntiPlasmaPartnershipSchema = z.strictObject({
  reason: z.string().trim().min(1).max(2000).optional(),
})

/**
 * Either side ends a partnership (a proposal the producer declines, or one in force). No
 * further advances, purchases or deductions happen under it; advances still owed stay on the
 * ledger. Ending an ended partnership returns it as it ended.
 */
export async function endIntiPlasmaPartnership(
  db: Executor,
  scope: IntiPlasmaScope,
  id: string,
  input: z.input<typeof endIntiPlasmaPartnershipSchema> = {},
  options: { now?: Date } = {},
): Promise<IntiPlasmaPartnership> {
  const parsed = parseInput(endIntiPlasmaPartnershipSchema, input)
  const now = options.now ?? new Date()
  return atomically(db, async (tx) => {
    const row = await partnershipFor(tx, scope, id, { lock: true })
    if (row.status === 'ended') return view(tx, row)
    const [updated] = await tx
      .update(intiPlasmaPartnerships)
      .set({
        status: 'ended',
        endedAt: now,
        endedBy: actorOf(scope),
        endedByParty: scope.partyId,
        endReason: parsed.reason ?? null,
        updatedAt: now,
      })
      .where(eq(intiPlasmaPartnerships.id, id))
      .returning()
    return view(tx, updated as PartnershipRow)
  })
}

/**
 * The core partner records inputs (cloth, wax, tools) advanced on credit under an active
 * partnership, in its currency (422 naming `amount.currency` otherwise). The journal
 * transaction carries the partnership id, so settlements repay it by the agreed share.
 */
export async function recordIntiPlasmaAdvance(
  db: Executor,
  scope: IntiPlasmaScope,
  id: string,
  input: z.input<typeof intiPlasmaAdvanceInputSchema>,
  options: { now?: Date } = {},
): Promise<IntiPlasmaAdvance> {
  const parsed = parseInput(intiPlasmaAdvanceInputSchema, input)
  return atomically(db, async (tx) => {
    const row = await partnershipFor(tx, scope, id, { lock: true })
    onlyThe('core_partner', row, scope, 'records advances')
    requireActive(row)
    if (parsed.amount.currency !== row.currency) {
      throw fieldError('amount.currency', 'currency_mismatch', `expected ${row.currency}`)
    }
    const advanceId = newId('adv')
    const amount = money(parsed.amount.amount, row.currency)
    const posted = await postAdvance(
      tx,
      {
        sourceId: advanceId,
        producerId: row.producerId,
        corePartnerId: row.corePartnerId,
        amount,
        agreementId: row.id,
        memo: parsed.description,
      },
      options.now === undefined ? {} : { occurredAt: options.now },
    )
    return {
      id: advanceId,
      partnership_id: row.id,
      producer_id: row.producerId,
      core_partner_id: row.corePartnerId,
      amount,
      description: parsed.description,
      transaction_id: posted.id,
      occurred_at: posted.occurredAt,
    }
  })
}

/**
 * The core partner buys units of an agreed item from the producer under an active
 * partnership, at the agreed price (a different `unit_price` is a 422 `price_not_allowed`;
 * an item without an agreed price a 422 naming it). One journal transaction: the producer is
 * owed the amount, the core partner owes it (`purchases_receivable`). With a `reference`,
 * recording it again returns the first purchase (`replayed: true`) and posts nothing; the
 * same reference with other content is a 409 naming `reference`.
 */
export async function recordIntiPlasmaPurchase(
  db: Executor,
  scope: IntiPlasmaScope,
  id: string,
  input: IntiPlasmaPurchaseInput,
  options: { now?: Date } = {},
): Promise<IntiPlasmaPurchase & { transaction: PostedTransaction | null }> {
  const parsed = parseInput(intiPlasmaPurchaseInputSchema, input)
  const now = options.now ?? new Date()
  const purchasedAt = parsed.purchased_at ?? now
  if (purchasedAt.getTime() > now.getTime() + 5 * 60_000) {
    throw fieldError('purchased_at', 'in_future', 'a purchase cannot be recorded in the future')
  }
  return atomically(db, async (tx) => {
    // Locked: purchases under one partnership take turns, so a reference is used once.
    const row = await partnershipFor(tx, scope, id, { lock: true })
    onlyThe('core_partner', row, scope, 'records purchases')
    const { index, price } = agreedItem(row.prices, row.currency, {
      variant_id: parsed.variant_id,
      description: parsed.description,
      ...(parsed.unit_price === undefined
        ? {}
        : { unit_price: money(parsed.unit_price.amount, parsed.unit_price.currency) }),
    })
    if (parsed.reference !== undefined) {
      const [existing] = await tx
        .select()
        .from(intiPlasmaPurchases)
        .where(
          and(
            eq(intiPlasmaPurchases.partnershipId, row.id),
            eq(intiPlasmaPurchases.reference, parsed.reference),
          ),
        )
      if (existing !== undefined) {
        const same =
          existing.priceIndex === index &&
          existing.quantity === parsed.quantity &&
          (parsed.purchased_at === undefined ||
            existing.purchasedAt.getTime() === parsed.purchased_at.getTime())
        if (!same) {
          const message = `Purchase ${parsed.reference} was recorded with other content`
          throw new MitraError('conflict', message, {
            errors: [{ path: 'reference', code: 'already_exists', message }],
            extensions: { purchase_id: existing.id },
          })
        }
        return { ...toPurchase(existing, true), transaction: null }
      }
    }
    requireActive(row)
    const amount = purchaseAmount(price.unit_price, parsed.quantity, row.currency)
    const purchaseId = newId('dlv')
    const item = price.variant_id ?? price.description ?? ''
    const posted = await postEntry(
      tx,
      purchaseEntry({
        sourceId: purchaseId,
        producerId: row.producerId,
        corePartnerId: row.corePartnerId,
        amount,
        agreementId: row.id,
        memo: `${parsed.quantity} × ${item} at ${price.unit_price}${parsed.reference === undefined ? '' : ` (${parsed.reference})`}`,
      }),
      { occurredAt: purchasedAt },
    )
    const [stored] = await tx
      .insert(intiPlasmaPurchases)
      .values({
        id: purchaseId,
        partnershipId: row.id,
        reference: parsed.reference ?? null,
        priceIndex: index,
        variantId: price.variant_id,
        description: price.description,
        quantity: parsed.quantity,
        currency: row.currency,
        unitPrice: price.unit_price,
        amount: amount.amount,
        transactionId: posted.id,
        purchasedAt,
        recordedBy: actorOf(scope),
      })
      .returning()
    return { ...toPurchase(stored as PurchaseRow, false), transaction: posted }
  })
}

export const listIntiPlasmaPurchasesQuerySchema = z.strictObject({
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})

/** Purchases under a partnership, oldest first, by pages; both sides see them. */
export async function listIntiPlasmaPurchases(
  db: Executor,
  scope: IntiPlasmaScope,
  id: string,
  query: z.input<typeof listIntiPlasmaPurchasesQuerySchema> = {},
): Promise<{ data: IntiPlasmaPurchase[]; next_cursor: string | null }> {
  const parsed = parseInput(listIntiPlasmaPurchasesQuerySchema, query)
  const after = cursorId(parsed.cursor)
  const row = await partnershipFor(db, scope, id)
  const rows = await db
    .select()
    .from(intiPlasmaPurchases)
    .where(
      and(
        eq(intiPlasmaPurchases.partnershipId, row.id),
        after === undefined ? undefined : gt(intiPlasmaPurchases.id, after),
      ),
    )
    .orderBy(asc(intiPlasmaPurchases.id))
    .limit(parsed.limit + 1)
  const { page, next } = pageOf(rows, parsed.limit, (row) => row.id)
  return {
    data: page.map((p) => toPurchase(p, false)),
    next_cursor: next,
  }
}
