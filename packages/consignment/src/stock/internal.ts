import type { Scope } from '@mitra/catalog'
import { fromZodError, MitraError, type Money, money } from '@mitra/core'
import {
  agreements,
  agreementVersions,
  constraintOf,
  type Database,
  type Executor,
  inTransaction,
  isOneOf,
  productVariants,
  recordset,
  sqlState,
  sqlStateOf,
} from '@mitra/db'
import { and, asc, desc, eq, isNotNull, type SQL, sql } from 'drizzle-orm'
import { PgTransaction } from 'drizzle-orm/pg-core'
import type { z } from 'zod'
import { type ConsignmentTerms, consignmentTermsSchema } from '../terms.js'

/**
 * Who is acting: the party and its role, and optionally the user or API key behind it
 * (recorded on every movement as the actor).
 */
export interface StockScope extends Scope {
  actorId?: string
}

/** When a service runs: tests and backfills pass `now`; otherwise the current time. */
export interface At {
  now?: Date
}

export function nowOf(options: At | undefined): Date {
  return options?.now ?? new Date()
}

/** Validates service input with a zod schema; a failure is a 422 naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input)
  if (!result.success) throw fromZodError(result.error)
  return result.data
}

/** 404 for a missing row or another party's row: the two look the same from outside. */
export function notFound(what: string, id: string, path?: string): MitraError {
  const message = `No ${what} with id '${id}'`
  return new MitraError(
    'not_found',
    message,
    path === undefined ? {} : { errors: [{ path, code: 'not_found', message }] },
  )
}

export function invalid(path: string, code: string, message: string): MitraError {
  return new MitraError('validation_failed', `'${path}': ${message}`, {
    errors: [{ path, code, message }],
  })
}

export function forbidden(message: string): MitraError {
  return new MitraError('forbidden', message)
}

/** 409 when a document is no longer in the state the action needs (e.g. received twice). */
export function wrongStatus(what: string, id: string, status: string, action: string) {
  return new MitraError(
    'illegal_status_transition',
    `The ${what} '${id}' is ${status}; it cannot be ${action}`,
    { extensions: { status } },
  )
}

/**
 * Runs `work` atomically: in a new transaction (retried on serialization failures and
 * deadlocks) when given the database, or inside the caller's transaction when given one.
 */
export function atomically<T>(db: Executor, work: (tx: Executor) => Promise<T>): Promise<T> {
  if (db instanceof PgTransaction) return work(db)
  return inTransaction(db as Database, work)
}

export function iso(date: Date): string {
  return date.toISOString()
}

export function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString()
}

export function moneyOrNull(amount: number | null, currency: string | null): Money | null {
  return amount === null || currency === null ? null : { ...money(amount, currency) }
}

/** The party that acted and the user or key behind it, as movements record them. */
export interface Actor {
  partyId: string | null
  actorId: string | null
}

export function actorOf(scope: StockScope): Actor {
  return { partyId: scope.partyId, actorId: scope.actorId ?? null }
}

export const systemActor: Actor = { partyId: null, actorId: null }

/** Refuses repeated entries of one variant in a list of lines, naming the repeat. */
export function assertDistinctVariants(lines: { variant_id: string }[], path = 'lines'): void {
  const seen = new Map<string, number>()
  lines.forEach((line, index) => {
    const before = seen.get(line.variant_id)
    if (before !== undefined) {
      throw invalid(
        `${path}.${index}.variant_id`,
        'duplicate',
        `variant '${line.variant_id}' is also on line ${before}; put each variant on one line`,
      )
    }
    seen.set(line.variant_id, index)
  })
}

// ---------------------------------------------------------------------------------------
// Agreements (read straight from the tables the agreements service writes)

/** A consignment agreement and the version of its terms that applies. */
export interface AgreementTerms {
  id: string
  version: number
  producerId: string
  venueId: string
  active: boolean
  terms: ConsignmentTerms
}

