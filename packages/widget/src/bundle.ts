// The widget as browsers receive it: one minified ES module (`dist/mitra-widget.js`, made by
// `pnpm build`). Node only: the server serves it at /widget/v1.js.
//
// Loaded from the compiled package (dist/), this reads the built file, and builds it in
// memory with esbuild only when that file is missing. Loaded from the TypeScript sources
// (`npm start`, tests: the `source` condition), it always builds from the sources, so what is
// served is never older than what is being edited; esbuild takes well under a second.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

export interface WidgetBundle {
  /** The script. */
  code: string
  /** `sha384-…`, for a `<script integrity>`. */
  integrity: string
  /** Its size minified, and gzipped (level 9). */
  bytes: number
  gzipped: number
  /** `dist` when read from the built file, `esbuild` when built just now. */
  from: 'dist' | 'esbuild'
}

/** Where `pnpm build` writes the bundle (the same path from src/ and from dist/). */
export const bundlePath = fileURLToPath(new URL('../dist/mitra-widget.js', import.meta.url))

/**
 * Builds the bundle from the sources: esbuild bundles and minifies, then terser compresses
 * once more (two passes), which takes another 2–3 % off the gzipped size, the budget that is
 * tightest. Both are dev dependencies: sources only.
 */
export async function buildWidget(): Promise<string> {
  const [{ build }, { minify }] = await Promise.all([import('esbuild'), import('terser')])
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/auto.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Workspace packages' TypeScript sources: no other package needs building first.
    conditions: ['source'],
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  })
  const bundled = (result.outputFiles[0] as { text: string }).text
  const { code } = await minify(bundled, {
    module: true,
    ecma: 2020,
    compress: { passes: 2 },
    format: { comments: false },
  })
  if (code === undefined) throw new Error('terser returned no code')
  return code
}

export function describeBundle(code: string, from: WidgetBundle['from']): WidgetBundle {
  return {
    code,
    integrity: `sha384-${createHash('sha384').update(code).digest('base64')}`,
    bytes: Buffer.byteLength(code),
    gzipped: gzipSync(code, { level: 9 }).length,
    from,
  }
}

let loading: Promise<WidgetBundle> | undefined

/** The bundle to serve: built (see above), read once per process. */
export function loadWidgetBundle(): Promise<WidgetBundle> {
  loading ??= (async () => {
    if (!import.meta.url.endsWith('.ts')) {
      try {
        return describeBundle(await readFile(bundlePath, 'utf8'), 'dist')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    }
    return describeBundle(await buildWidget(), 'esbuild')
  })()
  loading.catch(() => {
    loading = undefined
  })
  return loading
}
