import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { type ImageStore, pictureSources, presentationBrands } from '@mitra/branding'
import {
  cursorSchema,
  decodeCursor,
  encodeCursor,
  getStoreProduct,
  limitSchema,
  type PartyProfile,
} from '@mitra/catalog'
import { venueCheckoutSettingsOf } from '@mitra/checkout'
import { type PartnerLocation, shelvesOfProduct, venuesSelling } from '@mitra/consignment'
import { idSchema, isId, MitraError } from '@mitra/core'
import {
  brandKits,
  clusterMembers,
  type Database,
  parties,
  partnerProfiles,
  partyProfiles,
  products,
} from '@mitra/db'
import { and, asc, eq, exists, gt, inArray, type SQL, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import {
  json,
  listOf,
  moneyView,
  orNull,
  problemResponses,
  publishableKeySecurity,
} from '../openapi.js'
import { brandMark, pictureSourcesView, storeBrandMark } from './branding.js'
import { storeChannel } from './store.js'

/*
 * The store's directory: who makes the goods (brands, by cluster and village), where they can
 * be found (venues, with their address and how they sell online), and where one product is on
 * a shelf now. Public facts a shop needs for its home, brand, venue and product pages; each
 * is scoped by the key's channel like the product list.
 */

const tags = ['store']
const bilingual = z.object({ id: z.string(), en: z.string() })

const storeBrandSummary = z
  .object({
    slug: z.string(),
    name: z.string(),
    producer_id: z.string(),
    tagline: bilingual,
    origin: z.object({
      village: z.string(),
      district: z.string(),
      regency: z.string(),
      province: z.string(),
    }),
    logo: orNull(pictureSourcesView),
    color: z.string().describe('The kit’s primary colour, `#rrggbb`'),
    clusters: z
      .array(storeBrandMark)
      .describe('The collective marks of the clusters the producer belongs to, oldest first'),
  })
  .meta({ id: 'StoreBrandSummary' })

const nullableText = z.string().nullable()

const storeVenue = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.object({ id: nullableText, en: nullableText }),
    location: z
      .object({
        address: nullableText.describe('The street address visitors find it at'),
        village: nullableText,
        district: nullableText,
        regency: nullableText,
        province: nullableText,
      })
      .describe(
        'From the venue’s listed partner-directory entry, else its profile’s origin; null fields where neither says',
      ),
    website: nullableText,
    phone: nullableText,
    checkout: z
      .object({
        currency: z.string(),
        pickup: z.boolean(),
        delivery_rate: orNull(moneyView),
      })
      .describe('How it sells online: pickup at the counter, delivery at a flat rate'),
  })
  .meta({ id: 'StoreVenue' })
type StoreVenueView = z.infer<typeof storeVenue>

