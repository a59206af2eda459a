import { describe, expect, it } from 'vitest'
import { CounterReceipt, type CounterReceiptProps } from './receipt.js'
import { receiptLines } from './testing.js'

const render = (props: Partial<CounterReceiptProps> = {}) =>
  String(
    CounterReceipt({
      locale: 'id',
      venue: { name: 'Kafe Banaran 9', address: 'Jl. Raya Semarang–Solo Km 9, Bawen' },
      sale: { receiptNumber: 'KB9-000123' },
      lines: receiptLines(),
      paidWith: 'cash',
      // 07:30 UTC is 14:30 in Jakarta.
      receivedAt: '2026-12-06T07:30:00.000Z',
      ...props,
    }),
  )

const lines = (html: string) =>
  [...html.matchAll(/<li class="p-rc-line">(.*?)<\/li>/g)].map(([, line]) => line!)

describe('CounterReceipt', () => {
  it('names the maker on every line, beside the product', () => {
    const html = render()
    expect(lines(html)).toEqual([
      '<p class="p-rc-item">Batik tulis motif kopi (ukuran: 200 × 115 cm) <span class="p-rc-maker">— Batik Gemawangi, Desa Gemawang</span></p>' +
        '<p class="p-rc-amounts"><span>2 × Rp350.000</span><span>Rp700.000</span></p>',
      '<p class="p-rc-item">Madu klanceng 250 g <span class="p-rc-maker">— Madu Lereng Ungaran, Desa Lerep</span></p>' +
        '<p class="p-rc-amounts"><span>1 × Rp350.000</span><span>Rp350.000</span></p>',
    ])
  })

  it('the venue, receipt number, Jakarta time, total, cash and thanks', () => {
    const html = render()
    expect(html).toContain('<article class="p-print p-receipt p-receipt-80" lang="id">')
    expect(html).toContain(
      '<h1 class="p-rc-venue">Kafe Banaran 9</h1><p>Jl. Raya Semarang–Solo Km 9, Bawen</p><p>Struk KB9-000123</p>',
    )
    expect(html).toContain('<time datetime="2026-12-06T07:30:00.000Z">6 Des 2026, 14.30</time>')
    expect(html).toContain('<dl class="p-rc-total"><dt>Total</dt><dd>Rp1.050.000</dd></dl>')
    expect(html).toContain('<p class="p-rc-paid">Dibayar dengan: Tunai</p>')
    expect(html).toContain('<p class="p-rc-thanks">Terima kasih telah mendukung produk desa!</p>')
  })

  it('in English, paid by QRIS, on a 58 mm roll', () => {
    const html = render({ locale: 'en', paidWith: 'qris', paper: 58 })
    expect(html).toContain('<article class="p-print p-receipt p-receipt-58" lang="en">')
    expect(lines(html)[0]).toContain(
      'Hand-drawn batik, coffee motif (ukuran: 200 × 115 cm) <span class="p-rc-maker">— Batik Gemawangi, Gemawang village</span>',
    )
    expect(lines(html)[0]).toContain('<span>2 × IDR 350,000</span><span>IDR 700,000</span>')
    expect(html).toContain('<p>Receipt KB9-000123</p>')
    expect(html).toContain('>6 Dec 2026, 14:30</time>')
    expect(html).toContain('<dt>Total</dt><dd>IDR 1,050,000</dd>')
    expect(html).toContain('<p class="p-rc-paid">Paid with: QRIS</p>')
    expect(html).toContain('Thank you for supporting village makers!')
  })

  it('a maker without a village, a venue without an address', () => {
    const [line] = receiptLines()
    const html = render({
      venue: { name: 'Galeri Ungaran' },
      lines: [{ ...line!, maker: { name: 'Batik Gemawangi', village: null } }],
    })
    expect(html).toContain('<h1 class="p-rc-venue">Galeri Ungaran</h1><p>Struk')
    expect(html).toContain('<span class="p-rc-maker">— Batik Gemawangi</span>')
    expect(html).toContain('<dd>Rp700.000</dd>')
  })

  it('never adds two currencies together', () => {
    const [line] = receiptLines()
    const html = render({
      lines: [line!, { ...line!, quantity: 1, unitPrice: { amount: 1_500, currency: 'USD' } }],
    })
    expect(html).toContain(
      '<dl class="p-rc-total"><dt>Total</dt><dd>Rp700.000</dd><dt>Total</dt><dd>US$15,00</dd></dl>',
    )
  })

  it('escapes what was typed: a maker or product named with markup is text', () => {
    const [line] = receiptLines()
    const html = render({
      venue: { name: '<script>x</script>' },
      lines: [
        {
          ...line!,
          title: { id: '<b>Batik</b>' },
          maker: { name: '<i>Gema</i>', village: 'Gemawang' },
        },
      ],
    })
    expect(html).not.toMatch(/<(script|b|i)>/)
    expect(html).toContain('&lt;b&gt;Batik&lt;/b&gt;')
    expect(html).toContain('— &lt;i&gt;Gema&lt;/i&gt;, Desa Gemawang')
  })
})
