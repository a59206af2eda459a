import { describe, expect, it } from 'vitest'
import {
  absoluteSrcset,
  apiBaseOf,
  hexColor,
  orderOutcome,
  returnedOrder,
  returnUrl,
} from './util.js'

describe('the widget’s pure helpers', () => {
  it('returnUrl: this page with mitra_order={ORDER_ID}, any earlier one dropped', () => {
    expect(returnUrl('https://galeri.example/toko')).toBe(
      'https://galeri.example/toko?mitra_order={ORDER_ID}',
    )
    expect(returnUrl('https://galeri.example/toko?lang=en&mitra_order=ord_old#cart')).toBe(
      'https://galeri.example/toko?lang=en&mitra_order={ORDER_ID}',
    )
  })

  it('returnedOrder: only a well-formed order id', () => {
    expect(returnedOrder('https://g.example/?mitra_order=ord_01JABCDEF123')).toBe(
      'ord_01JABCDEF123',
    )
    expect(returnedOrder('https://g.example/?mitra_order={ORDER_ID}')).toBeNull()
    expect(returnedOrder('https://g.example/?mitra_order=ord_<script>')).toBeNull()
    expect(returnedOrder('https://g.example/')).toBeNull()
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
