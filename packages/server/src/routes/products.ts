import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import {
  addVariant,
  createProduct,
  createProductSchema,
  createVariantSchema,
  getProduct,
  listProducts,
  listProductsQuerySchema,
  productMediaListSchema,
  productMediaSchema,
  productSchema,
  removeVariant,
  setProductMedia,
  setProductStatus,
  setProductStatusSchema,
  updateProduct,
  updateProductSchema,
  updateVariant,
  updateVariantSchema,
  variantSchema,
} from '@mitra/catalog'
import { idSchema } from '@mitra/core'
import type { Database } from '@mitra/db'
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import {
  idempotencyHeader,
  json,
  jsonBody,
  listOf,
  problemResponses,
  secretKeySecurity,
} from '../openapi.js'

const product = productSchema.meta({ id: 'Product' })
const variant = variantSchema.meta({ id: 'Variant' })
const productId = z.object({ id: idSchema('prod') })
const variantId = z.object({ id: idSchema('var') })
const scopeOf = (c: Context<AppEnv>) => {
  const { partyId, role } = c.get('principal')
  return { partyId, role }
}
const tags = ['products']

/** Admin routes for a producer's own products: staff and owners alike. */
export function registerProductRoutes(app: OpenAPIHono<AppEnv>, db: Database): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/products',
      operationId: 'createProduct',
      summary: 'Create a product (as a draft), optionally with variants and media',
      tags,
      security: secretKeySecurity,
      request: {
        headers: idempotencyHeader,
        body: jsonBody(createProductSchema.meta({ id: 'CreateProduct' })),
      },
      responses: { 201: json(product, 'Created'), ...problemResponses },
    }),
    async (c) => c.json(await createProduct(db, scopeOf(c), c.req.valid('json')), 201),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/products',
      operationId: 'listProducts',
      summary: 'Your products: filter by status, category or tag; search with q',
      tags,
      security: secretKeySecurity,
      request: { query: listProductsQuerySchema },
      responses: {
        200: json(listOf(product, 'ProductList'), 'A page of products'),
        ...problemResponses,
      },
    }),
    async (c) => {
      const page = await listProducts(db, scopeOf(c), c.req.valid('query'))
      return c.json({ object: 'list' as const, ...page }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/products/{id}',
      operationId: 'getProduct',
      summary: 'One of your products',
      tags,
      security: secretKeySecurity,
      request: { params: productId },
      responses: { 200: json(product, 'The product'), ...problemResponses },
    }),
    async (c) => c.json(await getProduct(db, scopeOf(c), c.req.valid('param').id), 200),
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/admin/products/{id}',
      operationId: 'updateProduct',
      summary: 'Change a product’s texts, category, materials, tags or origin',
      tags,
      security: secretKeySecurity,
      request: {
        params: productId,
        body: jsonBody(updateProductSchema.meta({ id: 'UpdateProduct' })),
      },
      responses: { 200: json(product, 'Updated'), ...problemResponses },
    }),
    async (c) =>
      c.json(
        await updateProduct(db, scopeOf(c), c.req.valid('param').id, c.req.valid('json')),
        200,
      ),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/products/{id}/status',
      operationId: 'setProductStatus',
      summary: 'Publish (active), archive, or restore to draft',
      tags,
      security: secretKeySecurity,
      request: {
        headers: idempotencyHeader,
        params: productId,
        body: jsonBody(setProductStatusSchema.meta({ id: 'SetProductStatusRequest' })),
      },
      responses: { 200: json(product, 'Status changed'), ...problemResponses },
    }),
    async (c) =>
      c.json(
        await setProductStatus(db, scopeOf(c), c.req.valid('param').id, c.req.valid('json').status),
        200,
      ),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/products/{id}/variants',
      operationId: 'addVariant',
      summary: 'Add a variant (SKU, options, weight, your retail price)',
      tags,
      security: secretKeySecurity,
      request: {
        headers: idempotencyHeader,
        params: productId,
        body: jsonBody(createVariantSchema.meta({ id: 'CreateVariant' })),
      },
      responses: { 201: json(variant, 'Created'), ...problemResponses },
    }),
    async (c) =>
      c.json(await addVariant(db, scopeOf(c), c.req.valid('param').id, c.req.valid('json')), 201),
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/admin/variants/{id}',
      operationId: 'updateVariant',
      summary: 'Change a variant',
      tags,
      security: secretKeySecurity,
      request: {
        params: variantId,
        body: jsonBody(updateVariantSchema.meta({ id: 'UpdateVariant' })),
      },
      responses: { 200: json(variant, 'Updated'), ...problemResponses },
    }),
    async (c) =>
      c.json(
        await updateVariant(db, scopeOf(c), c.req.valid('param').id, c.req.valid('json')),
        200,
      ),
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/variants/{id}',
      operationId: 'removeVariant',
      summary: 'Remove a variant',
      tags,
      security: secretKeySecurity,
      request: { params: variantId },
      responses: {
        200: json(
          z.object({ id: z.string(), deleted: z.literal(true) }).openapi('DeletedVariant'),
          'Removed',
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await removeVariant(db, scopeOf(c), id)
      return c.json({ id, deleted: true as const }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/admin/products/{id}/media',
      operationId: 'setProductMedia',
      summary: 'Set a product’s images, in order, with alt text',
      tags,
      security: secretKeySecurity,
      request: {
        params: productId,
        body: jsonBody(
          z.strictObject({ media: productMediaListSchema }).openapi('SetProductMediaRequest'),
        ),
      },
      responses: {
        200: json(
          z.object({ media: z.array(productMediaSchema) }).openapi('ProductMediaList'),
          'The media, in order',
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const media = await setProductMedia(
        db,
        scopeOf(c),
        c.req.valid('param').id,
        c.req.valid('json').media,
      )
      return c.json({ media }, 200)
    },
  )
}
