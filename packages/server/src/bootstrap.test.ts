import { listParties } from '@mitra/catalog'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { createApp } from './app.js'
import { ensurePlatform } from './bootstrap.js'

describe.each(testDatabaseKinds())('platform bootstrap on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('creates the platform once, even when instances start together, with a working key', async () => {
    const { db } = database()
    const results = await Promise.all([ensurePlatform(db), ensurePlatform(db), ensurePlatform(db)])
    const created = results.filter((r) => r.secretKey !== null)
    expect(created).toHaveLength(1)
    expect(new Set(results.map((r) => r.partyId)).size).toBe(1)
    expect((await listParties(db, { kind: 'platform' })).data).toHaveLength(1)
    const again = await ensurePlatform(db)
    expect(again.secretKey).toBeNull()

    const app = createApp({ database: database() })
    const res = await app.request('/v1/admin/party', {
      headers: { Authorization: `Bearer ${created[0]?.secretKey}` },
    })
    expect(((await res.json()) as { kind: string }).kind).toBe('platform')
  })
})
