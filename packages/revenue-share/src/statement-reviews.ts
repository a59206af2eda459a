import { createHash } from 'node:crypto'
import { type SettlementCycle, settlementCycleSchema } from '@mitra/consignment'
import {
  type CurrencyCode,
  fieldError,
  isId,
  MitraError,
  newId,
  notFound,
  parseRequestInput,
} from '@mitra/core'
import {
  agreements,
  agreementVersions,
  atomically,
  type Executor,
  parties,
  statementAcknowledgments,
  statementDisputes,
} from '@mitra/db'
import { and, asc, desc, eq, or, sql } from 'drizzle-orm'
import { z } from 'zod'
import { type Statement, statement } from './statements.js'

/*
 * Statement reviews: both parties of an agreement — the producer group and the venue — read
 * the same statement for a settlement period and acknowledge it, or dispute a line of it
 * with a comment. An acknowledgment names the SHA-256 of the statement it saw; when the
 * numbers change afterwards it is shown as stale and no longer counts.
 */

// ---------------------------------------------------------------------------------------
// Settlement periods (pure)

export type StatementCycle = SettlementCycle

/** One settlement period, [from, to), in Indonesian western time (WIB, UTC+7). */
export interface SettlementPeriod {
  cycle: StatementCycle
  from: Date
  /** Exclusive. */
  to: Date
}

const wibOffset = 7 * 60 * 60 * 1000
const day = 24 * 60 * 60 * 1000

/** Midnight WIB of the WIB calendar date (year, month 0-based, day; may overflow). */
function wibMidnight(year: number, month: number, date: number): Date {
  return new Date(Date.UTC(year, month, date) - wibOffset)
}

/** The settlement period of `cycle` that contains `at`. */
export function settlementPeriodOf(cycle: StatementCycle, at: Date): SettlementPeriod {
  const time = at.getTime()
  if (!Number.isFinite(time)) throw fieldError('at', 'invalid_date', 'not a valid date')
  const local = new Date(time + wibOffset)
  const year = local.getUTCFullYear()
  const month = local.getUTCMonth()
  const date = local.getUTCDate()
  switch (cycle) {
    case 'weekly': {
      const sinceMonday = (local.getUTCDay() + 6) % 7
      const from = wibMidnight(year, month, date - sinceMonday)
      return { cycle, from, to: new Date(from.getTime() + 7 * day) }
    }
    case 'twice_monthly':
      return date <= 15
        ? { cycle, from: wibMidnight(year, month, 1), to: wibMidnight(year, month, 16) }
        : { cycle, from: wibMidnight(year, month, 16), to: wibMidnight(year, month + 1, 1) }
    case 'monthly':
      return { cycle, from: wibMidnight(year, month, 1), to: wibMidnight(year, month + 1, 1) }
  }
}

/**
 * The settlement period of `cycle` around a moment, with the one before and the one after
 * (weekly: Monday–Sunday; twice monthly: 1–15 and 16–end; monthly: the calendar month; all
 * in WIB). Consecutive periods tile time: each ends exactly where the next begins.
 */
export function settlementPeriods(
  cycle: StatementCycle,
  around: Date,
): { previous: SettlementPeriod; current: SettlementPeriod; next: SettlementPeriod } {
  const current = settlementPeriodOf(cycle, around)
  return {
    previous: settlementPeriodOf(cycle, new Date(current.from.getTime() - 1)),
    current,
    next: settlementPeriodOf(cycle, current.to),
  }
}

/** How a client names a statement period: a month or a day in it, or its bounds. */
export interface PeriodSpec {
  /** `2026-12` (a month: the monthly period) or `2026-12-16` (the period holding that day). */
  period?: string | undefined
  /** The period's start: a day (`2026-12-01`, midnight WIB) or a moment (ISO 8601). */
  from?: string | Date | undefined
  /** Its end, exclusive; default: the end of the period starting at `from`. */
  to?: string | Date | undefined
}

