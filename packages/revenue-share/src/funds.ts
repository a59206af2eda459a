import { type CurrencyCode, MitraError, money, toSafeInteger } from '@mitra/core'
import { type Executor, ledgerAccounts, parties } from '@mitra/db'
import { asc, eq, sql } from 'drizzle-orm'
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

/** What the platform's funds hold now that no payout has taken yet (see above). */
export async function availableFunds(tx: Executor, currency: CurrencyCode): Promise<number> {
  const [row] = rowsOf<{ total: string }>(
    await tx.execute(sql`
      select coalesce(sum(amount), 0)::text as total from journal_lines
      where currency = ${currency} and (
        (purpose in ('provider_clearing', 'payment_fees')
          and party_id in (select id from parties where kind = 'platform'))
        or (purpose = 'payouts_in_transit' and party_id in (
          select party_id from ledger_accounts
          where purpose = 'payouts_in_transit' and currency = ${currency})))`),
  )
  return toSafeInteger(BigInt(row?.total ?? '0'))
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
