import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { type ConsoleClient, useConsoleNetwork } from './console-support.js'

// The batik group's products and brand from a phone, in Indonesian and without JavaScript:
// a new product at a price typed as people type it, a picture from the camera, the brand's
// colour in the shop, a refused price on its field, and another party's pages out of reach.

const network = useConsoleNetwork()
let batik: ConsoleClient
let home: string

beforeAll(async () => {
  batik = await network.signIn('batik')
  home = network.home('batik')
})

/** The store API as a shop on the batik group's own site calls it. */
async function storeProducts() {
  const response = await fetch(`${network.url()}/v1/store/products?limit=100`, {
    headers: { Authorization: `Bearer ${network.keys().batik?.publishable_key}` },
  })
  expect(response.status).toBe(200)
  return (await response.json()) as {
    data: { id: string; title: string | { id: string }; brand: { color: string | null } }[]
  }
}

/** The admin API with the batik group's secret key: what the console saved, as it is. */
async function adminGet<T>(path: string): Promise<T> {
  const response = await fetch(`${network.url()}${path}`, {
    headers: { Authorization: `Bearer ${network.keys().batik?.secret_key}` },
  })
  expect(response.status).toBe(200)
  return (await response.json()) as T
}

interface AdminProduct {
  id: string
  status: string
  title: { id: string }
  media: { media_id: string; alt: { id: string | null } }[]
}

const adminProducts = () =>
  adminGet<{ data: AdminProduct[] }>('/v1/admin/products?limit=100').then((list) => list.data)

/** A small JPEG as a phone camera makes one (smaller). */
const photo = () =>
  sharp({ create: { width: 640, height: 480, channels: 3, background: '#6b4f2a' } })
    .jpeg({ quality: 80 })
    .toBuffer()

