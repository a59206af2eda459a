import { readdir, readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fillIn, type RunningGallery, siteDir, startGallery } from './server.js'

const site = {
  api: 'http://127.0.0.1:3000',
  key: `pk_${'a'.repeat(43)}`,
  venue: 'pty_01jabcdefghjkmnpqrstvwxyz0',
  product: 'prod_01jabcdefghjkmnpqrstvwxyz0',
}

describe('the gallery’s pages', () => {
  it('fill in where the API is, the key, the venue and a product, and nothing else', () => {
    const page = fillIn(
      '<script src="{{MITRA_API}}/widget/v1.js" data-key="{{MITRA_KEY}}" data-venue="{{MITRA_VENUE}}"></script><mitra-product product="{{MITRA_PRODUCT}}">',
      site,
    )
    expect(page).toBe(
      `<script src="http://127.0.0.1:3000/widget/v1.js" data-key="${site.key}" data-venue="${site.venue}"></script><mitra-product product="${site.product}">`,
    )
    // A value can never break out of its attribute.
    expect(fillIn('"{{MITRA_KEY}}"', { ...site, key: 'pk_"><script>' })).toBe('"pk_script"')
  })

  it('load the widget from the mitra origin only, under a CSP with no inline anything', async () => {
    for (const file of (await readdir(siteDir)).filter((name) => name.endsWith('.html'))) {
      const page = await readFile(`${siteDir}${file}`, 'utf8')
      const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)?.[1]
      expect(policy, file).toContain("default-src 'none'")
      expect(policy, file).toContain('script-src {{MITRA_API}};')
      expect(policy, file).not.toMatch(/unsafe-(inline|eval)/)
      expect(page, file).toMatch(/<script type="module" src="\{\{MITRA_API\}\}\/widget\/v1\.js"/)
      expect(page, file).not.toMatch(/<style|style="|<script>/)
    }
  })
})

describe('the gallery’s server', () => {
  let gallery: RunningGallery
  beforeAll(async () => {
    gallery = await startGallery({ site: () => site })
  })
  afterAll(() => gallery.close())

  it('serves the site with the values filled in, and nothing outside it', async () => {
    const home = await fetch(`${gallery.url}/`)
    expect(home.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(await home.text()).toContain(`data-key="${site.key}"`)
    expect((await fetch(`${gallery.url}/style.css`)).status).toBe(200)
    expect((await fetch(`${gallery.url}/../package.json`)).status).toBe(404)
    expect((await fetch(`${gallery.url}/%2e%2e/src/server.ts`)).status).toBe(404)
    expect((await fetch(`${gallery.url}/missing.html`)).status).toBe(404)
  })

  it('sends each page’s policy as a header, never framed, and nosniff on everything', async () => {
    for (const path of ['/', '/en.html', '/brand.html', '/strict.html']) {
      const page = await fetch(`${gallery.url}${path}`)
      const policy = page.headers.get('Content-Security-Policy') ?? ''
      expect(policy, path).toContain("default-src 'none'")
      expect(policy, path).toContain(`script-src ${site.api};`)
      expect(policy, path).toContain("frame-ancestors 'none'")
      expect(policy, path).not.toMatch(/unsafe-(inline|eval)/)
      expect(page.headers.get('X-Content-Type-Options'), path).toBe('nosniff')
      expect(page.headers.get('Referrer-Policy'), path).toBe('strict-origin-when-cross-origin')
    }
    const style = await fetch(`${gallery.url}/style.css`)
    expect(style.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(style.headers.get('Content-Security-Policy')).toBeNull()
  })
})
