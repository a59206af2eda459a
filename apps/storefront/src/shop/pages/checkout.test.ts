import { describe, expect, it } from 'vitest'
import { cart, storeVenue, testView } from '../testing.js'
import { checkoutBody, checkoutPage, formField } from './checkout.js'

describe('the checkout page', () => {
  const held = cart()
  const venue = held.venues[0] as (typeof held.venues)[number]
  const page = (overrides = {}) =>
    checkoutPage(testView('id', '/checkout'), {
      cart: held,
      venue,
      profile: storeVenue(),
      providers: ['demo', 'midtrans'],
      values: {},
      errors: {},
      attempt: 'a1',
      ...overrides,
    })

  it('asks pickup or delivery, name and phone, the address for a delivery, and the provider', () => {
    const html = page()
    expect(html).toContain('<form method="post" action="/checkout" data-fulfilment="true">')
    expect(html).toContain('<input type="hidden" name="attempt" value="a1"/>')
    expect(html).toContain('<input type="radio" name="fulfilment" value="pickup" checked=""/>')
    expect(html).toContain('Ambil di Kafe Banaran 9')
    expect(html).toContain('<input type="radio" name="fulfilment" value="delivery"/>')
    expect(html).toContain('Dikirim (ongkos Rp15.000)')
    expect(html).toContain('<label for="f-customer_name">Nama</label>')
    expect(html).toMatch(
      /<input id="f-customer_name" name="customer_name" type="text" value="" autocomplete="name" required=""/,
    )
    expect(html).toContain('<label for="f-customer_phone">Nomor HP</label>')
    expect(html).toContain('<fieldset data-address="true">')
    expect(html).toContain('<input type="radio" name="provider" value="demo" checked=""/>')
    expect(html).toContain('Demo (tanpa uang sungguhan)')
    expect(html).toContain('<dd>Rp700.000</dd>')
  })

  it('shows what the API refused next to each field, keeping what was typed', () => {
    const html = page({
      values: { customer_name: 'Sari <S>', fulfilment: 'delivery' },
      errors: { address_line1: 'Required' },
    })
    expect(html).toContain('<p class="error" role="alert">Periksa isian yang ditandai.</p>')
    expect(html).toContain('value="Sari &lt;S&gt;"')
    expect(html).toContain('<input type="radio" name="fulfilment" value="delivery" checked=""/>')
    expect(html).toContain('aria-invalid="true" aria-describedby="f-address_line1-error"')
    expect(html).toContain('<p class="field-error" id="f-address_line1-error">Required</p>')
  })

  it('turns the form into the API’s checkout body, the address only for a delivery', () => {
    const url = 'https://shop.example/orders/{ORDER_ID}'
    expect(
      checkoutBody({ customer_name: ' Sari ', customer_phone: '', provider: 'demo' }, 'pty_1', url),
    ).toEqual({
      venue_id: 'pty_1',
      fulfilment: 'pickup',
      customer: { name: 'Sari' },
      provider: 'demo',
      success_url: url,
      cancel_url: url,
    })
    expect(
      checkoutBody(
        {
          fulfilment: 'delivery',
          customer_name: 'Sari',
          customer_phone: '0812',
          address_line1: 'Jl. Mawar 1',
          address_city: 'Ambarawa',
          address_postal_code: '50614',
        },
        'pty_1',
        url,
      ),
    ).toMatchObject({
      fulfilment: 'delivery',
      delivery_address: {
        recipient: 'Sari',
        phone: '0812',
        line1: 'Jl. Mawar 1',
        city: 'Ambarawa',
        postal_code: '50614',
      },
    })
    expect(formField('customer.name')).toBe('customer_name')
    expect(formField('delivery_address.postal_code')).toBe('address_postal_code')
    expect(formField('delivery_address.phone')).toBe('customer_phone')
  })
})
