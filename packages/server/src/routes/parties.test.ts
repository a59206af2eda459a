import { newId } from '@mitra/core'
import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { useTestApi } from '../test-support.js'

describe.each(testDatabaseKinds())('party and user routes on %s', (kind) => {
  const api = useTestApi(kind)
  const slug = () => `p-${newId('pty').slice(-10)}`

  it('lets the platform onboard a party, whose first owner key then works', async () => {
    const platform = await api.party('platform')
    const body = { kind: 'producer', name: 'Batik Gemawangi', slug: slug() }
    const onboarded = await api.call('POST', '/v1/admin/parties', {
      token: platform.secret,
      body,
      idempotencyKey: 'onboard-1',
    })
    expect(onboarded.status).toBe(201)
    expect(onboarded.json.party).toMatchObject({ kind: 'producer', name: 'Batik Gemawangi' })
    const self = await api.call('GET', '/v1/admin/party', { token: onboarded.json.secret_key })
    expect(self.json.id).toBe(onboarded.json.party.id)
    const replay = await api.call('POST', '/v1/admin/parties', {
      token: platform.secret,
      body,
      idempotencyKey: 'onboard-1',
    })
    expect(replay.json.party.id).toBe(onboarded.json.party.id)
    const listed = await api.call('GET', '/v1/admin/parties?kind=producer&limit=100', {
      token: platform.secret,
    })
    expect(listed.json.data.map((p: { id: string }) => p.id)).toContain(onboarded.json.party.id)
    const one = await api.call('GET', `/v1/admin/parties/${onboarded.json.party.id}`, {
      token: platform.secret,
    })
    expect(one.status).toBe(200)
  })

  it('keeps onboarding to the platform operator and parties to themselves', async () => {
    const venue = await api.party('venue')
    const other = await api.party('producer')
    const attempt = await api.call('POST', '/v1/admin/parties', {
      token: venue.secret,
      body: { kind: 'venue', name: 'X', slug: slug() },
    })
    expect(attempt.status).toBe(403)
    expect((await api.call('GET', '/v1/admin/parties', { token: venue.secret })).status).toBe(403)
    expect(
      (await api.call('GET', `/v1/admin/parties/${other.id}`, { token: venue.secret })).status,
    ).toBe(404)
    expect(
      (await api.call('GET', `/v1/admin/parties/${venue.id}`, { token: venue.secret })).status,
    ).toBe(200)
  })

  it('lets an owner update the party, not staff; conflicts and bad fields are named', async () => {
    const owner = await api.party('producer')
    const staff = await api.party('producer', { role: 'staff' })
    const updated = await api.call('PATCH', '/v1/admin/party', {
      token: owner.secret,
      body: { name: 'Madu Gemawang', profile: { phone: '+62 812 3456 7890' } },
    })
    expect(updated.status).toBe(200)
    expect(updated.json.name).toBe('Madu Gemawang')
    expect(
      (await api.call('PATCH', '/v1/admin/party', { token: staff.secret, body: { name: 'x' } }))
        .status,
    ).toBe(403)
    const taken = (await api.call('GET', '/v1/admin/party', { token: staff.secret })).json.slug
    const conflict = await api.call('PATCH', '/v1/admin/party', {
      token: owner.secret,
      body: { slug: taken },
    })
    expect(conflict.status).toBe(409)
    expect(conflict.json.errors[0].path).toBe('slug')
    const bad = await api.call('PATCH', '/v1/admin/party', {
      token: owner.secret,
      body: { slug: 'Not Valid' },
    })
    expect(bad.status).toBe(422)
    expect(bad.json.errors[0].path).toBe('slug')
  })

  it('makes a cluster membership only with both sides, in either order', async () => {
    const cluster = await api.party('cluster')
    const producer = await api.party('producer')
    const asker = await api.party('producer')
    const memberIds = async () =>
      (await api.call('GET', '/v1/admin/cluster/members', { token: cluster.secret })).json.data.map(
        (p: { id: string }) => p.id,
      )
    // The cluster alone: an invitation, and the group's stock stays its own.
    const invited = await api.call('POST', '/v1/admin/cluster/members', {
      token: cluster.secret,
      body: { producer_id: producer.id },
    })
    expect(invited.status).toBe(202)
    expect(invited.json).toMatchObject({ status: 'invited', joined_at: null })
    expect(await memberIds()).toEqual([])
    const seen = await api.call('GET', '/v1/admin/cluster_requests', { token: producer.secret })
    expect(seen.json.data).toEqual([
      expect.objectContaining({ cluster_id: cluster.id, status: 'invited' }),
    ])
    const joined = await api.call('POST', `/v1/admin/clusters/${cluster.id}/join`, {
      token: producer.secret,
    })
    expect(joined.status).toBe(201)
    expect(joined.json.status).toBe('member')
    // The other order: the group asks, then the cluster agrees.
    const asked = await api.call('POST', `/v1/admin/clusters/${cluster.id}/join`, {
      token: asker.secret,
    })
    expect(asked.json.status).toBe('requested')
    expect(await memberIds()).toEqual([producer.id])
    const agreed = await api.call('POST', '/v1/admin/cluster/members', {
      token: cluster.secret,
      body: { producer_id: asker.id },
    })
    expect(agreed.status).toBe(201)
    expect(await memberIds()).toEqual([producer.id, asker.id])
    // A group leaves on its own.
    const left = await api.call('DELETE', `/v1/admin/clusters/${cluster.id}/membership`, {
      token: asker.secret,
    })
    expect(left.json.removed).toBe(true)
    expect(await memberIds()).toEqual([producer.id])
  })

  it('invites two ways at once into one membership', async () => {
    const cluster = await api.party('cluster')
    const producer = await api.party('producer')
    const [a, b] = await Promise.all([
      api.call('POST', '/v1/admin/cluster/members', {
        token: cluster.secret,
        body: { producer_id: producer.id },
      }),
      api.call('POST', `/v1/admin/clusters/${cluster.id}/join`, { token: producer.secret }),
    ])
    expect([a.json.status, b.json.status]).toContain('member')
    const members = await api.call('GET', '/v1/admin/cluster/members', { token: cluster.secret })
    expect(members.json.data.map((p: { id: string }) => p.id)).toEqual([producer.id])
    const open = await api.call('GET', '/v1/admin/cluster_requests', { token: cluster.secret })
    expect(open.json.data).toEqual([])
  })

  it('lets a cluster gather member producers, and only a cluster', async () => {
    const cluster = await api.party('cluster')
    const producer = await api.party('producer')
    const venue = await api.party('venue')
    await api.clusterMember(cluster, producer)
    const members = await api.call('GET', '/v1/admin/cluster/members', { token: cluster.secret })
    expect(members.json.data.map((p: { id: string }) => p.id)).toEqual([producer.id])
    const notProducer = await api.call('POST', '/v1/admin/cluster/members', {
      token: cluster.secret,
      body: { producer_id: venue.id },
    })
    expect(notProducer.status).toBe(422)
    expect(
      (
        await api.call('POST', '/v1/admin/cluster/members', {
          token: venue.secret,
          body: { producer_id: producer.id },
        })
      ).status,
    ).toBe(403)
    const removed = await api.call('DELETE', `/v1/admin/cluster/members/${producer.id}`, {
      token: cluster.secret,
    })
    expect(removed.json.removed).toBe(true)
  })

  it('adds people with roles, reusing a user across parties', async () => {
    const gallery = await api.party('venue')
    const cafe = await api.party('venue')
    const staff = await api.party('venue', { role: 'staff' })
    const person = { email: 'Sri@Example.id', name: 'Sri', role: 'staff' }
    const first = await api.call('POST', '/v1/admin/users', { token: gallery.secret, body: person })
    expect(first.status).toBe(201)
    const second = await api.call('POST', '/v1/admin/users', {
      token: cafe.secret,
      body: { ...person, email: 'sri@example.id', role: 'owner' },
    })
    expect(second.json.user.id).toBe(first.json.user.id)
    const again = await api.call('POST', '/v1/admin/users', { token: gallery.secret, body: person })
    expect(again.status).toBe(409)
    expect(again.json.errors.map((e: { path: string }) => e.path)).toEqual(['email'])
    const listed = await api.call('GET', '/v1/admin/users', { token: gallery.secret })
    expect(listed.json.data).toHaveLength(1)
    expect(listed.json.data[0].membership.role).toBe('staff')
    expect(
      (await api.call('POST', '/v1/admin/users', { token: staff.secret, body: person })).status,
    ).toBe(403)
    const badEmail = await api.call('POST', '/v1/admin/users', {
      token: gallery.secret,
      body: { ...person, email: 'nope' },
    })
    expect(badEmail.json.errors[0].path).toBe('email')
  })
})
