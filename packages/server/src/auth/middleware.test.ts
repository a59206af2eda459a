import { apiKeys } from '@mitra/db'
import { testDatabaseKinds } from '@mitra/db/testing'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { useTestApi } from '../test-support.js'

/** What `@hono/node-server` hands the app: the socket the request came on. */
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } })

describe.each(testDatabaseKinds())('admin authentication on %s', (kind) => {
  const api = useTestApi(kind, {
    authFailureLimit: { maxFailures: 3, windowSeconds: 60 },
    // Publishable keys stay in memory for a minute: longer than the key below has to live.
    storeCacheTtlMs: 60_000,
  })

  it('refuses a secret key sent by a browser: any Origin, or a cross- or same-site fetch', async () => {
    const owner = await api.party()
    const asBrowser = async (headers: Record<string, string>) =>
      api.call('GET', '/v1/admin/party', { token: owner.secret, headers })
    const evil = await asBrowser({ Origin: 'https://evil.example' })
    expect(evil.status).toBe(403)
    expect(evil.headers.get('Content-Type')).toBe('application/problem+json')
    expect(evil.json.errors[0].path).toBe('headers.origin')
    expect(evil.headers.get('Access-Control-Allow-Origin')).toBeNull()
    // Even the server's own origin: no page holds an admin credential.
    expect((await asBrowser({ Origin: 'http://localhost:3000' })).status).toBe(403)
    for (const site of ['cross-site', 'same-site', 'same-origin']) {
      const refused = await asBrowser({ 'Sec-Fetch-Site': site })
      expect(refused.status, site).toBe(403)
      expect(refused.json.errors[0].path).toBe('headers.sec-fetch-site')
    }
    // A write from a page is refused before anything runs.
    const write = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'secret' },
      headers: { Origin: 'https://evil.example' },
    })
    expect(write.status).toBe(403)
    const keys = await api.call('GET', '/v1/admin/api_keys', { token: owner.secret })
    expect(keys.json.data).toHaveLength(2)
    // A program (no Origin, no Sec-Fetch-*) and an address typed in the bar still get in.
    expect((await asBrowser({})).status).toBe(200)
    expect((await asBrowser({ 'Sec-Fetch-Site': 'none' })).status).toBe(200)
  })

  it('refuses an address after too many failed keys with 429 and Retry-After, and no other address', async () => {
    const owner = await api.party()
    const request = (address: string, token: string) =>
      api
        .app()
        .request(
          '/v1/admin/party',
          { headers: { Authorization: `Bearer ${token}` } },
          from(address),
        )
    const guess = `sk_${'G'.repeat(43)}`
    for (let i = 0; i < 3; i++) expect((await request('198.51.100.7', guess)).status).toBe(401)
    const limited = await request('198.51.100.7', guess)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(Number(limited.headers.get('Retry-After'))).toBeLessThanOrEqual(60)
    const problem = await limited.json()
    expect(problem).toMatchObject({ code: 'rate_limited', retry_after: expect.any(Number) })
    // While limited, the address gets nowhere, even with a good key.
    expect((await request('198.51.100.7', owner.secret)).status).toBe(429)
    // Another address, and the store with it, are unaffected.
    expect((await request('203.0.113.9', owner.secret)).status).toBe(200)
    expect((await request('203.0.113.9', guess)).status).toBe(401)
    const store = await api
      .app()
      .request(
        '/v1/store/products',
        { headers: { Authorization: `Bearer ${owner.publishable}` } },
        from('203.0.113.9'),
      )
    expect(store.status).toBe(200)
    // The store's keys count on the same address: revoked and unknown publishable keys too.
    const storeGuess = await api
      .app()
      .request(
        '/v1/store/products',
        { headers: { Authorization: `Bearer pk_${'P'.repeat(43)}` } },
        from('198.51.100.7'),
      )
    expect(storeGuess.status).toBe(429)
  })

  it('counts unknown sessions and publishable keys on the admin API as failures', async () => {
    const owner = await api.party()
    const address = '192.0.2.44'
    const request = (token: string, headers: Record<string, string> = {}) =>
      api
        .app()
        .request(
          '/v1/admin/party',
          { headers: { Authorization: `Bearer ${token}`, ...headers } },
          from(address),
        )
    expect((await request('ses_unknown', { 'Mitra-Party': owner.id })).status).toBe(401)
    expect((await request(owner.publishable)).status).toBe(401)
    // A good key with a role too low is not a failed authentication.
    expect((await request(owner.secret)).status).toBe(200)
    // No credential at all guesses nothing: not counted.
    const bare = async () => (await api.app().request('/v1/admin/party', {}, from(address))).status
    for (let i = 0; i < 5; i++) expect(await bare()).toBe(401)
    expect((await request(owner.secret)).status).toBe(200)
    expect((await request('nonsense')).status).toBe(401)
    expect((await request(owner.secret)).status).toBe(429)
    expect(await bare()).toBe(429)
  })

  it('refuses an expired key with a 401 saying so, also when a cached publishable key expires', async () => {
    const owner = await api.party()
    const { db } = api.database()
    const publishable = (
      await api.call('GET', '/v1/admin/api_keys', { token: owner.secret })
    ).json.data.find((k: { kind: string }) => k.kind === 'publishable')
    const soon = new Date(Date.now() + 1500)
    await db.update(apiKeys).set({ expiresAt: soon }).where(eq(apiKeys.id, publishable.id))
    // The store remembers the publishable key it just read…
    const store = () => api.call('GET', '/v1/store/products', { token: owner.publishable })
    expect((await store()).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, soon.getTime() - Date.now() + 50))
    // …and still does not let it through once its end has passed.
    const expired = await store()
    expect(expired.status).toBe(401)
    expect(expired.json.detail).toContain('expired')

    const spare = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'secret', role: 'owner' },
    })
    const past = new Date(Date.now() - 1000)
    await db.update(apiKeys).set({ expiresAt: past }).where(eq(apiKeys.id, spare.json.api_key.id))
    const refused = await api.call('GET', '/v1/admin/party', { token: spare.json.token })
    expect(refused.status).toBe(401)
    expect(refused.json.detail).toMatch(/expired at \d{4}-/)
  })
})
