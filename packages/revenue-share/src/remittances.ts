import { cursorId, cursorSchema, pageOf } from '@mitra/catalog'
import {
  amountSchema,
  type CurrencyCode,
  currency as checkCurrency,
  currencyCodeSchema,
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
  constraintOf,
  type Executor,
  type RemittanceRow,
  type RemittanceStatus,
  remittanceStatuses,
  remittances,
  sqlState,
  sqlStateOf,
} from '@mitra/db'
import { and, asc, eq, gt, or, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { fromStoredClaims, toStoredClaims } from './claims.js'
import {
  type Claim,
  claimsLess,
  claimsTotal,
  handOverEntries,
  shareOfClaims,
} from './collection.js'
import { type JournalEntry, mirrorEntry } from './entries.js'
import { availableFunds, insufficientFunds, lockFunds, platformIds } from './funds.js'
import { holderStates } from './holders.js'
import { getTransaction, postEntries } from './ledger.js'
import type { ShareRole } from './policy.js'

/*
 * Remittances: a holder of money (a venue's counter cash, a core partner's purchases) hands
 * over what settlement asked of it. The holder records it with a reference or a photo of the
 * proof; the party that received it confirms it (or disputes it), and only a confirmed
 * remittance moves money in the ledger: straight to the party owed (`direct`), or into the
 * platform's funds, which pay everyone out (`platform`). A confirmed remittance that bounced
 * is undone, and asked for again.
 */

export interface Remittance {
  id: string
  settlement_id: string | null
  /** The holder who pays. */
  from_party_id: string
  /** Who receives it: the party owed (direct) or the platform. */
  to_party_id: string
  route: 'direct' | 'platform'
  amount: Money
  /** Whose money it is: each party's share it settles. */
  claims: { party_id: string; role: ShareRole; agreement_id: string | null; amount: Money }[]
  status: RemittanceStatus
  due_at: string | null
  method: string | null
  reference: string | null
  proof_url: string | null
  note: string | null
  recorded_by: string | null
  recorded_at: string | null
  confirmed_by: string | null
  confirmed_at: string | null
  dispute_reason: string | null
  disputed_at: string | null
  bounce_reason: string | null
  bounced_at: string | null
  /** The remittance it continues: the rest of a part payment, or one that bounced. */
  previous_id: string | null
  /** Its journal transactions once confirmed (one per agreement), and their reversals. */
  transaction_ids: string[]
  reversal_transaction_ids: string[]
  created_at: string
}

const iso = (at: Date | null) => (at === null ? null : at.toISOString())

function toRemittance(row: RemittanceRow): Remittance {
  const currency = checkCurrency(row.currency)
  return {
    id: row.id,
    settlement_id: row.settlementId,
    from_party_id: row.fromPartyId,
    to_party_id: row.toPartyId,
    route: row.route,
    amount: money(row.amount, currency),
    claims: fromStoredClaims(row.claims).map((c) => ({
      party_id: c.partyId,
      role: c.role,
      agreement_id: c.agreementId,
      amount: money(c.amount, currency),
    })),
    status: row.status,
    due_at: iso(row.dueAt),
    method: row.method,
    reference: row.reference,
    proof_url: row.proofUrl,
    note: row.note,
    recorded_by: row.recordedBy,
    recorded_at: iso(row.recordedAt),
    confirmed_by: row.confirmedBy,
    confirmed_at: iso(row.confirmedAt),
    dispute_reason: row.disputeReason,
    disputed_at: iso(row.disputedAt),
    bounce_reason: row.bounceReason,
    bounced_at: iso(row.bouncedAt),
    previous_id: row.previousId,
    transaction_ids: row.transactionIds ?? [],
    reversal_transaction_ids: row.reversalTransactionIds ?? [],
    created_at: row.createdAt.toISOString(),
  }
}

/** Who acts: the party (its key or person is `by`). */
export interface RemittanceScope {
  partyId: string
}

type Side = 'holder' | 'receiver' | 'platform'

/**
 * The remittance as `scope` may act on it (locked when `forUpdate`): the holder, the receiver,
 * or the platform operator; anyone else gets the same 404 as a remittance that does not exist.
 */
async function remittanceFor(
  tx: Executor,
  scope: RemittanceScope,
  id: string,
  forUpdate: boolean,
): Promise<{ row: RemittanceRow; sides: Set<Side> }> {
  const query = tx.select().from(remittances).where(eq(remittances.id, id))
  const [row] = forUpdate ? await query.for('update') : await query
  const sides = new Set<Side>()
  if (row !== undefined) {
    if (row.fromPartyId === scope.partyId) sides.add('holder')
    if (row.toPartyId === scope.partyId) sides.add('receiver')
    if ((await platformIds(tx)).includes(scope.partyId)) sides.add('platform')
  }
  if (row === undefined || sides.size === 0) throw notFound('remittance', id)
  return { row, sides }
}

function forbidden(message: string): MitraError {
  return new MitraError('forbidden', message)
}

function stateError(row: RemittanceRow, action: string): MitraError {
  return new MitraError(
    'illegal_status_transition',
    `Remittance ${row.id} is ${row.status}; it cannot be ${action}`,
    { extensions: { status: row.status } },
  )
}

/** A remittance due again for `claims` of `row`: the rest of a part payment, or one that bounced. */
async function askAgain(tx: Executor, row: RemittanceRow, claims: readonly Claim[]): Promise<void> {
  await tx.insert(remittances).values({
    id: newId('rem'),
    settlementId: row.settlementId,
    fromPartyId: row.fromPartyId,
    toPartyId: row.toPartyId,
    route: row.route,
    currency: row.currency,
    amount: claimsTotal(claims),
    claims: toStoredClaims(claims),
    dueAt: row.dueAt,
    previousId: row.id,
  })
}

export const recordRemittanceSchema = z.strictObject({
  /** What was paid: all that is due when left out; less records a part, the rest stays due. */
  amount: z
    .strictObject({ amount: amountSchema.positive(), currency: currencyCodeSchema })
    .optional(),
  method: z.enum(['cash', 'transfer', 'qris', 'payment_link', 'other']),
  /** The bank's or the receipt's reference: names this payment once. */
  reference: z.string().trim().min(1).max(200),
  /** A photo of the transfer slip or the signed receipt. */
  proof_url: z.url().max(2_000).optional(),
  note: z.string().trim().max(1_000).optional(),
})
export type RecordRemittanceInput = z.input<typeof recordRemittanceSchema>

/**
 * The holder records that it paid a remittance (the platform operator may record one paid in
 * to it by hand). Once per payment: the same reference again returns it as it is; other
 * details are a 409. More than is due is a 409 with the amount due; less records that part
 * and leaves the rest due as a new remittance.
 */
export function recordRemittance(
  db: Executor,
  scope: RemittanceScope,
  id: string,
  input: RecordRemittanceInput,
  by: string,
): Promise<Remittance> {
  const parsed = parseInput(recordRemittanceSchema, input)
  return atomically(db, async (tx) => {
    const { row, sides } = await remittanceFor(tx, scope, id, true)
    const mayRecord = sides.has('holder') || (row.route === 'platform' && sides.has('receiver'))
    if (!mayRecord) throw forbidden('Only the party that pays a remittance records it')
    const amount = parsed.amount?.amount ?? row.amount
    if (row.status !== 'due' && row.status !== 'disputed') {
      const same =
        row.reference === parsed.reference && row.amount === amount && row.method === parsed.method
      if (same && (row.status === 'recorded' || row.status === 'confirmed')) {
        return toRemittance(row)
      }
      throw new MitraError(
        'remittance_already_recorded',
        `Remittance ${row.id} was recorded as ${row.reference ?? 'paid'}; it is ${row.status}`,
        { extensions: { status: row.status, reference: row.reference } },
      )
    }
    if (parsed.amount !== undefined && parsed.amount.currency !== row.currency) {
      throw new MitraError('currency_mismatch', `This remittance is in ${row.currency}`, {
        errors: [
          {
            path: 'amount.currency',
            code: 'currency_mismatch',
            message: `must be ${row.currency}`,
          },
        ],
      })
    }
    if (amount > row.amount) {
      throw new MitraError(
        'remittance_exceeds_due',
        `${amount} ${row.currency} is more than the ${row.amount} due`,
        {
          errors: [{ path: 'amount.amount', code: 'too_big', message: `at most ${row.amount}` }],
          extensions: { amount_due: money(row.amount, checkCurrency(row.currency)) },
        },
      )
    }
    return toRemittance(
      await recordPayment(tx, row, {
        amount,
        method: parsed.method,
        reference: parsed.reference,
        proofUrl: parsed.proof_url ?? null,
        note: parsed.note ?? null,
        by,
      }),
    )
  })
}

/**
 * Records a payment of `amount` (at most what is due) on a remittance: less than due leaves
 * the rest due as a remittance of its own, with the claims the payment did not cover.
 */
async function recordPayment(
  tx: Executor,
  row: RemittanceRow,
  payment: {
    amount: number
    method: string
    reference: string
    proofUrl: string | null
    note: string | null
    by: string
  },
): Promise<RemittanceRow> {
  const claims = fromStoredClaims(row.claims)
  const paid = shareOfClaims(claims, payment.amount)
  if (payment.amount < row.amount) {
    // A part payment: the rest stays due, as a remittance of its own.
    await askAgain(tx, row, claimsLess(claims, paid))
  }
  const [updated] = await tx
    .update(remittances)
    .set({
      status: 'recorded',
      amount: payment.amount,
      claims: toStoredClaims(paid),
      method: payment.method,
      reference: payment.reference,
      proofUrl: payment.proofUrl,
      note: payment.note,
      recordedBy: payment.by,
      recordedAt: new Date(),
    })
    .where(eq(remittances.id, row.id))
    .returning()
    .catch((error: unknown) => {
      if (
        sqlStateOf(error) === sqlState.uniqueViolation &&
        constraintOf(error) === 'remittances_reference_unique'
      ) {
        throw new MitraError(
          'remittance_already_recorded',
          `Reference ${payment.reference} names another remittance of yours`,
          { errors: [{ path: 'reference', code: 'already_exists', message: 'already used' }] },
        )
      }
      throw error
    })
  return updated as RemittanceRow
}

/** The journal entries of a remittance handed over as recorded. */
async function entriesOf(tx: Executor, row: RemittanceRow, platformId: string) {
  const currency = checkCurrency(row.currency)
  const [holder] = await holderStates(tx, currency, platformId, [row.fromPartyId])
  return handOverEntries({
    kind: 'remittance',
    sourceId: row.id,
    holderId: row.fromPartyId,
    currency,
    how: row.route === 'direct' ? { kind: 'direct' } : { kind: 'platform', platformId },
    claims: fromStoredClaims(row.claims),
    holdings: holder?.accounts ?? new Map(),
    memo: `Remittance ${row.id} from ${row.fromPartyId}: ${row.reference ?? ''}`,
  })
}

/**
 * The receiver confirms it has the money (for a platform remittance, the platform operator):
 * the remittance is posted — the holder's accounts credited, each claim closed or released to
 * be paid out. Confirming again returns it as it is.
 */
export function confirmRemittance(
  db: Executor,
  scope: RemittanceScope,
  id: string,
  by: string,
): Promise<Remittance> {
  return atomically(db, async (tx) => {
    const { row, sides } = await remittanceFor(tx, scope, id, true)
    if (!sides.has('receiver')) throw forbidden('Only whoever received a remittance confirms it')
    if (row.status === 'confirmed') return toRemittance(row)
    if (row.status !== 'recorded') throw stateError(row, 'confirmed')
    return toRemittance(await postConfirmed(tx, row, by))
  })
}

/** Posts a recorded remittance and marks it confirmed (`by`), in the caller's transaction. */
async function postConfirmed(
  tx: Executor,
  row: RemittanceRow,
  by: string,
  fee = 0,
): Promise<RemittanceRow> {
  const [platformId] = await platformIds(tx)
  if (platformId === undefined) {
    throw new MitraError('platform_unavailable', 'A remittance settles with the platform')
  }
  const entries = await entriesOf(tx, row, platformId)
  if (fee > 0) entries.push(linkFeeEntry(row, platformId, fee))
  const posted = await postEntries(
    tx,
    entries.map((entry) => ({ entry })),
  )
  const [updated] = await tx
    .update(remittances)
    .set({
      status: 'confirmed',
      confirmedBy: by,
      confirmedAt: new Date(),
      transactionIds: posted.map((t) => t.id),
    })
    .where(eq(remittances.id, row.id))
    .returning()
  return updated as RemittanceRow
}

/**
 * What the provider kept of a remittance paid in through a payment link: it was paid, and it
 * never reached the funds. The holder bears it (the seller side bears payment fees): what it
 * paid counts less the fee, and the fee stays due from it.
 */
function linkFeeEntry(row: RemittanceRow, platformId: string, fee: number): JournalEntry {
  return {
    kind: 'remittance',
    source: { type: 'remittance', id: `${row.id}:fee` },
    currency: checkCurrency(row.currency),
    memo: `Provider fee on remittance ${row.id}, kept by the provider; still owed by ${row.fromPartyId}`,
    lines: [
      { partyId: platformId, purpose: 'provider_clearing', amount: fee },
      { partyId: platformId, purpose: 'payment_fees', amount: -fee },
    ],
  }
}

/**
 * A remittance to the platform that the holder may pay through a payment link now (its holder
 * asks; 409 when it is not due, or goes to a party directly).
 */
export async function remittanceToPay(
  db: Executor,
  scope: RemittanceScope,
  id: string,
): Promise<Remittance> {
  const { row, sides } = await remittanceFor(db, scope, id, false)
  if (!sides.has('holder')) throw forbidden('Only the party that pays a remittance pays it')
  if (row.route !== 'platform') {
    throw new MitraError(
      'illegal_status_transition',
      `Remittance ${row.id} is paid to ${row.toPartyId} directly, not through the platform`,
    )
  }
  if (row.status !== 'due' && row.status !== 'disputed') throw stateError(row, 'paid')
  return toRemittance(row)
}

/**
 * The provider says a remittance's payment link was paid: recorded and confirmed at once (the
 * provider confirms the money is in the platform's account), in the caller's transaction.
 * Only a payment of exactly what is due, in its currency, of a remittance still due counts;
 * anything else is `ignored` (kept with the event for a person to look at). A repeat is
 * `replayed`.
 */
export async function receiveRemittancePayment(
  tx: Executor,
  input: { remittanceId: string; amount: Money; fee: number | null; reference: string; by: string },
): Promise<'received' | 'replayed' | 'ignored' | 'unknown'> {
  const [row] = await tx
    .select()
    .from(remittances)
    .where(eq(remittances.id, input.remittanceId))
    .for('update')
  if (row === undefined) return 'unknown'
  if (row.status === 'confirmed' && row.reference === input.reference) return 'replayed'
  if (row.route !== 'platform' || (row.status !== 'due' && row.status !== 'disputed')) {
    return 'ignored'
  }
  const fee = Math.max(0, input.fee ?? 0)
  if (
    input.amount.currency !== row.currency ||
    input.amount.amount !== row.amount ||
    fee >= row.amount
  ) {
    return 'ignored'
  }
  // What reached the platform's funds is paid; the provider's fee stays due from the holder.
  const recorded = await recordPayment(tx, row, {
    amount: row.amount - fee,
    method: 'payment_link',
    reference: input.reference,
    proofUrl: null,
    note: fee > 0 ? `Provider fee ${fee} kept from ${row.amount}: still due` : null,
    by: input.by,
  })
  await postConfirmed(tx, recorded, input.by, fee)
  return 'received'
}

/** Why the receiver disputes a remittance, or says it bounced. */
export const remittanceReasonSchema = z.strictObject({
  reason: z.string().trim().min(1).max(1_000),
})

/** The receiver says the money did not arrive as recorded: the holder records it again. */
export function disputeRemittance(
  db: Executor,
  scope: RemittanceScope,
  id: string,
  input: { reason: string },
): Promise<Remittance> {
  const { reason } = parseInput(remittanceReasonSchema, input)
  return atomically(db, async (tx) => {
    const { row, sides } = await remittanceFor(tx, scope, id, true)
    if (!sides.has('receiver')) throw forbidden('Only whoever received a remittance disputes it')
    if (row.status === 'disputed' && row.disputeReason === reason) return toRemittance(row)
    if (row.status !== 'recorded') throw stateError(row, 'disputed')
    const [updated] = await tx
      .update(remittances)
      .set({ status: 'disputed', disputeReason: reason, disputedAt: new Date() })
      .where(eq(remittances.id, row.id))
      .returning()
    return toRemittance(updated as RemittanceRow)
  })
}

/**
 * A confirmed remittance whose money came back (a transfer reversed): its postings are
 * mirrored, so the holder holds it again, and the same amount is asked for again. Money paid
 * in to the platform can only come back while its funds still hold it (409 otherwise).
 */
export function bounceRemittance(
  db: Executor,
  scope: RemittanceScope,
  id: string,
  input: { reason: string },
): Promise<Remittance> {
  const { reason } = parseInput(remittanceReasonSchema, input)
  return atomically(db, async (tx) => {
    const currency = await currencyOf(tx, id)
    // Taking money out of the funds takes turns with payouts.
    if (currency !== null) await lockFunds(tx, currency)
    const { row, sides } = await remittanceFor(tx, scope, id, true)
    if (!sides.has('receiver'))
      throw forbidden('Only whoever received a remittance says it bounced')
    if (row.status === 'bounced') return toRemittance(row)
    if (row.status !== 'confirmed') throw stateError(row, 'bounced')
    const code = checkCurrency(row.currency)
    if (row.route === 'platform') {
      const available = await availableFunds(tx, code)
      if (row.amount > available) throw insufficientFunds(code, row.amount, available)
    }
    const reversals = []
    for (const transactionId of row.transactionIds ?? []) {
      const original = await getTransaction(tx, transactionId)
      reversals.push({
        entry: mirrorEntry(original, 'remittance_reversal', original.source.id, reason),
        options: { reversesId: original.id },
      })
    }
    const posted = await postEntries(tx, reversals)
    await askAgain(tx, row, fromStoredClaims(row.claims))
    const [updated] = await tx
      .update(remittances)
      .set({
        status: 'bounced',
        bounceReason: reason,
        bouncedAt: new Date(),
        reversalTransactionIds: posted.map((t) => t.id),
      })
      .where(eq(remittances.id, row.id))
      .returning()
    return toRemittance(updated as RemittanceRow)
  })
}

async function currencyOf(tx: Executor, id: string): Promise<CurrencyCode | null> {
  const [row] = await tx
    .select({ currency: remittances.currency })
    .from(remittances)
    .where(eq(remittances.id, id))
  return row === undefined ? null : checkCurrency(row.currency)
}

/** One remittance, for its holder, its receiver or the platform operator (else 404). */
export async function getRemittance(
  db: Executor,
  scope: RemittanceScope,
  id: string,
): Promise<Remittance> {
  return toRemittance((await remittanceFor(db, scope, id, false)).row)
}

export const listRemittancesQuerySchema = z.strictObject({
  status: z.enum(remittanceStatuses).optional(),
  /** `from`: those you pay; `to`: those paid to you; default both. */
  direction: z.enum(['from', 'to']).optional(),
  settlement_id: idSchema('stl').optional(),
  /** `next_cursor` of the previous page. */
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
export type ListRemittancesQuery = z.input<typeof listRemittancesQuerySchema>

/**
 * Remittances the party pays or receives, oldest first, by pages (the platform operator's
 * include every remittance).
 */
export async function listRemittances(
  db: Executor,
  scope: RemittanceScope,
  query: ListRemittancesQuery = {},
): Promise<{ data: Remittance[]; next_cursor: string | null }> {
  const parsed = parseInput(listRemittancesQuerySchema, query)
  const r = remittances
  const isPlatform = (await platformIds(db)).includes(scope.partyId)
  const conditions: (SQL | undefined)[] = []
  if (parsed.direction === 'from') conditions.push(eq(r.fromPartyId, scope.partyId))
  else if (parsed.direction === 'to') conditions.push(eq(r.toPartyId, scope.partyId))
  else if (!isPlatform) {
    conditions.push(or(eq(r.fromPartyId, scope.partyId), eq(r.toPartyId, scope.partyId)))
  }
  if (parsed.status !== undefined) conditions.push(eq(r.status, parsed.status))
  if (parsed.settlement_id !== undefined) conditions.push(eq(r.settlementId, parsed.settlement_id))
  const after = cursorId(parsed.cursor)
  if (after !== undefined) conditions.push(gt(r.id, after))
  const rows = await db
    .select()
    .from(r)
    .where(and(...conditions))
    .orderBy(asc(r.id))
    .limit(parsed.limit + 1)
  const { page, next } = pageOf(rows, parsed.limit, (row) => row.id)
  return { data: page.map(toRemittance), next_cursor: next }
}
