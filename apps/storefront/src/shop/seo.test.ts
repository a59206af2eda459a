import { describe, expect, it } from 'vitest'
import { jsonLdText } from './layout.js'
import { robotsTxt, sitemapXml } from './seo.js'

describe('what search engines read', () => {
  it('a sitemap naming each page in both languages, with alternates', () => {
    const xml = sitemapXml('https://shop.example', [
      { path: '/' },
      { path: '/products/prod_1', lastmod: '2026-12-06T07:30:00.000Z' },
      { path: '/brands/a&b' },
    ])
    expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"')
    expect(xml).toContain('<loc>https://shop.example/</loc>')
    expect(xml).toContain('<loc>https://shop.example/en</loc>')
    expect(xml).toContain(
      '<loc>https://shop.example/en/products/prod_1</loc><lastmod>2026-12-06T07:30:00.000Z</lastmod>',
    )
    expect(xml).toContain(
      '<xhtml:link rel="alternate" hreflang="en" href="https://shop.example/en/products/prod_1"/>',
    )
    expect(xml).toContain('hreflang="x-default" href="https://shop.example/products/prod_1"')
    expect(xml).toContain('/brands/a&amp;b')
    expect(xml.match(/<url>/g)).toHaveLength(6)
  })

  it('robots.txt: the catalogue, not carts, orders or the API', () => {
    const robots = robotsTxt('https://shop.example')
    expect(robots).toContain('Disallow: /cart\nDisallow: /en/cart')
    expect(robots).toContain('Disallow: /orders/')
    expect(robots).toContain('Disallow: /v1/')
    expect(robots).toContain('Sitemap: https://shop.example/sitemap.xml')
  })

  it('JSON-LD text that no product name can close', () => {
    expect(jsonLdText({ name: '</script><b>\u2028' })).toBe(
      '{"name":"\\u003c/script>\\u003cb>\\u2028"}',
    )
  })
})
