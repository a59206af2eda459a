import { MitraError } from '@mitra/core'
import { isMitraApiError } from '@mitra/sdk'
import type { Strings } from './i18n.js'

/** Field errors by field path (`lines.0.quantity`), each in the person's language. */
export type FieldErrors = Record<string, string>

const words: Record<'id' | 'en', Record<string, string>> = {
  id: {
    too_small: 'terlalu kecil',
    too_big: 'terlalu besar',
    invalid_type: 'isian tidak sah',
    invalid_format: 'format tidak sah',
    invalid_value: 'pilihan tidak sah',
    required: 'wajib diisi',
    insufficient_stock: 'stok tidak cukup',
    invalid: 'tidak sah',
    too_short: 'terlalu pendek',
    too_long: 'terlalu panjang',
    wrong: 'salah',
    conflict: 'sudah dipakai',
  },
  en: {
    too_small: 'too small',
    too_big: 'too large',
    invalid_type: 'not valid',
    invalid_format: 'wrong format',
    invalid_value: 'not a valid choice',
    required: 'required',
    insufficient_stock: 'not enough in stock',
    invalid: 'not valid',
    too_short: 'too short',
    too_long: 'too long',
    wrong: 'wrong',
    conflict: 'already in use',
  },
}

/**
 * The fields an API refusal names, in the person's language (the API's own sentence when no
 * translation is known), or undefined when the refusal names no field (the caller says it as
 * a whole). Anything that is not a refusal is thrown on.
 */
export function fieldErrors(error: unknown, t: Strings): FieldErrors | undefined {
  const known = isMitraApiError(error) || error instanceof MitraError
  if (!known) throw error
  const status = (error as { status: number }).status
  if (status >= 500) throw error
  const errors = (error as { errors: readonly { path: string; code?: string; message: string }[] })
    .errors
  if (errors.length === 0) return undefined
  const locale = t.lang === 'English' ? 'en' : 'id'
  const out: FieldErrors = {}
  for (const e of errors) {
    out[e.path] ??= (e.code !== undefined ? words[locale][e.code] : undefined) ?? e.message
  }
  return out
}

/** What a refusal says as a whole, for the top of the form. */
export function problemText(error: unknown): string {
  if (isMitraApiError(error)) return error.detail
  if (error instanceof MitraError) return error.message
  throw error
}

/** The form field of one variant's quantity (`qty-var_…`): one per line of a lines form. */
export const quantityField = (variantId: string) => `qty-${variantId}`

/** The lines a form asks for: every quantity field filled with something other than 0. */
export function quantitiesIn(form: Record<string, string>) {
  return Object.entries(form)
    .filter(
      ([name, value]) => name.startsWith('qty-') && value.trim() !== '' && value.trim() !== '0',
    )
    .map(([name, value]) => ({ variant_id: name.slice(4), quantity: Number(value) }))
}

/** Which line an API path names (`lines.2.quantity` → 2), if any. */
export const lineIndexOf = (path: string): number | undefined => {
  const index = /^lines\.(\d+)(\.|$)/.exec(path)?.[1]
  return index === undefined ? undefined : Number(index)
}

/**
 * A refusal of a lines form on its fields: the API names `lines.{i}.…`, the form names each
 * line by its variant's quantity field.
 */
export function lineErrors(
  error: unknown,
  t: Strings,
  lines: readonly { variant_id: string }[],
): FieldErrors {
  const errors = fieldErrors(error, t) ?? {}
  for (const [path, message] of Object.entries(errors)) {
    const index = lineIndexOf(path)
    const line = index === undefined ? undefined : lines[index]
    if (line) errors[quantityField(line.variant_id)] = message
  }
  return errors
}
