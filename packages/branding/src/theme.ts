import { fromZodError } from '@mitra/core'
import { z } from 'zod'
import { fontStacks } from './fonts.js'
import { paletteSchema, typographySchema } from './kit.js'

/**
 * A brand as CSS custom properties: the one mapping the widget (inside its Shadow DOM, hence
 * `:host`) and the storefront (`:root`) both use, so a brand looks the same everywhere.
 */
export interface ThemeTokens {
  '--mitra-color-primary': string
  '--mitra-color-on-primary': string
  '--mitra-color-background': string
  '--mitra-color-text': string
  '--mitra-color-accent': string
  '--mitra-color-on-accent': string
  '--mitra-color-muted': string
  '--mitra-font-heading': string
  '--mitra-font-body': string
}

export type ThemeTokenName = keyof ThemeTokens

const themeSourceSchema = z.object({ palette: paletteSchema, typography: typographySchema })

/**
 * The theme tokens of a kit. The palette and typography are parsed again here, so whatever
 * the kit came from (a request, a database row), only `#rrggbb` colours and stacks from the
 * curated font list ever reach CSS. An invalid kit throws 422 `validation_failed`.
 */
export function themeTokens(kit: { palette: unknown; typography: unknown }): ThemeTokens {
  const parsed = themeSourceSchema.safeParse(kit)
  if (!parsed.success) throw fromZodError(parsed.error)
  const { palette, typography } = parsed.data
  return {
    '--mitra-color-primary': palette.primary,
    '--mitra-color-on-primary': palette.on_primary,
    '--mitra-color-background': palette.background,
    '--mitra-color-text': palette.text,
    '--mitra-color-accent': palette.accent,
    '--mitra-color-on-accent': palette.on_accent,
    '--mitra-color-muted': palette.muted ?? palette.text,
    '--mitra-font-heading': fontStacks[typography.heading].stack,
    '--mitra-font-body': fontStacks[typography.body].stack,
  }
}

const tokenName = /^--mitra-[a-z0-9]+(?:-[a-z0-9]+)*$/
const hexValue = /^#[0-9a-f]{6}$/
const fontValues = new Set<string>(Object.values(fontStacks).map((font) => font.stack))
// A selector list of plain selectors: no braces, semicolons, comments, quotes, escapes, `<`.
const safeSelector = /^[A-Za-z0-9_\-:.#*>+~()[\]=,\s]+$/

/**
 * Renders tokens as one CSS rule: `:host, :root { --mitra-color-primary: #8b2f1e; … }`.
 * Refuses (TypeError) any token name outside `--mitra-…`, any value that is neither a
 * `#rrggbb` colour nor a curated font stack, and a selector that could close the rule, so the
 * output is always safe to put in a `<style>` element.
 */
export function toCssVariables(tokens: ThemeTokens, selector = ':host, :root'): string {
  if (!safeSelector.test(selector) || selector.trim() === '') {
    throw new TypeError(`Unsafe CSS selector: ${JSON.stringify(selector)}`)
  }
  const lines: string[] = []
  for (const [name, value] of Object.entries(tokens)) {
    if (!tokenName.test(name)) throw new TypeError(`Not a mitra token name: ${name}`)
    if (typeof value !== 'string' || !(hexValue.test(value) || fontValues.has(value))) {
      throw new TypeError(`Unsafe value for ${name}: ${JSON.stringify(value)}`)
    }
    lines.push(`  ${name}: ${value};`)
  }
  return `${selector.trim()} {\n${lines.join('\n')}\n}\n`
}
