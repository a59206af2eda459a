import { encode } from 'uqr'
import { describe, expect, it } from 'vitest'
import { QrCode, qrModules, quietZone } from './qr.js'
import { productUrl, qrCodesIn, readQr } from './testing.js'

const render = (text: string, label = 'QR') => String(QrCode({ text, label }))

describe('QrCode', () => {
  it('prints a code a reader decodes back to the text', () => {
    for (const text of [
      productUrl,
      'https://shop.example/en/products/prod_01jdemo0000000000000000001?venue=ven_01jdemo01',
      'https://toko.example/produk/kain-tenun-ikat-motif-pucuk-rebung-biru-tua-dari-desa-wisata',
      'https://shop.example/brands/gemawangi-ñ', // UTF-8 bytes, not Latin-1
    ]) {
      const [code] = qrCodesIn(render(text))
      expect(readQr(code!.modules)).toBe(text)
    }
  })

  it('draws exactly the encoder’s dark modules, in place, inside a four-module quiet zone', () => {
    const html = render(productUrl)
    const [code] = qrCodesIn(html)
    const expected = encode(productUrl, { ecc: 'M', border: 0 }).data
    expect(code!.quiet).toBe(quietZone)
    expect(code!.modules).toEqual(expected)
    const dark = (m: boolean[][]) => m.flat().filter(Boolean).length
    expect(dark(code!.modules)).toBe(dark(expected))
    expect(dark(code!.modules)).toBeGreaterThan(300)
    // The light square under the code covers the quiet zone too.
    const side = expected.length + 2 * quietZone
    expect(html).toContain(
      `viewBox="-4 -4 ${side} ${side}" role="img" aria-label="QR" shape-rendering="crispEdges">` +
        `<rect x="-4" y="-4" width="${side}" height="${side}" fill="#fff"></rect>`,
    )
  })

  it('is read as a picture with a name, and escapes that name', () => {
    const html = render(productUrl, 'Kode QR "<b>"')
    expect(html).toContain('role="img" aria-label="Kode QR &quot;&lt;b&gt;&quot;"')
  })

  it('the reader is a real check: one wrong module and it refuses', () => {
    const modules = qrModules(productUrl)
    const flipped = modules.map((row) => [...row])
    // A data module near the bottom right, away from every function pattern.
    const last = flipped.length - 1
    flipped[last]![last] = !flipped[last]![last]
    expect(() => readQr(flipped)).toThrow(/error correction/)
    // Rows and columns swapped (the usual drawing bug) is a mirror image: refused too.
    const swapped = modules.map((row, y) => row.map((_, x) => modules[x]![y]!))
    expect(() => readQr(swapped)).toThrow()
    expect(readQr(modules)).toBe(productUrl)
  })
})
