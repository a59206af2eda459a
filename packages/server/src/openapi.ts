import { z } from '@hono/zod-openapi'
import { currencyCodeSchema, type ErrorCode, errorCatalog } from '@mitra/core'

/** Every `code` a problem can carry: the keys of the one error catalog (see /docs/errors). */
export const errorCodeSchema = z
  .enum(Object.keys(errorCatalog) as [ErrorCode, ...ErrorCode[]])
  .openapi('ErrorCode', {
    description: 'A stable error code; /docs/errors lists each with its status and meaning',
  })

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: errorCodeSchema,
    errors: z
      .array(z.object({ path: z.string(), code: z.string(), message: z.string() }))
      .optional(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
  })
  .openapi('Problem')

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
})

/** The error answers every authenticated route can give, for the OpenAPI document. */
export const problemResponses = {
  400: problem('Malformed request'),
  401: problem('Missing, invalid or revoked API key'),
  403: problem('The key’s role or origin may not do this'),
  404: problem('No such resource for this party'),
  409: problem('Conflicts with the current state, or an Idempotency-Key reuse'),
  422: problem('Invalid fields, each named in `errors`'),
} as const

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
})

/** Header parameters documented on POST routes. */
export const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({ description: 'Replays the stored response when the same request is sent again' }),
})

/**
 * An amount in whole minor units of its currency, as every answer carries money. Named with
 * `.meta` so that a described copy (`moneyView.describe(…)`) is not mistaken for the component.
 */
export const moneyView = z
  .object({ amount: z.number().int(), currency: currencyCodeSchema })
  .meta({ id: 'Money' })

/**
 * A named schema or null, documented as `anyOf: [$ref, null]`. (`.nullable()` on a named
 * schema is documented as `allOf: [$ref, {type: [object, null]}]`, which null never matches.)
 */
export function orNull<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.null()])
}

export const secretKeySecurity = [{ secretKey: [] }]
export const publishableKeySecurity = [{ publishableKey: [] }]

/** Cursor pagination query: `limit` 1–100 (20), `starting_after` an id from the last page. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().optional(),
})

export function listOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({ object: z.literal('list'), data: z.array(item), next_cursor: z.string().nullable() })
    .openapi(name)
}
