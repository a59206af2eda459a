import { createHash } from 'node:crypto'
import {
  type CurrencyCode,
  currency as checkCurrency,
  MitraError,
  type Money,
  money,
  newId,
  notFound,
  toSafeInteger,
} from '@mitra/core'
import {
  type AccountPurpose,
  atomically,
  constraintOf,
  type Executor,
  insertRows,
  type JournalKind,
  journalLines,
  journalTransactions,
  ledgerAccounts,
  parties,
  sqlState,
  sqlStateOf,
} from '@mitra/db'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { heldClaims, pendingClaims } from './claims.js'
import {
  amountOfClaim,
  claimsLess,
  collectionHoldEntry,
  collectorLine,
  type HoldInput,
} from './collection.js'
import {
  type AdvanceEntryInput,
  advanceDeduction,
  advanceDeductionEntry,
  advanceEntry,
  type CollectedExplanation,
  type EntryLine,
  type EntrySource,
  type JournalEntry,
  type LiabilityEntryInput,
  liabilityEntry,
  liabilitySplit,
  type PenaltyEntryInput,
  payablePurposes,
  penaltyEntry,
  refundFailureEntry,
  reversalEntry,
  type SaleEntryInput,
  saleEntry,
  validateEntry,
} from './entries.js'
import { accountRowsOf, lineRowsOf, transactionRowOf } from './journal-rows.js'
import type { ShareRole } from './policy.js'
import {
  type LineReversal,
  postedFraction,
  type ReversalRequest,
  reverseShares,
  type ShareRef,
  standingReversals,
} from './split.js'

export interface PostedLine extends EntryLine {
  position: number
}

/** A journal transaction as stored. `replayed`: it was already posted by the same source. */
export interface PostedTransaction {
  id: string
  kind: JournalKind
  source: EntrySource
  currency: CurrencyCode
  agreementId: string | null
  reversesId: string | null
  reversedFraction: string | null
  memo: string | null
  occurredAt: Date
  replayed: boolean
  lines: PostedLine[]
}

export interface PostOptions {
  occurredAt?: Date
  /** The transaction this one reverses (refunds, returns, payout reversals). */
  reversesId?: string | null
  /**
   * What makes two posts of the same source the same post (default: the entry itself).
   * Services that compute an entry from the ledger pass their request instead.
   */
  fingerprint?: unknown
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value instanceof Date) return value.toISOString()
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    )
  }
  return value
}

/** The content hash a journal transaction stores: what tells a faithful replay from another post. */
export function hashOf(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex')
}

type TransactionRow = typeof journalTransactions.$inferSelect
type LineRow = typeof journalLines.$inferSelect

function toPosted(
  row: Omit<TransactionRow, 'createdAt'>,
  lines: Omit<LineRow, 'xid'>[],
  replayed: boolean,
): PostedTransaction {
  return {
    id: row.id,
    kind: row.kind,
    source: { type: row.sourceType, id: row.sourceId },
    currency: checkCurrency(row.currency),
    agreementId: row.agreementId,
    reversesId: row.reversesId,
    reversedFraction: row.reversedFraction,
    memo: row.memo,
    occurredAt: row.occurredAt,
    replayed,
    lines: lines
      .sort((a, b) => a.position - b.position)
      .map((line) => ({
        position: line.position,
        partyId: line.partyId,
        purpose: line.purpose,
        amount: line.amount,
        counterpartyId: line.counterpartyId,
        saleLineId: line.saleLineId,
        shareRole: line.shareRole as ShareRole | null,
        ruleId: line.ruleId,
        policyId: line.policyId,
        policyVersion: line.policyVersion,
        explanation: line.explanation as PostedLine['explanation'],
      })),
  }
}

async function linesOf(db: Executor, ids: readonly string[]): Promise<Map<string, LineRow[]>> {
  const byTransaction = new Map<string, LineRow[]>(ids.map((id) => [id, []]))
  if (ids.length === 0) return byTransaction
  const rows = await db
    .select()
    .from(journalLines)
    .where(inArray(journalLines.transactionId, [...ids]))
    .orderBy(asc(journalLines.transactionId), asc(journalLines.position))
  for (const row of rows) byTransaction.get(row.transactionId)?.push(row)
  return byTransaction
}

