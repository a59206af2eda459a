import { isMitraApiError, type Mitra, MitraConnectionError, formatMoney as money } from '@mitra/sdk'
import { Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export interface GalleryBackendOptions {
  /** The gallery: the venue whose shelf this backend sells. */
  venueId: string
  /** The payment provider the checkout opens (default `demo`: no real money). */
  provider?: 'demo' | 'midtrans' | 'stripe'
  /** Where the provider sends the buyer back after paying, or after giving up. */
  successUrl?: string
  cancelUrl?: string
  /** How long product names are kept before the catalogue is read again (default 60 s). */
  catalogueTtlMs?: number
}

/** One item on the shelf, as the gallery's own front end gets it. */
export interface ShelfItem {
  variant_id: string
  product_id: string
  sku: string
  name: string
  producer: string
  price: { amount: number; currency: string } | null
  /** `Rp450.000` */
  price_text: string | null
  available: number
}

export interface CheckoutRequest {
  items: { variant_id: string; quantity: number }[]
  customer: { name: string; email?: string; phone?: string }
}

interface Named {
  name: string
  producer: string
}

/**
 * A gallery's own backend, in front of mitra: `GET /shelf` lists what is on the gallery's shelf
 * now (with product names), `POST /checkout` puts the buyer's items in a cart and checks it out
 * for pickup at the gallery, answering the payment page to send the buyer to, and
 * `GET /orders/:id` tells the front end whether it was paid. The mitra key stays here.
 */
export function createGalleryBackend(mitra: Mitra, options: GalleryBackendOptions): Hono {
  const { venueId } = options
  const ttl = options.catalogueTtlMs ?? 60_000
  let names: { at: number; byVariant: Promise<Map<string, Named>> } | undefined

  // Product names change rarely: read the catalogue at most once a minute. What is available
  // is read live on every request (the API never caches it either).
  function catalogue(): Promise<Map<string, Named>> {
    if (names === undefined || Date.now() - names.at > ttl) {
      const byVariant = readCatalogue(mitra)
      names = { at: Date.now(), byVariant }
      byVariant.catch(() => {
        names = undefined
      })
    }
    return names.byVariant
  }

  async function shelf(): Promise<ShelfItem[]> {
    const [available, named] = await Promise.all([
      mitra.store.venues.available(venueId).toArray(),
      catalogue(),
    ])
    return available
      .filter((item) => item.available > 0)
      .map((item) => ({
        variant_id: item.variant_id,
        product_id: item.product_id,
        sku: item.sku,
        name: named.get(item.variant_id)?.name ?? item.sku,
        producer: named.get(item.variant_id)?.producer ?? item.producer_id,
        price: item.price,
        price_text: item.price === null ? null : money(item.price),
        available: item.available,
      }))
  }

  const app = new Hono()

  app.get('/', (c) =>
    c.json({
      venue_id: venueId,
      endpoints: ['GET /shelf', 'POST /checkout', 'GET /orders/:id'],
    }),
  )

  app.get('/shelf', async (c) => c.json({ venue_id: venueId, items: await shelf() }))

  app.post('/checkout', async (c) => {
    const body = parseCheckout(await c.req.json().catch(() => undefined))
    if (typeof body === 'string') return c.json({ code: 'invalid_request', detail: body }, 400)
    // The buyer's browser may retry: its Idempotency-Key makes every call here happen once.
    const key = c.req.header('Idempotency-Key')
    const once = (step: string) => (key === undefined ? {} : { idempotencyKey: `${key}:${step}` })

    // Each line is checked as it is set: mitra refuses more than the shelf has (409).
    const cart = await mitra.store.carts.create(once('cart'))
    for (const item of body.items) {
      await mitra.store.carts.setLine(
        cart.id,
        { venue_id: venueId, variant_id: item.variant_id, quantity: item.quantity },
        once(`line:${item.variant_id}`),
      )
    }
    const order = await mitra.store.carts.checkout(
      cart.id,
      {
        venue_id: venueId,
        fulfilment: 'pickup',
        customer: body.customer,
        provider: options.provider ?? 'demo',
        ...(options.successUrl === undefined ? {} : { success_url: options.successUrl }),
        ...(options.cancelUrl === undefined ? {} : { cancel_url: options.cancelUrl }),
      },
      once('checkout'),
    )
    return c.json(
      {
        order_id: order.id,
        status: order.status,
        total: order.total,
        total_text: money(order.total),
        expires_at: order.expires_at,
        payment_url: order.redirect_url,
      },
      201,
    )
  })

  app.get('/orders/:id', async (c) => {
    // The gallery's own order, read with its secret key (the store API would want the
    // buyer's order token); only the status and total leave this server.
    const order = await mitra.admin.orders.get(c.req.param('id'))
    return c.json({
      order_id: order.id,
      status: order.status,
      total: order.total,
      total_text: money(order.total),
      paid_at: order.paid_at,
    })
  })

  // mitra's refusals reach the front end with their status, code and the fields at fault.
  app.onError((error, c) => {
    if (isMitraApiError(error)) {
      return c.json(
        {
          code: error.code,
          detail: error.detail,
          errors: error.errors,
          ...('available' in error.problem ? { available: error.problem.available } : {}),
        },
        error.status as ContentfulStatusCode,
      )
    }
    if (error instanceof MitraConnectionError) {
      return c.json({ code: 'mitra_unreachable', detail: error.message }, 502)
    }
    console.error(error)
    return c.json({ code: 'internal_error', detail: 'Something went wrong' }, 500)
  })
  return app
}

/** Every variant in the store catalogue by id: `Madu klanceng (250 ml)` and its maker. */
async function readCatalogue(mitra: Mitra): Promise<Map<string, Named>> {
  const byVariant = new Map<string, Named>()
  for await (const product of mitra.store.products.list({ limit: 100 })) {
    for (const variant of product.variants) {
      const options = Object.values(variant.options)
      byVariant.set(variant.id, {
        name: options.length > 0 ? `${product.title.id} (${options.join(', ')})` : product.title.id,
        producer: product.brand.name,
      })
    }
  }
  return byVariant
}

/** The request body, or what is wrong with it. */
function parseCheckout(body: unknown): CheckoutRequest | string {
  if (typeof body !== 'object' || body === null) return 'Send JSON: { items, customer }'
  const { items, customer } = body as Record<string, unknown>
  if (!Array.isArray(items) || items.length === 0) return 'items: at least one'
  for (const item of items) {
    if (
      typeof item?.variant_id !== 'string' ||
      !Number.isInteger(item?.quantity) ||
      item.quantity < 1
    ) {
      return 'items: each { variant_id, quantity ≥ 1 }'
    }
  }
  if (typeof customer !== 'object' || customer === null) return 'customer: { name, email?, phone? }'
  const { name, email, phone } = customer as Record<string, unknown>
  if (typeof name !== 'string' || name.trim() === '') return 'customer.name: required'
  return {
    items: items.map((item) => ({ variant_id: item.variant_id, quantity: item.quantity })),
    customer: {
      name,
      ...(typeof email === 'string' ? { email } : {}),
      ...(typeof phone === 'string' ? { phone } : {}),
    },
  }
}
