import { formatMoney, type Money } from '@mitra/core'
import sharp, { type OverlayOptions } from 'sharp'
import { attribution, type Locale } from './attribution.js'
import { contrastRatio, minimumContrast, normalizeHex } from './color.js'
import { type ImageLimits, openImage } from './images.js'
import type { PaletteInput } from './kit.js'

export const socialCardSize = { width: 1200, height: 630 } as const

export interface SocialCardInput {
  /** The product photo (any accepted upload format; checked like an upload). */
  photo: Uint8Array
  brandName: string
  /** The brand's logo; transparency is kept. */
  logo?: Uint8Array | null
  /** The product's name. */
  title: string
  price: Money
  locale: Locale
  /** The producer's village, shown in the maker line (`by Brand · Village`). */
  village?: string | null
  /** The kit's palette; a warm neutral default otherwise. */
  palette?: Pick<PaletteInput, 'primary' | 'background' | 'text' | 'muted'> | null
  /** Output format (default JPEG, quality 85). */
  format?: 'jpeg' | 'png'
  limits?: ImageLimits
}

export interface SocialCard {
  data: Buffer
  format: 'jpeg' | 'png'
  width: 1200
  height: 630
}

const defaultPalette = {
  primary: '#7a2e1d',
  background: '#fbf7f0',
  text: '#241a12',
  muted: '#5b4d40',
}

const fontFamily = "'DejaVu Sans', 'Noto Sans', Verdana, Arial, sans-serif"

