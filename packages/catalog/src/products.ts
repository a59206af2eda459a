import { MitraError, money, newId } from '@mitra/core'
import {
  type Executor,
  mediaAssets,
  type ProductMediaRow,
  type ProductRow,
  type ProductVariantRow,
  parties,
  productMedia,
  products,
  productVariants,
  sqlState,
  sqlStateOf,
} from '@mitra/db'
import {
  and,
  asc,
  count,
  eq,
  getTableColumns,
  inArray,
  isNotNull,
  ne,
  type SQL,
  sql,
} from 'drizzle-orm'
import type { z } from 'zod'
import { productCategoryLabels } from './categories.js'
import { atomically, conflict, iso, mapUniqueViolation, notFound, parseInput } from './internal.js'
import {
  type AddProductMediaInput,
  addProductMediaSchema,
  type CreateProductInput,
  type CreateVariantInput,
  createProductSchema,
  createVariantSchema,
  type Product,
  type ProductMedia,
  type ProductMediaInput,
  productMediaListSchema,
  productStatusSchema,
  type ReorderProductMediaInput,
  reorderProductMediaSchema,
  type UpdateProductInput,
  type UpdateVariantInput,
  updateProductSchema,
  updateVariantSchema,
  type Variant,
} from './schemas.js'
import { assertRole, type Scope } from './scope.js'
import { assertProductTransition, checkSellable } from './status.js'

const { search: _search, ...productColumns } = getTableColumns(products)

/** A product row without its search document. */
export type ProductFields = Omit<ProductRow, 'search'>
type ProductTexts = Omit<ProductFields, 'id' | 'partyId' | 'status' | 'createdAt' | 'updatedAt'>

type ParsedProduct = z.output<typeof createProductSchema>
type ParsedVariant = z.output<typeof createVariantSchema>
type ParsedMedia = z.output<typeof productMediaListSchema>[number]

const variantUniques = {
  product_variants_party_sku_unique: {
    path: 'sku',
    message: 'Another variant of this producer already has this SKU',
  },
  product_variants_product_options_unique: {
    path: 'options',
    message: 'Another variant of this product already has these options',
  },
}

/** Most rows one multi-row insert writes. */
const insertChunk = 250

// ---------------------------------------------------------------------------------------
// Rows ⇄ API shapes

/**
 * The full-text document of a product: titles weigh most, then tags and category, then
 * materials and origin, then descriptions. Indonesian texts are stemmed as Indonesian,
 * English texts as English, and texts of either language (tags, materials, places) both
 * ways, so a search in either language finds them.
 */
export function searchDocument(fields: ProductTexts): SQL {
  const label = productCategoryLabels[fields.category]
  const tagged = [...fields.tags, label.id, label.en].join(' ')
  const made = [
    ...fields.materials,
    fields.originVillage,
    fields.originDistrict,
    fields.originRegency,
    fields.originProvince,
  ]
    .filter((part) => part !== null && part !== '')
    .join(' ')
  const both = (text: string, weight: string) =>
    sql`setweight(to_tsvector('indonesian', ${text}::text), ${weight}::"char") || setweight(to_tsvector('english', ${text}::text), ${weight}::"char")`
  return sql`(setweight(to_tsvector('indonesian', ${fields.titleId}::text), 'A') || setweight(to_tsvector('english', ${fields.titleEn ?? ''}::text), 'A') || ${both(tagged, 'B')} || ${both(made, 'C')} || setweight(to_tsvector('indonesian', ${fields.descriptionId ?? ''}::text), 'D') || setweight(to_tsvector('english', ${fields.descriptionEn ?? ''}::text), 'D'))`
}

function toVariant(row: ProductVariantRow): Variant {
  return {
    id: row.id,
    product_id: row.productId,
    sku: row.sku,
    options: row.options,
    weight_grams: row.weightGrams,
    price:
      row.priceAmount === null || row.priceCurrency === null
        ? null
        : { ...money(row.priceAmount, row.priceCurrency) },
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  }
}

