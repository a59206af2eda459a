import { MitraError } from '@mitra/core'
import type { AgreementStatus, AgreementVersionState } from '@mitra/db'

/**
 * The agreement lifecycle as pure functions: a snapshot of an agreement and its versions in,
 * the next snapshot out (or a MitraError). No I/O, no clock: the caller passes `now`. The
 * services load a snapshot under a row lock, apply one action and write back what changed.
 *
 * Rules (invariant 7 of docs/architecture.md):
 * - Terms live in versions. Only a draft is edited, and only by its author; a proposed
 *   version is frozen (withdraw and redraft, or let it be rejected); an accepted or
 *   superseded version is never edited.
 * - Sending a proposal accepts nothing: each side accepts explicitly, naming the version and
 *   the hash of its terms. When both have, that version comes into force; the one it
 *   replaces is superseded. At most one version is in force.
 * - An agreement in force is changed only by an amendment: a new version, drafted and sent
 *   by either side and accepted by both, while the old one stays in force. At most one
 *   version awaits a decision at a time.
 */

export type AgreementSide = 'producer' | 'venue'

export interface VersionSnapshot {
  readonly version: number
  readonly state: AgreementVersionState
  /** The parsed terms, opaque here: only their hash matters to the lifecycle. */
  readonly terms: Readonly<Record<string, unknown>>
  readonly termsHash: string
  readonly authorSide: AgreementSide
  readonly proposedAt: Date | null
  readonly producerAcceptedAt: Date | null
  readonly producerAcceptedBy: string | null
  readonly venueAcceptedAt: Date | null
  readonly venueAcceptedBy: string | null
  readonly effectiveAt: Date | null
  readonly note: string | null
}

export interface AgreementSnapshot {
  readonly status: AgreementStatus
  readonly activeVersion: number | null
  readonly latestVersion: number
  readonly terminatedAt: Date | null
  readonly terminationReason: string | null
  /** Every version, oldest first (version numbers 1..latestVersion). */
  readonly versions: readonly VersionSnapshot[]
}

export type AgreementAction =
  | {
      readonly kind: 'update_draft'
      readonly side: AgreementSide
      readonly terms: Readonly<Record<string, unknown>>
      readonly termsHash: string
    }
  | { readonly kind: 'send'; readonly side: AgreementSide }
  | {
      readonly kind: 'accept'
      readonly side: AgreementSide
      readonly version: number
      readonly termsHash: string
      readonly by: string
    }
  | { readonly kind: 'reject'; readonly side: AgreementSide; readonly version?: number }
  | { readonly kind: 'withdraw'; readonly side: AgreementSide }
  | {
      readonly kind: 'amend'
      readonly side: AgreementSide
      readonly terms: Readonly<Record<string, unknown>>
      readonly termsHash: string
      readonly note: string | null
    }
  | { readonly kind: 'terminate'; readonly side: AgreementSide; readonly reason: string }

/** Statuses after which nothing changes any more. */
export const closedAgreementStatuses: readonly AgreementStatus[] = [
  'terminated',
  'withdrawn',
  'rejected',
]

/** Version states that awaits a decision: at most one version is open at a time. */
const openStates: readonly AgreementVersionState[] = ['draft', 'proposed']

/** A new agreement: version 1, a draft by `side`. */
export function draftAgreement(draft: {
  side: AgreementSide
  terms: Readonly<Record<string, unknown>>
  termsHash: string
  note: string | null
}): AgreementSnapshot {
  return {
    status: 'draft',
    activeVersion: null,
    latestVersion: 1,
    terminatedAt: null,
    terminationReason: null,
    versions: [newVersion(1, draft.side, draft.terms, draft.termsHash, draft.note)],
  }
}

function newVersion(
  version: number,
  authorSide: AgreementSide,
  terms: Readonly<Record<string, unknown>>,
  termsHash: string,
  note: string | null,
): VersionSnapshot {
  return {
    version,
    state: 'draft',
    terms,
    termsHash,
    authorSide,
    proposedAt: null,
    producerAcceptedAt: null,
    producerAcceptedBy: null,
    venueAcceptedAt: null,
    venueAcceptedBy: null,
    effectiveAt: null,
    note,
  }
}

