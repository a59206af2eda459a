/**
 * The typefaces a brand kit may pick. Each is a full CSS font stack of fonts already on
 * people's devices (no web-font download, nothing to host), chosen so that every stack has a
 * good fallback on Android, iOS, Windows, macOS and Linux. Being a fixed list, every value
 * that reaches CSS is known in advance: nothing a user types is ever written into a style.
 */
export const fontStacks = {
  'system-sans': {
    label: 'System sans',
    stack:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
  },
  humanist: {
    label: 'Humanist sans',
    stack: 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif',
  },
  geometric: {
    label: 'Geometric sans',
    stack: 'Avenir, Montserrat, Corbel, "URW Gothic", source-sans-pro, sans-serif',
  },
  rounded: {
    label: 'Rounded sans',
    stack:
      'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, "Arial Rounded MT", "Arial Rounded MT Bold", Calibri, source-sans-pro, sans-serif',
  },
  'old-style': {
    label: 'Old-style serif',
    stack: '"Iowan Old Style", "Palatino Linotype", "URW Palladio L", P052, serif',
  },
  transitional: {
    label: 'Transitional serif',
    stack: 'Charter, "Bitstream Charter", "Sitka Text", Cambria, "DejaVu Serif", serif',
  },
  slab: {
    label: 'Slab serif',
    stack: 'Rockwell, "Rockwell Nova", "Roboto Slab", "DejaVu Serif", "Sitka Small", serif',
  },
  didone: {
    label: 'Didone (display)',
    stack: 'Didot, "Bodoni MT", "Noto Serif Display", "URW Palladio L", P052, Sylfaen, serif',
  },
} as const satisfies Record<string, { label: string; stack: string }>

export type FontFamily = keyof typeof fontStacks

export const fontFamilies = Object.keys(fontStacks) as [FontFamily, ...FontFamily[]]