function toMedia(row: ProductMediaRow): ProductMedia {
  return {
    media_id: row.mediaId,
    position: row.position,
    alt: { id: row.altId, en: row.altEn },
  }
}

export function toProduct(row: ProductFields, variants: Variant[], media: ProductMedia[]): Product {
  return {
    id: row.id,
    producer_id: row.partyId,
    status: row.status,
    category: row.category,
    title: { id: row.titleId, en: row.titleEn },
    description: { id: row.descriptionId, en: row.descriptionEn },
    materials: row.materials,
    tags: row.tags,
    origin: {
      village: row.originVillage,
      district: row.originDistrict,
      regency: row.originRegency,
      province: row.originProvince,
    },
    variants,
    media,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  }
}

/** Variants (oldest first) and pictures (in order) of some products, in two queries. */
export async function loadProductDetails(
  db: Executor,
  productIds: string[],
  options: { pricedOnly?: boolean } = {},
): Promise<Map<string, { variants: Variant[]; media: ProductMedia[] }>> {
  const details = new Map<string, { variants: Variant[]; media: ProductMedia[] }>()
  if (productIds.length === 0) return details
  for (const id of productIds) details.set(id, { variants: [], media: [] })
  const variantConditions: SQL[] = [inArray(productVariants.productId, productIds)]
  if (options.pricedOnly === true) variantConditions.push(isNotNull(productVariants.priceAmount))
  const [variantRows, mediaRows] = await Promise.all([
    db
      .select()
      .from(productVariants)
      .where(and(...variantConditions))
      .orderBy(asc(productVariants.productId), asc(productVariants.id)),
    db
      .select()
      .from(productMedia)
      .where(inArray(productMedia.productId, productIds))
      .orderBy(asc(productMedia.productId), asc(productMedia.position)),
  ])
  for (const row of variantRows) details.get(row.productId)?.variants.push(toVariant(row))
  for (const row of mediaRows) details.get(row.productId)?.media.push(toMedia(row))
  return details
}

function emptyToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value
}

function productTexts(data: ParsedProduct): ProductTexts {
  return {
    category: data.category,
    titleId: data.title.id,
    titleEn: emptyToNull(data.title.en),
    descriptionId: emptyToNull(data.description?.id),
    descriptionEn: emptyToNull(data.description?.en),
    materials: data.materials,
    tags: data.tags,
    originVillage: data.origin?.village ?? null,
    originDistrict: data.origin?.district ?? null,
    originRegency: data.origin?.regency ?? null,
    originProvince: data.origin?.province ?? null,
  }
}

function variantValues(variant: ParsedVariant, productId: string, partyId: string) {
  return {
    id: newId('var'),
    productId,
    partyId,
    sku: variant.sku,
    options: variant.options,
    weightGrams: variant.weight_grams,
    priceAmount: variant.price?.amount ?? null,
    priceCurrency: variant.price?.currency ?? null,
  }
}

function mediaValues(items: ParsedMedia[], productId: string, partyId: string) {
  return items.map((item, position) => ({
    productId,
    partyId,
    mediaId: item.media_id,
    position,
    altId: emptyToNull(item.alt?.id),
    altEn: emptyToNull(item.alt?.en),
  }))
}

function joinPath(prefix: string, rest: string): string {
  return prefix === '' ? rest : `${prefix}.${rest}`
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let start = 0; start < items.length; start += size) {
    out.push(items.slice(start, start + size))
  }
  return out
}

// ---------------------------------------------------------------------------------------
// Guards

/** Products belong to producer groups: another kind of party gets a 403. */
async function assertProducer(db: Executor, scope: Scope): Promise<void> {
  const [party] = await db
    .select({ kind: parties.kind })
    .from(parties)
    .where(eq(parties.id, scope.partyId))
  if (party?.kind !== 'producer') {
    throw new MitraError('forbidden', 'Only producer groups own products')
  }
}

