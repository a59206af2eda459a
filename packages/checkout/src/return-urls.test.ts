import { describe, expect, it } from 'vitest'
import { withOrderId } from './orders.js'

describe('return URLs', () => {
  it('put the order id where {ORDER_ID} stands, written as is or percent-encoded', () => {
    expect(withOrderId('https://galeri.example/?mitra_order={ORDER_ID}', 'ord_1')).toBe(
      'https://galeri.example/?mitra_order=ord_1',
    )
    expect(withOrderId('https://galeri.example/?mitra_order=%7BORDER_ID%7D', 'ord_2')).toBe(
      'https://galeri.example/?mitra_order=ord_2',
    )
    expect(withOrderId('https://galeri.example/thanks', 'ord_3')).toBe(
      'https://galeri.example/thanks',
    )
    expect(withOrderId(undefined, 'ord_4')).toBeNull()
  })
})
