import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { ensurePlatform } from '../bootstrap.js'
import { ensurePublishableKey, revokeApiKey } from './keys.js'

describe.each(testDatabaseKinds())('a publishable key of its own on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('is made once, even by instances starting together, found again, and made anew once revoked', async () => {
    const { db } = database()
    const platform = await ensurePlatform(db)
    const input = { partyId: platform.partyId, name: 'shop' }
    const made = await Promise.all([
      ensurePublishableKey(db, input),
      ensurePublishableKey(db, input),
      ensurePublishableKey(db, input),
    ])
    expect(new Set(made.map((m) => m.token)).size).toBe(1)
    const [first] = made
    expect(first?.token).toMatch(/^pk_/)
    expect(first?.key).toMatchObject({ kind: 'publishable', name: 'shop', allowed_origins: [] })
    expect((await ensurePublishableKey(db, input)).token).toBe(first?.token)
    // Another name is another key.
    expect((await ensurePublishableKey(db, { ...input, name: 'kiosk' })).token).not.toBe(
      first?.token,
    )

    // It reads the store; it cannot be used from a browser (no origin is allowed).
    const app = createApp({ database: database() })
    const read = await app.request('/v1/store/products', {
      headers: { Authorization: `Bearer ${first?.token}` },
    })
    expect(read.status).toBe(200)
    const fromPage = await app.request('/v1/store/products', {
      headers: { Authorization: `Bearer ${first?.token}`, Origin: 'https://elsewhere.example' },
    })
    expect(fromPage.status).toBe(403)

    await revokeApiKey(db, platform.partyId, first?.key.id as string)
    const renewed = await ensurePublishableKey(db, input)
    expect(renewed.token).not.toBe(first?.token)
  })
})