describe('a producer group runs its catalogue from the console', () => {
  let productId = ''

  it('adds a product at a price typed "350.000", on sale in the shop', async () => {
    const list = await batik.get(`${home}/products`)
    expect(list.status).toBe(200)
    expect(list.html).toContain('Tambah produk')
    expect(list.html).toContain(`href="${home}/brand"`)
    expect(list.html).toContain('Rp450.000')

    const form = await batik.get(`${home}/products/new`)
    expect(form.status).toBe(200)
    expect(form.html).toContain('<label for="price">Harga jual (Rupiah)</label>')
    const created = await batik.post(`${home}/products`, {
      title_id: 'Batik tulis motif cengkeh, soga',
      title_en: 'Hand-drawn batik, clove motif, soga brown',
      category: 'batik',
      description_id: 'Katun primisima, pewarna soga alami.',
      description_en: '',
      sku: 'BG-CENGKEH-SOGA',
      price: '350.000',
      weight: '300',
    })
    expect(created.status).toBe(303)
    const path = created.location ?? ''
    expect(path).toMatch(new RegExp(`^${home}/products/prod_[0-9a-z]+\\?done=created$`))
    productId = /\/products\/(prod_[0-9a-z]+)/.exec(path)?.[1] ?? ''

    const shown = await batik.get(path)
    expect(shown.status).toBe(200)
    expect(shown.html).toContain('Produk tersimpan dan sudah dijual di toko.')
    expect(shown.html).toContain('Rp350.000')
    expect(shown.html).toContain('Dijual di toko')
    expect(shown.html).toContain('value="350.000"')

    const again = await batik.get(`${home}/products`)
    expect(again.html).toContain(`href="${home}/products/${productId}"`)
    expect(again.html).toContain('Batik tulis motif cengkeh, soga')
    expect(again.html).toContain('Rp350.000')

    const store = await storeProducts()
    const inShop = store.data.find((product) => product.id === productId)
    expect(inShop).toBeDefined()
  })

  it('takes a picture with the camera and puts it on the product', async () => {
    const page = await batik.get(`${home}/products/${productId}`)
    expect(page.html).toContain('enctype="multipart/form-data"')
    expect(page.html).toContain('capture="environment"')
    expect(page.html).toContain('accept="image/*"')

    const form = new FormData()
    form.set(
      'photo',
      new Blob([new Uint8Array(await photo())], { type: 'image/jpeg' }),
      'kamera.jpg',
    )
    form.set('alt_id', 'Kain batik coklat soga dibentangkan')
    form.set('alt_en', '')
    const uploaded = await batik.postMultipart(`${home}/products/${productId}/photo`, form)
    expect(uploaded.status).toBe(303)
    expect(uploaded.location).toBe(`${home}/products/${productId}?done=photo`)

    const product = await adminGet<AdminProduct>(`/v1/admin/products/${productId}`)
    expect(product.media).toHaveLength(1)
    expect(product.media[0]?.alt.id).toBe('Kain batik coklat soga dibentangkan')

    const shown = await batik.get(uploaded.location as string)
    expect(shown.html).toContain('Foto terpasang pada produk.')
    expect(shown.html).toContain('alt="Kain batik coklat soga dibentangkan"')
    expect(shown.html).toMatch(/<img src="\/media\/[0-9a-f]+\.jpg"/)
    const list = await batik.get(`${home}/products`)
    expect(list.html).toContain('type="image/avif"')
  })

  it('says on the field when the file is not a picture, and changes nothing', async () => {
    await batik.get(`${home}/products/${productId}`)
    const form = new FormData()
    form.set('photo', new Blob(['bukan foto'], { type: 'text/plain' }), 'catatan.txt')
    const refused = await batik.postMultipart(`${home}/products/${productId}/photo`, form)
    expect(refused.status).toBe(422)
    expect(refused.html).toMatch(/id="photo"[^>]*aria-invalid="true"/)
    expect(refused.html).toContain('Berkas ini bukan foto.')
    const product = await adminGet<AdminProduct>(`/v1/admin/products/${productId}`)
    expect(product.media).toHaveLength(1)
  })

  it('changes the price and archives the product', async () => {
    const page = await batik.get(`${home}/products/${productId}`)
    const priceField = /name="(price_var_[0-9a-z]+)"/.exec(page.html)?.[1] as string
    expect(priceField).toBeDefined()
    const saved = await batik.post(`${home}/products/${productId}`, {
      title_id: 'Batik tulis motif cengkeh, soga',
      title_en: 'Hand-drawn batik, clove motif, soga brown',
      description_id: 'Katun primisima, pewarna soga alami.',
      description_en: '',
      [priceField]: 'Rp 375.000,-',
      status: 'archived',
    })
    expect(saved.status).toBe(303)
    const shown = await batik.get(saved.location as string)
    expect(shown.html).toContain('Perubahan tersimpan.')
    expect(shown.html).toContain('Rp375.000')
    expect(shown.html).toContain('Diarsipkan, tidak dijual')
    const store = await storeProducts()
    expect(store.data.some((product) => product.id === productId)).toBe(false)

    // And back on sale (archived → draft → active, as the API wants).
    const back = await batik.post(`${home}/products/${productId}`, {
      title_id: 'Batik tulis motif cengkeh, soga',
      title_en: 'Hand-drawn batik, clove motif, soga brown',
      description_id: 'Katun primisima, pewarna soga alami.',
      description_en: '',
      [priceField]: '375.000',
      status: 'active',
    })
    expect(back.status).toBe(303)
    const product = await adminGet<AdminProduct>(`/v1/admin/products/${productId}`)
    expect(product.status).toBe('active')
  })

  it('refuses a price of "abc" on its field, in Indonesian, creating nothing', async () => {
    const before = await adminProducts()
    await batik.get(`${home}/products/new`)
    const refused = await batik.post(`${home}/products`, {
      title_id: 'Syal batik harga salah',
      title_en: '',
      category: 'batik',
      description_id: '',
      description_en: '',
      sku: 'BG-SALAH-1',
      price: 'abc',
      weight: '150',
    })
    expect(refused.status).toBe(422)
    expect(refused.html).toMatch(/id="price"[^>]*aria-invalid="true"/)
    expect(refused.html).toContain('<p class="field-error" id="price-error">')
    expect(refused.html).toContain('Tulis harga dalam Rupiah, misalnya 350.000')
    // What was typed stays in the form.
    expect(refused.html).toContain('value="Syal batik harga salah"')
    const after = await adminProducts()
    expect(after).toHaveLength(before.length)
    expect(after.some((product) => product.title.id === 'Syal batik harga salah')).toBe(false)
  })

  it('puts an SKU already in use on the SKU field', async () => {
    await batik.get(`${home}/products/new`)
    const refused = await batik.post(`${home}/products`, {
      title_id: 'Batik kembar',
      category: 'batik',
      sku: 'BG-CENGKEH-SOGA',
      price: '100000',
      weight: '200',
    })
    expect(refused.status).toBe(422)
    expect(refused.html).toMatch(/id="sku"[^>]*aria-invalid="true"/)
    expect(refused.html).toContain('Kode ini sudah dipakai produk lain kelompok Anda')
  })

  it("changes the brand's colour, and the shop's brand page shows it", async () => {
    const page = await batik.get(`${home}/brand`)
    expect(page.status).toBe(200)
    expect(page.html).toContain('type="color"')
    expect(page.html).toContain('<code>#1f3a5f</code>')
    expect(page.html).toContain('Batik Gemawangi')

    const form = new FormData()
    for (const [name, value] of Object.entries({
      name: 'Batik Gemawangi',
      tagline_id: 'Batik tulis pewarna alami dari lereng Ungaran',
      tagline_en: 'Hand-drawn natural-dye batik from the slopes of Ungaran',
      story_id: 'Kelompok batik ibu-ibu Desa Gemawang.',
      story_en: 'A women’s batik group of Gemawang village.',
      village: 'Gemawang',
      district: 'Jambu',
      regency: 'Semarang',
      province: 'Jawa Tengah',
      primary: '#7a2e12',
      accent: '#e0a526',
    })) {
      form.set(name, value)
    }
    form.set('logo', new Blob([new Uint8Array(await photo())], { type: 'image/jpeg' }), 'logo.jpg')
    const saved = await batik.postMultipart(`${home}/brand`, form)
    expect(saved.status).toBe(303)
    expect(saved.location).toBe(`${home}/brand?done=brand`)

    const shown = await batik.get(saved.location as string)
    expect(shown.html).toContain('Merek tersimpan.')
    expect(shown.html).toContain('<code>#7a2e12</code>')
    expect(shown.html).toContain('alt="Logo sekarang"')

    const shop = await fetch(`${network.url()}/brands/batik-gemawangi`)
    expect(shop.status).toBe(200)
    const html = await shop.text()
    const theme = /href="(\/assets\/brand\/batik-gemawangi\.[0-9a-f]{12}\.css)"/.exec(html)?.[1]
    expect(theme).toBeDefined()
    const css = await (await fetch(`${network.url()}${theme}`)).text()
    expect(css).toContain('#7a2e12')
    const store = await storeProducts()
    const ours = store.data.find((product) => product.id === productId)
    expect(ours?.brand.color).toBe('#7a2e12')
  })

  it('keeps the brand as it was when a colour is not a colour', async () => {
    await batik.get(`${home}/brand`)
    const form = new FormData()
    form.set('name', 'Batik Gemawangi')
    form.set('tagline_id', 'Batik tulis')
    form.set('story_id', 'Cerita')
    form.set('village', 'Gemawang')
    form.set('district', 'Jambu')
    form.set('regency', 'Semarang')
    form.set('province', 'Jawa Tengah')
    form.set('primary', 'merah')
    form.set('accent', '#e0a526')
    const refused = await batik.postMultipart(`${home}/brand`, form)
    expect(refused.status).toBe(422)
    expect(refused.html).toMatch(/id="primary"[^>]*aria-invalid="true"/)
    const kit = await adminGet<{ palette: { primary: string } }>('/v1/admin/brand_kit')
    expect(kit.palette.primary).toBe('#7a2e12')
  })

  it('speaks English to a person who chooses it', async () => {
    const switched = await batik.get(
      `/console/lang/en?next=${encodeURIComponent(`${home}/products`)}`,
    )
    expect(switched.status).toBe(303)
    const list = await batik.get(`${home}/products`)
    expect(list.html).toContain('Add a product')
    expect(list.html).toContain('Hand-drawn batik, clove motif, soga brown')
    expect(list.html).toContain('IDR 375,000')
    await batik.get(`${home}/products/new`)
    const refused = await batik.post(`${home}/products`, { title_id: 'X', price: 'abc' })
    expect(refused.status).toBe(422)
    expect(refused.html).toContain('Write the price in rupiah, for example 350.000')
  })

  it("does not show the batik group's products to the café's person", async () => {
    const kafe = await network.signIn('kafe')
    const products = await kafe.get(`${home}/products`)
    expect(products.status).toBe(404)
    expect(products.html).not.toContain('Batik tulis motif cengkeh')
    const brand = await kafe.get(`${home}/brand`)
    expect(brand.status).toBe(404)
    const product = await kafe.get(`${network.home('kafe')}/products/${productId}`)
    expect(product.status).toBe(404)
  })
})
