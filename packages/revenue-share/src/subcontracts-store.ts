import { cursorId, cursorSchema, pageOf } from '@mitra/catalog'
import {
  amountSchema,
  type CurrencyCode,
  currency as checkCurrency,
  currencyCodeSchema,
  fieldError,
  idSchema,
  MitraError,
  type Money,
  money,
  newId,
  notFound,
  parseInput,
} from '@mitra/core'
import {
  atomically,
  type Executor,
  journalLines,
  productVariants,
  type SubcontractItem,
  subcontractDeliveries,
  subcontracts,
} from '@mitra/db'
import { and, asc, eq, gt, inArray, or } from 'drizzle-orm'
import { z } from 'zod'
import { betweenParties } from './between.js'
import { getIntiPlasmaPartnership, recordIntiPlasmaAdvance } from './inti-plasma/partnerships.js'
import { advanceOutstanding, type PostedTransaction, postAdvance, postPenalty } from './ledger.js'
import { partyKindOf, requireActingKind, requirePartyKind } from './party-kinds.js'
import {
  defineSubcontract,
  evaluateSubcontract,
  type Subcontract,
  type SubcontractDelivery,
  type SubcontractEvaluation,
  subcontractPenaltySchema,
} from './subcontract.js'

/*
 * Partnerships persisted: subcontracts (subkontrak) between a buyer and a producer group, their
 * deliveries and inspections, and closing a contract with its penalty; and inti-plasma input
 * advances from a core partner to a producer. The money goes through the ledger
 * (`postPenalty`, `postAdvance`); the contract arithmetic is `evaluateSubcontract`.
 */

/** Who is acting: the party a key or session acts for, and who acts (for the record). */
export interface PartnershipScope {
  partyId: string
  actorId?: string
}

const actorOf = (scope: PartnershipScope) => scope.actorId ?? scope.partyId

const moneySchema = z.strictObject({
  amount: amountSchema,
  currency: currencyCodeSchema,
})

export const subcontractItemSchema = z
  .strictObject({
    /** A variant of the producer's catalogue. */
    variant_id: idSchema('var').optional(),
    /** What is made, in words (components need not be in the catalogue). */
    description: z.string().trim().min(1).max(500).optional(),
  })
  .refine((item) => item.variant_id !== undefined || item.description !== undefined, {
    message: 'an item names a variant_id or a description',
    path: ['description'],
  })

export const subcontractInputSchema = z.strictObject({
  producer_id: idSchema('pty'),
  items: z.array(subcontractItemSchema).min(1).max(100),
  target_quantity: z.number().int().min(1).max(10_000_000),
  /** The agreed price per accepted unit. */
  unit_price: moneySchema,
  /** Units must be delivered (and accepted) by then to count towards the target. */
  deadline: z.coerce.date(),
  penalty: subcontractPenaltySchema,
  /** The penalty never exceeds this (in the unit price's currency); null: no cap. */
  penalty_cap: moneySchema.nullable().default(null),
})
export type SubcontractStoreInput = z.input<typeof subcontractInputSchema>

export const subcontractDeliveryInputSchema = z.strictObject({
  quantity: z.number().int().min(1).max(10_000_000),
  /** When the goods were handed over (default: now; never in the future). */
  delivered_at: z.coerce.date().optional(),
})

export const subcontractInspectionSchema = z.strictObject({
  accepted: z.number().int().min(0).max(10_000_000),
  rejected: z.number().int().min(0).max(10_000_000),
  note: z.string().trim().min(1).max(2000).optional(),
})

export interface StoredSubcontract {
  id: string
  buyer_id: string
  producer_id: string
  items: SubcontractItem[]
  currency: CurrencyCode
  target_quantity: number
  unit_price: Money
  deadline: Date
  penalty: Subcontract['penalty']
  penalty_cap: Money | null
  status: 'open' | 'closed'
  closed_at: Date | null
  penalty_transaction_id: string | null
  created_at: Date
}

export interface StoredSubcontractDelivery {
  id: string
  contract_id: string
  quantity: number
  delivered_at: Date
  status: 'pending' | 'inspected'
  accepted: number | null
  rejected: number | null
  note: string | null
  inspected_at: Date | null
}