/** A day (`2026-12-01`: midnight WIB) or a moment (ISO 8601), else a 422 naming `path`. */
function dateOf(value: string | Date, path: string): Date {
  if (value instanceof Date) return value
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const at = day
    ? wibMidnight(Number(day[1]), Number(day[2]) - 1, Number(day[3]))
    : /^\d{4}-\d{2}-\d{2}T/.test(value)
      ? new Date(value)
      : new Date(Number.NaN)
  if (!Number.isFinite(at.getTime())) {
    throw fieldError(path, 'invalid_date', 'send a day (2026-12-01) or a moment (ISO 8601)')
  }
  return at
}

/**
 * The settlement period a client names (pure): `period=2026-12` is that month (for a monthly
 * cycle), `period=2026-12-16` the period of the cycle holding that day, or `from` (and `to`).
 * Anything else is a 422 that says what to send.
 */
export function periodOfSpec(cycle: StatementCycle, spec: PeriodSpec): { from: Date; to: Date } {
  if (spec.period !== undefined) {
    const month = /^(\d{4})-(\d{2})$/.exec(spec.period)
    if (month) {
      if (cycle !== 'monthly') {
        throw fieldError(
          'period',
          'not_a_settlement_period',
          `This agreement settles ${cycle.replace('_', ' ')}: send a day in the period (period=${spec.period}-01)`,
        )
      }
      const from = wibMidnight(Number(month[1]), Number(month[2]) - 1, 1)
      if (!Number.isFinite(from.getTime()) || Number(month[2]) < 1 || Number(month[2]) > 12) {
        throw fieldError('period', 'invalid_date', 'send a month (2026-12) or a day (2026-12-16)')
      }
      return settlementPeriodOf(cycle, from)
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(spec.period)) {
      throw fieldError('period', 'invalid_date', 'send a month (2026-12) or a day (2026-12-16)')
    }
    return settlementPeriodOf(cycle, dateOf(spec.period, 'period'))
  }
  if (spec.from === undefined) {
    throw fieldError(
      'period',
      'required',
      'send period=2026-12 (or a day in the period), or from and to',
    )
  }
  const from = dateOf(spec.from, 'from')
  const to = spec.to === undefined ? settlementPeriodOf(cycle, from).to : dateOf(spec.to, 'to')
  return { from, to }
}

// ---------------------------------------------------------------------------------------
// Statement hash (pure)

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    )
  }
  return value
}

/** SHA-256 (hex) of the statement's canonical JSON (keys sorted, dates as ISO 8601). */
export function statementHash(s: Statement): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(s)))
    .digest('hex')
}

// ---------------------------------------------------------------------------------------
// Types

/** Who is acting: the party a key or session acts for (structurally `@mitra/catalog`'s Scope). */
export interface ReviewScope {
  partyId: string
}

export type ReviewSide = 'producer' | 'venue'

export interface AgreementStatement {
  agreementId: string
  producerId: string
  venueId: string
  cycle: StatementCycle
  period: SettlementPeriod
  /** The producer's statement for the agreement: every line with every share. */
  statement: Statement
  statementHash: string
}

export interface StatementAcknowledgment {
  id: string
  partyId: string
  side: ReviewSide
  statementHash: string
  acknowledgedBy: string
  acknowledgedAt: Date
  /** The numbers changed since: this acknowledgment no longer covers the statement. */
  stale: boolean
}

export interface StatementDispute {
  id: string
  partyId: string
  side: ReviewSide
  lineRef: string
  comment: string
  statementHash: string
  openedBy: string
  openedAt: Date
  status: 'open' | 'withdrawn'
  resolvedBy: string | null
  resolvedAt: Date | null
  resolutionNote: string | null
}

export type StatementReviewStatus = 'open' | 'acknowledged' | 'disputed' | 'partly_acknowledged'

