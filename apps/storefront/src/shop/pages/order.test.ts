import { describe, expect, it } from 'vitest'
import { order, storeVenue, testView } from '../testing.js'
import { orderPage } from './order.js'

describe('the order page', () => {
  const path = '/orders/ord_01jdemo0000000000000000001'

  it('waiting for payment: the way to pay, until when, and cancel', () => {
    const html = orderPage(testView('id', path), { order: order(), venue: storeVenue() })
    expect(html).toContain('<meta name="robots" content="noindex"/>')
    expect(html).toContain('<p class="status" role="status">Menunggu pembayaran</p>')
    expect(html).toContain('<a class="button" href="https://shop.example/demo-pay/sess_1">')
    expect(html).toContain('Bayar sebelum')
    expect(html).toContain(
      '<form method="post" action="/orders/ord_01jdemo0000000000000000001/cancel">',
    )
    expect(html).toContain('Batik tulis motif kopi × 1 = Rp350.000')
    expect(html).toContain('Diambil di Kafe Banaran 9')
    // Its address is its id: none of the buyer's details are on it.
    expect(html).not.toContain('0812 3456 7890')
    expect(html).not.toContain('sari@example.id')
  })

  it('paid: says so, and offers no payment', () => {
    const html = orderPage(testView('en', path), {
      order: order({ status: 'paid', paid_at: '2026-12-06T07:40:00.000Z' }),
      venue: storeVenue(),
    })
    expect(html).toContain('<p class="status paid" role="status">Paid</p>')
    expect(html).toContain('Thank you!')
    expect(html).not.toContain('/cancel')
    expect(html).not.toContain('demo-pay')
  })

  it('delivered: names the city, not the street', () => {
    const html = orderPage(testView('en', path), {
      order: order({
        fulfilment: 'delivery',
        delivery_address: {
          recipient: 'Sari',
          phone: '0812',
          line1: 'Jl. Mawar 1',
          city: 'Ambarawa',
          postal_code: '50614',
        },
        delivery_fee: { amount: 15_000, currency: 'IDR' },
      }),
      venue: null,
    })
    expect(html).toContain('Delivered to Ambarawa')
    expect(html).not.toContain('Jl. Mawar 1')
    expect(html).toContain('<dt>Delivery</dt><dd>IDR 15,000</dd>')
  })
})
