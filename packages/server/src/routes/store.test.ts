import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { useTestApi } from '../test-support.js'

const product = (title: string, sku: string) => ({
  title: { id: title, en: null },
  category: 'honey',
  variants: [{ sku, options: {}, weight_grams: 250, price: { amount: 85000, currency: 'IDR' } }],
})

describe.each(testDatabaseKinds())('store routes on %s', (kind) => {
  const api = useTestApi(kind)

  async function activeProduct(secret: string, title: string, sku: string) {
    const created = (
      await api.call('POST', '/v1/admin/products', { token: secret, body: product(title, sku) })
    ).json
    await api.call('POST', `/v1/admin/products/${created.id}/status`, {
      token: secret,
      body: { status: 'active' },
    })
    return created.id as string
  }

  it('lists only active products, scoped by the key’s channel, and searches them', async () => {
    const madu = await api.party('producer')
    const other = await api.party('producer')
    const venue = await api.party('venue')
    const honey = await activeProduct(madu.secret, 'Madu hutan Gemawang', 'MADU-1')
    await api.call('POST', '/v1/admin/products', {
      token: madu.secret,
      body: product('Madu draf', 'MADU-2'),
    })
    const theirs = await activeProduct(other.secret, 'Topeng kayu Bobung', 'TPG-1')

    const own = await api.call('GET', '/v1/store/products', { token: madu.publishable })
    expect(own.json.data.map((p: { id: string }) => p.id)).toEqual([honey])
    expect(own.json.data[0].producer.id).toBe(madu.id)
    expect(own.json.data[0]).not.toHaveProperty('status')

    const atVenue = await api.call('GET', '/v1/store/products?limit=100', {
      token: venue.publishable,
    })
    const ids = atVenue.json.data.map((p: { id: string }) => p.id)
    expect(ids).toEqual(expect.arrayContaining([honey, theirs]))
    const searched = await api.call('GET', '/v1/store/products?q=topeng', {
      token: venue.publishable,
    })
    expect(searched.json.data.map((p: { id: string }) => p.id)).toEqual([theirs])
    const byProducer = await api.call('GET', `/v1/store/products?producer=${other.id}`, {
      token: venue.publishable,
    })
    expect(byProducer.json.data.map((p: { id: string }) => p.id)).toEqual([theirs])

    expect(
      (await api.call('GET', `/v1/store/products/${honey}`, { token: venue.publishable })).status,
    ).toBe(200)
    expect(
      (await api.call('GET', `/v1/store/products/${theirs}`, { token: madu.publishable })).status,
    ).toBe(404)
  })

  it('shows a cluster’s channel its members’ products', async () => {
    const cluster = await api.party('cluster')
    const member = await api.party('producer')
    const outsider = await api.party('producer')
    await api.clusterMember(cluster, member)
    const mine = await activeProduct(member.secret, 'Pasta indigo', 'IND-1')
    await activeProduct(outsider.secret, 'Keripik tempe', 'KRP-1')
    const listed = await api.call('GET', '/v1/store/products', { token: cluster.publishable })
    expect(listed.json.data.map((p: { id: string }) => p.id)).toEqual([mine])
  })

  it('holds browsers to the key’s allowed origins', async () => {
    const gallery = await api.party('venue', { allowedOrigins: ['https://galeri.example'] })
    const allowed = await api.call('GET', '/v1/store/products', {
      token: gallery.publishable,
      headers: { Origin: 'https://galeri.example' },
    })
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://galeri.example')
    // The page may read when to try again after a 429, and the request id to quote.
    expect(allowed.headers.get('Access-Control-Expose-Headers')).toMatch(/Retry-After.*Request-Id/)
    const elsewhere = await api.call('GET', '/v1/store/products', {
      token: gallery.publishable,
      headers: { Origin: 'https://evil.example' },
    })
    expect(elsewhere.status).toBe(403)
    // The refusal is readable by the page (a widget can say why), and carries no data.
    expect(elsewhere.headers.get('Access-Control-Allow-Origin')).toBe('https://evil.example')
    expect(elsewhere.json).toMatchObject({ code: 'forbidden' })
    expect(elsewhere.json.detail).toBe('Origin https://evil.example is not allowed for this key')
    expect(elsewhere.json.data).toBeUndefined()
    const forged = await api.call('GET', '/v1/store/products', {
      token: `pk_${'x'.repeat(43)}`,
      headers: { Origin: 'https://galeri.example' },
    })
    expect(forged.status).toBe(401)
    expect(forged.headers.get('Access-Control-Allow-Origin')).toBe('https://galeri.example')
    const secretInBrowser = await api.call('GET', '/v1/store/products', {
      token: gallery.secret,
      headers: { Origin: 'https://galeri.example' },
    })
    expect(secretInBrowser.status).toBe(403)
    const preflight = await api.call('OPTIONS', '/v1/store/products', {
      headers: { Origin: 'https://galeri.example' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toContain('Authorization')
  })

  it('refuses missing or revoked keys and bad queries', async () => {
    const venue = await api.party('venue')
    expect((await api.call('GET', '/v1/store/products')).status).toBe(401)
    expect(
      (await api.call('GET', '/v1/store/products', { token: `pk_${'x'.repeat(43)}` })).status,
    ).toBe(401)
    const bad = await api.call('GET', '/v1/store/products?category=spaceships', {
      token: venue.publishable,
    })
    expect(bad.status).toBe(422)
    expect(bad.json.errors[0].path).toBe('category')
    const badCursor = await api.call('GET', '/v1/store/products?cursor=zzz', {
      token: venue.publishable,
    })
    expect(badCursor.status).toBe(422)
    expect(badCursor.json.errors[0].path).toBe('cursor')
    const unknownParam = await api.call('GET', '/v1/store/products?sort=price', {
      token: venue.publishable,
    })
    expect(unknownParam.status).toBe(422)
  })

  it('refuses oversized bodies with 413', async () => {
    const maker = await api.party()
    const huge = { ...product('x', 'X-1'), description: { id: 'a'.repeat(2 * 1024 * 1024) } }
    const res = await api.call('POST', '/v1/admin/products', { token: maker.secret, body: huge })
    expect(res.status).toBe(413)
    expect(res.json.code).toBe('payload_too_large')
  })
})
