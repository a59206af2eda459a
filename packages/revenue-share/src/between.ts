import { and, eq, or, type SQL } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'

/**
 * Rows of a two-sided contract that concern `me`, on either side, and with `counterparty`
 * when given: what list routes of subcontracts and partnerships filter on.
 */
export function betweenParties(
  me: string,
  [one, other]: [AnyPgColumn, AnyPgColumn],
  counterparty?: string,
): (SQL | undefined)[] {
  const conditions = [or(eq(one, me), eq(other, me))]
  if (counterparty !== undefined) {
    conditions.push(
      or(and(eq(one, me), eq(other, counterparty)), and(eq(other, me), eq(one, counterparty))),
    )
  }
  return conditions
}