async function loadTransactions(
  db: Executor,
  rows: readonly TransactionRow[],
): Promise<PostedTransaction[]> {
  const lines = await linesOf(
    db,
    rows.map((row) => row.id),
  )
  return rows.map((row) => toPosted(row, lines.get(row.id) ?? [], false))
}

/** One journal transaction with its lines; another party's or a missing id is a 404. */
export async function getTransaction(db: Executor, id: string): Promise<PostedTransaction> {
  const [row] = await db.select().from(journalTransactions).where(eq(journalTransactions.id, id))
  if (row === undefined) throw notFound('journal transaction', id)
  const [posted] = await loadTransactions(db, [row])
  return posted as PostedTransaction
}

/** The transaction a source posted, when it has. */
export async function findPosted(
  db: Executor,
  source: EntrySource,
): Promise<PostedTransaction | null> {
  const row = (await postedBySource(db, [source])).get(sourceKey(source))
  if (row === undefined) return null
  const [posted] = await loadTransactions(db, [row])
  return posted ?? null
}

function mapLedgerError(error: unknown): never {
  const constraint = constraintOf(error)
  if (
    sqlStateOf(error) === sqlState.checkViolation &&
    constraint === 'journal_transactions_balanced'
  ) {
    throw new MitraError('ledger_unbalanced', 'The database refused an unbalanced transaction', {
      cause: error,
    })
  }
  throw error
}

/**
 * Posts a journal entry in one database transaction (or inside the caller's): the lines
 * must add up to zero (checked here, and again by the database when it commits). A source
 * posts once: posting it again with the same content returns the transaction already
 * posted (`replayed: true`); with different content it is a 409 `source_already_posted`.
 */
export async function postEntry(
  db: Executor,
  entry: JournalEntry,
  options: PostOptions = {},
): Promise<PostedTransaction> {
  const [posted] = await postEntries(db, [{ entry, options }])
  return posted as PostedTransaction
}

/** One entry for `postEntries`, with its options. */
export interface EntryPost {
  entry: JournalEntry
  options?: PostOptions
}

/**
 * Posts entries as `postEntry` posts each, in one database transaction with one statement
 * per table for all of them (the lines of a sale posted together cost what one costs).
 * Results come in the order given. Any entry refused refuses them all, and nothing is
 * written. Two entries of the same source are one post: the second is its replay.
 */
export async function postEntries(
  db: Executor,
  posts: readonly EntryPost[],
): Promise<PostedTransaction[]> {
  for (const { entry } of posts) validateEntry(entry)
  const fingerprints = posts.map(({ entry, options = {} }) =>
    hashOf(options.fingerprint ?? { entry, reversesId: options.reversesId }),
  )
  try {
    return await atomically(db, async (tx) => {
      // Each source once, as first given; a later entry of the same source replays it.
      const first = new Map<string, number>()
      posts.forEach(({ entry }, index) => {
        const key = sourceKey(entry.source)
        if (!first.has(key)) first.set(key, index)
        else if (fingerprints[first.get(key) as number] !== fingerprints[index]) {
          throw alreadyPosted(entry.source, null)
        }
      })
      // A source posted before inserts nothing, and is answered as its replay.
      const fresh = [...first.values()]
      const results = new Map<number, PostedTransaction>()
      const written = await writeEntries(
        tx,
        fresh.map((index) => ({
          ...(posts[index] as EntryPost),
          fingerprint: fingerprints[index] as string,
        })),
      )
      for (const [i, index] of fresh.entries()) {
        results.set(index, written[i] as PostedTransaction)
      }
      return posts.map(({ entry }, index) => {
        const own = results.get(index)
        if (own !== undefined) return own
        const posted = results.get(
          first.get(sourceKey(entry.source)) as number,
        ) as PostedTransaction
        return { ...posted, replayed: true }
      })
    })
  } catch (error) {
    mapLedgerError(error)
  }
}

