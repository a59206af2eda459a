import { type Executor, parties, products } from '@mitra/db'
import {
  and,
  arrayContains,
  desc,
  eq,
  getTableColumns,
  inArray,
  lt,
  type SQL,
  sql,
} from 'drizzle-orm'
import { type Cursor, decodeCursor, encodeCursor } from './cursor.js'
import { notFound, parseInput } from './internal.js'
import { loadProductDetails, type ProductFields, toProduct } from './products.js'
import {
  type ListProductsQuery,
  type ListStoreProductsQuery,
  listProductsQuerySchema,
  listStoreProductsQuerySchema,
  type Page,
  type Product,
  type StoreProduct,
} from './schemas.js'
import { assertRole, type Scope } from './scope.js'
import { parseSearchQuery, toTsQueryText } from './search-query.js'

const { search: _search, ...productColumns } = getTableColumns(products)

interface PageRequest {
  conditions: SQL[]
  q: string | undefined
  cursor: string | undefined
  limit: number
}

/**
 * One page of products matching `conditions`: newest first, or by relevance (then newest)
 * when `q` holds words to search for. Fetches one row more than asked to know whether a next
 * page exists.
 */
async function productPage(
  db: Executor,
  request: PageRequest,
): Promise<{ rows: ProductFields[]; next: string | null }> {
  const search = request.q === undefined ? null : parseSearchQuery(request.q)
  const conditions = [...request.conditions]
  let rank: SQL<number> | undefined
  if (search !== null) {
    const text = toTsQueryText(search)
    const query = sql`(to_tsquery('indonesian', ${text}::text) || to_tsquery('english', ${text}::text))`
    conditions.push(sql`${products.search} @@ ${query}`)
    // float8 carries the rank through the cursor and back without rounding.
    rank = sql<number>`ts_rank(${products.search}, ${query})::float8`
  }
  if (request.cursor !== undefined) {
    const cursor = decodeCursor(request.cursor, rank === undefined ? 'id' : 'rank')
    conditions.push(
      cursor.kind === 'rank' && rank !== undefined
        ? sql`(${rank} < ${cursor.rank}::float8 or (${rank} = ${cursor.rank}::float8 and ${products.id} < ${cursor.id}))`
        : lt(products.id, cursor.id),
    )
  }
  const rows = await db
    .select({ product: productColumns, rank: rank ?? sql<number>`0::float8` })
    .from(products)
    .where(and(...conditions))
    .orderBy(...(rank === undefined ? [] : [desc(rank)]), desc(products.id))
    .limit(request.limit + 1)
  const page = rows.slice(0, request.limit)
  const last = page.at(-1)
  let next: Cursor | null = null
  if (rows.length > request.limit && last !== undefined) {
    next =
      rank === undefined
        ? { kind: 'id', id: last.product.id }
        : { kind: 'rank', rank: Number(last.rank), id: last.product.id }
  }
  return { rows: page.map((row) => row.product), next: next === null ? null : encodeCursor(next) }
}

/**
 * The scope's own products, any status, newest first (by relevance when `q` is given),
 * with variants and pictures. Filters: `status`, `category`, `tag`, `q`.
 */
export async function listProducts(
  db: Executor,
  scope: Scope,
  query: ListProductsQuery = {},
): Promise<Page<Product>> {
  assertRole(scope, 'staff')
  const { status, category, tag, q, cursor, limit } = parseInput(listProductsQuerySchema, query)
  const conditions: SQL[] = [eq(products.partyId, scope.partyId)]
  if (status !== undefined) conditions.push(eq(products.status, status))
  if (category !== undefined) conditions.push(eq(products.category, category))
  if (tag !== undefined) conditions.push(arrayContains(products.tags, [tag]))
  const { rows, next } = await productPage(db, { conditions, q, cursor, limit })
  const details = await loadProductDetails(
    db,
    rows.map((row) => row.id),
  )
  return {
    data: rows.map((row) => {
      const found = details.get(row.id)
      return toProduct(row, found?.variants ?? [], found?.media ?? [])
    }),
    next_cursor: next,
  }
}

/**
 * What shoppers see: active products only (of `producerIds` when given), with their maker,
 * the variants that have a price, and pictures. Newest first, or by relevance with `q`.
 */
export async function listStoreProducts(
  db: Executor,
  query: ListStoreProductsQuery = {},
): Promise<Page<StoreProduct>> {
  const { producerIds, productIds, category, q, cursor, limit } = parseInput(
    listStoreProductsQuerySchema,
    query,
  )
  if (producerIds?.length === 0 || productIds?.length === 0) return { data: [], next_cursor: null }
  const conditions: SQL[] = [eq(products.status, 'active')]
  if (producerIds !== undefined) conditions.push(inArray(products.partyId, producerIds))
  if (productIds !== undefined) conditions.push(inArray(products.id, productIds))
  if (category !== undefined) conditions.push(eq(products.category, category))
  const { rows, next } = await productPage(db, { conditions, q, cursor, limit })
  return { data: await toStoreProducts(db, rows), next_cursor: next }
}

async function toStoreProducts(db: Executor, rows: ProductFields[]): Promise<StoreProduct[]> {
  if (rows.length === 0) return []
  const ids = rows.map((row) => row.id)
  const [details, makers] = await Promise.all([
    loadProductDetails(db, ids, { pricedOnly: true }),
    db
      .select({ id: parties.id, name: parties.name, slug: parties.slug })
      .from(parties)
      .where(inArray(parties.id, [...new Set(rows.map((row) => row.partyId))])),
  ])
  const makerById = new Map(makers.map((maker) => [maker.id, maker]))
  return rows.map((row) => {
    const found = details.get(row.id)
    const { status: _status, ...product } = toProduct(
      row,
      found?.variants ?? [],
      found?.media ?? [],
    )
    const maker = makerById.get(row.partyId) ?? { id: row.partyId, name: '', slug: '' }
    return { ...product, producer: maker }
  })
}

/**
 * One product as shoppers see it; 404 unless it is active (and, with `producerIds`, made by
 * one of them).
 */
export async function getStoreProduct(
  db: Executor,
  productId: string,
  options: { producerIds?: string[] } = {},
): Promise<StoreProduct> {
  const conditions: SQL[] = [eq(products.id, productId), eq(products.status, 'active')]
  if (options.producerIds !== undefined) {
    if (options.producerIds.length === 0) throw notFoundProduct(productId)
    conditions.push(inArray(products.partyId, options.producerIds))
  }
  const rows = await db
    .select(productColumns)
    .from(products)
    .where(and(...conditions))
  const [product] = await toStoreProducts(db, rows)
  if (product === undefined) throw notFoundProduct(productId)
  return product
}

function notFoundProduct(productId: string) {
  return notFound('product', productId)
}