export interface SubcontractStatusView {
  contract: StoredSubcontract
  deliveries: StoredSubcontractDelivery[]
  /** Units delivered and not yet inspected: not counted in the evaluation. */
  pending_inspection: number
  /** The moment evaluated: now, or the closing time of a closed contract. */
  as_of: Date
  evaluation: {
    delivered: number
    accepted: number
    rejected: number
    accepted_on_time: number
    shortfall: number
    fulfilment_bps: number
    deadline_passed: boolean
    gross: Money
    penalty: Money
    penalty_charged: Money
    invoice: Money
  }
}

type ContractRow = typeof subcontracts.$inferSelect
type DeliveryRow = typeof subcontractDeliveries.$inferSelect

function toContract(row: ContractRow): StoredSubcontract {
  return {
    id: row.id,
    buyer_id: row.buyerId,
    producer_id: row.producerId,
    items: row.items,
    currency: checkCurrency(row.currency),
    target_quantity: row.targetQuantity,
    unit_price: money(row.unitPrice, row.currency),
    deadline: row.deadline,
    penalty: row.penalty,
    penalty_cap: row.penaltyCap === null ? null : money(row.penaltyCap, row.currency),
    status: row.status,
    closed_at: row.closedAt,
    penalty_transaction_id: row.penaltyTransactionId,
    created_at: row.createdAt,
  }
}

function toDelivery(row: DeliveryRow): StoredSubcontractDelivery {
  return {
    id: row.id,
    contract_id: row.contractId,
    quantity: row.quantity,
    delivered_at: row.deliveredAt,
    status: row.inspectedAt === null ? 'pending' : 'inspected',
    accepted: row.accepted,
    rejected: row.rejected,
    note: row.note,
    inspected_at: row.inspectedAt,
  }
}

/** A contract the acting party is the buyer or the producer of; anyone else's is a 404. */
async function contractFor(
  db: Executor,
  scope: PartnershipScope,
  id: string,
  options: { lock?: boolean } = {},
): Promise<ContractRow> {
  const query = db
    .select()
    .from(subcontracts)
    .where(
      and(
        eq(subcontracts.id, id),
        or(eq(subcontracts.buyerId, scope.partyId), eq(subcontracts.producerId, scope.partyId)),
      ),
    )
  const [row] = options.lock ? await query.for('update') : await query
  if (row === undefined) throw notFound('subcontract', id)
  return row
}

function onlyThe(
  side: 'buyer' | 'producer',
  row: ContractRow,
  scope: PartnershipScope,
  what: string,
) {
  const partyId = side === 'buyer' ? row.buyerId : row.producerId
  if (partyId !== scope.partyId) {
    throw new MitraError('forbidden', `Only the contract's ${side} ${what}`)
  }
}

function requireOpen(row: ContractRow): void {
  if (row.status !== 'open') {
    throw new MitraError('illegal_status_transition', `Subcontract ${row.id} is closed`)
  }
}

/** The pure contract of a row, as `evaluateSubcontract` reads it. */
function pureContract(row: ContractRow): Subcontract {
  return defineSubcontract({
    id: row.id as Subcontract['id'],
    producer_id: row.producerId as Subcontract['producer_id'],
    buyer_id: row.buyerId as Subcontract['buyer_id'],
    currency: row.currency,
    target_quantity: row.targetQuantity,
    unit_price: row.unitPrice,
    deadline: row.deadline,
    penalty: row.penalty,
    penalty_cap: row.penaltyCap,
  })
}

function snakeEvaluation(e: SubcontractEvaluation): SubcontractStatusView['evaluation'] {
  return {
    delivered: e.delivered,
    accepted: e.accepted,
    rejected: e.rejected,
    accepted_on_time: e.acceptedOnTime,
    shortfall: e.shortfall,
    fulfilment_bps: e.fulfilmentBps,
    deadline_passed: e.deadlinePassed,
    gross: e.gross,
    penalty: e.penalty,
    penalty_charged: e.penaltyCharged,
    invoice: e.invoice,
  }
}

