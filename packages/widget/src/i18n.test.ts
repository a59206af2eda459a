import { describe, expect, it } from 'vitest'
import { localeOf, strings, translate } from './i18n.js'

describe('the id/en string table', () => {
  it('has every string in both languages, with the same placeholders', () => {
    for (const [key, text] of Object.entries(strings)) {
      const [id = '', en = '', ...more] = text.split('|')
      expect(more, key).toEqual([])
      expect(id.trim(), key).not.toBe('')
      expect(en.trim(), key).not.toBe('')
      const placeholders = (text: string) => (text.match(/\{\d\}/g) ?? []).sort()
      expect(placeholders(id), key).toEqual(placeholders(en))
    }
  })

  it('fills placeholders with text, in Indonesian by default', () => {
    expect(translate('id', 'left', 3)).toBe('Sisa 3')
    expect(translate('en', 'left', 3)).toBe('3 left')
    expect(translate('en', 'soldOut')).toBe('Sold out')
    expect(translate('id', 'added', 'Madu')).toBe('Madu masuk keranjang.')
    // A value that looks like a placeholder or markup stays as it is.
    expect(translate('en', 'failed', '<b>{1}</b>')).toBe('Failed: <b>{1}</b>')
    expect(translate('en', 'left')).toBe(' left')
  })

  it('reads data-locale: en (any en-*) or Indonesian', () => {
    expect(localeOf('en')).toBe('en')
    expect(localeOf(' EN-gb ')).toBe('en')
    expect(localeOf('id')).toBe('id')
    expect(localeOf(undefined)).toBe('id')
    expect(localeOf('fr')).toBe('id')
  })
})
