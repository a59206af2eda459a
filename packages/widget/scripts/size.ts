// `pnpm --filter @mitra/widget bench` (part of `pnpm bench`): what the widget costs a browser
// — every element and its API client, minified and gzipped — against Shopify's Buy Button,
// measured from its npm package in the same run (`npm pack`, no install).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { buildWidget, describeBundle } from '../src/bundle.js'

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const budget = 12 * 1024

const ours = describeBundle(await buildWidget(), 'esbuild')
console.log(
  `@mitra/widget (all elements + API client)  ${kb(ours.bytes)} minified, ${kb(ours.gzipped)} gzipped (budget ${kb(budget)}: ${(ours.gzipped / budget).toFixed(2)} of it)`,
)

const shopify = '@shopify/buy-button-js@3.0.6'
const folder = mkdtempSync(join(tmpdir(), 'mitra-bench-'))
try {
  const tarball = execFileSync('npm', ['pack', shopify, '--silent', '--pack-destination', folder], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim()
  const file = 'package/dist/buybutton.min.js'
  execFileSync('tar', ['xzf', join(folder, tarball), '-C', folder, file])
  const code = readFileSync(join(folder, file))
  const gzipped = gzipSync(code, { level: 9 }).length
  console.log(
    `${shopify} (dist/buybutton.min.js)      ${kb(code.length)} minified, ${kb(gzipped)} gzipped`,
  )
  console.log(`widget / Buy Button (gzipped): ${(ours.gzipped / gzipped).toFixed(3)}`)
} catch (error) {
  console.log(`${shopify}: not measured (${(error as Error).message.split('\n')[0]})`)
} finally {
  rmSync(folder, { recursive: true, force: true })
}
if (ours.gzipped > budget) process.exitCode = 1