async function statusOf(db: Executor, row: ContractRow, now: Date): Promise<SubcontractStatusView> {
  const rows = await db
    .select()
    .from(subcontractDeliveries)
    .where(eq(subcontractDeliveries.contractId, row.id))
    .orderBy(asc(subcontractDeliveries.id))
  const inspected: SubcontractDelivery[] = []
  let pending = 0
  for (const d of rows) {
    if (d.accepted === null) pending += d.quantity
    else inspected.push({ delivered_at: d.deliveredAt, quantity: d.quantity, accepted: d.accepted })
  }
  const asOf = row.closedAt ?? now
  return {
    contract: toContract(row),
    deliveries: rows.map(toDelivery),
    pending_inspection: pending,
    as_of: asOf,
    evaluation: snakeEvaluation(evaluateSubcontract(pureContract(row), inspected, asOf)),
  }
}

/**
 * A buyer contracts a producer group: items (catalogue variants of the producer, or
 * descriptions), a target quantity, a unit price, a deadline and a penalty (per unit short or
 * a percentage of the value short, optionally capped). The acting party must be a buyer and
 * `producer_id` a producer (422 `wrong_party_kind` naming the field).
 */
export async function createSubcontract(
  db: Executor,
  scope: PartnershipScope,
  input: SubcontractStoreInput,
): Promise<StoredSubcontract> {
  const parsed = parseInput(subcontractInputSchema, input)
  const currency = parsed.unit_price.currency
  if (parsed.penalty_cap !== null && parsed.penalty_cap.currency !== currency) {
    throw fieldError('penalty_cap.currency', 'currency_mismatch', `expected ${currency}`)
  }
  return atomically(db, async (tx) => {
    await requireActingKind(tx, scope, 'buyer', 'buyer_id')
    await requirePartyKind(tx, parsed.producer_id, 'producer', 'producer_id')
    const variantIds = parsed.items.flatMap((item) => item.variant_id ?? [])
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
      const missing = parsed.items.findIndex(
        (item) => item.variant_id !== undefined && !known.has(item.variant_id),
      )
      if (missing >= 0) {
        throw fieldError(
          `items.${missing}.variant_id`,
          'not_found',
          "not a variant of the producer's catalogue",
        )
      }
    }
    const id = newId('ctr')
    // Validates the contract as the pure functions will read it (422 naming each field).
    defineSubcontract({
      id,
      producer_id: parsed.producer_id,
      buyer_id: scope.partyId as Subcontract['buyer_id'],
      currency,
      target_quantity: parsed.target_quantity,
      unit_price: parsed.unit_price.amount,
      deadline: parsed.deadline,
      penalty: parsed.penalty,
      penalty_cap: parsed.penalty_cap?.amount ?? null,
    })
    const [row] = await tx
      .insert(subcontracts)
      .values({
        id,
        buyerId: scope.partyId,
        producerId: parsed.producer_id,
        items: parsed.items.map((item) => ({
          variant_id: item.variant_id ?? null,
          description: item.description ?? null,
        })),
        currency,
        targetQuantity: parsed.target_quantity,
        unitPrice: parsed.unit_price.amount,
        deadline: parsed.deadline,
        penalty: parsed.penalty,
        penaltyCap: parsed.penalty_cap?.amount ?? null,
        createdBy: actorOf(scope),
      })
      .returning()
    return toContract(row as ContractRow)
  })
}

