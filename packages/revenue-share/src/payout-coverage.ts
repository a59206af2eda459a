import type { CurrencyCode } from '@mitra/core'
import { conflict, MitraError } from '@mitra/core'
import {
  type AccountPurpose,
  constraintOf,
  type Executor,
  payoutItems,
  sqlState,
  sqlStateOf,
} from '@mitra/db'
import { type SQL, sql } from 'drizzle-orm'
import { type PayableItem, payablePurposes } from './entries.js'

/*
 * How payouts cover journal lines (the rule is described on the `payouts` table): shared by
 * `postPayout` and `settle`; not part of the package's API.
 */

/** The last payout of a party's chain (position 0, no snapshot: none yet). */
export interface ChainHead {
  partyId: string
  position: number
  xid: string | null
  snapshot: string | null
}

/** What a payout being made saw: its transaction and its snapshot. */
export interface Horizon {
  xid: string
  snapshot: string
}

type Rows<T> = { rows: T[] } | T[]

export function rowsOf<T>(result: unknown): T[] {
  const r = result as Rows<T>
  return Array.isArray(r) ? r : r.rows
}

/** The journal transactions of payouts and their reversals, whose lines are never items. */
export function payoutTransactions(currency: CurrencyCode | SQL): SQL {
  return sql`(select transaction_id from payouts where currency = ${currency}
      union all
      select reversal_transaction_id from payouts
      where currency = ${currency} and reversal_transaction_id is not null)`
}

export function payablePurposesSql(): SQL {
  return sql`(${sql.join(
    payablePurposes.map((p) => sql`${p}::ledger_account_purpose`),
    sql`, `,
  )})`
}

function partyList(partyIds: readonly string[]): SQL {
  return sql`(select jsonb_array_elements_text(${JSON.stringify(partyIds)}::jsonb))`
}

/**
 * Locks the ledger accounts of the parties owed anything in the currency (of `partyIds`, or
 * of every party when null), in one order so that settlements and payouts never deadlock,
 * and returns those parties. Payouts of a party take turns; sales crediting it go on (no key
 * update).
 */
export async function lockParties(
  tx: Executor,
  currency: CurrencyCode,
  partyIds: readonly string[] | null,
): Promise<string[]> {
  const rows = rowsOf<{ party_id: string }>(
    await tx.execute(sql`
      select party_id from ledger_accounts
      where currency = ${currency}
        and party_id in (
          select party_id from ledger_accounts
          where currency = ${currency} and purpose in ${payablePurposesSql()}
            ${partyIds === null ? sql`` : sql`and party_id in ${partyList(partyIds)}`})
      order by party_id, purpose
      for no key update`),
  )
  return [...new Set(rows.map((r) => r.party_id))]
}

/**
 * The transaction and snapshot a payout keeps. Take it once the parties are locked and
 * after posting anything the payout must pay (an advance deduction): what the snapshot
 * sees was committed before it; lines of this transaction are paid by rows.
 */
export async function captureHorizon(tx: Executor): Promise<Horizon> {
  const [row] = rowsOf<Horizon>(
    await tx.execute(
      sql`select pg_current_xact_id()::text as xid, pg_current_snapshot()::text as snapshot`,
    ),
  )
  if (row === undefined) throw new Error('pg_current_snapshot() returned nothing')
  return row
}

/**
 * A transaction still running when a payout took its snapshot, or begun since, has an xid
 * no lower than that snapshot's xmin, within one Postgres cluster (replicas and PGlite data
 * folders keep their xids). A logical restore (pg_dump) into a new cluster starts lower:
 * lines written there would look already seen by the old snapshots, so paying is refused
 * until the cluster's next xid is moved past the stored ones (`pg_resetwal -x`).
 */