/** Refuses SKUs the producer already uses, naming the field that repeats one. */
async function assertSkusFree(tx: Executor, partyId: string, paths: Map<string, string>) {
  if (paths.size === 0) return
  for (const keys of chunks([...paths.keys()], 1000)) {
    const [taken] = await tx
      .select({ sku: productVariants.sku })
      .from(productVariants)
      .where(
        and(
          eq(productVariants.partyId, partyId),
          inArray(sql`lower(${productVariants.sku})`, keys),
        ),
      )
      .limit(1)
    if (taken !== undefined) {
      const path = paths.get(taken.sku.toLowerCase()) ?? 'sku'
      throw conflict(path, `Another variant of this producer already has SKU '${taken.sku}'`)
    }
  }
}

/** Media must be the party's own assets: anything else is a 404 naming the field. */
async function assertOwnMedia(tx: Executor, partyId: string, paths: Map<string, string>) {
  if (paths.size === 0) return
  const found = new Set<string>()
  for (const ids of chunks([...paths.keys()], 1000)) {
    const rows = await tx
      .select({ id: mediaAssets.id })
      .from(mediaAssets)
      .where(and(eq(mediaAssets.partyId, partyId), inArray(mediaAssets.id, ids)))
    for (const row of rows) found.add(row.id)
  }
  for (const [id, path] of paths) {
    if (!found.has(id)) throw notFound('media asset', id, path)
  }
}

/** The scope's product, locked for the rest of the transaction; 404 if not theirs. */
async function lockProduct(tx: Executor, scope: Scope, productId: string): Promise<ProductFields> {
  const [row] = await tx
    .select(productColumns)
    .from(products)
    .where(and(eq(products.id, productId), eq(products.partyId, scope.partyId)))
    .for('update')
  if (row === undefined) throw notFound('product', productId)
  return row
}

async function pricedVariantCount(
  tx: Executor,
  productId: string,
  exceptVariantId?: string,
): Promise<number> {
  const conditions: SQL[] = [
    eq(productVariants.productId, productId),
    isNotNull(productVariants.priceAmount),
  ]
  if (exceptVariantId !== undefined) conditions.push(ne(productVariants.id, exceptVariantId))
  const [row] = await tx
    .select({ n: count() })
    .from(productVariants)
    .where(and(...conditions))
  return row?.n ?? 0
}

async function touchProduct(tx: Executor, productId: string): Promise<void> {
  await tx.update(products).set({ updatedAt: new Date() }).where(eq(products.id, productId))
}

async function hydrate(db: Executor, row: ProductFields): Promise<Product> {
  const details = (await loadProductDetails(db, [row.id])).get(row.id)
  return toProduct(row, details?.variants ?? [], details?.media ?? [])
}

// ---------------------------------------------------------------------------------------
// Products

