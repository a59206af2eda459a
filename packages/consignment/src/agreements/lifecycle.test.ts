import { MitraError } from '@mitra/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sampleTerms } from '../testing.js'
import { canonicalJson, termsHash } from './hash.js'
import {
  type AgreementAction,
  type AgreementSide,
  type AgreementSnapshot,
  applyAgreementAction,
  closedAgreementStatuses,
  draftAgreement,
  openVersion,
  type VersionSnapshot,
  versionInForce,
} from './lifecycle.js'

const t0 = new Date('2025-03-01T08:00:00Z')
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000)

function terms(n: number) {
  return { n }
}
function hash(n: number) {
  return `hash-${n}`
}

function draft(side: AgreementSide = 'producer', n = 1): AgreementSnapshot {
  return draftAgreement({ side, terms: terms(n), termsHash: hash(n), note: null })
}

function apply(snapshot: AgreementSnapshot, ...actions: AgreementAction[]): AgreementSnapshot {
  return actions.reduce((s, action, i) => applyAgreementAction(s, action, later(i + 1)), snapshot)
}

function accept(side: AgreementSide, version: number, n: number): AgreementAction {
  return { kind: 'accept', side, version, termsHash: hash(n), by: `usr_${side}` }
}

function errorOf(work: () => unknown): MitraError {
  try {
    work()
  } catch (error) {
    expect(error).toBeInstanceOf(MitraError)
    return error as MitraError
  }
  throw new Error('expected a MitraError')
}

/** An agreement in force on terms `n`, proposed by the producer. */
function active(n = 1): AgreementSnapshot {
  return apply(
    draft('producer', n),
    { kind: 'send', side: 'producer' },
    accept('producer', 1, n),
    accept('venue', 1, n),
  )
}

