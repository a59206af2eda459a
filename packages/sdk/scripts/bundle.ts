// The SDK as a browser receives it: one minified ES module. Building for `platform: 'browser'`
// fails on any Node-only import, so the size check is also the portability check.
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

export type Entry = 'store' | 'index'

export async function bundle(
  entry: Entry,
): Promise<{ code: string; bytes: number; gzipped: number }> {
  const result = await build({
    entryPoints: [new URL(`../src/${entry}.ts`, import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['source'],
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]!.text
  return { code, bytes: Buffer.byteLength(code), gzipped: gzipSync(code, { level: 9 }).length }
}
