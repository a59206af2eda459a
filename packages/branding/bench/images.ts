/**
 * Image pipeline benchmark: `processImage` against sharp doing the same work directly.
 *
 *   pnpm --filter @mitra/branding bench
 *
 * Both sides decode once (auto-oriented, sRGB, at the largest width needed), then resize and
 * encode every width × format with the same encoder options, all outputs in parallel. The
 * pipeline does more besides (signature and header checks, pixel limit, placeholder,
 * dominant colour); the target is that all of that costs at most 20 %: pipeline / raw ≤ 1.2.
 * Runs are interleaved (alternating which goes first) so that drift on the machine hits both.
 * A last column shows the naive way (one `clone()` per output, each decoding again) for scale.
 * libvips' operation cache is off: uploads are new images, and it would flatter repeats.
 */
import { createHash } from 'node:crypto'
import { availableParallelism } from 'node:os'
import sharp, { type Sharp } from 'sharp'
import {
  encoderOptions,
  planWidths,
  processImage,
  type VariantFormat,
  variantFormats,
  variantWidths,
} from '../src/index.js'
import { makePhoto } from '../src/test-support.js'

const target = 1.2
sharp.cache(false)
const repetitions = Number(process.env.BENCH_REPS ?? 9)
// The naive way is only shown for scale: a few runs are enough.
const naiveRepetitions = 2

function encode(image: Sharp, format: VariantFormat): Sharp {
  if (format === 'avif') return image.avif(encoderOptions.avif)
  if (format === 'webp') return image.webp(encoderOptions.webp)
  return image.jpeg(encoderOptions.jpeg)
}

/** What one would write with sharp alone to get the same variants, decoding once. */
async function rawSharp(input: Buffer, widths: number[]): Promise<Buffer[]> {
  const largest = widths[widths.length - 1]!
  const { data, info } = await sharp(input, { autoOrient: true })
    .resize({ width: largest, withoutEnlargement: true })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true })
  const raw = { width: info.width, height: info.height, channels: info.channels }
  return Promise.all(
    widths.flatMap((width) =>
      variantFormats.map((format) => {
        let image = sharp(data, { raw })
        if (width !== info.width) image = image.resize({ width })
        return encode(image, format).toBuffer()
      }),
    ),
  )
}

/** The naive way: one pipeline per output from the compressed input (decodes 12 times). */
async function naiveSharp(input: Buffer, widths: number[]): Promise<Buffer[]> {
  const base = sharp(input, { autoOrient: true }).toColourspace('srgb')
  return Promise.all(
    widths.flatMap((width) =>
      variantFormats.map((format) =>
        encode(base.clone().resize({ width, withoutEnlargement: true }), format).toBuffer(),
      ),
    ),
  )
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return performance.now() - started
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const digest = (buffers: Buffer[]) =>
  buffers.map((b) => createHash('sha256').update(b).digest('hex').slice(0, 12)).join(',')

const started = performance.now()
console.log(
  `sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, ${availableParallelism()} CPUs, ` +
    `${repetitions} interleaved repetitions`,
)
console.log(
  `variants: widths ${variantWidths.join('/')} × ${variantFormats.join('/')}; ` +
    `avif q${encoderOptions.avif.quality} effort ${encoderOptions.avif.effort}, ` +
    `webp q${encoderOptions.webp.quality} effort ${encoderOptions.webp.effort}, ` +
    `jpeg q${encoderOptions.jpeg.quality} progressive\n`,
)

const photos = [
  { name: '3000×2000 JPEG', bytes: await makePhoto(3000, 2000, { seed: 1 }), width: 3000 },
  {
    name: '4032×3024 JPEG, EXIF rotated',
    bytes: await makePhoto(4032, 3024, { seed: 2, orientation: 6 }),
    width: 3024,
  },
  {
    name: '2400×1600 PNG',
    bytes: await makePhoto(2400, 1600, { seed: 3, format: 'png' }),
    width: 2400,
  },
]

// Same work: the same widths, and byte-identical variants.
for (const photo of photos) {
  const widths = planWidths(photo.width)
  const [raw, piped] = await Promise.all([rawSharp(photo.bytes, widths), processImage(photo.bytes)])
  const same = digest(raw) === digest(piped.variants.map((v) => v.data))
  console.log(`${photo.name}: ${raw.length} variants, identical to the pipeline's: ${same}`)
}
console.log('')

const times = photos.map(() => ({
  raw: [] as number[],
  pipeline: [] as number[],
  naive: [] as number[],
}))
for (let rep = 0; rep < repetitions; rep++) {
  for (const [i, photo] of photos.entries()) {
    const widths = planWidths(photo.width)
    const runs = [
      ['raw', () => rawSharp(photo.bytes, widths)],
      ['pipeline', () => processImage(photo.bytes)],
      ['naive', () => naiveSharp(photo.bytes, widths)],
    ] as const
    const order = rep % 2 === 0 ? [0, 1] : [1, 0]
    if (rep < naiveRepetitions) order.push(2)
    for (const index of order) {
      const [name, work] = runs[index]!
      times[i]![name].push(await time(work))
    }
  }
}

const pad = (text: string, width: number) => text.padEnd(width)
console.log(
  `${pad('photo', 30)}${pad('raw sharp', 12)}${pad('processImage', 14)}${pad('ratio', 9)}naive clone()`,
)
let rawTotal = 0
let pipelineTotal = 0
for (const [i, photo] of photos.entries()) {
  const t = times[i]!
  const raw = median(t.raw)
  const pipeline = median(t.pipeline)
  rawTotal += raw
  pipelineTotal += pipeline
  console.log(
    `${pad(photo.name, 30)}${pad(`${raw.toFixed(0)} ms`, 12)}${pad(`${pipeline.toFixed(0)} ms`, 14)}` +
      `${pad(`${(pipeline / raw).toFixed(2)}×`, 9)}${median(t.naive).toFixed(0)} ms`,
  )
}
const ratio = pipelineTotal / rawTotal
const verdict = ratio <= target ? 'meets' : 'MISSES'
console.log(
  `\npipeline / raw = ${ratio.toFixed(2)}× (sum of medians) — ${verdict} the target ≤ ${target}×` +
    ` (${((performance.now() - started) / 1000).toFixed(0)} s)`,
)
if (ratio > target) process.exitCode = 1
