import { describe, expect, it } from 'vitest'
import { publicBrand, storeProduct, storeVenue, testView } from '../testing.js'
import { type ProductData, productPage } from './product.js'

const venue = storeVenue()
const variantId = 'var_01jdemo0000000000000000001'
const data = (overrides: Partial<ProductData> = {}): ProductData => ({
  product: storeProduct(),
  availability: {
    product_id: storeProduct().id,
    venues: [
      {
        venue,
        variants: [
          {
            variant_id: variantId,
            sku: 'BG-KOPI-200',
            options: { ukuran: '200 × 115 cm' },
            price: { amount: 350_000, currency: 'IDR' },
            available: 3,
          },
        ],
      },
    ],
  },
  brand: publicBrand(),
  theme: '/assets/brand/batik-gemawangi.0123456789ab.css',
  card: '/products/prod_01jdemo0000000000000000001/card.jpg',
  ...overrides,
})
const path = '/products/prod_01jdemo0000000000000000001'

describe('the product page', () => {
  it('shows the pictures as <picture> with AVIF and WebP and the placeholder', () => {
    const html = productPage(testView('id', path), data())
    expect(html).toContain('<img class="ph" src="data:image/webp;base64,UklGRg==" alt=""')
    expect(html).toContain('<source type="image/avif" srcset="/media/kopi-320.avif 320w')
    expect(html).toContain('<source type="image/webp" srcset="/media/kopi-320.webp 320w')
    expect(html).toMatch(
      /<img src="\/media\/kopi-640.jpg" srcset="[^"]+" sizes="[^"]+" width="640" height="640" alt="Kain batik biru" loading="eager" fetchpriority="high"/,
    )
  })

  it('names the maker, the collective mark and the origin, and the price in rupiah', () => {
    const html = productPage(testView('id', path), data())
    expect(html).toContain('<h1>Batik tulis motif kopi</h1>')
    expect(html).toContain('<p class="price">Rp350.000</p>')
    expect(html).toContain(
      '<dt>Dibuat oleh</dt><dd><a href="/brands/batik-gemawangi">Batik Gemawangi</a> · <a href="/brands/desa-vokasi-gemawang">Desa Vokasi Gemawang</a></dd>',
    )
    expect(html).toContain('<dd>Desa Gemawang, Jambu, Kabupaten Semarang, Jawa Tengah</dd>')
    expect(html).toContain('href="/assets/brand/batik-gemawangi.0123456789ab.css"')
  })

  it('lists each venue that has it, with its address, live stock and a plain add-to-cart form', () => {
    const html = productPage(testView('id', path), data())
    expect(html).toContain('<h2 id="available">Tersedia di</h2>')
    expect(html).toContain('<a href="/venues/kafe-banaran-9">Kafe Banaran 9</a>')
    expect(html).toContain(
      '<address>Jl. Raya Banaran No. 9, Banaran, Bawen, Kabupaten Semarang, Jawa Tengah</address>',
    )
    expect(html).toContain('<span class="stock">Sisa 3</span>')
    expect(html).toContain('<form method="post" action="/cart/lines">')
    expect(html).toContain(`<input type="hidden" name="variant_id" value="${variantId}"/>`)
    expect(html).toContain(`<input type="hidden" name="venue_id" value="${venue.id}"/>`)
    // No more than is on the shelf can be asked for.
    expect(html).toContain('<option value="3">3</option></select>')
    expect(html).toContain('Tambah ke keranjang<span class="sr"> Batik tulis motif kopi')

    const nowhere = productPage(
      testView('en', path),
      data({ availability: { product_id: 'x', venues: [] } }),
    )
    expect(nowhere).toContain('Not on any partner’s shelf right now.')
    expect(nowhere).not.toContain('<form method="post"')
  })

  it('gives search engines a Product with an Offer, and Open Graph the social card', () => {
    const html = productPage(testView('en', path), data())
    const [, json] = /<script type="application\/ld\+json">(.*?)<\/script>/.exec(html) ?? []
    expect(JSON.parse(json ?? '{}')).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: 'Hand-drawn batik, coffee motif',
      image: ['https://shop.example/media/kopi-640.jpg'],
      brand: { '@type': 'Brand', name: 'Batik Gemawangi' },
      offers: [
        {
          '@type': 'Offer',
          sku: 'BG-KOPI-200',
          price: '350000',
          priceCurrency: 'IDR',
          availability: 'https://schema.org/InStock',
        },
      ],
    })
    expect(html).toContain(
      '<meta property="og:image" content="https://shop.example/products/prod_01jdemo0000000000000000001/card.jpg"/>',
    )
    expect(html).toContain('<meta property="og:type" content="product"/>')
    expect(html).toContain('<meta property="og:locale" content="en_US"/>')
    expect(html).toContain(
      '<link rel="alternate" hreflang="id" href="https://shop.example/products/prod_01jdemo0000000000000000001"/>',
    )
    expect(html).toContain(
      '<link rel="alternate" hreflang="en" href="https://shop.example/en/products/prod_01jdemo0000000000000000001"/>',
    )
    expect(html).toContain('<title>Hand-drawn batik, coffee motif · Batik Gemawangi</title>')
    expect(html).toContain('IDR 350,000')
  })

  it('says sold out in the structured data when no venue has it', () => {
    const html = productPage(
      testView('id', path),
      data({ availability: { product_id: 'x', venues: [] }, card: null }),
    )
    expect(html).toContain('"availability":"https://schema.org/OutOfStock"')
    expect(html).not.toContain('og:image')
  })

  it('escapes product text everywhere', () => {
    const evil = '"><script>alert(1)</script>'
    const html = productPage(
      testView('id', path),
      data({
        product: storeProduct({
          title: { id: evil, en: null },
          description: { id: `<b onmouseover="x">${evil}`, en: null },
          materials: ['<i>'],
        }),
      }),
    )
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<b onmouseover')
    expect(html).toContain('<h1>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>')
    expect(html).toContain('<title>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; · ')
    expect(html).toContain('\\u003cscript>alert(1)\\u003c/script>')
  })

  it('says when the last add asked for more than is left', () => {
    expect(productPage(testView('id', path), data({ problem: true }))).toContain(
      '<p class="error" role="alert">Stok tidak cukup',
    )
  })
})