export interface StatementReview {
  agreementId: string
  period: SettlementPeriod
  /** The hash of the statement as it reads now. */
  statementHash: string
  status: StatementReviewStatus
  /** Every acknowledgment, oldest first; stale ones are marked. */
  acknowledgments: StatementAcknowledgment[]
  /** Every dispute with its comment, open and withdrawn, oldest first. */
  disputes: StatementDispute[]
}

// ---------------------------------------------------------------------------------------
// Input schemas

const actorSchema = z
  .string()
  .refine((value) => isId(value, 'usr') || isId(value, 'key'), 'must be a user id or an API key id')

/** A settlement period as `settlementPeriods` returns it (the cycle, when given, must match). */
export const periodSchema = z.strictObject({
  cycle: settlementCycleSchema.optional(),
  from: z.coerce.date(),
  to: z.coerce.date(),
})

const reviewTarget = { agreementId: z.string().min(1).max(64), period: periodSchema }

export const acknowledgeStatementSchema = z.strictObject({
  ...reviewTarget,
  statementHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'),
  acknowledgedBy: actorSchema,
})
export type AcknowledgeStatementInput = z.input<typeof acknowledgeStatementSchema>

export const disputeStatementLineSchema = z.strictObject({
  ...reviewTarget,
  lineRef: z.string().min(1).max(200),
  comment: z.string().trim().min(1).max(2000),
  by: actorSchema,
})
export type DisputeStatementLineInput = z.input<typeof disputeStatementLineSchema>

export const resolveDisputeSchema = z.strictObject({
  disputeId: z.string().refine((value) => isId(value, 'stmt'), 'must be a dispute id'),
  note: z.string().trim().min(1).max(2000),
  by: actorSchema,
})
export type ResolveDisputeInput = z.input<typeof resolveDisputeSchema>

export const statementReviewQuerySchema = z.strictObject(reviewTarget)
export type StatementReviewQuery = z.input<typeof statementReviewQuerySchema>

export interface ReviewOptions {
  now?: Date
}

/**
 * How the API names these inputs where they are not just the snake_case of ours: the
 * agreement is the URL's `id` (a 422 names `statement_hash`, `line_ref` … otherwise).
 */
const requestNames = { agreementId: 'id' } as const

// ---------------------------------------------------------------------------------------
// Services

type AgreementRow = typeof agreements.$inferSelect

function sideOf(row: AgreementRow, partyId: string): ReviewSide | undefined {
  if (row.producerId === partyId) return 'producer'
  if (row.venueId === partyId) return 'venue'
  return undefined
}

/** The agreement if the scope is one of its two parties (locked when `lock`); else 404. */
async function loadAgreement(db: Executor, scope: ReviewScope, agreementId: string, lock: boolean) {
  const query = db.select().from(agreements).where(eq(agreements.id, agreementId))
  const [row] = lock ? await query.for('update') : await query
  const side = row === undefined ? undefined : sideOf(row, scope.partyId)
  if (row === undefined || side === undefined) throw notFound('agreement', agreementId)
  return { row, side }
}

/** The settlement cycle and currency of the agreement's terms (in force, else the newest). */
async function termsOf(
  db: Executor,
  row: AgreementRow,
): Promise<{ cycle: StatementCycle; currency: CurrencyCode }> {
  const version = row.activeVersion ?? row.latestVersion
  const [found] = await db
    .select({ terms: agreementVersions.terms })
    .from(agreementVersions)
    .where(and(eq(agreementVersions.agreementId, row.id), eq(agreementVersions.version, version)))
  const terms = found?.terms ?? {}
  const cycle = settlementCycleSchema.safeParse(terms.settlement_cycle)
  const currency = z
    .string()
    .regex(/^[A-Z]{3}$/)
    .safeParse(terms.currency)
  return {
    cycle: cycle.success ? cycle.data : 'monthly',
    currency: (currency.success ? currency.data : 'IDR') as CurrencyCode,
  }
}

