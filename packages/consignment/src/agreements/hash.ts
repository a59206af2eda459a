import { createHash } from 'node:crypto'
import { fromZodError } from '@mitra/core'
import {
  type ConsignmentTerms,
  type ConsignmentTermsInput,
  consignmentTermsSchema,
} from '../terms.js'

/**
 * JSON with the keys of every object sorted and no insignificant whitespace, so the same
 * terms always give the same text whatever order their keys were written (or stored) in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value)
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity')
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`)
}

/** Parses terms (filling defaults); invalid terms are a 422 naming each field under `terms`. */
export function parseTerms(terms: ConsignmentTermsInput | ConsignmentTerms): ConsignmentTerms {
  const result = consignmentTermsSchema.safeParse(terms)
  if (!result.success) throw fromZodError(result.error, 'terms')
  return result.data
}

/**
 * The SHA-256 (lower-case hex) of the canonical JSON of the parsed terms: what an acceptance
 * signs. Defaults are filled first, so terms written with or without them hash the same.
 *
 * @example
 * termsHash(sampleTerms) // '3f0c…' (64 hex digits)
 */
export function termsHash(terms: ConsignmentTermsInput | ConsignmentTerms): string {
  return createHash('sha256')
    .update(canonicalJson(parseTerms(terms)), 'utf8')
    .digest('hex')
}
