import { randomBytes } from 'node:crypto'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { getPartnerProfile, listPartners, upsertPartnerProfile } from './directory.js'
import { expectMitraError, party } from './testing.js'

/** A regency no other test uses, so listings filtered by it see this test's rows only. */
function regency(): string {
  return `Kabupaten Uji ${randomBytes(4).toString('hex')}`
}

describe.each(testDatabaseKinds())('partner directory on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('creates, reads and replaces a profile', async () => {
    const { db } = database()
    const venue = await party(db, 'venue', 'Kafe Banaran 9')
    const created = await upsertPartnerProfile(db, venue.owner, {
      location: {
        village: '  Banaran ',
        regency: 'Kabupaten Semarang',
        province: 'Jawa Tengah',
        address: 'Jl. Raya Semarang–Solo km 35',
      },
      categories: ['batik', 'snacks', 'batik'],
      seeking: { id: 'Batik dan camilan lokal untuk dijual di kafe', en: 'Local batik and snacks' },
    })
    expect(created).toMatchObject({
      party: { id: venue.party.id, kind: 'venue', name: 'Kafe Banaran 9' },
      location: { village: 'Banaran', regency: 'Kabupaten Semarang' },
      categories: ['batik', 'snacks'],
      listed: true,
    })
    expect(await getPartnerProfile(db, venue.party.id)).toEqual(created)

    const replaced = await upsertPartnerProfile(db, venue.owner, {
      location: { regency: 'Kabupaten Semarang' },
      categories: ['honey'],
      seeking: { en: 'Honey producers' },
      listed: false,
    })
    expect(replaced).toMatchObject({
      location: { regency: 'Kabupaten Semarang' },
      categories: ['honey'],
      seeking: { en: 'Honey producers' },
      listed: false,
    })
    expect(replaced.location.village).toBeUndefined()
    expect(replaced.created_at).toBe(created.created_at)
    // Unlisted: its own party still sees it, nobody else.
    expect(await getPartnerProfile(db, venue.party.id, venue.staff)).toEqual(replaced)
    await expectMitraError(getPartnerProfile(db, venue.party.id), {
      code: 'not_found',
      status: 404,
    })
  })

  it('only lets owners of producers and venues keep a profile', async () => {
    const { db } = database()
    const profile = { location: { regency: regency() }, seeking: { id: 'Mitra' } }
    const producer = await party(db, 'producer')
    await expectMitraError(upsertPartnerProfile(db, producer.staff, profile), {
      code: 'forbidden',
      status: 403,
    })
    const cluster = await party(db, 'cluster')
    await expectMitraError(upsertPartnerProfile(db, cluster.owner, profile), {
      code: 'forbidden',
      status: 403,
    })
    await expectMitraError(getPartnerProfile(db, producer.party.id), {
      code: 'not_found',
      status: 404,
    })
  })

  it('names invalid fields', async () => {
    const { db } = database()
    const producer = await party(db, 'producer')
    await expectMitraError(
      upsertPartnerProfile(db, producer.owner, {
        location: { regency: regency() },
        categories: ['spaceships' as 'batik'],
        seeking: { id: 'x' },
      }),
      { code: 'validation_failed', status: 422, path: 'categories.0' },
    )
    await expectMitraError(
      upsertPartnerProfile(db, producer.owner, {
        location: { regency: '  ' },
        seeking: { id: 'x' },
      }),
      { code: 'validation_failed', status: 422, path: 'location.regency' },
    )
    await expectMitraError(
      upsertPartnerProfile(db, producer.owner, {
        location: { regency: regency() },
        seeking: { id: ' ' },
      }),
      { code: 'validation_failed', status: 422, path: 'seeking' },
    )
    await expectMitraError(listPartners(db, { cursor: 'garbage!' }), {
      code: 'invalid_cursor',
      status: 422,
      path: 'cursor',
    })
  })

  it('lists listed partners by kind, category and regency, page by page', async () => {
    const { db } = database()
    const here = regency()
    const there = regency()
    const entries = [
      { kind: 'producer', categories: ['batik'], regency: here, listed: true },
      { kind: 'producer', categories: ['honey', 'snacks'], regency: here, listed: true },
      { kind: 'venue', categories: ['batik', 'snacks'], regency: here, listed: true },
      { kind: 'venue', categories: ['batik'], regency: there, listed: true },
      { kind: 'producer', categories: ['batik'], regency: here, listed: false },
      { kind: 'venue', categories: ['pottery'], regency: here, listed: true },
      { kind: 'producer', categories: ['batik', 'natural_dye'], regency: here, listed: true },
    ] as const
    const ids: string[] = []
    for (const entry of entries) {
      const member = await party(db, entry.kind)
      await upsertPartnerProfile(db, member.owner, {
        location: { regency: entry.regency, province: 'Jawa Tengah' },
        categories: [...entry.categories],
        seeking: { id: 'Mitra penjualan' },
        listed: entry.listed,
      })
      ids.push(member.party.id)
    }
    const idsOf = (page: { data: { party: { id: string } }[] }) => page.data.map((p) => p.party.id)

    expect(idsOf(await listPartners(db, { regency: here, limit: 100 }))).toEqual([
      ids[0],
      ids[1],
      ids[2],
      ids[5],
      ids[6],
    ])
    // "Kab." and "Kabupaten", any case and spacing, are the same regency.
    const abbreviated = here.replace('Kabupaten ', 'kab.  ').toUpperCase()
    expect(idsOf(await listPartners(db, { regency: abbreviated, limit: 100 }))).toHaveLength(5)
    expect(idsOf(await listPartners(db, { regency: here, kind: 'venue' }))).toEqual([
      ids[2],
      ids[5],
    ])
    expect(
      idsOf(await listPartners(db, { regency: here, kind: 'producer', category: 'batik' })),
    ).toEqual([ids[0], ids[6]])
    expect(idsOf(await listPartners(db, { regency: there, category: 'batik' }))).toEqual([ids[3]])

    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await listPartners(db, {
        regency: here,
        limit: 2,
        ...(cursor === undefined ? {} : { cursor }),
      })
      seen.push(...idsOf(page))
      cursor = page.next_cursor ?? undefined
      pages += 1
    } while (cursor !== undefined)
    expect(pages).toBe(3)
    expect(seen).toEqual([ids[0], ids[1], ids[2], ids[5], ids[6]])
  })
})
