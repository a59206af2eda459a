import { type CurrencyCode, currency as checkCurrency, type Money, money, newId } from '@mitra/core'
import { atomically, type Executor, payouts } from '@mitra/db'
import { sql } from 'drizzle-orm'
import { payablePurposes, payoutEntry } from './entries.js'
import { postEntry } from './ledger.js'

export interface SettleInput {
  currency: CurrencyCode | string
  /** Parties owed less than this are carried to the next settlement. */
  minimum: Money
  /** Only these parties (default: everyone owed something). */
  partyIds?: string[]
  occurredAt?: Date
}

export interface Settlement {
  payouts: { payoutId: string; partyId: string; amount: Money; items: number }[]
  /** Payable journal lines paid by this settlement. */
  items: number
}

/**
 * Settles a period for many parties at once: every party owed at least `minimum` gets one
 * payout of all its unpaid payable lines ("on items", like `postPayout`), with the items
 * chosen, summed and recorded in set-based SQL so a million sale lines settle in one pass.
 * The partial unique index on `payout_items` still guarantees no line is paid twice, even
 * against a `postPayout` running at the same time (the loser rolls back).
 */
export function settle(db: Executor, input: SettleInput): Promise<Settlement> {
  const currency = checkCurrency(input.currency)
  const minimum = input.minimum.amount
  const purposes = sql.join(
    payablePurposes.map((p) => sql`${p}`),
    sql`, `,
  )
  const partyFilter =
    input.partyIds === undefined
      ? sql``
      : sql`and l.party_id in (${sql.join(
          input.partyIds.map((id) => sql`${id}`),
          sql`, `,
        )})`
  return atomically(db, async (tx) => {
    await tx.execute(sql`
      create temporary table settle_items on commit drop as
      select l.party_id, l.purpose::text as purpose, l.transaction_id, l.position, l.amount
      from journal_lines l
      join journal_transactions t on t.id = l.transaction_id
      where l.currency = ${currency}
        and l.purpose::text in (${purposes})
        and t.kind not in ('payout', 'payout_reversal')
        ${partyFilter}
        and not exists (
          select 1 from payout_items pi
          where pi.transaction_id = l.transaction_id and pi.position = l.position and not pi.released
        )`)
    const owed = (await tx.execute(sql`
      select party_id, purpose, sum(amount)::bigint as amount, count(*)::int as items
      from settle_items group by party_id, purpose order by party_id, purpose`)) as unknown as
      | { rows: OwedRow[] }
      | OwedRow[]
    const rows = Array.isArray(owed) ? owed : owed.rows
    const byParty = new Map<string, OwedRow[]>()
    for (const row of rows) byParty.set(row.party_id, [...(byParty.get(row.party_id) ?? []), row])

    const settled: Settlement['payouts'] = []
    for (const [partyId, purposesOwed] of byParty) {
      const due = -purposesOwed.reduce((sum, row) => sum + Number(row.amount), 0)
      if (due <= 0 || due < minimum) continue
      const payoutId = newId('po')
      // The payout entry needs only each purpose's total: one synthetic item per purpose.
      const entry = payoutEntry({
        payoutId,
        partyId,
        currency,
        items: purposesOwed.map((row, position) => ({
          transactionId: '',
          position,
          purpose: row.purpose as (typeof payablePurposes)[number],
          amount: Number(row.amount),
        })),
      })
      const posted = await postEntry(
        tx,
        entry,
        input.occurredAt === undefined ? {} : { occurredAt: input.occurredAt },
      )
      await tx
        .insert(payouts)
        .values({ id: payoutId, partyId, currency, amount: due, transactionId: posted.id })
      const items = purposesOwed.reduce((sum, row) => sum + Number(row.items), 0)
      settled.push({ payoutId, partyId, amount: money(due, currency), items })
    }
    if (settled.length > 0) {
      await tx.execute(sql`
        insert into payout_items (payout_id, transaction_id, position, amount)
        select p.payout_id, s.transaction_id, s.position, s.amount
        from settle_items s
        join (values ${sql.join(
          settled.map((p) => sql`(${p.payoutId}, ${p.partyId})`),
          sql`, `,
        )}) as p(payout_id, party_id) on p.party_id = s.party_id`)
    }
    return { payouts: settled, items: settled.reduce((sum, p) => sum + p.items, 0) }
  })
}

interface OwedRow {
  party_id: string
  purpose: string
  amount: string | number
  items: number
}
