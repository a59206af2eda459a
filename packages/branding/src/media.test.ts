import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isMitraError, type MitraError, newId } from '@mitra/core'
import { type Executor, mediaAssets, parties } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { getMedia, getMediaByIds, pictureSources, uploadMedia } from './media.js'
import { LocalDiskImageStore, MemoryImageStore } from './store.js'
import { makePhoto } from './test-support.js'

async function refusal(promise: Promise<unknown>): Promise<MitraError> {
  try {
    await promise
  } catch (error) {
    if (isMitraError(error)) return error
    throw error
  }
  throw new Error('expected a MitraError')
}

let counter = 0
async function party(db: Executor, kind: 'producer' | 'cluster' | 'venue' = 'producer') {
  const id = newId('pty')
  counter += 1
  await db
    .insert(parties)
    .values({ id, kind, name: `Pihak ${counter}`, slug: `media-${kind}-${id.slice(-8)}` })
  return id
}

describe.each(testDatabaseKinds())('media on %s', (kind) => {
  const database = useTestDatabase(kind)
  let photo: Buffer
  let store: LocalDiskImageStore

  beforeAll(async () => {
    photo = await makePhoto(1200, 800, {
      exif: { IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '7/1 10/1 0/1' } },
    })
    store = new LocalDiskImageStore(mkdtempSync(join(tmpdir(), 'mitra-media-')))
  })

  it('stores an upload as cleaned variants and records the asset', async () => {
    const { db } = database()
    const producer = await party(db)
    const asset = await uploadMedia(db, store, producer, photo)
    expect(asset.id).toMatch(/^med_[0-9a-z]{26}$/)
    expect(asset).toMatchObject({
      object: 'media_asset',
      party_id: producer,
      source_format: 'jpeg',
      width: 1200,
      height: 800,
    })
    expect(asset.dominant_color).toMatch(/^#[0-9a-f]{6}$/)
    expect(asset.placeholder).toMatch(/^data:image\/webp;base64,/)
    expect(asset.variants.map((v) => `${v.width}/${v.format}`)).toEqual([
      '320/avif',
      '320/webp',
      '320/jpeg',
      '640/avif',
      '640/webp',
      '640/jpeg',
      '1024/avif',
      '1024/webp',
      '1024/jpeg',
      '1200/avif',
      '1200/webp',
      '1200/jpeg',
    ])
    for (const variant of asset.variants) {
      const bytes = await store.get(variant.key)
      expect(bytes?.byteLength).toBe(variant.bytes)
      expect((await sharp(bytes!).metadata()).exif).toBeUndefined()
    }
    expect(await getMedia(db, producer, asset.id)).toEqual(asset)
  })

  it('returns the same asset for the same bytes, also when uploads race', async () => {
    const { db } = database()
    const producer = await party(db)
    const other = await makePhoto(700, 500, { seed: 7 })
    const racing = await Promise.all([
      uploadMedia(db, store, producer, other),
      uploadMedia(db, store, producer, other),
      uploadMedia(db, store, producer, other),
    ])
    expect(new Set(racing.map((a) => a.id)).size).toBe(1)
    const again = await uploadMedia(db, store, producer, other)
    expect(again).toEqual(racing[0])
    const rows = await db.select().from(mediaAssets).where(eq(mediaAssets.partyId, producer))
    expect(rows).toHaveLength(1)
    // Another party uploading the same photo gets its own asset over the same stored files.
    const neighbour = await party(db)
    const theirs = await uploadMedia(db, store, neighbour, other)
    expect(theirs.id).not.toBe(again.id)
    expect(theirs.variants.map((v) => v.key)).toEqual(again.variants.map((v) => v.key))
  })

  it("hides another party's asset behind a 404", async () => {
    const { db } = database()
    const owner = await party(db)
    const stranger = await party(db, 'venue')
    const asset = await uploadMedia(db, store, owner, photo)
    for (const id of [asset.id, newId('med'), 'med_nope', '../../etc']) {
      const error = await refusal(getMedia(db, stranger, id))
      expect(error.code).toBe('not_found')
      expect(error.status).toBe(404)
    }
  })

  it('refuses bad uploads and unknown parties without recording anything', async () => {
    const { db } = database()
    const producer = await party(db)
    const error = await refusal(uploadMedia(db, store, producer, Buffer.from('hello')))
    expect(error.code).toBe('unsupported_media_type')
    const big = await refusal(uploadMedia(db, store, producer, photo, { maxBytes: 100 }))
    expect(big.code).toBe('image_too_large')
    const ghost = await refusal(uploadMedia(db, store, newId('pty'), photo))
    expect(ghost.code).toBe('not_found')
    const rows = await db.select().from(mediaAssets).where(eq(mediaAssets.partyId, producer))
    expect(rows).toHaveLength(0)
  })

  it('gives what a <picture> element needs', async () => {
    const { db } = database()
    const asset = await uploadMedia(db, store, await party(db), photo)
    const picture = pictureSources(asset, store)
    expect(picture.sources.map((s) => s.type)).toEqual(['image/avif', 'image/webp'])
    expect(picture.sources[0]!.srcset).toMatch(/^\/media\/[0-9a-f]{64}\.avif 320w, .* 1200w$/)
    expect(picture.img.src).toMatch(/^\/media\/[0-9a-f]{64}\.jpg$/)
    expect([picture.img.width, picture.img.height]).toEqual([1200, 800])
    expect(picture.dominant_color).toBe(asset.dominant_color)
  })
})

describe.each(testDatabaseKinds())('getMediaByIds on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('loads many assets in one query and ignores unknown or malformed ids', async () => {
    const { db } = database()
    const partyId = newId('pty')
    await db
      .insert(parties)
      .values({ id: partyId, kind: 'producer', name: 'Bulk', slug: `bulk-${partyId.slice(-8)}` })
    const store = new MemoryImageStore()
    const a = await uploadMedia(db, store, partyId, await makePhoto(400, 300, { seed: 11 }))
    const b = await uploadMedia(db, store, partyId, await makePhoto(400, 300, { seed: 12 }))
    const found = await getMediaByIds(db, [a.id, b.id, a.id, newId('med'), 'nonsense'])
    expect([...found.keys()].sort()).toEqual([a.id, b.id].sort())
    expect(found.get(a.id)?.width).toBe(400)
  })
})
