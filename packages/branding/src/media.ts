import { createHash } from 'node:crypto'
import { type Id, isId, MitraError, newId } from '@mitra/core'
import { type Executor, type MediaVariant, mediaAssets, sqlState, sqlStateOf } from '@mitra/db'
import { and, eq, inArray } from 'drizzle-orm'
import {
  assertFileSize,
  fileExtensions,
  mediaTypes,
  type ProcessImageOptions,
  processImage,
  type VariantFormat,
} from './images.js'
import type { ImageStore } from './store.js'

/** An uploaded image as the API shows it. The original is never kept: only its variants. */
export interface MediaAsset {
  id: Id<'med'>
  object: 'media_asset'
  party_id: string
  /** What the upload was (read from its bytes). */
  source_format: string
  /** After EXIF orientation. */
  width: number
  height: number
  dominant_color: string
  /** A tiny WebP `data:` URI to show while loading. */
  placeholder: string
  /** Each width in every format; `key` is the content address in the image store. */
  variants: MediaVariant[]
  created_at: string
}

type MediaRow = typeof mediaAssets.$inferSelect

/** The API view of a `media_assets` row. */
export function toMediaAsset(row: MediaRow): MediaAsset {
  return {
    id: row.id as Id<'med'>,
    object: 'media_asset',
    party_id: row.partyId,
    source_format: row.sourceFormat,
    width: row.width,
    height: row.height,
    dominant_color: row.dominantColor,
    placeholder: row.placeholder,
    variants: row.variants,
    created_at: row.createdAt.toISOString(),
  }
}

function notFound(id: string): MitraError {
  return new MitraError('not_found', `No media asset ${id}`, {
    errors: [{ path: 'id', code: 'not_found', message: 'no such media asset' }],
  })
}

async function findBySource(
  db: Executor,
  partyId: string,
  sourceHash: string,
): Promise<MediaAsset | undefined> {
  const [row] = await db
    .select()
    .from(mediaAssets)
    .where(and(eq(mediaAssets.partyId, partyId), eq(mediaAssets.sourceHash, sourceHash)))
  return row === undefined ? undefined : toMediaAsset(row)
}

/**
 * Stores an upload for `partyId`: runs the image pipeline, puts every variant in `store`
 * and records the asset. The same bytes uploaded again by the same party return the same
 * asset without processing them again; two such uploads racing each other both end with the
 * one row (the unique index on party + source hash decides, `ON CONFLICT DO NOTHING`). The
 * loser's variants are the same content-addressed files, so nothing is orphaned.
 *
 * Throws what `processImage` throws (413, 415, 422), and 404 for an unknown party.
 */
export async function uploadMedia(
  db: Executor,
  store: ImageStore,
  partyId: string,
  bytes: Uint8Array,
  options: ProcessImageOptions = {},
): Promise<MediaAsset> {
  // Refuse an oversized body before hashing it; processImage checks everything else.
  assertFileSize(bytes, options.maxBytes)
  const existing = await findBySource(db, partyId, sourceHashOf(bytes))
  if (existing !== undefined) return existing
  return recordMedia(db, partyId, await prepareMedia(store, bytes, options))
}

/** An image run through the pipeline with its variants in the store, not yet anyone's asset. */
export interface PreparedMedia {
  sourceHash: string
  sourceFormat: string
  width: number
  height: number
  dominantColor: string
  placeholder: string
  variants: MediaVariant[]
}

function sourceHashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/**
 * The first half of `uploadMedia`, with no database: runs the pipeline and puts every
 * variant in `store`. Image work can so run ahead of (or beside) the writes that record it
 * with `recordMedia`, as a seed of many pictures does. Throws what `processImage` throws.
 */
export async function prepareMedia(
  store: ImageStore,
  bytes: Uint8Array,
  options: ProcessImageOptions = {},
): Promise<PreparedMedia> {
  assertFileSize(bytes, options.maxBytes)
  const sourceHash = sourceHashOf(bytes)
  const image = await processImage(bytes, options)
  const variants: MediaVariant[] = await Promise.all(
    image.variants.map(async (variant) => ({
      width: variant.width,
      height: variant.height,
      format: variant.format,
      key: await store.put(variant.data, fileExtensions[variant.format]),
      bytes: variant.data.byteLength,
    })),
  )
  return {
    sourceHash,
    sourceFormat: image.sourceFormat,
    width: image.width,
    height: image.height,
    dominantColor: image.dominantColor,
    placeholder: image.placeholder,
    variants,
  }
}