async function insertProducts(
  tx: Executor,
  scope: Scope,
  items: { data: ParsedProduct; path: string }[],
): Promise<Product[]> {
  const skuPaths = new Map<string, string>()
  const mediaPaths = new Map<string, string>()
  for (const { data, path } of items) {
    data.variants.forEach((variant, index) => {
      const key = variant.sku.toLowerCase()
      const here = joinPath(path, `variants.${index}.sku`)
      const before = skuPaths.get(key)
      if (before !== undefined) {
        const message = `SKU '${variant.sku}' is also used at ${before}`
        throw new MitraError('validation_failed', `'${here}': ${message}`, {
          errors: [{ path: here, code: 'duplicate', message }],
        })
      }
      skuPaths.set(key, here)
    })
    data.media.forEach((item, index) => {
      mediaPaths.set(item.media_id, joinPath(path, `media.${index}.media_id`))
    })
  }
  await assertSkusFree(tx, scope.partyId, skuPaths)
  await assertOwnMedia(tx, scope.partyId, mediaPaths)

  const productRows = items.map(({ data }) => {
    const texts = productTexts(data)
    return { id: newId('prod'), partyId: scope.partyId, ...texts, search: searchDocument(texts) }
  })
  const inserted: ProductFields[] = []
  for (const chunk of chunks(productRows, insertChunk)) {
    inserted.push(...(await tx.insert(products).values(chunk).returning(productColumns)))
  }
  const variantRows = items.flatMap(({ data }, index) =>
    data.variants.map((variant) => variantValues(variant, productRows[index]!.id, scope.partyId)),
  )
  const variants: ProductVariantRow[] = []
  for (const chunk of chunks(variantRows, insertChunk)) {
    variants.push(...(await tx.insert(productVariants).values(chunk).returning()))
  }
  const mediaRows = items.flatMap(({ data }, index) =>
    mediaValues(data.media, productRows[index]!.id, scope.partyId),
  )
  for (const chunk of chunks(mediaRows, insertChunk)) {
    await tx.insert(productMedia).values(chunk)
  }

  const byProduct = new Map<string, { variants: Variant[]; media: ProductMedia[] }>(
    inserted.map((row) => [row.id, { variants: [], media: [] }]),
  )
  for (const row of variants) byProduct.get(row.productId)?.variants.push(toVariant(row))
  for (const row of mediaRows) {
    byProduct.get(row.productId)?.media.push({
      media_id: row.mediaId,
      position: row.position,
      alt: { id: row.altId, en: row.altEn },
    })
  }
  return inserted.map((row) => {
    const details = byProduct.get(row.id)
    return toProduct(row, details?.variants ?? [], details?.media ?? [])
  })
}

/**
 * Creates a draft product of the scope's producer, with its variants and pictures. A SKU the
 * producer already uses is a 409 naming it; a media asset of another party a 404 naming it.
 */
export async function createProduct(
  db: Executor,
  scope: Scope,
  input: CreateProductInput,
): Promise<Product> {
  assertRole(scope, 'staff')
  const data = parseInput(createProductSchema, input)
  try {
    return await atomically(db, async (tx) => {
      await assertProducer(tx, scope)
      const [product] = await insertProducts(tx, scope, [{ data, path: '' }])
      if (product === undefined) throw new Error('insert returned no product')
      return product
    })
  } catch (error) {
    mapUniqueViolation(error, variantUniques)
  }
}

/**
 * Creates many draft products at once (a catalogue imported from a spreadsheet): all or
 * none. Failing fields are named with the item's index first (`3.variants.0.sku`).
 */
export async function createProducts(
  db: Executor,
  scope: Scope,
  inputs: CreateProductInput[],
): Promise<Product[]> {
  assertRole(scope, 'staff')
  if (inputs.length > 1000) {
    throw new MitraError('validation_failed', 'At most 1000 products at once', {
      errors: [{ path: '', code: 'too_big', message: 'at most 1000 products at once' }],
    })
  }
  const items = inputs.map((input, index) => ({
    data: parseInput(createProductSchema, input, String(index)),
    path: String(index),
  }))
  if (items.length === 0) return []
  try {
    return await atomically(db, async (tx) => {
      await assertProducer(tx, scope)
      return insertProducts(tx, scope, items)
    })
  } catch (error) {
    mapUniqueViolation(error, variantUniques)
  }
}

/** One of the scope's products, with variants and pictures; 404 if it is not theirs. */
export async function getProduct(db: Executor, scope: Scope, productId: string): Promise<Product> {
  const [row] = await db
    .select(productColumns)
    .from(products)
    .where(and(eq(products.id, productId), eq(products.partyId, scope.partyId)))
  if (row === undefined) throw notFound('product', productId)
  return hydrate(db, row)
}

