import {
  type CurrencyCode,
  currency as checkCurrency,
  MitraError,
  type Money,
  money,
  toSafeInteger,
} from '@mitra/core'
import { type Executor, journalLines, journalTransactions } from '@mitra/db'
import { and, asc, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm'
import { type EntrySource, isPayable, payablePurposes } from './entries.js'
import { getTransaction, type PostedLine, type PostedTransaction } from './ledger.js'
import type { ShareRole } from './policy.js'

/**
 * Statements: for one party (and optionally one agreement) over a period — the opening
 * balance it was owed, each sale line with every share, refunds and returns, adjustments
 * (damage, penalties, advances and their deductions), payouts, and the closing balance.
 * Built by a pure function from posted transactions, so any party can recompute it.
 */

export interface StatementShare {
  rule: string
  role: ShareRole
  partyId: string
  amount: Money
  explanation: PostedLine['explanation']
}

export interface StatementEntry {
  transactionId: string
  kind: PostedTransaction['kind']
  occurredAt: Date
  source: EntrySource
  saleLineId: string | null
  agreementId: string | null
  /** Change in what the party is owed (positive: owed more). */
  amount: Money
  /** What the party is owed after this entry. */
  balance: Money
  /** For sales, refunds and returns: every share of the line (all parties), signed as posted. */
  shares: StatementShare[]
  memo: string | null
}

export interface StatementTotals {
  sales: Money
  refunds: Money
  returns: Money
  adjustments: Money
  payouts: Money
}

export interface Statement {
  partyId: string
  currency: CurrencyCode
  /** Only this agreement's transactions (payouts belong to no agreement), or all. */
  agreementId: string | null
  from: Date
  /** Exclusive. */
  to: Date
  openingBalance: Money
  entries: StatementEntry[]
  totals: StatementTotals
  closingBalance: Money
}

export interface BuildStatementInput {
  partyId: string
  currency: CurrencyCode
  agreementId?: string | null
  from: Date
  to: Date
  /** What the party was owed at `from`. */
  openingBalance: number
  /** The period's transactions that touch the party, in any order. */
  transactions: readonly PostedTransaction[]
}

/**
 * What a statement counts as owed to the party: its payable accounts (collected, paid out by
 * payouts) and what others hold for it (awaiting collection, handed over by remittances).
 */
const owedPurposes = [...payablePurposes, 'awaiting_collection'] as const

function effectOn(partyId: string, transaction: PostedTransaction): number {
  return (
    0 -
    transaction.lines
      .filter(
        (line) =>
          line.partyId === partyId &&
          (isPayable(line.purpose) || line.purpose === 'awaiting_collection'),
      )
      .reduce((acc, line) => acc + line.amount, 0)
  )
}

const movesOnly = new Set<PostedTransaction['kind']>([
  'collection_hold',
  'netting',
  'remittance',
  'remittance_reversal',
  'payout_paid',
  'payout_paid_reversal',
])

function totalKey(kind: PostedTransaction['kind']): keyof StatementTotals {
  switch (kind) {
    case 'sale':
      return 'sales'
    case 'refund':
    case 'refund_failure':
      return 'refunds'
    case 'return':
      return 'returns'
    case 'payout':
    case 'payout_reversal':
    // Money reaching the party other than by payout: kept from the till, handed over.
    case 'collection_hold':
    case 'netting':
    case 'remittance':
    case 'remittance_reversal':
    case 'payout_paid':
    case 'payout_paid_reversal':
      return 'payouts'
    default:
      return 'adjustments'
  }
}

/** A statement from posted transactions (pure). */
export function buildStatement(input: BuildStatementInput): Statement {
  const { currency, partyId } = input
  if (input.to.getTime() <= input.from.getTime()) {
    throw new MitraError('validation_failed', "The period's end must come after its start", {
      errors: [{ path: 'to', code: 'invalid', message: 'must be after from' }],
    })
  }
  const sorted = [...input.transactions]
    .filter((t) => t.currency === currency)
    // Money moving between where it is held, that changes nothing the party is owed.
    .filter((t) => !movesOnly.has(t.kind) || effectOn(partyId, t) !== 0)
    .sort((a, b) =>
      a.occurredAt.getTime() === b.occurredAt.getTime()
        ? a.id < b.id
          ? -1
          : 1
        : a.occurredAt.getTime() - b.occurredAt.getTime(),
    )
  const totals = { sales: 0, refunds: 0, returns: 0, adjustments: 0, payouts: 0 }
  let balance = input.openingBalance
  const entries = sorted.map((transaction): StatementEntry => {
    const amount = effectOn(partyId, transaction)
    balance += amount
    totals[totalKey(transaction.kind)] += amount
    const shareLines = transaction.lines.filter(
      (line) => line.shareRole != null && line.purpose !== 'awaiting_collection',
    )
    return {
      transactionId: transaction.id,
      kind: transaction.kind,
      occurredAt: transaction.occurredAt,
      source: transaction.source,
      saleLineId: transaction.lines.find((line) => line.saleLineId != null)?.saleLineId ?? null,
      agreementId: transaction.agreementId,
      amount: money(amount, currency),
      balance: money(balance, currency),
      shares: shareLines.map((line) => ({
        rule: line.ruleId ?? '',
        role: line.shareRole as ShareRole,
        partyId: line.partyId,
        amount: money(-line.amount, currency),
        explanation: line.explanation ?? null,
      })),
      memo: transaction.memo,
    }
  })
  return {
    partyId,
    currency,
    agreementId: input.agreementId ?? null,
    from: input.from,
    to: input.to,
    openingBalance: money(input.openingBalance, currency),
    entries,
    totals: {
      sales: money(totals.sales, currency),
      refunds: money(totals.refunds, currency),
      returns: money(totals.returns, currency),
      adjustments: money(totals.adjustments, currency),
      payouts: money(totals.payouts, currency),
    },
    closingBalance: money(balance, currency),
  }
}

export interface StatementQuery {
  partyId: string
  currency: CurrencyCode | string
  from: Date
  to: Date
  agreementId?: string | null
}

/** The statement of a party (and agreement) for a period, from the ledger. */
export async function statement(db: Executor, query: StatementQuery): Promise<Statement> {
  const currency = checkCurrency(query.currency)
  const agreement =
    query.agreementId == null ? undefined : eq(journalTransactions.agreementId, query.agreementId)
  const [opening] = await db
    .select({ total: sql<string>`coalesce(sum(${journalLines.amount}), 0)::text` })
    .from(journalLines)
    .innerJoin(journalTransactions, eq(journalTransactions.id, journalLines.transactionId))
    .where(
      and(
        eq(journalLines.partyId, query.partyId),
        eq(journalLines.currency, currency),
        inArray(journalLines.purpose, [...owedPurposes]),
        lt(journalTransactions.occurredAt, query.from),
        agreement,
      ),
    )
  const rows = await db
    .selectDistinct({ id: journalTransactions.id })
    .from(journalTransactions)
    .innerJoin(journalLines, eq(journalLines.transactionId, journalTransactions.id))
    .where(
      and(
        eq(journalLines.partyId, query.partyId),
        eq(journalTransactions.currency, currency),
        gte(journalTransactions.occurredAt, query.from),
        lt(journalTransactions.occurredAt, query.to),
        agreement,
        query.agreementId == null ? undefined : isNotNull(journalTransactions.agreementId),
      ),
    )
    .orderBy(asc(journalTransactions.id))
  const transactions: PostedTransaction[] = []
  for (const row of rows) transactions.push(await getTransaction(db, row.id))
  return buildStatement({
    partyId: query.partyId,
    currency,
    agreementId: query.agreementId ?? null,
    from: query.from,
    to: query.to,
    openingBalance: -toSafeInteger(BigInt(opening?.total ?? '0')),
    transactions,
  })
}

function cell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value)
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * The statement as CSV (RFC 4180, amounts in minor units): an opening row, a row per entry
 * with its effect and the running balance, a row per share under each sale line, refund and
 * return, and a closing row.
 */
