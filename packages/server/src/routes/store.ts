import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import {
  attribution,
  getMediaByIds,
  type ImageStore,
  type Locale,
  locales,
  pictureSources,
  presentationBrand,
  presentationBrands,
  renderSocialCard,
} from '@mitra/branding'
import {
  cursorSchema,
  getParty,
  getStoreProduct,
  limitSchema,
  listClusterMembers,
  listStoreProducts,
  productCategorySchema,
  type StoreProduct,
  searchTextSchema,
  storeProductSchema,
} from '@mitra/catalog'
import { productsOnShelf } from '@mitra/consignment'
import { idSchema, MitraError, min, money } from '@mitra/core'
import type { Database } from '@mitra/db'
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import { json, listOf, orNull, problemResponses, publishableKeySecurity } from '../openapi.js'
import { pictureSourcesView } from './branding.js'

const storeProduct = storeProductSchema
  .extend({
    brand: z.object({
      name: z.string(),
      slug: z.string().nullable(),
      clusters: z.array(z.string()),
      logo: orNull(pictureSourcesView).describe('The brand kit’s logo; null without one'),
      color: z
        .string()
        .nullable()
        .describe(
          'The kit’s primary colour (`#rrggbb`), for the card’s accent; null without a kit',
        ),
    }),
    attribution: z.object({ maker: z.string(), sold_at: z.string().nullable() }),
    images: z.array(
      z.object({
        media_id: z.string(),
        alt: z.object({ id: z.string().nullable(), en: z.string().nullable() }),
        width: z.number().int(),
        height: z.number().int(),
        dominant_color: z.string(),
        placeholder: z.string(),
        sources: z.array(z.object({ type: z.string(), srcset: z.string() })),
        src: z.string(),
        srcset: z.string(),
      }),
    ),
  })
  .meta({ id: 'StoreProduct' })
type StoreProductView = z.infer<typeof storeProduct>
const tags = ['store']

export interface StoreRouteOptions {
  /** Where product pictures are served from (their URLs go into `images`). */
  imageStore: ImageStore
  /** Resolves a brand slug to the producers it stands for (undefined: no such brand). */
  producersOfBrand?: (slug: string) => Promise<string[] | undefined>
}

/**
 * What a key's channel shows: a producer's key its own shop, a cluster's its members', any
 * other party (venue, platform) the whole active catalogue. A venue's channel also sells: its
 * name goes on every product as "sold at".
 */
export async function storeChannel(db: Database, partyId: string) {
  const party = await getParty(db, partyId)
  const venue = party.kind === 'venue' ? party.name : null
  if (party.kind === 'producer') return { producerIds: [party.id] as string[] | undefined, venue }
  if (party.kind === 'cluster') {
    return { producerIds: (await listClusterMembers(db, party.id)).map((p) => p.id), venue }
  }
  return { producerIds: undefined, venue }
}

function intersect(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  const keep = new Set(b)
  return a.filter((id) => keep.has(id))
}

/**
 * Puts every product under its maker's own brand: the brand (or the group's name while it
 * has no kit), its cluster marks, its village, and where it is sold.
 */
async function present(
  db: Database,
  store: ImageStore,
  items: StoreProduct[],
  venue: string | null,
  locale: Locale,
): Promise<StoreProductView[]> {
  const [makers, media] = await Promise.all([
    presentationBrands(
      db,
      items.map((item) => item.producer.id),
    ),
    getMediaByIds(
      db,
      items.flatMap((item) => item.media.map((m) => m.media_id)),
    ),
  ])
  return items.map((item) => {
    const maker = makers.get(item.producer.id)
    const brandName = maker?.brand?.name ?? item.producer.name
    const clusters = maker?.clusters.map((kit) => kit.name) ?? []
    const village = item.origin.village ?? maker?.brand?.origin?.village ?? ''
    const said = attribution(
      { brand: brandName, village, cluster: clusters[0] ?? null, venue },
      locale,
    )
    const images = item.media.flatMap((m) => {
      const asset = media.get(m.media_id)
      // Only the maker's own pictures: a product never shows another party's asset.
      if (asset === undefined || asset.party_id !== item.producer.id) return []
      const picture = pictureSources(asset, store)
      return [
        {
          media_id: m.media_id,
          alt: m.alt,
          width: asset.width,
          height: asset.height,
          dominant_color: asset.dominant_color,
          placeholder: asset.placeholder,
          sources: picture.sources,
          src: picture.img.src,
          srcset: picture.img.srcset,
        },
      ]
    })
    return {
      ...item,
      brand: {
        name: brandName,
        slug: maker?.brand?.slug ?? null,
        clusters,
        logo: maker?.brand?.logo ? pictureSources(maker.brand.logo, store) : null,
        color: maker?.brand?.palette.primary ?? null,
      },
      attribution: { maker: said.maker, sold_at: said.soldAt },
      images,
    }
  })
}

const localeQuery = z.enum(locales as [Locale, ...Locale[]]).default('id')