/**
 * Changes a product's texts, category, materials, tags or origin. Each field given replaces
 * that field whole (`title` replaces both languages); `description` and `origin` may be null.
 */
export async function updateProduct(
  db: Executor,
  scope: Scope,
  productId: string,
  input: UpdateProductInput,
): Promise<Product> {
  assertRole(scope, 'staff')
  const data = parseInput(updateProductSchema, input)
  return atomically(db, async (tx) => {
    const current = await lockProduct(tx, scope, productId)
    const next: ProductTexts = {
      category: data.category ?? current.category,
      titleId: data.title?.id ?? current.titleId,
      titleEn: data.title === undefined ? current.titleEn : emptyToNull(data.title.en),
      descriptionId:
        data.description === undefined ? current.descriptionId : emptyToNull(data.description?.id),
      descriptionEn:
        data.description === undefined ? current.descriptionEn : emptyToNull(data.description?.en),
      materials: data.materials ?? current.materials,
      tags: data.tags ?? current.tags,
      originVillage:
        data.origin === undefined ? current.originVillage : (data.origin?.village ?? null),
      originDistrict:
        data.origin === undefined ? current.originDistrict : (data.origin?.district ?? null),
      originRegency:
        data.origin === undefined ? current.originRegency : (data.origin?.regency ?? null),
      originProvince:
        data.origin === undefined ? current.originProvince : (data.origin?.province ?? null),
    }
    const [row] = await tx
      .update(products)
      .set({ ...next, search: searchDocument(next), updatedAt: new Date() })
      .where(eq(products.id, productId))
      .returning(productColumns)
    if (row === undefined) throw notFound('product', productId)
    return hydrate(tx, row)
  })
}

/**
 * Moves a product between draft, active and archived (see `productTransitions`). Going
 * active needs a variant with a price (409 `product_incomplete`); a move the rules do not
 * allow, such as archived → active, is a 409 `illegal_status_transition`.
 */
export async function setProductStatus(
  db: Executor,
  scope: Scope,
  productId: string,
  status: string,
): Promise<Product> {
  assertRole(scope, 'staff')
  const target = parseInput(productStatusSchema, status, 'status')
  return atomically(db, async (tx) => {
    const current = await lockProduct(tx, scope, productId)
    const { changed } = assertProductTransition(current.status, target, {
      pricedVariants: await pricedVariantCount(tx, productId),
    })
    if (!changed) return hydrate(tx, current)
    const [row] = await tx
      .update(products)
      .set({ status: target, updatedAt: new Date() })
      .where(eq(products.id, productId))
      .returning(productColumns)
    if (row === undefined) throw notFound('product', productId)
    return hydrate(tx, row)
  })
}

// ---------------------------------------------------------------------------------------
// Variants

/** Adds a variant to one of the scope's products. */
export async function addVariant(
  db: Executor,
  scope: Scope,
  productId: string,
  input: CreateVariantInput,
): Promise<Variant> {
  assertRole(scope, 'staff')
  const data = parseInput(createVariantSchema, input)
  try {
    return await atomically(db, async (tx) => {
      await lockProduct(tx, scope, productId)
      await assertSkusFree(tx, scope.partyId, new Map([[data.sku.toLowerCase(), 'sku']]))
      const [row] = await tx
        .insert(productVariants)
        .values(variantValues(data, productId, scope.partyId))
        .returning()
      if (row === undefined) throw new Error('insert returned no variant')
      await touchProduct(tx, productId)
      return toVariant(row)
    })
  } catch (error) {
    mapUniqueViolation(error, variantUniques)
  }
}

async function lockVariant(
  tx: Executor,
  scope: Scope,
  variantId: string,
): Promise<{ variant: ProductVariantRow; product: ProductFields }> {
  const [variant] = await tx
    .select()
    .from(productVariants)
    .where(and(eq(productVariants.id, variantId), eq(productVariants.partyId, scope.partyId)))
  if (variant === undefined) throw notFound('variant', variantId)
  // The product's lock serialises this with status changes and the product's other variants.
  const product = await lockProduct(tx, scope, variant.productId)
  return { variant, product }
}

