import { newId } from '@mitra/core'
import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { useTestApi } from '../test-support.js'

describe.each(testDatabaseKinds())('API keys on %s', (kind) => {
  const api = useTestApi(kind)

  it('creates a secret key shown once, that then works, and lists it by prefix only', async () => {
    const owner = await api.party()
    const created = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'secret', role: 'staff', name: 'till at Kafe Banaran' },
    })
    expect(created.status).toBe(201)
    expect(created.json.token).toMatch(/^sk_[A-Za-z0-9_-]{43}$/)
    expect(created.json.api_key).toMatchObject({ kind: 'secret', role: 'staff', revoked_at: null })
    expect(created.json.api_key.token).not.toBe(created.json.token)

    const listed = await api.call('GET', '/v1/admin/api_keys', { token: owner.secret })
    expect(listed.status).toBe(200)
    expect(listed.text).not.toContain(created.json.token)
    expect(listed.json.data.map((k: { id: string }) => k.id)).toContain(created.json.api_key.id)

    // the new staff key authenticates, but may not manage keys
    const asStaff = await api.call('GET', '/v1/admin/api_keys', { token: created.json.token })
    expect(asStaff.status).toBe(403)
    expect(asStaff.json.code).toBe('forbidden')
  })

  it('creates publishable keys with allowed origins and shows them in full', async () => {
    const owner = await api.party('venue')
    const created = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'publishable', allowed_origins: ['https://galeri.example', '*'] },
    })
    expect(created.status).toBe(201)
    expect(created.json.token).toMatch(/^pk_/)
    expect(created.json.api_key.token).toBe(created.json.token)
    expect(created.json.api_key.role).toBe('staff')
  })

  it('names the failing field of bad input and rejects unknown fields', async () => {
    const owner = await api.party()
    const badOrigin = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'publishable', allowed_origins: ['https://galeri.example/path'] },
    })
    expect(badOrigin.status).toBe(422)
    expect(badOrigin.json.errors[0].path).toBe('allowed_origins.0')
    const unknown = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'secret', admin: true },
    })
    expect(unknown.status).toBe(422)
    expect(unknown.json.errors.map((e: { message: string }) => e.message).join()).toContain('admin')
    const badKind = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'root' },
    })
    expect(badKind.json.errors[0].path).toBe('kind')
    const malformed = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: '{"kind":',
      headers: { 'Content-Type': 'application/json' },
    })
    expect(malformed.status).toBe(400)
    expect(malformed.headers.get('Content-Type')).toBe('application/problem+json')
  })

  it('refuses missing, malformed, unknown, publishable and revoked keys with 401', async () => {
    const owner = await api.party()
    const missing = await api.call('GET', '/v1/admin/api_keys')
    expect(missing.status).toBe(401)
    expect(missing.headers.get('WWW-Authenticate')).toContain('Bearer')
    expect((await api.call('GET', '/v1/admin/api_keys', { token: 'sk_nope' })).status).toBe(401)
    const forged = `sk_${'A'.repeat(43)}`
    expect((await api.call('GET', '/v1/admin/api_keys', { token: forged })).status).toBe(401)
    expect((await api.call('GET', '/v1/admin/api_keys', { token: owner.publishable })).status).toBe(
      401,
    )

    const spare = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'secret', role: 'owner' },
    })
    const revoked = await api.call('POST', `/v1/admin/api_keys/${spare.json.api_key.id}/revoke`, {
      token: owner.secret,
    })
    expect(revoked.status).toBe(200)
    expect(revoked.json.revoked_at).not.toBeNull()
    const after = await api.call('GET', '/v1/admin/api_keys', { token: spare.json.token })
    expect(after.status).toBe(401)
    expect(after.json.code).toBe('unauthorized')
  })

  it("answers another party's key id with 404 and leaves it working", async () => {
    const mine = await api.party()
    const theirs = await api.party()
    const [theirKey] = (await api.call('GET', '/v1/admin/api_keys', { token: theirs.secret })).json
      .data
    const attempt = await api.call('POST', `/v1/admin/api_keys/${theirKey.id}/revoke`, {
      token: mine.secret,
    })
    expect(attempt.status).toBe(404)
    expect((await api.call('GET', '/v1/admin/api_keys', { token: theirs.secret })).status).toBe(200)
    const unknown = await api.call('POST', `/v1/admin/api_keys/${newId('key')}/revoke`, {
      token: mine.secret,
    })
    expect(unknown.status).toBe(404)
    const malformed = await api.call('POST', '/v1/admin/api_keys/not-an-id/revoke', {
      token: mine.secret,
    })
    expect(malformed.status).toBe(422)
    expect(malformed.json.errors[0].path).toBe('id')
  })

  it('pages through keys with a cursor, each key once', async () => {
    const owner = await api.party()
    for (let i = 0; i < 4; i++) {
      await api.call('POST', '/v1/admin/api_keys', {
        token: owner.secret,
        body: { kind: 'publishable' },
      })
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { json: { data: { id: string }[]; next_cursor: string | null } } = await api.call(
        'GET',
        `/v1/admin/api_keys?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: owner.secret },
      )
      seen.push(...page.json.data.map((k) => k.id))
      cursor = page.json.next_cursor
    } while (cursor !== null)
    expect(seen).toHaveLength(6) // 4 created + the party's two
    expect(new Set(seen).size).toBe(6)
    expect(
      (await api.call('GET', '/v1/admin/api_keys?limit=0', { token: owner.secret })).json.errors[0]
        .path,
    ).toBe('limit')
  })
})