export const listSubcontractsQuerySchema = z.strictObject({
  status: z.enum(['open', 'closed']).optional(),
  /** Only those with this party (the buyer or the producer on the other side). */
  counterparty_id: idSchema('pty').optional(),
  /** `next_cursor` of the previous page. */
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
export type ListSubcontractsQuery = z.input<typeof listSubcontractsQuerySchema>

/**
 * The acting party's subcontracts, as buyer or producer, oldest first, by pages
 * (`next_cursor` is opaque, null on the last page).
 */
export async function listSubcontracts(
  db: Executor,
  scope: PartnershipScope,
  query: ListSubcontractsQuery = {},
): Promise<{ data: StoredSubcontract[]; next_cursor: string | null }> {
  const parsed = parseInput(listSubcontractsQuerySchema, query)
  const me = scope.partyId
  const conditions = betweenParties(
    me,
    [subcontracts.buyerId, subcontracts.producerId],
    parsed.counterparty_id,
  )
  if (parsed.status !== undefined) conditions.push(eq(subcontracts.status, parsed.status))
  const after = cursorId(parsed.cursor)
  if (after !== undefined) conditions.push(gt(subcontracts.id, after))
  const rows = await db
    .select()
    .from(subcontracts)
    .where(and(...conditions))
    .orderBy(asc(subcontracts.id))
    .limit(parsed.limit + 1)
  const { page, next } = pageOf(rows, parsed.limit, (row) => row.id)
  return {
    data: page.map(toContract),
    next_cursor: next,
  }
}

/** A contract seen by its buyer or producer (anyone else: 404). */
export async function getSubcontract(
  db: Executor,
  scope: PartnershipScope,
  id: string,
): Promise<StoredSubcontract> {
  return toContract(await contractFor(db, scope, id))
}

/**
 * The producer records a delivery under an open contract; it awaits the buyer's inspection.
 * Only the producer may (the buyer: 403); the contract of anyone else is a 404.
 */
export async function recordSubcontractDelivery(
  db: Executor,
  scope: PartnershipScope,
  contractId: string,
  input: z.input<typeof subcontractDeliveryInputSchema>,
  options: { now?: Date } = {},
): Promise<StoredSubcontractDelivery> {
  const parsed = parseInput(subcontractDeliveryInputSchema, input)
  const now = options.now ?? new Date()
  const deliveredAt = parsed.delivered_at ?? now
  if (deliveredAt.getTime() > now.getTime() + 5 * 60_000) {
    throw fieldError('delivered_at', 'in_future', 'a delivery cannot be recorded in the future')
  }
  return atomically(db, async (tx) => {
    const row = await contractFor(tx, scope, contractId, { lock: true })
    onlyThe('producer', row, scope, 'records deliveries')
    requireOpen(row)
    const [delivery] = await tx
      .insert(subcontractDeliveries)
      .values({
        id: newId('dlv'),
        contractId: row.id,
        quantity: parsed.quantity,
        deliveredAt,
        recordedBy: actorOf(scope),
      })
      .returning()
    return toDelivery(delivery as DeliveryRow)
  })
}

/**
 * The buyer inspects a delivery once: accepted + rejected must be what was delivered (422
 * naming `accepted`). Inspecting again with the same numbers returns the inspection; with
 * other numbers it is a 409. Only the buyer may (the producer: 403).
 */
export async function inspectDelivery(
  db: Executor,
  scope: PartnershipScope,
  deliveryId: string,
  input: z.input<typeof subcontractInspectionSchema>,
): Promise<StoredSubcontractDelivery> {
  const parsed = parseInput(subcontractInspectionSchema, input)
  return atomically(db, async (tx) => {
    const [found] = await tx
      .select({ contractId: subcontractDeliveries.contractId })
      .from(subcontractDeliveries)
      .where(eq(subcontractDeliveries.id, deliveryId))
    if (found === undefined) throw notFound('subcontract delivery', deliveryId)
    let contract: ContractRow
    try {
      contract = await contractFor(tx, scope, found.contractId, { lock: true })
    } catch (error) {
      if (error instanceof MitraError && error.code === 'not_found') {
        throw notFound('subcontract delivery', deliveryId)
      }
      throw error
    }
    onlyThe('buyer', contract, scope, 'inspects deliveries')
    const [delivery] = await tx
      .select()
      .from(subcontractDeliveries)
      .where(eq(subcontractDeliveries.id, deliveryId))
      .for('update')
    const row = delivery as DeliveryRow
    if (parsed.accepted + parsed.rejected !== row.quantity) {
      throw fieldError(
        'accepted',
        'inspection_mismatch',
        `accepted + rejected must be the ${row.quantity} units delivered`,
      )
    }
    if (row.inspectedAt !== null) {
      if (row.accepted === parsed.accepted && row.rejected === parsed.rejected) {
        return toDelivery(row)
      }
      throw new MitraError('conflict', `Delivery ${deliveryId} was already inspected`, {
        errors: [{ path: 'accepted', code: 'already_inspected', message: 'already inspected' }],
      })
    }
    requireOpen(contract)
    const [updated] = await tx
      .update(subcontractDeliveries)
      .set({
        accepted: parsed.accepted,
        rejected: parsed.rejected,
        note: parsed.note ?? null,
        inspectedAt: new Date(),
        inspectedBy: actorOf(scope),
      })
      .where(eq(subcontractDeliveries.id, deliveryId))
      .returning()
    return toDelivery(updated as DeliveryRow)
  })
}

/**
 * Where a contract stands: its deliveries, units awaiting inspection, and the evaluation of
 * the inspected deliveries (fulfilment rate, penalty, invoice) now — or, once closed, at the
 * moment it was closed. Buyer and producer only (anyone else: 404).
 */
export async function subcontractStatus(
  db: Executor,
  scope: PartnershipScope,
  id: string,
  options: { now?: Date } = {},
): Promise<SubcontractStatusView> {
  const row = await contractFor(db, scope, id)
  return statusOf(db, row, options.now ?? new Date())
}

/**
 * The buyer closes a contract after its deadline, once every delivery is inspected: the
 * penalty charged (never more than the invoice's gross) is posted to the ledger once, with the
 * contract id as its source. Closing a closed contract returns it as it was closed.
 */
export async function closeSubcontract(
  db: Executor,
  scope: PartnershipScope,
  id: string,
  options: { now?: Date } = {},
): Promise<SubcontractStatusView & { penalty_transaction: PostedTransaction | null }> {
  const now = options.now ?? new Date()
  return atomically(db, async (tx) => {
    const row = await contractFor(tx, scope, id, { lock: true })
    onlyThe('buyer', row, scope, 'closes the contract')
    if (row.status === 'closed') {
      return { ...(await statusOf(tx, row, now)), penalty_transaction: null }
    }
    if (now.getTime() <= row.deadline.getTime()) {
      throw new MitraError(
        'illegal_status_transition',
        `Subcontract ${id} can be closed only after its deadline`,
      )
    }
    const view = await statusOf(tx, { ...row, closedAt: now }, now)
    if (view.pending_inspection > 0) {
      throw new MitraError(
        'conflict',
        `Subcontract ${id} has ${view.pending_inspection} units awaiting inspection`,
      )
    }
    const charged = view.evaluation.penalty_charged
    const posted =
      charged.amount > 0
        ? await postPenalty(
            tx,
            {
              sourceId: row.id,
              producerId: row.producerId,
              buyerId: row.buyerId,
              amount: charged,
              memo: `Subcontract ${row.id}: ${view.evaluation.shortfall} units short of ${row.targetQuantity}`,
            },
            { occurredAt: now },
          )
        : null
    const [closed] = await tx
      .update(subcontracts)
      .set({
        status: 'closed',
        closedAt: now,
        closedBy: actorOf(scope),
        penaltyTransactionId: posted?.id ?? null,
        updatedAt: now,
      })
      .where(eq(subcontracts.id, id))
      .returning()
    return { ...(await statusOf(tx, closed as ContractRow, now)), penalty_transaction: posted }
  })
}

// ---------------------------------------------------------------------------------------
// Inti-plasma advances

export const advanceInputSchema = z.strictObject({
  producer_id: idSchema('pty'),
  /** The value of the inputs given on credit. */
  amount: moneySchema.refine((m) => m.amount > 0, {
    message: 'an advance is positive',
    path: ['amount'],
  }),
  /** What was advanced: cloth, wax, tools … */
  description: z.string().trim().min(1).max(500),
  /** The active inti-plasma partnership it falls under (repaid by its agreed share). */
  partnership_id: idSchema('ctr').optional(),
})

export interface RecordedAdvance {
  id: string
  /** The inti-plasma partnership it falls under (null: recorded without one). */
  partnership_id: string | null
  producer_id: string
  core_partner_id: string
  amount: Money
  description: string
  transaction_id: string
  occurred_at: Date
}

/**
 * A core partner records inputs (cloth, wax, tools) advanced to a producer on credit: the
 * producer owes it until repaid from settlements. The acting party must be a core partner and
 * `producer_id` a producer (422 `wrong_party_kind` naming the field). With `partnership_id`
 * it is recorded under that active inti-plasma partnership with the producer (see
 * `recordIntiPlasmaAdvance`), and settlements repay it by the partnership's agreed share.
 */
export async function recordAdvance(
  db: Executor,
  scope: PartnershipScope,
  input: z.input<typeof advanceInputSchema>,
): Promise<RecordedAdvance> {
  const parsed = parseInput(advanceInputSchema, input)
  return atomically(db, async (tx) => {
    await requireActingKind(tx, scope, 'core_partner', 'core_partner_id')
    await requirePartyKind(tx, parsed.producer_id, 'producer', 'producer_id')
    if (parsed.partnership_id !== undefined) {
      const partnership = await getIntiPlasmaPartnership(tx, scope, parsed.partnership_id)
      if (partnership.producer_id !== parsed.producer_id) {
        throw fieldError(
          'partnership_id',
          'wrong_partnership',
          `not a partnership with producer ${parsed.producer_id}`,
        )
      }
      const recorded = await recordIntiPlasmaAdvance(tx, scope, partnership.id, {
        amount: parsed.amount,
        description: parsed.description,
      })
      return { ...recorded, partnership_id: partnership.id }
    }
    const id = newId('adv')
    const posted = await postAdvance(tx, {
      sourceId: id,
      producerId: parsed.producer_id,
      corePartnerId: scope.partyId,
      amount: money(parsed.amount.amount, parsed.amount.currency),
      memo: parsed.description,
    })
    return {
      id,
      partnership_id: null,
      producer_id: parsed.producer_id,
      core_partner_id: scope.partyId,
      amount: money(parsed.amount.amount, parsed.amount.currency),
      description: parsed.description,
      transaction_id: posted.id,
      occurred_at: posted.occurredAt,
    }
  })
}

export interface OutstandingAdvances {
  producer_id: string
  currency: CurrencyCode
  total: Money
  by_core_partner: { core_partner_id: string; outstanding: Money }[]
}

/**
 * What a producer still owes for advances: the producer sees all its core partners, a core
 * partner only what it funded. Anyone else, or a core partner that never advanced anything to
 * the producer, gets a 404.
 */
export async function outstandingAdvances(
  db: Executor,
  scope: PartnershipScope,
  input: { producerId: string; currency?: CurrencyCode | string },
): Promise<OutstandingAdvances> {
  const currency = checkCurrency(input.currency ?? 'IDR')
  const funders = await db
    .selectDistinct({ corePartnerId: journalLines.counterpartyId })
    .from(journalLines)
    .where(
      and(
        eq(journalLines.partyId, input.producerId),
        eq(journalLines.purpose, 'advances_receivable'),
        eq(journalLines.currency, currency),
      ),
    )
    .orderBy(asc(journalLines.counterpartyId))
  const all = funders.flatMap((f) => (f.corePartnerId === null ? [] : [f.corePartnerId]))
  let visible: string[]
  if (scope.partyId === input.producerId) {
    if ((await partyKindOf(db, input.producerId)) === undefined) {
      throw notFound('producer', input.producerId, 'producer_id')
    }
    visible = all
  } else if (all.includes(scope.partyId)) {
    visible = [scope.partyId]
  } else {
    throw notFound('producer', input.producerId, 'producer_id')
  }
  const byCorePartner = await Promise.all(
    visible.map(async (corePartnerId) => ({
      core_partner_id: corePartnerId,
      outstanding: await advanceOutstanding(db, {
        producerId: input.producerId,
        corePartnerId,
        currency,
      }),
    })),
  )
  const total = byCorePartner.reduce((sum, row) => sum + row.outstanding.amount, 0)
  return {
    producer_id: input.producerId,
    currency,
    total: money(total, currency),
    by_core_partner: byCorePartner,
  }
}
