import { MitraError } from '@mitra/core'
import sharp, {
  type AvifOptions,
  type JpegOptions,
  type Metadata,
  type Sharp,
  type WebpOptions,
} from 'sharp'
import { type HexColor, rgbToHex } from './color.js'

/**
 * The image pipeline: an upload (a phone photo, a scanned label, a logo) becomes a set of
 * clean responsive variants.
 *
 * - The format is read from the bytes, never from a file name or a claimed content type.
 * - Limits are checked before any pixel is decoded: the file size first, then the
 *   dimensions in the header, so a decompression bomb (a small file declaring a huge image)
 *   is refused without being decoded. libvips' own `limitInputPixels` guards the decode too.
 * - The image is auto-oriented from its EXIF orientation, then all metadata is dropped: no
 *   EXIF (camera, GPS position), no XMP/IPTC, no embedded ICC profile (pixels are converted
 *   to sRGB first, so colours survive).
 * - The source is decoded once, to the largest width needed, and every variant is resized
 *   and encoded from those pixels.
 */

/** Input formats the pipeline accepts (first frame only for animated GIF/WebP). */
export const sourceFormats = ['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff'] as const
export type SourceFormat = (typeof sourceFormats)[number]

export const variantFormats = ['avif', 'webp', 'jpeg'] as const
export type VariantFormat = (typeof variantFormats)[number]

/** Widths of the responsive variants, in CSS pixels at 1x. */
export const variantWidths = [320, 640, 1024, 1600] as const

export const mediaTypes: Record<VariantFormat, string> = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
}

export const fileExtensions: Record<VariantFormat, 'avif' | 'webp' | 'jpg'> = {
  avif: 'avif',
  webp: 'webp',
  jpeg: 'jpg',
}

/**
 * Encoder settings of the variants. AVIF effort 2 (of 0–9) is about four times faster than
 * the default 4 for files a few percent larger, which suits an upload that a person waits on.
 */
export const encoderOptions = {
  avif: { quality: 50, effort: 2 },
  webp: { quality: 75, effort: 4 },
  jpeg: { quality: 80, progressive: true },
} as const satisfies {
  avif: AvifOptions
  webp: WebpOptions
  jpeg: JpegOptions
}

export const defaultMaxBytes = 15 * 1024 * 1024
export const defaultMaxPixels = 40_000_000
const maxVariantHeight = 16_383

export interface ImageLimits {
  /** Largest accepted file (default 15 MiB) → 413 `image_too_large`. */
  maxBytes?: number
  /** Largest accepted width × height (default 40 MP) → 422 `image_too_many_pixels`. */
  maxPixels?: number
}

export interface ProcessImageOptions extends ImageLimits {
  /** Target widths (default 320, 640, 1024, 1600). */
  widths?: readonly number[]
  /** Output formats (default AVIF, WebP and JPEG). */
  formats?: readonly VariantFormat[]
}

export interface ImageVariant {
  width: number
  height: number
  format: VariantFormat
  data: Buffer
}

export interface ProcessedImage {
  sourceFormat: SourceFormat
  /** Dimensions after EXIF orientation. */
  width: number
  height: number
  /** Width-major: each width in every format, smallest first. */
  variants: ImageVariant[]
  /** A tiny WebP (at most 16 × 16) as a `data:` URI, to show while the image loads. */
  placeholder: string
  /** The most common colour, `#rrggbb` (from a 4096-bin histogram). */
  dominantColor: HexColor
}

/**
 * The widths to make for an image `originalWidth` pixels wide: every target that fits, and
 * never an upscale. An original narrower than the largest target gets its own width as the
 * largest variant (800 px → 320, 640, 800; 200 px → 200 only), so a browser always has the
 * sharpest version there is.
 */
export function planWidths(
  originalWidth: number,
  widths: readonly number[] = variantWidths,
): number[] {
  const targets = [...new Set(widths)].filter((w) => Number.isInteger(w) && w > 0)
  if (targets.length === 0) throw new TypeError('At least one positive integer width is needed')
  targets.sort((a, b) => a - b)
  const planned = targets.filter((w) => w <= originalWidth)
  const largest = targets[targets.length - 1]!
  if (originalWidth < largest && !planned.includes(originalWidth)) planned.push(originalWidth)
  return planned
}

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false
  return signature.every((byte, i) => bytes[at + i] === byte)
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to))
}

/**
 * The format the bytes say they are, from their signature ("magic number"), or undefined.
 * Only the accepted formats are recognised: SVG, HEIC, PDF and anything else never reach a
 * decoder. `processImage` then confirms the format with libvips' own header parser.
 */
