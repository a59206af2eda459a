import { createParty, listParties } from '@mitra/catalog'
import { atomically, type Database, type Executor } from '@mitra/db'
import { createApiKey, ensurePublishableKey } from './auth/keys.js'

export interface PlatformBootstrap {
  partyId: string
  /** The platform's first owner key: only when this call created the platform. */
  secretKey: string | null
}

/**
 * Makes sure the platform operator exists: on an empty database it creates the platform
 * party and its first owner key (shown once — keep it), with which every other party is
 * onboarded through `POST /v1/admin/parties`. Later starts find it and change nothing.
 * Given a transaction, it joins it (so a first start can set up everything as one).
 */
export async function ensurePlatform(
  db: Executor,
  options: { name?: string; slug?: string } = {},
): Promise<PlatformBootstrap> {
  return atomically(
    db,
    async (tx) => {
      const existing = await listParties(tx, { kind: 'platform', limit: 1 })
      const found = existing.data[0]
      if (found !== undefined) return { partyId: found.id, secretKey: null }
      const platform = await createParty(tx, {
        kind: 'platform',
        name: options.name ?? 'mitra platform',
        slug: options.slug ?? 'platform',
      })
      const key = await createApiKey(tx, {
        partyId: platform.id,
        kind: 'secret',
        role: 'owner',
        name: 'platform bootstrap key',
      })
      return { partyId: platform.id, secretKey: key.token }
    },
    // Two instances starting on one empty database: one creates, the other retries and finds.
    { isolationLevel: 'serializable' },
  )
}

/**
 * A publishable key of the platform operator, by name (`shop`, `console`), made on first use
 * and found again later: for the server's own clients of the store API, whose channel is the
 * whole active catalogue. It allows no browser origin. The platform must exist already.
 */
export async function platformPublishableKey(db: Database, name: string): Promise<string> {
  const [platform] = (await listParties(db, { kind: 'platform', limit: 1 })).data
  if (platform === undefined) {
    throw new Error('The platform operator does not exist yet: call ensurePlatform first')
  }
  const { token } = await ensurePublishableKey(db, { partyId: platform.id, name })
  return token
}