/** 409: the source posted other entries (as `transactionId`, or earlier in the same call). */
function alreadyPosted(source: EntrySource, transactionId: string | null): MitraError {
  const as = transactionId ?? 'another entry of the same call'
  return new MitraError(
    'source_already_posted',
    `${source.type} ${source.id} was already posted as ${as}, with different entries`,
    transactionId === null ? {} : { extensions: { transaction_id: transactionId } },
  )
}

/** A source as a map key. */
function sourceKey(source: EntrySource): string {
  return JSON.stringify([source.type, source.id])
}

/** The transactions already posted by any of `sources`, by `sourceKey`. */
async function postedBySource(
  tx: Executor,
  sources: readonly EntrySource[],
): Promise<Map<string, TransactionRow>> {
  if (sources.length === 0) return new Map()
  const rows = await tx
    .select()
    .from(journalTransactions)
    .where(
      sql`(${journalTransactions.sourceType}, ${journalTransactions.sourceId}) in (${sql.join(
        sources.map((source) => sql`(${source.type}, ${source.id})`),
        sql`, `,
      )})`,
    )
  return new Map(rows.map((row) => [sourceKey({ type: row.sourceType, id: row.sourceId }), row]))
}

/** What a source posted before, if it is the same post; else 409 `source_already_posted`. */
async function replayOf(
  tx: Executor,
  row: TransactionRow,
  fingerprint: string,
): Promise<PostedTransaction> {
  if (row.contentHash !== fingerprint) {
    throw alreadyPosted({ type: row.sourceType, id: row.sourceId }, row.id)
  }
  const [posted] = await loadTransactions(tx, [row])
  return { ...(posted as PostedTransaction), replayed: true }
}

/** What `source` posted before, when it is the same post (else a 409); `null` if nothing. */
async function replayOfSource(
  tx: Executor,
  source: EntrySource,
  fingerprint: string,
): Promise<PostedTransaction | null> {
  const row = (await postedBySource(tx, [source])).get(sourceKey(source))
  return row === undefined ? null : replayOf(tx, row, fingerprint)
}

/**
 * Writes entries: their accounts, transactions and lines, one statement each, in one round
 * trip. A source posted before (a replay, or another writer a moment ago) is answered as
 * its replay, or refused when its content differs.
 */
async function writeEntries(
  tx: Executor,
  posts: readonly (EntryPost & { fingerprint: string })[],
): Promise<PostedTransaction[]> {
  const accounts = accountRowsOf(posts.map(({ entry }) => entry))
  const rows = posts.map(({ entry, options = {}, fingerprint }) =>
    transactionRowOf(entry, newId('txn'), {
      contentHash: fingerprint,
      occurredAt: options.occurredAt ?? new Date(),
      reversesId: options.reversesId,
    }),
  )
  const lineRows = posts.flatMap(({ entry }, i) =>
    lineRowsOf(entry, (rows[i] as (typeof rows)[number]).id),
  )
  // Sent together, in one round trip: the connection runs them in order. A source posted
  // already (a replay, or another writer a moment ago) inserts no transaction, and so no
  // lines either.
  const [, inserted] = await Promise.all([
    insertRows(tx, ledgerAccounts, accounts, { onConflictDoNothing: true }),
    insertRows(tx, journalTransactions, rows, { onConflictDoNothing: true, returning: ['id'] }),
    insertRows(tx, journalLines, lineRows, {
      where: sql`exists (select 1 from ${journalTransactions} t where t.id = r.transaction_id)`,
    }),
  ])
  const insertedIds = new Set(inserted.map((row) => row.id))
  const rowOf = new Map(rows.filter((row) => insertedIds.has(row.id)).map((row) => [row.id, row]))
  const ids = rows.map((row) => row.id)
  const linesOfTransaction = new Map<string, Omit<LineRow, 'xid'>[]>()
  for (const line of lineRows) {
    if (!insertedIds.has(line.transactionId)) continue
    linesOfTransaction.set(line.transactionId, [
      ...(linesOfTransaction.get(line.transactionId) ?? []),
      line,
    ])
  }
  const out: PostedTransaction[] = []
  for (const [i, { entry, fingerprint }] of posts.entries()) {
    const row = rowOf.get(ids[i] as string)
    if (row !== undefined) {
      out.push(toPosted(row, linesOfTransaction.get(row.id) ?? [], false))
      continue
    }
    // Another writer posted the same source a moment ago.
    const raced = await replayOfSource(tx, entry.source, fingerprint)
    if (raced === null) {
      throw new MitraError('conflict', `${entry.source.type} ${entry.source.id} is being posted`)
    }
    out.push(raced)
  }
  return out
}

