import { type FieldError, fromZodError, idSchema, MitraError } from '@mitra/core'
import { z } from 'zod'
import { contrastRatio, formatRatio, minimumContrast, normalizeHex } from './color.js'
import { fontFamilies } from './fonts.js'
import { socialSchema } from './social.js'

/** Single-line text: trimmed, no control characters. */
function line(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must be a single line without control characters')
}

/** Multi-line text: trimmed; line breaks and tabs allowed, other control characters not. */
function paragraph(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .regex(/^(?:[^\p{Cc}]|[\n\r\t])*$/u, 'must not contain control characters')
    .transform((text) => text.replace(/\r\n?/g, '\n'))
}

export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

export const hexColorSchema = z
  .string()
  .trim()
  .regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i, 'expected a hex colour like #1a2b3c')
  .transform(normalizeHex)

/**
 * A kit's colours. `on_primary` is text on `primary` (buttons), `on_accent` text on `accent`
 * (badges), `text` on `background` (everything else), and `muted` is secondary text on
 * `background` (captions, "sold at"); it defaults to `text`.
 */
export const paletteSchema = z.strictObject({
  primary: hexColorSchema,
  on_primary: hexColorSchema,
  background: hexColorSchema,
  text: hexColorSchema,
  accent: hexColorSchema,
  on_accent: hexColorSchema,
  muted: hexColorSchema.optional(),
})

export type PaletteInput = z.input<typeof paletteSchema>
export type Palette = z.output<typeof paletteSchema>

export const typographySchema = z.strictObject({
  heading: z.enum(fontFamilies),
  body: z.enum(fontFamilies),
})

export type Typography = z.output<typeof typographySchema>

export const certificationKinds = ['pirt', 'halal', 'sni', 'other'] as const
export type CertificationKind = (typeof certificationKinds)[number]

/** `P-IRT No. 2063374010200-24` → `206337401020024`; undefined unless exactly 15 digits. */
export function normalizePirtNumber(value: string): string | undefined {
  const digits = value
    .trim()
    .replace(/^(?:sp+-?)?p-?irt\b\.?\s*(?:no\.?|nomor)?\s*:?\s*/i, '')
    .replace(/[\s.\-/]/g, '')
  return /^\d{15}$/.test(digits) ? digits : undefined
}

/**
 * A certificate shown on the brand page. P-IRT (home-industry food permit) numbers are 15
 * digits and are stored as digits only; halal (BPJPH/MUI), SNI and other numbers vary too
 * much between issuers and years to check beyond being present.
 */
export const certificationSchema = z
  .strictObject({
    kind: z.enum(certificationKinds),
    number: line(1, 64),
    issuer: line(1, 120).optional(),
    valid_until: z.iso.date().optional(),
  })
  .transform((certification, ctx) => {
    if (certification.kind !== 'pirt') return certification
    const number = normalizePirtNumber(certification.number)
    if (number === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['number'],
        message: 'a P-IRT number has 15 digits, e.g. 2063374010200-24',
      })
      return z.NEVER
    }
    return { ...certification, number }
  })

export type Certification = z.output<typeof certificationSchema>

/**
 * What a producer or cluster submits as its brand. Strict: an unknown field is an error, not
 * silently dropped, so a typo (`pallete`) is reported instead of lost.
 */
export const brandKitInputSchema = z.strictObject({
  name: line(1, 80),
  slug: z
    .string()
    .trim()
    .min(2)
    .max(60)
    .regex(slugPattern, 'lower-case letters, digits and single hyphens, e.g. batik-gemawangi'),
  /** Indonesian is required; English is optional (Indonesian is shown when it is empty). */
  tagline: z.strictObject({ id: line(1, 140), en: line(0, 140).default('') }),
  story: z.strictObject({ id: paragraph(1, 4000), en: paragraph(0, 4000).default('') }),
  origin: z.strictObject({
    village: line(1, 80),
    district: line(1, 80),
    regency: line(1, 80),
    province: line(1, 80),
  }),
  logo_media_id: idSchema('med').nullable().optional(),
  palette: paletteSchema,
  typography: typographySchema,
  social: socialSchema.default({}),
  certifications: z.array(certificationSchema).max(20).default([]),
})

export type BrandKitInput = z.input<typeof brandKitInputSchema>
/** A validated, normalised kit (colours lower-case, handles canonical, P-IRT digits only). */
export type BrandKitFields = z.output<typeof brandKitInputSchema>

/** One colour pair the palette promises to be readable. */
export interface ContrastCheck {
  /** The foreground colour's path, which is the field named in errors: `palette.text`. */
  path: string
  foreground: string
  background: string
  ratio: number
  minimum: number
  passes: boolean
}

const contrastPairs: Array<[foreground: keyof Palette, background: keyof Palette]> = [
  ['text', 'background'],
  ['on_primary', 'primary'],
  ['on_accent', 'accent'],
  ['muted', 'background'],
]

/** Every colour pair of the palette with its WCAG contrast ratio against AA (4.5:1). */
export function checkPalette(palette: Palette): ContrastCheck[] {
  const checks: ContrastCheck[] = []
  for (const [fg, bg] of contrastPairs) {
    const foreground = palette[fg]
    const background = palette[bg]
    if (foreground === undefined || background === undefined) continue
    const ratio = contrastRatio(foreground, background)
    checks.push({
      path: `palette.${fg}`,
      foreground: `palette.${fg}`,
      background: `palette.${bg}`,
      ratio,
      minimum: minimumContrast,
      passes: ratio >= minimumContrast,
    })
  }
  return checks
}

/** Throws `palette_contrast` (422) naming each pair below 4.5:1 and its ratio. */
export function assertReadablePalette(palette: Palette): void {
  const failing = checkPalette(palette).filter((check) => !check.passes)
  if (failing.length === 0) return
  const errors: FieldError[] = failing.map((check) => ({
    path: check.path,
    code: 'contrast_too_low',
    message: `${check.foreground.slice(8)} on ${check.background.slice(8)} is ${formatRatio(check.ratio)}, needs ${minimumContrast}:1`,
  }))
  throw new MitraError(
    'palette_contrast',
    `The palette is hard to read: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
    {
      errors,
      extensions: {
        contrast: failing.map((check) => ({
          foreground: check.foreground,
          background: check.background,
          ratio: Math.floor(check.ratio * 100) / 100,
          minimum: check.minimum,
        })),
      },
    },
  )
}

/**
 * Validates a submitted kit: the schema first (422 `validation_failed` naming each field),
 * then the palette's contrast (422 `palette_contrast`). Pure: checks against the database
 * (logo ownership, slug uniqueness) are the service's.
 */
export function validateBrandKit(input: unknown): BrandKitFields {
  const parsed = brandKitInputSchema.safeParse(input)
  if (!parsed.success) throw fromZodError(parsed.error)
  assertReadablePalette(parsed.data.palette)
  return parsed.data
}