export function checkHorizon(horizon: Horizon, heads: readonly ChainHead[]): void {
  const own = BigInt(horizon.xid)
  for (const head of heads) {
    if (head.snapshot !== null && own < xminOf(head.snapshot)) {
      throw new MitraError(
        'internal',
        `Transaction ids went back (now ${horizon.xid}, last payout of ${head.partyId} saw ${head.snapshot}): was the database restored into a new cluster? Payouts are refused until its next xid is past that.`,
      )
    }
  }
}

/** The last payout of each party's chain; parties with none get position 0. */
export async function chainHeads(
  tx: Executor,
  currency: CurrencyCode,
  partyIds: readonly string[],
): Promise<ChainHead[]> {
  if (partyIds.length === 0) return []
  const rows = rowsOf<{
    party_id: string
    chain_position: number
    xid: string
    snapshot: string
  }>(
    await tx.execute(sql`
      select distinct on (party_id) party_id, chain_position, xid::text as xid,
             snapshot::text as snapshot
      from payouts
      where currency = ${currency} and chain_position is not null
        and party_id in ${partyList(partyIds)}
      order by party_id, chain_position desc`),
  )
  const byParty = new Map(rows.map((r) => [r.party_id, r]))
  return partyIds.map((partyId) => {
    const head = byParty.get(partyId)
    return head === undefined
      ? { partyId, position: 0, xid: null, snapshot: null }
      : { partyId, position: Number(head.chain_position), xid: head.xid, snapshot: head.snapshot }
  })
}

/** The `xmin` of a snapshot: every older transaction is visible to it. */
function xminOf(snapshot: string): bigint {
  return BigInt(snapshot.split(':')[0] as string)
}

/** The smallest `xmin` of the heads' snapshots: older transactions are seen by every head. */
function oldestXmin(heads: readonly ChainHead[]): bigint {
  let min: bigint | null = null
  for (const head of heads) {
    if (head.snapshot === null) return 0n
    const xmin = xminOf(head.snapshot)
    if (min === null || xmin < min) min = xmin
  }
  return min ?? 0n
}

/** `x` is seen by payout `p` (alias with `xid` and `snapshot`; false when `p` is null). */
export function seen(x: SQL, p: string): SQL {
  const alias = sql.raw(p)
  return sql`(${alias}.snapshot is not null and ${x} <> ${alias}.xid and pg_visible_in_snapshot(${x}, ${alias}.snapshot))`
}

/**
 * The unpaid payable lines of the heads' parties: `party_id, purpose, transaction_id,
 * position, amount, by_snapshot` (each line once). A line without any `payout_items` row is unpaid when no
 * payout of its chain covers it yet (its head does not see it) or the payout covering it was
 * reversed; a line with rows is unpaid when all of them were released. With a horizon,
 * `by_snapshot` says whether a payout taking it would cover the line by snapshot.
 */