/**
 * Posts a sale line with its split (online through a provider, or at the venue's counter).
 * Money a party other than the platform collected is held by it: its hold goes in with the
 * sale, in the same transaction (`collectionHoldEntry`).
 */
export function postSale(
  db: Executor,
  input: SaleEntryInput,
  options: Pick<PostOptions, 'occurredAt'> = {},
): Promise<PostedTransaction> {
  return atomically(db, async (tx) => {
    const sale = saleEntry(input)
    const hold = await holdOf(tx, sale)
    const [posted] = await postEntries(tx, [
      { entry: sale, options },
      ...(hold === null ? [] : [{ entry: hold, options }]),
    ])
    return posted as PostedTransaction
  })
}

/** The hold of an entry whose collector is not the platform (else null). */
async function holdOf(
  tx: Executor,
  entry: JournalEntry,
  stillHeld?: HoldInput['stillHeld'],
): Promise<JournalEntry | null> {
  const collector = collectorLine(entry)
  if (collector === undefined) return null
  const [party] = await tx
    .select({ kind: parties.kind })
    .from(parties)
    .where(eq(parties.id, collector.partyId))
  const platformId = party?.kind === 'platform' ? collector.partyId : null
  return collectionHoldEntry(
    entry,
    stillHeld === undefined ? { platformId } : { platformId, stillHeld },
  )
}

export interface ReversalInput {
  kind: 'refund' | 'return'
  /** The refund or return id (one per sale line it touches): posted once. */
  sourceId: string
  saleLineId: string
  request: ReversalRequest
  memo?: string | null
}

function amountOf(request: ReversalRequest): unknown {
  return 'amount' in request ? { amount: request.amount } : request
}

/** The sale line's split and the reversals already posted, as stored in the ledger. */
async function reversalState(
  tx: Executor,
  saleLineId: string,
): Promise<{
  sale: PostedTransaction
  original: { gross: Money; quantity: number; shares: ShareRef[] }
  collector: PostedLine
  previous: LineReversal[]
  failedFraction: string
}> {
  const [saleRow] = await tx
    .select()
    .from(journalTransactions)
    .where(
      and(
        eq(journalTransactions.sourceType, 'sale_line'),
        eq(journalTransactions.sourceId, saleLineId),
      ),
    )
    .for('update')
  if (saleRow === undefined) throw notFound('sale line', saleLineId, 'sale_line_id')
  const [sale] = await loadTransactions(tx, [saleRow])
  const posted = sale as PostedTransaction
  const collector = posted.lines.find((line) => line.shareRole === null)
  if (collector === undefined) {
    throw new MitraError(
      'reversal_exceeds_original',
      `Sale line ${saleLineId} has nothing to reverse`,
    )
  }
  const collected = collector.explanation as CollectedExplanation | null
  const shareLines = posted.lines.filter((line) => line.shareRole !== null)
  const currency = posted.currency
  const shares: ShareRef[] = shareLines.map((line) => ({
    rule: line.ruleId as string,
    role: line.shareRole as ShareRole,
    partyId: line.partyId,
    amount: money(-line.amount, currency),
  }))
  const reversalRows = await tx
    .select()
    .from(journalTransactions)
    .where(eq(journalTransactions.reversesId, posted.id))
    .orderBy(asc(journalTransactions.id))
  const reversals = (await loadTransactions(tx, reversalRows)).map((reversal) => {
    const byRule = new Map(
      reversal.lines.filter((l) => l.ruleId !== null).map((l) => [l.ruleId as string, l.amount]),
    )
    const collectorLine = reversal.lines.find((l) => l.shareRole === null)
    return {
      amount: money(-(collectorLine?.amount ?? 0), currency),
      reversedFraction: reversal.reversedFraction ?? '0/1',
      shares: shares.map((share) => ({
        ...share,
        amount: money(-(byRule.get(share.rule) ?? 0), currency),
      })),
    }
  })
  // A refund that failed at the provider gave nothing back: it counts as never made.
  const failed = new Set((await failuresOf(tx, reversalRows)).map((f) => f.reversesId))
  const { standing: previous, failedFraction } = standingReversals(
    reversals,
    reversalRows.map((row) => failed.has(row.id)),
  )
  return {
    sale: posted,
    original: {
      gross: money(collector.amount, currency),
      quantity: collected?.kind === 'collected' ? collected.quantity : 1,
      shares,
    },
    collector,
    previous,
    failedFraction,
  }
}

