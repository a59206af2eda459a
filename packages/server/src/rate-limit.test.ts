import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { defaultStoreRateLimits } from './rate-limit.js'
import { useTestApi } from './test-support.js'

/** The Node request a listening server hands Hono: the client's socket and headers. */
const from = (remoteAddress: string, headers: Record<string, string> = {}) => ({
  incoming: { socket: { remoteAddress }, headers },
})

const windowMs = 1500
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(testDatabaseKinds())('store write limits on %s', (kind) => {
  const api = useTestApi(kind, { storeRateLimits: { windowMs, perClient: 3, perKey: 5 } })
  const behindProxy = useTestApi(kind, {
    storeRateLimits: { windowMs, perClient: 2, perKey: 100 },
    trustProxy: true,
  })

  function write(app: typeof api, key: string, env: object | undefined, headers = {}) {
    return app
      .app()
      .request(
        '/v1/store/carts',
        { method: 'POST', headers: { Authorization: `Bearer ${key}`, ...headers } },
        env,
      )
  }

  it('refuses a client over its limit with a 429 problem and Retry-After, then lets it in again', async () => {
    const venue = await api.party('venue')
    for (let i = 0; i < 3; i++) {
      expect((await write(api, venue.publishable, from('192.0.2.1'))).status).toBe(201)
    }
    const refused = await write(api, venue.publishable, from('192.0.2.1'))
    expect(refused.status).toBe(429)
    expect(refused.headers.get('Content-Type')).toBe('application/problem+json')
    const retryAfter = Number(refused.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(windowMs / 1000))
    const problem = await refused.json()
    expect(problem).toMatchObject({ status: 429, code: 'rate_limited', retry_after: retryAfter })
    // Another client, and reads by the same one, are not held back.
    expect((await write(api, venue.publishable, from('192.0.2.2'))).status).toBe(201)
    const read = await api
      .app()
      .request(
        '/v1/store/products',
        { headers: { Authorization: `Bearer ${venue.publishable}` } },
        from('192.0.2.1'),
      )
    expect(read.status).toBe(200)
    // After the window, the client may write again.
    await wait(windowMs + 100)
    expect((await write(api, venue.publishable, from('192.0.2.1'))).status).toBe(201)
  })

  it('limits a publishable key across all its clients, and each key apart', async () => {
    const venue = await api.party('venue')
    const other = await api.party('venue')
    // Five clients, one write each: the key's limit is met.
    for (let i = 0; i < 5; i++) {
      expect((await write(api, venue.publishable, from(`198.51.100.${i}`))).status).toBe(201)
    }
    const refused = await write(api, venue.publishable, from('198.51.100.9'))
    expect(refused.status).toBe(429)
    expect(((await refused.json()) as { detail: string }).detail).toContain('with this key')
    // A call with no known address (in-process) counts against the key too.
    expect((await write(api, venue.publishable, undefined)).status).toBe(429)
    expect((await write(api, other.publishable, from('198.51.100.9'))).status).toBe(201)
  })

  it('trusts X-Forwarded-For only when told it is behind a proxy, and then its last entry', async () => {
    const venue = await api.party('venue')
    // Not behind a proxy: the header is the client's own say, and changes nothing.
    for (let i = 0; i < 3; i++) {
      const forged = { 'X-Forwarded-For': `10.0.0.${i}` }
      expect((await write(api, venue.publishable, from('192.0.2.50'), forged)).status).toBe(201)
    }
    const forged = { 'X-Forwarded-For': '10.0.0.99' }
    expect((await write(api, venue.publishable, from('192.0.2.50'), forged)).status).toBe(429)

    const shop = await behindProxy.party('venue')
    const proxy = (chain: string) => from('10.1.1.1', { 'x-forwarded-for': chain })
    // The proxy appends the address it saw: a client's own first entry does not help it.
    expect((await write(behindProxy, shop.publishable, proxy('1.1.1.1, 203.0.113.5'))).status).toBe(
      201,
    )
    expect((await write(behindProxy, shop.publishable, proxy('2.2.2.2, 203.0.113.5'))).status).toBe(
      201,
    )
    expect((await write(behindProxy, shop.publishable, proxy('203.0.113.5'))).status).toBe(429)
    expect((await write(behindProxy, shop.publishable, proxy('203.0.113.6'))).status).toBe(201)
  })

  it('has sane defaults', () => {
    expect(defaultStoreRateLimits).toEqual({ windowMs: 60_000, perKey: 3_000, perClient: 120 })
  })
})
