import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isMitraError, type MitraError } from '@mitra/core'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  detectImageFormat,
  type ProcessedImage,
  planWidths,
  processImage,
  variantFormats,
} from './images.js'
import { makePhoto, makeSolid } from './test-support.js'

async function refusal(promise: Promise<unknown>): Promise<MitraError> {
  try {
    await promise
  } catch (error) {
    if (isMitraError(error)) return error
    throw error
  }
  throw new Error('expected the image to be refused')
}

// A GPS position and camera details, as a phone writes them (IFD3 is the GPS directory).
const phoneExif = {
  IFD0: { Make: 'MitraPhone', Model: 'Test 1', Copyright: 'Ibu Sari' },
  IFD3: {
    GPSLatitudeRef: 'S',
    GPSLatitude: '7/1 10/1 3000/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '110/1 20/1 1500/100',
  },
}

/** True when an EXIF block holds a GPSInfo pointer (tag 0x8825), in either byte order. */
function hasGpsPointer(exif: Buffer): boolean {
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]))
}

describe('planWidths', () => {
  it('makes every standard width that fits and never upscales', () => {
    expect(planWidths(3000)).toEqual([320, 640, 1024, 1600])
    expect(planWidths(1600)).toEqual([320, 640, 1024, 1600])
    expect(planWidths(800)).toEqual([320, 640, 800])
    expect(planWidths(640)).toEqual([320, 640])
    expect(planWidths(200)).toEqual([200])
    expect(planWidths(500, [1000, 100, 100])).toEqual([100, 500])
    expect(() => planWidths(500, [])).toThrow(TypeError)
  })
})