export function unpaidLines(
  currency: CurrencyCode,
  heads: readonly ChainHead[],
  horizon: Horizon | null,
  /** Only the lines that would need rows (those `coveredTotals` leaves out). */
  onlyRows = false,
): SQL {
  const chain = chainOf(heads)
  const bySnapshot =
    horizon === null
      ? sql`false`
      : sql`(l.xid <> ${horizon.xid}::xid8 and pg_visible_in_snapshot(l.xid, ${horizon.snapshot}::pg_snapshot))`
  let from = oldestXmin(heads)
  let covered = sql`true`
  if (onlyRows && horizon !== null) {
    // What a horizon does not see is no older than its xmin (nor is its own transaction).
    const xmin = xminOf(horizon.snapshot)
    if (xmin > from) from = xmin
    covered = sql`not ${bySnapshot}`
  }
  const lineFilter = sql`l.currency = ${currency}
        and l.purpose in ${payablePurposesSql()}
        and l.transaction_id not in ${payoutTransactions(currency)}`
  const noRows = sql`not exists (
          select 1 from payout_items pi
          where pi.transaction_id = l.transaction_id and pi.position = l.position)`
  return sql`
    select l.party_id, l.purpose::text as purpose, l.transaction_id, l.position, l.amount,
           ${bySnapshot} as by_snapshot
    from journal_lines l
    join ${chain} on c.party_id = l.party_id
    where ${lineFilter}
      and l.xid >= ${String(from)}::xid8
      and not ${seen(sql`l.xid`, 'c')}
      and ${covered}
      and ${noRows}
    union all
    select l.party_id, l.purpose::text, l.transaction_id, l.position, l.amount, false
    from payouts r
    join ${chain} on c.party_id = r.party_id
    left join payouts rp on rp.party_id = r.party_id and rp.currency = r.currency
      and rp.chain_position = r.chain_position - 1
    join journal_lines l on l.party_id = r.party_id
      and l.xid >= coalesce(pg_snapshot_xmin(rp.snapshot), '0'::xid8)
      and l.xid < pg_snapshot_xmax(r.snapshot)
    where r.currency = ${currency} and r.status = 'reversed' and r.chain_position is not null
      and ${lineFilter}
      and ${seen(sql`l.xid`, 'r')} and not ${seen(sql`l.xid`, 'rp')}
      and ${noRows}
    union all
    select l.party_id, l.purpose::text, l.transaction_id, l.position, l.amount, false
    from (select distinct transaction_id, position from payout_items where released) pr
    join journal_lines l on l.transaction_id = pr.transaction_id and l.position = pr.position
    join ${chain} on c.party_id = l.party_id
    where ${lineFilter}
      and not exists (
        select 1 from payout_items pi
        where pi.transaction_id = l.transaction_id and pi.position = l.position
          and not pi.released)`
}

/**
 * What a payout taking `horizon` covers by snapshot, per party and purpose: `party_id,
 * purpose, amount, items`. One pass over the lines with no join for parties never paid (and
 * none at all when `everyone`: lines of parties not among the heads come back too, for the
 * caller to leave out); lines that have `payout_items` rows are counted and taken out again,
 * which costs a lookup per row instead of one per line.
 */
export function coveredTotals(
  currency: CurrencyCode,
  heads: readonly ChainHead[],
  horizon: Horizon,
  everyone: boolean,
): SQL {
  const fresh = heads.filter((h) => h.snapshot === null).map((h) => h.partyId)
  const chained = heads.filter((h) => h.snapshot !== null)
  const covers = sql`l.xid <> ${horizon.xid}::xid8 and pg_visible_in_snapshot(l.xid, ${horizon.snapshot}::pg_snapshot)`
  const lineFilter = sql`l.currency = ${currency}
        and l.purpose in ${payablePurposesSql()}
        and l.transaction_id not in ${payoutTransactions(currency)}`
  const branches: SQL[] = []
  if (everyone || fresh.length > 0) {
    const parties = everyone
      ? chained.length === 0
        ? sql``
        : sql`and l.party_id not in ${partyList(chained.map((h) => h.partyId))}`
      : sql`and l.party_id in ${partyList(fresh)}`
    branches.push(sql`
      select l.party_id, l.purpose, sum(l.amount) as amount, count(*) as n
      from journal_lines l
      where ${lineFilter} ${parties} and ${covers}
      group by l.party_id, l.purpose`)
  }
  if (chained.length > 0) {
    branches.push(sql`
      select l.party_id, l.purpose, sum(l.amount) as amount, count(*) as n
      from journal_lines l
      join ${chainOf(chained)} on c.party_id = l.party_id
      where ${lineFilter}
        and l.xid >= ${String(oldestXmin(chained))}::xid8
        and not ${seen(sql`l.xid`, 'c')}
        and ${covers}
      group by l.party_id, l.purpose`)
  }
  branches.push(sql`
      select l.party_id, l.purpose, -sum(l.amount) as amount, -count(*) as n
      from (select distinct transaction_id, position from payout_items) pr
      join journal_lines l on l.transaction_id = pr.transaction_id and l.position = pr.position
      ${everyone ? sql`left` : sql``} join ${chainOf(heads)} on c.party_id = l.party_id
      where ${lineFilter}
        and not ${seen(sql`l.xid`, 'c')}
        and ${covers}
      group by l.party_id, l.purpose`)
  // Each branch groups on its own, so the planner sees few groups (a hash, no sort).
  return sql`
    select party_id, purpose::text as purpose, sum(amount)::bigint as amount,
           sum(n)::int as items
    from (${sql.join(branches, sql` union all `)}) u
    group by party_id, purpose`
}

