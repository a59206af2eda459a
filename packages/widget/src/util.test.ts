import { describe, expect, it } from 'vitest'
import {
  absoluteSrcset,
  apiBaseOf,
  hexColor,
  orderOutcome,
  returnedOrder,
  returnUrl,
  withoutToken,
} from './util.js'

describe('the widget’s pure helpers', () => {
  it('returnUrl: this page with the order’s id and token to fill in, any earlier ones dropped', () => {
    expect(returnUrl('https://galeri.example/toko')).toBe(
      'https://galeri.example/toko?mitra_order={ORDER_ID}&mitra_token={ORDER_TOKEN}',
    )
    expect(
      returnUrl('https://galeri.example/toko?lang=en&mitra_order=ord_old&mitra_token=otok_x#cart'),
    ).toBe('https://galeri.example/toko?lang=en&mitra_order={ORDER_ID}&mitra_token={ORDER_TOKEN}')
  })

  it('returnedOrder: only a well-formed order id, with its token when well-formed', () => {
    const token = 'otok_AbCdEfGhIjKlMnOpQrStUvWxYz012345'
    expect(
      returnedOrder(`https://g.example/?mitra_order=ord_01JABCDEF123&mitra_token=${token}`),
    ).toEqual({
      id: 'ord_01JABCDEF123',
      token,
    })
    expect(returnedOrder('https://g.example/?mitra_order=ord_01JABCDEF123')).toEqual({
      id: 'ord_01JABCDEF123',
      token: null,
    })
    expect(
      returnedOrder('https://g.example/?mitra_order=ord_01JABCDEF123&mitra_token={ORDER_TOKEN}'),
    ).toEqual({ id: 'ord_01JABCDEF123', token: null })
    expect(returnedOrder('https://g.example/?mitra_order={ORDER_ID}')).toBeNull()
    expect(returnedOrder('https://g.example/?mitra_order=ord_<script>')).toBeNull()
    expect(returnedOrder('https://g.example/')).toBeNull()
  })

  it('withoutToken: the page as the address bar keeps it', () => {
    expect(withoutToken('https://g.example/toko?mitra_order=ord_1&mitra_token=otok_x#c')).toBe(
      'https://g.example/toko?mitra_order=ord_1#c',
    )
  })

  it('orderOutcome: paid, pending, failed, expired, refunded', () => {
    expect(orderOutcome('paid')).toBe('paid')
    expect(orderOutcome('ready_for_pickup')).toBe('paid')
    expect(orderOutcome('completed')).toBe('paid')
    expect(orderOutcome('pending_payment')).toBe('pending')
    expect(orderOutcome('canceled')).toBe('payFailed')
    expect(orderOutcome('expired')).toBe('orderExpired')
    expect(orderOutcome('refunded')).toBe('refunded')
  })

  it('absoluteSrcset: server paths on the API origin', () => {
    expect(absoluteSrcset('/media/a.jpg 320w, /media/b.jpg 640w', 'https://mitra.example')).toBe(
      'https://mitra.example/media/a.jpg 320w, https://mitra.example/media/b.jpg 640w',
    )
    expect(absoluteSrcset('', 'https://mitra.example')).toBe('')
  })

  it('hexColor: only #rrggbb goes into a stylesheet', () => {
    expect(hexColor('#1f3a5f')).toBe('#1f3a5f')
    expect(hexColor('red;}body{display:none')).toBeUndefined()
    expect(hexColor(undefined)).toBeUndefined()
  })

  it('apiBaseOf: the folder above /widget/', () => {
    expect(apiBaseOf('https://mitra.example/widget/v1.js')).toBe('https://mitra.example')
    expect(apiBaseOf('https://x.example/mitra/widget/v1.abc.js')).toBe('https://x.example/mitra')
  })
})