/** The scope's variant, with fields given replaced. */
export async function updateVariant(
  db: Executor,
  scope: Scope,
  variantId: string,
  input: UpdateVariantInput,
): Promise<Variant> {
  assertRole(scope, 'staff')
  const data = parseInput(updateVariantSchema, input)
  try {
    return await atomically(db, async (tx) => {
      const { variant, product } = await lockVariant(tx, scope, variantId)
      if (data.price === null && variant.priceAmount !== null) {
        const sellable = checkSellable(product.status, {
          pricedVariants: await pricedVariantCount(tx, product.id, variant.id),
        })
        if (!sellable.ok) {
          throw new MitraError(
            sellable.code,
            `${sellable.message}; set the product to draft first`,
            {
              errors: [{ path: 'price', code: sellable.code, message: sellable.message }],
            },
          )
        }
      }
      const patch: Partial<ProductVariantRow> = { updatedAt: new Date() }
      if (data.sku !== undefined && data.sku.toLowerCase() !== variant.sku.toLowerCase()) {
        await assertSkusFree(tx, scope.partyId, new Map([[data.sku.toLowerCase(), 'sku']]))
      }
      if (data.sku !== undefined) patch.sku = data.sku
      if (data.options !== undefined) patch.options = data.options
      if (data.weight_grams !== undefined) patch.weightGrams = data.weight_grams
      if (data.price !== undefined) {
        patch.priceAmount = data.price?.amount ?? null
        patch.priceCurrency = data.price?.currency ?? null
      }
      const [row] = await tx
        .update(productVariants)
        .set(patch)
        .where(eq(productVariants.id, variantId))
        .returning()
      if (row === undefined) throw notFound('variant', variantId)
      await touchProduct(tx, product.id)
      return toVariant(row)
    })
  } catch (error) {
    mapUniqueViolation(error, variantUniques)
  }
}

/**
 * Deletes one of the scope's variants. An active product keeps at least one priced variant
 * (409 `product_incomplete`); a variant other records refer to is a 409 `conflict`.
 */
export async function removeVariant(db: Executor, scope: Scope, variantId: string): Promise<void> {
  assertRole(scope, 'staff')
  try {
    await atomically(db, async (tx) => {
      const { variant, product } = await lockVariant(tx, scope, variantId)
      if (variant.priceAmount !== null) {
        const sellable = checkSellable(product.status, {
          pricedVariants: await pricedVariantCount(tx, product.id, variant.id),
        })
        if (!sellable.ok) {
          throw new MitraError(sellable.code, `${sellable.message}; set the product to draft first`)
        }
      }
      await tx.delete(productVariants).where(eq(productVariants.id, variantId))
      await touchProduct(tx, product.id)
    })
  } catch (error) {
    if (sqlStateOf(error) === sqlState.foreignKeyViolation) {
      throw new MitraError(
        'conflict',
        'This variant has stock or sales recorded; archive the product instead',
        { cause: error },
      )
    }
    throw error
  }
}

// ---------------------------------------------------------------------------------------
// Media

async function currentMedia(tx: Executor, productId: string): Promise<ProductMediaRow[]> {
  return tx
    .select()
    .from(productMedia)
    .where(eq(productMedia.productId, productId))
    .orderBy(asc(productMedia.position))
}

async function writeMedia(
  tx: Executor,
  product: ProductFields,
  items: ParsedMedia[],
): Promise<ProductMedia[]> {
  await tx.delete(productMedia).where(eq(productMedia.productId, product.id))
  const rows = mediaValues(items, product.id, product.partyId)
  if (rows.length > 0) await tx.insert(productMedia).values(rows)
  await touchProduct(tx, product.id)
  return rows.map((row) => ({
    media_id: row.mediaId,
    position: row.position,
    alt: { id: row.altId, en: row.altEn },
  }))
}

