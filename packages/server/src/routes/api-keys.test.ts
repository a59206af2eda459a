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

  it('creates a key that expires, within bounds, and lists when', async () => {
    const owner = await api.party()
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString()
    const created = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'secret', expires_at: inAWeek },
    })
    expect(created.status).toBe(201)
    expect(created.json.api_key).toMatchObject({ expires_at: inAWeek, replaced_by: null })
    expect((await api.call('GET', '/v1/admin/party', { token: created.json.token })).status).toBe(
      200,
    )
    const listed = await api.call('GET', '/v1/admin/api_keys', { token: owner.secret })
    expect(
      listed.json.data.find((k: { id: string }) => k.id === created.json.api_key.id),
    ).toMatchObject({ expires_at: inAWeek })
    for (const expires_at of [
      new Date(Date.now() - 60_000).toISOString(),
      new Date(Date.now() + 3 * 365 * 86_400_000).toISOString(),
      'next tuesday',
    ]) {
      const refused = await api.call('POST', '/v1/admin/api_keys', {
        token: owner.secret,
        body: { kind: 'secret', expires_at },
      })
      expect(refused.status, expires_at).toBe(422)
      expect(refused.json.errors[0].path).toBe('expires_at')
    }
  })

  it('rotates a key: a new one like it, the old one working for the overlap, then expired', async () => {
    const owner = await api.party('venue')
    const original = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'publishable', name: 'galeri', allowed_origins: ['https://galeri.example'] },
    })
    const id = original.json.api_key.id
    const before = Date.now()
    const rotated = await api.call('POST', `/v1/admin/api_keys/${id}/rotate`, {
      token: owner.secret,
      idempotencyKey: 'rotate-galeri-1',
    })
    expect(rotated.status).toBe(200)
    expect(rotated.json.api_key).toMatchObject({
      kind: 'publishable',
      name: 'galeri',
      allowed_origins: ['https://galeri.example'],
      expires_at: null,
      replaced_by: null,
    })
    expect(rotated.json.token).toMatch(/^pk_/)
    expect(rotated.json.token).not.toBe(original.json.token)
    expect(rotated.json.replaced).toMatchObject({ id, replaced_by: rotated.json.api_key.id })
    // Default overlap: 24 hours, during which both keys read the store.
    const ends = Date.parse(rotated.json.replaced.expires_at)
    expect(ends - before).toBeGreaterThanOrEqual(86_400_000 - 1000)
    expect(ends - before).toBeLessThanOrEqual(86_400_000 + 60_000)
    for (const token of [original.json.token, rotated.json.token]) {
      expect((await api.call('GET', '/v1/store/products', { token })).status).toBe(200)
    }
    // A retry with the same Idempotency-Key gets the same answer, not a third key.
    const retried = await api.call('POST', `/v1/admin/api_keys/${id}/rotate`, {
      token: owner.secret,
      idempotencyKey: 'rotate-galeri-1',
    })
    expect(retried.json.token).toBe(rotated.json.token)
    // Rotating it again is a conflict: the new key is the one to rotate.
    const twice = await api.call('POST', `/v1/admin/api_keys/${id}/rotate`, { token: owner.secret })
    expect(twice.status).toBe(409)
    expect(twice.json.detail).toContain('already rotated')

    // Overlap 0: the old secret key stops at once, with a 401 saying it expired.
    const secret = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'secret', role: 'owner', name: 'till' },
    })
    const now = await api.call('POST', `/v1/admin/api_keys/${secret.json.api_key.id}/rotate`, {
      token: owner.secret,
      body: { overlap_seconds: 0 },
    })
    expect(now.status).toBe(200)
    expect(now.json.api_key).toMatchObject({ role: 'owner', name: 'till' })
    const old = await api.call('GET', '/v1/admin/party', { token: secret.json.token })
    expect(old.status).toBe(401)
    expect(old.json.detail).toContain('expired')
    expect((await api.call('GET', '/v1/admin/party', { token: now.json.token })).status).toBe(200)
    const expiredAgain = await api.call(
      'POST',
      `/v1/admin/api_keys/${now.json.api_key.id}/rotate`,
      { token: owner.secret, body: { overlap_seconds: 0 } },
    )
    expect(expiredAgain.status).toBe(200)
    // The list shows which key replaced which.
    const listed = await api.call('GET', '/v1/admin/api_keys', { token: owner.secret })
    const byId = new Map(listed.json.data.map((k: { id: string }) => [k.id, k]))
    expect(byId.get(id)).toMatchObject({ replaced_by: rotated.json.api_key.id })
    expect(byId.get(secret.json.api_key.id)).toMatchObject({ replaced_by: now.json.api_key.id })
  })

  it("refuses to rotate revoked keys (409), others' keys (404) and overlaps out of bounds (422)", async () => {
    const owner = await api.party()
    const stranger = await api.party()
    const spare = await api.call('POST', '/v1/admin/api_keys', {
      token: owner.secret,
      body: { kind: 'secret' },
    })
    const id = spare.json.api_key.id
    for (const overlap_seconds of [-1, 30 * 86_400 + 1, 1.5]) {
      const bad = await api.call('POST', `/v1/admin/api_keys/${id}/rotate`, {
        token: owner.secret,
        body: { overlap_seconds },
      })
      expect(bad.status, String(overlap_seconds)).toBe(422)
      expect(bad.json.errors[0].path).toBe('overlap_seconds')
    }
    const theirs = await api.call('POST', `/v1/admin/api_keys/${id}/rotate`, {
      token: stranger.secret,
    })
    expect(theirs.status).toBe(404)
    await api.call('POST', `/v1/admin/api_keys/${id}/revoke`, { token: owner.secret })
    const revoked = await api.call('POST', `/v1/admin/api_keys/${id}/rotate`, {
      token: owner.secret,
    })
    expect(revoked.status).toBe(409)
    expect(revoked.json.detail).toContain('revoked')
    // A staff key may not rotate keys.
    const staff = await api.party('producer', { role: 'staff' })
    const [own] = (await api.call('GET', '/v1/admin/api_keys', { token: owner.secret })).json.data
    expect(
      (await api.call('POST', `/v1/admin/api_keys/${own.id}/rotate`, { token: staff.secret }))
        .status,
    ).toBe(403)
  })
})
