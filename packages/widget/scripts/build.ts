// `pnpm build` (after tsc): writes dist/mitra-widget.js, the one-file bundle the server
// serves, and prints its size and SRI hash.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { buildWidget, bundlePath, describeBundle } from '../src/bundle.js'

const bundle = describeBundle(await buildWidget(), 'esbuild')
await mkdir(dirname(bundlePath), { recursive: true })
await writeFile(bundlePath, bundle.code)
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
console.log(
  `dist/mitra-widget.js: ${kb(bundle.bytes)} minified, ${kb(bundle.gzipped)} gzipped, ${bundle.integrity}`,
)