function escapeXml(text: string): string {
  return text
    .replace(/\p{Cc}/gu, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/**
 * A conservative estimate of a text's width in a bold humanist sans (DejaVu Sans is among
 * the widest), in ems per character class. Estimating wide keeps text inside its box.
 */
function estimateWidth(text: string, size: number): number {
  let ems = 0
  for (const char of text) {
    if (/[iljtfrI.,:;!|'`()[\] ]/.test(char)) ems += 0.38
    else if (/[mwMW@%]/.test(char)) ems += 1.0
    else if (/[A-Z0-9]/.test(char)) ems += 0.78
    else ems += 0.66
  }
  return ems * size
}

/** Cuts `text` to fit `width`, at a word break when one is near, ending in an ellipsis. */
function fitLine(text: string, size: number, width: number): string {
  if (estimateWidth(text, size) <= width) return text
  const chars = [...text]
  while (chars.length > 0 && estimateWidth(`${chars.join('').trimEnd()}…`, size) > width) {
    chars.pop()
  }
  let cut = chars.join('')
  const space = cut.lastIndexOf(' ')
  if (space > 0 && cut.length - space <= 10) cut = cut.slice(0, space)
  return `${cut.replace(/[\s,;:—–-]+$/u, '')}…`
}

/** Greedy word wrap into at most `maxLines` lines; the last one is ellipsised if needed. */
function wrap(text: string, size: number, width: number, maxLines: number): string[] {
  const words = text.replace(/\s+/gu, ' ').trim().split(' ')
  const lines: string[] = []
  let current = ''
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    const candidate = current === '' ? word : `${current} ${word}`
    if (estimateWidth(candidate, size) <= width || current === '') {
      current = candidate
      continue
    }
    lines.push(current)
    current = word
    if (lines.length === maxLines - 1) {
      current = words.slice(i).join(' ')
      break
    }
  }
  if (current !== '') lines.push(current)
  return lines.map((line) => fitLine(line, size, width))
}

/**
 * A 1200 × 630 card for link previews (Open Graph, WhatsApp, Facebook): the product photo on
 * the left; on the right the brand's logo and name, the product, its price formatted for the
 * locale (`Rp150.000`), and the maker line. Text is drawn as SVG by librsvg with the fonts
 * installed (DejaVu Sans here); every string is XML-escaped. The photo and logo pass the
 * same checks as uploads.
 */
export async function renderSocialCard(input: SocialCardInput): Promise<SocialCard> {
  const { width, height } = socialCardSize
  const palette = {
    primary: normalizeHex(input.palette?.primary ?? defaultPalette.primary),
    background: normalizeHex(input.palette?.background ?? defaultPalette.background),
    text: normalizeHex(input.palette?.text ?? defaultPalette.text),
    muted: normalizeHex(
      input.palette?.muted ??
        (input.palette?.text === undefined ? defaultPalette.muted : input.palette.text),
    ),
  }
  // The price in the brand colour when that is readable on the background, else in text colour.
  const priceColor =
    contrastRatio(palette.primary, palette.background) >= minimumContrast
      ? palette.primary
      : palette.text

  const photoWidth = 660
  const panelX = photoWidth + 44
  const panelWidth = width - panelX - 48

  const photo = await openImage(input.photo, input.limits)
  const photoPixels = await photo
    .pipeline()
    .resize({ width: photoWidth, height, fit: 'cover', position: 'attention' })
    .toColourspace('srgb')
    .png()
    .toBuffer()

  const overlays: OverlayOptions[] = [{ input: photoPixels, left: 0, top: 0 }]
  const logoBox = 84
  let brandX = panelX
  let logoOverlay: OverlayOptions | undefined
  if (input.logo) {
    const logo = await openImage(input.logo, input.limits)
    const logoPixels = await logo
      .pipeline()
      .resize({ width: logoBox, height: logoBox, fit: 'inside' })
      .toColourspace('srgb')
      .png()
      .toBuffer({ resolveWithObject: true })
    logoOverlay = {
      input: logoPixels.data,
      left: panelX,
      top: 48 + Math.round((logoBox - logoPixels.info.height) / 2),
    }
    brandX = panelX + logoPixels.info.width + 20
  }

  const brand = fitLine(input.brandName.replace(/\s+/gu, ' ').trim(), 30, width - 48 - brandX)
  const titleLines = wrap(input.title, 42, panelWidth, 3)
  const price = formatMoney(input.price, input.locale === 'id' ? 'id-ID' : 'en-US')
  // A long price gets a smaller font rather than leaving the card.
  let priceSize = 56
  while (priceSize > 28 && estimateWidth(price, priceSize) > panelWidth) priceSize -= 2
  const maker = fitLine(
    attribution({ brand: input.brandName, village: input.village ?? '' }, input.locale).maker,
    22,
    panelWidth,
  )
  const titleTop = 206
  const titleLineHeight = 52
  const priceY = titleTop + titleLineHeight * titleLines.length + 58

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <rect x="${photoWidth}" y="0" width="10" height="${height}" fill="${palette.primary}"/>
  <g font-family="${fontFamily}">
    <text x="${brandX}" y="${48 + logoBox / 2 + 11}" font-size="30" font-weight="bold" fill="${palette.text}">${escapeXml(brand)}</text>
    ${titleLines
      .map(
        (line, i) =>
          `<text x="${panelX}" y="${titleTop + i * titleLineHeight}" font-size="42" font-weight="bold" fill="${palette.text}">${escapeXml(line)}</text>`,
      )
      .join('\n    ')}
    <text x="${panelX}" y="${priceY}" font-size="${priceSize}" font-weight="bold" fill="${priceColor}">${escapeXml(fitLine(price, priceSize, panelWidth))}</text>
    <text x="${panelX}" y="${height - 52}" font-size="22" fill="${palette.muted}">${escapeXml(maker)}</text>
  </g>
</svg>`
  overlays.push({ input: Buffer.from(svg), left: 0, top: 0 })
  if (logoOverlay !== undefined) overlays.push(logoOverlay)

  const canvas = sharp({
    create: { width, height, channels: 3, background: palette.background },
  }).composite(overlays)
  const format = input.format ?? 'jpeg'
  const data = await (format === 'png'
    ? canvas.png()
    : canvas.jpeg({ quality: 85, progressive: true })
  ).toBuffer()
  return { data, format, width, height }
}