/**
 * Posts a refund or return of a sale line: exactly the shares of what it reverses, spread
 * over what is not yet reversed, so reversing a line in several steps gives back exactly
 * its original shares. Reversals of one line take turns (the sale transaction is locked).
 */
export function postReversal(
  db: Executor,
  input: ReversalInput,
  options: Pick<PostOptions, 'occurredAt'> = {},
): Promise<PostedTransaction> {
  const source = { type: input.kind, id: input.sourceId }
  const fingerprint = hashOf({ saleLineId: input.saleLineId, request: amountOf(input.request) })
  return atomically(db, async (tx) => {
    const replay = await replayOfSource(tx, source, fingerprint)
    if (replay !== null) return replay
    const state = await reversalState(tx, input.saleLineId)
    const standing = reverseShares(state.original, input.request, state.previous)
    const reversal = {
      ...standing,
      reversedFraction: postedFraction(standing, state.failedFraction),
    }
    const first = state.sale.lines.find((line) => line.policyId !== null)
    const entry = reversalEntry({
      kind: input.kind,
      sourceId: input.sourceId,
      saleLineId: input.saleLineId,
      collector: { partyId: state.collector.partyId, purpose: state.collector.purpose },
      policy: { policyId: first?.policyId ?? '', policyVersion: first?.policyVersion ?? 0 },
      reversal,
      agreementId: state.sale.agreementId,
      memo: input.memo ?? null,
    })
    const posted = await postEntry(tx, entry, {
      ...options,
      reversesId: state.sale.id,
      fingerprint: { saleLineId: input.saleLineId, request: amountOf(input.request) },
    })
    await releaseHold(tx, entry, options)
    return posted
  })
}

/**
 * A refund or return of a sale a venue collected: the venue gave the money back, so its
 * hold is taken back too — its own share it kept, and of each share it holds for others
 * only what it still holds (not yet handed over nor asked for by a remittance). What it had
 * handed over stays taken from the party it went to, who owes it back.
 */
async function releaseHold(
  tx: Executor,
  reversal: JournalEntry,
  options: Pick<PostOptions, 'occurredAt'>,
): Promise<void> {
  const collector = collectorLine(reversal)
  if (collector === undefined) return
  const holder = [collector.partyId]
  const [held, pending] = await Promise.all([
    heldClaims(tx, reversal.currency, holder),
    pendingClaims(tx, reversal.currency, holder),
  ])
  const free = claimsLess(held, pending)
  const hold = await holdOf(tx, reversal, (claim) => amountOfClaim(free, claim))
  if (hold !== null) await postEntry(tx, hold, options)
}

/** The refund failures posted against any of `reversals` (a refund undone, at most once each). */
async function failuresOf(
  tx: Executor,
  reversals: readonly TransactionRow[],
): Promise<TransactionRow[]> {
  if (reversals.length === 0) return []
  return tx
    .select()
    .from(journalTransactions)
    .where(
      and(
        eq(journalTransactions.kind, 'refund_failure'),
        inArray(
          journalTransactions.reversesId,
          reversals.map((row) => row.id),
        ),
      ),
    )
    .orderBy(asc(journalTransactions.id))
}

/**
 * Undoes a refund the provider made and later failed (the buyer's bank sent the money back):
 * the refund's transaction, found by its source, mirrored once. Its sale line can then be
 * refunded again as if that refund had never been made. `null` when the source posted
 * nothing (a payment that filled no order reverses nothing).
 */
