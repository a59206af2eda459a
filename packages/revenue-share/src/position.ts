import { type CurrencyCode, currency as checkCurrency, type Money, money } from '@mitra/core'
import type { Executor } from '@mitra/db'
import { sql } from 'drizzle-orm'
import { heldClaims, pendingClaims } from './claims.js'
import { amountOfClaim, type Claim, claimsTotal, holdingPurposes } from './collection.js'
import { payablePurposes } from './entries.js'
import { availableFunds, platformIds } from './funds.js'
import { rowsOf } from './payout-coverage.js'
import type { ShareRole } from './policy.js'

/*
 * Where a party's money is, read from journal lines only: what it is owed and where that
 * money is now (collected and waiting for a payout, on its way, in a venue's till), what it
 * holds for others and to whom it owes it, and for the platform, its funds. Every figure is
 * a sum of ledger lines, so it agrees with the statements to the rupiah.
 */

export interface HeldMoney {
  /** Who holds it (for `awaiting`) or whom it is owed to (for `owes`). */
  partyId: string
  role: ShareRole
  agreementId: string | null
  amount: Money
  /** Of it, what a remittance already asks for and is not confirmed yet. */
  requested: Money
}

export interface MoneyPosition {
  partyId: string
  currency: CurrencyCode
  /** All it is owed: `payable` plus everything in `awaiting`. */
  owed: Money
  /** Collected for it and not yet paid out: the next payout pays it. */
  payable: Money
  /** Owed to it from money others hold (a venue's till), awaiting collection. */
  awaiting: HeldMoney[]
  /** Payouts sent to it that have not arrived yet. */
  inTransit: Money
  /** What it holds for others (its till, damage it is liable for). */
  holds: Money
  /** To whom it owes what it holds. */
  owes: HeldMoney[]
  /** For the platform: its funds not yet paid out (else null). */
  funds: Money | null
}

function held(
  claims: readonly (Claim & { holderId: string })[],
  pending: readonly (Claim & { holderId: string })[],
  by: 'holderId' | 'partyId',
  currency: CurrencyCode,
): HeldMoney[] {
  return claims.map((claim) => {
    const mine = pending.filter((p) => p.holderId === claim.holderId)
    const requested = Math.min(claim.amount, amountOfClaim(mine, claim))
    return {
      partyId: claim[by],
      role: claim.role,
      agreementId: claim.agreementId,
      amount: money(claim.amount, currency),
      requested: money(requested, currency),
    }
  })
}

/** Where the party's money is now, in the currency (see above). */
export async function moneyPosition(
  db: Executor,
  partyId: string,
  currencyCode: CurrencyCode | string,
): Promise<MoneyPosition> {
  const currency = checkCurrency(currencyCode)
  const [sums, allClaims, allPending, platforms] = await Promise.all([
    db.execute(sql`
      select purpose::text as purpose, sum(amount)::text as amount
      from journal_lines
      where party_id = ${partyId} and currency = ${currency}
      group by purpose`),
    heldClaims(db, currency),
    pendingClaims(db, currency),
    platformIds(db),
  ])
  const balance = new Map(
    rowsOf<{ purpose: string; amount: string }>(sums).map((r) => [r.purpose, Number(r.amount)]),
  )
  const sum = (purposes: readonly string[]) =>
    purposes.reduce((total, p) => total + (balance.get(p) ?? 0), 0)
  const isPlatform = platforms.includes(partyId)
  const payable = -sum(payablePurposes)
  const mine = allClaims.filter((c) => c.partyId === partyId)
  const awaiting = held(mine, allPending, 'holderId', currency)
  const theirs = allClaims.filter((c) => c.holderId === partyId)
  const owes = held(theirs, allPending, 'partyId', currency)
  const holds = isPlatform ? 0 : sum(holdingPurposes)
  return {
    partyId,
    currency,
    owed: money(payable + claimsTotal(mine), currency),
    payable: money(payable, currency),
    awaiting,
    inTransit: money(-sum(['payouts_in_transit']), currency),
    holds: money(holds, currency),
    owes,
    funds: isPlatform ? money(await availableFunds(db, currency), currency) : null,
  }
}

/**
 * What a holder (a venue) owes each party, in every currency it holds money in: Σ of the
 * claims it holds for the party (its shares, PPN included), and of that what remittances
 * already ask for. Read from the ledger, as `moneyPosition` reads it.
 */
export async function owedByHolder(
  db: Executor,
  holderId: string,
): Promise<Map<string, { currency: CurrencyCode; amount: Money; requested: Money }[]>> {
  const currencies = rowsOf<{ currency: string }>(
    await db.execute(sql`
      select distinct currency from ledger_accounts
      where party_id = ${holderId}
        and purpose in ('cash_at_venue', 'provider_clearing', 'damages_receivable',
                        'purchases_receivable')
      order by currency`),
  ).map((row) => checkCurrency(row.currency))
  const out = new Map<string, { currency: CurrencyCode; amount: Money; requested: Money }[]>()
  for (const currency of currencies) {
    const [claims, pending] = await Promise.all([
      heldClaims(db, currency, [holderId]),
      pendingClaims(db, currency, [holderId]),
    ])
    const totals = new Map<string, { amount: number; requested: number }>()
    for (const owed of held(claims, pending, 'partyId', currency)) {
      const sum = totals.get(owed.partyId) ?? { amount: 0, requested: 0 }
      sum.amount += owed.amount.amount
      sum.requested += owed.requested.amount
      totals.set(owed.partyId, sum)
    }
    for (const [partyId, sum] of totals) {
      out.set(partyId, [
        ...(out.get(partyId) ?? []),
        {
          currency,
          amount: money(sum.amount, currency),
          requested: money(sum.requested, currency),
        },
      ])
    }
  }
  return out
}
