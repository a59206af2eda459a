import {
  type CurrencyCode,
  currency as checkCurrency,
  type Money,
  money,
  newId,
  notFound,
} from '@mitra/core'
import {
  type AccountPurpose,
  atomically,
  type Executor,
  journalLines,
  journalTransactions,
  ledgerAccounts,
  parties as partiesTable,
  payouts,
  remittances,
  settlements,
} from '@mitra/db'
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { type JournalEntry, type PayableItem, payoutEntry, validateEntry } from './entries.js'
import { availableFunds, checkpointFunds, lockFunds } from './funds.js'
import { holderStates, settleHolders } from './holders.js'
import { accountRowsOf, lineRowsOf, transactionRowOf } from './journal-rows.js'
import { hashOf } from './ledger.js'
import {
  captureHorizon,
  chainHeads,
  checkHorizon,
  coveredTotals,
  insertPayoutItems,
  lockParties,
  mapPayoutConflict,
  rowsOf,
  unpaidLines,
} from './payout-coverage.js'
import { previewPayout, repayAdvancesBeforePayout } from './payouts.js'

async function partyKinds(tx: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await tx
    .select({ id: partiesTable.id, kind: partiesTable.kind })
    .from(partiesTable)
    .where(inArray(partiesTable.id, [...ids]))
  return new Map(rows.map((row) => [row.id, row.kind]))
}

export interface SettleInput {
  currency: CurrencyCode | string
  /** Parties owed less than this are carried to the next settlement. */
  minimum: Money
  /** Only these parties (default: everyone owed something, every holder). */
  partyIds?: string[]
  occurredAt?: Date
  /** Who runs it (a user or key id), kept on the settlement. */
  createdBy?: string | null
}

export interface Settlement {
  id: string
  currency: CurrencyCode
  payouts: { payoutId: string; partyId: string; amount: Money; items: number }[]
  /** Payable journal lines paid by this settlement. */
  items: number
  /** What each holder of money settled: its commission netted, remittances asked of it. */
  holders: { partyId: string; credit: Money; netted: Money; remittanceIds: string[] }[]
  /** Remittances asked for, to each party owed directly or to the platform. */
  remittanceIds: string[]
  /** Parties owed at least the minimum whom the funds could not pay yet, in party order. */
  unfunded: { partyId: string; amount: Money }[]
  /** The platform's funds after these payouts. */
  fundsAfter: Money
}

interface OwedRow {
  party_id: string
  purpose: AccountPurpose
  /** Absent for the lines the payout covers by snapshot (summed); else one line. */
  transaction_id?: string
  position?: number
  amount: string | number
  items: number
}

interface Owed {
  byPurpose: Map<AccountPurpose, number>
  items: number
  explicit: PayableItem[]
}

/**
 * Settles a period for many parties at once. First the holders of money (a venue's counter
 * cash): what the platform owes each is set against what it holds for the platform's side,
 * and a remittance is asked for the rest, to each party owed directly or to the platform
 * (`settleHolders`). Then every party owed at least `minimum` gets one payout of all its
 * unpaid payable lines ("on items", like `postPayout`), in party order while the platform's
 * funds last: a party they cannot pay yet is listed as `unfunded`, still owed. The parties'
 * accounts are locked first (the order `postPayout` uses), so payouts to a party take
 * turns. Each payout keeps the snapshot taken after the locks and covers by it the lines its
 * chain's previous payout did not see, so a million lines are chosen and summed in one
 * aggregate and nothing is written per line; only the few lines a snapshot cannot cover
 * (posted earlier in this transaction, or owed again after a reversal) get `payout_items`
 * rows. Anything this settlement must pay from its own transaction (an advance deduction)
 * is posted before the snapshot is taken.
 */
