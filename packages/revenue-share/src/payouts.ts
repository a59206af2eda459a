import {
  type CurrencyCode,
  currency as checkCurrency,
  MitraError,
  type Money,
  money,
  newId,
  notFound,
} from '@mitra/core'
import {
  type AccountPurpose,
  atomically,
  type Executor,
  intiPlasmaPartnerships,
  type PayoutStatus,
  payoutItems,
  payouts,
} from '@mitra/db'
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm'
import {
  amountDue,
  type PayableItem,
  payoutEntry,
  payoutPaidEntry,
  payoutPaidReversalEntry,
  payoutReversalEntry,
} from './entries.js'
import { availableFunds, insufficientFunds, lockFunds, platformIds } from './funds.js'
import { plannedRepayment, postSettlementDeductions } from './inti-plasma/deductions.js'
import { getTransaction, type PostedTransaction, postEntry } from './ledger.js'
import {
  type ChainHead,
  captureHorizon,
  chainHeads,
  checkHorizon,
  type Horizon,
  insertPayoutItems,
  itemsOf,
  lockParties,
  mapPayoutConflict,
  rowsOf,
  unpaidLines,
} from './payout-coverage.js'

/**
 * Payouts "on items": a payout pays a set of payable journal lines — every sale share,
 * refund, deduction or penalty owed to or charged to the party that no payout has paid yet —
 * and each line is paid by at most one payout that was not reversed.
 *
 * Payouts of one (party, currency) form a chain and take turns (each locks the party's
 * ledger accounts). A payout covers most of its items by snapshot, without a row per line:
 * the lines of transactions its snapshot sees and the previous payout's did not (see the
 * `payouts` table). The rest — lines posted earlier in its own transaction, lines owed
 * again after a reversal — get `payout_items` rows, which a partial unique index keeps to
 * one live payout per line.
 */

export interface PayoutPreview {
  partyId: string
  currency: CurrencyCode
  items: PayableItem[]
  /** What the items add up to, owed to the party. */
  amount: Money
  /** Inti-plasma: what a payout now repays of the producer's advances first (else 0). */
  advanceRepayment: Money
  /** What a payout now pays out: `amount` less `advanceRepayment`. */
  net: Money
  minimum: Money
  /** Whether a payout can be posted now (what it pays is positive and at least the minimum). */
  payable: boolean
}

export interface Payout extends PayoutSummary {
  items: PayableItem[]
}

interface UnpaidRow {
  party_id: string
  purpose: string
  transaction_id: string
  position: number
  amount: string | number
  by_snapshot: boolean
}

type UnpaidItem = PayableItem & { bySnapshot: boolean }

async function unpaidItems(
  db: Executor,
  partyId: string,
  currency: CurrencyCode,
  horizon: Horizon | null = null,
  heads?: ChainHead[],
): Promise<UnpaidItem[]> {
  heads ??= await chainHeads(db, currency, [partyId])
  const rows = rowsOf<UnpaidRow>(
    await db.execute(sql`
      select * from (${unpaidLines(currency, heads, horizon)}) u
      order by transaction_id, position`),
  )
  return rows.map((row) => ({
    transactionId: row.transaction_id,
    position: Number(row.position),
    purpose: row.purpose as AccountPurpose,
    amount: Number(row.amount),
    bySnapshot: row.by_snapshot === true,
  }))
}

function toPreview(
  partyId: string,
  currency: CurrencyCode,
  minimum: Money,
  items: PayableItem[],
): PayoutPreview {
  const amount = amountDue(items)
  return {
    partyId,
    currency,
    items,
    amount: money(amount, currency),
    advanceRepayment: money(0, currency),
    net: money(amount, currency),
    minimum,
    payable: amount > 0 && amount >= minimum.amount,
  }
}

function minimumOf(currency: CurrencyCode, minimum: Money | undefined): Money {
  const value = minimum ?? money(1, currency)
  if (value.currency !== currency) {
    throw new MitraError('currency_mismatch', `The minimum payout must be in ${currency}`)
  }
  return value
}

const withoutFlag = ({ bySnapshot: _, ...item }: UnpaidItem): PayableItem => item

/** What a payout to the party would pay now, item by item, before anything is posted. */
export async function previewPayout(
  db: Executor,
  input: { partyId: string; currency: CurrencyCode | string; minimum?: Money },
): Promise<PayoutPreview> {
  const currency = checkCurrency(input.currency)
  const minimum = minimumOf(currency, input.minimum)
  const items = await unpaidItems(db, input.partyId, currency)
  const preview = toPreview(input.partyId, currency, minimum, items.map(withoutFlag))
  const repayment = await plannedRepayment(db, {
    producerId: input.partyId,
    currency,
    owed: preview.amount,
  })
  if (repayment.amount === 0) return preview
  const net = preview.amount.amount - repayment.amount
  return {
    ...preview,
    advanceRepayment: repayment,
    net: money(net, currency),
    payable: net > 0 && net >= minimum.amount,
  }
}

