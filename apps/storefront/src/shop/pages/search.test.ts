import { describe, expect, it } from 'vitest'
import { storeProduct, testView } from '../testing.js'
import { errorPage } from './error.js'
import { searchPage } from './search.js'

describe('the search and error pages', () => {
  it('shows the results, the words searched and the next page', () => {
    const html = searchPage(testView('id', '/search'), {
      q: 'batik "tulis"',
      products: [storeProduct()],
      next: 'abc',
    })
    expect(html).toContain('<h1>Hasil pencarian “batik &quot;tulis&quot;”</h1>')
    expect(html).toContain('value="batik &quot;tulis&quot;"')
    expect(html).toContain('href="/search?q=batik+%22tulis%22&amp;cursor=abc" rel="next"')
    expect(html).toContain('<meta name="robots" content="noindex"/>')
  })

  it('says when nothing matched', () => {
    const html = searchPage(testView('en', '/search'), { q: 'kopi', products: [], next: null })
    expect(html).toContain('No product matches “kopi”.')
  })

  it('answers a missing page in the buyer’s language', () => {
    expect(errorPage(testView('en'), 'not_found')).toContain('<h1>Page not found</h1>')
    expect(errorPage(testView('id'), 'failed')).toContain('<h1>Ada yang salah</h1>')
  })
})
