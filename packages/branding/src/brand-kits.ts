import { type Id, MitraError, newId } from '@mitra/core'
import {
  atomically,
  brandKits,
  clusterMembers,
  constraintOf,
  type Executor,
  mediaAssets,
  parties,
  sqlState,
  sqlStateOf,
} from '@mitra/db'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { type BrandKitFields, validateBrandKit } from './kit.js'
import { type MediaAsset, toMediaAsset } from './media.js'

/** A saved brand kit as the API shows it. */
export type BrandKit = BrandKitFields & {
  id: Id<'brand'>
  object: 'brand_kit'
  party_id: string
  logo_media_id: Id<'med'> | null
  /** 1 on creation, +1 on every save. */
  version: number
  created_at: string
  updated_at: string
}

type BrandKitRow = typeof brandKits.$inferSelect
/** What the `kit` column holds: the validated fields that have no column of their own. */
type StoredKit = Omit<BrandKitFields, 'name' | 'slug' | 'logo_media_id'>

function toView(row: BrandKitRow): BrandKit {
  const kit = row.kit as StoredKit
  return {
    id: row.id as Id<'brand'>,
    object: 'brand_kit',
    party_id: row.partyId,
    name: row.name,
    slug: row.slug,
    tagline: kit.tagline,
    story: kit.story,
    origin: kit.origin,
    // The column is the truth: deleting the logo's asset sets it to null.
    logo_media_id: (row.logoMediaId as Id<'med'> | null) ?? null,
    palette: kit.palette,
    typography: kit.typography,
    social: kit.social,
    certifications: kit.certifications,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  }
}

function noKit(what: string): MitraError {
  return new MitraError('not_found', `No brand kit ${what}`)
}

function unknownLogo(id: string): MitraError {
  const message = 'no media asset of yours has this id; upload the logo first'
  return new MitraError('validation_failed', `'logo_media_id': ${message} (${id})`, {
    errors: [{ path: 'logo_media_id', code: 'unknown_media', message }],
  })
}

/**
 * Creates or replaces `partyId`'s brand kit. Validates the input (422 `validation_failed`
 * naming each field, 422 `palette_contrast` naming each unreadable colour pair), checks that
 * the logo is one of the party's own assets (else 422 on `logo_media_id`) and that the slug
 * is free (else 409 `conflict` on `slug`). Each save bumps `version`.
 *
 * Only producers and clusters have brand kits (422 `wrong_party_kind`); the maker shown to
 * buyers is always a producer, and a cluster's kit is its collective village mark.
 */
export async function saveBrandKit(
  db: Executor,
  partyId: string,
  input: unknown,
): Promise<BrandKit> {
  const fields = validateBrandKit(input)
  const { name, slug, logo_media_id: logoMediaId, ...kit } = fields
  try {
    return await atomically(db, async (tx) => {
      const [party] = await tx
        .select({ kind: parties.kind })
        .from(parties)
        .where(eq(parties.id, partyId))
      if (party === undefined) throw new MitraError('not_found', `No party ${partyId}`)
      if (party.kind !== 'producer' && party.kind !== 'cluster') {
        throw new MitraError(
          'wrong_party_kind',
          `Only producers and clusters have brand kits; this party is a ${party.kind}`,
          {
            errors: [
              { path: 'party_id', code: 'wrong_party_kind', message: 'not a producer or cluster' },
            ],
          },
        )
      }
      if (logoMediaId != null) {
        const [logo] = await tx
          .select({ id: mediaAssets.id })
          .from(mediaAssets)
          .where(and(eq(mediaAssets.id, logoMediaId), eq(mediaAssets.partyId, partyId)))
        if (logo === undefined) throw unknownLogo(logoMediaId)
      }
      const values = { slug, name, logoMediaId: logoMediaId ?? null, kit }
      const [row] = await tx
        .insert(brandKits)
        .values({ id: newId('brand'), partyId, ...values })
        .onConflictDoUpdate({
          target: brandKits.partyId,
          set: { ...values, version: sql`${brandKits.version} + 1`, updatedAt: sql`now()` },
        })
        .returning()
      return toView(row!)
    })
  } catch (error) {
    const state = sqlStateOf(error)
    if (state === sqlState.uniqueViolation && constraintOf(error) === 'brand_kits_slug_unique') {
      const message = `'${slug}' is already taken by another brand`
      throw new MitraError('conflict', `The slug ${message}`, {
        errors: [{ path: 'slug', code: 'slug_taken', message }],
      })
    }
    // The logo's asset was deleted between the check and the write.
    if (state === sqlState.foreignKeyViolation && logoMediaId != null) {
      throw unknownLogo(logoMediaId)
    }
    throw error
  }
}