/** The version awaiting a decision (a draft or a proposal), if any. */
export function openVersion(snapshot: AgreementSnapshot): VersionSnapshot | undefined {
  const latest = snapshot.versions.at(-1)
  return latest !== undefined && openStates.includes(latest.state) ? latest : undefined
}

/** The version in force: only while the agreement is active. */
export function versionInForce(snapshot: AgreementSnapshot): VersionSnapshot | undefined {
  if (snapshot.status !== 'active' || snapshot.activeVersion === null) return undefined
  return snapshot.versions.find((v) => v.version === snapshot.activeVersion)
}

/** True when `side` has accepted `version`. */
export function hasAccepted(version: VersionSnapshot, side: AgreementSide): boolean {
  return (side === 'producer' ? version.producerAcceptedAt : version.venueAcceptedAt) !== null
}

function illegal(detail: string): MitraError {
  return new MitraError('illegal_status_transition', detail)
}

function closed(snapshot: AgreementSnapshot): MitraError {
  return illegal(`The agreement is ${snapshot.status}; nothing about it can change any more`)
}

function notAuthor(what: string): MitraError {
  return new MitraError('forbidden', `Only the side that drafted this version may ${what} it`)
}

function stale(path: 'version' | 'terms_hash', message: string): MitraError {
  return new MitraError('agreement_version_stale', message, {
    errors: [{ path, code: 'agreement_version_stale', message }],
  })
}

function inForce(version: VersionSnapshot): MitraError {
  const message = `Version ${version.version} is ${version.state === 'accepted' ? 'in force' : version.state} and can never be edited; propose an amendment`
  return new MitraError('agreement_in_force', message, {
    errors: [{ path: 'terms', code: 'agreement_in_force', message }],
  })
}

function replaceVersion(
  versions: readonly VersionSnapshot[],
  changed: VersionSnapshot,
): VersionSnapshot[] {
  return versions.map((v) => (v.version === changed.version ? changed : v))
}

/**
 * The next snapshot after `action` by `action.side` at `now`, or a MitraError saying why
 * the action is not allowed (the snapshot given is never modified).
 */
