import { describe, expect, it } from 'vitest'
import { brandMark, brandSummary, storeProduct, storeVenue, testView } from '../testing.js'
import { groupBrands, homePage } from './home.js'

describe('the home page', () => {
  const data = {
    brands: [
      brandSummary(),
      brandSummary({ slug: 'ape-gemawang', name: 'APE Gemawang', producer_id: 'pty_2' }),
      brandSummary({
        slug: 'topeng-bobung',
        name: 'Topeng <Bobung>',
        producer_id: 'pty_3',
        clusters: [],
        origin: {
          village: 'Bobung',
          district: 'Patuk',
          regency: 'Kabupaten Gunungkidul',
          province: 'DI Yogyakarta',
        },
      }),
    ],
    newest: [storeProduct()],
    venues: [storeVenue()],
  }

  it('groups producers by cluster, then by village for those in none', () => {
    const groups = groupBrands(data.brands)
    expect(groups.map((g) => g.cluster?.name ?? g.villages.join())).toEqual([
      'Desa Vokasi Gemawang',
      'Bobung',
    ])
    expect(groups[0]?.brands.map((b) => b.name)).toEqual(['APE Gemawang', 'Batik Gemawangi'])
    expect(groups[0]?.regions).toEqual(['Kabupaten Semarang, Jawa Tengah'])
    const two = groupBrands([
      brandSummary({ clusters: [brandMark({ slug: 'kajigelem', name: 'Kajigelem' })] }),
    ])
    expect(two[0]?.cluster?.slug).toBe('kajigelem')
  })

  it('shows the makers by cluster, what is new, the venues and a search form', () => {
    const html = homePage(testView('id'), data)
    expect(html.startsWith('<!doctype html><html lang="id">')).toBe(true)
    expect(html).toContain('<h2 id="makers">Para pembuat</h2>')
    expect(html).toContain('<a href="/brands/desa-vokasi-gemawang">Desa Vokasi Gemawang</a>')
    expect(html).toContain('<a class="cover" href="/brands/batik-gemawangi">Batik Gemawangi</a>')
    expect(html).toContain('Desa Gemawang · Kabupaten Semarang, Jawa Tengah')
    expect(html).toContain('<a class="cover" href="/products/prod_01jdemo0000000000000000001">')
    expect(html).toContain('Rp350.000')
    expect(html).toContain('<a class="cover" href="/venues/kafe-banaran-9">Kafe Banaran 9</a>')
    expect(html).toContain('Bisa diambil di sini · Kirim Rp15.000')
    expect(html).toContain('<search><form class="search" action="/search" method="get">')
    expect(html).toContain('<label for="q">Cari produk</label>')
    // Product text is text, never markup.
    expect(html).toContain('Topeng &lt;Bobung&gt;')
    expect(html).not.toContain('<Bobung>')
  })

  it('speaks English under /en, with English prices', () => {
    const html = homePage(testView('en'), data)
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<h2 id="makers">The makers</h2>')
    expect(html).toContain('href="/en/products/prod_01jdemo0000000000000000001"')
    expect(html).toContain('Hand-drawn batik, coffee motif')
    expect(html).toContain('IDR 350,000')
    expect(html).toContain('action="/en/search"')
  })
})
