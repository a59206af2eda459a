// `mitra.admin.agreements` against the real server (in-process, PGlite): every method, the
// state each leaves behind as a later read shows it, and the errors it answers with.
import { describe, expect, it } from 'vitest'
import { apiError, sampleTerms as terms, useSdkAgainstServer } from './test-support.js'

describe('admin.agreements against the server', () => {
  const api = useSdkAgainstServer()

  async function pair() {
    const producer = await api.party('producer')
    const venue = await api.party('venue')
    return {
      producer,
      venue,
      asProducer: api.clientFor(producer).admin,
      asVenue: api.clientFor(venue).admin,
    }
  }

  /** An agreement proposed by the venue and accepted by both: version 1 in force. */
  async function inForce() {
    const sides = await pair()
    const { asProducer, asVenue } = sides
    const draft = await asVenue.agreements.create({ counterparty_id: sides.producer.id, terms })
    const sent = await asVenue.agreements.send(draft.id)
    const hash = sent.versions[0]!.terms_hash
    await asProducer.agreements.accept(draft.id, { version: 1, terms_hash: hash })
    await asVenue.agreements.accept(draft.id, { version: 1, terms_hash: hash })
    return { ...sides, id: draft.id }
  }

  it('drafts, edits, sends and accepts an agreement, both sides reading the same record', async () => {
    const { producer, venue, asProducer, asVenue } = await pair()
    const draft = await asVenue.agreements.create({
      counterparty_id: producer.id,
      terms,
      note: 'Batik di kafe',
    })
    expect(draft).toMatchObject({
      model: 'consignment',
      producer_id: producer.id,
      venue_id: venue.id,
      initiator_id: venue.id,
      status: 'draft',
      active_version: null,
      latest_version: 1,
      terminated_at: null,
    })
    expect(draft.id).toMatch(/^agr_/)
    expect(draft.versions).toHaveLength(1)
    expect(draft.versions[0]).toMatchObject({
      agreement_id: draft.id,
      version: 1,
      state: 'draft',
      author_id: venue.id,
      note: 'Batik di kafe',
      proposed_at: null,
      terms: { consignment_days: 90, commission: { kind: 'percent', bps: 2_000 } },
    })
    // The defaults as the server applied them.
    expect(draft.versions[0]!.terms).toMatchObject({
      currency: 'IDR',
      cooperative_fee_bps: 0,
      cooperative_id: null,
      platform_fee_bps: 0,
      markdown_schedule: [],
      extension_days: null,
      venue_may_change_price: false,
      remittance: 'platform',
      remittance_due_days: 7,
    })
    expect(draft.versions[0]!.terms_hash).toMatch(/^[0-9a-f]{64}$/)

    // The author edits the open draft; the other side may not.
    const edited = await asVenue.agreements.updateDraft(draft.id, {
      terms: { ...terms, consignment_days: 60 },
    })
    expect(edited.versions[0]!.terms.consignment_days).toBe(60)
    expect(edited.versions[0]!.terms_hash).not.toBe(draft.versions[0]!.terms_hash)
    expect(
      await apiError(
        asProducer.agreements.updateDraft(draft.id, { terms: { ...terms, grace_days: 0 } }),
      ),
    ).toMatchObject({
      status: 403,
      code: 'forbidden',
      errors: [expect.objectContaining({ path: 'authorization' })],
    })
    // Bad terms: 422 naming the field.
    expect(
      await apiError(
        asVenue.agreements.updateDraft(draft.id, { terms: { ...terms, consignment_days: 0 } }),
      ),
    ).toMatchObject({
      status: 422,
      code: 'validation_failed',
      errors: [{ path: 'terms.consignment_days' }],
    })
    // A draft is not proposed: there is nothing to accept yet.
    expect(
      await apiError(
        asProducer.agreements.accept(draft.id, {
          version: 1,
          terms_hash: edited.versions[0]!.terms_hash,
        }),
      ),
    ).toMatchObject({ status: 409, code: 'illegal_status_transition' })

    // The counterparty reads the edit.
    const seen = await asProducer.agreements.get(draft.id)
    expect(seen.versions[0]!.terms.consignment_days).toBe(60)
    expect(seen.versions[0]!.terms_hash).toBe(edited.versions[0]!.terms_hash)

    // Only the author sends it; once sent, it is frozen.
    expect(await apiError(asProducer.agreements.send(draft.id))).toMatchObject({
      status: 403,
      code: 'forbidden',
    })
    const sent = await asVenue.agreements.send(draft.id)
    expect(sent.status).toBe('proposed')
    expect(sent.versions[0]).toMatchObject({ state: 'proposed', proposed_at: expect.any(String) })
    expect(await apiError(asVenue.agreements.updateDraft(draft.id, { terms }))).toMatchObject({
      status: 409,
      code: 'agreement_not_draft',
      errors: [{ path: 'terms' }],
    })
    expect(await apiError(asVenue.agreements.send(draft.id))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })

    // Acceptance signs the exact terms read: another hash or version is stale.
    const hash = sent.versions[0]!.terms_hash
    expect(
      await apiError(
        asProducer.agreements.accept(draft.id, { version: 1, terms_hash: '0'.repeat(64) }),
      ),
    ).toMatchObject({
      status: 409,
      code: 'agreement_version_stale',
      errors: [{ path: 'terms_hash' }],
    })
    expect(
      await apiError(asProducer.agreements.accept(draft.id, { version: 2, terms_hash: hash })),
    ).toMatchObject({ status: 409, code: 'agreement_version_stale', errors: [{ path: 'version' }] })
    expect(
      await apiError(asProducer.agreements.accept(draft.id, { version: 1, terms_hash: 'abc' })),
    ).toMatchObject({ status: 422, code: 'validation_failed', errors: [{ path: 'terms_hash' }] })

    const half = await asProducer.agreements.accept(draft.id, { version: 1, terms_hash: hash })
    expect(half.status).toBe('proposed')
    expect(half.versions[0]).toMatchObject({
      producer_accepted_at: expect.any(String),
      producer_accepted_by: expect.stringMatching(/^key_/),
      venue_accepted_at: null,
    })
    const active = await asVenue.agreements.accept(draft.id, { version: 1, terms_hash: hash })
    expect(active).toMatchObject({ status: 'active', active_version: 1, latest_version: 1 })
    expect(active.versions[0]).toMatchObject({
      state: 'accepted',
      venue_accepted_by: expect.stringMatching(/^key_/),
      effective_at: expect.any(String),
    })
    // Accepting again what is in force, as read, changes nothing.
    const again = await asProducer.agreements.accept(draft.id, { version: 1, terms_hash: hash })
    expect(again.updated_at).toBe(active.updated_at)

    const version = await asProducer.agreements.getVersion(draft.id, 1)
    expect(version).toMatchObject({
      agreement_id: draft.id,
      version: 1,
      state: 'accepted',
      terms_hash: hash,
      terms: { consignment_days: 60, grace_days: 14, remittance: 'platform' },
    })
    expect(await apiError(asProducer.agreements.getVersion(draft.id, 2))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    const listed = await asProducer.agreements.list({ status: 'active' })
    expect(listed).toMatchObject({ object: 'list', next_cursor: null })
    expect(listed.data.map((a) => a.id)).toEqual([draft.id])
    // A second agreement between the same two while one is in force: amend that one.
    expect(
      await apiError(asProducer.agreements.create({ counterparty_id: venue.id, terms })),
    ).toMatchObject({ status: 409, code: 'agreement_exists' })
  })

  it('amends by a new version both accept, then terminates, keeping every version on record', async () => {
    const { id, asProducer, asVenue } = await inForce()
    expect(await apiError(asProducer.agreements.updateDraft(id, { terms }))).toMatchObject({
      status: 409,
      code: 'agreement_in_force',
      errors: [{ path: 'terms' }],
    })
    const raised = { ...terms, commission: { kind: 'percent' as const, bps: 2_500 } }
    const amended = await asVenue.agreements.amend(id, { terms: raised, note: 'sewa naik' })
    expect(amended).toMatchObject({ status: 'active', active_version: 1, latest_version: 2 })
    expect(amended.versions.map((v) => [v.version, v.state])).toEqual([
      [1, 'accepted'],
      [2, 'draft'],
    ])
    expect(amended.versions[1]).toMatchObject({
      note: 'sewa naik',
      terms: { commission: { bps: 2_500 } },
    })
    // One amendment at a time.
    expect(await apiError(asProducer.agreements.amend(id, { terms }))).toMatchObject({
      status: 409,
      code: 'agreement_version_open',
    })
    const sent = await asVenue.agreements.send(id)
    const v2 = sent.versions.find((v) => v.version === 2)!
    expect(v2.state).toBe('proposed')
    // Version 1 is still what sales are made under until both accept version 2.
    expect((await asProducer.agreements.get(id)).active_version).toBe(1)
    for (const side of [asProducer, asVenue]) {
      await side.agreements.accept(id, { version: 2, terms_hash: v2.terms_hash })
    }
    const after = await asProducer.agreements.get(id)
    expect(after).toMatchObject({ status: 'active', active_version: 2, latest_version: 2 })
    expect((await asVenue.agreements.getVersion(id, 1)).state).toBe('superseded')
    expect((await asVenue.agreements.getVersion(id, 2)).terms.commission).toEqual({
      kind: 'percent',
      bps: 2_500,
    })

    expect(await apiError(asVenue.agreements.terminate(id, { reason: '   ' }))).toMatchObject({
      status: 422,
      code: 'validation_failed',
      errors: [{ path: 'reason' }],
    })
    const ended = await asVenue.agreements.terminate(id, { reason: 'kafe tutup' })
    expect(ended.agreement).toMatchObject({
      id,
      status: 'terminated',
      termination_reason: 'kafe tutup',
      terminated_at: expect.any(String),
    })
    // No stock at the venue: nothing to return.
    expect(ended.stock_return).toBeNull()
    expect((await asProducer.agreements.get(id)).status).toBe('terminated')
    expect(await apiError(asProducer.agreements.terminate(id, { reason: 'lagi' }))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })
    expect(await apiError(asProducer.agreements.amend(id, { terms }))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })
  })

  it('asks for the stock at the venue back when an agreement is terminated', async () => {
    const { producer, venue, agreementId, variantId } = await api.partnership()
    expect((await api.deliver(producer, venue, variantId, 4)).status).toBe(200)
    const ended = await api
      .clientFor(producer)
      .admin.agreements.terminate(agreementId, { reason: 'pindah lokasi' })
    expect(ended.agreement.status).toBe('terminated')
    expect(ended.stock_return).toMatchObject({
      venue_id: venue.id,
      producer_id: producer.id,
      status: 'requested',
      lines: [{ variant_id: variantId, quantity_requested: 4, quantity_confirmed: null }],
    })
    const returns = await api.clientFor(venue).admin.returns.get(ended.stock_return!.id)
    expect(returns.status).toBe('requested')
  })

  it('rejects a proposal (the other side) and withdraws one (its author)', async () => {
    const { producer, venue, asProducer, asVenue } = await pair()
    const draft = await asProducer.agreements.create({ counterparty_id: venue.id, terms })
    expect(draft.initiator_id).toBe(producer.id)
    expect(await apiError(asVenue.agreements.reject(draft.id, {}))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })
    await asProducer.agreements.send(draft.id)
    expect(await apiError(asProducer.agreements.reject(draft.id, {}))).toMatchObject({
      status: 403,
      code: 'forbidden',
    })
    expect(await apiError(asVenue.agreements.withdraw(draft.id))).toMatchObject({
      status: 403,
      code: 'forbidden',
    })
    expect(await apiError(asVenue.agreements.reject(draft.id, { version: 2 }))).toMatchObject({
      status: 409,
      code: 'agreement_version_stale',
      errors: [{ path: 'version' }],
    })
    const rejected = await asVenue.agreements.reject(draft.id, { version: 1 })
    expect(rejected.status).toBe('rejected')
    expect(rejected.versions[0]!.state).toBe('rejected')
    expect((await asProducer.agreements.get(draft.id)).status).toBe('rejected')
    expect(await apiError(asProducer.agreements.withdraw(draft.id))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })

    // A rejected agreement is closed: the two may start another, which its author withdraws.
    const second = await asVenue.agreements.create({ counterparty_id: producer.id, terms })
    expect(second.id).not.toBe(draft.id)
    await asVenue.agreements.send(second.id)
    const withdrawn = await asVenue.agreements.withdraw(second.id)
    expect(withdrawn.status).toBe('withdrawn')
    expect(withdrawn.versions[0]!.state).toBe('withdrawn')
    expect((await asProducer.agreements.getVersion(second.id, 1)).state).toBe('withdrawn')
    expect(await apiError(asVenue.agreements.send(second.id))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })
    expect(
      (await asProducer.agreements.list({ status: 'withdrawn' })).data.map((a) => a.id),
    ).toEqual([second.id])
  })

  it('withdraws an open amendment, leaving the version in force as it was', async () => {
    const { id, asProducer } = await inForce()
    await asProducer.agreements.amend(id, { terms: { ...terms, grace_days: 7 } })
    const withdrawn = await asProducer.agreements.withdraw(id)
    expect(withdrawn).toMatchObject({ status: 'active', active_version: 1, latest_version: 2 })
    expect(withdrawn.versions.map((v) => v.state)).toEqual(['accepted', 'withdrawn'])
  })

  it('keeps an agreement to its two parties: 404 for anyone else, whatever the method', async () => {
    const { id, asProducer } = await inForce()
    const hash = (await asProducer.agreements.getVersion(id, 1)).terms_hash
    const stranger = api.clientFor(await api.party('venue')).admin.agreements
    const calls: [string, () => Promise<unknown>][] = [
      ['get', () => stranger.get(id)],
      ['getVersion', () => stranger.getVersion(id, 1)],
      ['updateDraft', () => stranger.updateDraft(id, { terms })],
      ['send', () => stranger.send(id)],
      ['accept', () => stranger.accept(id, { version: 1, terms_hash: hash })],
      ['reject', () => stranger.reject(id, {})],
      ['withdraw', () => stranger.withdraw(id)],
      ['amend', () => stranger.amend(id, { terms })],
      ['terminate', () => stranger.terminate(id, { reason: 'bukan urusanmu' })],
    ]
    for (const [method, call] of calls) {
      expect(await apiError(call()), method).toMatchObject({ status: 404, code: 'not_found' })
    }
    expect((await stranger.list()).data).toEqual([])
    // Still in force, untouched.
    expect(await asProducer.agreements.get(id)).toMatchObject({
      status: 'active',
      active_version: 1,
    })
    // A malformed id is refused before any lookup.
    expect(await apiError(asProducer.agreements.get('not-an-id'))).toMatchObject({
      status: 422,
      code: 'validation_failed',
      errors: [{ path: 'id' }],
    })
  })

  it('refuses bad input with 422 naming the field, and staff keys with 403', async () => {
    const { asProducer } = await pair()
    const otherProducer = await api.party('producer')
    expect(
      await apiError(
        asProducer.agreements.create({
          counterparty_id: otherProducer.id,
          terms,
        }),
      ),
    ).toMatchObject({
      status: 422,
      code: 'wrong_party_kind',
      errors: [{ path: 'counterparty_id' }],
    })
    const venue = await api.party('venue')
    expect(
      await apiError(
        asProducer.agreements.create({
          counterparty_id: venue.id,
          terms: { ...terms, commission: { kind: 'percent', bps: 9_000 }, platform_fee_bps: 2_000 },
        }),
      ),
    ).toMatchObject({
      status: 422,
      code: 'validation_failed',
      errors: [{ path: 'terms.commission' }],
    })
    const staff = await api.party('producer', { role: 'staff' })
    expect(
      await apiError(
        api.clientFor(staff).admin.agreements.create({ counterparty_id: venue.id, terms }),
      ),
    ).toMatchObject({ status: 403, code: 'forbidden' })
    expect((await asProducer.agreements.list()).data).toEqual([])
  })

  it('replays a create sent twice with the same idempotency key', async () => {
    const { producer, asVenue } = await pair()
    const body = { counterparty_id: producer.id, terms }
    const first = await asVenue.agreements.create(body, { idempotencyKey: 'ajak-batik-1' })
    const again = await asVenue.agreements.create(body, { idempotencyKey: 'ajak-batik-1' })
    expect(again.id).toBe(first.id)
    expect((await asVenue.agreements.list()).data.map((a) => a.id)).toEqual([first.id])
  })

  it('lists agreements across pages with for await, oldest first, filtered by counterparty', async () => {
    const venue = await api.party('venue')
    const asVenue = api.clientFor(venue).admin
    const producers = await Promise.all(Array.from({ length: 5 }, () => api.party('producer')))
    const ids: string[] = []
    for (const producer of producers) {
      ids.push((await asVenue.agreements.create({ counterparty_id: producer.id, terms })).id)
    }
    const first = await asVenue.agreements.list({ limit: 2 })
    expect(first.data.map((a) => a.id)).toEqual(ids.slice(0, 2))
    expect(first.next_cursor).toEqual(expect.any(String))
    const seen: string[] = []
    for await (const agreement of asVenue.agreements.list({ limit: 2 })) {
      expect(agreement.venue_id).toBe(venue.id)
      seen.push(agreement.id)
    }
    expect(seen).toEqual(ids)
    expect(
      (await asVenue.agreements.list({ limit: 2, status: 'draft' }).toArray()).map((a) => a.id),
    ).toEqual(ids)
    const one = await asVenue.agreements.list({ counterparty_id: producers[3]!.id })
    expect(one.data.map((a) => a.id)).toEqual([ids[3]])
    expect(await apiError(asVenue.agreements.list({ cursor: 'nope' }))).toMatchObject({
      status: 422,
      code: 'invalid_cursor',
      errors: [{ path: 'cursor' }],
    })
  })
})