/**
 * Refuses a period that is not one of the agreement's settlement periods (422 naming the
 * bound that is off, `from` or `to`, as the request sends them; `period` for the cycle).
 */
function checkPeriod(
  cycle: StatementCycle,
  period: { cycle?: StatementCycle | undefined; from: Date; to: Date },
): SettlementPeriod {
  const expected = settlementPeriodOf(cycle, period.from)
  const off =
    expected.from.getTime() !== period.from.getTime()
      ? 'from'
      : expected.to.getTime() !== period.to.getTime()
        ? 'to'
        : period.cycle !== undefined && period.cycle !== cycle
          ? 'period'
          : undefined
  if (off !== undefined) {
    throw fieldError(
      off,
      'not_a_settlement_period',
      `The period is not a ${cycle} settlement period of the agreement (WIB); the one starting there runs ${expected.from.toISOString()} – ${expected.to.toISOString()}`,
    )
  }
  return expected
}

async function load(
  db: Executor,
  scope: ReviewScope,
  target: {
    agreementId: string
    period: { cycle?: StatementCycle | undefined; from: Date; to: Date }
  },
  lock: boolean,
) {
  const { row, side } = await loadAgreement(db, scope, target.agreementId, lock)
  const { cycle, currency } = await termsOf(db, row)
  const period = checkPeriod(cycle, target.period)
  const s = await statement(db, {
    partyId: row.producerId,
    currency,
    agreementId: row.id,
    from: period.from,
    to: period.to,
  })
  const current: AgreementStatement = {
    agreementId: row.id,
    producerId: row.producerId,
    venueId: row.venueId,
    cycle,
    period,
    statement: s,
    statementHash: statementHash(s),
  }
  return { row, side, current }
}

/**
 * The period a client names for an agreement's statement, by its settlement cycle (see
 * `periodOfSpec`); only the agreement's two parties may ask (404 otherwise).
 */
export async function statementPeriodOf(
  db: Executor,
  scope: ReviewScope,
  agreementId: string,
  spec: PeriodSpec,
): Promise<{ from: Date; to: Date }> {
  const { row } = await loadAgreement(db, scope, agreementId, false)
  const { cycle } = await termsOf(db, row)
  return periodOfSpec(cycle, spec)
}

/**
 * The statement both parties review for an agreement and settlement period: the producer's
 * statement of the agreement (every sale line with every share, refunds, returns and
 * adjustments), and its hash. Only the agreement's two parties may read it (404 otherwise).
 */
export async function agreementStatement(
  db: Executor,
  scope: ReviewScope,
  query: StatementReviewQuery,
): Promise<AgreementStatement> {
  const target = parseRequestInput(statementReviewQuerySchema, query, requestNames)
  return atomically(db, async (tx) => (await load(tx, scope, target, false)).current)
}

function periodMatch(
  table: typeof statementAcknowledgments | typeof statementDisputes,
  agreementId: string,
  period: SettlementPeriod,
) {
  return and(
    eq(table.agreementId, agreementId),
    eq(table.periodFrom, period.from),
    eq(table.periodTo, period.to),
  )
}

function toDispute(row: AgreementRow, d: typeof statementDisputes.$inferSelect): StatementDispute {
  return {
    id: d.id,
    partyId: d.partyId,
    side: sideOf(row, d.partyId) ?? 'producer',
    lineRef: d.lineRef,
    comment: d.comment,
    statementHash: d.statementHash,
    openedBy: d.openedBy,
    openedAt: d.openedAt,
    status: d.status,
    resolvedBy: d.resolvedBy,
    resolvedAt: d.resolvedAt,
    resolutionNote: d.resolutionNote,
  }
}

