import { makePhoto, sampleKit } from '@mitra/branding/testing'
import { newId } from '@mitra/core'
import { testDatabaseKinds } from '@mitra/db/testing'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { useTestApi } from '../test-support.js'

function upload(bytes: Uint8Array, name = 'photo.jpg'): FormData {
  const form = new FormData()
  form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name))
  return form
}

const kit = (slug: string, overrides: Record<string, unknown> = {}) =>
  sampleKit({ slug, ...overrides })

describe.each(testDatabaseKinds())('branding routes on %s', (kind) => {
  const api = useTestApi(kind)
  const slug = () => `brand-${newId('brand').slice(-8)}`

  it('uploads an image into cleaned variants served from content addresses', async () => {
    const maker = await api.party('producer', { role: 'staff' })
    const gps = { IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '7/1 12/1 0/1' } }
    const photo = await makePhoto(1200, 800, { exif: gps })
    const res = await api.call('POST', '/v1/admin/media', {
      token: maker.secret,
      body: upload(photo),
    })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({ object: 'media_asset', width: 1200, height: 800 })
    expect(res.json.sources.img.src).toMatch(/^\/media\//)
    const variant = res.json.variants.find((v: { format: string }) => v.format === 'webp')
    const served = await api.app().request(`/media/${variant.key}`)
    expect(served.status).toBe(200)
    expect(served.headers.get('Content-Type')).toBe('image/webp')
    expect(served.headers.get('Cache-Control')).toContain('immutable')
    const meta = await sharp(new Uint8Array(await served.arrayBuffer())).metadata()
    expect(meta.width).toBe(variant.width)
    expect(meta.exif).toBeUndefined()

    const again = await api.call('POST', '/v1/admin/media', {
      token: maker.secret,
      body: upload(photo),
    })
    expect(again.json.id).toBe(res.json.id)
    expect(
      (await api.call('GET', `/v1/admin/media/${res.json.id}`, { token: maker.secret })).status,
    ).toBe(200)
  })

  it('refuses disguised files, missing files and other parties’ media', async () => {
    const maker = await api.party()
    const other = await api.party()
    const text = new TextEncoder().encode('<html>not a photo</html>')
    const disguised = await api.call('POST', '/v1/admin/media', {
      token: maker.secret,
      body: upload(text, 'batik.jpg'),
    })
    expect(disguised.status).toBe(415)
    expect(disguised.json.code).toBe('unsupported_media_type')
    const empty = await api.call('POST', '/v1/admin/media', {
      token: maker.secret,
      body: new FormData(),
    })
    expect(empty.status).toBe(422)
    expect(empty.json.errors[0].path).toBe('file')
    const mine = await api.call('POST', '/v1/admin/media', {
      token: maker.secret,
      body: upload(await makePhoto(400, 300)),
    })
    expect(
      (await api.call('GET', `/v1/admin/media/${mine.json.id}`, { token: other.secret })).status,
    ).toBe(404)
    expect((await api.app().request('/media/../../etc/passwd')).status).toBe(404)
    expect((await api.call('POST', '/v1/admin/media', { body: upload(text) })).status).toBe(401)
  })

  it('saves a brand kit for its owner, checks contrast, and versions it', async () => {
    const maker = await api.party('producer')
    const staff = await api.party('producer', { role: 'staff' })
    const s = slug()
    const saved = await api.call('PUT', '/v1/admin/brand_kit', {
      token: maker.secret,
      body: kit(s),
    })
    expect(saved.status).toBe(200)
    expect(saved.json).toMatchObject({ object: 'brand_kit', slug: s, version: 1 })
    const resaved = await api.call('PUT', '/v1/admin/brand_kit', {
      token: maker.secret,
      body: kit(s, { name: 'Gemawangi' }),
    })
    expect(resaved.json.version).toBe(2)
    expect((await api.call('GET', '/v1/admin/brand_kit', { token: maker.secret })).json.name).toBe(
      'Gemawangi',
    )
    expect(
      (await api.call('PUT', '/v1/admin/brand_kit', { token: staff.secret, body: kit(slug()) }))
        .status,
    ).toBe(403)

    const unreadable = await api.call('PUT', '/v1/admin/brand_kit', {
      token: maker.secret,
      body: kit(s, { palette: { ...(sampleKit().palette as object), text: '#DDDDDD' } }),
    })
    expect(unreadable.status).toBe(422)
    expect(unreadable.json.code).toBe('palette_contrast')
    expect(unreadable.json.errors[0].path).toBe('palette.text')
    expect(unreadable.json.errors[0].message).toMatch(/:1/)

    // saving again under its own slug is no conflict
    const taken = await api.call('PUT', '/v1/admin/brand_kit', {
      token: maker.secret,
      body: kit(s),
    })
    expect(taken.status).toBe(200)
    const other = await api.party('producer')
    const conflict = await api.call('PUT', '/v1/admin/brand_kit', {
      token: other.secret,
      body: kit(s),
    })
    expect(conflict.status).toBe(409)
    expect(conflict.json.errors[0].path).toBe('slug')
    const typo = await api.call('PUT', '/v1/admin/brand_kit', {
      token: other.secret,
      body: { ...kit(slug()), pallete: {} },
    })
    expect(typo.status).toBe(422)
  })

  it('presents products under the maker’s brand, village, cluster and venue', async () => {
    const cluster = await api.party('cluster')
    const maker = await api.party('producer')
    const venue = await api.party('venue')
    await api.clusterMember(cluster, maker)
    const makerSlug = slug()
    await api.call('PUT', '/v1/admin/brand_kit', {
      token: maker.secret,
      body: kit(makerSlug, { name: 'Batik Gemawangi' }),
    })
    await api.call('PUT', '/v1/admin/brand_kit', {
      token: cluster.secret,
      body: kit(slug(), { name: 'Desa Vokasi Gemawang' }),
    })
    const photo = (
      await api.call('POST', '/v1/admin/media', {
        token: maker.secret,
        body: upload(await makePhoto(900, 600)),
      })
    ).json
    const product = (
      await api.call('POST', '/v1/admin/products', {
        token: maker.secret,
        body: {
          title: { id: 'Batik tulis kopi' },
          category: 'batik',
          origin: { village: 'Gemawang' },
          media: [{ media_id: photo.id, alt: { id: 'Kain batik biru', en: 'Blue batik cloth' } }],
          variants: [
            {
              sku: 'K-1',
              options: {},
              weight_grams: 200,
              price: { amount: 150000, currency: 'IDR' },
            },
          ],
        },
      })
    ).json
    await api.call('POST', `/v1/admin/products/${product.id}/status`, {
      token: maker.secret,
      body: { status: 'active' },
    })

    const en = await api.call('GET', `/v1/store/products/${product.id}?locale=en`, {
      token: venue.publishable,
    })
    expect(en.json.attribution).toEqual({
      maker: 'by Batik Gemawangi · Gemawang · Desa Vokasi Gemawang',
      sold_at: 'sold at Test venue',
    })
    expect(en.json.brand).toMatchObject({ name: 'Batik Gemawangi', slug: makerSlug })
    const [image] = en.json.images
    expect(image).toMatchObject({
      media_id: photo.id,
      width: 900,
      height: 600,
      alt: { en: 'Blue batik cloth' },
    })
    expect(image.sources.map((s: { type: string }) => s.type)).toEqual(['image/avif', 'image/webp'])
    expect((await api.app().request(image.src)).headers.get('Content-Type')).toBe('image/jpeg')
    const id = await api.call('GET', '/v1/store/products', { token: venue.publishable })
    const listed = id.json.data.find((p: { id: string }) => p.id === product.id)
    expect(listed.attribution.maker).toBe('oleh Batik Gemawangi · Gemawang · Desa Vokasi Gemawang')
    expect(listed.attribution.sold_at).toBe('dijual di Test venue')
    const own = await api.call('GET', `/v1/store/products/${product.id}`, {
      token: maker.publishable,
    })
    expect(own.json.attribution.sold_at).toBeNull()

    const byBrand = await api.call('GET', `/v1/store/products?brand=${makerSlug}`, {
      token: venue.publishable,
    })
    expect(byBrand.json.data.map((p: { id: string }) => p.id)).toEqual([product.id])
    const unknownBrand = await api.call('GET', '/v1/store/products?brand=no-such-brand', {
      token: venue.publishable,
    })
    expect(unknownBrand.json.data).toEqual([])

    const brand = await api.call('GET', `/v1/store/brands/${makerSlug}`, {
      token: venue.publishable,
    })
    expect(brand.status).toBe(200)
    expect(brand.json.theme_css).toContain('--mitra-color-primary: #1f3a5f')
    expect(
      (await api.call('GET', '/v1/store/brands/nope', { token: venue.publishable })).status,
    ).toBe(404)
  })
})