export function settle(db: Executor, input: SettleInput): Promise<Settlement> {
  const currency = checkCurrency(input.currency)
  const minimum = input.minimum.amount
  const now = input.occurredAt ?? new Date()
  return atomically(db, async (tx) => {
    const id = newId('stl')
    const platformId = await lockFunds(tx, currency)
    const parties = await lockParties(tx, currency, input.partyIds ?? null)
    const result: Settlement = {
      id,
      currency,
      payouts: [],
      items: 0,
      holders: [],
      remittanceIds: [],
      unfunded: [],
      fundsAfter: money(0, currency),
    }
    await tx.insert(settlements).values({
      id,
      currency,
      minimum,
      createdBy: input.createdBy ?? null,
      createdAt: now,
    })
    // Holders first: what they hold is netted or asked for, never paid out as collected.
    if (platformId !== null) {
      const holders = await holderStates(tx, currency, platformId, input.partyIds ?? null)
      const owed = new Map<string, number>()
      for (const holder of holders) {
        const preview = await previewPayout(tx, { partyId: holder.holderId, currency })
        owed.set(holder.holderId, preview.amount.amount)
      }
      const kinds = await partyKinds(
        tx,
        holders.map((h) => h.holderId),
      )
      const settledHolders = await settleHolders(tx, {
        settlementId: id,
        currency,
        platformId,
        holders,
        owed,
        kinds,
        now,
      })
      result.holders = settledHolders.map((h) => ({
        partyId: h.holderId,
        credit: money(h.credit, currency),
        netted: money(h.netted, currency),
        remittanceIds: h.remittanceIds,
      }))
      result.remittanceIds = settledHolders.flatMap((h) => h.remittanceIds)
    }
    if (parties.length === 0) {
      result.fundsAfter = money(await availableFunds(tx, currency), currency)
      return result
    }
    // Entries these payouts must pay from this transaction go in before the snapshot.
    await repayAdvancesBeforePayout(tx, currency, parties, newId('po'))
    const horizon = await captureHorizon(tx)
    const heads = await chainHeads(tx, currency, parties)
    checkHorizon(horizon, heads)
    // One aggregate over the lines the snapshot covers; the few others are listed.
    const covered = rowsOf<OwedRow>(
      await tx.execute(coveredTotals(currency, heads, horizon, input.partyIds === undefined)),
    )
    const listed = rowsOf<OwedRow>(
      await tx.execute(sql`
        select party_id, purpose, transaction_id, position, amount, 1 as items
        from (${unpaidLines(currency, heads, horizon, true)}) u`),
    )
    const locked = new Set(parties)
    // Parties whose accounts appeared after the lock wait for the next settlement.
    const rows = [...covered, ...listed].filter((row) => locked.has(row.party_id))
    const owed = new Map<string, Owed>()
    for (const row of rows) {
      let party = owed.get(row.party_id)
      if (party === undefined) {
        party = { byPurpose: new Map(), items: 0, explicit: [] }
        owed.set(row.party_id, party)
      }
      const amount = Number(row.amount)
      party.byPurpose.set(row.purpose, (party.byPurpose.get(row.purpose) ?? 0) + amount)
      party.items += Number(row.items)
      if (row.transaction_id !== undefined) {
        party.explicit.push({
          transactionId: row.transaction_id,
          position: Number(row.position),
          purpose: row.purpose,
          amount,
        })
      }
    }

    const position = new Map(heads.map((h) => [h.partyId, h.position]))
    const settled: Settlement['payouts'] = []
    const entries: JournalEntry[] = []
    const explicit: (readonly [string, PayableItem])[] = []
    // Paid from the funds, in party order, while they last; the rest waits, owed.
    // Counted (and kept for the next count) before this settlement's payouts take from them.
    let funds = await checkpointFunds(tx, currency)
    for (const partyId of [...owed.keys()].sort()) {
      const party = owed.get(partyId) as Owed
      const totals = [...party.byPurpose]
      const due = -totals.reduce((sum, [, amount]) => sum + amount, 0)
      if (due <= 0 || due < minimum) continue
      if (due > funds) {
        result.unfunded.push({ partyId, amount: money(due, currency) })
        continue
      }
      funds -= due
      const payoutId = newId('po')
      // The payout entry needs only each purpose's total: one synthetic item per purpose.
      entries.push(
        payoutEntry({
          payoutId,
          partyId,
          currency,
          items: totals.map(([purpose, amount], i) => ({
            transactionId: '',
            position: i,
            purpose,
            amount,
          })),
        }),
      )
      for (const item of party.explicit) explicit.push([payoutId, item])
      settled.push({ payoutId, partyId, amount: money(due, currency), items: party.items })
    }
    const transactionIds = await postFreshEntries(tx, entries, now)
    const payoutRows = settled.map((p, i) => ({
      id: p.payoutId,
      settlementId: id,
      partyId: p.partyId,
      currency,
      amount: p.amount.amount,
      transactionId: transactionIds[i] as string,
      chainPosition: (position.get(p.partyId) ?? 0) + 1,
      snapshot: horizon.snapshot,
    }))
    for (let i = 0; i < payoutRows.length; i += 1_000) {
      await tx
        .insert(payouts)
        .values(payoutRows.slice(i, i + 1_000))
        .catch(mapPayoutConflict)
    }
    await insertPayoutItems(tx, explicit)
    result.payouts = settled
    result.items = settled.reduce((sum, p) => sum + p.items, 0)
    result.fundsAfter = money(funds, currency)
    return result
  })
}