/** The review status (pure): any open dispute wins; then acknowledgments of the current numbers. */
export function reviewStatus(
  acknowledgments: readonly Pick<StatementAcknowledgment, 'side' | 'stale'>[],
  disputes: readonly Pick<StatementDispute, 'status'>[],
): StatementReviewStatus {
  if (disputes.some((d) => d.status === 'open')) return 'disputed'
  const sides = new Set(acknowledgments.filter((a) => !a.stale).map((a) => a.side))
  if (sides.has('producer') && sides.has('venue')) return 'acknowledged'
  return sides.size > 0 ? 'partly_acknowledged' : 'open'
}

async function reviewOf(
  db: Executor,
  row: AgreementRow,
  current: AgreementStatement,
): Promise<StatementReview> {
  const acks = await db
    .select()
    .from(statementAcknowledgments)
    .where(periodMatch(statementAcknowledgments, row.id, current.period))
    .orderBy(asc(statementAcknowledgments.acknowledgedAt), asc(statementAcknowledgments.id))
  const disputes = await db
    .select()
    .from(statementDisputes)
    .where(periodMatch(statementDisputes, row.id, current.period))
    .orderBy(asc(statementDisputes.openedAt), asc(statementDisputes.id))
  const acknowledgments = acks.map(
    (a): StatementAcknowledgment => ({
      id: a.id,
      partyId: a.partyId,
      side: sideOf(row, a.partyId) ?? 'producer',
      statementHash: a.statementHash,
      acknowledgedBy: a.acknowledgedBy,
      acknowledgedAt: a.acknowledgedAt,
      stale: a.statementHash !== current.statementHash,
    }),
  )
  const mapped = disputes.map((d) => toDispute(row, d))
  return {
    agreementId: row.id,
    period: current.period,
    statementHash: current.statementHash,
    status: reviewStatus(acknowledgments, mapped),
    acknowledgments,
    disputes: mapped,
  }
}

function stale(expected: string, actual: string): MitraError {
  return new MitraError(
    'statement_stale',
    'The statement changed since it was read; reload it and review the current numbers',
    {
      errors: [{ path: 'statement_hash', code: 'stale', message: 'does not match the statement' }],
      extensions: { statement_hash: actual, given_hash: expected },
    },
  )
}

/** The review of an agreement's statement for a period, as both parties see it (404 to others). */
export async function statementReview(
  db: Executor,
  scope: ReviewScope,
  query: StatementReviewQuery,
): Promise<StatementReview> {
  const target = parseRequestInput(statementReviewQuerySchema, query, requestNames)
  return atomically(db, async (tx) => {
    const { row, current } = await load(tx, scope, target, false)
    return reviewOf(tx, row, current)
  })
}

/**
 * Acknowledges the statement for the scope's side, naming the hash of the statement it read:
 * 409 `statement_stale` when the numbers have changed since. Acknowledging the same numbers
 * again changes nothing.
 */
export async function acknowledgeStatement(
  db: Executor,
  scope: ReviewScope,
  input: AcknowledgeStatementInput,
  options: ReviewOptions = {},
): Promise<StatementReview> {
  const parsed = parseRequestInput(acknowledgeStatementSchema, input, requestNames)
  return atomically(db, async (tx) => {
    const { row, current } = await load(tx, scope, parsed, true)
    if (parsed.statementHash !== current.statementHash) {
      throw stale(parsed.statementHash, current.statementHash)
    }
    await tx
      .insert(statementAcknowledgments)
      .values({
        id: newId('stmt'),
        agreementId: row.id,
        periodFrom: current.period.from,
        periodTo: current.period.to,
        partyId: scope.partyId,
        statementHash: current.statementHash,
        acknowledgedBy: parsed.acknowledgedBy,
        acknowledgedAt: options.now ?? new Date(),
      })
      .onConflictDoNothing()
    return reviewOf(tx, row, current)
  })
}

/**
 * Disputes one line of the statement (a journal transaction id or a sale line id in it) with
 * a comment. Both parties see the statement as disputed, with every comment, until each
 * open dispute is withdrawn by its author.
 */
