import { assertRole, decodeCursor, encodeCursor, type Page, type Scope } from '@mitra/catalog'
import { MitraError, newId } from '@mitra/core'
import {
  type AgreementModel,
  agreements,
  agreementVersions,
  clusterMembers,
  constraintOf,
  type Executor,
  isOneOf,
  parties,
  sqlState,
  sqlStateOf,
} from '@mitra/db'
import { and, asc, eq, gt, ne, or, type SQL } from 'drizzle-orm'
import { forgetAgreementsSeen } from '../stock/internal.js'
import type { ConsignmentTerms, ConsignmentTermsInput } from '../terms.js'
import { parseTerms, termsHash } from './hash.js'
import { atomically, iso, isoOrNull, notFound, parseInput } from './internal.js'
import {
  type AgreementAction,
  type AgreementSide,
  type AgreementSnapshot,
  applyAgreementAction,
  draftAgreement,
  type VersionSnapshot,
} from './lifecycle.js'
import {
  type AcceptAgreementInput,
  type Agreement,
  type AgreementVersion,
  type AgreementWithVersions,
  acceptAgreementSchema,
  amendmentNoteSchema,
  type ListAgreementsQuery,
  listAgreementsQuerySchema,
  type ProposeAgreementInput,
  proposeAgreementSchema,
  type RejectProposalInput,
  rejectProposalSchema,
  type TerminateAgreementInput,
  terminateAgreementSchema,
} from './schemas.js'

type AgreementRow = typeof agreements.$inferSelect
type VersionRow = typeof agreementVersions.$inferSelect

// ---------------------------------------------------------------------------------------
// Mapping

function toAgreement(row: AgreementRow): Agreement {
  return {
    id: row.id,
    model: row.model,
    producer_id: row.producerId,
    venue_id: row.venueId,
    initiator_id: row.initiatorId,
    status: row.status,
    active_version: row.activeVersion,
    latest_version: row.latestVersion,
    terminated_at: isoOrNull(row.terminatedAt),
    termination_reason: row.terminationReason,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  }
}

function toVersion(row: VersionRow): AgreementVersion {
  return {
    agreement_id: row.agreementId,
    version: row.version,
    state: row.state,
    terms: parseTerms(row.terms as ConsignmentTerms),
    terms_hash: row.termsHash,
    author_id: row.authorId,
    proposed_at: isoOrNull(row.proposedAt),
    producer_accepted_at: isoOrNull(row.producerAcceptedAt),
    producer_accepted_by: row.producerAcceptedBy,
    venue_accepted_at: isoOrNull(row.venueAcceptedAt),
    venue_accepted_by: row.venueAcceptedBy,
    effective_at: isoOrNull(row.effectiveAt),
    note: row.note,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  }
}

function sideOf(row: AgreementRow, partyId: string): AgreementSide | undefined {
  if (row.producerId === partyId) return 'producer'
  if (row.venueId === partyId) return 'venue'
  return undefined
}

function toSnapshot(row: AgreementRow, versions: VersionRow[]): AgreementSnapshot {
  return {
    status: row.status,
    activeVersion: row.activeVersion,
    latestVersion: row.latestVersion,
    terminatedAt: row.terminatedAt,
    terminationReason: row.terminationReason,
    versions: versions.map(
      (v): VersionSnapshot => ({
        version: v.version,
        state: v.state,
        terms: v.terms,
        termsHash: v.termsHash,
        authorSide: v.authorId === row.producerId ? 'producer' : 'venue',
        proposedAt: v.proposedAt,
        producerAcceptedAt: v.producerAcceptedAt,
        producerAcceptedBy: v.producerAcceptedBy,
        venueAcceptedAt: v.venueAcceptedAt,
        venueAcceptedBy: v.venueAcceptedBy,
        effectiveAt: v.effectiveAt,
        note: v.note,
      }),
    ),
  }
}