function parseTerms(agreementId: string, version: number, terms: unknown): ConsignmentTerms {
  const parsed = consignmentTermsSchema.safeParse(terms)
  if (!parsed.success) {
    throw new Error(`Agreement ${agreementId} v${version} has terms that do not parse`)
  }
  return parsed.data
}

/** Joins an agreement's version in force: `agreements` with `agreementVersions`. */
export const activeVersionOfAgreement = and(
  eq(agreementVersions.agreementId, agreements.id),
  eq(agreementVersions.version, agreements.activeVersion),
) as SQL

/** Who an agreement is between, and the request field to blame when none is in force. */
export interface AgreementPair {
  producerId: string
  venueId: string
  path?: string
}

const pairKey = (producerId: string, venueId: string) => `${producerId} ${venueId}`

/**
 * Reads the consignment agreements in force for the (producer, venue) pairs of `pairs` (a
 * relation of `producer_id`, `venue_id`), share-locked for the rest of the transaction so
 * none can be terminated under a movement that relies on it, and remembers them.
 */
async function readAgreements(tx: Executor, pairs: SQL): Promise<AgreementTerms[]> {
  const rows = await tx
    .select({
      id: agreements.id,
      producerId: agreements.producerId,
      venueId: agreements.venueId,
      version: agreements.activeVersion,
      terms: agreementVersions.terms,
    })
    .from(agreements)
    .innerJoin(agreementVersions, activeVersionOfAgreement)
    .where(
      and(
        sql`(${agreements.producerId}, ${agreements.venueId}) in ${pairs}`,
        eq(agreements.model, 'consignment'),
        eq(agreements.status, 'active'),
        isNotNull(agreements.activeVersion),
      ),
    )
    .orderBy(asc(agreements.id))
    .for('share', { of: agreements })
  const out: AgreementTerms[] = []
  for (const row of rows) {
    if (row.version === null) continue
    const found = {
      id: row.id,
      version: row.version,
      producerId: row.producerId,
      venueId: row.venueId,
      active: true,
      terms: parseTerms(row.id, row.version, row.terms),
    }
    rememberAgreement(tx, pairKey(row.producerId, row.venueId), found)
    out.push(found)
  }
  return out
}

/**
 * The agreements in force for the producers of variants at venues, read with the variants
 * by one statement (`readAgreements`), so a caller can send it together with
 * `loadVariants` and check the pairs with `inForce` once both are back.
 */
export function agreementsOfVariants(
  tx: Executor,
  requests: readonly { variantId: string; venueId: string }[],
): Promise<AgreementTerms[]> {
  if (requests.length === 0) return Promise.resolve([])
  return readAgreements(
    tx,
    sql`(select v.party_id, k.venue_id from ${recordset(
      'k',
      { variant_id: 'text', venue_id: 'text' },
      requests.map((r) => ({ variant_id: r.variantId, venue_id: r.venueId })),
    )} join ${productVariants} v on v.id = k.variant_id)`,
  )
}

/**
 * The agreements of `pairs` among `found`, keyed by `agreementKey(producer, venue)`. A pair
 * with none in force → 409 `agreement_not_active` naming its `path` (the first such pair).
 */
export function inForce(
  pairs: readonly AgreementPair[],
  found: Iterable<AgreementTerms>,
): Map<string, AgreementTerms> {
  const out = new Map<string, AgreementTerms>()
  for (const agreement of found)
    out.set(pairKey(agreement.producerId, agreement.venueId), agreement)
  for (const pair of pairs) {
    if (out.has(pairKey(pair.producerId, pair.venueId))) continue
    const message = `No consignment agreement between producer '${pair.producerId}' and venue '${pair.venueId}' is in force`
    const { path } = pair
    throw new MitraError(
      'agreement_not_active',
      message,
      path === undefined ? {} : { errors: [{ path, code: 'agreement_not_active', message }] },
    )
  }
  return out
}