export async function disputeStatementLine(
  db: Executor,
  scope: ReviewScope,
  input: DisputeStatementLineInput,
  options: ReviewOptions = {},
): Promise<StatementDispute> {
  const parsed = parseRequestInput(disputeStatementLineSchema, input, requestNames)
  return atomically(db, async (tx) => {
    const { row, current } = await load(tx, scope, parsed, true)
    const known = current.statement.entries.some(
      (e) => e.transactionId === parsed.lineRef || e.saleLineId === parsed.lineRef,
    )
    if (!known) {
      throw fieldError(
        'line_ref',
        'unknown_line',
        `No line '${parsed.lineRef}' in this statement; name a transaction id or sale line id from it`,
      )
    }
    const [created] = await tx
      .insert(statementDisputes)
      .values({
        id: newId('stmt'),
        agreementId: row.id,
        periodFrom: current.period.from,
        periodTo: current.period.to,
        partyId: scope.partyId,
        lineRef: parsed.lineRef,
        comment: parsed.comment,
        statementHash: current.statementHash,
        openedBy: parsed.by,
        openedAt: options.now ?? new Date(),
      })
      .returning()
    return toDispute(row, created as typeof statementDisputes.$inferSelect)
  })
}

/**
 * Withdraws an open dispute with a note. Only the party that opened it may withdraw it
 * (403 for the other party, 404 for anyone else); 409 `dispute_closed` when already resolved.
 */
export async function resolveDispute(
  db: Executor,
  scope: ReviewScope,
  input: ResolveDisputeInput,
  options: ReviewOptions = {},
): Promise<StatementDispute> {
  const parsed = parseRequestInput(resolveDisputeSchema, input, { disputeId: 'id' })
  return atomically(db, async (tx) => {
    const [found] = await tx
      .select()
      .from(statementDisputes)
      .where(eq(statementDisputes.id, parsed.disputeId))
    if (found === undefined) throw notFound('dispute', parsed.disputeId)
    // Another party's dispute looks the same as a missing one.
    const [row] = await tx
      .select()
      .from(agreements)
      .where(eq(agreements.id, found.agreementId))
      .for('update')
    if (row === undefined || sideOf(row, scope.partyId) === undefined) {
      throw notFound('dispute', parsed.disputeId)
    }
    const [dispute] = await tx
      .select()
      .from(statementDisputes)
      .where(eq(statementDisputes.id, parsed.disputeId))
      .for('update')
    if (dispute === undefined) throw notFound('dispute', parsed.disputeId)
    if (dispute.partyId !== scope.partyId) {
      throw new MitraError('forbidden', 'Only the party that opened a dispute may withdraw it')
    }
    if (dispute.status !== 'open') {
      throw new MitraError('dispute_closed', `Dispute '${dispute.id}' is already ${dispute.status}`)
    }
    const [updated] = await tx
      .update(statementDisputes)
      .set({
        status: 'withdrawn',
        resolvedBy: parsed.by,
        resolvedAt: options.now ?? new Date(),
        resolutionNote: parsed.note,
      })
      .where(eq(statementDisputes.id, dispute.id))
      .returning()
    return toDispute(row, updated as typeof statementDisputes.$inferSelect)
  })
}

/**
 * Which agreements a party follows: the platform operator every one; a producer or venue its
 * own; a cooperative those whose terms give it a fee (its members' partnerships). Undefined:
 * all.
 */
async function agreementsSeenBy(db: Executor, scope: { partyId: string }) {
  const [party] = await db
    .select({ kind: parties.kind })
    .from(parties)
    .where(eq(parties.id, scope.partyId))
  if (party?.kind === 'platform') return undefined
  return or(
    eq(agreements.producerId, scope.partyId),
    eq(agreements.venueId, scope.partyId),
    sql`exists (select 1 from ${agreementVersions} v where v.agreement_id = ${agreements.id} and v.terms->>'cooperative_id' = ${scope.partyId})`,
  )
}

