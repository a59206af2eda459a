import { idempotencyKeys } from '@mitra/db'
import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { useTestApi } from '../test-support.js'
import { purgeIdempotencyKeys } from './middleware.js'

describe.each(testDatabaseKinds())('Idempotency-Key on %s', (kind) => {
  const api = useTestApi(kind)

  async function keyCount(secret: string): Promise<number> {
    return (await api.call('GET', '/v1/admin/api_keys?limit=100', { token: secret })).json.data
      .length
  }

  it('replays the stored response for the same key and request, creating once', async () => {
    const owner = await api.party()
    const request = {
      token: owner.secret,
      body: { kind: 'publishable' },
      idempotencyKey: 'create-pk-1',
    }
    const first = await api.call('POST', '/v1/admin/api_keys', request)
    const again = await api.call('POST', '/v1/admin/api_keys', request)
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.json).toEqual(first.json)
    expect(again.headers.get('Idempotent-Replayed')).toBe('true')
    expect(first.headers.get('Idempotent-Replayed')).toBeNull()
    expect(await keyCount(owner.secret)).toBe(3)
  })

  it('refuses the same key with a different body with 409 and changes nothing', async () => {
    const owner = await api.party()
    await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'publishable' },
      idempotencyKey: 'k',
    })
    const other = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'secret' },
      idempotencyKey: 'k',
    })
    expect(other.status).toBe(409)
    expect(other.json.code).toBe('idempotency_conflict')
    expect(await keyCount(owner.secret)).toBe(3)
  })

  it('runs concurrent duplicates once', async () => {
    const owner = await api.party()
    const request = { token: owner.secret, body: { kind: 'publishable' }, idempotencyKey: 'burst' }
    const results = await Promise.all(
      Array.from({ length: 8 }, () => api.call('POST', '/v1/admin/api_keys', request)),
    )
    const created = results.filter((r) => r.status === 201)
    const busy = results.filter((r) => r.status === 409)
    expect(created.length + busy.length).toBe(8)
    expect(new Set(created.map((r) => r.json.api_key.id)).size).toBe(1)
    for (const r of busy) expect(r.json.code).toBe('idempotency_in_progress')
    expect(await keyCount(owner.secret)).toBe(3)
  })

  it('replays client errors too, but lets a server error be retried', async () => {
    const owner = await api.party()
    const bad = { token: owner.secret, body: { kind: 'nope' }, idempotencyKey: 'bad-1' }
    const first = await api.call('POST', '/v1/admin/api_keys', bad)
    const again = await api.call('POST', '/v1/admin/api_keys', bad)
    expect(first.status).toBe(422)
    expect(again.status).toBe(422)
    expect(again.headers.get('Idempotent-Replayed')).toBe('true')

    let calls = 0
    const app = createApp({ database: api.database(), logError: () => {} })
    app.post('/v1/admin/flaky', (c) => {
      calls++
      if (calls === 1) throw new Error('database hiccup')
      return c.json({ ok: true }, 201)
    })
    const flaky = () =>
      app.request('/v1/admin/flaky', {
        method: 'POST',
        headers: { Authorization: `Bearer ${owner.secret}`, 'Idempotency-Key': 'flaky-1' },
        body: '{"n":1}',
      })
    expect((await flaky()).status).toBe(500)
    expect((await flaky()).status).toBe(201)
    expect((await flaky()).headers.get('Idempotent-Replayed')).toBe('true')
    expect(calls).toBe(2)
  })

  it('scopes keys to the API key that sent them', async () => {
    const a = await api.party()
    const b = await api.party()
    const shared = 'same-key-different-callers'
    const fromA = await api.call('POST', '/v1/admin/api_keys', {
      token: a.secret,
      body: { kind: 'publishable' },
      idempotencyKey: shared,
    })
    const fromB = await api.call('POST', '/v1/admin/api_keys', {
      token: b.secret,
      body: { kind: 'secret' },
      idempotencyKey: shared,
    })
    expect(fromA.status).toBe(201)
    expect(fromB.status).toBe(201)
    expect(fromB.json.api_key.party_id).toBe(b.id)
  })

  it('rejects a malformed key and purges old entries', async () => {
    const owner = await api.party()
    const long = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'publishable' },
      idempotencyKey: 'x'.repeat(256),
    })
    expect(long.status).toBe(400)
    expect(long.json.errors[0].path).toBe('Idempotency-Key')
    const { db } = api.database()
    const before = (await db.select().from(idempotencyKeys)).length
    expect(before).toBeGreaterThan(0)
    expect(await purgeIdempotencyKeys(db, new Date(Date.now() + 1000))).toBe(before)
    expect(await db.select().from(idempotencyKeys)).toHaveLength(0)
  })
})