describe('agreement lifecycle', () => {
  it('comes into force only when both sides have accepted the proposed version', () => {
    const sent = apply(draft(), { kind: 'send', side: 'producer' })
    expect(sent.status).toBe('proposed')
    expect(sent.versions[0]).toMatchObject({ state: 'proposed', proposedAt: later(1) })
    // Sending accepted nothing, not even for the proposer.
    expect(sent.versions[0]?.producerAcceptedAt).toBeNull()

    const half = applyAgreementAction(sent, accept('producer', 1, 1), later(2))
    expect(half.status).toBe('proposed')
    expect(half.versions[0]).toMatchObject({
      state: 'proposed',
      producerAcceptedAt: later(2),
      producerAcceptedBy: 'usr_producer',
      venueAcceptedAt: null,
    })
    const both = applyAgreementAction(half, accept('venue', 1, 1), later(3))
    expect(both).toMatchObject({ status: 'active', activeVersion: 1 })
    expect(both.versions[0]).toMatchObject({ state: 'accepted', effectiveAt: later(3) })
    expect(versionInForce(both)?.version).toBe(1)
  })

  it('lets only the author edit, send or withdraw a draft', () => {
    const d = draft('venue')
    expect(errorOf(() => apply(d, { kind: 'send', side: 'producer' })).code).toBe('forbidden')
    expect(errorOf(() => apply(d, { kind: 'withdraw', side: 'producer' })).code).toBe('forbidden')
    expect(
      errorOf(() =>
        apply(d, { kind: 'update_draft', side: 'producer', terms: terms(2), termsHash: hash(2) }),
      ).code,
    ).toBe('forbidden')
    const edited = apply(d, {
      kind: 'update_draft',
      side: 'venue',
      terms: terms(2),
      termsHash: hash(2),
    })
    expect(edited.versions[0]).toMatchObject({ state: 'draft', termsHash: hash(2) })
  })

  it('freezes a proposal and never edits a version in force', () => {
    const sent = apply(draft(), { kind: 'send', side: 'producer' })
    const edit: AgreementAction = {
      kind: 'update_draft',
      side: 'producer',
      terms: terms(9),
      termsHash: hash(9),
    }
    expect(errorOf(() => apply(sent, edit)).code).toBe('agreement_not_draft')
    const inForce = active()
    const error = errorOf(() => apply(inForce, edit))
    expect(error.code).toBe('agreement_in_force')
    expect(error.status).toBe(409)
  })

  it('refuses a stale version or terms hash, and a draft not yet sent', () => {
    const sent = apply(draft(), { kind: 'send', side: 'producer' })
    const wrongHash = errorOf(() => apply(sent, accept('venue', 1, 2)))
    expect(wrongHash.code).toBe('agreement_version_stale')
    expect(wrongHash.errors[0]?.path).toBe('terms_hash')
    const wrongVersion = errorOf(() => apply(sent, accept('venue', 2, 1)))
    expect(wrongVersion.code).toBe('agreement_version_stale')
    expect(wrongVersion.errors[0]?.path).toBe('version')
    expect(errorOf(() => apply(draft(), accept('venue', 1, 1))).code).toBe(
      'illegal_status_transition',
    )
  })

  it('treats accepting twice as a repeat', () => {
    const sent = apply(draft(), { kind: 'send', side: 'producer' })
    const once = applyAgreementAction(sent, accept('venue', 1, 1), later(5))
    expect(applyAgreementAction(once, accept('venue', 1, 1), later(6))).toBe(once)
    const inForce = active()
    expect(applyAgreementAction(inForce, accept('venue', 1, 1), later(9))).toBe(inForce)
  })

  it('amends by a new version while the old one stays in force', () => {
    const amended = apply(active(1), {
      kind: 'amend',
      side: 'venue',
      terms: terms(2),
      termsHash: hash(2),
      note: 'komisi 25 %',
    })
    expect(amended).toMatchObject({ status: 'active', activeVersion: 1, latestVersion: 2 })
    expect(openVersion(amended)).toMatchObject({ version: 2, state: 'draft', authorSide: 'venue' })
    expect(versionInForce(amended)?.termsHash).toBe(hash(1))
    expect(
      errorOf(() =>
        apply(amended, {
          kind: 'amend',
          side: 'producer',
          terms: terms(3),
          termsHash: hash(3),
          note: null,
        }),
      ).code,
    ).toBe('agreement_version_open')

    const decided = apply(
      amended,
      { kind: 'send', side: 'venue' },
      accept('venue', 2, 2),
      accept('producer', 2, 2),
    )
    expect(decided).toMatchObject({ status: 'active', activeVersion: 2, latestVersion: 2 })
    expect(decided.versions.map((v) => v.state)).toEqual(['superseded', 'accepted'])
    // The superseded version is exactly what it was.
    expect(decided.versions[0]).toEqual({ ...active(1).versions[0], state: 'superseded' })
    expect(errorOf(() => apply(decided, accept('venue', 1, 1))).code).toBe(
      'agreement_version_stale',
    )
  })

  it('rejects or withdraws an amendment without touching the version in force', () => {
    const amendment: AgreementAction = {
      kind: 'amend',
      side: 'producer',
      terms: terms(2),
      termsHash: hash(2),
      note: null,
    }
    const sent = apply(active(), amendment, { kind: 'send', side: 'producer' })
    expect(errorOf(() => apply(sent, { kind: 'reject', side: 'producer' })).code).toBe('forbidden')
    expect(errorOf(() => apply(sent, { kind: 'reject', side: 'venue', version: 1 })).code).toBe(
      'agreement_version_stale',
    )
    const rejected = apply(sent, { kind: 'reject', side: 'venue', version: 2 })
    expect(rejected).toMatchObject({ status: 'active', activeVersion: 1 })
    expect(rejected.versions.map((v) => v.state)).toEqual(['accepted', 'rejected'])
    const withdrawn = apply(sent, { kind: 'withdraw', side: 'producer' })
    expect(withdrawn.versions.map((v) => v.state)).toEqual(['accepted', 'withdrawn'])
    // A new amendment may follow.
    expect(apply(rejected, { ...amendment, side: 'venue' }).latestVersion).toBe(3)
  })

  it('ends a first proposal by rejection or withdrawal, for good', () => {
    const sent = apply(draft(), { kind: 'send', side: 'producer' })
    expect(errorOf(() => apply(draft(), { kind: 'reject', side: 'venue' })).code).toBe(
      'illegal_status_transition',
    )
    const rejected = apply(sent, { kind: 'reject', side: 'venue' })
    expect(rejected.status).toBe('rejected')
    const withdrawn = apply(draft(), { kind: 'withdraw', side: 'producer' })
    expect(withdrawn.status).toBe('withdrawn')
    for (const closed of [rejected, withdrawn]) {
      expect(errorOf(() => apply(closed, accept('venue', 1, 1))).code).toBe(
        'illegal_status_transition',
      )
    }
  })

  it('terminates only an agreement in force, withdrawing an open amendment', () => {
    const sent = apply(draft(), { kind: 'send', side: 'producer' })
    expect(errorOf(() => apply(sent, { kind: 'terminate', side: 'venue', reason: 'x' })).code).toBe(
      'agreement_not_active',
    )
    const ended = apply(
      active(),
      { kind: 'amend', side: 'venue', terms: terms(2), termsHash: hash(2), note: null },
      { kind: 'terminate', side: 'producer', reason: 'Kafe tutup' },
    )
    expect(ended).toMatchObject({ status: 'terminated', terminationReason: 'Kafe tutup' })
    expect(ended.terminatedAt).toEqual(later(2))
    expect(ended.versions.map((v) => v.state)).toEqual(['accepted', 'withdrawn'])
    expect(versionInForce(ended)).toBeUndefined()
  })
})