/** Days after a period's end within which acknowledging its statement is on time. */
export const acknowledgeWithinDays = 7

export interface Punctuality {
  agreementId: string
  producerId: string
  venueId: string
  /** The last period that has ended. */
  period: SettlementPeriod
  /** When each side acknowledged its statement (the first time), or null. */
  producerAcknowledgedAt: Date | null
  venueAcknowledgedAt: Date | null
  /** Both sides acknowledged within `acknowledgeWithinDays` of the period's end. */
  onTime: boolean
}

/**
 * For each active agreement the party follows (`agreementsSeenBy`), whether both sides
 * acknowledged the statement of its last ended period on time: a partnership's health.
 */
export async function acknowledgmentPunctuality(
  db: Executor,
  scope: { partyId: string },
  now = new Date(),
): Promise<Punctuality[]> {
  const mine = await agreementsSeenBy(db, scope)
  const rows = await db
    .select({ agreement: agreements, terms: agreementVersions.terms })
    .from(agreements)
    .innerJoin(
      agreementVersions,
      and(
        eq(agreementVersions.agreementId, agreements.id),
        eq(agreementVersions.version, agreements.activeVersion),
      ),
    )
    .where(and(eq(agreements.status, 'active'), mine))
    .orderBy(asc(agreements.id))
  const out: Punctuality[] = []
  for (const { agreement, terms } of rows) {
    const cycle = settlementCycleSchema
      .catch('monthly')
      .parse((terms as { settlement_cycle?: unknown }).settlement_cycle)
    const current = settlementPeriodOf(cycle, now)
    const period = settlementPeriodOf(cycle, new Date(current.from.getTime() - 1))
    const acks = await db
      .select()
      .from(statementAcknowledgments)
      .where(periodMatch(statementAcknowledgments, agreement.id, period))
      .orderBy(asc(statementAcknowledgments.acknowledgedAt))
    const first = (partyId: string) =>
      acks.find((ack) => ack.partyId === partyId)?.acknowledgedAt ?? null
    const producerAt = first(agreement.producerId)
    const venueAt = first(agreement.venueId)
    const deadline = period.to.getTime() + acknowledgeWithinDays * day
    out.push({
      agreementId: agreement.id,
      producerId: agreement.producerId,
      venueId: agreement.venueId,
      period,
      producerAcknowledgedAt: producerAt,
      venueAcknowledgedAt: venueAt,
      onTime:
        producerAt !== null &&
        venueAt !== null &&
        producerAt.getTime() <= deadline &&
        venueAt.getTime() <= deadline,
    })
  }
  return out
}

/** An open dispute with where it stands: whose agreement, which period. */
export interface OpenDispute extends StatementDispute {
  agreementId: string
  producerId: string
  venueId: string
  period: { from: Date; to: Date }
}

/**
 * Disputes still open, newest first: the platform operator sees every one; a producer or venue
 * those on its agreements; a cooperative those on agreements whose terms give it a fee (its
 * members' partnerships).
 */
export async function openDisputes(
  db: Executor,
  scope: { partyId: string },
): Promise<OpenDispute[]> {
  const mine = await agreementsSeenBy(db, scope)
  const rows = await db
    .select({ agreement: agreements, dispute: statementDisputes })
    .from(statementDisputes)
    .innerJoin(agreements, eq(agreements.id, statementDisputes.agreementId))
    .where(and(eq(statementDisputes.status, 'open'), mine))
    .orderBy(desc(statementDisputes.openedAt), desc(statementDisputes.id))
    .limit(200)
  return rows.map(({ agreement, dispute }) => ({
    ...toDispute(agreement, dispute),
    agreementId: agreement.id,
    producerId: agreement.producerId,
    venueId: agreement.venueId,
    period: { from: dispute.periodFrom, to: dispute.periodTo },
  }))
}