/**
 * Inti-plasma: before a producer is paid, its advances are repaid from what it is owed, up
 * to each active partnership's agreed share (`postSettlementDeductions`), in the payout's
 * own transaction and before its snapshot, so the deductions are items of this payout.
 * Answers what each producer was owed before repaying (what a preview showed).
 */
export async function repayAdvancesBeforePayout(
  tx: Executor,
  currency: CurrencyCode,
  partyIds: readonly string[],
  sourceId: string,
): Promise<Map<string, number>> {
  const owedBefore = new Map<string, number>()
  if (partyIds.length === 0) return owedBefore
  const producers = await tx
    .selectDistinct({ producerId: intiPlasmaPartnerships.producerId })
    .from(intiPlasmaPartnerships)
    .where(
      and(
        eq(intiPlasmaPartnerships.status, 'active'),
        eq(intiPlasmaPartnerships.currency, currency),
        inArray(intiPlasmaPartnerships.producerId, [...partyIds]),
      ),
    )
  for (const { producerId } of producers) {
    const owed = (await previewPayout(tx, { partyId: producerId, currency })).amount
    owedBefore.set(producerId, owed.amount)
    if (owed.amount > 0) {
      await postSettlementDeductions(tx, { producerId, currency, owed, sourceId })
    }
  }
  return owedBefore
}

export interface PostPayoutInput {
  /** The payout's id (`po_…`), so a retried request posts it once. Default: a new one. */
  payoutId?: string
  partyId: string
  currency: CurrencyCode | string
  /** The agreement's minimum payout; below it nothing is paid. */
  minimum?: Money
  /** The amount the preview showed: if the items changed since, the payout is refused. */
  expectedAmount?: Money
  memo?: string | null
  occurredAt?: Date
}

async function loadPayout(db: Executor, id: string): Promise<Payout> {
  const [row] = await db.select().from(payouts).where(eq(payouts.id, id))
  if (row === undefined) throw notFound('payout', id)
  return { ...summaryOf(row), items: await itemsOf(db, id) }
}

function summaryOf(row: typeof payouts.$inferSelect): PayoutSummary {
  const currency = checkCurrency(row.currency)
  return {
    id: row.id,
    partyId: row.partyId,
    currency,
    amount: money(row.amount, currency),
    status: row.status,
    settlementId: row.settlementId,
    transactionId: row.transactionId,
    reversalTransactionId: row.reversalTransactionId,
    paidTransactionId: row.paidTransactionId,
    createdAt: row.createdAt,
    paidAt: row.paidAt,
    reversedAt: row.reversedAt,
  }
}

export function getPayout(db: Executor, id: string): Promise<Payout> {
  return loadPayout(db, id)
}

/**
 * Pays a party everything it is owed on unpaid items, if that reaches the minimum: one
 * journal transaction (payable accounts debited, `payouts_in_transit` credited), the payout
 * and its items, all or nothing. Payouts to one party take turns; an item already in a
 * payout is never paid again.
 */
export function postPayout(db: Executor, input: PostPayoutInput): Promise<Payout> {
  const currency = checkCurrency(input.currency)
  const id = input.payoutId ?? newId('po')
  return atomically(db, async (tx) => {
    const [existing] = await tx.select({ id: payouts.id }).from(payouts).where(eq(payouts.id, id))
    if (existing !== undefined) return loadPayout(tx, id)
    await lockFunds(tx, currency)
    await lockParties(tx, currency, [input.partyId])
    // Entries this payout must pay from its own transaction go in before the snapshot.
    const owedBefore = await repayAdvancesBeforePayout(tx, currency, [input.partyId], id)
    const horizon = await captureHorizon(tx)
    const heads = await chainHeads(tx, currency, [input.partyId])
    checkHorizon(horizon, heads)
    const unpaid = await unpaidItems(tx, input.partyId, currency, horizon, heads)
    const preview = toPreview(
      input.partyId,
      currency,
      minimumOf(currency, input.minimum),
      unpaid.map(withoutFlag),
    )
    // The preview shows what is owed on items, before any advance is repaid from it.
    const shown = owedBefore.get(input.partyId) ?? preview.amount.amount
    if (input.expectedAmount !== undefined && input.expectedAmount.amount !== shown) {
      throw new MitraError(
        'payout_stale',
        `The preview showed ${input.expectedAmount.amount}; ${shown} is due now`,
        { extensions: { amount_due: money(shown, currency) } },
      )
    }
    if (!preview.payable) {
      throw new MitraError(
        'payout_below_minimum',
        `${preview.amount.amount} is due; the minimum payout is ${preview.minimum.amount}`,
        { extensions: { amount_due: preview.amount, minimum: preview.minimum } },
      )
    }
    const available = await availableFunds(tx, currency)
    if (preview.amount.amount > available) {
      throw insufficientFunds(currency, preview.amount.amount, available)
    }
    const posted = await postEntry(
      tx,
      payoutEntry({
        payoutId: id,
        partyId: input.partyId,
        currency,
        items: preview.items,
        memo: input.memo ?? null,
      }),
      input.occurredAt === undefined ? {} : { occurredAt: input.occurredAt },
    )
    await tx
      .insert(payouts)
      .values({
        id,
        partyId: input.partyId,
        currency,
        amount: preview.amount.amount,
        transactionId: posted.id,
        chainPosition: (heads[0]?.position ?? 0) + 1,
        snapshot: horizon.snapshot,
      })
      .catch(mapPayoutConflict)
    await insertPayoutItems(
      tx,
      unpaid.filter((item) => !item.bySnapshot).map((item) => [id, withoutFlag(item)] as const),
    )
    return loadPayout(tx, id)
  })
}

