import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signIn } from '@mitra/accounts'
import { type ImageStore, LocalDiskImageStore } from '@mitra/branding'
import { getPartnerProfile } from '@mitra/consignment'
import { agreementVersions, mediaAssets, parties } from '@mitra/db'
import { createTestDatabase, testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { ensurePlatform } from '@mitra/server'
import { afterAll, describe, expect, it } from 'vitest'
import { prepareDemoPictures, seedDemo } from './demo.js'

describe.each(testDatabaseKinds())('the demo network on %s', (kind) => {
  const database = useTestDatabase(kind)
  const folder = mkdtempSync(join(tmpdir(), 'mitra-demo-'))
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  it('makes the parties, keys, products and consignment, saying what it makes', async () => {
    const { db } = database()
    await ensurePlatform(db)
    const store = new LocalDiskImageStore(join(folder, 'media'))
    const lines: string[] = []
    const keys = await seedDemo(db, store, ['http://127.0.0.1:3001'], {
      progress: (line) => lines.push(line),
      pictures: prepareDemoPictures(store),
    })
    expect(Object.keys(keys).sort()).toEqual([
      'ape',
      'batik',
      'cluster',
      'galeri',
      'kafe',
      'madu',
      'platform',
    ])
    for (const [name, party] of Object.entries(keys)) {
      // The platform's keys are ensurePlatform's; the demo gives it its person.
      if (name !== 'platform') {
        expect(party.secret_key).toMatch(/^sk_/)
        expect(party.publishable_key).toMatch(/^pk_/)
      }
      // Each party's owner signs in to the console with the phone and password given.
      const person = party.person as NonNullable<typeof party.person>
      const session = await signIn(db, {
        contact: person.phone,
        password: person.password,
        client: 't',
      })
      expect(session.user.name).toBe(person.name)
    }
    expect(lines.map((line) => line.split(' ')[0])).toEqual([
      'cluster',
      'producer',
      'producer',
      'producer',
      'venue',
      'venue',
      'people',
    ])
    expect(lines.every((line) => line.length <= 90)).toBe(true)

    // Every agreement (three at the kafe, two at the galeri) gives the cooperative and the
    // platform a fee, so that a sale shows every party's share.
    const versions = await db.select().from(agreementVersions)
    expect(versions).toHaveLength(5)
    for (const { terms } of versions) {
      expect(terms.cooperative_id).toBe(keys.cluster?.party_id)
      expect(terms.cooperative_fee_bps).toBeGreaterThan(0)
      expect(terms.platform_fee_bps).toBeGreaterThan(0)
    }
    // Three logos and seven product photos, made small: no variant wider than 640 px.
    const media = await db.select().from(mediaAssets)
    expect(media).toHaveLength(10)
    expect(media.flatMap((m) => m.variants).every((v) => v.width <= 640)).toBe(true)
    // Both venues are in the directory with a street address: "available at" shows where.
    const [kafe, galeri] = await Promise.all(
      [keys.kafe, keys.galeri].map((venue) => getPartnerProfile(db, venue?.party_id as string)),
    )
    expect(galeri?.location.address).toMatch(/^Jl\. Gemawang Raya/)
    expect(kafe?.location.address).toMatch(/^Jl\. Raya Semarang/)
  })

  it('leaves nothing behind when it fails half-way', async () => {
    const handle = await createTestDatabase(kind)
    try {
      const failing: ImageStore = {
        put: () => Promise.reject(new Error('disk full')),
        get: () => Promise.resolve(undefined),
        has: () => Promise.resolve(false),
        url: (key) => `/media/${key}`,
      }
      await expect(seedDemo(handle.db, failing, [])).rejects.toThrow('disk full')
      expect(await handle.db.select().from(parties)).toEqual([])
    } finally {
      await handle.close()
    }
  })
})
