import { randomFillSync } from 'node:crypto'
import { decodeTime, monotonicFactory, ulid } from 'ulid'
import { MitraError } from './errors.js'

/**
 * Id prefixes by kind. An id reads as what it is (`prod_01j…`), sorts by creation time, and
 * is URL-safe: a prefix, `_`, and a lower-case ULID (26 Crockford base-32 characters).
 */
export const idPrefixes = {
  party: 'pty',
  user: 'usr',
  membership: 'mem',
  session: 'ses',
  invitation: 'inv',
  signInFailure: 'sif',
  apiKey: 'key',
  product: 'prod',
  variant: 'var',
  media: 'med',
  brandKit: 'brand',
  agreement: 'agr',
  stockMovement: 'mov',
  lot: 'lot',
  delivery: 'dlv',
  venueSale: 'sale',
  reservation: 'rsv',
  stockReturn: 'ret',
  stockCount: 'cnt',
  transfer: 'trf',
  obligation: 'obl',
  cart: 'cart',
  order: 'ord',
  payment: 'pay',
  refund: 're',
  webhookEvent: 'evt',
  journalTransaction: 'txn',
  splitPolicy: 'pol',
  advance: 'adv',
  contract: 'ctr',
  penalty: 'pen',
  statement: 'stmt',
  payout: 'po',
  settlement: 'stl',
  remittance: 'rem',
  request: 'req',
  auditEvent: 'aud',
} as const

export type IdKind = keyof typeof idPrefixes
export type IdPrefix = (typeof idPrefixes)[IdKind]
/** An id of one kind, e.g. `Id<'prod'>`. */
export type Id<P extends IdPrefix = IdPrefix> = `${P}_${string}`

const knownPrefixes = new Set<string>(Object.values(idPrefixes))
const ulidBody = /^[0-9abcdefghjkmnpqrstvwxyz]{26}$/
// ulid's own generator asks the system for one random byte per character; take them from
// a pool filled in bulk instead. `& 31` keeps each character uniform over the 32 symbols.
const entropy = new Uint8Array(4096)
let drawn = entropy.length
function randomFraction(): number {
  if (drawn === entropy.length) {
    randomFillSync(entropy)
    drawn = 0
  }
  return ((entropy[drawn++] as number) & 31) / 32
}
// Monotonic: ids minted in the same millisecond still sort in the order they were made.
const nextUlid = monotonicFactory(randomFraction)

/** Mints a new id of the given prefix (at `at`, a millisecond time, when backfilling). */
export function newId<P extends IdPrefix>(prefix: P, at?: number): Id<P> {
  return `${prefix}_${(at === undefined ? nextUlid() : ulid(at, randomFraction)).toLowerCase()}`
}

/** True when `value` is a well-formed id (of `prefix`, when given). */
export function isId<P extends IdPrefix>(value: unknown, prefix?: P): value is Id<P> {
  if (typeof value !== 'string') return false
  const cut = value.lastIndexOf('_')
  if (cut <= 0) return false
  const head = value.slice(0, cut)
  if (prefix === undefined ? !knownPrefixes.has(head) : head !== prefix) return false
  return ulidBody.test(value.slice(cut + 1))
}

/** Validates an id from outside, naming the field when it is not of the expected kind. */
export function parseId<P extends IdPrefix>(value: unknown, prefix: P, field = 'id'): Id<P> {
  if (isId(value, prefix)) return value
  const message = `expected an id starting with '${prefix}_'`
  throw new MitraError('invalid_id', `'${field}' is not a valid id: ${message}`, {
    errors: [{ path: field, code: 'invalid_id', message }],
  })
}

/** When an id was minted (millisecond precision). */
export function idTimestamp(id: Id): Date {
  return new Date(decodeTime(id.slice(id.lastIndexOf('_') + 1).toUpperCase()))
}
