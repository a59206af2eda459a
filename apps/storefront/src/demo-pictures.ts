import { type ImageStore, type PreparedMedia, prepareMedia } from '@mitra/branding'
import sharp from 'sharp'
import { producers } from './demo-data.js'

/**
 * A picture stand-in: a patterned square in the brand's colours, `size` pixels wide, made
 * with sharp. Product photos are 640 px (variants at 320 and 640 px: the widget's 16rem
 * cards on a 2× screen), logos 320 px: two variants per format where 1200 px pictures made
 * four, the largest of them the slowest to encode.
 */
async function picture(
  colors: [string, string, string],
  motif: number,
  size: number,
): Promise<Uint8Array> {
  const dots = Array.from({ length: 36 }, (_, i) => {
    const x = (i % 6) * 200 + 100
    const y = Math.floor(i / 6) * 200 + 100
    const r = 40 + ((i * motif) % 5) * 12
    return `<circle cx="${x}" cy="${y}" r="${r}" fill="${colors[(i + motif) % 2 === 0 ? 1 : 2]}" opacity="0.85"/>`
  }).join('')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 1200 1200"><rect width="1200" height="1200" fill="${colors[0]}"/>${dots}</svg>`
  return new Uint8Array(await sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer())
}

const photoSize = 640
const logoSize = 320

/** The demo's pictures, by producer: its logo and a photo of each product. */
export interface DemoPictures {
  logos: Promise<PreparedMedia>[]
  photos: Promise<PreparedMedia>[][]
}

/**
 * Starts making the demo's pictures and putting their variants in `store`, `concurrency` at
 * a time, in the order `seedDemo` records them (each producer's logo, then its photos). Call
 * it early, so the image work runs on sharp's threads while the database opens. Nothing is
 * written to any database here.
 */
export function prepareDemoPictures(store: ImageStore, concurrency = 2): DemoPictures {
  const started: Promise<unknown>[] = []
  const prepare = (colors: [string, string, string], motif: number, size: number) => {
    const before = started[started.length - concurrency] ?? Promise.resolve()
    const made = before
      .catch(() => {})
      .then(async () => prepareMedia(store, await picture(colors, motif, size)))
    // A failure surfaces where seedDemo awaits it, not as an unhandled rejection before.
    made.catch(() => {})
    started.push(made)
    return made
  }
  const pictures: DemoPictures = { logos: [], photos: [] }
  for (const [index, producer] of producers.entries()) {
    const { primary, accent, background } = producer.palette
    pictures.logos.push(prepare([primary, accent, background], index + 1, logoSize))
    pictures.photos.push(
      producer.products.map((_, motif) =>
        prepare([background, primary, accent], motif + index + 2, photoSize),
      ),
    )
  }
  return pictures
}
