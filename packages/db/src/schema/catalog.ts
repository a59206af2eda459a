import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { mediaAssets } from './branding.js'
import { parties, timestamps } from './parties.js'

/** A Postgres `tsvector`, written by @mitra/catalog from the product's texts. */
export const tsvector = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'tsvector'
  },
})

/**
 * Public profile basics of a party (description, village origin, contact), as validated by
 * @mitra/catalog. One row per party, absent until the party has a profile.
 */
export const partyProfiles = pgTable('party_profiles', {
  partyId: text('party_id')
    .primaryKey()
    .references(() => parties.id, { onDelete: 'cascade' }),
  profile: jsonb('profile').$type<Record<string, unknown>>().notNull(),
  ...timestamps,
})

/** What village producers make (see docs/DOMAIN: Gemawang, Gunungkidul, Kajigelem). */
export const productCategories = [
  'batik',
  'textile',
  'wooden_toys',
  'educational_toys',
  'snacks',
  'honey',
  'natural_dye',
  'masks',
  'bamboo',
  'pottery',
  'stone_craft',
  'other',
] as const
export type ProductCategory = (typeof productCategories)[number]
export const productCategory = pgEnum('product_category', productCategories)

export const productStatuses = ['draft', 'active', 'archived'] as const
export type ProductStatus = (typeof productStatuses)[number]
export const productStatus = pgEnum('product_status', productStatuses)

/**
 * A producer's product, sold under the producer's own brand. `search` is the full-text
 * document (Indonesian and English) written with every change of the product's texts.
 */
export const products = pgTable(
  'products',
  {
    id: text('id').primaryKey(),
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    status: productStatus('status').notNull().default('draft'),
    category: productCategory('category').notNull(),
    titleId: text('title_id').notNull(),
    titleEn: text('title_en'),
    descriptionId: text('description_id'),
    descriptionEn: text('description_en'),
    materials: text('materials').array().notNull().default(sql`'{}'::text[]`),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    originVillage: text('origin_village'),
    originDistrict: text('origin_district'),
    originRegency: text('origin_regency'),
    originProvince: text('origin_province'),
    search: tsvector('search').notNull(),
    ...timestamps,
  },
  (table) => [
    // Target of the (party_id, product_id) foreign keys: a variant or a picture always
    // belongs to the party that owns its product.
    unique('products_party_id_unique').on(table.partyId, table.id),
    index('products_status_idx').on(table.status, table.id),
    index('products_category_idx').on(table.category, table.id),
    index('products_search_idx').using('gin', table.search),
    index('products_tags_idx').using('gin', table.tags),
    check('products_id_format', sql`${table.id} ~ '^prod_[0-9a-z]{26}$'`),
    check('products_title_present', sql`length(trim(${table.titleId})) > 0`),
  ],
)

export type ProductRow = typeof products.$inferSelect
export type NewProductRow = typeof products.$inferInsert

/** A sellable variant: SKU (unique per producer), options, weight and the retail price. */
export const productVariants = pgTable(
  'product_variants',
  {
    id: text('id').primaryKey(),
    productId: text('product_id').notNull(),
    partyId: text('party_id').notNull(),
    sku: text('sku').notNull(),
    options: jsonb('options').$type<Record<string, string>>().notNull().default({}),
    weightGrams: integer('weight_grams').notNull(),
    /** The producer's retail price in minor units; null while the producer has not set it. */
    priceAmount: bigint('price_amount', { mode: 'number' }),
    priceCurrency: text('price_currency'),
    ...timestamps,
  },
  (table) => [
    foreignKey({
      name: 'product_variants_product_fk',
      columns: [table.partyId, table.productId],
      foreignColumns: [products.partyId, products.id],
    }).onDelete('cascade'),
    uniqueIndex('product_variants_party_sku_unique').on(table.partyId, sql`lower(${table.sku})`),
    uniqueIndex('product_variants_product_options_unique').on(table.productId, table.options),
    index('product_variants_product_idx').on(table.productId, table.id),
    check('product_variants_id_format', sql`${table.id} ~ '^var_[0-9a-z]{26}$'`),
    check('product_variants_weight_positive', sql`${table.weightGrams} > 0`),
    check(
      'product_variants_price_complete',
      sql`(${table.priceAmount} is null) = (${table.priceCurrency} is null)`,
    ),
    check('product_variants_price_non_negative', sql`${table.priceAmount} >= 0`),
    check('product_variants_price_currency', sql`${table.priceCurrency} ~ '^[A-Z]{3}$'`),
  ],
)

export type ProductVariantRow = typeof productVariants.$inferSelect

/** A product's pictures, in order: media assets of the same party, with alt text. */
export const productMedia = pgTable(
  'product_media',
  {
    productId: text('product_id').notNull(),
    partyId: text('party_id').notNull(),
    mediaId: text('media_id')
      .notNull()
      .references(() => mediaAssets.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    altId: text('alt_id'),
    altEn: text('alt_en'),
  },
  (table) => [
    primaryKey({ columns: [table.productId, table.mediaId] }),
    foreignKey({
      name: 'product_media_product_fk',
      columns: [table.partyId, table.productId],
      foreignColumns: [products.partyId, products.id],
    }).onDelete('cascade'),
    uniqueIndex('product_media_position_unique').on(table.productId, table.position),
    index('product_media_media_idx').on(table.mediaId),
    check('product_media_position_non_negative', sql`${table.position} >= 0`),
  ],
)

export type ProductMediaRow = typeof productMedia.$inferSelect
