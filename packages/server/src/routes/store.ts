import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import {
  cursorSchema,
  getParty,
  getStoreProduct,
  limitSchema,
  listClusterMembers,
  listStoreProducts,
  productCategorySchema,
  searchTextSchema,
  storeProductSchema,
} from '@mitra/catalog'
import { idSchema } from '@mitra/core'
import type { Database } from '@mitra/db'
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import { json, listOf, problemResponses, publishableKeySecurity } from '../openapi.js'

const storeProduct = storeProductSchema.openapi('StoreProduct')
const tags = ['store']

export interface StoreRouteOptions {
  /** Resolves a brand slug to the producers it stands for (undefined: no such brand). */
  producersOfBrand?: (slug: string) => Promise<string[] | undefined>
}

/**
 * The producers whose goods a key's channel shows: a producer's key shows its own shop, a
 * cluster's its members', and any other party (venue, platform) the whole active catalogue.
 */
export async function channelProducers(
  db: Database,
  partyId: string,
): Promise<string[] | undefined> {
  const party = await getParty(db, partyId)
  if (party.kind === 'producer') return [party.id]
  if (party.kind === 'cluster') return (await listClusterMembers(db, party.id)).map((p) => p.id)
  return undefined
}

function intersect(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  const keep = new Set(b)
  return a.filter((id) => keep.has(id))
}

const storeQuery = z.strictObject({
  q: searchTextSchema.optional().openapi({ description: 'Words, "phrases", -excluded words' }),
  category: productCategorySchema.optional(),
  producer: idSchema('pty').optional().openapi({ description: 'Only this producer group' }),
  brand: z.string().max(80).optional().openapi({ description: 'Only this brand (its slug)' }),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})

export function registerStoreRoutes(
  app: OpenAPIHono<AppEnv>,
  db: Database,
  options: StoreRouteOptions = {},
): void {
  async function producersFor(c: Context<AppEnv>, producer?: string, brand?: string) {
    let ids = await channelProducers(db, c.get('principal').partyId)
    if (producer !== undefined) ids = intersect(ids, [producer])
    if (brand !== undefined) {
      const ofBrand = options.producersOfBrand ? await options.producersOfBrand(brand) : undefined
      ids = intersect(ids, ofBrand ?? [])
    }
    return ids
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/store/products',
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
      const { producer, brand, ...query } = c.req.valid('query')
      const producerIds = await producersFor(c, producer, brand)
      const page = await listStoreProducts(db, {
        ...query,
        ...(producerIds ? { producerIds } : {}),
      })
      return c.json({ object: 'list' as const, ...page }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/store/products/{id}',
      summary: 'One active product',
      tags,
      security: publishableKeySecurity,
      request: { params: z.object({ id: idSchema('prod') }) },
      responses: { 200: json(storeProduct, 'The product'), ...problemResponses },
    }),
    async (c) => {
      const producerIds = await producersFor(c)
      const found = await getStoreProduct(
        db,
        c.req.valid('param').id,
        producerIds ? { producerIds } : {},
      )
      return c.json(found, 200)
    },
  )
}