function versionValues(v: VersionSnapshot) {
  return {
    state: v.state,
    terms: v.terms as Record<string, unknown>,
    termsHash: v.termsHash,
    proposedAt: v.proposedAt,
    producerAcceptedAt: v.producerAcceptedAt,
    producerAcceptedBy: v.producerAcceptedBy,
    venueAcceptedAt: v.venueAcceptedAt,
    venueAcceptedBy: v.venueAcceptedBy,
    effectiveAt: v.effectiveAt,
    note: v.note,
  }
}

// ---------------------------------------------------------------------------------------
// Loading and saving

function visibleTo(partyId: string): SQL {
  return or(eq(agreements.producerId, partyId), eq(agreements.venueId, partyId)) as SQL
}

async function loadVersions(db: Executor, agreementId: string): Promise<VersionRow[]> {
  return db
    .select()
    .from(agreementVersions)
    .where(eq(agreementVersions.agreementId, agreementId))
    .orderBy(asc(agreementVersions.version))
}

async function withVersions(db: Executor, row: AgreementRow): Promise<AgreementWithVersions> {
  const versions = await loadVersions(db, row.id)
  return { ...toAgreement(row), versions: versions.map(toVersion) }
}

/** The scope's agreement, locked until the transaction ends; 404 when not one of its two parties. */
async function lockAgreement(tx: Executor, scope: Scope, agreementId: string) {
  const [row] = await tx
    .select()
    .from(agreements)
    .where(and(eq(agreements.id, agreementId), visibleTo(scope.partyId)))
    .for('update')
  const side = row === undefined ? undefined : sideOf(row, scope.partyId)
  if (row === undefined || side === undefined) throw notFound('agreement', agreementId)
  return { row, side }
}

function agreementExists(otherId: string, cause?: unknown): MitraError {
  return new MitraError(
    'agreement_exists',
    `Agreement '${otherId}' between these parties is already in force; amend or terminate it instead`,
    { extensions: { agreement_id: otherId }, cause },
  )
}

/** The other agreement of the same model in force between the same producer and venue. */
async function otherActive(
  db: Executor,
  producerId: string,
  venueId: string,
  model: AgreementModel,
  exceptId?: string,
): Promise<string | undefined> {
  const conditions: SQL[] = [
    eq(agreements.producerId, producerId),
    eq(agreements.venueId, venueId),
    eq(agreements.model, model),
    eq(agreements.status, 'active'),
  ]
  if (exceptId !== undefined) conditions.push(ne(agreements.id, exceptId))
  const [row] = await db
    .select({ id: agreements.id })
    .from(agreements)
    .where(and(...conditions))
  return row?.id
}

/** Writes what `applyAgreementAction` changed: new versions, changed versions, the agreement. */
async function save(
  tx: Executor,
  row: AgreementRow,
  before: AgreementSnapshot,
  after: AgreementSnapshot,
  now: Date,
): Promise<void> {
  forgetAgreementsSeen()
  for (const version of after.versions) {
    const previous = before.versions.find((v) => v.version === version.version)
    if (previous === version) continue
    if (previous === undefined) {
      await tx.insert(agreementVersions).values({
        agreementId: row.id,
        version: version.version,
        authorId: version.authorSide === 'producer' ? row.producerId : row.venueId,
        ...versionValues(version),
        createdAt: now,
        updatedAt: now,
      })
    } else {
      await tx
        .update(agreementVersions)
        .set({ ...versionValues(version), updatedAt: now })
        .where(
          and(
            eq(agreementVersions.agreementId, row.id),
            eq(agreementVersions.version, version.version),
          ),
        )
    }
  }
  await tx
    .update(agreements)
    .set({
      status: after.status,
      activeVersion: after.activeVersion,
      latestVersion: after.latestVersion,
      terminatedAt: after.terminatedAt,
      terminationReason: after.terminationReason,
      updatedAt: now,
    })
    .where(eq(agreements.id, row.id))
}

/**
 * The cooperative named in the terms must be a cluster the producer belongs to: it is the
 * producer's cooperative that takes a fee from the producer's sales.
 */