export function postRefundFailure(
  db: Executor,
  input: { refund: EntrySource; memo?: string | null },
  options: Pick<PostOptions, 'occurredAt'> = {},
): Promise<PostedTransaction | null> {
  return atomically(db, async (tx) => {
    const refund = await findPosted(tx, input.refund)
    if (refund === null) return null
    if (refund.kind !== 'refund') {
      throw new MitraError(
        'validation_failed',
        `${input.refund.type} ${input.refund.id} posted a ${refund.kind}, not a refund`,
        { errors: [{ path: 'refund', code: 'invalid', message: 'not a refund' }] },
      )
    }
    if (refund.reversesId !== null) {
      // Reversals of one sale line take turns, as in `postReversal`.
      await tx
        .select({ id: journalTransactions.id })
        .from(journalTransactions)
        .where(eq(journalTransactions.id, refund.reversesId))
        .for('update')
    }
    return postEntry(tx, refundFailureEntry(refund, input.memo), {
      ...options,
      reversesId: refund.id,
    })
  })
}

export interface LiabilityInput extends Omit<LiabilityEntryInput, 'venueOwes'> {
  /** The value of the goods damaged or lost. */
  value: Money
  bearer: 'venue' | 'producer' | 'shared'
}

/**
 * Posts a damage or loss at a venue: the venue's part (by the agreement's liability bearer)
 * becomes owed to the producer. When the producer bears it all, nothing moves: `null`.
 */
export function postLiability(
  db: Executor,
  input: LiabilityInput,
  options: Pick<PostOptions, 'occurredAt'> = {},
): Promise<PostedTransaction | null> {
  const { venue } = liabilitySplit(input.value, input.bearer)
  if (venue.amount === 0) return Promise.resolve(null)
  return postEntry(db, liabilityEntry({ ...input, venueOwes: venue }), options)
}

/** Posts an inti-plasma input advance: the producer owes the core partner. */
export function postAdvance(
  db: Executor,
  input: AdvanceEntryInput,
  options: Pick<PostOptions, 'occurredAt'> = {},
): Promise<PostedTransaction> {
  return postEntry(db, advanceEntry(input), options)
}

