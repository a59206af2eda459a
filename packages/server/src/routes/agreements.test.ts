import { sampleTerms } from '@mitra/consignment/testing'
import { newId } from '@mitra/core'
import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { type TestParty, useTestApi } from '../test-support.js'

describe.each(testDatabaseKinds())('agreement routes on %s', (kind) => {
  const api = useTestApi(kind)

  async function activeAgreement(producer: TestParty, venue: TestParty) {
    const drafted = await api.call('POST', '/v1/admin/agreements', {
      token: producer.secret,
      body: { counterparty_id: venue.id, terms: sampleTerms, note: 'Batik di kafe' },
    })
    expect(drafted.status).toBe(201)
    const id = drafted.json.id
    const sent = await api.call('POST', `/v1/admin/agreements/${id}/send`, {
      token: producer.secret,
    })
    const v1 = sent.json.versions[0]
    expect(v1.state).toBe('proposed')
    for (const side of [venue, producer]) {
      const accepted = await api.call('POST', `/v1/admin/agreements/${id}/accept`, {
        token: side.secret,
        body: { version: 1, terms_hash: v1.terms_hash },
      })
      expect(accepted.status).toBe(200)
    }
    return id as string
  }

  it('takes an agreement from draft to in force, accepted by both on the exact terms', async () => {
    const producer = await api.party('producer')
    const venue = await api.party('venue')
    const id = await activeAgreement(producer, venue)
    const seen = await api.call('GET', `/v1/admin/agreements/${id}`, { token: venue.secret })
    expect(seen.json.status).toBe('active')
    expect(seen.json.active_version).toBe(1)
    expect(
      (await api.call('GET', '/v1/admin/agreements?status=active', { token: producer.secret })).json
        .data,
    ).toHaveLength(1)
    const version = await api.call('GET', `/v1/admin/agreements/${id}/versions/1`, {
      token: producer.secret,
    })
    expect(version.json.terms.commission).toEqual({ kind: 'percent', bps: 2000 })
  })

  it('amends by a new version both accept, keeping the old one on record', async () => {
    const producer = await api.party('producer')
    const venue = await api.party('venue')
    const id = await activeAgreement(producer, venue)
    const inForce = await api.call('PUT', `/v1/admin/agreements/${id}/draft`, {
      token: producer.secret,
      body: { terms: { ...sampleTerms, consignment_days: 30 } },
    })
    expect(inForce.status).toBe(409)
    const amended = await api.call('POST', `/v1/admin/agreements/${id}/amendments`, {
      token: venue.secret,
      body: {
        terms: { ...sampleTerms, commission: { kind: 'percent', bps: 2500 } },
        note: 'sewa naik',
      },
    })
    expect(amended.status).toBe(200)
    const sent = await api.call('POST', `/v1/admin/agreements/${id}/send`, { token: venue.secret })
    const v2 = sent.json.versions.find((v: { version: number }) => v.version === 2)
    const stale = await api.call('POST', `/v1/admin/agreements/${id}/accept`, {
      token: producer.secret,
      body: { version: 2, terms_hash: sent.json.versions[0].terms_hash },
    })
    expect(stale.status).toBe(409)
    for (const side of [producer, venue]) {
      await api.call('POST', `/v1/admin/agreements/${id}/accept`, {
        token: side.secret,
        body: { version: 2, terms_hash: v2.terms_hash },
      })
    }
    const after = await api.call('GET', `/v1/admin/agreements/${id}`, { token: producer.secret })
    expect(after.json.active_version).toBe(2)
    const states = after.json.versions.map((v: { state: string }) => v.state).sort()
    expect(states).toEqual(['accepted', 'superseded'])
    const terminated = await api.call('POST', `/v1/admin/agreements/${id}/terminate`, {
      token: venue.secret,
      body: { reason: 'kafe tutup' },
    })
    expect(terminated.json.agreement.status).toBe('terminated')
    expect(terminated.json.stock_return).toBeNull()
  })

  it('keeps agreements to their two parties, owners and valid terms', async () => {
    const producer = await api.party('producer')
    const venue = await api.party('venue')
    const stranger = await api.party('venue')
    const staff = await api.party('producer', { role: 'staff' })
    const id = await activeAgreement(producer, venue)
    expect(
      (await api.call('GET', `/v1/admin/agreements/${id}`, { token: stranger.secret })).status,
    ).toBe(404)
    expect(
      (
        await api.call('POST', `/v1/admin/agreements/${id}/terminate`, {
          token: stranger.secret,
          body: { reason: 'x' },
        })
      ).status,
    ).toBe(404)
    expect(
      (await api.call('GET', `/v1/admin/agreements/${newId('agr')}`, { token: producer.secret }))
        .status,
    ).toBe(404)
    const asStaff = await api.call('POST', '/v1/admin/agreements', {
      token: staff.secret,
      body: { counterparty_id: venue.id, terms: sampleTerms },
    })
    expect(asStaff.status).toBe(403)
    const badTerms = await api.call('POST', '/v1/admin/agreements', {
      token: producer.secret,
      body: { counterparty_id: stranger.id, terms: { ...sampleTerms, consignment_days: 0 } },
    })
    expect(badTerms.status).toBe(422)
    expect(badTerms.json.errors[0].path).toBe('terms.consignment_days')
    const wrongKind = await api.call('POST', '/v1/admin/agreements', {
      token: producer.secret,
      body: { counterparty_id: staff.id, terms: sampleTerms },
    })
    expect(wrongKind.status).toBe(422)
    expect(wrongKind.json.errors[0].path).toBe('counterparty_id')
  })

  it('lists partners in the directory and replays a proposal sent twice', async () => {
    const producer = await api.party('producer')
    const venue = await api.party('venue')
    const profile = await api.call('PUT', '/v1/admin/partner_profile', {
      token: venue.secret,
      body: {
        location: { village: 'Banaran', regency: 'Kabupaten Semarang', province: 'Jawa Tengah' },
        categories: ['batik', 'snacks'],
        seeking: {
          id: 'Mencari batik dan camilan lokal',
          en: 'Looking for local batik and snacks',
        },
      },
    })
    expect(profile.status).toBe(200)
    const found = await api.call(
      'GET',
      '/v1/admin/partners?kind=venue&category=batik&regency=Kab.%20Semarang',
      { token: producer.secret },
    )
    expect(found.json.data.map((p: { party: { id: string } }) => p.party.id)).toContain(venue.id)
    const request = {
      token: producer.secret,
      body: { counterparty_id: venue.id, terms: sampleTerms },
      idempotencyKey: 'ajak-kafe',
    }
    const first = await api.call('POST', '/v1/admin/agreements', request)
    const again = await api.call('POST', '/v1/admin/agreements', request)
    expect(again.json.id).toBe(first.json.id)
    expect(again.headers.get('Idempotent-Replayed')).toBe('true')
  })
})