async function checkCooperative(
  db: Executor,
  terms: ConsignmentTerms,
  producerId: string,
): Promise<void> {
  const cooperativeId = terms.cooperative_id
  if (cooperativeId === null) return
  const path = 'terms.cooperative_id'
  const [cooperative] = await db.select().from(parties).where(eq(parties.id, cooperativeId))
  if (cooperative === undefined) throw notFound('party', cooperativeId, path)
  if (cooperative.kind !== 'cluster') {
    const message = `Party '${cooperativeId}' is a ${cooperative.kind}, not a cluster or cooperative`
    throw new MitraError('wrong_party_kind', message, {
      errors: [{ path, code: 'wrong_party_kind', message }],
    })
  }
  const [member] = await db
    .select({ producerId: clusterMembers.producerId })
    .from(clusterMembers)
    .where(
      and(eq(clusterMembers.clusterId, cooperativeId), eq(clusterMembers.producerId, producerId)),
    )
  if (member === undefined) {
    const message = `The producer is not a member of '${cooperative.name}'`
    throw new MitraError('validation_failed', message, {
      errors: [{ path, code: 'not_a_member', message }],
    })
  }
}

/** Maps the one-active-agreement unique index to 409 `agreement_exists`. */
function mapActiveViolation(error: unknown): never {
  if (
    sqlStateOf(error) === sqlState.uniqueViolation &&
    constraintOf(error) === 'agreements_one_active'
  ) {
    throw new MitraError(
      'agreement_exists',
      'These parties already have an agreement of this model in force; amend or terminate it instead',
      { cause: error },
    )
  }
  throw error
}

interface ActContext {
  tx: Executor
  row: AgreementRow
  side: AgreementSide
}

/**
 * One lifecycle step in one transaction: lock the agreement (404 unless the scope is one of
 * its parties), require an owner, apply the pure transition, write what changed.
 */
async function act(
  db: Executor,
  scope: Scope,
  agreementId: string,
  makeAction: (context: ActContext) => AgreementAction | Promise<AgreementAction>,
): Promise<AgreementWithVersions> {
  try {
    return await atomically(db, async (tx) => {
      const { row, side } = await lockAgreement(tx, scope, agreementId)
      assertRole(scope, 'owner')
      const before = toSnapshot(row, await loadVersions(tx, row.id))
      const action = await makeAction({ tx, row, side })
      const now = new Date()
      const after = applyAgreementAction(before, action, now)
      if (after === before) return withVersions(tx, row)
      if (after.status === 'active' && before.status !== 'active') {
        const other = await otherActive(tx, row.producerId, row.venueId, row.model, row.id)
        if (other !== undefined) throw agreementExists(other)
      }
      await save(tx, row, before, after, now)
      const [saved] = await tx.select().from(agreements).where(eq(agreements.id, row.id))
      if (saved === undefined) throw notFound('agreement', row.id)
      return withVersions(tx, saved)
    })
  } catch (error) {
    mapActiveViolation(error)
  }
}

// ---------------------------------------------------------------------------------------
// The lifecycle

/**
 * Starts an agreement: the scope (a producer group or a venue; owners only) drafts version 1
 * of the terms for a counterparty of the other kind. Both parties see the draft, but nothing
 * is proposed until `sendProposal`.
 *
 * A counterparty of the wrong kind is a 422 naming `counterparty_id`; when the two already
 * have an agreement in force it is a 409 `agreement_exists` (amend that one).
 *
 * @example
 * const draft = await proposeAgreement(db, producerScope, {
 *   counterparty_id: venue.id,
 *   terms: { commission: { kind: 'percent', bps: 2000 }, … },
 *   note: 'Batik tulis untuk Kafe Banaran 9',
 * })
 */
