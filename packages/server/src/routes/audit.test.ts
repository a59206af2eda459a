import { sampleTerms } from '@mitra/consignment/testing'
import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { type TestParty, useTestApi } from '../test-support.js'
import { recordPayoutNotification } from './audit.js'

type Event = {
  id: string
  party_id: string
  action: string
  actor: { kind: string; id: string | null; party_id: string | null }
  subject: { type: string; id: string }
  details: Record<string, unknown>
}

describe.each(testDatabaseKinds())('the audit log on %s', (kind) => {
  const api = useTestApi(kind)

  const keyIdOf = async (party: TestParty) => {
    const keys = await api.call('GET', '/v1/admin/api_keys', { token: party.secret })
    return keys.json.data.find((k: { kind: string }) => k.kind === 'secret').id as string
  }
  const eventsOf = async (party: TestParty, query = ''): Promise<Event[]> => {
    const answer = await api.call('GET', `/v1/admin/audit_events?limit=100${query}`, {
      token: party.secret,
    })
    expect(answer.status).toBe(200)
    return answer.json.data
  }

  it('records key creation, rotation and revocation in order, by the key that did them', async () => {
    const owner = await api.party()
    const actor = await keyIdOf(owner)
    const made = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'secret', name: 'till' },
    })
    const rotated = await api.call('POST', `/v1/admin/api_keys/${made.json.api_key.id}/rotate`, {
      token: owner.secret,
      body: { overlap_seconds: 60 },
    })
    await api.call('POST', `/v1/admin/api_keys/${rotated.json.api_key.id}/revoke`, {
      token: owner.secret,
    })
    // Revoking twice records nothing new.
    await api.call('POST', `/v1/admin/api_keys/${rotated.json.api_key.id}/revoke`, {
      token: owner.secret,
    })
    const events = await eventsOf(owner)
    expect(events.map((e) => e.action)).toEqual([
      'api_key.revoked',
      'api_key.rotated',
      'api_key.created',
    ])
    for (const event of events) {
      expect(event.actor).toEqual({ kind: 'api_key', id: actor, party_id: owner.id })
      expect(event.party_id).toBe(owner.id)
    }
    expect(events[1]).toMatchObject({
      subject: { type: 'api_key', id: made.json.api_key.id },
      details: { replaced_by: rotated.json.api_key.id, overlap_seconds: 60, name: 'till' },
    })
    // Filters and pages.
    const rotations = await eventsOf(owner, '&action=api_key.rotated')
    expect(rotations.map((e) => e.action)).toEqual(['api_key.rotated'])
    const ofKey = await eventsOf(owner, `&subject_id=${made.json.api_key.id}`)
    expect(ofKey.map((e) => e.action)).toEqual(['api_key.rotated', 'api_key.created'])
    const first = await api.call('GET', '/v1/admin/audit_events?limit=2', { token: owner.secret })
    expect(first.json.data).toHaveLength(2)
    const second = await api.call(
      'GET',
      `/v1/admin/audit_events?limit=2&cursor=${first.json.next_cursor}`,
      { token: owner.secret },
    )
    expect(second.json.data.map((e: Event) => e.action)).toEqual(['api_key.created'])
    expect(second.json.next_cursor).toBeNull()
    const bad = await api.call('GET', '/v1/admin/audit_events?cursor=key_x', {
      token: owner.secret,
    })
    expect(bad.status).toBe(422)
    expect(bad.json.errors[0].path).toBe('cursor')
    // Another party sees none of it, even asking for the subject by id.
    const stranger = await api.party()
    expect(await eventsOf(stranger, `&subject_id=${made.json.api_key.id}`)).toEqual([])
  })

  it('records terms actions under both parties, prices, and stock corrections, with the actor', async () => {
    const { producer, venue, agreementId, variantId } = await api.partnership()
    const [producerKey, venueKey] = [await keyIdOf(producer), await keyIdOf(venue)]
    const ofAgreement = await eventsOf(producer, `&subject_id=${agreementId}`)
    expect(ofAgreement.map((e) => [e.action, e.actor.id])).toEqual([
      ['agreement.accepted', venueKey],
      ['agreement.accepted', producerKey],
      ['agreement.sent', venueKey],
      ['agreement.proposed', venueKey],
    ])
    const venueSide = await eventsOf(venue, `&subject_id=${agreementId}`)
    expect(venueSide.map((e) => e.action)).toEqual(ofAgreement.map((e) => e.action))
    expect(ofAgreement[0]?.details).toMatchObject({ status_before: 'proposed', status: 'active' })

    // A price: set with the product, changed later (before and after), unchanged: nothing.
    const setWithProduct = await eventsOf(producer, `&subject_id=${variantId}`)
    expect(setWithProduct.map((e) => e.action)).toEqual(['variant.price_set'])
    await api.call('PATCH', `/v1/admin/variants/${variantId}`, {
      token: producer.secret,
      body: { price: { amount: 17_500, currency: 'IDR' } },
    })
    await api.call('PATCH', `/v1/admin/variants/${variantId}`, {
      token: producer.secret,
      body: { price: { amount: 17_500, currency: 'IDR' } },
    })
    const prices = await eventsOf(producer, '&action=variant.price_changed')
    expect(prices).toHaveLength(1)
    expect(prices[0]).toMatchObject({
      actor: { kind: 'api_key', id: producerKey, party_id: producer.id },
      subject: { type: 'variant', id: variantId },
      details: {
        before: { amount: 15_000, currency: 'IDR' },
        after: { amount: 17_500, currency: 'IDR' },
      },
    })
    // A refused change (another producer's variant) records nothing.
    const other = await api.party('producer')
    const refused = await api.call('PATCH', `/v1/admin/variants/${variantId}`, {
      token: other.secret,
      body: { price: { amount: 1, currency: 'IDR' } },
    })
    expect(refused.status).toBe(404)
    expect(await eventsOf(other)).toEqual([])

    // Stock corrections: a count with a difference, and a write-off, under venue and producer.
    await api.deliver(producer, venue, variantId, 5)
    const count = await api.call('POST', '/v1/admin/counts', {
      token: venue.secret,
      body: {
        venue_id: venue.id,
        reason: 'stok opname',
        lines: [{ variant_id: variantId, counted: 4 }],
      },
    })
    expect(count.status).toBe(201)
    const writeOff = await api.call('POST', '/v1/admin/write_offs', {
      token: venue.secret,
      body: {
        venue_id: venue.id,
        kind: 'damage',
        reason: 'jatuh',
        lines: [{ variant_id: variantId, quantity: 1 }],
      },
    })
    expect(writeOff.status).toBe(201)
    for (const side of [producer, venue]) {
      const counted = await eventsOf(side, '&action=stock.counted')
      expect(counted).toHaveLength(1)
      expect(counted[0]).toMatchObject({
        actor: { id: venueKey, party_id: venue.id },
        subject: { type: 'stock_count', id: count.json.id },
      })
      const written = await eventsOf(side, '&action=stock.written_off')
      expect(written).toHaveLength(1)
      expect(written[0]).toMatchObject({
        actor: { id: venueKey },
        details: { variant_id: variantId, quantity: 1, kind: 'damage' },
      })
    }
    expect(await eventsOf(other)).toEqual([])

    // Amend, send, reject; amend again, withdraw; end: each under both sides, by who did it.
    const amend = () =>
      api.call('POST', `/v1/admin/agreements/${agreementId}/amendments`, {
        token: venue.secret,
        body: { terms: { ...sampleTerms, commission: { kind: 'percent', bps: 2500 } } },
      })
    expect((await amend()).status).toBe(200)
    await api.call('POST', `/v1/admin/agreements/${agreementId}/send`, { token: venue.secret })
    const rejected = await api.call('POST', `/v1/admin/agreements/${agreementId}/reject`, {
      token: producer.secret,
      body: {},
    })
    expect(rejected.status).toBe(200)
    expect((await amend()).status).toBe(200)
    const withdrawn = await api.call('POST', `/v1/admin/agreements/${agreementId}/withdraw`, {
      token: venue.secret,
    })
    expect(withdrawn.status).toBe(200)
    const ended = await api.call('POST', `/v1/admin/agreements/${agreementId}/terminate`, {
      token: producer.secret,
      body: { reason: 'pindah galeri' },
    })
    expect(ended.status).toBe(200)
    const expected = [
      ['agreement.ended', producerKey],
      ['agreement.withdrawn', venueKey],
      ['agreement.amendment_proposed', venueKey],
      ['agreement.rejected', producerKey],
      ['agreement.sent', venueKey],
      ['agreement.amendment_proposed', venueKey],
    ]
    for (const side of [producer, venue]) {
      const terms = (await eventsOf(side, `&subject_id=${agreementId}`)).slice(0, 6)
      expect(terms.map((e) => [e.action, e.actor.id])).toEqual(expected)
    }
    expect(await eventsOf(other)).toEqual([])
  })

  it('records payouts: created and paid, under the party paid and the platform', async () => {
    const { producer, venue, variantId } = await api.partnership({
      title: 'Batik tulis',
      category: 'batik',
      sku: 'BT-9',
      price: 150_000,
    })
    await api.deliver(producer, venue, variantId, 2)
    await api.call('POST', '/v1/admin/sales', {
      token: venue.secret,
      body: {
        venue_id: venue.id,
        receipt_number: 'NOTA-9',
        channel: 'cash',
        lines: [{ variant_id: variantId, quantity: 1 }],
      },
    })
    const platform = await api.party('platform')
    const platformKey = await keyIdOf(platform)
    const settled = await api.call('POST', '/v1/admin/settlements', {
      token: platform.secret,
      body: { minimum: 1 },
    })
    const due = (
      await api.call('GET', '/v1/admin/remittances?direction=from&status=due', {
        token: venue.secret,
      })
    ).json.data.find((r: { id: string }) => settled.json.remittance_ids.includes(r.id))
    await api.call('POST', `/v1/admin/remittances/${due.id}/record`, {
      token: venue.secret,
      body: { method: 'transfer', reference: 'BCA 1' },
    })
    await api.call('POST', `/v1/admin/remittances/${due.id}/confirm`, { token: platform.secret })
    const payout = await api.call('POST', '/v1/admin/payouts', {
      token: platform.secret,
      body: { party_id: producer.id },
    })
    expect(payout.status).toBe(201)
    await api.call('PUT', '/v1/admin/payout_destination', {
      token: producer.secret,
      body: { method: 'manual', is_default: true, note: 'Tunai' },
    })
    const paid = await api.call('POST', `/v1/admin/payouts/${payout.json.id}/manual`, {
      token: platform.secret,
      body: { reference: 'BCA 2' },
    })
    expect(paid.status).toBe(200)
    for (const side of [producer, platform]) {
      const events = await eventsOf(side, `&subject_id=${payout.json.id}`)
      expect(events.map((e) => e.action)).toEqual(['payout.paid_manually', 'payout.created'])
      for (const event of events) {
        expect(event.actor).toEqual({ kind: 'api_key', id: platformKey, party_id: platform.id })
      }
    }
    expect(await eventsOf(venue, `&subject_id=${payout.json.id}`)).toEqual([])

    // A provider's notification that the payout failed is the system's doing; a repeated
    // one (not applied again) records nothing.
    const execution = {
      payoutId: payout.json.id,
      partyId: producer.id,
      method: 'midtrans_iris' as const,
      amount: { amount: 120_000, currency: 'IDR' },
      status: 'failed' as const,
      providerReference: 'iris-77',
      failureReason: 'account closed',
    } as unknown as Parameters<typeof recordPayoutNotification>[1]['execution']
    const { db } = api.database()
    await recordPayoutNotification(db, { applied: true, outcome: 'failed', execution })
    await recordPayoutNotification(db, { applied: false, outcome: 'failed', execution })
    const failed = await eventsOf(producer, '&action=payout.failed')
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({
      actor: { kind: 'system', id: null, party_id: null },
      subject: { type: 'payout', id: payout.json.id },
      details: { failure_reason: 'account closed', provider_reference: 'iris-77' },
    })
    expect(await eventsOf(venue, '&action=payout.failed')).toEqual([])
  })
})