/**
 * The consignment agreements in force between many producers and venues, read by one
 * statement (those this transaction has not read already) and share-locked for the rest
 * of it. Keyed by `agreementKey(producer, venue)`; a pair with none in force → 409
 * `agreement_not_active` naming its `path` (the first such pair).
 */
export async function agreementsInForce(
  tx: Executor,
  pairs: readonly AgreementPair[],
): Promise<Map<string, AgreementTerms>> {
  const found: AgreementTerms[] = []
  const wanted = new Map<string, AgreementPair>()
  for (const pair of pairs) {
    const key = pairKey(pair.producerId, pair.venueId)
    const known = seenAgreement(tx, key)
    if (known !== undefined) found.push(known)
    else if (!wanted.has(key)) wanted.set(key, pair)
  }
  if (wanted.size > 0) {
    const read = await readAgreements(
      tx,
      sql`(select producer_id, venue_id from ${recordset(
        'p',
        { producer_id: 'text', venue_id: 'text' },
        [...wanted.values()].map((p) => ({ producer_id: p.producerId, venue_id: p.venueId })),
      )})`,
    )
    found.push(...read)
  }
  return inForce(pairs, found)
}

/** The key of `agreementsInForce`'s answer for a producer and a venue. */
export const agreementKey = pairKey

/**
 * The consignment agreement in force between a producer and a venue, share-locked for the
 * rest of the transaction (`agreementsInForce` with one pair). None → 409.
 */
export async function agreementInForce(
  tx: Executor,
  producerId: string,
  venueId: string,
  path?: string,
): Promise<AgreementTerms> {
  const pair: AgreementPair =
    path === undefined ? { producerId, venueId } : { producerId, venueId, path }
  const found = await agreementsInForce(tx, [pair])
  return found.get(pairKey(producerId, venueId)) as AgreementTerms
}

/**
 * Agreements found in force, remembered per open transaction until it ends. A checkout
 * prices a cart, holds its stock and checks the price it holds at in one transaction, each
 * step under the same agreement. The first read share-locks the agreement row, so another
 * transaction cannot change it and a second read could only return the same row. A change
 * this process makes to any agreement (`save` in agreements, perhaps in this transaction
 * or a savepoint of it) moves `generation` on, and everything remembered before is stale.
 */
const agreementsSeen = new WeakMap<object, Map<string, AgreementTerms>>()
let generation = 0
const generationOf = new WeakMap<object, number>()

function seenAgreement(tx: Executor, key: string): AgreementTerms | undefined {
  if (!(tx instanceof PgTransaction) || generationOf.get(tx) !== generation) return undefined
  return agreementsSeen.get(tx)?.get(key)
}

function rememberAgreement(tx: Executor, key: string, agreement: AgreementTerms): void {
  if (!(tx instanceof PgTransaction)) return
  if (generationOf.get(tx) !== generation) agreementsSeen.delete(tx)
  generationOf.set(tx, generation)
  agreementsSeen.set(tx, (agreementsSeen.get(tx) ?? new Map()).set(key, agreement))
}

/** An agreement is being changed: whatever any transaction remembered of agreements is stale. */
export function forgetAgreementsSeen(): void {
  generation++
}

/**
 * The agreement that governs stock already at a venue: the one in force, else the most
 * recent one that was ever in force (goods still go back or get counted after it ends).
 */
export async function governingAgreement(
  tx: Executor,
  producerId: string,
  venueId: string,
): Promise<AgreementTerms | undefined> {
  const [row] = await tx
    .select({ id: agreements.id, version: agreements.activeVersion, status: agreements.status })
    .from(agreements)
    .where(
      and(
        eq(agreements.producerId, producerId),
        eq(agreements.venueId, venueId),
        eq(agreements.model, 'consignment'),
        isNotNull(agreements.activeVersion),
      ),
    )
    .orderBy(desc(eq(agreements.status, 'active')), desc(agreements.updatedAt), desc(agreements.id))
    .limit(1)
  if (row === undefined || row.version === null) return undefined
  const terms = await termsOf(tx, row.id, row.version)
  return {
    id: row.id,
    version: row.version,
    producerId,
    venueId,
    active: row.status === 'active',
    terms,
  }
}

