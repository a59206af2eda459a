import { describe, expect, it } from 'vitest'
import { dateTime, localePath, money, pick, splitLocale } from './i18n.js'
import { safeNext } from './routes.js'

describe('the shop’s languages', () => {
  it('puts English under /en and Indonesian at the root, both ways', () => {
    expect(localePath('id', '/products/x')).toBe('/products/x')
    expect(localePath('en', '/products/x')).toBe('/en/products/x')
    expect(localePath('en', '/')).toBe('/en')
    expect(splitLocale('/en')).toEqual({ locale: 'en', path: '/' })
    expect(splitLocale('/en/cart')).toEqual({ locale: 'en', path: '/cart' })
    expect(splitLocale('/entries')).toEqual({ locale: 'id', path: '/entries' })
    expect(splitLocale('/cart')).toEqual({ locale: 'id', path: '/cart' })
  })

  it('writes rupiah as Indonesians and as the widget does in English', () => {
    expect(money({ amount: 350_000, currency: 'IDR' }, 'id')).toBe('Rp350.000')
    expect(money({ amount: 350_000, currency: 'IDR' }, 'en')).toBe('IDR 350,000')
  })

  it('falls back to Indonesian where there is no English', () => {
    expect(pick({ id: 'Madu hutan', en: 'Forest honey' }, 'en')).toBe('Forest honey')
    expect(pick({ id: 'Madu hutan', en: null }, 'en')).toBe('Madu hutan')
    expect(pick({ id: 'Madu hutan', en: '' }, 'en')).toBe('Madu hutan')
    expect(pick(null, 'id')).toBe('')
  })

  it('tells the time in Jakarta', () => {
    expect(dateTime('2026-12-06T07:30:00.000Z', 'en')).toMatch(/6 Dec 2026.*14:30/)
  })

  it('sends the buyer back only to a page of this site', () => {
    expect(safeNext('/en/products/prod_1', '/')).toBe('/en/products/prod_1')
    for (const next of ['//evil.example', '/\\evil.example', 'https://evil.example', 'x', '']) {
      expect(safeNext(next, '/')).toBe('/')
    }
    expect(safeNext(undefined, '/cart')).toBe('/cart')
  })
})