export async function proposeAgreement(
  db: Executor,
  scope: Scope,
  input: ProposeAgreementInput,
): Promise<AgreementWithVersions> {
  assertRole(scope, 'owner')
  const data = parseInput(proposeAgreementSchema, input)
  return atomically(db, async (tx) => {
    const [me] = await tx.select().from(parties).where(eq(parties.id, scope.partyId))
    if (me === undefined) throw notFound('party', scope.partyId)
    if (me.kind !== 'producer' && me.kind !== 'venue') {
      throw new MitraError(
        'forbidden',
        `Consignment agreements are between a producer group and a venue, not a ${me.kind}`,
      )
    }
    const wanted = me.kind === 'producer' ? 'venue' : 'producer'
    const [counterparty] = await tx
      .select()
      .from(parties)
      .where(eq(parties.id, data.counterparty_id))
    if (counterparty === undefined) {
      throw notFound('party', data.counterparty_id, 'counterparty_id')
    }
    if (counterparty.kind !== wanted) {
      const message = `A ${me.kind} makes a consignment agreement with a ${wanted}; '${counterparty.name}' is a ${counterparty.kind}`
      throw new MitraError('wrong_party_kind', message, {
        errors: [{ path: 'counterparty_id', code: 'wrong_party_kind', message }],
      })
    }
    const producerId = me.kind === 'producer' ? me.id : counterparty.id
    const venueId = me.kind === 'venue' ? me.id : counterparty.id
    await checkCooperative(tx, data.terms, producerId)
    const existing = await otherActive(tx, producerId, venueId, 'consignment')
    if (existing !== undefined) throw agreementExists(existing)

    const snapshot = draftAgreement({
      side: me.kind,
      terms: data.terms,
      termsHash: termsHash(data.terms),
      note: data.note === undefined || data.note === '' ? null : data.note,
    })
    const now = new Date()
    const [row] = await tx
      .insert(agreements)
      .values({
        id: newId('agr'),
        model: 'consignment',
        producerId,
        venueId,
        initiatorId: me.id,
        status: snapshot.status,
        activeVersion: snapshot.activeVersion,
        latestVersion: snapshot.latestVersion,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
    if (row === undefined) throw new Error('insert returned no row')
    const empty: AgreementSnapshot = { ...snapshot, versions: [] }
    await save(tx, row, empty, snapshot, now)
    return withVersions(tx, row)
  })
}

/**
 * Replaces the terms of the open draft (the first version, or an amendment not yet sent).
 * Only its author may. A proposed version is frozen (409 `agreement_not_draft`: withdraw and
 * redraft); a version in force is never edited (409 `agreement_in_force`: amend).
 */
export async function updateDraft(
  db: Executor,
  scope: Scope,
  agreementId: string,
  terms: ConsignmentTermsInput,
): Promise<AgreementWithVersions> {
  const parsed = parseTerms(terms)
  return act(db, scope, agreementId, async ({ tx, row, side }) => {
    await checkCooperative(tx, parsed, row.producerId)
    return { kind: 'update_draft', side, terms: parsed, termsHash: termsHash(parsed) }
  })
}

/** Sends the open draft to the other side: it becomes a proposal and its terms are frozen. */
export async function sendProposal(
  db: Executor,
  scope: Scope,
  agreementId: string,
): Promise<AgreementWithVersions> {
  return act(db, scope, agreementId, ({ side }) => ({ kind: 'send', side }))
}

/**
 * Accepts the proposed version for the scope's side, naming its number and terms hash as
 * read (anything else is a 409 `agreement_version_stale`) and who accepts (a user or API key
 * id). The proposer must accept too: sending accepts nothing. When both sides have, the
 * version comes into force and the one before it is superseded; a second agreement in force
 * between the same two parties is a 409 `agreement_exists`. Accepting again changes nothing.
 */
export async function acceptAgreement(
  db: Executor,
  scope: Scope,
  agreementId: string,
  input: AcceptAgreementInput,
): Promise<AgreementWithVersions> {
  const data = parseInput(acceptAgreementSchema, input)
  return act(db, scope, agreementId, ({ side }) => ({
    kind: 'accept',
    side,
    version: data.version,
    termsHash: data.terms_hash,
    by: data.accepted_by,
  }))
}

/**
 * The other side declines the proposal: a first proposal ends the agreement (rejected); a
 * rejected amendment leaves the version in force as it is.
 */
export async function rejectProposal(
  db: Executor,
  scope: Scope,
  agreementId: string,
  input: RejectProposalInput = {},
): Promise<AgreementWithVersions> {
  const data = parseInput(rejectProposalSchema, input)
  return act(db, scope, agreementId, ({ side }) =>
    data.version === undefined
      ? { kind: 'reject', side }
      : { kind: 'reject', side, version: data.version },
  )
}

/**
 * The author takes back its draft or proposal: a first version ends the agreement
 * (withdrawn); a withdrawn amendment leaves the version in force as it is.
 */
export async function withdrawProposal(
  db: Executor,
  scope: Scope,
  agreementId: string,
): Promise<AgreementWithVersions> {
  return act(db, scope, agreementId, ({ side }) => ({ kind: 'withdraw', side }))
}

/**
 * Drafts new terms for an agreement in force, as a new version (a draft: edit it with
 * `updateDraft`, send it with `sendProposal`). The version in force stays in force until
 * both sides accept the amendment. One amendment at a time (409 `agreement_version_open`).
 */
export async function proposeAmendment(
  db: Executor,
  scope: Scope,
  agreementId: string,
  terms: ConsignmentTermsInput,
  note?: string,
): Promise<AgreementWithVersions> {
  const parsed = parseTerms(terms)
  const parsedNote = parseInput(amendmentNoteSchema, note, 'note')
  return act(db, scope, agreementId, async ({ tx, row, side }) => {
    await checkCooperative(tx, parsed, row.producerId)
    return {
      kind: 'amend',
      side,
      terms: parsed,
      termsHash: termsHash(parsed),
      note: parsedNote === undefined || parsedNote === '' ? null : parsedNote,
    }
  })
}

/**
 * Ends an agreement in force (either side, owners only). The goods at the venue stay the
 * producer's: the stock ledger turns them into return requests. An open amendment is
 * withdrawn with it.
 */
export async function terminateAgreement(
  db: Executor,
  scope: Scope,
  agreementId: string,
  input: TerminateAgreementInput,
): Promise<AgreementWithVersions> {
  const data = parseInput(terminateAgreementSchema, input)
  return act(db, scope, agreementId, ({ side }) => ({
    kind: 'terminate',
    side,
    reason: data.reason,
  }))
}

// ---------------------------------------------------------------------------------------
// Reads

/** One of the scope's agreements with all its versions; anyone else's is a 404. */
export async function getAgreement(
  db: Executor,
  scope: Scope,
  agreementId: string,
): Promise<AgreementWithVersions> {
  const [row] = await db
    .select()
    .from(agreements)
    .where(and(eq(agreements.id, agreementId), visibleTo(scope.partyId)))
  if (row === undefined) throw notFound('agreement', agreementId)
  return withVersions(db, row)
}

/** The scope's agreements (either side), oldest first, by status and counterparty. */
export async function listAgreements(
  db: Executor,
  scope: Scope,
  query: ListAgreementsQuery = {},
): Promise<Page<Agreement>> {
  const { status, counterparty_id, cursor, limit } = parseInput(listAgreementsQuerySchema, query)
  const me = scope.partyId
  const conditions: SQL[] = [visibleTo(me)]
  if (status !== undefined) conditions.push(eq(agreements.status, status))
  if (counterparty_id !== undefined) {
    conditions.push(
      or(
        and(eq(agreements.producerId, me), eq(agreements.venueId, counterparty_id)),
        and(eq(agreements.venueId, me), eq(agreements.producerId, counterparty_id)),
      ) as SQL,
    )
  }
  if (cursor !== undefined) conditions.push(gt(agreements.id, decodeCursor(cursor, 'id').id))
  const rows = await db
    .select()
    .from(agreements)
    .where(and(...conditions))
    .orderBy(asc(agreements.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    data: page.map(toAgreement),
    next_cursor:
      rows.length > limit && last !== undefined ? encodeCursor({ kind: 'id', id: last.id }) : null,
  }
}

/**
 * One version of an agreement, whatever its state: a sale, receipt or statement keeps the
 * version it was made under, and reads its terms here. With `scope`, only the agreement's
 * two parties see it (404 for anyone else).
 */
export async function getAgreementVersion(
  db: Executor,
  agreementId: string,
  version: number,
  scope?: Scope,
): Promise<AgreementVersion> {
  const conditions: SQL[] = [eq(agreements.id, agreementId)]
  if (scope !== undefined) conditions.push(visibleTo(scope.partyId))
  const [row] = await db
    .select({ version: agreementVersions })
    .from(agreementVersions)
    .innerJoin(agreements, eq(agreements.id, agreementVersions.agreementId))
    .where(and(...conditions, eq(agreementVersions.version, version)))
  if (row === undefined) throw notFound('agreement version', `${agreementId}@${version}`)
  return toVersion(row.version)
}

/** `getAgreementVersions`' key of a version: `agreement id@version`. */
export function versionKey(agreementId: string, version: number): string {
  return `${agreementId}@${version}`
}

/**
 * Many agreement versions by one query, keyed by `versionKey`; a version that does not
 * exist is missing from the answer.
 */
export async function getAgreementVersions(
  db: Executor,
  keys: readonly { agreementId: string; version: number }[],
): Promise<Map<string, AgreementVersion>> {
  const out = new Map<string, AgreementVersion>()
  if (keys.length === 0) return out
  const wanted = new Set(keys.map((key) => versionKey(key.agreementId, key.version)))
  const rows = await db
    .select()
    .from(agreementVersions)
    .where(isOneOf(agreementVersions.agreementId, [...new Set(keys.map((key) => key.agreementId))]))
  for (const row of rows) {
    const key = versionKey(row.agreementId, row.version)
    if (wanted.has(key)) out.set(key, toVersion(row))
  }
  return out
}

export interface AgreementInForce {
  agreement: Agreement
  version: AgreementVersion
  terms: ConsignmentTerms
}

async function activeVersionRow(db: Executor, row: AgreementRow): Promise<VersionRow> {
  const [version] = await db
    .select()
    .from(agreementVersions)
    .where(
      and(
        eq(agreementVersions.agreementId, row.id),
        eq(agreementVersions.version, row.activeVersion ?? 0),
      ),
    )
  if (version === undefined) throw new Error(`Agreement ${row.id} is active without a version`)
  return version
}

/**
 * The agreement in force between a producer and a venue (consignment by default), with its
 * version and parsed terms, or null. The agreement row is share-locked: called inside a
 * transaction, a termination waits until that transaction ends.
 */
export async function agreementInForce(
  db: Executor,
  pair: { producerId: string; venueId: string; model?: AgreementModel },
): Promise<AgreementInForce | null> {
  const [row] = await db
    .select()
    .from(agreements)
    .where(
      and(
        eq(agreements.producerId, pair.producerId),
        eq(agreements.venueId, pair.venueId),
        eq(agreements.model, pair.model ?? 'consignment'),
        eq(agreements.status, 'active'),
      ),
    )
    .for('share')
  if (row === undefined) return null
  const version = toVersion(await activeVersionRow(db, row))
  return { agreement: toAgreement(row), version, terms: version.terms }
}

/**
 * The terms in force of an agreement, for the stock ledger: 404 when there is no such
 * agreement, 409 `agreement_not_active` when it is not in force (a proposal, withdrawn,
 * rejected or terminated). Share-locks the agreement like `agreementInForce`.
 */
export async function requireAgreementInForce(
  db: Executor,
  agreementId: string,
): Promise<ConsignmentTerms> {
  const [row] = await db
    .select()
    .from(agreements)
    .where(eq(agreements.id, agreementId))
    .for('share')
  if (row === undefined) throw notFound('agreement', agreementId, 'agreement_id')
  if (row.status !== 'active') {
    const message = `Agreement '${agreementId}' is ${row.status}, not in force`
    throw new MitraError('agreement_not_active', message, {
      errors: [{ path: 'agreement_id', code: 'agreement_not_active', message }],
    })
  }
  return toVersion(await activeVersionRow(db, row)).terms
}
