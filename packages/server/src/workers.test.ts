import { sampleTerms } from '@mitra/consignment/testing'
import { ManualClock } from '@mitra/core'
import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { useTestApi } from './test-support.js'
import { startWorkers } from './workers.js'

describe.each(testDatabaseKinds())('background workers on %s', (kind) => {
  const api = useTestApi(kind)

  it('release an expired checkout hold once, even with several instances running', async () => {
    const producer = await api.party('producer')
    const venue = await api.party('venue')
    const product = (
      await api.call('POST', '/v1/admin/products', {
        token: producer.secret,
        body: {
          title: { id: 'Topeng kayu' },
          category: 'masks',
          variants: [
            {
              sku: 'TPG-1',
              options: {},
              weight_grams: 500,
              price: { amount: 250000, currency: 'IDR' },
            },
          ],
        },
      })
    ).json
    await api.call('POST', `/v1/admin/products/${product.id}/status`, {
      token: producer.secret,
      body: { status: 'active' },
    })
    const drafted = await api.call('POST', '/v1/admin/agreements', {
      token: producer.secret,
      body: { counterparty_id: venue.id, terms: sampleTerms },
    })
    const sent = await api.call('POST', `/v1/admin/agreements/${drafted.json.id}/send`, {
      token: producer.secret,
    })
    for (const side of [producer, venue]) {
      await api.call('POST', `/v1/admin/agreements/${drafted.json.id}/accept`, {
        token: side.secret,
        body: { version: 1, terms_hash: sent.json.versions[0].terms_hash },
      })
    }
    const variantId = product.variants[0].id
    const note = await api.call('POST', '/v1/admin/deliveries', {
      token: producer.secret,
      body: {
        venue_id: venue.id,
        note_number: 'SJ-W1',
        lines: [{ variant_id: variantId, quantity: 2 }],
      },
    })
    await api.call('POST', `/v1/admin/deliveries/${note.json.id}/receive`, {
      token: venue.secret,
      body: { lines: [{ variant_id: variantId, quantity: 2 }] },
    })
    const held = await api.call('POST', '/v1/admin/reservations', {
      token: venue.secret,
      body: {
        venue_id: venue.id,
        ttl_seconds: 60,
        lines: [{ variant_id: variantId, quantity: 2 }],
      },
    })
    expect(held.status).toBe(201)
    const { db } = api.database()
    const clock = new ManualClock(Date.now())
    const early = startWorkers(db, { clock })
    expect((await early.runOnce()).released).toBe(0) // not yet expired
    early.stop()

    clock.advance(61_000)
    const instances = [1, 2, 3].map(() => startWorkers(db, { clock }))
    const passes = await Promise.all(instances.map((w) => w.runOnce()))
    for (const w of instances) w.stop()
    expect(passes.reduce((sum, pass) => sum + pass.released, 0)).toBe(1)
    const after = await api.call('GET', `/v1/admin/reservations/${held.json.id}`, {
      token: venue.secret,
    })
    expect(after.json.status).toBe('expired')
    const available = await api.call('GET', `/v1/store/venues/${venue.id}/available`, {
      token: venue.publishable,
    })
    expect(available.json.data[0].available).toBe(2)
  })
})
