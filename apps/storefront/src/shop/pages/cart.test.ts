import { describe, expect, it } from 'vitest'
import { cart, storeVenue, testView } from '../testing.js'
import { cartCount, cartPage } from './cart.js'

describe('the cart page', () => {
  it('groups lines by venue, each with a plain form to change or remove it, and checkout per venue', () => {
    const second = storeVenue({ id: 'pty_01jdemo0000000000000000008', name: 'Galeri Gemawangi' })
    const base = cart()
    const held = cart({
      lines: [
        ...base.lines,
        { ...(base.lines[0] as (typeof base.lines)[number]), venue_id: second.id, quantity: 1 },
      ],
      venues: [
        ...base.venues,
        {
          ...(base.venues[0] as (typeof base.venues)[number]),
          venue_id: second.id,
          name: second.name,
        },
      ],
    })
    expect(cartCount(held)).toBe(3)
    const html = cartPage(testView('id', '/cart', 3), {
      cart: held,
      notice: 'Barang masuk keranjang.',
    })
    expect(html).toContain('<meta name="robots" content="noindex"/>')
    expect(html).toContain('<a href="/cart">Keranjang (3)</a>')
    expect(html).toContain('<p class="notice" role="status">Barang masuk keranjang.</p>')
    expect(html).toContain('Setiap tempat adalah penjual sendiri')
    expect(html).toContain('<h2 id="from-pty_01jdemo0000000000000000009">Dari Kafe Banaran 9</h2>')
    expect(html).toContain(
      '<h2 id="from-pty_01jdemo0000000000000000008">Dari Galeri Gemawangi</h2>',
    )
    expect(html).toContain('Rp350.000 × 2 = Rp700.000')
    expect(html).toContain('<option value="2" selected="">2</option>')
    expect(html).toContain('<input type="hidden" name="mode" value="set"/>')
    expect(html).toContain('<form method="post" action="/cart/lines/remove">')
    expect(html).toContain('<strong>Batik tulis motif kopi (BG-KOPI)</strong>')
    expect(html).toContain('aria-label="Hapus Batik tulis motif kopi (BG-KOPI)"')
    expect(html).toContain('href="/checkout?venue=pty_01jdemo0000000000000000009"')
    expect(html).toContain('href="/checkout?venue=pty_01jdemo0000000000000000008"')
  })

  it('says when a line sold out meanwhile', () => {
    const base = cart()
    const line = base.lines[0] as (typeof base.lines)[number]
    const html = cartPage(testView('en', '/cart'), {
      cart: cart({
        lines: [{ ...line, available: 0, problem: { code: 'insufficient_stock', detail: '…' } }],
      }),
    })
    expect(html).toContain('<p class="error">Sold out</p>')
    // The line in the buyer's language.
    expect(html).toContain('<strong>Hand-drawn coffee batik (BG-KOPI)</strong>')
  })

  it('is empty without a cart', () => {
    expect(cartPage(testView('en', '/cart'), { cart: null })).toContain('Your cart is empty.')
  })
})