/** `partyId`'s own brand kit, or 404. */
export async function getBrandKit(db: Executor, partyId: string): Promise<BrandKit> {
  const [row] = await db.select().from(brandKits).where(eq(brandKits.partyId, partyId))
  if (row === undefined) throw noKit(`for party ${partyId}`)
  return toView(row)
}

/** A brand kit by its public address (`/brands/batik-gemawangi`), or 404. */
export async function getBrandKitBySlug(db: Executor, slug: string): Promise<BrandKit> {
  const [row] = await db.select().from(brandKits).where(eq(brandKits.slug, slug))
  if (row === undefined) throw noKit(`'${slug}'`)
  return toView(row)
}

/** A kit with its logo's asset (null without a logo). */
export type PresentedKit = BrandKit & { logo: MediaAsset | null }

export interface PresentationBrand {
  producer: { id: string; name: string; slug: string }
  /** The producer's own brand; null while it has not made a kit yet. */
  brand: PresentedKit | null
  /** The collective marks of the clusters it belongs to (those with a kit), oldest first. */
  clusters: PresentedKit[]
}

/**
 * Everything needed to show a producer's goods under its own brand: its kit, and beside it
 * the kits of the clusters it is a member of, each with its logo. Public data: a producer's
 * brand is meant to be seen. 404 when `producerId` is not a producer.
 */
export async function presentationBrand(
  db: Executor,
  producerId: string,
): Promise<PresentationBrand> {
  const found = (await presentationBrands(db, [producerId])).get(producerId)
  if (found === undefined) throw new MitraError('not_found', `No producer ${producerId}`)
  return found
}

/**
 * `presentationBrand` for many producers by four queries in all, however many there are (a
 * page of products shows several makers). Ids that are not producers are left out.
 */
export async function presentationBrands(
  db: Executor,
  producerIds: readonly string[],
): Promise<Map<string, PresentationBrand>> {
  const ids = [...new Set(producerIds)]
  if (ids.length === 0) return new Map()
  const [producers, own, clusterRows] = await Promise.all([
    db
      .select({ id: parties.id, name: parties.name, slug: parties.slug })
      .from(parties)
      .where(and(inArray(parties.id, ids), eq(parties.kind, 'producer'))),
    db.select().from(brandKits).where(inArray(brandKits.partyId, ids)),
    db
      .select({ producerId: clusterMembers.producerId, kit: brandKits })
      .from(clusterMembers)
      .innerJoin(brandKits, eq(brandKits.partyId, clusterMembers.clusterId))
      .where(inArray(clusterMembers.producerId, ids))
      .orderBy(asc(clusterMembers.joinedAt), asc(clusterMembers.clusterId)),
  ])
  const kits = [...own, ...clusterRows.map((r) => r.kit)]
  const logoIds = [
    ...new Set(kits.flatMap((kit) => (kit.logoMediaId === null ? [] : [kit.logoMediaId]))),
  ]
  const logos = new Map<string, MediaAsset>()
  if (logoIds.length > 0) {
    const rows = await db.select().from(mediaAssets).where(inArray(mediaAssets.id, logoIds))
    for (const row of rows) logos.set(row.id, toMediaAsset(row))
  }
  const present = (row: BrandKitRow): PresentedKit => {
    const logo = row.logoMediaId === null ? undefined : logos.get(row.logoMediaId)
    // A logo is only ever shown for the party that owns it.
    return {
      ...toView(row),
      logo: logo !== undefined && logo.party_id === row.partyId ? logo : null,
    }
  }
  const ownKit = new Map(own.map((row) => [row.partyId, row]))
  return new Map(
    producers.map((producer) => {
      const kit = ownKit.get(producer.id)
      return [
        producer.id,
        {
          producer,
          brand: kit === undefined ? null : present(kit),
          clusters: clusterRows
            .filter((r) => r.producerId === producer.id)
            .map((r) => present(r.kit)),
        },
      ]
    }),
  )
}
