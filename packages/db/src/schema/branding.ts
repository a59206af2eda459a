import { sql } from 'drizzle-orm'
import { check, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { parties, timestamps } from './parties.js'

/** One stored rendition of an image: a width and a format, addressed by its content hash. */
export interface MediaVariant {
  width: number
  height: number
  format: 'avif' | 'webp' | 'jpeg'
  key: string
  bytes: number
}

/**
 * An uploaded image after the pipeline: the original is not kept (it may carry GPS data);
 * only cleaned, auto-oriented variants are stored, content-addressed.
 */
export const mediaAssets = pgTable(
  'media_assets',
  {
    id: text('id').primaryKey(),
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    /** SHA-256 of the uploaded bytes: the same upload by the same party is one asset. */
    sourceHash: text('source_hash').notNull(),
    sourceFormat: text('source_format').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    dominantColor: text('dominant_color').notNull(),
    placeholder: text('placeholder').notNull(),
    variants: jsonb('variants').$type<MediaVariant[]>().notNull(),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('media_assets_party_source_unique').on(table.partyId, table.sourceHash),
    index('media_assets_party_idx').on(table.partyId, table.id),
    check('media_assets_id_format', sql`${table.id} ~ '^med_[0-9a-z]{26}$'`),
  ],
)

/**
 * A party's brand: producers and clusters (a cluster's kit is the collective village mark
 * shown beside its members' own brands). The kit's fields live in `kit` as validated by
 * @mitra/branding; `slug` is its public address.
 */
export const brandKits = pgTable(
  'brand_kits',
  {
    id: text('id').primaryKey(),
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    logoMediaId: text('logo_media_id').references(() => mediaAssets.id, { onDelete: 'set null' }),
    kit: jsonb('kit').$type<Record<string, unknown>>().notNull(),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('brand_kits_party_unique').on(table.partyId),
    uniqueIndex('brand_kits_slug_unique').on(table.slug),
    check('brand_kits_slug_format', sql`${table.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
  ],
)
