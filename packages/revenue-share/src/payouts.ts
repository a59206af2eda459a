import {
  type CurrencyCode,
  currency as checkCurrency,
  conflict,
  MitraError,
  type Money,
  money,
  newId,
  notFound,
} from '@mitra/core'
import {
  atomically,
  constraintOf,
  type Executor,
  journalLines,
  journalTransactions,
  ledgerAccounts,
  type PayoutStatus,
  payoutItems,
  payouts,
  sqlState,
  sqlStateOf,
} from '@mitra/db'
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm'
import {
  amountDue,
  type PayableItem,
  payablePurposes,
  payoutEntry,
  payoutReversalEntry,
} from './entries.js'
import { getTransaction, type PostedTransaction, postEntry } from './ledger.js'

/**
 * Payouts "on items": a payout pays a set of payable journal lines — every sale share,
 * refund, deduction or penalty owed to or charged to the party that no payout has paid yet —
 * and each line is paid by at most one payout that was not reversed (a partial unique
 * index holds this in the database, whatever runs at the same time).
 */

export interface PayoutPreview {
  partyId: string
  currency: CurrencyCode
  items: PayableItem[]
  /** What the items add up to, owed to the party. */
  amount: Money
  minimum: Money
  /** Whether a payout can be posted now (the amount is positive and at least the minimum). */
  payable: boolean
}

export interface Payout {
  id: string
  partyId: string
  currency: CurrencyCode
  amount: Money
  status: PayoutStatus
  transactionId: string
  reversalTransactionId: string | null
  items: PayableItem[]
  createdAt: Date
}

async function unpaidItems(
  db: Executor,
  partyId: string,
  currency: CurrencyCode,
): Promise<PayableItem[]> {
  const rows = await db
    .select({
      transactionId: journalLines.transactionId,
      position: journalLines.position,
      purpose: journalLines.purpose,
      amount: journalLines.amount,
    })
    .from(journalLines)
    .innerJoin(journalTransactions, eq(journalTransactions.id, journalLines.transactionId))
    .where(
      and(
        eq(journalLines.partyId, partyId),
        eq(journalLines.currency, currency),
        inArray(journalLines.purpose, [...payablePurposes]),
        notInArray(journalTransactions.kind, ['payout', 'payout_reversal']),
        sql`not exists (select 1 from ${payoutItems} where ${payoutItems.transactionId} = ${journalLines.transactionId} and ${payoutItems.position} = ${journalLines.position} and not ${payoutItems.released})`,
      ),
    )
    .orderBy(asc(journalLines.transactionId), asc(journalLines.position))
  return rows
}

/** What a payout to the party would pay now, item by item, before anything is posted. */
export async function previewPayout(
  db: Executor,
  input: { partyId: string; currency: CurrencyCode | string; minimum?: Money },
): Promise<PayoutPreview> {
  const currency = checkCurrency(input.currency)
  const minimum = input.minimum ?? money(1, currency)
  if (minimum.currency !== currency) {
    throw new MitraError('currency_mismatch', `The minimum payout must be in ${currency}`)
  }
  const items = await unpaidItems(db, input.partyId, currency)
  const amount = amountDue(items)
  return {
    partyId: input.partyId,
    currency,
    items,
    amount: money(amount, currency),
    minimum,
    payable: amount > 0 && amount >= minimum.amount,
  }
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
  const items = await db
    .select({
      transactionId: payoutItems.transactionId,
      position: payoutItems.position,
      purpose: journalLines.purpose,
      amount: payoutItems.amount,
    })
    .from(payoutItems)
    .innerJoin(
      journalLines,
      and(
        eq(journalLines.transactionId, payoutItems.transactionId),
        eq(journalLines.position, payoutItems.position),
      ),
    )
    .where(eq(payoutItems.payoutId, id))
    .orderBy(asc(payoutItems.transactionId), asc(payoutItems.position))
  const currency = checkCurrency(row.currency)
  return {
    id: row.id,
    partyId: row.partyId,
    currency,
    amount: money(row.amount, currency),
    status: row.status,
    transactionId: row.transactionId,
    reversalTransactionId: row.reversalTransactionId,
    items,
    createdAt: row.createdAt,
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
    // Payouts to one party take turns; sales crediting it go on (no key update).
    await tx
      .select({ purpose: ledgerAccounts.purpose })
      .from(ledgerAccounts)
      .where(and(eq(ledgerAccounts.partyId, input.partyId), eq(ledgerAccounts.currency, currency)))
      .for('no key update')
    const preview = await previewPayout(tx, { ...input, currency })
    if (
      input.expectedAmount !== undefined &&
      input.expectedAmount.amount !== preview.amount.amount
    ) {
      throw new MitraError(
        'payout_stale',
        `The preview showed ${input.expectedAmount.amount}; ${preview.amount.amount} is due now`,
        { extensions: { amount_due: preview.amount } },
      )
    }
    if (!preview.payable) {
      throw new MitraError(
        'payout_below_minimum',
        `${preview.amount.amount} is due; the minimum payout is ${preview.minimum.amount}`,
        { extensions: { amount_due: preview.amount, minimum: preview.minimum } },
      )
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
    await tx.insert(payouts).values({
      id,
      partyId: input.partyId,
      currency,
      amount: preview.amount.amount,
      transactionId: posted.id,
    })
    try {
      await tx.insert(payoutItems).values(
        preview.items.map((item) => ({
          payoutId: id,
          transactionId: item.transactionId,
          position: item.position,
          amount: item.amount,
        })),
      )
    } catch (error) {
      if (
        sqlStateOf(error) === sqlState.uniqueViolation &&
        constraintOf(error) === 'payout_items_line_paid_once'
      ) {
        throw conflict('items', 'An item was paid by another payout at the same time', error)
      }
      throw error
    }
    return loadPayout(tx, id)
  })
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
    const [row] = await tx
      .select()
      .from(payouts)
      .where(eq(payouts.id, input.payoutId))
      .for('update')
    if (row === undefined) throw notFound('payout', input.payoutId)
    if (row.status === 'reversed') return loadPayout(tx, row.id)
    const original: PostedTransaction = await getTransaction(tx, row.transactionId)
    const reversal = await postEntry(tx, payoutReversalEntry(original, input.reason), {
      reversesId: original.id,
      ...(input.occurredAt === undefined ? {} : { occurredAt: input.occurredAt }),
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
