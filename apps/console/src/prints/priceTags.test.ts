import { describe, expect, it } from 'vitest'
import { PriceTagSheet, type PriceTagSheetProps } from './priceTags.js'
import { brand, productUrl, qrCodesIn, readQr, tagItem } from './testing.js'

const render = (props: Partial<PriceTagSheetProps> = {}) =>
  String(PriceTagSheet({ locale: 'id', brand, items: [tagItem()], ...props }))

const tags = (html: string) => html.split('<li class="p-tag">').slice(1)

describe('PriceTagSheet', () => {
  it('a tag carries the maker’s brand, the product, its price and village, and a QR to its page', () => {
    const html = render()
    expect(html).toContain(
      '<section class="p-print p-tags p-tags-a4 p-tags-branded" lang="id" aria-label="Label harga: Batik Gemawangi" style="--p-brand: #1f3a5f">',
    )
    const [tag] = tags(html)
    expect(tag).toContain(
      '<p class="p-tag-brand"><img class="p-tag-logo" src="https://media.example/brands/gemawangi.png" alt="Logo Batik Gemawangi"/><span>Batik Gemawangi</span></p>',
    )
    expect(tag).toContain('<p class="p-tag-title">Batik tulis motif kopi</p>')
    expect(tag).toContain('<p class="p-tag-detail">ukuran: 200 × 115 cm · BG-KOPI-200</p>')
    expect(tag).toContain('<p class="p-tag-price">Rp350.000</p>')
    expect(tag).toContain('<p class="p-tag-origin">Desa Gemawang</p>')
    expect(tag).toContain(`<p class="p-tag-url">${productUrl}</p>`)
    expect(tag).toContain('aria-label="Kode QR ke halaman Batik tulis motif kopi di toko online"')
    const [code] = qrCodesIn(tag!)
    expect(readQr(code!.modules)).toBe(productUrl)
  })

  it('each item its own QR: every tag’s code reads back as its own URL', () => {
    const other = 'https://shop.example/products/prod_01jdemo0000000000000000002'
    const html = render({ items: [tagItem(), tagItem({ url: other, sku: 'BG-KOPI-100' })] })
    expect(qrCodesIn(html).map((code) => readQr(code.modules))).toEqual([productUrl, other])
  })

  it('repeats each item as many times as copies, in order; none for 0, negative or NaN', () => {
    const html = render({
      items: [
        tagItem({ copies: 3 }),
        tagItem({ sku: 'NONE', copies: 0 }),
        tagItem({ sku: 'NEG', copies: -2 }),
        tagItem({ sku: 'NAN', copies: Number.NaN }),
        tagItem({ sku: 'KY-TRUK', copies: 2.7 }),
      ],
    })
    expect(
      tags(html).map((tag) => tag.match(/<p class="p-tag-detail">[^<]*· ([^<]*)<\/p>/)?.[1]),
    ).toEqual(['BG-KOPI-200', 'BG-KOPI-200', 'BG-KOPI-200', 'KY-TRUK', 'KY-TRUK'])
    expect(qrCodesIn(html)).toHaveLength(5)
  })

  it('formats money in rupiah: Rp1.050.000, and IDR 1,050,000 in English', () => {
    const item = tagItem({ price: { amount: 1_050_000, currency: 'IDR' } })
    expect(render({ items: [item] })).toContain('<p class="p-tag-price">Rp1.050.000</p>')
    expect(render({ locale: 'en', items: [item] })).toContain(
      '<p class="p-tag-price">IDR 1,050,000</p>',
    )
  })

  it('speaks English when asked, falling back to the Indonesian title when there is none', () => {
    const html = render({
      locale: 'en',
      items: [tagItem(), tagItem({ title: { id: 'Madu klanceng', en: null } })],
    })
    expect(html).toContain('lang="en" aria-label="Price tags: Batik Gemawangi"')
    expect(html).toContain('<p class="p-tag-title">Hand-drawn batik, coffee motif</p>')
    expect(html).toContain('<p class="p-tag-title">Madu klanceng</p>')
    expect(html).toContain('<p class="p-tag-origin">Gemawang village</p>')
    expect(html).toContain('alt="Batik Gemawangi logo"')
    expect(html).toContain(
      'aria-label="QR code to the shop page of Hand-drawn batik, coffee motif"',
    )
    expect(html).not.toContain('Desa')
  })

  it('escapes what a producer typed: a <script> in a title or brand is text', () => {
    const html = render({
      brand: { name: 'Gema<script>alert(1)</script>' },
      items: [
        tagItem({
          title: { id: '<script>alert("x")</script> Batik' },
          options: { '<b>': '"a"' },
        }),
      ],
    })
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<b>')
    expect(html).toContain(
      '<p class="p-tag-title">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Batik</p>',
    )
    expect(html).toContain('<span>Gema&lt;script&gt;alert(1)&lt;/script&gt;</span>')
  })

  it('leaves out a colour or logo that is not one: no CSS or script smuggled into attributes', () => {
    const html = render({
      brand: {
        name: 'Batik Gemawangi',
        color: 'red; background: url(https://tracker.example/x)',
        logoUrl: 'javascript:alert(1)',
        village: null,
      },
    })
    expect(html).not.toContain('style=')
    expect(html).not.toContain('p-tags-branded')
    expect(html).not.toContain('tracker')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('p-tag-origin')
    expect(html).toContain('<p class="p-tag-brand"><span>Batik Gemawangi</span></p>')
  })

  it('a variant without options shows its SKU alone; a label printer gets its own sheet class', () => {
    const html = render({ sheet: 'label', items: [tagItem({ options: {} })] })
    expect(html).toContain('class="p-print p-tags p-tags-label p-tags-branded"')
    expect(html).toContain('<p class="p-tag-detail">BG-KOPI-200</p>')
  })
})