describe('terms hash', () => {
  it('is the SHA-256 of canonical JSON, independent of key order and defaults', () => {
    const hashed = termsHash(sampleTerms)
    expect(hashed).toMatch(/^[0-9a-f]{64}$/)
    const reordered = Object.fromEntries(Object.entries(sampleTerms).reverse())
    expect(termsHash(reordered as typeof sampleTerms)).toBe(hashed)
    expect(termsHash({ ...sampleTerms, currency: 'IDR', grace_days: 14 })).toBe(hashed)
    expect(termsHash({ ...sampleTerms, grace_days: 15 })).not.toBe(hashed)
  })

  it('writes canonical JSON with sorted keys at every depth', () => {
    expect(canonicalJson({ b: [{ d: 1, c: null }], a: 'x', e: undefined })).toBe(
      '{"a":"x","b":[{"c":null,"d":1}]}',
    )
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError)
  })

  it('is the same whatever order keys come in (property)', () => {
    const json: fc.Arbitrary<unknown> = fc.jsonValue()
    fc.assert(
      fc.property(json, (value) => {
        const shuffled = JSON.parse(JSON.stringify(value), (_key, item) =>
          item !== null && typeof item === 'object' && !Array.isArray(item)
            ? Object.fromEntries(Object.entries(item).reverse())
            : item,
        )
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value))
      }),
      { numRuns: 1_000 },
    )
  })
})

// ---------------------------------------------------------------------------------------
// Properties over random action sequences

type Pick = 'open' | 'active' | number

type Step =
  | { kind: 'update_draft' | 'amend'; side: AgreementSide; n: number }
  | { kind: 'send' | 'withdraw' | 'terminate'; side: AgreementSide }
  | { kind: 'accept'; side: AgreementSide; version: Pick; rightHash: boolean }
  | { kind: 'reject'; side: AgreementSide; version: Pick | null }

const sideArb = fc.constantFrom<AgreementSide>('producer', 'venue')
const pickArb = fc.oneof(
  { arbitrary: fc.constant<Pick>('open'), weight: 6 },
  { arbitrary: fc.constant<Pick>('active'), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 8 }), weight: 1 },
)
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('update_draft' as const, 'amend' as const),
      side: sideArb,
      n: fc.integer({ min: 1, max: 6 }),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('send' as const), side: sideArb }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('accept' as const),
      side: sideArb,
      version: pickArb,
      rightHash: fc.integer({ min: 0, max: 9 }).map((d) => d < 8),
    }),
    weight: 20,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('reject' as const),
      side: sideArb,
      version: fc.option(pickArb),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('withdraw' as const, 'terminate' as const),
      side: sideArb,
    }),
    weight: 1,
  },
)

