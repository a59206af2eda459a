import {
  type CurrencyCode,
  currency as checkCurrency,
  MitraError,
  type Money,
  money,
} from '@mitra/core'
import {
  atomically,
  type Executor,
  intiPlasmaDeductionRuns,
  intiPlasmaPartnerships,
} from '@mitra/db'
import { and, asc, eq } from 'drizzle-orm'
import { advanceDeductionEntry } from '../entries.js'
import { getTransaction, type PostedTransaction, postEntry } from '../ledger.js'
import { partnershipOutstanding } from './partnerships.js'
import { type DeductionClaim, planDeductions } from './terms.js'

export interface SettlementDeductionsInput {
  producerId: string
  currency: CurrencyCode | string
  /** What the producer is about to be paid, before the deductions. */
  owed: Money
  occurredAt?: Date
  /** The settlement or payout: each producer's deductions for it are posted once. */
  sourceId: string
}

/** The source id of one partnership's deduction from one settlement. */
export const settlementDeductionSourceId = (sourceId: string, partnershipId: string) =>
  `${sourceId}:${partnershipId}`

/**
 * Repays inti-plasma advances from a producer's settlement, inside the caller's transaction
 * (call it before the payout is computed: each deduction lowers `payable_to_producer`). Every
 * active partnership of the producer in the currency with advances outstanding gets an
 * `advance_deduction` of up to its agreed share of `owed`, never more than is outstanding;
 * the partnership accepted first goes first, and each later one gets at most what the
 * earlier ones left, so together they never exceed `owed` (`planDeductions`).
 *
 * A settlement deducts once per producer: called again with the same `sourceId` it returns
 * what it posted the first time (`replayed: true`), even if nothing was; with another `owed`
 * it is a 409 `source_already_posted`. The producer's active partnerships are locked, so
 * deductions from two settlements of one producer take turns and never repay a rupiah twice.
 */
export async function postSettlementDeductions(
  tx: Executor,
  input: SettlementDeductionsInput,
): Promise<PostedTransaction[]> {
  const currency = checkCurrency(input.currency)
  if (input.owed.currency !== currency) {
    throw new MitraError('currency_mismatch', `The amount owed must be in ${currency}`)
  }
  if (input.sourceId.length === 0) {
    throw new MitraError('validation_failed', 'A settlement deduction needs a source id')
  }
  const owed = Math.max(0, input.owed.amount)
  return atomically(tx, async (db) => {
    const active = await activePartnerships(db, input.producerId, currency).for('update')

    const [run] = await db
      .select()
      .from(intiPlasmaDeductionRuns)
      .where(
        and(
          eq(intiPlasmaDeductionRuns.sourceId, input.sourceId),
          eq(intiPlasmaDeductionRuns.producerId, input.producerId),
        ),
      )
    if (run !== undefined) return replay(db, run, currency, owed)

    const plan = planDeductions(await claimsOf(db, active), money(owed, currency))
    const posted: PostedTransaction[] = []
    for (const [i, step] of plan.entries()) {
      const partnership = active[i]
      if (partnership === undefined || step.amount.amount === 0) continue
      const entry = advanceDeductionEntry({
        sourceId: settlementDeductionSourceId(input.sourceId, partnership.id),
        producerId: partnership.producerId,
        corePartnerId: partnership.corePartnerId,
        amount: step.amount,
        agreementId: partnership.id,
        memo: `Advance repaid from settlement ${input.sourceId} (up to ${partnership.maxDeductionBps / 100} %)`,
      })
      posted.push(
        await postEntry(
          db,
          entry,
          input.occurredAt === undefined ? {} : { occurredAt: input.occurredAt },
        ),
      )
    }
    const [inserted] = await db
      .insert(intiPlasmaDeductionRuns)
      .values({
        sourceId: input.sourceId,
        producerId: input.producerId,
        currency,
        owed,
        transactionIds: posted.map((t) => t.id),
      })
      .onConflictDoNothing()
      .returning()
    if (inserted === undefined) {
      // Only possible when nothing was locked: a concurrent run of the same settlement.
      const [raced] = await db
        .select()
        .from(intiPlasmaDeductionRuns)
        .where(
          and(
            eq(intiPlasmaDeductionRuns.sourceId, input.sourceId),
            eq(intiPlasmaDeductionRuns.producerId, input.producerId),
          ),
        )
      if (raced !== undefined && posted.length === 0) return replay(db, raced, currency, owed)
      throw new MitraError('conflict', `Settlement ${input.sourceId} is being deducted`)
    }
    return posted
  })
}

async function replay(
  db: Executor,
  run: typeof intiPlasmaDeductionRuns.$inferSelect,
  currency: CurrencyCode,
  owed: number,
): Promise<PostedTransaction[]> {
  if (run.currency !== currency || run.owed !== owed) {
    throw new MitraError(
      'source_already_posted',
      `Settlement ${run.sourceId} already deducted advances from ${run.owed} ${run.currency} owed`,
      { extensions: { owed: money(run.owed, run.currency) } },
    )
  }
  const transactions: PostedTransaction[] = []
  for (const id of run.transactionIds) {
    transactions.push({ ...(await getTransaction(db, id)), replayed: true })
  }
  return transactions
}

/**
 * What `postSettlementDeductions` would repay now from `owed`, without posting or locking
 * anything: for a payout preview.
 */
export async function plannedRepayment(
  db: Executor,
  input: { producerId: string; currency: CurrencyCode; owed: Money },
): Promise<Money> {
  const active = await activePartnerships(db, input.producerId, input.currency)
  if (active.length === 0 || input.owed.amount <= 0) return money(0, input.currency)
  const total = planDeductions(await claimsOf(db, active), input.owed).reduce(
    (sum, step) => sum + step.amount.amount,
    0,
  )
  return money(total, input.currency)
}

/** A producer's partnerships in force in one currency, the oldest first (repaid first). */
function activePartnerships(db: Executor, producerId: string, currency: CurrencyCode) {
  return db
    .select()
    .from(intiPlasmaPartnerships)
    .where(
      and(
        eq(intiPlasmaPartnerships.producerId, producerId),
        eq(intiPlasmaPartnerships.currency, currency),
        eq(intiPlasmaPartnerships.status, 'active'),
      ),
    )
    .orderBy(asc(intiPlasmaPartnerships.acceptedAt), asc(intiPlasmaPartnerships.id))
}

/** Each partnership's claim on a settlement: what is outstanding, and the agreed share. */
function claimsOf(
  db: Executor,
  partnerships: readonly (typeof intiPlasmaPartnerships.$inferSelect)[],
): Promise<DeductionClaim[]> {
  return Promise.all(
    partnerships.map(async (p) => ({
      partnershipId: p.id,
      outstanding: await partnershipOutstanding(db, p),
      maxShareBps: p.maxDeductionBps,
    })),
  )
}
