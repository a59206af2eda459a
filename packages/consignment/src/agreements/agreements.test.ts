import { addClusterMember } from '@mitra/catalog'
import { MitraError, newId } from '@mitra/core'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { sampleTerms } from '../testing.js'
import {
  acceptAgreement,
  agreementInForce,
  getAgreement,
  getAgreementVersion,
  listAgreements,
  proposeAgreement,
  proposeAmendment,
  rejectProposal,
  requireAgreementInForce,
  sendProposal,
  terminateAgreement,
  updateDraft,
  withdrawProposal,
} from './agreements.js'
import { termsHash } from './hash.js'
import {
  acceptByBoth,
  activeAgreement,
  expectMitraError,
  pair,
  party,
  sentAmendment,
  termsWithCommission,
  user,
} from './testing.js'

describe.each(testDatabaseKinds())('agreements on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('goes from draft to proposal to an agreement in force, accepted by both sides', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)

    const draft = await proposeAgreement(db, producer.owner, {
      counterparty_id: venue.party.id,
      terms: termsWithCommission(1500),
      note: ' Batik tulis untuk kafe ',
    })
    expect(draft).toMatchObject({
      id: expect.stringMatching(/^agr_/),
      model: 'consignment',
      producer_id: producer.party.id,
      venue_id: venue.party.id,
      initiator_id: producer.party.id,
      status: 'draft',
      active_version: null,
      latest_version: 1,
    })
    expect(draft.versions).toHaveLength(1)
    expect(draft.versions[0]).toMatchObject({
      version: 1,
      state: 'draft',
      author_id: producer.party.id,
      terms_hash: termsHash(termsWithCommission(1500)),
      note: 'Batik tulis untuk kafe',
      proposed_at: null,
    })
    // Defaults are filled in the stored terms.
    expect(draft.versions[0]?.terms).toMatchObject({ currency: 'IDR', cooperative_fee_bps: 0 })
    // Both parties see it; staff may read.
    expect(await getAgreement(db, venue.staff, draft.id)).toEqual(draft)

    const edited = await updateDraft(db, producer.owner, draft.id, sampleTerms)
    expect(edited.versions[0]?.terms_hash).toBe(termsHash(sampleTerms))

    const sent = await sendProposal(db, producer.owner, draft.id)
    expect(sent.status).toBe('proposed')
    const proposal = sent.versions[0]
    expect(proposal).toMatchObject({ state: 'proposed', producer_accepted_at: null })
    expect(proposal?.proposed_at).not.toBeNull()
    if (proposal === undefined) throw new Error('no version')

    // Sending is not accepting: the proposer accepts explicitly, and that is not enough.
    const producerUser = user()
    const half = await acceptAgreement(db, producer.owner, draft.id, {
      version: 1,
      terms_hash: proposal.terms_hash,
      accepted_by: producerUser,
    })
    expect(half.status).toBe('proposed')
    expect(half.versions[0]).toMatchObject({
      state: 'proposed',
      producer_accepted_by: producerUser,
      venue_accepted_at: null,
    })
    expect(
      await agreementInForce(db, { producerId: producer.party.id, venueId: venue.party.id }),
    ).toBeNull()
    await expectMitraError(requireAgreementInForce(db, draft.id), {
      code: 'agreement_not_active',
      status: 409,
      path: 'agreement_id',
    })

    const venueKey = newId('key')
    const active = await acceptAgreement(db, venue.owner, draft.id, {
      version: 1,
      terms_hash: proposal.terms_hash,
      accepted_by: venueKey,
    })
    expect(active).toMatchObject({ status: 'active', active_version: 1, latest_version: 1 })
    expect(active.versions[0]).toMatchObject({
      state: 'accepted',
      producer_accepted_by: producerUser,
      venue_accepted_by: venueKey,
    })
    expect(active.versions[0]?.effective_at).not.toBeNull()

    const inForce = await agreementInForce(db, {
      producerId: producer.party.id,
      venueId: venue.party.id,
    })
    expect(inForce?.agreement.id).toBe(draft.id)
    expect(inForce?.version.version).toBe(1)
    expect(inForce?.terms).toEqual(active.versions[0]?.terms)
    expect(await requireAgreementInForce(db, draft.id)).toEqual(active.versions[0]?.terms)

    const producerList = await listAgreements(db, producer.staff)
    expect(producerList.data.map((a) => a.id)).toEqual([draft.id])
    expect((await listAgreements(db, venue.owner, { status: 'active' })).data).toHaveLength(1)
  })

  it('lets a venue propose to a producer as well', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    const draft = await proposeAgreement(db, venue.owner, {
      counterparty_id: producer.party.id,
      terms: sampleTerms,
    })
    expect(draft).toMatchObject({
      producer_id: producer.party.id,
      venue_id: venue.party.id,
      initiator_id: venue.party.id,
    })
    expect(draft.versions[0]?.author_id).toBe(venue.party.id)
    // Only the author edits and sends the draft.
    await expectMitraError(sendProposal(db, producer.owner, draft.id), {
      code: 'forbidden',
      status: 403,
    })
    await expectMitraError(updateDraft(db, producer.owner, draft.id, sampleTerms), {
      code: 'forbidden',
      status: 403,
    })
    const sent = await sendProposal(db, venue.owner, draft.id)
    const active = await acceptByBoth(db, producer, venue, sent)
    expect(active.status).toBe('active')
  })

  it('amends by a new version both accept, keeping the past version readable', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    const original = await activeAgreement(db, producer, venue)
    const v1 = original.versions[0]

    const amendment = await proposeAmendment(
      db,
      venue.owner,
      original.id,
      termsWithCommission(2500),
      'Komisi naik karena sewa naik',
    )
    expect(amendment).toMatchObject({ status: 'active', active_version: 1, latest_version: 2 })
    expect(amendment.versions[1]).toMatchObject({
      version: 2,
      state: 'draft',
      author_id: venue.party.id,
      note: 'Komisi naik karena sewa naik',
    })
    // The old version stays in force while the amendment is open.
    const during = await agreementInForce(db, {
      producerId: producer.party.id,
      venueId: venue.party.id,
    })
    expect(during?.version.version).toBe(1)
    expect(during?.terms.commission).toEqual({ kind: 'percent', bps: 2000 })

    const edited = await updateDraft(db, venue.owner, original.id, termsWithCommission(2200))
    expect(edited.versions[1]?.terms.commission).toEqual({ kind: 'percent', bps: 2200 })
    const sent = await sendProposal(db, venue.owner, original.id)
    const amended = await acceptByBoth(db, producer, venue, sent)
    expect(amended).toMatchObject({ status: 'active', active_version: 2, latest_version: 2 })
    expect(amended.versions.map((v) => v.state)).toEqual(['superseded', 'accepted'])

    // The past version is exactly what it was, for the sales made under it.
    const past = await getAgreementVersion(db, original.id, 1)
    expect(past).toEqual({ ...v1, state: 'superseded', updated_at: past.updated_at })
    expect(past.terms.commission).toEqual({ kind: 'percent', bps: 2000 })
    expect(past.terms_hash).toBe(v1?.terms_hash)
    expect((await requireAgreementInForce(db, original.id)).commission).toEqual({
      kind: 'percent',
      bps: 2200,
    })
    // A stale acceptance of the superseded version is refused.
    await expectMitraError(
      acceptAgreement(db, venue.owner, original.id, {
        version: 1,
        terms_hash: v1?.terms_hash ?? '',
        accepted_by: user(),
      }),
      { code: 'agreement_version_stale', status: 409, path: 'version' },
    )
  })

  it('never edits a version in force, nor a proposal, and changes nothing trying', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    const active = await activeAgreement(db, producer, venue)
    for (const scope of [producer.owner, venue.owner]) {
      await expectMitraError(updateDraft(db, scope, active.id, termsWithCommission(100)), {
        code: 'agreement_in_force',
        status: 409,
        path: 'terms',
      })
    }
    expect(await getAgreement(db, producer.owner, active.id)).toEqual(active)

    const proposed = await sentAmendment(db, producer, active.id, termsWithCommission(1800))
    await expectMitraError(updateDraft(db, producer.owner, active.id, termsWithCommission(1700)), {
      code: 'agreement_not_draft',
      status: 409,
      path: 'terms',
    })
    expect(await getAgreement(db, producer.owner, active.id)).toEqual(proposed)
    // Invalid terms are a 422 naming the field, before anything else.
    await expectMitraError(
      proposeAmendment(db, venue.owner, active.id, { ...sampleTerms, consignment_days: 0 }),
      { code: 'validation_failed', status: 422, path: 'terms.consignment_days' },
    )
  })

  it('refuses a stale version or terms hash with 409 and records nothing', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    const draft = await proposeAgreement(db, producer.owner, {
      counterparty_id: venue.party.id,
      terms: sampleTerms,
    })
    const hash = draft.versions[0]?.terms_hash ?? ''
    await expectMitraError(
      acceptAgreement(db, venue.owner, draft.id, {
        version: 1,
        terms_hash: hash,
        accepted_by: user(),
      }),
      { code: 'illegal_status_transition', status: 409 },
    )
    const sent = await sendProposal(db, producer.owner, draft.id)
    await expectMitraError(
      acceptAgreement(db, venue.owner, draft.id, {
        version: 1,
        terms_hash: termsHash(termsWithCommission(100)),
        accepted_by: user(),
      }),
      { code: 'agreement_version_stale', status: 409, path: 'terms_hash' },
    )
    await expectMitraError(
      acceptAgreement(db, venue.owner, draft.id, {
        version: 2,
        terms_hash: hash,
        accepted_by: user(),
      }),
      { code: 'agreement_version_stale', status: 409, path: 'version' },
    )
    await expectMitraError(
      acceptAgreement(db, venue.owner, draft.id, {
        version: 1,
        terms_hash: hash,
        accepted_by: 'someone',
      }),
      { code: 'validation_failed', status: 422, path: 'accepted_by' },
    )
    expect(await getAgreement(db, venue.owner, draft.id)).toEqual(sent)
  })

  it('serialises concurrent acceptances by both sides and by one side twice', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    const draft = await proposeAgreement(db, producer.owner, {
      counterparty_id: venue.party.id,
      terms: sampleTerms,
    })
    await sendProposal(db, producer.owner, draft.id)
    const input = { version: 1, terms_hash: termsHash(sampleTerms) }
    const [first, second] = await Promise.all([
      acceptAgreement(db, producer.owner, draft.id, { ...input, accepted_by: user() }),
      acceptAgreement(db, venue.owner, draft.id, { ...input, accepted_by: user() }),
    ])
    expect([first.status, second.status].sort()).toEqual(['active', 'proposed'])
    const final = await getAgreement(db, producer.owner, draft.id)
    expect(final).toMatchObject({ status: 'active', active_version: 1 })
    expect(final.versions[0]?.state).toBe('accepted')

    // One side accepting an amendment twice at once: one acceptance, the first one.
    await sentAmendment(db, venue, draft.id, termsWithCommission(2100))
    const amendInput = { version: 2, terms_hash: termsHash(termsWithCommission(2100)) }
    const users = [user(), user(), user()]
    const results = await Promise.all(
      users.map((by) =>
        acceptAgreement(db, venue.owner, draft.id, { ...amendInput, accepted_by: by }),
      ),
    )
    const recorded = results.map((r) => r.versions[1]?.venue_accepted_by)
    expect(new Set(recorded).size).toBe(1)
    expect(users).toContain(recorded[0])
    const after = await getAgreement(db, venue.owner, draft.id)
    expect(after).toMatchObject({ status: 'active', active_version: 1, latest_version: 2 })
    expect(after.versions[1]).toMatchObject({ state: 'proposed', producer_accepted_at: null })
  })

  it('lets only one of two concurrent amendments open', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    const active = await activeAgreement(db, producer, venue)
    const settled = await Promise.allSettled([
      proposeAmendment(db, producer.owner, active.id, termsWithCommission(1000)),
      proposeAmendment(db, venue.owner, active.id, termsWithCommission(3000)),
    ])
    const fulfilled = settled.filter((r) => r.status === 'fulfilled')
    const rejected = settled.filter((r) => r.status === 'rejected')
    expect(fulfilled).toHaveLength(1)
    expect(rejected).toHaveLength(1)
    const reason = (rejected[0] as PromiseRejectedResult).reason
    expect(reason).toBeInstanceOf(MitraError)
    expect(reason).toMatchObject({ code: 'agreement_version_open', status: 409 })
    const after = await getAgreement(db, producer.owner, active.id)
    expect(after).toMatchObject({ status: 'active', active_version: 1, latest_version: 2 })
    expect(after.versions.map((v) => v.state)).toEqual(['accepted', 'draft'])

    // Both sides racing to accept the amendment bring it into force exactly once.
    const sent = await sendProposal(
      db,
      after.versions[1]?.author_id === producer.party.id ? producer.owner : venue.owner,
      active.id,
    )
    const v2 = sent.versions[1]
    const input = { version: 2, terms_hash: v2?.terms_hash ?? '' }
    await Promise.all([
      acceptAgreement(db, producer.owner, active.id, { ...input, accepted_by: user() }),
      acceptAgreement(db, venue.owner, active.id, { ...input, accepted_by: user() }),
      acceptAgreement(db, venue.owner, active.id, { ...input, accepted_by: user() }),
    ])
    const final = await getAgreement(db, venue.owner, active.id)
    expect(final).toMatchObject({ status: 'active', active_version: 2 })
    expect(final.versions.map((v) => v.state)).toEqual(['superseded', 'accepted'])
  })

  it('keeps one agreement in force per producer and venue', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    // Two proposals between the same pair may be open at once…
    const a = await proposeAgreement(db, producer.owner, {
      counterparty_id: venue.party.id,
      terms: sampleTerms,
    })
    const b = await proposeAgreement(db, venue.owner, {
      counterparty_id: producer.party.id,
      terms: termsWithCommission(2500),
    })
    const sentA = await sendProposal(db, producer.owner, a.id)
    const sentB = await sendProposal(db, venue.owner, b.id)
    const hashA = sentA.versions[0]?.terms_hash ?? ''
    const hashB = sentB.versions[0]?.terms_hash ?? ''
    await acceptAgreement(db, producer.owner, a.id, {
      version: 1,
      terms_hash: hashA,
      accepted_by: user(),
    })
    await acceptAgreement(db, producer.owner, b.id, {
      version: 1,
      terms_hash: hashB,
      accepted_by: user(),
    })
    // …but the last acceptances race, and only one comes into force.
    const settled = await Promise.allSettled([
      acceptAgreement(db, venue.owner, a.id, {
        version: 1,
        terms_hash: hashA,
        accepted_by: user(),
      }),
      acceptAgreement(db, venue.owner, b.id, {
        version: 1,
        terms_hash: hashB,
        accepted_by: user(),
      }),
    ])
    expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refusal = settled.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refusal.reason).toMatchObject({ code: 'agreement_exists', status: 409 })
    const active = await listAgreements(db, producer.owner, { status: 'active' })
    expect(active.data).toHaveLength(1)
    const loser = active.data[0]?.id === a.id ? b.id : a.id
    const lost = await getAgreement(db, producer.owner, loser)
    expect(lost.status).toBe('proposed')
    expect(lost.versions[0]?.venue_accepted_at).toBeNull()

    // A new proposal while one is in force is refused: amend that one.
    await expectMitraError(
      proposeAgreement(db, venue.owner, { counterparty_id: producer.party.id, terms: sampleTerms }),
      { code: 'agreement_exists', status: 409 },
    )
  })

  it('hides agreements from everyone but their two parties', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    const active = await activeAgreement(db, producer, venue)
    const outsider = await party(db, 'venue', 'Galeri Lain')
    const other = outsider.owner
    const hash = active.versions[0]?.terms_hash ?? ''
    const attempts: (() => Promise<unknown>)[] = [
      () => getAgreement(db, other, active.id),
      () => getAgreementVersion(db, active.id, 1, other),
      () =>
        acceptAgreement(db, other, active.id, {
          version: 1,
          terms_hash: hash,
          accepted_by: user(),
        }),
      () => updateDraft(db, other, active.id, sampleTerms),
      () => proposeAmendment(db, other, active.id, sampleTerms),
      () => sendProposal(db, other, active.id),
      () => rejectProposal(db, other, active.id),
      () => withdrawProposal(db, other, active.id),
      () => terminateAgreement(db, other, active.id, { reason: 'x' }),
      () => getAgreement(db, producer.owner, newId('agr')),
    ]
    for (const attempt of attempts) {
      await expectMitraError(attempt(), { code: 'not_found', status: 404 })
    }
    expect((await listAgreements(db, other)).data).toEqual([])
    expect(
      (await listAgreements(db, producer.owner, { counterparty_id: outsider.party.id })).data,
    ).toEqual([])
    expect(await getAgreement(db, producer.owner, active.id)).toEqual(active)
  })

  it('needs a counterparty of the other kind, and the owner role to act', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    const otherProducer = await party(db, 'producer')
    await expectMitraError(
      proposeAgreement(db, producer.owner, {
        counterparty_id: otherProducer.party.id,
        terms: sampleTerms,
      }),
      { code: 'wrong_party_kind', status: 422, path: 'counterparty_id' },
    )
    await expectMitraError(
      proposeAgreement(db, producer.owner, {
        counterparty_id: producer.party.id,
        terms: sampleTerms,
      }),
      { code: 'wrong_party_kind', status: 422, path: 'counterparty_id' },
    )
    await expectMitraError(
      proposeAgreement(db, producer.owner, { counterparty_id: newId('pty'), terms: sampleTerms }),
      { code: 'not_found', status: 404, path: 'counterparty_id' },
    )
    await expectMitraError(
      proposeAgreement(db, producer.owner, { counterparty_id: 'venue-1', terms: sampleTerms }),
      { code: 'validation_failed', status: 422, path: 'counterparty_id' },
    )
    await expectMitraError(
      proposeAgreement(db, producer.owner, {
        counterparty_id: venue.party.id,
        terms: { ...sampleTerms, on_expiry: 'markdown' },
      }),
      { code: 'validation_failed', status: 422, path: 'terms.markdown_schedule' },
    )
    const cluster = await party(db, 'cluster')
    await expectMitraError(
      proposeAgreement(db, cluster.owner, { counterparty_id: venue.party.id, terms: sampleTerms }),
      { code: 'forbidden', status: 403 },
    )

    // Staff read; owners propose, accept, amend and terminate.
    await expectMitraError(
      proposeAgreement(db, producer.staff, { counterparty_id: venue.party.id, terms: sampleTerms }),
      { code: 'forbidden', status: 403 },
    )
    const draft = await proposeAgreement(db, producer.owner, {
      counterparty_id: venue.party.id,
      terms: sampleTerms,
    })
    await expectMitraError(sendProposal(db, producer.staff, draft.id), {
      code: 'forbidden',
      status: 403,
    })
    const sent = await sendProposal(db, producer.owner, draft.id)
    await expectMitraError(
      acceptAgreement(db, venue.staff, draft.id, {
        version: 1,
        terms_hash: termsHash(sampleTerms),
        accepted_by: user(),
      }),
      { code: 'forbidden', status: 403 },
    )
    const active = await acceptByBoth(db, producer, venue, sent)
    await expectMitraError(proposeAmendment(db, venue.staff, active.id, sampleTerms), {
      code: 'forbidden',
      status: 403,
    })
    await expectMitraError(terminateAgreement(db, venue.staff, active.id, { reason: 'x' }), {
      code: 'forbidden',
      status: 403,
    })
    expect((await getAgreement(db, venue.staff, active.id)).status).toBe('active')
    expect((await listAgreements(db, venue.staff)).data.map((a) => a.id)).toEqual([active.id])
  })

  it('checks the cooperative named in the terms', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    const cooperative = await party(db, 'cluster', 'Koperasi Gemawang')
    const withFee = {
      ...sampleTerms,
      cooperative_fee_bps: 300,
      cooperative_id: cooperative.party.id,
    }
    await expectMitraError(
      proposeAgreement(db, venue.owner, { counterparty_id: producer.party.id, terms: withFee }),
      { code: 'validation_failed', status: 422, path: 'terms.cooperative_id' },
    )
    await expectMitraError(
      proposeAgreement(db, venue.owner, {
        counterparty_id: producer.party.id,
        terms: { ...withFee, cooperative_id: venue.party.id },
      }),
      { code: 'wrong_party_kind', status: 422, path: 'terms.cooperative_id' },
    )
    await addClusterMember(db, cooperative.party.id, producer.party.id)
    const draft = await proposeAgreement(db, venue.owner, {
      counterparty_id: producer.party.id,
      terms: withFee,
    })
    expect(draft.versions[0]?.terms).toMatchObject({
      cooperative_fee_bps: 300,
      cooperative_id: cooperative.party.id,
    })
  })

  it('ends a first proposal by rejection or withdrawal', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    const propose = () =>
      proposeAgreement(db, producer.owner, { counterparty_id: venue.party.id, terms: sampleTerms })

    const toReject = await propose()
    await expectMitraError(rejectProposal(db, venue.owner, toReject.id), {
      code: 'illegal_status_transition',
      status: 409,
    })
    await sendProposal(db, producer.owner, toReject.id)
    await expectMitraError(rejectProposal(db, producer.owner, toReject.id), {
      code: 'forbidden',
      status: 403,
    })
    await expectMitraError(rejectProposal(db, venue.owner, toReject.id, { version: 2 }), {
      code: 'agreement_version_stale',
      status: 409,
      path: 'version',
    })
    const rejected = await rejectProposal(db, venue.owner, toReject.id, { version: 1 })
    expect(rejected.status).toBe('rejected')
    expect(rejected.versions[0]?.state).toBe('rejected')
    await expectMitraError(sendProposal(db, producer.owner, toReject.id), {
      code: 'illegal_status_transition',
      status: 409,
    })

    const toWithdraw = await propose()
    await sendProposal(db, producer.owner, toWithdraw.id)
    await expectMitraError(withdrawProposal(db, venue.owner, toWithdraw.id), {
      code: 'forbidden',
      status: 403,
    })
    const withdrawn = await withdrawProposal(db, producer.owner, toWithdraw.id)
    expect(withdrawn.status).toBe('withdrawn')
    expect(withdrawn.versions[0]?.state).toBe('withdrawn')
    await expectMitraError(
      acceptAgreement(db, venue.owner, toWithdraw.id, {
        version: 1,
        terms_hash: termsHash(sampleTerms),
        accepted_by: user(),
      }),
      { code: 'illegal_status_transition', status: 409 },
    )
    const draftWithdrawn = await withdrawProposal(db, producer.owner, (await propose()).id)
    expect(draftWithdrawn.status).toBe('withdrawn')
  })

  it('rejects or withdraws an amendment and keeps the version in force', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    const active = await activeAgreement(db, producer, venue)
    await sentAmendment(db, venue, active.id, termsWithCommission(3000))
    const rejected = await rejectProposal(db, producer.owner, active.id, { version: 2 })
    expect(rejected).toMatchObject({ status: 'active', active_version: 1, latest_version: 2 })
    expect(rejected.versions.map((v) => v.state)).toEqual(['accepted', 'rejected'])

    await proposeAmendment(db, producer.owner, active.id, termsWithCommission(1900))
    const withdrawn = await withdrawProposal(db, producer.owner, active.id)
    expect(withdrawn).toMatchObject({ status: 'active', active_version: 1, latest_version: 3 })
    expect(withdrawn.versions.map((v) => v.state)).toEqual(['accepted', 'rejected', 'withdrawn'])
    expect((await requireAgreementInForce(db, active.id)).commission).toEqual({
      kind: 'percent',
      bps: 2000,
    })
  })

  it('terminates only an agreement in force; then the pair may start again', async () => {
    const { db } = database()
    const { producer, venue } = await pair(db)
    const proposal = await proposeAgreement(db, venue.owner, {
      counterparty_id: producer.party.id,
      terms: sampleTerms,
    })
    await expectMitraError(terminateAgreement(db, venue.owner, proposal.id, { reason: 'x' }), {
      code: 'agreement_not_active',
      status: 409,
    })
    await withdrawProposal(db, venue.owner, proposal.id)

    const active = await activeAgreement(db, producer, venue)
    await proposeAmendment(db, venue.owner, active.id, termsWithCommission(2400))
    await expectMitraError(terminateAgreement(db, producer.owner, active.id, { reason: ' ' }), {
      code: 'validation_failed',
      status: 422,
      path: 'reason',
    })
    const ended = await terminateAgreement(db, producer.owner, active.id, {
      reason: 'Kafe pindah lokasi',
    })
    expect(ended).toMatchObject({
      status: 'terminated',
      termination_reason: 'Kafe pindah lokasi',
      active_version: 1,
    })
    expect(ended.terminated_at).not.toBeNull()
    expect(ended.versions.map((v) => v.state)).toEqual(['accepted', 'withdrawn'])
    await expectMitraError(requireAgreementInForce(db, active.id), {
      code: 'agreement_not_active',
      status: 409,
    })
    expect(
      await agreementInForce(db, { producerId: producer.party.id, venueId: venue.party.id }),
    ).toBeNull()
    await expectMitraError(terminateAgreement(db, venue.owner, active.id, { reason: 'again' }), {
      code: 'illegal_status_transition',
      status: 409,
    })
    await expectMitraError(requireAgreementInForce(db, newId('agr')), {
      code: 'not_found',
      status: 404,
    })

    const again = await activeAgreement(db, producer, venue, termsWithCommission(1800))
    expect(again.status).toBe('active')
    const statuses = await listAgreements(db, producer.owner, { counterparty_id: venue.party.id })
    expect(statuses.data.map((a) => a.status)).toEqual(['withdrawn', 'terminated', 'active'])
  })

  it('lists by status and counterparty, page by page', async () => {
    const { db } = database()
    const producer = await party(db, 'producer')
    const venues = [await party(db, 'venue'), await party(db, 'venue'), await party(db, 'venue')]
    const ids: string[] = []
    for (const venue of venues) {
      const draft = await proposeAgreement(db, producer.owner, {
        counterparty_id: venue.party.id,
        terms: sampleTerms,
      })
      ids.push(draft.id)
    }
    await sendProposal(db, producer.owner, ids[1] ?? '')
    const second = await proposeAgreement(db, venues[0]?.owner ?? producer.owner, {
      counterparty_id: producer.party.id,
      terms: sampleTerms,
    })
    ids.push(second.id)

    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: Awaited<ReturnType<typeof listAgreements>> = await listAgreements(
        db,
        producer.staff,
        { limit: 3, ...(cursor === null ? {} : { cursor }) },
      )
      expect(page.data.length).toBeLessThanOrEqual(3)
      seen.push(...page.data.map((a) => a.id))
      cursor = page.next_cursor
    } while (cursor !== null)
    expect(seen).toEqual(ids)

    const proposed = await listAgreements(db, producer.owner, { status: 'proposed' })
    expect(proposed.data.map((a) => a.id)).toEqual([ids[1]])
    const withFirst = await listAgreements(db, producer.owner, {
      counterparty_id: venues[0]?.party.id,
    })
    expect(withFirst.data.map((a) => a.id)).toEqual([ids[0], ids[3]])
    const fromVenue = await listAgreements(db, venues[0]?.owner ?? producer.owner)
    expect(fromVenue.data.map((a) => a.id)).toEqual([ids[0], ids[3]])
    await expectMitraError(listAgreements(db, producer.owner, { cursor: 'nope' }), {
      code: 'invalid_cursor',
      status: 422,
      path: 'cursor',
    })
    await expectMitraError(listAgreements(db, producer.owner, { limit: 0 }), {
      code: 'validation_failed',
      status: 422,
      path: 'limit',
    })
    await expectMitraError(getAgreementVersion(db, ids[0] ?? '', 2), {
      code: 'not_found',
      status: 404,
    })
  })
})
