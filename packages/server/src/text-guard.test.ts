import { maxAmount } from '@mitra/core'
import { testDatabaseKinds } from '@mitra/db/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { useTestApi } from './test-support.js'
import { unstorableFields, unstorableText } from './text-guard.js'

describe('unstorable text', () => {
  it('accepts any well-formed text without NUL, and refuses it with a NUL or a lone surrogate anywhere', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\u0000')),
        fc.nat(),
        fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff'),
        (text, at, bad) => {
          expect(unstorableText(text)).toBeUndefined()
          const cut = at % (text.length + 1)
          // Not between the halves of a pair: that would make a new, valid pair.
          const before = text.slice(0, cut)
          if (/[\ud800-\udbff]$/.test(before)) return
          expect(unstorableText(before + bad + text.slice(cut))).toBeDefined()
        },
      ),
    )
  })

  it('names every place in a JSON value, keys included', () => {
    const found = unstorableFields({ a: ['ok', 'x\u0000'], 'k\ud800': 1, b: { c: '\udfffz' } })
    expect(found.map((e) => e.path)).toEqual(['a.1', 'k\ud800', 'b.c'])
    expect(unstorableFields('\u0000').map((e) => e.path)).toEqual(['body'])
  })
})

describe.each(testDatabaseKinds())('input the database cannot hold, on %s', (kind) => {
  const api = useTestApi(kind)

  it('refuses a NUL in a body, a query or a path with a 422 naming where, and stores nothing', async () => {
    const platform = await api.platformOwner()
    const before = await api.call('GET', '/v1/admin/parties?limit=100', { token: platform.secret })
    const refused = await api.call('POST', '/v1/admin/parties', {
      token: platform.secret,
      body: { kind: 'producer', name: 'a\u0000b', slug: 'nul-maker' },
    })
    expect(refused.status).toBe(422)
    expect(refused.json.errors).toEqual([
      expect.objectContaining({ path: 'name', code: 'invalid_text' }),
    ])
    const after = await api.call('GET', '/v1/admin/parties?limit=100', { token: platform.secret })
    expect(after.json.data).toHaveLength(before.json.data.length)

    const shop = await api.party('producer')
    const query = await api.call('GET', '/v1/store/products?brand=%00', { token: shop.publishable })
    expect(query.status).toBe(422)
    expect(query.json.errors[0].path).toBe('brand')
    const path = await api.call('GET', '/v1/admin/products/prod%00x', { token: shop.secret })
    expect(path.status).toBe(422)
    expect(path.json.errors[0].path).toBe('path')
    expect(api.logged).toEqual([])
  })

  it('refuses a lone surrogate in a JSON string', async () => {
    const venue = await api.party('venue')
    const refused = await api.call('PUT', '/v1/admin/partner_profile', {
      token: venue.secret,
      body: '{"location":{"village":"\\ud800x"},"categories":["batik"]}',
      headers: { 'Content-Type': 'application/json' },
    })
    expect(refused.status).toBe(422)
    expect(refused.json.errors[0]).toMatchObject({ path: 'location.village', code: 'invalid_text' })
  })

  it('names an unknown field itself, and the body when it is not an object', async () => {
    const platform = await api.platformOwner()
    const unknown = await api.call('POST', '/v1/admin/parties', {
      token: platform.secret,
      body: { kind: 'producer', name: 'Ok', slug: 'unknown-field', colour: 'red' },
    })
    expect(unknown.status).toBe(422)
    expect(unknown.json.errors.map((e: { path: string }) => e.path)).toEqual(['colour'])
    const whole = await api.call('POST', '/v1/admin/parties', {
      token: platform.secret,
      body: 'null',
      headers: { 'Content-Type': 'application/json' },
    })
    expect(whole.status).toBe(422)
    expect(whole.json.errors[0].path).toBe('body')
  })

  it('names the id a 404 is about, and the key a 401 is about', async () => {
    const producer = await api.party('producer')
    const missing = await api.call('GET', `/v1/admin/products/prod_${'0'.repeat(26)}`, {
      token: producer.secret,
    })
    expect(missing.status).toBe(404)
    expect(missing.json.errors[0].path).toBe('id')
    const noKey = await api.call('GET', '/v1/admin/products')
    expect(noKey.status).toBe(401)
    expect(noKey.json.errors[0].path).toBe('authorization')
    const noRoute = await api.call('GET', '/v1/admin/nowhere', { token: producer.secret })
    expect(noRoute.status).toBe(404)
    expect(noRoute.json.errors[0].path).toBe('path')
  })

  it('bounds a delivery rate as the database does, so a checkout total stays a whole number', async () => {
    const venue = await api.party('venue')
    for (const amount of [-1, 2 ** 53 - 1, maxAmount + 1, 0.5]) {
      const refused = await api.call('PUT', '/v1/admin/checkout/settings', {
        token: venue.secret,
        body: { currency: 'IDR', pickup: true, delivery_rate: { amount, currency: 'IDR' } },
      })
      expect(refused.status, String(amount)).toBe(422)
      expect(refused.json.errors[0].path).toBe('delivery_rate.amount')
    }
    const largest = await api.call('PUT', '/v1/admin/checkout/settings', {
      token: venue.secret,
      body: {
        currency: 'IDR',
        pickup: true,
        delivery_rate: { amount: maxAmount, currency: 'IDR' },
      },
    })
    expect(largest.status).toBe(200)
    expect(largest.json.delivery_rate.amount).toBe(maxAmount)
    expect(api.logged).toEqual([])
  })
})
