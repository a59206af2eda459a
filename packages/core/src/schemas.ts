import { z } from 'zod'
import { currencyCodes } from './currency.js'
import type { Id, IdPrefix } from './ids.js'
import { money } from './money.js'

/** ISO 4217 code of a supported currency. */
export const currencyCodeSchema = z.enum(currencyCodes as [string, ...string[]])

/**
 * The largest amount one field of a request may carry, in minor units (10^12: a trillion
 * rupiah, or ten billion dollars in cents). Far above any real price, and low enough that
 * thousands of such amounts still add up exactly as whole numbers (below 2^53).
 */
export const maxAmount = 1_000_000_000_000

/** A non-negative whole amount in minor units, within `maxAmount`. */
export const amountSchema = z.number().int().min(0).max(maxAmount)

/** `{ amount, currency }` as the API carries it: whole minor units, never a float. */
export const moneySchema = z
  .object({
    amount: z.number().int().min(-maxAmount).max(maxAmount),
    currency: currencyCodeSchema,
  })
  .strict()
  .transform((value) => money(value.amount, value.currency))

/** A non-negative amount, e.g. a price. */
export const priceSchema = moneySchema.refine((m) => m.amount >= 0, {
  message: 'must not be negative',
  path: ['amount'],
})

/**
 * An id of one kind (`idSchema('prod')` accepts `prod_01j…` only). A regex string schema, so
 * OpenAPI generators can describe it; typed as the branded id.
 */
export function idSchema<P extends IdPrefix>(prefix: P): z.ZodType<Id<P>, string> {
  return z.string().regex(new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{26}$`), {
    message: `expected an id starting with '${prefix}_'`,
  }) as unknown as z.ZodType<Id<P>, string>
}

/** Basis points: 0 to 10000 (100 %). */
export const basisPointsSchema = z.number().int().min(0).max(10_000)

type AnsweredShape<Shape extends z.ZodRawShape> = {
  [Key in keyof Shape]: Shape[Key] extends z.ZodDefault<infer Inner extends z.core.SomeType>
    ? Inner extends z.ZodType
      ? Inner
      : never
    : Shape[Key]
}

/**
 * The schema of an answer built from an input schema: a field a request may leave out for
 * its default is always present in what is read back, so it is required there.
 */
export function answered<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
): z.ZodObject<AnsweredShape<Shape>> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      field instanceof z.ZodDefault ? field.unwrap() : field,
    ]),
  )
  return z.object(shape) as unknown as z.ZodObject<AnsweredShape<Shape>>
}
