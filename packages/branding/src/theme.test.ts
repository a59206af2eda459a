import { isMitraError } from '@mitra/core'
import { describe, expect, it } from 'vitest'
import { fontStacks } from './fonts.js'
import { validateBrandKit } from './kit.js'
import { sampleKit } from './test-support.js'
import { type ThemeTokens, themeTokens, toCssVariables } from './theme.js'

describe('themeTokens', () => {
  it('maps a kit to --mitra-* tokens, muted defaulting to the text colour', () => {
    const tokens = themeTokens(validateBrandKit(sampleKit()))
    expect(tokens).toEqual({
      '--mitra-color-primary': '#1f3a5f',
      '--mitra-color-on-primary': '#ffffff',
      '--mitra-color-background': '#fbf7f0',
      '--mitra-color-text': '#241a12',
      '--mitra-color-accent': '#e0a526',
      '--mitra-color-on-accent': '#241a12',
      '--mitra-color-muted': '#241a12',
      '--mitra-font-heading': fontStacks['old-style'].stack,
      '--mitra-font-body': fontStacks['system-sans'].stack,
    })
  })

  it('re-checks what it is given, so a tampered kit never reaches CSS', () => {
    const kit = validateBrandKit(sampleKit())
    for (const tampered of [
      { ...kit, palette: { ...kit.palette, primary: 'red;} body{display:none' } },
      { ...kit, palette: { ...kit.palette, text: 'url(https://evil.example/x)' } },
      { ...kit, typography: { heading: 'x; } :root { color: red', body: 'system-sans' } },
    ]) {
      let caught: unknown
      try {
        themeTokens(tampered)
      } catch (error) {
        caught = error
      }
      expect(isMitraError(caught) && caught.code).toBe('validation_failed')
    }
  })
})

describe('toCssVariables', () => {
  const tokens = themeTokens(validateBrandKit(sampleKit()))

  it('renders one rule for :host and :root by default', () => {
    const css = toCssVariables(tokens)
    expect(css.startsWith(':host, :root {\n  --mitra-color-primary: #1f3a5f;\n')).toBe(true)
    expect(css).toContain(`  --mitra-font-heading: ${fontStacks['old-style'].stack};\n`)
    expect(css.endsWith('}\n')).toBe(true)
    expect(css.match(/;/g)).toHaveLength(9)
    expect(toCssVariables(tokens, 'mitra-product[data-brand=batik]')).toMatch(
      /^mitra-product\[data-brand=batik\] \{/,
    )
  })

  it('refuses forged tokens, unsafe values and selectors that could end the rule', () => {
    const forged = (patch: Record<string, string>) => ({ ...tokens, ...patch }) as ThemeTokens
    expect(() => toCssVariables(forged({ '--mitra-color-text': '#000;}*{x:y' }))).toThrow(TypeError)
    expect(() => toCssVariables(forged({ '--mitra-color-text': '</style><script>' }))).toThrow(
      TypeError,
    )
    expect(() => toCssVariables(forged({ 'color: red; --mitra-x': '#000000' }))).toThrow(TypeError)
    expect(() => toCssVariables(forged({ '--mitra-font-body': 'Comic Sans MS' }))).toThrow(
      TypeError,
    )
    for (const selector of ['', ':root{}', ':root; body', '</style>', ':root /* x */', '"x"']) {
      expect(() => toCssVariables(tokens, selector), selector).toThrow(TypeError)
    }
  })
})
