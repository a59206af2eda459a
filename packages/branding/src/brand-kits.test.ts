import { isMitraError, type MitraError, newId } from '@mitra/core'
import { clusterMembers, type Executor, mediaAssets, parties } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { attribution } from './attribution.js'
import {
  getBrandKit,
  getBrandKitBySlug,
  presentationBrand,
  presentationBrands,
  saveBrandKit,
} from './brand-kits.js'
import { uploadMedia } from './media.js'
import { MemoryImageStore } from './store.js'
import { makeSolid, sampleKit } from './test-support.js'
import { themeTokens } from './theme.js'

async function refusal(promise: Promise<unknown>): Promise<MitraError> {
  try {
    await promise
  } catch (error) {
    if (isMitraError(error)) return error
    throw error
  }
  throw new Error('expected a MitraError')
}

async function party(db: Executor, kind: 'producer' | 'cluster' | 'venue', name: string = kind) {
  const id = newId('pty')
  await db.insert(parties).values({ id, kind, name, slug: `kit-${kind}-${id.slice(-10)}` })
  return id
}

/** A kit with its own slug, so tests in one database do not collide unless they mean to. */
function kitFor(slug: string, overrides: Record<string, unknown> = {}) {
  return sampleKit({ slug, ...overrides })
}

describe.each(testDatabaseKinds())('brand kits on %s', (kind) => {
  const database = useTestDatabase(kind)
  const store = new MemoryImageStore()
  let logo: Buffer

  beforeAll(async () => {
    logo = await makeSolid(240, 240, '#1f3a5f', 'png', 0.8)
  })

  it('creates a kit, then bumps its version on every save', async () => {
    const { db } = database()
    const producer = await party(db, 'producer')
    const first = await saveBrandKit(db, producer, kitFor('batik-gemawangi'))
    expect(first).toMatchObject({
      object: 'brand_kit',
      party_id: producer,
      name: 'Batik Gemawangi',
      slug: 'batik-gemawangi',
      version: 1,
      logo_media_id: null,
    })
    expect(first.id).toMatch(/^brand_[0-9a-z]{26}$/)
    expect(first.palette.primary).toBe('#1f3a5f')
    expect(first.social.instagram).toBe('batikgemawangi')
    expect(first.certifications[0]?.number).toBe('206337401020024')

    const second = await saveBrandKit(
      db,
      producer,
      kitFor('batik-gemawangi-asli', { tagline: { id: 'Baru' } }),
    )
    expect(second.id).toBe(first.id)
    expect(second.version).toBe(2)
    expect(second.slug).toBe('batik-gemawangi-asli')
    expect(second.tagline).toEqual({ id: 'Baru', en: '' })
    expect(await getBrandKit(db, producer)).toEqual(second)
    expect(await getBrandKitBySlug(db, 'batik-gemawangi-asli')).toEqual(second)
    // The old slug is free again.
    expect((await refusal(getBrandKitBySlug(db, 'batik-gemawangi'))).code).toBe('not_found')
    // The kit renders to theme tokens as it is.
    expect(themeTokens(second)['--mitra-color-primary']).toBe('#1f3a5f')
  })

  it('refuses a slug another party holds (409 naming slug)', async () => {
    const { db } = database()
    const a = await party(db, 'producer')
    const b = await party(db, 'producer')
    await saveBrandKit(db, a, kitFor('madu-sumbing'))
    const error = await refusal(saveBrandKit(db, b, kitFor('madu-sumbing')))
    expect(error.code).toBe('conflict')
    expect(error.status).toBe(409)
    expect(error.errors).toEqual([expect.objectContaining({ path: 'slug', code: 'slug_taken' })])
    expect((await refusal(getBrandKit(db, b))).code).toBe('not_found')
    // Saving again under one's own slug is not a conflict.
    expect((await saveBrandKit(db, a, kitFor('madu-sumbing'))).version).toBe(2)
  })

  it('settles two parties racing for one slug: one wins, one gets 409', async () => {
    const { db } = database()
    const racers = await Promise.all([party(db, 'producer'), party(db, 'producer')])
    const results = await Promise.allSettled(
      racers.map((id) => saveBrandKit(db, id, kitFor('topeng-bobung'))),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(isMitraError(lost.reason) && lost.reason.code).toBe('conflict')
  })

  it("takes the party's own logo, and refuses another party's (422 naming logo_media_id)", async () => {
    const { db } = database()
    const producer = await party(db, 'producer')
    const stranger = await party(db, 'producer')
    const own = await uploadMedia(db, store, producer, logo)
    const theirs = await uploadMedia(db, store, stranger, await makeSolid(50, 50, '#aa0000'))
    const kit = await saveBrandKit(db, producer, kitFor('ape-gemawang', { logo_media_id: own.id }))
    expect(kit.logo_media_id).toBe(own.id)

    for (const logoId of [theirs.id, newId('med')]) {
      const error = await refusal(
        saveBrandKit(db, producer, kitFor('ape-gemawang', { logo_media_id: logoId })),
      )
      expect(error.code).toBe('validation_failed')
      expect(error.errors[0]).toMatchObject({ path: 'logo_media_id', code: 'unknown_media' })
    }
    expect((await getBrandKit(db, producer)).version).toBe(1)
    // Removing the logo is a save like any other.
    const cleared = await saveBrandKit(
      db,
      producer,
      kitFor('ape-gemawang', { logo_media_id: null }),
    )
    expect(cleared).toMatchObject({ logo_media_id: null, version: 2 })
  })

  it('validates before touching the database', async () => {
    const { db } = database()
    const producer = await party(db, 'producer')
    const contrast = await refusal(
      saveBrandKit(
        db,
        producer,
        kitFor('pasta-indigo', {
          palette: { ...(sampleKit().palette as object), on_primary: '#2a4a70' },
        }),
      ),
    )
    expect(contrast.code).toBe('palette_contrast')
    expect(contrast.errors[0]?.path).toBe('palette.on_primary')
    expect(contrast.errors[0]?.message).toMatch(/\d\.\d\d:1, needs 4\.5:1/)
    const unknown = await refusal(saveBrandKit(db, producer, kitFor('pasta-indigo', { extra: 1 })))
    expect(unknown.code).toBe('validation_failed')
    expect((await refusal(getBrandKit(db, producer))).code).toBe('not_found')
  })

  it('gives kits to producers and clusters only', async () => {
    const { db } = database()
    const venue = await party(db, 'venue', 'Kafe Banaran 9')
    const wrong = await refusal(saveBrandKit(db, venue, kitFor('kafe-banaran')))
    expect(wrong.code).toBe('wrong_party_kind')
    const ghost = await refusal(saveBrandKit(db, newId('pty'), kitFor('hantu')))
    expect(ghost.code).toBe('not_found')
  })

  it("keeps each party's kit to itself: another party's kit is a 404", async () => {
    const { db } = database()
    const owner = await party(db, 'producer')
    const other = await party(db, 'producer')
    await saveBrandKit(db, owner, kitFor('garmen-gemawang'))
    expect((await refusal(getBrandKit(db, other))).status).toBe(404)
    expect((await getBrandKit(db, owner)).party_id).toBe(owner)
  })

  it("presents a producer's brand beside its clusters' village marks", async () => {
    const { db } = database()
    const producer = await party(db, 'producer', 'Kelompok Batik')
    const village = await party(db, 'cluster', 'Desa Vokasi Gemawang')
    const cooperative = await party(db, 'cluster', 'Koperasi Tanpa Kit')
    const unrelated = await party(db, 'cluster', 'Klaster Lain')
    await db.insert(clusterMembers).values([
      { clusterId: village, producerId: producer, joinedAt: new Date('2024-01-01T00:00:00Z') },
      { clusterId: cooperative, producerId: producer, joinedAt: new Date('2024-02-01T00:00:00Z') },
    ])

    // Before it has a kit, the producer still presents (with its clusters' marks).
    const villageLogo = await uploadMedia(db, store, village, logo)
    await saveBrandKit(
      db,
      village,
      kitFor('desa-vokasi-gemawang', {
        name: 'Desa Vokasi Gemawang',
        logo_media_id: villageLogo.id,
      }),
    )
    await saveBrandKit(db, unrelated, kitFor('klaster-lain', { name: 'Klaster Lain' }))
    const early = await presentationBrand(db, producer)
    expect(early.brand).toBeNull()
    expect(early.clusters.map((k) => k.slug)).toEqual(['desa-vokasi-gemawang'])
    expect(early.clusters[0]?.logo?.id).toBe(villageLogo.id)

    await saveBrandKit(db, producer, kitFor('batik-kelompok'))
    const shown = await presentationBrand(db, producer)
    expect(shown.producer).toMatchObject({ id: producer, name: 'Kelompok Batik' })
    expect(shown.brand?.slug).toBe('batik-kelompok')
    expect(shown.brand?.logo).toBeNull()
    expect(shown.clusters.map((k) => k.name)).toEqual(['Desa Vokasi Gemawang'])

    const line = attribution(
      {
        brand: shown.brand!.name,
        village: shown.brand!.origin.village,
        cluster: shown.clusters[0]?.name,
        venue: 'Kafe Banaran 9',
      },
      'en',
    )
    expect(line.maker).toBe('by Batik Gemawangi · Gemawang · Desa Vokasi Gemawang')
    expect(line.soldAt).toBe('sold at Kafe Banaran 9')

    // Deleting the logo's asset unsets it on the kit.
    await db.delete(mediaAssets).where(eq(mediaAssets.id, villageLogo.id))
    expect((await presentationBrand(db, producer)).clusters[0]?.logo).toBeNull()
    expect((await getBrandKit(db, village)).logo_media_id).toBeNull()

    for (const notProducer of [village, newId('pty')]) {
      expect((await refusal(presentationBrand(db, notProducer))).code).toBe('not_found')
    }
  })

  it('presents many producers at once, each with only its own kit and clusters', async () => {
    const { db } = database()
    const member = await party(db, 'producer', 'Kelompok Madu')
    const loner = await party(db, 'producer', 'Kelompok Topeng')
    const village = await party(db, 'cluster', 'Desa Madu')
    await db.insert(clusterMembers).values({ clusterId: village, producerId: member })
    await saveBrandKit(db, village, kitFor('desa-madu-kelompok', { name: 'Desa Madu' }))
    await saveBrandKit(db, loner, kitFor('topeng-kelompok', { name: 'Topeng Kelompok' }))

    const shown = await presentationBrands(db, [member, loner, member, village, newId('pty')])
    expect([...shown.keys()].sort()).toEqual([member, loner].sort())
    expect(shown.get(member)?.brand).toBeNull()
    expect(shown.get(member)?.clusters.map((k) => k.slug)).toEqual(['desa-madu-kelompok'])
    expect(shown.get(loner)?.brand?.slug).toBe('topeng-kelompok')
    expect(shown.get(loner)?.clusters).toEqual([])
    expect(await presentationBrands(db, [])).toEqual(new Map())
  })
})