function resolveVersion(snapshot: AgreementSnapshot, pick: Pick): number {
  if (pick === 'open') return openVersion(snapshot)?.version ?? snapshot.latestVersion
  if (pick === 'active') return snapshot.activeVersion ?? 1
  return pick
}

function toAction(snapshot: AgreementSnapshot, step: Step): AgreementAction {
  switch (step.kind) {
    case 'update_draft':
    case 'amend':
      return step.kind === 'amend'
        ? { ...step, terms: terms(step.n), termsHash: hash(step.n), note: null }
        : { kind: step.kind, side: step.side, terms: terms(step.n), termsHash: hash(step.n) }
    case 'send':
    case 'withdraw':
      return { kind: step.kind, side: step.side }
    case 'terminate':
      return { kind: 'terminate', side: step.side, reason: 'done' }
    case 'accept': {
      const version = resolveVersion(snapshot, step.version)
      const target = snapshot.versions.find((v) => v.version === version)
      const termsHash = step.rightHash && target !== undefined ? target.termsHash : 'hash-wrong'
      return { kind: 'accept', side: step.side, version, termsHash, by: `usr_${step.side}` }
    }
    case 'reject':
      return step.version === null
        ? { kind: 'reject', side: step.side }
        : { kind: 'reject', side: step.side, version: resolveVersion(snapshot, step.version) }
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const item of Object.values(value)) deepFreeze(item)
    Object.freeze(value)
  }
  return value
}

const frozenStates = new Set(['proposed', 'accepted', 'superseded', 'rejected', 'withdrawn'])

/** Invariants every reachable snapshot satisfies. */
function checkSnapshot(s: AgreementSnapshot): void {
  // Versions 1..latest, in order; only the newest may be open.
  expect(s.versions.map((v) => v.version)).toEqual(
    Array.from({ length: s.latestVersion }, (_, i) => i + 1),
  )
  s.versions.slice(0, -1).forEach((v) => {
    expect(['draft', 'proposed']).not.toContain(v.state)
  })
  // Never two versions in force.
  const accepted = s.versions.filter((v) => v.state === 'accepted')
  expect(accepted.length).toBeLessThanOrEqual(1)
  if (s.status === 'active') {
    expect(accepted[0]?.version).toBe(s.activeVersion)
  } else if (s.status !== 'terminated') {
    expect(accepted).toHaveLength(0)
    expect(s.activeVersion).toBeNull()
  }
  if (accepted.length === 1) expect(s.activeVersion).toBe(accepted[0]?.version)
  for (const v of s.versions) {
    const inEffect = v.state === 'accepted' || v.state === 'superseded'
    expect(v.effectiveAt !== null).toBe(inEffect)
    if (inEffect) {
      expect(v.producerAcceptedAt).not.toBeNull()
      expect(v.venueAcceptedAt).not.toBeNull()
      expect(v.proposedAt).not.toBeNull()
    }
    if (v.state === 'draft') {
      expect([v.proposedAt, v.producerAcceptedAt, v.venueAcceptedAt]).toEqual([null, null, null])
    }
    // Superseded versions are older than the one in force.
    if (v.state === 'superseded') expect(v.version).toBeLessThan(s.activeVersion ?? 0)
  }
}

