import { type CurrencyCode, newId } from '@mitra/core'
import { type AccountPurpose, type Executor, type RemittanceRoute, remittances } from '@mitra/db'
import { sql } from 'drizzle-orm'
import { heldClaims, idArray, pendingClaims, toStoredClaims } from './claims.js'
import {
  type Claim,
  claimsTotal,
  type HolderPosition,
  type Holdings,
  handOverEntries,
  holderCreditEntry,
  holdingPurposes,
  type Route,
  settleHolder,
} from './collection.js'
import { postEntries } from './ledger.js'
import { rowsOf } from './payout-coverage.js'

/*
 * Holders as the ledger has them: who holds money for whom (the claims awaiting collection),
 * what each holder's accounts hold, and the remittances already asked for.
 */

/** A holder's position, read from the ledger and the remittances not yet confirmed. */
export interface HolderState extends Omit<HolderPosition, 'owed'> {
  /** What it holds per holding account. */
  accounts: Holdings
  /** Days to pay, per agreement of its claims (the agreement's terms). */
  dueDays: ReadonlyMap<string, number>
}

/** How each agreement's counter money is handed over, and by when (its terms). */
async function agreementRemittance(
  tx: Executor,
  agreementIds: readonly string[],
): Promise<Map<string, { route: RemittanceRoute; dueDays: number }>> {
  const out = new Map<string, { route: RemittanceRoute; dueDays: number }>()
  if (agreementIds.length === 0) return out
  const rows = rowsOf<{ id: string; remittance: string | null; due_days: number | null }>(
    await tx.execute(sql`
      select a.id, v.terms->>'remittance' as remittance,
             (v.terms->>'remittance_due_days')::int as due_days
      from agreements a
      join agreement_versions v on v.agreement_id = a.id
        and v.version = coalesce(a.active_version, (
          select max(version) from agreement_versions w
          where w.agreement_id = a.id and w.state in ('accepted', 'superseded')))
      where a.id in (select jsonb_array_elements_text(${JSON.stringify(agreementIds)}::jsonb))`),
  )
  for (const row of rows) {
    out.set(row.id, {
      route: row.remittance === 'direct' ? 'direct' : 'platform',
      dueDays: row.due_days ?? 7,
    })
  }
  return out
}

/**
 * The holders of money in the currency (of `holderIds`, or all) other than the platform:
 * their claims with each one's route, what their accounts hold, and what remittances not yet
 * confirmed already ask for.
 */
export async function holderStates(
  tx: Executor,
  currency: CurrencyCode,
  platformId: string | null,
  holderIds: readonly string[] | null = null,
): Promise<HolderState[]> {
  // The holders are the parties with holding accounts, the platform aside (its collections
  // are its funds): their lines are read by index, never by scanning every line.
  const holders = rowsOf<{ party_id: string }>(
    await tx.execute(sql`
      select distinct a.party_id from ledger_accounts a
      where a.currency = ${currency}
        and a.purpose in (${sql.join(
          holdingPurposes.map((p) => sql`${p}::ledger_account_purpose`),
          sql`, `,
        )})
        and a.party_id not in (select id from parties where kind = 'platform')`),
  )
    .map((row) => row.party_id)
    .filter((id) => holderIds === null || holderIds.includes(id))
  const [claims, accountRows, pending] = await Promise.all([
    heldClaims(tx, currency, holderIds),
    holders.length === 0
      ? []
      : tx.execute(sql`
      select party_id, purpose::text as purpose, coalesce(sum(amount), 0)::text as amount
      from journal_lines
      where party_id = any(${idArray(holders)})
        and purpose in (${sql.join(
          holdingPurposes.map((p) => sql`${p}::ledger_account_purpose`),
          sql`, `,
        )})
        and currency = ${currency}
      group by party_id, purpose`),
    pendingClaims(tx, currency, holderIds),
  ])
  const routes = await agreementRemittance(tx, [
    ...new Set(claims.map((c) => c.agreementId).filter((id): id is string => id !== null)),
  ])
  const states = new Map<string, HolderState & { accounts: Map<AccountPurpose, number> }>()
  const stateOf = (holderId: string) => {
    let state = states.get(holderId)
    if (state === undefined) {
      state = {
        holderId,
        holdings: 0,
        claims: [],
        pending: [],
        accounts: new Map(),
        dueDays: new Map(),
      }
      states.set(holderId, state)
    }
    return state
  }
  for (const { holderId, ...claim } of claims) {
    const state = stateOf(holderId)
    const terms = claim.agreementId === null ? undefined : routes.get(claim.agreementId)
    const route: Route =
      claim.role === 'platform' || claim.partyId === platformId || terms === undefined
        ? 'platform'
        : terms.route
    ;(state.claims as (Claim & { route: Route })[]).push({ ...claim, route })
    if (claim.agreementId !== null && terms !== undefined) {
      ;(state.dueDays as Map<string, number>).set(claim.agreementId, terms.dueDays)
    }
  }
  for (const row of rowsOf<{ party_id: string; purpose: AccountPurpose; amount: string }>(
    accountRows,
  )) {
    const state = stateOf(row.party_id)
    state.accounts.set(row.purpose, Number(row.amount))
    state.holdings += Number(row.amount)
  }
  for (const { holderId, ...claim } of pending) {
    ;(stateOf(holderId).pending as Claim[]).push(claim)
  }
  // A party with holding accounts that holds nothing and is owed nothing has nothing to settle.
  return [...states.values()]
    .filter((s) => s.claims.length > 0 || s.pending.length > 0 || s.holdings !== 0)
    .sort((a, b) => (a.holderId < b.holderId ? -1 : 1))
}

