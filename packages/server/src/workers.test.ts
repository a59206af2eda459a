import { ManualClock } from '@mitra/core'
import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { useTestApi } from './test-support.js'
import { startWorkers } from './workers.js'

describe.each(testDatabaseKinds())('background workers on %s', (kind) => {
  const api = useTestApi(kind)

  it('release an expired checkout hold once, even with several instances running', async () => {
    const { producer, venue, variantId } = await api.partnership({
      title: 'Topeng kayu',
      category: 'masks',
      sku: 'TPG-1',
      price: 250_000,
    })
    await api.deliver(producer, venue, variantId, 2)
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
