import { newId } from '@mitra/core'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import {
  addClusterMember,
  clustersOf,
  createParty,
  getParty,
  listClusterMembers,
  listParties,
  removeClusterMember,
  updateParty,
} from './parties.js'
import { expectMitraError, party, uniqueSlug } from './testing.js'

describe.each(testDatabaseKinds())('parties on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('creates, reads and updates a party with its profile', async () => {
    const { db } = database()
    const created = await createParty(db, {
      kind: 'producer',
      name: '  Madu Gemawang  ',
      slug: uniqueSlug('madu-gemawang'),
      profile: {
        description: { id: 'Madu hutan dari lereng Gunung Kelir', en: 'Forest honey' },
        origin: { village: 'Gemawang', regency: 'Kabupaten Semarang', province: 'Jawa Tengah' },
        website: 'https://madu.example.id',
        phone: '+62 812 3456 7890',
      },
    })
    expect(created.id).toMatch(/^pty_/)
    expect(created.name).toBe('Madu Gemawang')
    expect(created.profile?.origin?.village).toBe('Gemawang')
    expect(await getParty(db, created.id)).toEqual(created)

    const owner = { partyId: created.id, role: 'owner' as const }
    const renamed = await updateParty(db, owner, created.id, { name: 'Madu Kelir' })
    expect(renamed.name).toBe('Madu Kelir')
    expect(renamed.slug).toBe(created.slug)
    expect(renamed.profile).toEqual(created.profile)

    const reprofiled = await updateParty(db, owner, created.id, { profile: { email: 'a@b.id' } })
    expect(reprofiled.profile).toEqual({ email: 'a@b.id' })
    const cleared = await updateParty(db, owner, created.id, { profile: null })
    expect(cleared.profile).toBeNull()
    expect((await getParty(db, created.id)).profile).toBeNull()
  })

  it('refuses a taken slug with 409 naming slug, on create and update', async () => {
    const { db } = database()
    const slug = uniqueSlug('kafe-banaran')
    await createParty(db, { kind: 'venue', name: 'Kafe Banaran 9', slug })
    await expectMitraError(createParty(db, { kind: 'venue', name: 'Other', slug }), {
      code: 'conflict',
      status: 409,
      path: 'slug',
    })
    const other = await party(db, 'venue')
    await expectMitraError(
      updateParty(db, { partyId: other.id, role: 'owner' }, other.id, { slug }),
      { code: 'conflict', status: 409, path: 'slug' },
    )
  })

  it('rejects bad input with 422 naming the field, and unknown fields', async () => {
    const { db } = database()
    await expectMitraError(createParty(db, { kind: 'producer', name: 'X', slug: 'Not A Slug' }), {
      code: 'validation_failed',
      status: 422,
      path: 'slug',
    })
    await expectMitraError(
      createParty(db, { kind: 'shop' as 'venue', name: 'X', slug: uniqueSlug('x') }),
      { code: 'validation_failed', status: 422, path: 'kind' },
    )
    await expectMitraError(createParty(db, { kind: 'venue', name: '   ', slug: uniqueSlug('x') }), {
      code: 'validation_failed',
      status: 422,
      path: 'name',
    })
    await expectMitraError(
      createParty(db, {
        kind: 'venue',
        name: 'Galeri',
        slug: uniqueSlug('galeri'),
        owner: 'me',
      } as never),
      { code: 'validation_failed', status: 422 },
    )
    await expectMitraError(
      createParty(db, {
        kind: 'venue',
        name: 'Galeri',
        slug: uniqueSlug('galeri'),
        profile: { website: 'javascript:alert(1)' },
      }),
      { code: 'validation_failed', status: 422, path: 'profile.website' },
    )
  })

  it("hides other parties from updates and needs the owner's role", async () => {
    const { db } = database()
    const mine = await party(db, 'producer')
    const theirs = await party(db, 'producer')
    await expectMitraError(
      updateParty(db, { partyId: mine.id, role: 'owner' }, theirs.id, { name: 'Mine now' }),
      { code: 'not_found', status: 404 },
    )
    await expectMitraError(
      updateParty(db, { partyId: mine.id, role: 'staff' }, mine.id, { name: 'Renamed' }),
      { code: 'forbidden', status: 403 },
    )
    expect((await getParty(db, theirs.id)).name).toBe(theirs.name)
    await expectMitraError(getParty(db, newId('pty')), { code: 'not_found', status: 404 })
  })

  it('lists parties by kind, page by page', async () => {
    const { db } = database()
    const venues = []
    for (let i = 0; i < 7; i++) venues.push(await party(db, 'venue', `Galeri ${i}`))
    await party(db, 'buyer')
    const seen: string[] = []
    let cursor: string | undefined
    for (;;) {
      const page = await listParties(db, { kind: 'venue', limit: 3, cursor })
      expect(page.data.length).toBeLessThanOrEqual(3)
      for (const p of page.data) expect(p.kind).toBe('venue')
      seen.push(...page.data.map((p) => p.id))
      if (page.next_cursor === null) break
      cursor = page.next_cursor
    }
    expect(new Set(seen).size).toBe(seen.length)
    for (const venue of venues) expect(seen).toContain(venue.id)
    expect(seen).toEqual([...seen].sort())
    await expectMitraError(listParties(db, { cursor: 'nonsense!' }), {
      code: 'invalid_cursor',
      status: 422,
      path: 'cursor',
    })
    await expectMitraError(listParties(db, { limit: 0 }), {
      code: 'validation_failed',
      status: 422,
      path: 'limit',
    })
    await expectMitraError(listParties(db, { limit: 101 }), {
      code: 'validation_failed',
      status: 422,
      path: 'limit',
    })
  })

  it('groups producers in clusters, idempotently, checking kinds', async () => {
    const { db } = database()
    const cluster = await party(db, 'cluster', 'Klaster Gemawang')
    const batik = await party(db, 'producer', 'Batik')
    const madu = await party(db, 'producer', 'Madu')
    const venue = await party(db, 'venue', 'Galeri Gemawangi')

    const first = await addClusterMember(db, cluster.id, batik.id)
    const again = await addClusterMember(db, cluster.id, batik.id)
    expect(again).toEqual(first)
    await addClusterMember(db, cluster.id, madu.id)
    expect((await listClusterMembers(db, cluster.id)).map((p) => p.id)).toEqual([batik.id, madu.id])
    expect((await clustersOf(db, batik.id)).map((p) => p.id)).toEqual([cluster.id])

    await expectMitraError(addClusterMember(db, venue.id, batik.id), {
      code: 'wrong_party_kind',
      status: 422,
      path: 'cluster_id',
    })
    await expectMitraError(addClusterMember(db, cluster.id, venue.id), {
      code: 'wrong_party_kind',
      status: 422,
      path: 'producer_id',
    })
    await expectMitraError(addClusterMember(db, cluster.id, newId('pty')), {
      code: 'not_found',
      status: 404,
      path: 'producer_id',
    })
    await expectMitraError(listClusterMembers(db, batik.id), {
      code: 'wrong_party_kind',
      status: 422,
    })

    expect(await removeClusterMember(db, cluster.id, batik.id)).toBe(true)
    expect(await removeClusterMember(db, cluster.id, batik.id)).toBe(false)
    expect((await listClusterMembers(db, cluster.id)).map((p) => p.id)).toEqual([madu.id])
    expect(await clustersOf(db, batik.id)).toEqual([])
  })
})
