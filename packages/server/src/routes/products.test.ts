import { newId } from '@mitra/core'
import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { useTestApi } from '../test-support.js'

const batik = {
  title: { id: 'Batik tulis pewarna alami', en: 'Hand-drawn batik, natural dye' },
  description: { id: 'Kain katun, motif kopi Gemawang', en: 'Cotton, Gemawang coffee motif' },
  category: 'batik',
  materials: ['katun', 'indigo'],
  tags: ['gemawang', 'tulis'],
  origin: { village: 'Gemawang', district: 'Jambu', regency: 'Semarang', province: 'Jawa Tengah' },
  variants: [
    {
      sku: 'BTK-001-M',
      options: { size: '2m' },
      weight_grams: 300,
      price: { amount: 350000, currency: 'IDR' },
    },
  ],
}

describe.each(testDatabaseKinds())('product routes on %s', (kind) => {
  const api = useTestApi(kind)

  it('creates, reads, updates, publishes and lists a product', async () => {
    const maker = await api.party('producer', { role: 'staff' })
    const created = await api.call('POST', '/v1/admin/products', {
      token: maker.secret,
      body: batik,
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      status: 'draft',
      producer_id: maker.id,
      category: 'batik',
    })
    expect(created.json.variants[0].price).toEqual({ amount: 350000, currency: 'IDR' })
    const id = created.json.id

    const patched = await api.call('PATCH', `/v1/admin/products/${id}`, {
      token: maker.secret,
      body: { tags: ['indigo'] },
    })
    expect(patched.json.tags).toEqual(['indigo'])
    const published = await api.call('POST', `/v1/admin/products/${id}/status`, {
      token: maker.secret,
      body: { status: 'active' },
    })
    expect(published.json.status).toBe('active')
    const variant = await api.call('POST', `/v1/admin/products/${id}/variants`, {
      token: maker.secret,
      body: {
        sku: 'BTK-001-L',
        options: { size: '2.5m' },
        weight_grams: 380,
        price: { amount: 420000, currency: 'IDR' },
      },
    })
    expect(variant.status).toBe(201)
    const repriced = await api.call('PATCH', `/v1/admin/variants/${variant.json.id}`, {
      token: maker.secret,
      body: { price: { amount: 400000, currency: 'IDR' } },
    })
    expect(repriced.json.price.amount).toBe(400000)
    const fetched = await api.call('GET', `/v1/admin/products/${id}`, { token: maker.secret })
    expect(fetched.json.variants).toHaveLength(2)
    const listed = await api.call('GET', '/v1/admin/products?q=pewarna', { token: maker.secret })
    expect(listed.json.data.map((p: { id: string }) => p.id)).toEqual([id])
    const removed = await api.call('DELETE', `/v1/admin/variants/${variant.json.id}`, {
      token: maker.secret,
    })
    expect(removed.json).toEqual({ id: variant.json.id, deleted: true })
  })

  it('names the failing field and changes nothing on bad input', async () => {
    const maker = await api.party()
    const noTitle = await api.call('POST', '/v1/admin/products', {
      token: maker.secret,
      body: { ...batik, title: { en: 'x' } },
    })
    expect(noTitle.status).toBe(422)
    expect(noTitle.json.errors.some((e: { path: string }) => e.path === 'title.id')).toBe(true)
    const floatPrice = await api.call('POST', '/v1/admin/products', {
      token: maker.secret,
      body: {
        ...batik,
        variants: [{ ...batik.variants[0], price: { amount: 1.5, currency: 'IDR' } }],
      },
    })
    expect(floatPrice.status).toBe(422)
    expect(floatPrice.json.errors[0].path).toBe('variants.0.price.amount')
    const extra = await api.call('POST', '/v1/admin/products', {
      token: maker.secret,
      body: { ...batik, price: 5 },
    })
    expect(extra.status).toBe(422)
    const badQuery = await api.call('GET', '/v1/admin/products?limit=1000', { token: maker.secret })
    expect(badQuery.json.errors[0].path).toBe('limit')
    expect(
      (await api.call('GET', '/v1/admin/products', { token: maker.secret })).json.data,
    ).toHaveLength(0)
  })

  it('answers another producer’s product and variant with 404', async () => {
    const mine = await api.party()
    const theirs = await api.party()
    const product = (
      await api.call('POST', '/v1/admin/products', { token: theirs.secret, body: batik })
    ).json
    for (const [method, path, body] of [
      ['GET', `/v1/admin/products/${product.id}`, undefined],
      ['PATCH', `/v1/admin/products/${product.id}`, { tags: ['x'] }],
      ['POST', `/v1/admin/products/${product.id}/status`, { status: 'active' }],
      ['POST', `/v1/admin/products/${product.id}/variants`, { ...batik.variants[0], sku: 'NEW-1' }],
      ['PATCH', `/v1/admin/variants/${product.variants[0].id}`, { weight_grams: 1 }],
      ['DELETE', `/v1/admin/variants/${product.variants[0].id}`, undefined],
      ['GET', `/v1/admin/products/${newId('prod')}`, undefined],
    ] as const) {
      const res = await api.call(method, path, { token: mine.secret, body })
      expect(res.status, `${method} ${path}`).toBe(404)
    }
    const untouched = await api.call('GET', `/v1/admin/products/${product.id}`, {
      token: theirs.secret,
    })
    expect(untouched.json.variants).toHaveLength(1)
    expect(untouched.json.tags).toEqual(['gemawang', 'tulis'])
  })

  it('refuses without a key, and with a publishable key', async () => {
    const maker = await api.party()
    expect((await api.call('POST', '/v1/admin/products', { body: batik })).status).toBe(401)
    expect(
      (await api.call('POST', '/v1/admin/products', { token: maker.publishable, body: batik }))
        .status,
    ).toBe(401)
  })

  it('reports conflicts: duplicate SKU and an illegal status change', async () => {
    const maker = await api.party()
    await api.call('POST', '/v1/admin/products', { token: maker.secret, body: batik })
    const dup = await api.call('POST', '/v1/admin/products', { token: maker.secret, body: batik })
    expect(dup.status).toBe(409)
    expect(dup.json.errors[0].path).toContain('sku')
    const bare = (
      await api.call('POST', '/v1/admin/products', {
        token: maker.secret,
        body: { ...batik, variants: [] },
      })
    ).json
    const publish = await api.call('POST', `/v1/admin/products/${bare.id}/status`, {
      token: maker.secret,
      body: { status: 'active' },
    })
    expect(publish.status).toBe(409)
  })

  it('replays a product creation sent twice with one Idempotency-Key', async () => {
    const maker = await api.party()
    const request = {
      token: maker.secret,
      body: { ...batik, variants: [] },
      idempotencyKey: 'new-batik',
    }
    const first = await api.call('POST', '/v1/admin/products', request)
    const second = await api.call('POST', '/v1/admin/products', request)
    expect(second.json.id).toBe(first.json.id)
    expect(second.headers.get('Idempotent-Replayed')).toBe('true')
    expect(
      (await api.call('GET', '/v1/admin/products', { token: maker.secret })).json.data,
    ).toHaveLength(1)
  })
})