/** What settling one holder did. */
export interface SettledHolder {
  holderId: string
  /** Its credit (it gave back more than it held) turned into what it is owed. */
  credit: number
  /** Money it held that its commission paid for. */
  netted: number
  /** Remittances asked of it. */
  remittanceIds: string[]
}

const payableOfHolder = (kind: string | undefined): AccountPurpose =>
  kind === 'core_partner' ? 'payable_to_core_partner' : 'commission_revenue'

/**
 * Settles holders inside a settlement's transaction, before its payouts are computed: a
 * holder's credit becomes what it is owed, its commission is set against the money it holds
 * for the platform's side, and a remittance is asked for the rest (to each party owed
 * directly, or to the platform), due by the agreement's days after `now`.
 */
export async function settleHolders(
  tx: Executor,
  input: {
    settlementId: string
    currency: CurrencyCode
    platformId: string
    holders: readonly HolderState[]
    /** What the platform owes each holder now, by party. */
    owed: ReadonlyMap<string, number>
    kinds: ReadonlyMap<string, string>
    now: Date
  },
): Promise<SettledHolder[]> {
  const settled: SettledHolder[] = []
  for (const holder of input.holders) {
    const plan = settleHolder({ ...holder, owed: input.owed.get(holder.holderId) ?? 0 })
    const sourceId = `${input.settlementId}:${holder.holderId}`
    const accounts = new Map(holder.accounts)
    const entries = []
    if (plan.credit > 0) {
      entries.push(
        holderCreditEntry({
          sourceId,
          holderId: holder.holderId,
          currency: input.currency,
          amount: plan.credit,
          purpose: payableOfHolder(input.kinds.get(holder.holderId)),
        }),
      )
      accounts.set('cash_at_venue', (accounts.get('cash_at_venue') ?? 0) + plan.credit)
    }
    if (plan.netted.length > 0) {
      entries.push(
        ...handOverEntries({
          kind: 'netting',
          sourceId,
          holderId: holder.holderId,
          currency: input.currency,
          how: { kind: 'netting', purpose: payableOfHolder(input.kinds.get(holder.holderId)) },
          claims: plan.netted,
          holdings: accounts,
          memo: `Commission of ${holder.holderId} set against the money it holds`,
        }),
      )
    }
    if (entries.length > 0)
      await postEntries(
        tx,
        entries.map((entry) => ({ entry })),
      )
    const ids: string[] = []
    for (const due of plan.dues) {
      const days = Math.min(
        ...due.claims.map((c) =>
          c.agreementId === null ? 7 : (holder.dueDays.get(c.agreementId) ?? 7),
        ),
      )
      const id = newId('rem')
      ids.push(id)
      await tx.insert(remittances).values({
        id,
        settlementId: input.settlementId,
        fromPartyId: holder.holderId,
        toPartyId: due.toPartyId ?? input.platformId,
        route: due.route,
        currency: input.currency,
        amount: due.amount,
        claims: toStoredClaims(due.claims),
        dueAt: new Date(input.now.getTime() + days * 86_400_000),
      })
    }
    settled.push({
      holderId: holder.holderId,
      credit: plan.credit,
      netted: claimsTotal(plan.netted),
      remittanceIds: ids,
    })
  }
  return settled
}
