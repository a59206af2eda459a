import type { CurrencyCode } from '@mitra/core'
import type { Executor, RemittanceClaim } from '@mitra/db'
import { type SQL, sql } from 'drizzle-orm'
import type { Claim } from './collection.js'
import { rowsOf } from './payout-coverage.js'
import type { ShareRole } from './policy.js'

/*
 * Claims awaiting collection as the ledger and the remittances have them: what each holder
 * holds for whom, and what remittances not yet confirmed already ask of it.
 */

export type HeldClaim = Claim & { holderId: string }

function holdersIn(column: string, holderIds: readonly string[] | null): SQL {
  return holderIds === null
    ? sql``
    : sql`and ${sql.raw(column)} in (select jsonb_array_elements_text(${JSON.stringify(holderIds)}::jsonb))`
}

/**
 * The ids as an array the planner takes as one value (an init plan): `party_id = any(…)` is
 * then an index scan, where `in (subquery)` may scan every journal line.
 */
export function idArray(ids: readonly string[]): SQL {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`
}

/** Every claim held (of `holderIds`' holders, or all), with a positive amount. */
export async function heldClaims(
  tx: Executor,
  currency: CurrencyCode,
  holderIds: readonly string[] | null = null,
): Promise<HeldClaim[]> {
  // Only parties owed something awaiting collection have such lines: read those alone.
  const owed = rowsOf<{ party_id: string }>(
    await tx.execute(sql`
      select party_id from ledger_accounts
      where purpose = 'awaiting_collection' and currency = ${currency}`),
  ).map((row) => row.party_id)
  if (owed.length === 0) return []
  const rows = rowsOf<{
    party_id: string
    holder_id: string
    role: string
    agreement_id: string | null
    amount: string
  }>(
    await tx.execute(sql`
      select l.party_id, l.counterparty_id as holder_id, l.share_role as role,
             t.agreement_id, (-sum(l.amount))::text as amount
      from journal_lines l
      join journal_transactions t on t.id = l.transaction_id
      where l.party_id = any(${idArray(owed)}) and l.purpose = 'awaiting_collection'
        and l.currency = ${currency}
        ${holdersIn('l.counterparty_id', holderIds)}
      group by l.party_id, l.counterparty_id, l.share_role, t.agreement_id
      having sum(l.amount) < 0
      order by 2, 1, 3, 4`),
  )
  return rows.map((row) => ({
    holderId: row.holder_id,
    partyId: row.party_id,
    role: row.role as ShareRole,
    agreementId: row.agreement_id,
    amount: Number(row.amount),
  }))
}

/** The claims of remittances asked for and not yet confirmed (due, recorded, disputed). */
export async function pendingClaims(
  tx: Executor,
  currency: CurrencyCode,
  holderIds: readonly string[] | null = null,
): Promise<HeldClaim[]> {
  const rows = rowsOf<{ from_party_id: string; claims: RemittanceClaim[] }>(
    await tx.execute(sql`
      select from_party_id, claims from remittances
      where currency = ${currency} and status in ('due', 'recorded', 'disputed')
        ${holdersIn('from_party_id', holderIds)}
      order by id`),
  )
  return rows.flatMap((row) =>
    fromStoredClaims(row.claims).map((claim) => ({ ...claim, holderId: row.from_party_id })),
  )
}

/** Remittance claims as stored, and back. */
export function toStoredClaims(claims: readonly Claim[]): RemittanceClaim[] {
  return claims.map((c) => ({
    party_id: c.partyId,
    role: c.role,
    agreement_id: c.agreementId,
    amount: c.amount,
  }))
}

export function fromStoredClaims(claims: readonly RemittanceClaim[]): Claim[] {
  return claims.map((c) => ({
    partyId: c.party_id,
    role: c.role as ShareRole,
    agreementId: c.agreement_id,
    amount: Number(c.amount),
  }))
}