/** The payout row, locked: changes of one payout take turns. 404 when there is none. */
async function lockedPayout(tx: Executor, id: string) {
  const [row] = await tx.select().from(payouts).where(eq(payouts.id, id)).for('update')
  if (row === undefined) throw notFound('payout', id)
  return row
}

/**
 * Reverses a payout that did not arrive: its journal lines mirrored, its items owed again
 * (and payable by a later payout). Reversing a reversed payout returns it as it is.
 */
export function reversePayout(
  db: Executor,
  input: { payoutId: string; reason: string; occurredAt?: Date },
): Promise<Payout> {
  return atomically(db, async (tx) => {
    const row = await lockedPayout(tx, input.payoutId)
    if (row.status === 'reversed') return loadPayout(tx, row.id)
    const at = input.occurredAt === undefined ? {} : { occurredAt: input.occurredAt }
    if (row.paidTransactionId !== null) {
      // It had arrived and came back: the money is in the funds again.
      const paid = await getTransaction(tx, row.paidTransactionId)
      await postEntry(tx, payoutPaidReversalEntry(paid, input.reason), {
        reversesId: paid.id,
        ...at,
      })
    }
    const original: PostedTransaction = await getTransaction(tx, row.transactionId)
    const reversal = await postEntry(tx, payoutReversalEntry(original, input.reason), {
      reversesId: original.id,
      ...at,
    })
    await tx
      .update(payouts)
      .set({
        status: 'reversed',
        reversalTransactionId: reversal.id,
        reversalReason: input.reason,
        reversedAt: new Date(),
      })
      .where(eq(payouts.id, row.id))
    await tx.update(payoutItems).set({ released: true }).where(eq(payoutItems.payoutId, row.id))
    return loadPayout(tx, row.id)
  })
}

/**
 * A payout arrived (the bank or provider confirmed it, or it was paid by hand): the money in
 * transit leaves the platform's funds. Once per payout; a reversed payout cannot arrive.
 */
export function markPayoutPaid(
  db: Executor,
  input: { payoutId: string; occurredAt?: Date },
): Promise<Payout> {
  return atomically(db, async (tx) => {
    const row = await lockedPayout(tx, input.payoutId)
    if (row.status === 'paid') return loadPayout(tx, row.id)
    if (row.status === 'reversed') {
      throw new MitraError(
        'illegal_status_transition',
        `Payout ${row.id} was reversed; it cannot be paid`,
      )
    }
    const [platformId] = await platformIds(tx)
    if (platformId === undefined) {
      throw new MitraError('platform_unavailable', 'Payouts are paid from the platform’s funds')
    }
    const occurredAt = input.occurredAt ?? new Date()
    const posted = await postEntry(
      tx,
      payoutPaidEntry({
        payoutId: row.id,
        partyId: row.partyId,
        platformId,
        amount: money(row.amount, checkCurrency(row.currency)),
      }),
      { occurredAt },
    )
    await tx
      .update(payouts)
      .set({ status: 'paid', paidTransactionId: posted.id, paidAt: occurredAt })
      .where(eq(payouts.id, row.id))
    return loadPayout(tx, row.id)
  })
}

/** Payouts as a list shows them: everything but the items (`getPayout` has those). */
export interface PayoutSummary {
  id: string
  partyId: string
  currency: CurrencyCode
  amount: Money
  status: PayoutStatus
  settlementId: string | null
  transactionId: string
  reversalTransactionId: string | null
  paidTransactionId: string | null
  createdAt: Date
  paidAt: Date | null
  reversedAt: Date | null
}

/**
 * Payouts, oldest first, by pages (`after`: the last id of the previous page): of one party,
 * or of everyone (`partyId` null, for the platform operator), optionally of one status.
 */
export async function listPayouts(
  db: Executor,
  query: { partyId: string | null; status?: PayoutStatus; after?: string; limit: number },
): Promise<PayoutSummary[]> {
  const conditions = [
    query.partyId === null ? undefined : eq(payouts.partyId, query.partyId),
    query.status === undefined ? undefined : eq(payouts.status, query.status),
    query.after === undefined ? undefined : gt(payouts.id, query.after),
  ]
  const rows = await db
    .select()
    .from(payouts)
    .where(and(...conditions))
    .orderBy(asc(payouts.id))
    .limit(query.limit)
  return rows.map(summaryOf)
}
