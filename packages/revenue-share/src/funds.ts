import { type CurrencyCode, MitraError, money, toSafeInteger } from '@mitra/core'
import { type Executor, ledgerAccounts, parties } from '@mitra/db'
import { asc, eq, sql } from 'drizzle-orm'
import { idArray } from './claims.js'
import { rowsOf } from './payout-coverage.js'

/*
 * The platform's funds: the money it holds for the network, in one currency — what its
 * payment provider collected less the provider's fees, what holders paid in to it, less
 * payouts sent (in transit) or paid. Payouts are paid from them and never exceed them.
 * A deployment has one platform; were there several, their funds would be one pool.
 */

/** The parties of kind platform, in id order: whose collections are the funds. */
export async function platformIds(tx: Executor): Promise<string[]> {
  const rows = await tx
    .select({ id: parties.id })
    .from(parties)
    .where(eq(parties.kind, 'platform'))
    .orderBy(asc(parties.id))
  return rows.map((row) => row.id)
}

/**
 * Locks the platform's funds in the currency, so payouts, settlements and whatever else takes
 * money out of them take turns. Money coming in does not wait: `no key update` leaves alone
 * the key-share locks that sales' journal lines take on the account. Taken before any party's
 * accounts, in every path. Returns the platform, or null when there is none (nothing to pay
 * from).
 */
export async function lockFunds(tx: Executor, currency: CurrencyCode): Promise<string | null> {
  const ids = await platformIds(tx)
  if (ids.length === 0) return null
  await tx
    .insert(ledgerAccounts)
    .values(ids.map((partyId) => ({ partyId, purpose: 'provider_clearing' as const, currency })))
    .onConflictDoNothing()
  await tx.execute(sql`
    select 1 from ledger_accounts
    where purpose = 'provider_clearing' and currency = ${currency}
      and party_id in (select id from parties where kind = 'platform')
    order by party_id
    for no key update`)
  return ids[0] as string
}

/** The funds now, with the snapshot the count was taken at (one statement: one snapshot). */
interface FundsCount {
  amount: number
  snapshot: string
}

async function countFunds(tx: Executor, currency: CurrencyCode): Promise<FundsCount> {
  // From the last checkpoint: its amount, plus the lines its snapshot did not see (an index
  // range on xid from its xmin); without one, every line. A checkpoint read a moment before
  // the count is still exact: it only moves the line between "counted" and "added".
  const [checkpoint] = rowsOf<{ amount: string; snapshot: string; xid: string }>(
    await tx.execute(sql`
      select amount::text as amount, snapshot::text as snapshot, xid::text as xid
      from funds_checkpoints where currency = ${currency}`),
  )
  const unseen =
    checkpoint === undefined
      ? sql``
      : sql`and l.xid >= ${checkpoint.snapshot.split(':')[0]}::xid8
          and not (l.xid <> ${checkpoint.xid}::xid8
                   and pg_visible_in_snapshot(l.xid, ${checkpoint.snapshot}::pg_snapshot))`
  // The funds' lines — the platform's collections and fees, payouts in transit — each read by
  // its account's index, in one statement (one snapshot).
  const [platforms, transit] = await Promise.all([
    platformIds(tx),
    tx.execute(sql`
      select party_id from ledger_accounts
      where purpose = 'payouts_in_transit' and currency = ${currency}`),
  ])
  const transitParties = rowsOf<{ party_id: string }>(transit).map((row) => row.party_id)
  const [row] = rowsOf<{ amount: string; snapshot: string }>(
    await tx.execute(sql`
      select (${checkpoint?.amount ?? '0'}::bigint + coalesce((
               select sum(l.amount) from journal_lines l
               where l.party_id = any(${idArray(platforms)})
                 and l.purpose in ('provider_clearing', 'payment_fees')
                 and l.currency = ${currency} ${unseen}), 0) + coalesce((
               select sum(l.amount) from journal_lines l
               where l.party_id = any(${idArray(transitParties)})
                 and l.purpose = 'payouts_in_transit'
                 and l.currency = ${currency} ${unseen}), 0))::text as amount,
             pg_current_snapshot()::text as snapshot`),
  )
  if (row === undefined) throw new Error('The funds count returned nothing')
  return { amount: toSafeInteger(BigInt(row.amount)), snapshot: row.snapshot }
}

/** What the platform's funds hold now that no payout has taken yet (see above). */
export async function availableFunds(tx: Executor, currency: CurrencyCode): Promise<number> {
  return (await countFunds(tx, currency)).amount
}

/**
 * Counts the funds and keeps the count as the currency's checkpoint, so the next count reads
 * only what came after. Call with the funds locked (`lockFunds`), before writing anything to
 * them in this transaction: what this transaction writes later is counted after the
 * checkpoint (its own xid is never taken as seen).
 */
export async function checkpointFunds(tx: Executor, currency: CurrencyCode): Promise<number> {
  const count = await countFunds(tx, currency)
  await tx.execute(sql`
    insert into funds_checkpoints (currency, amount, snapshot, xid)
    values (${currency}, ${count.amount}, ${count.snapshot}::pg_snapshot, pg_current_xact_id())
    on conflict (currency) do update
      set amount = excluded.amount, snapshot = excluded.snapshot, xid = excluded.xid`)
  return count.amount
}

/** 409 `insufficient_funds`: paying `amount` would take more than the funds hold. */
export function insufficientFunds(
  currency: CurrencyCode,
  amount: number,
  available: number,
): MitraError {
  return new MitraError(
    'insufficient_funds',
    `${amount} ${currency} is due, and the money collected and not yet paid out is ${available}: the rest is owed, awaiting collection`,
    {
      extensions: {
        amount_due: money(amount, currency),
        available: money(Math.max(0, available), currency),
      },
    },
  )
}