const storeQuery = z.strictObject({
  locale: localeQuery,
  q: searchTextSchema.optional().openapi({ description: 'Words, "phrases", -excluded words' }),
  category: productCategorySchema.optional(),
  producer: idSchema('pty').optional().openapi({ description: 'Only this producer group' }),
  brand: z.string().max(80).optional().openapi({ description: 'Only this brand (its slug)' }),
  venue: idSchema('pty')
    .optional()
    .openapi({ description: 'Only what can be bought at this venue now: its shelf' }),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})

export function registerStoreRoutes(
  app: OpenAPIHono<AppEnv>,
  db: Database,
  options: StoreRouteOptions,
): void {
  async function channelFor(c: Context<AppEnv>, producer?: string, brand?: string) {
    const channel = await storeChannel(db, c.get('principal').partyId)
    let ids = channel.producerIds
    if (producer !== undefined) ids = intersect(ids, [producer])
    if (brand !== undefined) {
      const ofBrand = options.producersOfBrand ? await options.producersOfBrand(brand) : undefined
      ids = intersect(ids, ofBrand ?? [])
    }
    return { producerIds: ids, venue: channel.venue }
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/store/products',
      operationId: 'listStoreProducts',
      summary: 'Active products: by brand, by producer, by category, or searched',
      tags,
      security: publishableKeySecurity,
      request: { query: storeQuery },
      responses: {
        200: json(listOf(storeProduct, 'StoreProductList'), 'A page of products'),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { producer, brand, locale, venue: shelf, ...query } = c.req.valid('query')
      const { producerIds, venue } = await channelFor(c, producer, brand)
      const page = await listStoreProducts(db, {
        ...query,
        ...(producerIds ? { producerIds } : {}),
        ...(shelf ? { productIds: await productsOnShelf(db, shelf) } : {}),
      })
      const data = await present(db, options.imageStore, page.data, venue, locale)
      return c.json({ object: 'list' as const, data, next_cursor: page.next_cursor }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/store/products/{id}',
      operationId: 'getStoreProduct',
      summary: 'One active product, under its maker’s brand',
      tags,
      security: publishableKeySecurity,
      request: {
        params: z.object({ id: idSchema('prod') }),
        query: z.strictObject({ locale: localeQuery }),
      },
      responses: { 200: json(storeProduct, 'The product'), ...problemResponses },
    }),
    async (c) => {
      const { producerIds, venue } = await channelFor(c)
      const found = await getStoreProduct(
        db,
        c.req.valid('param').id,
        producerIds ? { producerIds } : {},
      )
      const [view] = await present(
        db,
        options.imageStore,
        [found],
        venue,
        c.req.valid('query').locale,
      )
      return c.json(view as StoreProductView, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/store/products/{id}/card',
      operationId: 'getStoreProductCard',
      summary: 'A 1200×630 social card (og:image): photo, brand, logo and price',
      tags,
      security: publishableKeySecurity,
      request: {
        params: z.object({ id: idSchema('prod') }),
        query: z.strictObject({ locale: localeQuery }),
      },
      responses: {
        200: {
          description: 'JPEG image',
          content: { 'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { producerIds } = await channelFor(c)
      const product = await getStoreProduct(
        db,
        c.req.valid('param').id,
        producerIds ? { producerIds } : {},
      )
      const maker = await presentationBrand(db, product.producer.id)
      const [cover] = (
        await getMediaByIds(
          db,
          product.media.slice(0, 1).map((m) => m.media_id),
        )
      ).values()
      const prices = product.variants.flatMap((v) =>
        v.price ? [money(v.price.amount, v.price.currency)] : [],
      )
      const [first, ...rest] = prices
      if (cover === undefined || first === undefined) {
        throw new MitraError('not_found', 'This product has no photo or price to put on a card')
      }
      const largest = (asset: typeof cover) =>
        [...asset.variants].filter((v) => v.format === 'jpeg').sort((a, b) => b.width - a.width)[0]
      const photoKey = largest(cover)?.key
      const photo = photoKey ? await options.imageStore.get(photoKey) : undefined
      if (photo === undefined) throw new MitraError('not_found', 'The product photo is missing')
      const logoKey = maker.brand?.logo ? largest(maker.brand.logo)?.key : undefined
      const card = await renderSocialCard({
        photo,
        logo: logoKey ? ((await options.imageStore.get(logoKey)) ?? null) : null,
        brandName: maker.brand?.name ?? product.producer.name,
        title:
          c.req.valid('query').locale === 'en'
            ? (product.title.en ?? product.title.id)
            : product.title.id,
        price: rest.reduce(min, first),
        locale: c.req.valid('query').locale,
        village: product.origin.village ?? maker.brand?.origin?.village ?? null,
        palette: maker.brand?.palette ?? null,
      })
      return c.body(new Uint8Array(card.data), 200, {
        'Content-Type': 'image/jpeg',
        'Cache-Control': 'public, max-age=3600',
      })
    },
  )
}