function asItem(row: ProductMediaRow): ParsedMedia {
  const alt: { id?: string; en?: string } = {}
  if (row.altId !== null) alt.id = row.altId
  if (row.altEn !== null) alt.en = row.altEn
  return { media_id: row.mediaId as ParsedMedia['media_id'], alt }
}

/** Replaces the product's pictures with `items`, in that order (the first is the cover). */
export async function setProductMedia(
  db: Executor,
  scope: Scope,
  productId: string,
  items: ProductMediaInput[],
): Promise<ProductMedia[]> {
  assertRole(scope, 'staff')
  const data = parseInput(productMediaListSchema, items, 'media')
  return atomically(db, async (tx) => {
    const product = await lockProduct(tx, scope, productId)
    await assertOwnMedia(
      tx,
      scope.partyId,
      new Map(data.map((item, index) => [item.media_id, `media.${index}.media_id`])),
    )
    return writeMedia(tx, product, data)
  })
}

/** Adds a picture at `position` (default: last). A picture already there is a 409. */
export async function addProductMedia(
  db: Executor,
  scope: Scope,
  productId: string,
  input: AddProductMediaInput,
): Promise<ProductMedia[]> {
  assertRole(scope, 'staff')
  const { position, ...item } = parseInput(addProductMediaSchema, input)
  return atomically(db, async (tx) => {
    const product = await lockProduct(tx, scope, productId)
    const items = (await currentMedia(tx, productId)).map(asItem)
    if (items.some((existing) => existing.media_id === item.media_id)) {
      throw conflict('media_id', 'This picture is already on the product')
    }
    if (items.length >= 20) {
      throw new MitraError('validation_failed', 'A product has at most 20 pictures', {
        errors: [{ path: 'media_id', code: 'too_big', message: 'at most 20 pictures' }],
      })
    }
    await assertOwnMedia(tx, scope.partyId, new Map([[item.media_id, 'media_id']]))
    items.splice(Math.min(position ?? items.length, items.length), 0, item)
    return writeMedia(tx, product, items)
  })
}

/** Takes a picture off the product (the asset itself stays); 404 if it is not on it. */
export async function removeProductMedia(
  db: Executor,
  scope: Scope,
  productId: string,
  mediaId: string,
): Promise<ProductMedia[]> {
  assertRole(scope, 'staff')
  return atomically(db, async (tx) => {
    const product = await lockProduct(tx, scope, productId)
    const items = (await currentMedia(tx, productId)).map(asItem)
    const kept = items.filter((item) => item.media_id !== mediaId)
    if (kept.length === items.length) throw notFound('picture on this product', mediaId, 'media_id')
    return writeMedia(tx, product, kept)
  })
}

/** Puts the product's pictures in a new order: `media_ids` must list each exactly once. */
export async function reorderProductMedia(
  db: Executor,
  scope: Scope,
  productId: string,
  input: ReorderProductMediaInput,
): Promise<ProductMedia[]> {
  assertRole(scope, 'staff')
  const { media_ids: order } = parseInput(reorderProductMediaSchema, input)
  return atomically(db, async (tx) => {
    const product = await lockProduct(tx, scope, productId)
    const items = new Map((await currentMedia(tx, productId)).map((row) => [row.mediaId, row]))
    const same =
      order.length === items.size &&
      new Set(order).size === order.length &&
      order.every((id) => items.has(id))
    if (!same) {
      const message = "must list each of the product's pictures exactly once"
      throw new MitraError('validation_failed', `'media_ids' ${message}`, {
        errors: [{ path: 'media_ids', code: 'invalid_order', message }],
      })
    }
    return writeMedia(
      tx,
      product,
      order.map((id) => asItem(items.get(id)!)),
    )
  })
}