/**
 * Posts new entries (sources never posted before: fresh payout ids) in three statements
 * instead of `postEntry`'s four per entry, with the content hash `postEntry` would store.
 * The database still checks each balances when the transaction commits. Returns their ids.
 */
async function postFreshEntries(
  tx: Executor,
  entries: readonly JournalEntry[],
  occurredAt: Date,
): Promise<string[]> {
  if (entries.length === 0) return []
  for (const entry of entries) validateEntry(entry)
  const accounts = accountRowsOf(entries)
  const ids = entries.map(() => newId('txn'))
  const transactions = entries.map((entry, i) =>
    // The hash `postEntry` would store, so a replay through it is recognised.
    transactionRowOf(entry, ids[i] as string, {
      contentHash: hashOf({ entry, reversesId: undefined }),
      occurredAt,
    }),
  )
  const lines = entries.flatMap((entry, i) => lineRowsOf(entry, ids[i] as string))
  const chunks = <T>(rows: readonly T[]) =>
    Array.from({ length: Math.ceil(rows.length / 1_000) }, (_, i) =>
      rows.slice(i * 1_000, (i + 1) * 1_000),
    )
  for (const chunk of chunks(accounts)) {
    await tx.insert(ledgerAccounts).values(chunk).onConflictDoNothing()
  }
  for (const chunk of chunks(transactions)) await tx.insert(journalTransactions).values(chunk)
  for (const chunk of chunks(lines)) await tx.insert(journalLines).values(chunk)
  return ids
}

/** A settlement as stored: when and by whom it ran, the payouts and remittances it made. */
export interface SettlementRecord {
  id: string
  currency: CurrencyCode
  minimum: Money
  createdBy: string | null
  createdAt: Date
  payouts: { payoutId: string; partyId: string; amount: Money; status: string }[]
  remittanceIds: string[]
}

async function recordsOf(
  tx: Executor,
  rows: readonly (typeof settlements.$inferSelect)[],
): Promise<SettlementRecord[]> {
  if (rows.length === 0) return []
  const ids = rows.map((row) => row.id)
  const [paid, asked] = await Promise.all([
    tx
      .select({
        id: payouts.id,
        settlementId: payouts.settlementId,
        partyId: payouts.partyId,
        amount: payouts.amount,
        status: payouts.status,
      })
      .from(payouts)
      .where(inArray(payouts.settlementId, ids))
      .orderBy(asc(payouts.partyId)),
    tx
      .select({ id: remittances.id, settlementId: remittances.settlementId })
      .from(remittances)
      .where(and(inArray(remittances.settlementId, ids), isNull(remittances.previousId)))
      .orderBy(asc(remittances.id)),
  ])
  return rows.map((row) => {
    const currency = checkCurrency(row.currency)
    return {
      id: row.id,
      currency,
      minimum: money(row.minimum, currency),
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      payouts: paid
        .filter((p) => p.settlementId === row.id)
        .map((p) => ({
          payoutId: p.id,
          partyId: p.partyId,
          amount: money(p.amount, currency),
          status: p.status,
        })),
      remittanceIds: asked.filter((r) => r.settlementId === row.id).map((r) => r.id),
    }
  })
}

/** One settlement with the payouts and remittances it made (404 when there is none). */
export async function getSettlement(db: Executor, id: string): Promise<SettlementRecord> {
  const rows = await db.select().from(settlements).where(eq(settlements.id, id))
  const [record] = await recordsOf(db, rows)
  if (record === undefined) throw notFound('settlement', id)
  return record
}

/** Settlements, oldest first, by pages (`after`: the last id of the previous page). */
export async function listSettlements(
  db: Executor,
  query: { after?: string; limit: number },
): Promise<SettlementRecord[]> {
  const rows = await db
    .select()
    .from(settlements)
    .where(query.after === undefined ? undefined : gt(settlements.id, query.after))
    .orderBy(asc(settlements.id))
    .limit(query.limit)
  return recordsOf(db, rows)
}