export function detectImageFormat(bytes: Uint8Array): SourceFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return 'gif'
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    return 'webp'
  }
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return 'tiff'
  }
  // ISO-BMFF: [size]['ftyp'][major brand][minor version][compatible brands…]
  if (bytes.length >= 16 && ascii(bytes, 4, 8) === 'ftyp') {
    const size = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0)
    const end = Math.min(size, bytes.length, 256)
    const brands = [ascii(bytes, 8, 12)]
    for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, at + 4))
    if (brands.some((brand) => brand === 'avif' || brand === 'avis')) return 'avif'
  }
  return undefined
}

function tooLarge(size: number, maxBytes: number): MitraError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`
  const message = `the file is ${mb(size)}, the limit is ${mb(maxBytes)}`
  return new MitraError('image_too_large', `The image is too large: ${message}`, {
    errors: [{ path: 'file', code: 'image_too_large', message }],
    extensions: { limit_bytes: maxBytes },
  })
}

/** Throws 413 `image_too_large` when `bytes` is over `maxBytes` (default 15 MiB). */
export function assertFileSize(bytes: Uint8Array, maxBytes = defaultMaxBytes): void {
  if (bytes.byteLength > maxBytes) throw tooLarge(bytes.byteLength, maxBytes)
}

function tooManyPixels(width: number, height: number, maxPixels: number): MitraError {
  const mp = (n: number) => `${(n / 1_000_000).toFixed(1)} MP`
  const message =
    width > 0
      ? `${width} × ${height} is ${mp(width * height)}, the limit is ${mp(maxPixels)}`
      : `the image exceeds the limit of ${mp(maxPixels)}`
  return new MitraError('image_too_many_pixels', `The image has too many pixels: ${message}`, {
    errors: [{ path: 'file', code: 'image_too_many_pixels', message }],
    extensions: { limit_pixels: maxPixels },
  })
}

function unsupported(reason: string): MitraError {
  const message = `${reason}; upload a JPEG, PNG, WebP, AVIF, GIF or TIFF image`
  return new MitraError('unsupported_media_type', `The file is not a supported image: ${message}`, {
    errors: [{ path: 'file', code: 'unsupported_media_type', message }],
  })
}

function unreadable(cause: unknown): MitraError {
  const message = 'the image data is damaged or incomplete'
  return new MitraError('image_unreadable', `The image cannot be read: ${message}`, {
    errors: [{ path: 'file', code: 'image_unreadable', message }],
    cause,
  })
}

/** Maps libvips' failures on untrusted input to mitra's codes. */
function decodeError(error: unknown, maxPixels: number): MitraError {
  if (error instanceof MitraError) return error
  const text = error instanceof Error ? error.message : String(error)
  if (/pixel limit/i.test(text)) return tooManyPixels(0, 0, maxPixels)
  if (/unsupported image format/i.test(text)) return unsupported('the format is not recognised')
  return unreadable(error)
}

/** A validated image, ready to decode: its header was read, its limits checked. */
export interface OpenedImage {
  format: SourceFormat
  /** Dimensions after EXIF orientation. */
  width: number
  height: number
  hasAlpha: boolean
  /** A sharp pipeline on the bytes: auto-orients, decodes at most `maxPixels`. */
  pipeline(): Sharp
}

/**
 * Checks an upload without decoding its pixels: size, signature, header (format agreed by
 * libvips), pixel count. Throws 413 `image_too_large`, 415 `unsupported_media_type`,
 * 422 `image_too_many_pixels` or 422 `image_unreadable`.
 */
export async function openImage(bytes: Uint8Array, limits: ImageLimits = {}): Promise<OpenedImage> {
  const maxBytes = limits.maxBytes ?? defaultMaxBytes
  const maxPixels = limits.maxPixels ?? defaultMaxPixels
  if (!(bytes instanceof Uint8Array)) throw unsupported('no file data was received')
  assertFileSize(bytes, maxBytes)
  if (bytes.byteLength === 0) throw unsupported('the file is empty')
  const format = detectImageFormat(bytes)
  if (format === undefined) throw unsupported('the file content is not an image of a known kind')

  const input = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let metadata: Metadata
  try {
    // Header only: no compressed pixel data is decoded here.
    metadata = await sharp(input, { limitInputPixels: false }).metadata()
  } catch (error) {
    throw decodeError(error, maxPixels)
  }
  const decodedAs =
    metadata.format === 'heif' && metadata.compression === 'av1' ? 'avif' : metadata.format
  if (decodedAs !== format) {
    throw unsupported(`the file starts like ${format} but is ${String(metadata.format)}`)
  }
  const { width, height } = metadata
  if (!(width > 0 && height > 0)) throw unreadable(new Error('no dimensions in the header'))
  if (width * height > maxPixels) throw tooManyPixels(width, height, maxPixels)

  return {
    format,
    width: metadata.autoOrient?.width ?? width,
    height: metadata.autoOrient?.height ?? height,
    hasAlpha: metadata.hasAlpha,
    pipeline: () =>
      sharp(input, { limitInputPixels: maxPixels, failOn: 'error', autoOrient: true }),
  }
}

interface RawPixels {
  data: Buffer
  raw: { width: number; height: number; channels: 3 | 4 }
}

function fromRaw(pixels: RawPixels): Sharp {
  return sharp(pixels.data, { raw: pixels.raw })
}

/** Encodes `pixels` (already oriented, sRGB, metadata-free) at `width` in `format`. */
async function encodeVariant(
  pixels: RawPixels,
  width: number,
  format: VariantFormat,
): Promise<ImageVariant> {
  let image = fromRaw(pixels)
  if (width !== pixels.raw.width) image = image.resize({ width })
  if (format === 'jpeg' && pixels.raw.channels === 4) {
    image = image.flatten({ background: '#ffffff' })
  }
  const encoded =
    format === 'avif'
      ? image.avif(encoderOptions.avif)
      : format === 'webp'
        ? image.webp(encoderOptions.webp)
        : image.jpeg(encoderOptions.jpeg)
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, format, data }
}

/** The placeholder and the dominant colour, from a 64 px thumbnail of the decoded pixels. */
async function summarise(
  pixels: RawPixels,
): Promise<{ placeholder: string; dominantColor: HexColor }> {
  const { data, info } = await fromRaw(pixels)
    .resize({ width: 64, height: 64, fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true })
  const thumb = {
    data,
    raw: { width: info.width, height: info.height, channels: pixels.raw.channels },
  }
  const [stats, tiny] = await Promise.all([
    // stats() reads its input, not the pipeline's output: hence a thumbnail of its own.
    fromRaw(thumb).stats(),
    fromRaw(thumb)
      .resize({ width: 16, height: 16, fit: 'inside' })
      .webp({ quality: 50 })
      .toBuffer(),
  ])
  return {
    placeholder: `data:image/webp;base64,${tiny.toString('base64')}`,
    dominantColor: rgbToHex(stats.dominant),
  }
}

/**
 * Runs an upload through the pipeline. See the module comment for what it guarantees.
 *
 * @example
 * const image = await processImage(await readFile('kain-batik.jpg'))
 * image.variants // [{ width: 320, format: 'avif', data }, …, { width: 1600, format: 'jpeg' }]
 */
export async function processImage(
  bytes: Uint8Array,
  options: ProcessImageOptions = {},
): Promise<ProcessedImage> {
  const opened = await openImage(bytes, options)
  const formats = options.formats ?? variantFormats
  if (formats.length === 0) throw new TypeError('At least one output format is needed')
  const planned = planWidths(opened.width, options.widths)

  let pixels: RawPixels
  try {
    // The one decode: oriented, at the largest width needed, in sRGB. Raw pixels carry no
    // metadata at all, so nothing of the original's EXIF, GPS or ICC profile can leak into a
    // variant. (The height cap only bites on absurd strips: WebP stops at 16383 pixels.)
    const { data, info } = await opened
      .pipeline()
      .resize({
        width: planned[planned.length - 1]!,
        height: maxVariantHeight,
        fit: 'inside',
        withoutEnlargement: true,
      })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true })
    const channels = info.channels === 4 ? 4 : 3
    if (info.channels !== channels) throw new Error(`unexpected ${info.channels} channels`)
    pixels = { data, raw: { width: info.width, height: info.height, channels } }
  } catch (error) {
    throw decodeError(error, options.maxPixels ?? defaultMaxPixels)
  }

  const widths = planWidths(pixels.raw.width, options.widths)
  const [summary, variants] = await Promise.all([
    summarise(pixels),
    Promise.all(
      widths.flatMap((width) => formats.map((format) => encodeVariant(pixels, width, format))),
    ),
  ])
  return {
    sourceFormat: opened.format,
    width: opened.width,
    height: opened.height,
    variants,
    placeholder: summary.placeholder,
    dominantColor: summary.dominantColor,
  }
}