describe('detectImageFormat', () => {
  it('reads the format from the bytes, whatever the file is called', async () => {
    expect(detectImageFormat(await makeSolid(8, 8, '#123456', 'jpeg'))).toBe('jpeg')
    expect(detectImageFormat(await makeSolid(8, 8, '#123456', 'png'))).toBe('png')
    expect(detectImageFormat(await makePhoto(16, 16, { format: 'webp' }))).toBe('webp')
    expect(detectImageFormat(await makePhoto(16, 16, { format: 'avif' }))).toBe('avif')
    expect(detectImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(
      undefined,
    )
    expect(detectImageFormat(Buffer.from('GIF'))).toBe(undefined)
    expect(detectImageFormat(new Uint8Array())).toBe(undefined)
  })
})

describe('processImage', () => {
  let photo: Buffer
  let processed: ProcessedImage

  beforeAll(async () => {
    photo = await makePhoto(2000, 1333, { exif: phoneExif })
    processed = await processImage(photo)
  })

  it('starts from a photo that really carries GPS and camera EXIF', async () => {
    const metadata = await sharp(photo).metadata()
    expect(metadata.exif).toBeDefined()
    expect(hasGpsPointer(metadata.exif!)).toBe(true)
    expect(metadata.exif!.includes(Buffer.from('MitraPhone'))).toBe(true)
  })

  it('makes every width in AVIF, WebP and JPEG, as promised', async () => {
    expect(processed.sourceFormat).toBe('jpeg')
    expect([processed.width, processed.height]).toEqual([2000, 1333])
    expect(processed.variants.map((v) => `${v.width}/${v.format}`)).toEqual(
      [320, 640, 1024, 1600].flatMap((w) => variantFormats.map((f) => `${w}/${f}`)),
    )
    for (const variant of processed.variants) {
      const metadata = await sharp(variant.data).metadata()
      const decodedAs = metadata.format === 'heif' ? 'avif' : metadata.format
      expect(decodedAs).toBe(variant.format)
      expect(metadata.width).toBe(variant.width)
      expect(metadata.height).toBe(variant.height)
      // Within a pixel of the exact aspect ratio (variants are resized from the 1600 px decode).
      expect(Math.abs(variant.height - (variant.width * 1333) / 2000)).toBeLessThanOrEqual(1)
    }
  })

  it('strips EXIF (GPS, camera), XMP and ICC from every variant', async () => {
    for (const variant of processed.variants) {
      const metadata = await sharp(variant.data).metadata()
      expect(metadata.exif, `${variant.width} ${variant.format}`).toBeUndefined()
      expect(metadata.xmp).toBeUndefined()
      expect(metadata.iptc).toBeUndefined()
      expect(metadata.icc).toBeUndefined()
      expect(variant.data.includes(Buffer.from('MitraPhone'))).toBe(false)
    }
  })

  it('gives a tiny placeholder and the dominant colour', async () => {
    expect(processed.placeholder).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/=]+$/)
    const tiny = Buffer.from(processed.placeholder.split(',')[1]!, 'base64')
    expect(tiny.byteLength).toBeLessThan(1024)
    const metadata = await sharp(tiny).metadata()
    expect(Math.max(metadata.width, metadata.height)).toBe(16)
    expect(processed.dominantColor).toMatch(/^#[0-9a-f]{6}$/)

    const teal = await processImage(await makeSolid(300, 200, '#1f8a70'))
    const { r, g, b } = {
      r: Number.parseInt(teal.dominantColor.slice(1, 3), 16),
      g: Number.parseInt(teal.dominantColor.slice(3, 5), 16),
      b: Number.parseInt(teal.dominantColor.slice(5, 7), 16),
    }
    // sharp's dominant colour is the centre of a 16-level bin per channel.
    expect(Math.abs(r - 0x1f)).toBeLessThanOrEqual(16)
    expect(Math.abs(g - 0x8a)).toBeLessThanOrEqual(16)
    expect(Math.abs(b - 0x70)).toBeLessThanOrEqual(16)
  })

  it('applies the EXIF orientation (a portrait shot stored sideways comes out upright)', async () => {
    const sideways = await makePhoto(600, 400, { orientation: 6, exif: phoneExif })
    expect((await sharp(sideways).metadata()).orientation).toBe(6)
    const result = await processImage(sideways)
    expect([result.width, result.height]).toEqual([400, 600])
    const largest = result.variants.filter((v) => v.width === 400)
    expect(largest).toHaveLength(3)
    for (const variant of largest) {
      const metadata = await sharp(variant.data).metadata()
      expect([metadata.width, metadata.height]).toEqual([400, 600])
      expect(metadata.orientation).toBeUndefined()
    }
  })

  it('never upscales a small original: its own width is the largest variant', async () => {
    const small = await processImage(await makePhoto(500, 300, { format: 'png' }))
    expect(small.sourceFormat).toBe('png')
    expect([...new Set(small.variants.map((v) => v.width))]).toEqual([320, 500])
    const tiny = await processImage(await makePhoto(120, 90, { format: 'webp' }))
    expect(tiny.variants.map((v) => [v.width, v.height, v.format])).toEqual([
      [120, 90, 'avif'],
      [120, 90, 'webp'],
      [120, 90, 'jpeg'],
    ])
  })

  it('accepts GIF (first frame) and TIFF, and AVIF as a source', async () => {
    const pixels = await makePhoto(400, 300)
    for (const [format, bytes] of [
      ['gif', await sharp(pixels).gif().toBuffer()],
      ['tiff', await sharp(pixels).tiff().toBuffer()],
      ['avif', await makePhoto(400, 300, { format: 'avif' })],
    ] as const) {
      const result = await processImage(bytes, { widths: [320] })
      expect(result.sourceFormat).toBe(format)
      expect(result.variants.map((v) => [v.width, v.height])).toEqual([
        [320, 240],
        [320, 240],
        [320, 240],
      ])
    }
  })

  it('keeps transparency in AVIF and WebP and flattens JPEG onto white', async () => {
    const result = await processImage(await makeSolid(400, 400, '#cc3300', 'png', 0.5), {
      widths: [320],
    })
    const byFormat = Object.fromEntries(result.variants.map((v) => [v.format, v.data]))
    expect((await sharp(byFormat.webp!).metadata()).hasAlpha).toBe(true)
    expect((await sharp(byFormat.avif!).metadata()).hasAlpha).toBe(true)
    const jpeg = await sharp(byFormat.jpeg!).stats()
    expect((await sharp(byFormat.jpeg!).metadata()).hasAlpha).toBe(false)
    // Half-transparent #cc3300 over white ≈ #e69980.
    expect(jpeg.channels[0]!.mean).toBeGreaterThan(215)
    expect(jpeg.channels[1]!.mean).toBeGreaterThan(140)
  })

  it('reads greyscale and CMYK sources and writes sRGB', async () => {
    const grey = await sharp(await makePhoto(400, 300))
      .toColourspace('b-w')
      .png()
      .toBuffer()
    const cmyk = await sharp(await makePhoto(400, 300))
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer()
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk')
    for (const source of [grey, cmyk]) {
      const result = await processImage(source, { widths: [320] })
      for (const variant of result.variants) {
        const metadata = await sharp(variant.data).metadata()
        expect(metadata.space).toBe('srgb')
        expect(metadata.width).toBe(320)
      }
    }
  })

  it('honours chosen widths and formats', async () => {
    const result = await processImage(photo, { widths: [100, 200], formats: ['webp'] })
    expect(result.variants.map((v) => `${v.width}/${v.format}`)).toEqual(['100/webp', '200/webp'])
  })
})

