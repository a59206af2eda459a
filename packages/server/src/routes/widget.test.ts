import { createHash } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { useTestApi } from '../test-support.js'

const code = 'customElements.define("mitra-test", class extends HTMLElement {})\n'
const sha384 = createHash('sha384').update(code).digest()

describe('the widget’s script', () => {
  let loads = 0
  const api = useTestApi('pglite', {
    baseUrl: 'https://mitra.example',
    widget: async () => {
      loads++
      return { code }
    },
  })

  it('is served at /widget/v1.js and pinned at /widget/v1.<hash>.js, for any origin', async () => {
    const manifest = await api.call('GET', '/widget/v1.json')
    expect(manifest.status).toBe(200)
    const file = `v1.${sha384.toString('hex').slice(0, 16)}.js`
    expect(manifest.json).toEqual({
      version: 'v1',
      url: `https://mitra.example/widget/${file}`,
      path: `/widget/${file}`,
      integrity: `sha384-${sha384.toString('base64')}`,
      bytes: Buffer.byteLength(code),
      gzip_bytes: expect.any(Number),
    })
    expect(manifest.headers.get('Access-Control-Allow-Origin')).toBe('*')

    const latest = await api.call('GET', '/widget/v1.js', {
      headers: { Origin: 'https://galeri.example' },
    })
    expect(latest.status).toBe(200)
    expect(latest.text).toBe(code)
    expect(latest.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    expect(latest.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(latest.headers.get('Cache-Control')).toBe('public, max-age=300')

    const pinned = await api.call('GET', `/widget/${file}`)
    expect(pinned.text).toBe(code)
    expect(pinned.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    expect(pinned.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    expect(pinned.headers.get('Access-Control-Allow-Origin')).toBe('*')
    // The integrity a page pins is the hash of exactly these bytes.
    expect(`sha384-${createHash('sha384').update(pinned.text).digest('base64')}`).toBe(
      manifest.json.integrity,
    )

    const etag = pinned.headers.get('ETag') as string
    const again = await api.call('GET', `/widget/${file}`, { headers: { 'If-None-Match': etag } })
    expect(again.status).toBe(304)
    expect(loads).toBe(1)
  })

  it('gzips for browsers that accept it; an unknown or stale file is a 404 naming the current', async () => {
    const response = await api.app().request('/widget/v1.js', {
      headers: { 'Accept-Encoding': 'gzip, br' },
    })
    expect(response.headers.get('Content-Encoding')).toBe('gzip')
    expect(response.headers.get('Vary')).toContain('Accept-Encoding')
    expect(gunzipSync(new Uint8Array(await response.arrayBuffer())).toString()).toBe(code)

    const stale = await api.call('GET', '/widget/v1.0000000000000000.js')
    expect(stale.status).toBe(404)
    expect(stale.json.detail).toMatch(/the current one is \/widget\/v1\.[0-9a-f]{16}\.js/)
  })
})

describe('a server without the widget', () => {
  const api = useTestApi('pglite')
  it('answers 404', async () => {
    const missing = await api.call('GET', '/widget/v1.js')
    expect(missing.status).toBe(404)
    expect(missing.json.code).toBe('not_found')
  })
})
