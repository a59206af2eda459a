import { describe, expect, it } from 'vitest'
import { storeProduct, storeVenue, testView } from '../testing.js'
import { venuePage } from './venue.js'

describe('the venue page', () => {
  const venue = storeVenue()
  const product = storeProduct()
  const unit = {
    variant_id: 'var_01jdemo0000000000000000001',
    product_id: product.id,
    producer_id: product.producer_id,
    sku: 'BG-KOPI-200',
    options: { ukuran: '200 × 115 cm' },
    price: { amount: 350_000, currency: 'IDR' },
    available: 4,
  }

  it('shows what is on its shelf now, with live stock and add-to-cart forms', () => {
    const html = venuePage(testView('id', '/venues/kafe-banaran-9'), {
      venue,
      products: [product],
      units: [unit],
    })
    expect(html).toContain('<h1>Kafe Banaran 9</h1>')
    expect(html).toContain(
      '<address>Jl. Raya Banaran No. 9, Banaran, Bawen, Kabupaten Semarang, Jawa Tengah</address>',
    )
    expect(html).toContain('<a href="tel:+6281234567890">+62 812 3456 7890</a>')
    expect(html).toContain('<h2 id="shelf">Di rak sekarang</h2>')
    expect(html).toContain('<a href="/products/prod_01jdemo0000000000000000001">')
    expect(html).toContain('<span class="stock">Sisa 4</span>')
    expect(html).toContain(`<input type="hidden" name="venue_id" value="${venue.id}"/>`)
    expect(html).toContain('<input type="hidden" name="back" value="/venues/kafe-banaran-9"/>')
    const [, json] = /<script type="application\/ld\+json">(.*?)<\/script>/.exec(html) ?? []
    expect(JSON.parse(json ?? '{}')).toMatchObject({
      '@type': 'Store',
      name: 'Kafe Banaran 9',
      address: { streetAddress: 'Jl. Raya Banaran No. 9', addressCountry: 'ID' },
    })
  })

  it('says when the shelf is empty', () => {
    const html = venuePage(testView('en', '/venues/kafe-banaran-9'), {
      venue: storeVenue({ name: 'Kafe <9>', location: { ...venue.location, address: null } }),
      products: [],
      units: [],
    })
    expect(html).toContain('This shelf is empty right now.')
    expect(html).toContain('<h1>Kafe &lt;9&gt;</h1>')
  })
})