describe('processImage refuses', () => {
  it('a file over the size limit (413), before looking at its content', async () => {
    const big = Buffer.alloc(15 * 1024 * 1024 + 1)
    big.set([0xff, 0xd8, 0xff])
    const error = await refusal(processImage(big))
    expect(error.code).toBe('image_too_large')
    expect(error.status).toBe(413)
    expect(error.errors[0]).toMatchObject({ path: 'file', code: 'image_too_large' })

    const photo = await makePhoto(400, 300)
    expect((await refusal(processImage(photo, { maxBytes: 1000 }))).code).toBe('image_too_large')
  })

  it('a decompression bomb: a small PNG of 48 megapixels, from its header', async () => {
    const bomb = await sharp({
      create: { width: 8000, height: 6000, channels: 3, background: '#ffffff' },
    })
      .png({ compressionLevel: 6 })
      .toBuffer()
    expect(bomb.byteLength).toBeLessThan(200_000)
    const error = await refusal(processImage(bomb))
    expect(error.code).toBe('image_too_many_pixels')
    expect(error.status).toBe(422)
    expect(error.errors[0]?.message).toContain('8000 × 6000')
  })

  it('a header that declares a gigantic image (which decoding would never survive)', async () => {
    // A valid 1 × 1 PNG whose header is then made to claim 100000 × 100000 pixels (10 GP).
    const png = Buffer.from(await makeSolid(1, 1, '#000000', 'png'))
    png.writeUInt32BE(100_000, 16)
    png.writeUInt32BE(100_000, 20)
    const crc = crc32(png.subarray(12, 29))
    png.writeUInt32BE(crc, 29)
    const started = performance.now()
    const error = await refusal(processImage(png))
    expect(error.code).toBe('image_too_many_pixels')
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('a lower pixel limit when asked', async () => {
    const error = await refusal(processImage(await makePhoto(400, 300), { maxPixels: 100_000 }))
    expect(error.code).toBe('image_too_many_pixels')
  })

  it('text, SVG, HTML and a text file named .jpg (415)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'mitra-branding-'))
    writeFileSync(join(folder, 'kain-batik.jpg'), 'Harga: Rp150.000\nTerima kasih!\n')
    const disguised = readFileSync(join(folder, 'kain-batik.jpg'))
    for (const bytes of [
      disguised,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      Buffer.from('<!doctype html><script>alert(1)</script>'),
      Buffer.from('%PDF-1.7\n'),
      new Uint8Array(),
    ]) {
      const error = await refusal(processImage(bytes))
      expect(error.code).toBe('unsupported_media_type')
      expect(error.status).toBe(415)
      expect(error.errors[0]?.path).toBe('file')
    }
  })

  it('a file whose signature and content disagree, or that is damaged (422)', async () => {
    const photo = await makePhoto(400, 300)
    // A JPEG signature in front of PNG bytes.
    const png = await makeSolid(10, 10, '#ffffff', 'png')
    const chimera = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), png])
    expect(['unsupported_media_type', 'image_unreadable']).toContain(
      (await refusal(processImage(chimera))).code,
    )
    // A JPEG cut off half way: the header reads, the pixels do not.
    const truncated = photo.subarray(0, Math.floor(photo.byteLength / 2))
    const error = await refusal(processImage(truncated))
    expect(error.code).toBe('image_unreadable')
    expect(error.status).toBe(422)
  })
})

/** CRC-32 (PNG chunks), to forge a consistent header in the test above. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}