export function applyAgreementAction(
  snapshot: AgreementSnapshot,
  action: AgreementAction,
  now: Date,
): AgreementSnapshot {
  if (closedAgreementStatuses.includes(snapshot.status)) throw closed(snapshot)
  const open = openVersion(snapshot)
  switch (action.kind) {
    case 'update_draft': {
      if (open === undefined) {
        const current = versionInForce(snapshot) ?? snapshot.versions.at(-1)
        if (current === undefined) throw illegal('The agreement has no version to edit')
        throw inForce(current)
      }
      if (open.state !== 'draft') {
        const message = `Version ${open.version} has been proposed and is frozen; withdraw it and redraft, or wait for the decision`
        throw new MitraError('agreement_not_draft', message, {
          errors: [{ path: 'terms', code: 'agreement_not_draft', message }],
        })
      }
      if (open.authorSide !== action.side) throw notAuthor('edit')
      const edited = { ...open, terms: action.terms, termsHash: action.termsHash }
      return { ...snapshot, versions: replaceVersion(snapshot.versions, edited) }
    }
    case 'send': {
      if (open === undefined) {
        throw illegal('There is no draft to send; propose an amendment to change the terms')
      }
      if (open.state !== 'draft') throw illegal(`Version ${open.version} has already been sent`)
      if (open.authorSide !== action.side) throw notAuthor('send')
      const sent: VersionSnapshot = { ...open, state: 'proposed', proposedAt: now }
      return {
        ...snapshot,
        status: snapshot.status === 'draft' ? 'proposed' : snapshot.status,
        versions: replaceVersion(snapshot.versions, sent),
      }
    }
    case 'accept': {
      const target = snapshot.versions.find((v) => v.version === action.version)
      // Accepting the version in force again, as read, is a repeat that changes nothing.
      if (
        target !== undefined &&
        target.state === 'accepted' &&
        target.version === snapshot.activeVersion &&
        target.termsHash === action.termsHash
      ) {
        return snapshot
      }
      if (target === undefined || target !== open) {
        const awaiting =
          open?.state === 'proposed'
            ? `version ${open.version} awaits acceptance`
            : 'no version awaits acceptance'
        const what =
          target === undefined
            ? `There is no version ${action.version}`
            : `Version ${action.version} is ${target.state}`
        throw stale('version', `${what}; ${awaiting}`)
      }
      if (open.state !== 'proposed') {
        throw illegal(
          `Version ${open.version} is still a draft; it must be sent before anyone accepts it`,
        )
      }
      if (open.termsHash !== action.termsHash) {
        throw stale(
          'terms_hash',
          `The terms of version ${open.version} are not the ones accepted (hash ${open.termsHash}); read them again`,
        )
      }
      if (hasAccepted(open, action.side)) return snapshot
      const signed: VersionSnapshot =
        action.side === 'producer'
          ? { ...open, producerAcceptedAt: now, producerAcceptedBy: action.by }
          : { ...open, venueAcceptedAt: now, venueAcceptedBy: action.by }
      if (!hasAccepted(signed, 'producer') || !hasAccepted(signed, 'venue')) {
        return { ...snapshot, versions: replaceVersion(snapshot.versions, signed) }
      }
      const inEffect: VersionSnapshot = { ...signed, state: 'accepted', effectiveAt: now }
      return {
        ...snapshot,
        status: 'active',
        activeVersion: inEffect.version,
        versions: snapshot.versions.map((v) => {
          if (v.version === inEffect.version) return inEffect
          if (v.state === 'accepted') return { ...v, state: 'superseded' }
          return v
        }),
      }
    }
    case 'reject': {
      if (open === undefined) throw illegal('No proposal awaits a decision')
      if (action.version !== undefined && action.version !== open.version) {
        throw stale('version', `Version ${open.version} awaits a decision, not ${action.version}`)
      }
      if (open.state !== 'proposed') {
        throw illegal(`Version ${open.version} is still a draft; there is nothing to reject yet`)
      }
      if (open.authorSide === action.side) {
        throw new MitraError('forbidden', 'The side that proposed a version withdraws it instead')
      }
      return {
        ...snapshot,
        status: snapshot.status === 'proposed' ? 'rejected' : snapshot.status,
        versions: replaceVersion(snapshot.versions, { ...open, state: 'rejected' }),
      }
    }
    case 'withdraw': {
      if (open === undefined) throw illegal('No draft or proposal to withdraw')
      if (open.authorSide !== action.side) throw notAuthor('withdraw')
      return {
        ...snapshot,
        status: snapshot.status === 'active' ? 'active' : 'withdrawn',
        versions: replaceVersion(snapshot.versions, { ...open, state: 'withdrawn' }),
      }
    }
    case 'amend': {
      if (snapshot.status !== 'active') {
        throw new MitraError(
          'agreement_not_active',
          `The agreement is ${snapshot.status}; only an agreement in force is amended`,
        )
      }
      if (open !== undefined) {
        throw new MitraError(
          'agreement_version_open',
          `Version ${open.version} (${open.state}) awaits a decision; withdraw or decide it first`,
        )
      }
      const next = snapshot.latestVersion + 1
      return {
        ...snapshot,
        latestVersion: next,
        versions: [
          ...snapshot.versions,
          newVersion(next, action.side, action.terms, action.termsHash, action.note),
        ],
      }
    }
    case 'terminate': {
      if (snapshot.status !== 'active') {
        throw new MitraError(
          'agreement_not_active',
          `The agreement is ${snapshot.status}; only an agreement in force is terminated (withdraw or reject a proposal)`,
        )
      }
      return {
        ...snapshot,
        status: 'terminated',
        terminatedAt: now,
        terminationReason: action.reason,
        // An amendment still open can never come into force now.
        versions:
          open === undefined
            ? snapshot.versions
            : replaceVersion(snapshot.versions, { ...open, state: 'withdrawn' }),
      }
    }
  }
}
