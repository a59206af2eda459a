import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { type BodyOf, Mitra } from './index.js'
import { createStoreClient } from './store.js'
import { apiError, picture, sampleKit, useSdkAgainstServer } from './test-support.js'

const product = (
  title: string,
  sku: string,
  extra: Partial<BodyOf<'/v1/admin/products', 'post'>> = {},
): BodyOf<'/v1/admin/products', 'post'> => ({
  title: { id: title, en: `${title} (en)` },
  category: 'honey',
  materials: [],
  tags: [],
  media: [],
  variants: [{ sku, weight_grams: 250, price: { amount: 85_000, currency: 'IDR' } }],
  ...extra,
})

const checkout = {
  fulfilment: 'pickup',
  customer: { name: 'Sari', email: 'sari@example.id' },
  provider: 'demo',
} as const

describe('the store API through the SDK', () => {
  const api = useSdkAgainstServer()
  const fetch = async (request: Request) => api.app().request(request)

  /** Presses Pay on the demo provider's page, as the buyer would. */
  async function pay(redirectUrl: string | null) {
    if (redirectUrl === null) throw new Error('the order has no payment page')
    const paid = await api.call('POST', `${new URL(redirectUrl).pathname}/pay`)
    expect(paid.status).toBe(303)
  }

  /** A producer and a venue with an agreement in force, and `units` delivered to the venue. */
  async function shop(units = 5) {
    await api.platform()
    const partnership = await api.partnership()
    await api.deliver(partnership.producer, partnership.venue, partnership.variantId, units)
    return partnership
  }

  it('products: pages every active product with for await, filters, reads one and its card', async () => {
    const maker = await api.party('producer')
    const mitra = api.clientFor(maker)
    const photo = await mitra.admin.media.upload(
      await picture(900, 600, '#2b5a8a', 'jpeg'),
      'madu.jpg',
    )
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const created = await mitra.admin.products.create(
        product(`Madu hutan ${i}`, `MADU-${i}`, {
          origin: { village: 'Gemawang' },
          media:
            i === 0
              ? [{ media_id: photo.id, alt: { id: 'Toples madu', en: 'A jar of honey' } }]
              : [],
        }),
      )
      await mitra.admin.products.setStatus(created.id, { status: 'active' })
      ids.push(created.id)
    }
    const draft = await mitra.admin.products.create(product('Madu draf', 'MADU-DRAFT'))

    // The producer's own key is its own shop: five active products, newest first.
    const first = await mitra.store.products.list({ limit: 2 })
    expect(first.object).toBe('list')
    expect(first.data.map((p) => p.id)).toEqual([ids[4], ids[3]])
    expect(first.next_cursor).toEqual(expect.any(String))
    const seen: string[] = []
    for await (const item of mitra.store.products.list({ limit: 2 })) seen.push(item.id)
    expect(seen).toEqual([...ids].reverse())
    expect(seen).not.toContain(draft.id)
    expect(await mitra.store.products.list({ limit: 2 }).toArray({ max: 3 })).toHaveLength(3)
    const searched = await mitra.store.products.list({ q: 'hutan 3' })
    expect(searched.data.map((p) => p.id)).toEqual([ids[3]])

    const venue = await api.party('venue')
    const atVenue = api.clientFor(venue).store
    const byProducer = await atVenue.products.list({ producer: maker.id, category: 'honey' })
    expect(byProducer.data).toHaveLength(5)
    const one = await atVenue.products.get(ids[0] as string, { locale: 'en' })
    expect(one).toMatchObject({
      id: ids[0],
      producer: { id: maker.id },
      title: { id: 'Madu hutan 0', en: 'Madu hutan 0 (en)' },
      attribution: { maker: 'by Test producer · Gemawang', sold_at: 'sold at Test venue' },
      variants: [{ sku: 'MADU-0', price: { amount: 85_000, currency: 'IDR' } }],
    })
    expect(one.images).toHaveLength(1)
    expect(one.images[0]).toMatchObject({
      media_id: photo.id,
      width: 900,
      height: 600,
      alt: { en: 'A jar of honey' },
    })

    const card = await atVenue.products.card(ids[0] as string)
    expect(card).toBeInstanceOf(Blob)
    const meta = await sharp(new Uint8Array(await card.arrayBuffer())).metadata()
    expect(meta).toMatchObject({ format: 'jpeg', width: 1200, height: 630 })

    // Unhappy: another producer's channel does not see it, a product with no photo has no
    // card, a draft is no store product, and a bad query names its field.
    const other = api.clientFor(await api.party('producer')).store
    const hidden = await apiError(other.products.get(ids[0] as string))
    expect(hidden).toMatchObject({ status: 404, code: 'not_found' })
    expect(await apiError(atVenue.products.card(ids[1] as string))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    expect((await apiError(atVenue.products.get(draft.id))).status).toBe(404)
    const tooMany = await apiError(atVenue.products.list({ limit: 1000 }))
    expect(tooMany).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(tooMany.errors.map((e) => e.path)).toEqual(['limit'])
    const badCursor = await apiError(atVenue.products.list({ cursor: 'zzz' }))
    expect(badCursor.errors[0]?.path).toBe('cursor')
    const badId = await apiError(atVenue.products.get('not-a-product'))
    expect(badId.status).toBe(422)
    expect(badId.errors[0]?.path).toBe('id')
  })

  it('brands: a maker’s kit with its theme and logo, and 404 for an unknown slug', async () => {
    const maker = await api.party('producer')
    const mitra = api.clientFor(maker)
    const logo = await mitra.admin.media.upload(
      await picture(256, 256, '#1f3a5f', 'png'),
      'logo.png',
    )
    const slug = `madu-${maker.id.slice(-8).toLowerCase()}`
    await mitra.admin.brandKit.set(
      sampleKit({
        name: 'Madu Gemawang',
        slug,
        tagline: { id: 'Madu hutan dari lereng Ungaran', en: 'Forest honey' },
        logo_media_id: logo.id,
      }),
    )
    const store = api.clientFor(await api.party('venue')).store
    const brand = await store.brands.get(slug)
    expect(brand).toMatchObject({ object: 'brand_kit', name: 'Madu Gemawang', slug, version: 1 })
    expect(brand.party_id).toBe(maker.id)
    expect(brand.theme_css).toContain('--mitra-color-primary: #1f3a5f')
    expect(brand.logo).toMatchObject({ id: logo.id, object: 'media_asset', width: 256 })
    const unknown = await apiError(store.brands.get('no-such-brand'))
    expect(unknown).toMatchObject({ status: 404, code: 'not_found' })
  })

  it('venues.available: pages what is on a venue’s shelf, quantity free to sell', async () => {
    const { producer, venue, variantId } = await shop(3)
    const admin = api.clientFor(producer).admin
    const [listed] = (await admin.products.list()).data
    if (listed === undefined) throw new Error('the partnership made no product')
    const more = [
      await admin.products.addVariant(listed.id, {
        sku: 'KT-200',
        options: { size: '200 g' },
        weight_grams: 200,
        price: { amount: 25_000, currency: 'IDR' },
      }),
      await admin.products.addVariant(listed.id, {
        sku: 'KT-500',
        options: { size: '500 g' },
        weight_grams: 500,
        price: { amount: 55_000, currency: 'IDR' },
      }),
    ]
    await api.deliver(producer, venue, more[0]?.id as string, 4)
    await api.deliver(producer, venue, more[1]?.id as string, 7)

    // Any channel may ask what a venue has (a widget on the venue's page, say).
    const store = api.clientFor(await api.party('producer')).store
    const first = await store.venues.available(venue.id, { limit: 2 })
    expect(first.data).toHaveLength(2)
    expect(first.next_cursor).not.toBeNull()
    const shelf = await store.venues.available(venue.id, { limit: 2 }).toArray()
    const byVariant = new Map(shelf.map((row) => [row.variant_id, row]))
    expect(shelf).toHaveLength(3)
    expect(byVariant.get(variantId)).toMatchObject({
      product_id: listed.id,
      producer_id: producer.id,
      sku: 'KT-100',
      available: 3,
      price: { amount: 15_000, currency: 'IDR' },
    })
    expect(byVariant.get(more[0]?.id as string)).toMatchObject({
      sku: 'KT-200',
      options: { size: '200 g' },
      available: 4,
    })
    expect(byVariant.get(more[1]?.id as string)?.available).toBe(7)

    const elsewhere = await store.venues.available((await api.party('venue')).id)
    expect(elsewhere).toEqual({ object: 'list', data: [], next_cursor: null })
    const bad = await apiError(store.venues.available('not-a-venue'))
    expect(bad).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(bad.errors[0]?.path).toBe('venue_id')
  })

  it('carts and orders: a cart through createStoreClient to a paid order, and a canceled one', async () => {
    const { venue, variantId } = await shop(5)
    const store = createStoreClient({
      baseUrl: 'http://mitra.test',
      key: venue.publishable,
      fetch,
      maxRetries: 0,
    })
    const cart = await store.carts.create()
    expect(cart).toMatchObject({ status: 'open', channel_id: venue.id, order_id: null, lines: [] })

    const line = { variant_id: variantId, venue_id: venue.id }
    const two = await store.carts.setLine(cart.id, { ...line, quantity: 2 })
    expect(two.lines).toMatchObject([
      { ...line, quantity: 2, available: 5, line_total: { amount: 30_000, currency: 'IDR' } },
    ])
    // Setting a line sets its quantity: it does not add to it.
    const three = await store.carts.setLine(cart.id, { ...line, quantity: 3 })
    expect(three.lines.map((l) => l.quantity)).toEqual([3])
    expect(three.venues).toMatchObject([
      { venue_id: venue.id, pickup: true, subtotal: { amount: 45_000 } },
    ])
    const removed = await store.carts.removeLine(cart.id, line)
    expect(removed.lines).toEqual([])
    expect((await store.carts.get(cart.id)).lines).toEqual([])
    // Nothing to order in an empty cart.
    const empty = await apiError(store.carts.checkout(cart.id, checkout))
    expect(empty).toMatchObject({ status: 422, code: 'cart_empty' })

    await store.carts.setLine(cart.id, { ...line, quantity: 3 })
    const order = await store.carts.checkout(cart.id, checkout)
    expect(order).toMatchObject({
      status: 'pending_payment',
      channel_id: venue.id,
      venue_id: venue.id,
      fulfilment: 'pickup',
      provider: 'demo',
      total: { amount: 45_000, currency: 'IDR' },
      lines: [{ position: 0, variant_id: variantId, quantity: 3, name: 'Keripik tempe (KT-100)' }],
    })
    expect(order.redirect_url).toMatch(/\/demo-pay\//)
    expect(await store.carts.get(cart.id)).toMatchObject({
      status: 'checked_out',
      order_id: order.id,
    })
    const held = await store.venues.available(venue.id)
    expect(held.data[0]?.available).toBe(2)

    await pay(order.redirect_url)
    const paid = await store.orders.get(order.id, order.access_token)
    expect(paid).toMatchObject({ status: 'paid', paid_amount: { amount: 45_000 } })
    expect(paid.transitions.map((t) => t.to)).toEqual(['pending_payment', 'paid'])
    // Wrong state: a paid order is refunded, not canceled.
    const late = await apiError(store.orders.cancel(order.id, order.access_token))
    expect(late).toMatchObject({ status: 409, code: 'illegal_status_transition' })
    expect((await store.orders.get(order.id, order.access_token)).status).toBe('paid')

    // An unpaid order canceled by the buyer gives its stock back.
    const second = await store.carts.create()
    await store.carts.setLine(second.id, { ...line, quantity: 2 })
    const unpaid = await store.carts.checkout(second.id, checkout)
    // Every unit is held by the two orders: the shelf shows nothing free to sell.
    expect((await store.venues.available(venue.id)).data).toEqual([])
    // Another order's token opens nothing.
    expect((await apiError(store.orders.cancel(unpaid.id, order.access_token))).status).toBe(404)
    const canceled = await store.orders.cancel(unpaid.id, unpaid.access_token)
    expect(canceled).toMatchObject({ id: unpaid.id, status: 'canceled' })
    expect(canceled.closed_reason).toEqual(expect.any(String))
    expect((await store.orders.get(unpaid.id, unpaid.access_token)).status).toBe('canceled')
    expect((await store.venues.available(venue.id)).data[0]?.available).toBe(2)
  })

  it('carts and orders: keep other channels out, name bad fields, refuse what cannot be', async () => {
    const { venue, variantId } = await shop(2)
    const store = api.clientFor(venue).store
    const other = api.clientFor(await api.party('venue')).store
    const cart = await store.carts.create()
    const line = { variant_id: variantId, venue_id: venue.id }

    // Another channel's cart and order are 404 to every call.
    expect(await apiError(other.carts.get(cart.id))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    expect((await apiError(other.carts.setLine(cart.id, { ...line, quantity: 1 }))).status).toBe(
      404,
    )
    expect((await apiError(other.carts.removeLine(cart.id, line))).status).toBe(404)
    expect((await apiError(other.carts.checkout(cart.id, checkout))).status).toBe(404)

    const zero = await apiError(store.carts.setLine(cart.id, { ...line, quantity: 0 }))
    expect(zero).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(zero.errors.map((e) => e.path)).toEqual(['quantity'])
    const badVariant = await apiError(
      store.carts.setLine(cart.id, { ...line, variant_id: 'var_nope', quantity: 1 }),
    )
    expect(badVariant.errors.map((e) => e.path)).toEqual(['variant_id'])

    // More than the shelf holds is refused, and the cart keeps what it had.
    await store.carts.setLine(cart.id, { ...line, quantity: 1 })
    const short = await apiError(store.carts.setLine(cart.id, { ...line, quantity: 3 }))
    expect(short).toMatchObject({ status: 409, code: 'insufficient_stock' })
    expect((await store.carts.get(cart.id)).lines.map((l) => l.quantity)).toEqual([1])

    const noAddress = await apiError(
      store.carts.checkout(cart.id, { ...checkout, fulfilment: 'delivery' }),
    )
    expect(noAddress).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(noAddress.errors.map((e) => e.path)).toEqual(['delivery_address'])
    const badEmail = await apiError(
      store.carts.checkout(cart.id, { ...checkout, customer: { name: 'Sari', email: 'nope' } }),
    )
    expect(badEmail.errors[0]?.path).toBe('customer.email')

    const order = await store.carts.checkout(cart.id, checkout)
    expect(order.access_token).toMatch(/^otok_/)
    expect(await apiError(other.orders.get(order.id, order.access_token))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    expect((await apiError(other.orders.cancel(order.id, order.access_token))).status).toBe(404)
    // The order's id and the channel's key alone show nothing: the buyer's token is needed.
    expect(await apiError(store.orders.get(order.id, 'otok_guessed'))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    expect((await apiError(store.orders.cancel(order.id, ''))).status).toBe(404)
    expect((await store.orders.get(order.id, order.access_token)).status).toBe('pending_payment')
    // Its lines went into the order: the checked-out cart takes no second checkout.
    const again = await apiError(store.carts.checkout(cart.id, checkout))
    expect(again).toMatchObject({ status: 409, code: 'cart_checked_out' })
    expect(again.errors[0]?.path).toBe('cart_id')
    await store.orders.cancel(order.id, order.access_token)
    const twice = await apiError(store.orders.cancel(order.id, order.access_token))
    expect(twice).toMatchObject({ status: 409, code: 'illegal_status_transition' })
  })

  it('keys: the store takes a publishable key, the admin API refuses to start without a secret', async () => {
    const venue = await api.party('venue')
    const mitra = new Mitra({
      baseUrl: 'http://mitra.test',
      publishableKey: venue.publishable,
      fetch,
    })
    const cart = await mitra.store.carts.create()
    expect(cart.channel_id).toBe(venue.id)
    expect(() => mitra.admin).toThrow(/secret key/)
    // A secret key works for the store on a server, through createStoreClient too.
    const onServer = createStoreClient({ baseUrl: 'http://mitra.test', key: venue.secret, fetch })
    expect((await onServer.carts.get(cart.id)).id).toBe(cart.id)
    // A revoked or made-up key is a 401 the SDK reports as such.
    const forged = createStoreClient({
      baseUrl: 'http://mitra.test',
      key: `pk_${'x'.repeat(43)}`,
      fetch,
      maxRetries: 0,
    })
    expect(await apiError(forged.products.list())).toMatchObject({
      status: 401,
      code: 'unauthorized',
    })
  })
})
