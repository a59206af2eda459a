import { z } from 'zod'
import { currencyCodes } from './currency.js'
import { type Id, type IdPrefix, isId } from './ids.js'
import { money } from './money.js'

/** ISO 4217 code of a supported currency. */
export const currencyCodeSchema = z.enum(currencyCodes as [string, ...string[]])

/** `{ amount, currency }` as the API carries it: whole minor units, never a float. */
export const moneySchema = z
  .object({
    amount: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
    currency: currencyCodeSchema,
  })
  .strict()
  .transform((value) => money(value.amount, value.currency))

/** A non-negative amount, e.g. a price. */
export const priceSchema = moneySchema.refine((m) => m.amount >= 0, {
  message: 'must not be negative',
  path: ['amount'],
})

/** An id of one kind (`idSchema('prod')` accepts `prod_01j…` only). */
export function idSchema<P extends IdPrefix>(prefix: P) {
  return z.custom<Id<P>>((value) => isId(value, prefix), {
    message: `expected an id starting with '${prefix}_'`,
  })
}

/** Basis points: 0 to 10000 (100 %). */
export const basisPointsSchema = z.number().int().min(0).max(10_000)
