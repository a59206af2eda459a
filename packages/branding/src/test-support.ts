import sharp, { type Exif } from 'sharp'

/**
 * Images for tests and the benchmark, made on the spot (no fixture files): a photo-like
 * picture (gradients, a soft pattern and grain, so encoders work as on a real photo).
 */
export function photoPixels(width: number, height: number, seed = 1): Buffer {
  const pixels = Buffer.alloc(width * height * 3)
  let state = seed >>> 0
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    return state / 4_294_967_296
  }
  const clamp = (n: number) => Math.max(0, Math.min(255, n))
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      const grain = (random() - 0.5) * 36
      pixels[i] = clamp((x / width) * 200 + 30 + grain)
      pixels[i + 1] = clamp((y / height) * 180 + 40 + grain)
      pixels[i + 2] = clamp(128 + 90 * Math.sin(x / 97 + y / 131 + seed) + grain)
    }
  }
  return pixels
}

export interface PhotoOptions {
  seed?: number
  format?: 'jpeg' | 'png' | 'webp' | 'avif'
  exif?: Exif
  /** An EXIF orientation (1–8) to record, e.g. 6: stored rotated, to be turned 90° clockwise. */
  orientation?: number
}

/** A photo-like image of `width` × `height` (JPEG quality 90 unless told otherwise). */
export async function makePhoto(
  width: number,
  height: number,
  options: PhotoOptions = {},
): Promise<Buffer> {
  let image = sharp(photoPixels(width, height, options.seed ?? 1), {
    raw: { width, height, channels: 3 },
  })
  if (options.exif !== undefined) image = image.withExif(options.exif)
  if (options.orientation !== undefined) {
    image = image.withMetadata({ orientation: options.orientation })
  }
  const format = options.format ?? 'jpeg'
  if (format === 'png') return image.png().toBuffer()
  if (format === 'webp') return image.webp().toBuffer()
  if (format === 'avif') return image.avif({ effort: 0 }).toBuffer()
  return image.jpeg({ quality: 90 }).toBuffer()
}

/** A solid colour, optionally with transparency. */
export async function makeSolid(
  width: number,
  height: number,
  color: string,
  format: 'png' | 'jpeg' = 'png',
  alpha = 1,
): Promise<Buffer> {
  const image = sharp({
    create: {
      width,
      height,
      channels: alpha < 1 ? 4 : 3,
      background: alpha < 1 ? { ...hexToRgba(color), alpha } : color,
    },
  })
  return format === 'png' ? image.png().toBuffer() : image.jpeg().toBuffer()
}

function hexToRgba(color: string): { r: number; g: number; b: number } {
  const n = Number.parseInt(color.slice(1), 16)
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 }
}

/** A complete, valid brand kit input (Batik Gemawangi of Desa Gemawang). */
export function sampleKit(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Batik Gemawangi',
    slug: 'batik-gemawangi',
    tagline: {
      id: 'Batik tulis pewarna alami dari lereng Ungaran',
      en: 'Hand-drawn natural-dye batik',
    },
    story: {
      id: 'Kelompok batik ibu-ibu Desa Gemawang.\nSetiap kain dibuat dengan tangan.',
      en: 'A women’s batik group in Gemawang village.',
    },
    origin: {
      village: 'Gemawang',
      district: 'Jambu',
      regency: 'Kabupaten Semarang',
      province: 'Jawa Tengah',
    },
    palette: {
      primary: '#1F3A5F',
      on_primary: '#FFFFFF',
      background: '#FBF7F0',
      text: '#241A12',
      accent: '#E0A526',
      on_accent: '#241A12',
    },
    typography: { heading: 'old-style', body: 'system-sans' },
    social: {
      instagram: '@BatikGemawangi',
      whatsapp: '+62 812-3456-7890',
      website: 'https://gemawangi.example.id',
    },
    certifications: [
      { kind: 'pirt', number: 'P-IRT No. 2063374010200-24', issuer: 'Dinkes Kab. Semarang' },
    ],
    ...overrides,
  }
}
