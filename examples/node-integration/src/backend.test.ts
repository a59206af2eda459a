import type { Mitra } from '@mitra/sdk'
import { sampleTerms as terms, useSdkAgainstServer } from '@mitra/sdk/testing'
import { paymentProvidersFromEnv } from '@mitra/server'
import type { TestParty } from '@mitra/server/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { createGalleryBackend, type ShelfItem } from './backend.js'

// The gallery's backend (a Hono app) in front of the real mitra server, both in-process: mitra
// on PGlite with the demo payment provider.
const payments = paymentProvidersFromEnv(
  { MITRA_DEMO_WEBHOOK_SECRET: 'node-integration-test' },
  { baseUrl: 'http://mitra.test' },
)
const api = useSdkAgainstServer({ payments, baseUrl: 'http://mitra.test' })

let gallery: TestParty
let mitra: Mitra
let puzzle: string
let balok: string
let backend: ReturnType<typeof createGalleryBackend>

/** The gallery's front end calling its backend. */
async function call(method: string, path: string, body?: unknown, headers = {}) {
  const response = await backend.request(path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  // biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON freely
  return { status: response.status, json: (await response.json()) as any }
}

beforeAll(async () => {
  await api.platform() // online payments are collected by the platform operator
  gallery = await api.party('venue')
  mitra = api.clientFor({ secret: gallery.secret }) // its secret key alone, as in production
  await mitra.admin.party.update({ name: 'Galeri Gemawangi' })
  const producer = await api.party('producer')
  const ape = api.clientFor(producer)
  await ape.admin.party.update({ name: 'APE Gemawang' })
  const ids: string[] = []
  for (const [title, sku, price] of [
    ['Puzzle angka kayu', 'APE-PZL-ANGKA', 85_000],
    ['Balok susun warna', 'APE-BALOK-24', 120_000],
  ] as const) {
    const product = await ape.admin.products.create({
      title: { id: title },
      category: 'educational_toys',
      variants: [
        { sku, options: {}, weight_grams: 600, price: { amount: price, currency: 'IDR' } },
      ],
    })
    await ape.admin.products.setStatus(product.id, { status: 'active' })
    ids.push(product.variants[0]!.id)
  }
  ;[puzzle, balok] = ids as [string, string]
  const drafted = await mitra.admin.agreements.create({ counterparty_id: producer.id, terms })
  const sent = await mitra.admin.agreements.send(drafted.id)
  for (const side of [mitra, ape]) {
    await side.admin.agreements.accept(drafted.id, {
      version: 1,
      terms_hash: sent.versions[0]!.terms_hash,
    })
  }
  const lines = [
    { variant_id: puzzle, quantity: 5 },
    { variant_id: balok, quantity: 2 },
  ]
  const note = await ape.admin.deliveries.create({
    venue_id: gallery.id,
    note_number: 'SJ/APE/001',
    lines,
  })
  await mitra.admin.deliveries.receive(note.id, { lines })
  backend = createGalleryBackend(mitra, {
    venueId: gallery.id,
    successUrl: 'https://galeri.example/terima-kasih',
  })
})

describe("the gallery's backend", () => {
  it('lists the shelf with product names and rupiah prices, as mitra has it', async () => {
    const { status, json } = await call('GET', '/shelf')
    expect(status).toBe(200)
    const items: ShelfItem[] = json.items
    const byName = Object.fromEntries(items.map((item) => [item.name, item]))
    expect(byName['Puzzle angka kayu']).toMatchObject({
      variant_id: puzzle,
      sku: 'APE-PZL-ANGKA',
      producer: 'APE Gemawang',
      price: { amount: 85_000, currency: 'IDR' },
      price_text: 'Rp85.000',
      available: 5,
    })
    expect(byName['Balok susun warna']).toMatchObject({ price_text: 'Rp120.000', available: 2 })
    const fromMitra = await mitra.store.venues.available(gallery.id).toArray()
    expect(items.map((item) => [item.variant_id, item.available]).sort()).toEqual(
      fromMitra.map((item) => [item.variant_id, item.available]).sort(),
    )
  })

  it('checks a cart out for pickup and answers the payment page; paying it sells the stock', async () => {
    // One attempt of the front end's: the same Idempotency-Key each time it is sent.
    const attempt = () =>
      call(
        'POST',
        '/checkout',
        {
          items: [
            { variant_id: puzzle, quantity: 2 },
            { variant_id: balok, quantity: 1 },
          ],
          customer: { name: 'Sari', email: 'sari@example.id' },
        },
        { 'Idempotency-Key': 'front-end-attempt-1' },
      )
    const checkout = await attempt()
    expect(checkout.status).toBe(201)
    expect(checkout.json).toMatchObject({
      status: 'pending_payment',
      total: { amount: 2 * 85_000 + 120_000, currency: 'IDR' },
      total_text: 'Rp290.000',
    })
    const paymentUrl = new URL(checkout.json.payment_url)
    expect(paymentUrl.origin).toBe('http://mitra.test')

    // The front end retrying the same attempt gets the same order, not a second one.
    const retried = await attempt()
    expect(retried.json.order_id).toBe(checkout.json.order_id)

    // While it waits for payment, the order holds its items: the shelf shows fewer.
    const held = await call('GET', '/shelf')
    const available = (items: ShelfItem[], id: string) =>
      items.find((item) => item.variant_id === id)?.available ?? 0
    expect(available(held.json.items, puzzle)).toBe(3)
    expect(available(held.json.items, balok)).toBe(1)

    // The payment URL is mitra's demo pay page; paying there marks the order paid.
    const page = await api.call('GET', paymentUrl.pathname)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Pay Rp290.000 (demo)')
    const paid = await api.call('POST', `${paymentUrl.pathname}/pay`)
    expect(paid.headers.get('Location')).toBe('https://galeri.example/terima-kasih')
    const order = await call('GET', `/orders/${checkout.json.order_id}`)
    expect(order.json).toMatchObject({ status: 'paid', total_text: 'Rp290.000' })

    // Sold: the stock on hand went down, and the sale is the gallery's to hand over.
    const stock = await mitra.admin.stock.venue()
    expect(stock.producers[0]).toMatchObject({ on_hand: 4, available: 4, sold: 3 })
    expect(available((await call('GET', '/shelf')).json.items, puzzle)).toBe(3)
  })

  it("passes mitra's refusals on: more than the shelf has, an unknown item, a bad request", async () => {
    const tooMany = await call('POST', '/checkout', {
      items: [{ variant_id: balok, quantity: 5 }],
      customer: { name: 'Budi' },
    })
    const [left] = (await mitra.store.venues.available(gallery.id).toArray()).filter(
      (item) => item.variant_id === balok,
    )
    expect(tooMany).toEqual({
      status: 409,
      json: {
        code: 'insufficient_stock',
        detail: `Only ${left?.available} available at this venue`,
        errors: [expect.objectContaining({ path: 'quantity' })],
        available: left?.available,
      },
    })

    const unknown = await call('POST', '/checkout', {
      items: [{ variant_id: 'var_00000000000000000000000000', quantity: 1 }],
      customer: { name: 'Budi' },
    })
    expect(unknown.status).toBe(404)
    expect(unknown.json).toMatchObject({ code: 'not_found', errors: [{ path: 'variant_id' }] })

    const bad = await call('POST', '/checkout', { items: [], customer: { name: 'Budi' } })
    expect(bad).toEqual({
      status: 400,
      json: { code: 'invalid_request', detail: 'items: at least one' },
    })
  })
})