function chainOf(heads: readonly ChainHead[]): SQL {
  const json = JSON.stringify(
    heads.map((h) => ({ party_id: h.partyId, xid: h.xid, snapshot: h.snapshot })),
  )
  return sql`jsonb_to_recordset(${json}::jsonb) as c(party_id text, xid xid8, snapshot pg_snapshot)`
}

interface ItemRow {
  transaction_id: string
  position: number
  purpose: AccountPurpose
  amount: string | number
}

/**
 * A payout's items: its `payout_items` rows, and the lines it covers by snapshot — those of
 * transactions it sees and the previous payout of its chain does not, that no earlier
 * payout had a row for when it was made (rows made later re-pay lines after its reversal).
 */
export async function itemsOf(db: Executor, id: string): Promise<PayableItem[]> {
  const rows = rowsOf<ItemRow>(
    await db.execute(sql`
      select l.transaction_id, l.position, l.purpose::text as purpose, l.amount
      from payouts p
      left join payouts rp on rp.party_id = p.party_id and rp.currency = p.currency
        and rp.chain_position = p.chain_position - 1
      join journal_lines l on l.party_id = p.party_id
        and l.xid >= coalesce(pg_snapshot_xmin(rp.snapshot), '0'::xid8)
        and l.xid < pg_snapshot_xmax(p.snapshot)
      where p.id = ${id} and p.snapshot is not null
        and l.currency = p.currency
        and l.purpose in ${payablePurposesSql()}
        and l.transaction_id not in ${payoutTransactions(sql`(select currency from payouts where id = ${id})`)}
        and ${seen(sql`l.xid`, 'p')} and not ${seen(sql`l.xid`, 'rp')}
        and not exists (
          select 1 from payout_items pi join payouts q on q.id = pi.payout_id
          where pi.transaction_id = l.transaction_id and pi.position = l.position
            and coalesce(q.chain_position, 0) < p.chain_position)
      union all
      select pi.transaction_id, pi.position, l.purpose::text, pi.amount
      from payout_items pi
      join journal_lines l on l.transaction_id = pi.transaction_id and l.position = pi.position
      where pi.payout_id = ${id}
      order by transaction_id, position`),
  )
  return rows.map((row) => ({
    transactionId: row.transaction_id,
    position: Number(row.position),
    purpose: row.purpose,
    amount: Number(row.amount),
  }))
}

/** A unique violation of the chain or of an item: another payout got there first. */
export function mapPayoutConflict(error: unknown): never {
  const constraint = constraintOf(error)
  if (
    sqlStateOf(error) === sqlState.uniqueViolation &&
    (constraint === 'payout_items_line_paid_once' || constraint === 'payouts_chain_unique')
  ) {
    throw conflict('items', 'An item was paid by another payout at the same time', error)
  }
  throw error
}

/** Records the explicit items of payouts: `[payoutId, item]` pairs. */
export async function insertPayoutItems(
  tx: Executor,
  items: readonly (readonly [string, PayableItem])[],
): Promise<void> {
  for (let i = 0; i < items.length; i += 1_000) {
    await tx
      .insert(payoutItems)
      .values(
        items.slice(i, i + 1_000).map(([payoutId, item]) => ({
          payoutId,
          transactionId: item.transactionId,
          position: item.position,
          amount: item.amount,
        })),
      )
      .catch(mapPayoutConflict)
  }
}