const productAvailability = z
  .object({
    product_id: z.string(),
    venues: z.array(
      z.object({
        venue: storeVenue,
        variants: z.array(
          z.object({
            variant_id: z.string(),
            sku: z.string(),
            options: z.record(z.string(), z.string()),
            price: orNull(moneyView),
            available: z.number().int().describe('Units free to sell there now'),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'StoreProductAvailability' })

export interface StoreDirectoryOptions {
  imageStore: ImageStore
  /** Resolves a brand slug to the producers it stands for (undefined: no such brand). */
  producersOfBrand: (slug: string) => Promise<string[] | undefined>
}

function intersect(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  const keep = new Set(b)
  return a.filter((id) => keep.has(id))
}

/** The brands of producers with their own kit and an active product, oldest kit first. */
async function listBrands(
  db: Database,
  store: ImageStore,
  query: { producerIds: string[] | undefined; clusterSlug?: string; after?: string; limit: number },
) {
  if (query.producerIds?.length === 0) return { data: [], more: false }
  const conditions: SQL[] = [
    eq(parties.kind, 'producer'),
    exists(
      db
        .select({ one: sql`1` })
        .from(products)
        .where(and(eq(products.partyId, parties.id), eq(products.status, 'active'))),
    ),
  ]
  if (query.producerIds !== undefined) conditions.push(inArray(parties.id, query.producerIds))
  if (query.clusterSlug !== undefined) {
    const cluster = db
      .select({ id: brandKits.partyId })
      .from(brandKits)
      .where(eq(brandKits.slug, query.clusterSlug))
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(clusterMembers)
          .where(
            and(
              eq(clusterMembers.producerId, parties.id),
              inArray(clusterMembers.clusterId, cluster),
            ),
          ),
      ),
    )
  }
  if (query.after !== undefined) conditions.push(gt(brandKits.id, query.after))
  const rows = await db
    .select({ kitId: brandKits.id, producerId: brandKits.partyId })
    .from(brandKits)
    .innerJoin(parties, eq(parties.id, brandKits.partyId))
    .where(and(...conditions))
    .orderBy(asc(brandKits.id))
    .limit(query.limit + 1)
  const page = rows.slice(0, query.limit)
  const brands = await presentationBrands(
    db,
    page.map((row) => row.producerId),
  )
  const data = page.flatMap((row) => {
    const found = brands.get(row.producerId)
    const kit = found?.brand
    if (found === undefined || kit == null) return []
    return [
      {
        kitId: row.kitId,
        view: {
          slug: kit.slug,
          name: kit.name,
          producer_id: row.producerId,
          tagline: kit.tagline,
          origin: kit.origin,
          logo: kit.logo ? pictureSources(kit.logo, store) : null,
          color: kit.palette.primary,
          clusters: found.clusters.map((cluster) => brandMark(cluster, store)),
        },
      },
    ]
  })
  return { data, more: rows.length > query.limit }
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null

/**
 * The public face of venues: name, description, where they are and how they sell online.
 * The address comes from a venue's listed partner-directory entry (where venues say where
 * visitors find them); an unlisted entry is not shown, and the profile's origin stands in.
 * Ids that are not venues are left out.
 */
export async function publicVenues(
  db: Database,
  where: { ids: readonly string[] } | { idOrSlug: string },
): Promise<StoreVenueView[]> {
  const match =
    'ids' in where
      ? inArray(parties.id, [...where.ids])
      : isId(where.idOrSlug)
        ? eq(parties.id, where.idOrSlug)
        : eq(parties.slug, where.idOrSlug)
  if ('ids' in where && where.ids.length === 0) return []
  const rows = await db
    .select({
      party: parties,
      profile: partyProfiles.profile,
      directory: { location: partnerProfiles.location, listed: partnerProfiles.listed },
    })
    .from(parties)
    .leftJoin(partyProfiles, eq(partyProfiles.partyId, parties.id))
    .leftJoin(partnerProfiles, eq(partnerProfiles.partyId, parties.id))
    .where(and(eq(parties.kind, 'venue'), match))
    .orderBy(asc(parties.id))
  const settings = await venueCheckoutSettingsOf(
    db,
    rows.map((row) => row.party.id),
  )
  return rows.map(({ party, profile, directory }) => {
    const own = (profile ?? {}) as PartyProfile
    const listed = directory?.listed === true ? (directory.location as PartnerLocation) : null
    const origin = own.origin ?? {}
    const venueSettings = settings.get(party.id)
    return {
      id: party.id,
      slug: party.slug,
      name: party.name,
      description: {
        id: text(own.description?.id),
        en: text(own.description?.en),
      },
      location: {
        address: text(listed?.address),
        village: text(listed?.village ?? origin.village),
        district: text(listed?.district ?? origin.district),
        regency: text(listed?.regency ?? origin.regency),
        province: text(listed?.province ?? origin.province),
      },
      website: text(own.website),
      phone: text(own.phone),
      checkout: {
        currency: venueSettings?.currency ?? 'IDR',
        pickup: venueSettings?.pickup ?? true,
        delivery_rate: venueSettings?.delivery_rate ?? null,
      },
    }
  })
}

const venueParam = z.object({
  venue: z.string().min(1).max(80).openapi({ description: 'The venue’s id (`pty_…`) or its slug' }),
})

export function registerStoreDirectoryRoutes(
  app: OpenAPIHono<AppEnv>,
  db: Database,
  options: StoreDirectoryOptions,
): void {
  /**
   * The channel's producers, and for a venue's key the venue itself: a venue's widget sells
   * only its own shelf, so its channel knows no other venue.
   */
  async function channelOf(c: Context<AppEnv>) {
    const partyId = c.get('principal').partyId
    const channel = await storeChannel(db, partyId)
    return { producerIds: channel.producerIds, venueId: channel.venue === null ? null : partyId }
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/store/brands',
      operationId: 'listStoreBrands',
      summary: 'The producers’ brands: each kit with its logo, village and cluster marks',
      description:
        'Producers of the key’s channel with a brand kit and at least one active product, oldest kit first. `cluster` (a cluster kit’s slug) keeps its members.',
      tags,
      security: publishableKeySecurity,
      request: {
        query: z.strictObject({
          cluster: z
            .string()
            .max(80)
            .optional()
            .openapi({ description: 'Only the members of this cluster (its kit’s slug)' }),
          cursor: cursorSchema.optional(),
          limit: limitSchema,
        }),
      },
      responses: {
        200: json(listOf(storeBrandSummary, 'StoreBrandList'), 'A page of brands'),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { cluster, cursor, limit } = c.req.valid('query')
      const { producerIds } = await channelOf(c)
      const after = cursor === undefined ? undefined : decodeCursor(cursor, 'id').id
      const page = await listBrands(db, options.imageStore, {
        producerIds,
        ...(cluster === undefined ? {} : { clusterSlug: cluster }),
        ...(after === undefined ? {} : { after }),
        limit,
      })
      const last = page.data.at(-1)
      return c.json(
        {
          object: 'list' as const,
          data: page.data.map((item) => item.view),
          next_cursor:
            page.more && last !== undefined ? encodeCursor({ kind: 'id', id: last.kitId }) : null,
        },
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/store/venues',
      operationId: 'listStoreVenues',
      summary: 'Where the goods can be found: venues with something on their shelf now',
      description:
        'Venues where something of the channel’s producers can be bought now (a venue’s key: only itself), with their address and how they sell online. `brand` (a kit’s slug) keeps the venues selling that brand.',
      tags,
      security: publishableKeySecurity,
      request: {
        query: z.strictObject({
          brand: z
            .string()
            .max(80)
            .optional()
            .openapi({ description: 'Only venues selling this brand (its slug) now' }),
          cursor: cursorSchema.optional(),
          limit: limitSchema,
        }),
      },
      responses: {
        200: json(listOf(storeVenue, 'StoreVenueList'), 'A page of venues'),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { brand, cursor, limit } = c.req.valid('query')
      const channel = await channelOf(c)
      let producerIds = channel.producerIds
      if (brand !== undefined) {
        producerIds = intersect(producerIds, (await options.producersOfBrand(brand)) ?? [])
      }
      let ids = await venuesSelling(db, producerIds)
      if (channel.venueId !== null) ids = ids.filter((id) => id === channel.venueId)
      const after = cursor === undefined ? undefined : decodeCursor(cursor, 'id').id
      const rest = after === undefined ? ids : ids.filter((id) => id > after)
      const page = rest.slice(0, limit)
      const data = await publicVenues(db, { ids: page })
      const last = page.at(-1)
      return c.json(
        {
          object: 'list' as const,
          data,
          next_cursor:
            rest.length > limit && last !== undefined
              ? encodeCursor({ kind: 'id', id: last })
              : null,
        },
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/store/venues/{venue}',
      operationId: 'getStoreVenue',
      summary: 'A venue’s public profile: name, address, how it sells online',
      description:
        'By id or slug. Any venue, for any channel but a venue’s own key, which knows only itself (another venue is a 404).',
      tags,
      security: publishableKeySecurity,
      request: { params: venueParam },
      responses: { 200: json(storeVenue, 'The venue'), ...problemResponses },
    }),
    async (c) => {
      const wanted = c.req.valid('param').venue
      const { venueId } = await channelOf(c)
      const [venue] = await publicVenues(db, { idOrSlug: wanted })
      if (venue === undefined || (venueId !== null && venue.id !== venueId)) {
        throw new MitraError('not_found', `No venue '${wanted}'`)
      }
      return c.json(venue, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/store/products/{id}/availability',
      operationId: 'getStoreProductAvailability',
      summary: 'Where a product is on a shelf now: each venue, its address and live units',
      description:
        'Every venue where a variant of the product can be bought now (the rule of `/v1/store/venues/{venue_id}/available`), with its public profile. Live: never cached. A venue’s key sees only itself.',
      tags,
      security: publishableKeySecurity,
      request: { params: z.object({ id: idSchema('prod') }) },
      responses: {
        200: json(productAvailability, 'The venues that have it now'),
        ...problemResponses,
      },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store')
      const { id } = c.req.valid('param')
      const { producerIds, venueId } = await channelOf(c)
      // Outside the channel (or not active) is a 404, as for the product itself.
      await getStoreProduct(db, id, producerIds ? { producerIds } : {})
      const shelves = (await shelvesOfProduct(db, id)).filter(
        (entry) => venueId === null || entry.venue_id === venueId,
      )
      const venues = await publicVenues(db, { ids: [...new Set(shelves.map((s) => s.venue_id))] })
      return c.json(
        {
          product_id: id,
          venues: venues.map((venue) => ({
            venue,
            variants: shelves
              .filter((entry) => entry.venue_id === venue.id)
              .map((entry) => ({
                variant_id: entry.variant_id,
                sku: entry.sku,
                options: entry.options,
                price: entry.price,
                available: entry.available,
              })),
          })),
        },
        200,
      )
    },
  )
}