/**
 * The second half of `uploadMedia`: records a prepared image as `partyId`'s asset, or
 * returns the asset the party already has of the same bytes. 404 for an unknown party.
 */
export async function recordMedia(
  db: Executor,
  partyId: string,
  prepared: PreparedMedia,
): Promise<MediaAsset> {
  const { sourceHash } = prepared
  let inserted: MediaRow[]
  try {
    inserted = await db
      .insert(mediaAssets)
      .values({
        id: newId('med'),
        partyId,
        sourceHash,
        sourceFormat: prepared.sourceFormat,
        width: prepared.width,
        height: prepared.height,
        dominantColor: prepared.dominantColor,
        placeholder: prepared.placeholder,
        variants: prepared.variants,
      })
      .onConflictDoNothing({ target: [mediaAssets.partyId, mediaAssets.sourceHash] })
      .returning()
  } catch (error) {
    if (sqlStateOf(error) === sqlState.foreignKeyViolation) {
      throw new MitraError('not_found', `No party ${partyId}`, {
        errors: [{ path: 'party_id', code: 'not_found', message: 'no such party' }],
      })
    }
    throw error
  }
  if (inserted[0] !== undefined) return toMediaAsset(inserted[0])
  // Another upload of the same bytes won the race (or came first): theirs is the asset.
  const winner = await findBySource(db, partyId, sourceHash)
  if (winner === undefined) throw new Error(`Media for ${sourceHash} vanished after a conflict`)
  return winner
}

/** One of `partyId`'s assets; another party's asset (or a malformed id) is a 404. */
export async function getMedia(db: Executor, partyId: string, id: string): Promise<MediaAsset> {
  if (!isId(id, 'med')) throw notFound(id)
  const [row] = await db
    .select()
    .from(mediaAssets)
    .where(and(eq(mediaAssets.id, id), eq(mediaAssets.partyId, partyId)))
  if (row === undefined) throw notFound(id)
  return toMediaAsset(row)
}

/**
 * Many assets at once, as a map by id — for pages that show many pictures. Public reads:
 * product pictures are shown to everyone; callers pass ids taken from published products.
 */
export async function getMediaByIds(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, MediaAsset>> {
  const wanted = [...new Set(ids)].filter((id) => isId(id, 'med'))
  if (wanted.length === 0) return new Map()
  const rows = await db.select().from(mediaAssets).where(inArray(mediaAssets.id, wanted))
  return new Map(rows.map((row) => [row.id, toMediaAsset(row)]))
}

export interface PictureSources {
  /** `<source type srcset>` for each modern format, best first. */
  sources: Array<{ type: string; srcset: string }>
  /** The `<img>` fallback: JPEG (or the only format there is). */
  img: { src: string; srcset: string; width: number; height: number }
  placeholder: string
  dominant_color: string
}

/**
 * What a `<picture>` element needs for an asset, with URLs from `store`.
 *
 * @example
 * const { sources, img } = pictureSources(asset, store)
 * // <picture><source type="image/avif" srcset="/media/3f….avif 320w, …">…<img src=… ></picture>
 */
export function pictureSources(
  asset: Pick<MediaAsset, 'variants' | 'placeholder' | 'dominant_color'>,
  store: ImageStore,
): PictureSources {
  const byFormat = new Map<VariantFormat, MediaVariant[]>()
  for (const variant of [...asset.variants].sort((a, b) => a.width - b.width)) {
    byFormat.set(variant.format, [...(byFormat.get(variant.format) ?? []), variant])
  }
  const srcset = (variants: MediaVariant[]) =>
    variants.map((v) => `${store.url(v.key)} ${v.width}w`).join(', ')
  const fallbackFormat: VariantFormat = byFormat.has('jpeg')
    ? 'jpeg'
    : ([...byFormat.keys()].at(-1) ?? 'jpeg')
  const fallback = byFormat.get(fallbackFormat) ?? []
  const largest = fallback.at(-1)
  if (largest === undefined) throw new TypeError('The asset has no variants')
  const sources = (['avif', 'webp'] as const)
    .filter((format) => format !== fallbackFormat && byFormat.has(format))
    .map((format) => ({ type: mediaTypes[format], srcset: srcset(byFormat.get(format)!) }))
  return {
    sources,
    img: {
      src: store.url(largest.key),
      srcset: srcset(fallback),
      width: largest.width,
      height: largest.height,
    },
    placeholder: asset.placeholder,
    dominant_color: asset.dominant_color,
  }
}
