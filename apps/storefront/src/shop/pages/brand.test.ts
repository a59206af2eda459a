import { describe, expect, it } from 'vitest'
import { brandSummary, publicBrand, storeProduct, storeVenue, testView } from '../testing.js'
import { brandPage } from './brand.js'

describe('the brand page', () => {
  const data = {
    brand: publicBrand(),
    products: [storeProduct()],
    venues: [storeVenue()],
    members: [],
    theme: '/assets/brand/batik-gemawangi.0123456789ab.css',
  }

  it('shows the kit: logo, name, tagline, village and cluster, the collective mark, the story', () => {
    const html = brandPage(testView('id', '/brands/batik-gemawangi'), data)
    expect(html).toContain(
      '<link rel="stylesheet" href="/assets/brand/batik-gemawangi.0123456789ab.css"/>',
    )
    expect(html).toContain(
      '<div class="brand-hero"><img class="logo big" src="/media/logo-640.jpg"',
    )
    expect(html).toContain('<h1>Batik Gemawangi</h1>')
    expect(html).toContain('<p class="tagline">Batik tulis pewarna alami</p>')
    expect(html).toContain('<p>Desa Gemawang, Jambu, Kabupaten Semarang, Jawa Tengah</p>')
    expect(html).toContain('<span class="badge">Merek kolektif</span>')
    expect(html).toContain('<a class="mark" href="/brands/desa-vokasi-gemawang">')
    expect(html).toContain('<p class="story">Kelompok batik ibu-ibu.\nMotif kopi.</p>')
    expect(html).toContain('<dt>P-IRT</dt><dd>206337401020024</dd>')
    expect(html).toContain('href="https://www.instagram.com/batikgemawangi"')
  })

  it('lists its products and where to find them, and says so when nowhere', () => {
    const html = brandPage(testView('id', '/brands/batik-gemawangi'), data)
    expect(html).toContain('<h2 id="products">Produk</h2>')
    expect(html).toContain('href="/products/prod_01jdemo0000000000000000001"')
    expect(html).toContain('<h2 id="where">Di mana menemukannya</h2>')
    expect(html).toContain('Jl. Raya Banaran No. 9, Banaran, Bawen, Kabupaten Semarang')
    const nowhere = brandPage(testView('en', '/brands/batik-gemawangi'), { ...data, venues: [] })
    expect(nowhere).toContain('Not on any partner’s shelf right now.')
  })

  it('lists a cluster’s members on its collective mark’s page', () => {
    const html = brandPage(testView('id', '/brands/desa-vokasi-gemawang'), {
      ...data,
      brand: publicBrand({ slug: 'desa-vokasi-gemawang', name: 'Desa Vokasi', clusters: [] }),
      members: [brandSummary()],
    })
    expect(html).toContain('<h2 id="members">Anggota</h2>')
    expect(html).toContain('<a class="cover" href="/brands/batik-gemawangi">Batik Gemawangi</a>')
    expect(html).not.toContain('Merek kolektif')
  })

  it('describes the brand as an Organization for search engines', () => {
    const html = brandPage(testView('en', '/brands/batik-gemawangi'), data)
    const [, json] = /<script type="application\/ld\+json">(.*?)<\/script>/.exec(html) ?? []
    expect(JSON.parse(json ?? '{}')).toMatchObject({
      '@type': 'Organization',
      name: 'Batik Gemawangi',
      url: 'https://shop.example/en/brands/batik-gemawangi',
      logo: 'https://shop.example/media/logo-640.jpg',
      address: { addressLocality: 'Gemawang', addressCountry: 'ID' },
      memberOf: [{ name: 'Desa Vokasi Gemawang' }],
    })
    expect(html).toContain('<meta property="og:type" content="profile"/>')
    expect(html).toContain(
      '<link rel="canonical" href="https://shop.example/en/brands/batik-gemawangi"/>',
    )
  })

  it('escapes what a producer writes', () => {
    const html = brandPage(testView('id', '/brands/x'), {
      ...data,
      brand: publicBrand({
        name: '</script><script>alert(1)</script>',
        story: { id: '<img src=x onerror=alert(1)>', en: '' },
      }),
    })
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<script>alert(1)')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    // In the JSON-LD too: `<` is escaped, so the text cannot close the script.
    expect(html).toContain('\\u003c/script>\\u003cscript>alert(1)\\u003c/script>')
  })
})
