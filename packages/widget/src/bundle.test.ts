import { readdir, readFile } from 'node:fs/promises'
import { expect, it } from 'vitest'
import { buildWidget, describeBundle } from './bundle.js'

it('builds into one ES module within the 12 KB gzipped budget, API client included', async () => {
  const bundle = describeBundle(await buildWidget(), 'esbuild')
  expect(bundle.code).toContain('/v1/store/carts')
  expect(bundle.code).toContain('mitra-shelf')
  expect(bundle.code).not.toMatch(/^\s*import /m)
  expect(bundle.integrity).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/)
  expect(bundle.gzipped).toBeLessThanOrEqual(12 * 1024)
})

it('writes no HTML from strings, evaluates no code and sets no inline styles', async () => {
  const code = await buildWidget()
  for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(']) {
    expect(code, sink).not.toContain(sink)
  }
  expect(code).not.toMatch(/new Function|\.style\.|setAttribute\("style"/)
  // The sources too: style attributes or <style> in markup would break a strict CSP.
  const folder = new URL('.', import.meta.url)
  for (const file of await readdir(folder)) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file === 'bundle.ts') continue
    const source = await readFile(new URL(file, folder), 'utf8')
    expect(source, file).not.toMatch(/innerHTML|<style|[{,\s]style:/)
  }
})
