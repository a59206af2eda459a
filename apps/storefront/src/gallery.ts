import { availableAtVenue } from '@mitra/consignment'
import { apiKeys, type Database, parties } from '@mitra/db'
import type { GallerySite } from '@mitra/example-gallery-embed'
import { createApiKey } from '@mitra/server'
import { and, eq, isNull } from 'drizzle-orm'

/** The name of the publishable key `npm start` keeps for the example gallery's origin. */
export const galleryKeyName = 'gallery-embed (npm start)'

/**
 * What examples/gallery-embed needs to sell Galeri Gemawangi's shelf from `origins`: the
 * venue, a publishable key allowing exactly those origins (made once, its origins brought up
 * to date on every start, as the port may change) and a product on its shelf. Undefined
 * when the database has no Galeri Gemawangi (MITRA_DEMO=0).
 */
export async function gallerySite(
  db: Database,
  api: string,
  origins: string[],
): Promise<GallerySite | undefined> {
  const [galeri] = await db.select().from(parties).where(eq(parties.slug, 'galeri-gemawangi'))
  if (galeri === undefined) return undefined
  const mine = and(
    eq(apiKeys.partyId, galeri.id),
    eq(apiKeys.name, galleryKeyName),
    isNull(apiKeys.revokedAt),
  )
  const [kept] = await db
    .update(apiKeys)
    .set({ allowedOrigins: origins })
    .where(mine)
    .returning({ token: apiKeys.publishableToken })
  const key =
    kept?.token ??
    (
      await createApiKey(db, {
        partyId: galeri.id,
        kind: 'publishable',
        name: galleryKeyName,
        allowedOrigins: origins,
      })
    ).token
  const shelf = await availableAtVenue(db, galeri.id, { limit: 1 })
  return {
    api,
    key,
    venue: galeri.id,
    ...(shelf.data[0] ? { product: shelf.data[0].product_id } : {}),
  }
}