async function sumLines(db: Executor, conditions: ReturnType<typeof and>): Promise<number> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${journalLines.amount}), 0)::text` })
    .from(journalLines)
    .where(conditions)
  return toSafeInteger(BigInt(row?.total ?? '0'))
}

/** What a producer still owes a core partner for advances. */
export async function advanceOutstanding(
  db: Executor,
  input: { producerId: string; corePartnerId: string; currency: CurrencyCode | string },
): Promise<Money> {
  const currency = checkCurrency(input.currency)
  const total = await sumLines(
    db,
    and(
      eq(journalLines.partyId, input.producerId),
      eq(journalLines.purpose, 'advances_receivable'),
      eq(journalLines.currency, currency),
      eq(journalLines.counterpartyId, input.corePartnerId),
    ),
  )
  return money(total, currency)
}

export interface AdvanceDeductionInput {
  /** The settlement this deduction belongs to: posted once. */
  sourceId: string
  producerId: string
  corePartnerId: string
  currency: CurrencyCode | string
  /** At most this share of each settlement goes to repayment (basis points). */
  maxShareBps: number
  /** The settlement the producer is due; default: all it is owed now. */
  settlement?: Money
  agreementId?: string | null
  memo?: string | null
}

/**
 * Deducts an advance's repayment from a producer's settlement: at most `maxShareBps` of it,
 * never more than is outstanding. Deductions for one producer take turns (its advance
 * account is locked), so two settlements never repay the same rupiah. `null` when nothing
 * is deducted (nothing outstanding, or nothing to settle).
 */
export function postAdvanceDeduction(
  db: Executor,
  input: AdvanceDeductionInput,
  options: Pick<PostOptions, 'occurredAt'> = {},
): Promise<PostedTransaction | null> {
  const currency = checkCurrency(input.currency)
  const source = { type: 'advance_deduction', id: input.sourceId }
  const request = { ...input, currency }
  return atomically(db, async (tx) => {
    const replay = await replayOfSource(tx, source, hashOf(request))
    if (replay !== null) return replay
    const locked = await tx
      .select({ partyId: ledgerAccounts.partyId })
      .from(ledgerAccounts)
      .where(
        and(
          eq(ledgerAccounts.partyId, input.producerId),
          eq(ledgerAccounts.purpose, 'advances_receivable'),
          eq(ledgerAccounts.currency, currency),
        ),
      )
      .for('no key update')
    if (locked.length === 0) return null
    const outstanding = await advanceOutstanding(tx, { ...input, currency })
    const settlement = input.settlement ?? (await amountOwed(tx, input.producerId, currency))
    const deduction = advanceDeduction(outstanding, settlement, input.maxShareBps)
    if (deduction.amount === 0) return null
    return postEntry(tx, advanceDeductionEntry({ ...input, amount: deduction }), {
      ...options,
      fingerprint: request,
    })
  })
}

/** Posts a subcontract penalty charged by the buyer against the producer. */
export function postPenalty(
  db: Executor,
  input: PenaltyEntryInput,
  options: Pick<PostOptions, 'occurredAt'> = {},
): Promise<PostedTransaction> {
  return postEntry(db, penaltyEntry(input), options)
}

/** A party's account balances (signed: debit > 0, credit < 0), one per purpose. */
export async function accountBalances(
  db: Executor,
  partyId: string,
  currency: CurrencyCode | string,
): Promise<{ purpose: AccountPurpose; balance: Money }[]> {
  const code = checkCurrency(currency)
  const rows = await db
    .select({
      purpose: journalLines.purpose,
      total: sql<string>`sum(${journalLines.amount})::text`,
    })
    .from(journalLines)
    .where(and(eq(journalLines.partyId, partyId), eq(journalLines.currency, code)))
    .groupBy(journalLines.purpose)
    .orderBy(asc(journalLines.purpose))
  return rows.map((row) => ({
    purpose: row.purpose,
    balance: money(BigInt(row.total), code),
  }))
}

/** What the network owes a party now: its payable accounts, credit balance as positive. */
export async function amountOwed(
  db: Executor,
  partyId: string,
  currency: CurrencyCode | string,
): Promise<Money> {
  const code = checkCurrency(currency)
  const total = await sumLines(
    db,
    and(
      eq(journalLines.partyId, partyId),
      eq(journalLines.currency, code),
      inArray(journalLines.purpose, [...payablePurposes]),
    ),
  )
  return money(-total, code)
}

export interface TrialBalanceRow {
  currency: CurrencyCode
  debits: Money
  credits: Money
  /** Σ of all lines: always zero. */
  total: Money
}

/** The trial balance of the whole ledger, per currency: debits, credits, and their sum (0). */
export async function trialBalance(db: Executor): Promise<TrialBalanceRow[]> {
  const rows = await db
    .select({
      currency: journalLines.currency,
      debits: sql<string>`coalesce(sum(${journalLines.amount}) filter (where ${journalLines.amount} > 0), 0)::text`,
      credits: sql<string>`coalesce(sum(${journalLines.amount}) filter (where ${journalLines.amount} < 0), 0)::text`,
      total: sql<string>`sum(${journalLines.amount})::text`,
    })
    .from(journalLines)
    .groupBy(journalLines.currency)
    .orderBy(asc(journalLines.currency))
  return rows.map((row) => ({
    currency: checkCurrency(row.currency),
    debits: money(BigInt(row.debits), row.currency),
    credits: money(BigInt(row.credits), row.currency),
    total: money(BigInt(row.total), row.currency),
  }))
}

/**
 * "Why did I get this amount": a sale line's transaction — every share with its rule,
 * policy version and explanation — and the refunds and returns that reversed part of it,
 * with any refund that failed at the provider afterwards (kind `refund_failure`).
 */
export async function explainSaleLine(
  db: Executor,
  saleLineId: string,
): Promise<{ sale: PostedTransaction; reversals: PostedTransaction[] }> {
  const sale = await findPosted(db, { type: 'sale_line', id: saleLineId })
  if (sale === null) throw notFound('sale line', saleLineId)
  const rows = await db
    .select()
    .from(journalTransactions)
    .where(eq(journalTransactions.reversesId, sale.id))
    .orderBy(asc(journalTransactions.id))
  return { sale, reversals: await loadTransactions(db, [...rows, ...(await failuresOf(db, rows))]) }
}
