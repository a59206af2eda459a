import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import {
  brandKitInputSchema,
  certificationKinds,
  fontFamilies,
  getBrandKit,
  getBrandKitBySlug,
  getMedia,
  type ImageStore,
  isContentKey,
  type MediaAsset,
  type PresentedKit,
  pictureSources,
  presentationBrands,
  saveBrandKit,
  themeTokens,
  toCssVariables,
  uploadMedia,
} from '@mitra/branding'
import { idSchema, MitraError } from '@mitra/core'
import type { Database } from '@mitra/db'
import { requireRole } from '../auth/middleware.js'
import type { AppEnv } from '../env.js'
import {
  idempotencyHeader,
  json,
  jsonBody,
  orNull,
  problemResponses,
  publishableKeySecurity,
  secretKeySecurity,
} from '../openapi.js'

const bilingual = z.object({ id: z.string(), en: z.string() })
const hex = z.string().describe('`#rrggbb`, lower-case')

/** A saved brand kit: the fields as submitted, normalised (see `BrandKitInput`). */
const brandKit = z
  .object({
    id: z.string(),
    object: z.literal('brand_kit'),
    party_id: z.string(),
    name: z.string(),
    slug: z.string(),
    tagline: bilingual,
    story: bilingual,
    origin: z.object({
      village: z.string(),
      district: z.string(),
      regency: z.string(),
      province: z.string(),
    }),
    logo_media_id: z.string().nullable(),
    palette: z.object({
      primary: hex,
      on_primary: hex,
      background: hex,
      text: hex,
      accent: hex,
      on_accent: hex,
      muted: hex.optional(),
    }),
    typography: z.object({ heading: z.enum(fontFamilies), body: z.enum(fontFamilies) }),
    social: z
      .object({
        instagram: z.string().optional(),
        facebook: z.string().optional(),
        tiktok: z.string().optional(),
        whatsapp: z.string().optional(),
        website: z.string().optional(),
      })
      .describe('Handles (no @), a WhatsApp number in E.164 digits, a website URL'),
    certifications: z.array(
      z.object({
        kind: z.enum(certificationKinds),
        number: z.string(),
        issuer: z.string().optional(),
        valid_until: z.string().optional(),
      }),
    ),
    version: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('BrandKit')

/** A picture as `<picture>` needs it: modern formats first, a JPEG `<img>`, a placeholder. */
export const pictureSourcesView = z
  .object({
    sources: z
      .array(z.object({ type: z.string(), srcset: z.string() }))
      .describe('`<source type srcset>` for each modern format, best first'),
    img: z
      .object({
        src: z.string(),
        srcset: z.string(),
        width: z.number().int(),
        height: z.number().int(),
      })
      .describe('The `<img>` fallback: JPEG (or the only format there is)'),
    placeholder: z.string(),
    dominant_color: z.string(),
  })
  .openapi('PictureSources')

const mediaAsset = z
  .object({
    id: z.string(),
    object: z.literal('media_asset'),
    party_id: z.string(),
    source_format: z.string().describe('What the upload was, read from its bytes'),
    width: z.number().int(),
    height: z.number().int(),
    dominant_color: z.string(),
    placeholder: z.string(),
    variants: z.array(
      z.object({
        width: z.number().int(),
        height: z.number().int(),
        format: z.enum(['avif', 'webp', 'jpeg']),
        key: z.string(),
        bytes: z.number().int(),
      }),
    ),
    sources: pictureSourcesView,
    created_at: z.string(),
  })
  .openapi('MediaAsset')

const contentTypes: Record<string, string> = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
}

/** A media asset as the API shows it: with ready-to-use `<picture>` sources. */
export function mediaView(asset: MediaAsset, store: ImageStore) {
  return { ...asset, sources: pictureSources(asset, store) }
}

/** A brand shown beside another: a cluster's collective mark beside its member's own. */
export const storeBrandMark = z
  .object({
    slug: z.string(),
    name: z.string(),
    tagline: bilingual,
    logo: orNull(pictureSourcesView),
  })
  .meta({ id: 'StoreBrandMark' })

/** A kit as a mark beside another brand: name, tagline and logo. */
export function brandMark(kit: PresentedKit, store: ImageStore) {
  return {
    slug: kit.slug,
    name: kit.name,
    tagline: kit.tagline,
    logo: kit.logo ? pictureSources(kit.logo, store) : null,
  }
}

/**
 * The public face of a brand: the kit, its theme as CSS variables, its logo, and beside a
 * producer's own brand the collective marks of its clusters.
 */
export async function publicBrand(db: Database, store: ImageStore, slug: string) {
  const kit = await getBrandKitBySlug(db, slug)
  const [logo, maker] = await Promise.all([
    kit.logo_media_id ? getMedia(db, kit.party_id, kit.logo_media_id) : null,
    presentationBrands(db, [kit.party_id]).then((found) => found.get(kit.party_id)),
  ])
  return {
    ...kit,
    theme_css: toCssVariables(themeTokens(kit)),
    logo: logo ? mediaView(logo, store) : null,
    clusters: (maker?.clusters ?? []).map((cluster) => brandMark(cluster, store)),
  }
}

export function registerBrandingRoutes(
  app: OpenAPIHono<AppEnv>,
  db: Database,
  store: ImageStore,
): void {
  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/admin/brand_kit',
      operationId: 'saveBrandKit',
      summary: 'Create or replace your brand kit (producers and clusters)',
      description:
        'The palette must be readable: text on background, and each on_* colour on its own, need WCAG AA contrast (4.5:1). A failing pair is named with its ratio.',
      tags: ['branding'],
      security: secretKeySecurity,
      middleware: requireRole('owner'),
      request: { body: jsonBody(brandKitInputSchema.meta({ id: 'BrandKitInput' })) },
      responses: { 200: json(brandKit, 'Saved; version goes up by one'), ...problemResponses },
    }),
    async (c) =>
      c.json(await saveBrandKit(db, c.get('principal').partyId, c.req.valid('json')), 200),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/brand_kit',
      operationId: 'getBrandKit',
      summary: 'Your brand kit',
      tags: ['branding'],
      security: secretKeySecurity,
      responses: { 200: json(brandKit, 'Your kit'), ...problemResponses },
    }),
    async (c) => c.json(await getBrandKit(db, c.get('principal').partyId), 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/media',
      operationId: 'uploadMedia',
      summary: 'Upload an image (multipart, field `file`)',
      description:
        'The format is read from the bytes; EXIF (GPS included) is stripped, orientation applied, and responsive AVIF/WebP/JPEG variants made. Uploading the same bytes again returns the same asset.',
      tags: ['branding'],
      security: secretKeySecurity,
      request: {
        headers: idempotencyHeader,
        body: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: z
                .object({
                  file: z
                    .custom<File>((value) => value instanceof File, {
                      message: 'attach the image as the file field',
                    })
                    .openapi({ type: 'string', format: 'binary' }),
                })
                .openapi('UploadMediaRequest'),
            },
          },
        },
      },
      responses: { 201: json(mediaAsset, 'Stored'), ...problemResponses },
    }),
    async (c) => {
      const { file } = c.req.valid('form')
      const bytes = new Uint8Array(await file.arrayBuffer())
      const asset = await uploadMedia(db, store, c.get('principal').partyId, bytes)
      return c.json(mediaView(asset, store), 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/media/{id}',
      operationId: 'getMedia',
      summary: 'One of your media assets',
      tags: ['branding'],
      security: secretKeySecurity,
      request: { params: z.object({ id: idSchema('med') }) },
      responses: { 200: json(mediaAsset, 'The asset'), ...problemResponses },
    }),
    async (c) => {
      const asset = await getMedia(db, c.get('principal').partyId, c.req.valid('param').id)
      return c.json(mediaView(asset, store), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/store/brands/{slug}',
      operationId: 'getStoreBrand',
      summary: 'A brand: its kit, theme as CSS custom properties, and logo',
      tags: ['store'],
      security: publishableKeySecurity,
      request: { params: z.object({ slug: z.string().max(80) }) },
      responses: {
        200: json(
          brandKit
            .extend({
              theme_css: z.string(),
              logo: orNull(mediaAsset),
              clusters: z
                .array(storeBrandMark)
                .describe(
                  'The collective marks of the clusters a producer belongs to, oldest first (none for a cluster’s own kit)',
                ),
            })
            .openapi('PublicBrand'),
          'The brand',
        ),
        ...problemResponses,
      },
    }),
    async (c) => c.json(await publicBrand(db, store, c.req.valid('param').slug), 200),
  )

  // Content-addressed, so every file is immutable and may be cached for a year.
  app.get('/media/:key', async (c) => {
    const key = c.req.param('key')
    if (!isContentKey(key)) throw new MitraError('not_found', 'No such media file')
    const bytes = await store.get(key)
    if (bytes === undefined) throw new MitraError('not_found', 'No such media file')
    const type = contentTypes[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream'
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': type,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    })
  })
}
