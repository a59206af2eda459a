import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { createApp } from './app.js'
import { TtlCache } from './cache.js'
import { useTestApi } from './test-support.js'

const honey = (sku: string) => ({
  title: { id: `Madu ${sku}` },
  category: 'honey',
  variants: [{ sku, options: {}, weight_grams: 250, price: { amount: 85000, currency: 'IDR' } }],
})

describe('TtlCache', () => {
  it('forgets entries after the TTL and the oldest beyond its size', () => {
    let now = 0
    const cache = new TtlCache<number>(100, 2, () => now)
    cache.set('a', 1)
    cache.set('b', 2)
    cache.set('c', 3)
    expect(cache.get('a')).toBeUndefined()
    expect(cache.get('b')).toBe(2)
    now = 100
    expect(cache.get('c')).toBeUndefined()
    const off = new TtlCache<number>(0)
    off.set('a', 1)
    expect(off.get('a')).toBeUndefined()
  })
})

describe.each(testDatabaseKinds())('store response cache on %s', (kind) => {
  const api = useTestApi(kind)

  async function publish(secret: string, sku: string) {
    const { id } = (
      await api.call('POST', '/v1/admin/products', { token: secret, body: honey(sku) })
    ).json
    await api.call('POST', `/v1/admin/products/${id}/status`, {
      token: secret,
      body: { status: 'active' },
    })
    return id as string
  }

  it('answers a repeat with an ETag, and 304 when the client has it', async () => {
    const maker = await api.party()
    await publish(maker.secret, 'E-1')
    const first = await api.call('GET', '/v1/store/products', { token: maker.publishable })
    const etag = first.headers.get('ETag')
    expect(etag).toMatch(/^".+"$/)
    const again = await api.call('GET', '/v1/store/products', { token: maker.publishable })
    expect(again.text).toBe(first.text)
    const revalidated = await api.call('GET', '/v1/store/products', {
      token: maker.publishable,
      headers: { 'If-None-Match': etag as string },
    })
    expect(revalidated.status).toBe(304)
  })

  it('shows a write through the same instance at once', async () => {
    const maker = await api.party()
    await publish(maker.secret, 'W-1')
    expect(
      (await api.call('GET', '/v1/store/products', { token: maker.publishable })).json.data,
    ).toHaveLength(1)
    await publish(maker.secret, 'W-2')
    expect(
      (await api.call('GET', '/v1/store/products', { token: maker.publishable })).json.data,
    ).toHaveLength(2)
  })

  it('shows a write through another instance within the TTL', async () => {
    const maker = await api.party()
    await publish(maker.secret, 'T-1')
    // A TTL long enough that the publish in between cannot outlast it on a loaded machine.
    const other = createApp({ database: api.database(), storeCacheTtlMs: 2_000 })
    const read = async () =>
      (await (
        await other.request('/v1/store/products', {
          headers: { Authorization: `Bearer ${maker.publishable}` },
        })
      ).json()) as {
        data: unknown[]
      }
    expect((await read()).data).toHaveLength(1)
    const cachedAt = Date.now()
    await publish(maker.secret, 'T-2') // through the first instance
    expect((await read()).data).toHaveLength(1) // the other one still answers from memory
    await new Promise((resolve) => setTimeout(resolve, cachedAt + 2_100 - Date.now()))
    expect((await read()).data).toHaveLength(2)
  })

  it('stops accepting a revoked publishable key at once on the instance that revoked it', async () => {
    const maker = await api.party()
    expect((await api.call('GET', '/v1/store/products', { token: maker.publishable })).status).toBe(
      200,
    )
    const keys = (await api.call('GET', '/v1/admin/api_keys', { token: maker.secret })).json.data
    const pk = keys.find((k: { kind: string }) => k.kind === 'publishable')
    await api.call('POST', `/v1/admin/api_keys/${pk.id}/revoke`, { token: maker.secret })
    expect((await api.call('GET', '/v1/store/products', { token: maker.publishable })).status).toBe(
      401,
    )
  })
})