/** What may change from `before` to `after` under `action`. */
function checkStep(before: AgreementSnapshot, after: AgreementSnapshot, action: AgreementAction) {
  if (closedAgreementStatuses.includes(before.status)) expect(after).toBe(before)
  for (const old of before.versions) {
    const now = after.versions.find((v) => v.version === old.version) as VersionSnapshot
    expect(now).toBeDefined()
    // A version once sent (and certainly one in force) keeps its exact terms.
    if (frozenStates.has(old.state)) {
      expect(now.terms).toBe(old.terms)
      expect(now.termsHash).toBe(old.termsHash)
    }
    // Acceptances are never taken back or rewritten.
    if (old.producerAcceptedAt !== null) {
      expect([now.producerAcceptedAt, now.producerAcceptedBy]).toEqual([
        old.producerAcceptedAt,
        old.producerAcceptedBy,
      ])
    }
    if (old.venueAcceptedAt !== null) {
      expect([now.venueAcceptedAt, now.venueAcceptedBy]).toEqual([
        old.venueAcceptedAt,
        old.venueAcceptedBy,
      ])
    }
    const newlyAccepted =
      (old.producerAcceptedAt === null && now.producerAcceptedAt !== null) ||
      (old.venueAcceptedAt === null && now.venueAcceptedAt !== null)
    if (newlyAccepted) {
      // An acceptance names exactly this version and these terms, by the side that acted,
      // and only ever of a proposal.
      expect(action.kind).toBe('accept')
      if (action.kind !== 'accept') return
      expect(action.version).toBe(old.version)
      expect(action.termsHash).toBe(old.termsHash)
      expect(old.state).toBe('proposed')
      const newlySide = old.producerAcceptedAt === null && now.producerAcceptedAt !== null
      expect(newlySide ? 'producer' : 'venue').toBe(action.side)
    }
    if (old.state !== 'accepted' && now.state === 'accepted') {
      // In force only through two explicit acceptances of the proposal.
      expect(old.state).toBe('proposed')
      expect(old.producerAcceptedAt !== null || old.venueAcceptedAt !== null).toBe(true)
    }
    if (old.state === 'superseded') expect(now.state).toBe('superseded')
    if (now.state === 'superseded') expect(['accepted', 'superseded']).toContain(old.state)
  }
}

describe('agreement lifecycle properties', () => {
  it('random action sequences keep every invariant (2,000 runs)', () => {
    let amendmentsInForce = 0
    let refusals = 0
    fc.assert(
      fc.property(
        sideArb,
        fc.integer({ min: 1, max: 6 }),
        fc.array(stepArb, { minLength: 1, maxLength: 60, size: 'max' }),
        (initiator, n, steps) => {
          let snapshot = deepFreeze(draft(initiator, n))
          checkSnapshot(snapshot)
          steps.forEach((step, index) => {
            const action = toAction(snapshot, step)
            let next: AgreementSnapshot
            try {
              next = applyAgreementAction(snapshot, action, later(index + 1))
            } catch (error) {
              // Refusals are MitraErrors (a frozen snapshot would make a mutation a TypeError).
              expect(error).toBeInstanceOf(MitraError)
              refusals += 1
              return
            }
            checkSnapshot(next)
            checkStep(snapshot, next, action)
            if ((next.activeVersion ?? 0) > 1 && next.activeVersion !== snapshot.activeVersion) {
              amendmentsInForce += 1
            }
            snapshot = deepFreeze(next)
          })
        },
      ),
      { numRuns: 2_000 },
    )
    // The sequences do reach amendments in force and refusals, so the properties bite.
    expect(amendmentsInForce).toBeGreaterThan(50)
    expect(refusals).toBeGreaterThan(500)
  })

  it('a version accepted by one side changes only by the other accepting the same hash', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 30, size: 'max' }), (steps) => {
        let snapshot = apply(draft(), { kind: 'send', side: 'producer' }, accept('producer', 1, 1))
        for (const [index, step] of steps.entries()) {
          try {
            const next = applyAgreementAction(snapshot, toAction(snapshot, step), later(index))
            const first = next.versions[0]
            expect(first?.termsHash).toBe(hash(1))
            snapshot = next
          } catch (error) {
            expect(error).toBeInstanceOf(MitraError)
          }
        }
      }),
      { numRuns: 1_000 },
    )
  })
})