export function statementCsv(s: Statement): string {
  const header = [
    'date',
    'kind',
    'source_type',
    'source_id',
    'transaction_id',
    'sale_line_id',
    'rule',
    'role',
    'party_id',
    'share',
    'amount',
    'balance',
    'currency',
  ]
  const rows: (string | number | null)[][] = [header]
  rows.push([
    s.from.toISOString(),
    'opening_balance',
    '',
    '',
    '',
    '',
    '',
    '',
    s.partyId,
    '',
    '',
    s.openingBalance.amount,
    s.currency,
  ])
  for (const e of s.entries) {
    rows.push([
      e.occurredAt.toISOString(),
      e.kind,
      e.source.type,
      e.source.id,
      e.transactionId,
      e.saleLineId,
      '',
      '',
      s.partyId,
      '',
      e.amount.amount,
      e.balance.amount,
      s.currency,
    ])
    for (const share of e.shares) {
      rows.push([
        e.occurredAt.toISOString(),
        'share',
        e.source.type,
        e.source.id,
        e.transactionId,
        e.saleLineId,
        share.rule,
        share.role,
        share.partyId,
        share.amount.amount,
        '',
        '',
        s.currency,
      ])
    }
  }
  rows.push([
    s.to.toISOString(),
    'closing_balance',
    '',
    '',
    '',
    '',
    '',
    '',
    s.partyId,
    '',
    '',
    s.closingBalance.amount,
    s.currency,
  ])
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`
}