export async function termsOf(
  tx: Executor,
  agreementId: string,
  version: number,
): Promise<ConsignmentTerms> {
  const [row] = await tx
    .select({ terms: agreementVersions.terms })
    .from(agreementVersions)
    .where(
      and(eq(agreementVersions.agreementId, agreementId), eq(agreementVersions.version, version)),
    )
  if (row === undefined) throw new Error(`Agreement ${agreementId} has no version ${version}`)
  return parseTerms(agreementId, version, row.terms)
}

// ---------------------------------------------------------------------------------------
// Variants

export interface VariantFacts {
  id: string
  producerId: string
  productId: string
  sku: string
  price: Money | null
}

/**
 * The variants named by `lines`; an unknown id is a 404 naming its line. With `producerId`,
 * a variant of another producer is a 404 too (it is not theirs to move).
 */
export async function loadVariants(
  tx: Executor,
  lines: { variant_id: string }[],
  options: { producerId?: string; path?: string } = {},
): Promise<Map<string, VariantFacts>> {
  const ids = [...new Set(lines.map((line) => line.variant_id))]
  const found = new Map<string, VariantFacts>()
  if (ids.length > 0) {
    const rows = await tx
      .select({
        id: productVariants.id,
        producerId: productVariants.partyId,
        productId: productVariants.productId,
        sku: productVariants.sku,
        priceAmount: productVariants.priceAmount,
        priceCurrency: productVariants.priceCurrency,
      })
      .from(productVariants)
      .where(isOneOf(productVariants.id, ids))
    for (const row of rows) {
      found.set(row.id, {
        id: row.id,
        producerId: row.producerId,
        productId: row.productId,
        sku: row.sku,
        price: moneyOrNull(row.priceAmount, row.priceCurrency),
      })
    }
  }
  const path = options.path ?? 'lines'
  lines.forEach((line, index) => {
    const variant = found.get(line.variant_id)
    if (
      variant === undefined ||
      (options.producerId !== undefined && variant.producerId !== options.producerId)
    ) {
      throw notFound('variant', line.variant_id, `${path}.${index}.variant_id`)
    }
  })
  return found
}

/** The facts of a variant that `loadVariants` has checked exists. */
export function variantOf(variants: Map<string, VariantFacts>, id: string): VariantFacts {
  const variant = variants.get(id)
  if (variant === undefined) throw new Error(`variant ${id} was not loaded`)
  return variant
}

/**
 * Rethrows a unique violation of one of `constraints` as a 409 `conflict` naming its field;
 * any other error unchanged.
 */
export function mapUniqueViolation(
  error: unknown,
  constraints: Record<string, { path: string; message: string }>,
): never {
  if (sqlStateOf(error) === sqlState.uniqueViolation) {
    const name = constraintOf(error)
    const known = name === undefined ? undefined : constraints[name]
    if (known !== undefined) {
      throw new MitraError('conflict', known.message, {
        errors: [{ path: known.path, code: 'already_exists', message: known.message }],
        cause: error,
      })
    }
  }
  throw error
}

// ---------------------------------------------------------------------------------------
// Pages (newest first, by id: ids are time-ordered)

export { cursorId, pageOf } from '@mitra/catalog'

/**
 * Child rows of many parents (lines of deliveries, returns, …) loaded in one query and
 * grouped by parent id; every id is present, with [] when it has none.
 */
export async function childrenOf<T>(
  ids: readonly string[],
  load: () => Promise<T[]>,
  parentOf: (row: T) => string,
): Promise<Map<string, T[]>> {
  const out = new Map<string, T[]>(ids.map((id) => [id, []]))
  if (ids.length === 0) return out
  for (const row of await load()) out.get(parentOf(row))?.push(row)
  return out
}
