import { sampleKit } from '@mitra/branding/testing'
import { sampleTerms } from '@mitra/consignment/testing'
import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { type TestParty, useTestApi } from '../test-support.js'

describe.each(testDatabaseKinds())('the store directory on %s', (kind) => {
  const api = useTestApi(kind)
  let serial = 0
  const unique = () => `${Date.now().toString(36)}${(serial++).toString(36)}`

  async function kit(party: TestParty, name: string, overrides: Record<string, unknown> = {}) {
    const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${unique()}`
    const saved = await api.call('PUT', '/v1/admin/brand_kit', {
      token: party.secret,
      body: sampleKit({ name, slug, ...overrides }),
    })
    expect(saved.status).toBe(200)
    return slug
  }

  /** A second venue's agreement with `producer`, in force. */
  async function agreement(producer: TestParty, venue: TestParty) {
    const drafted = await api.call('POST', '/v1/admin/agreements', {
      token: venue.secret,
      body: { counterparty_id: producer.id, terms: sampleTerms },
    })
    const sent = await api.call('POST', `/v1/admin/agreements/${drafted.json.id}/send`, {
      token: venue.secret,
    })
    for (const side of [producer, venue]) {
      await api.call('POST', `/v1/admin/agreements/${drafted.json.id}/accept`, {
        token: side.secret,
        body: { version: 1, terms_hash: sent.json.versions[0].terms_hash },
      })
    }
  }

  async function productOf(variantId: string, token: string) {
    const listed = await api.call('GET', '/v1/store/products?limit=100', { token })
    return listed.json.data.find((p: { variants: { id: string }[] }) =>
      p.variants.some((v) => v.id === variantId),
    ).id as string
  }

  it('lists the producers’ brands with their village and the cluster’s collective mark', async () => {
    const { producer, variantId } = await api.partnership()
    const cluster = await api.party('cluster')
    await api.clusterMember(cluster, producer)
    const clusterSlug = await kit(cluster, 'Desa Vokasi')
    const slug = await kit(producer, 'Batik Sekar')
    // A producer with a kit but nothing active is not shown; nor one without a kit.
    const idle = await api.party('producer')
    await kit(idle, 'Belum Jualan')
    const { producer: noKit } = await api.partnership()

    const all = await api.call('GET', '/v1/store/brands?limit=100', {
      token: (await api.party('venue')).publishable,
    })
    expect(all.status).toBe(200)
    const slugs = all.json.data.map((b: { slug: string }) => b.slug)
    expect(slugs).toContain(slug)
    expect(all.json.data.map((b: { producer_id: string }) => b.producer_id)).not.toContain(idle.id)
    expect(all.json.data.map((b: { producer_id: string }) => b.producer_id)).not.toContain(noKit.id)
    const brand = all.json.data.find((b: { slug: string }) => b.slug === slug)
    expect(brand).toMatchObject({
      name: 'Batik Sekar',
      producer_id: producer.id,
      origin: { village: 'Gemawang', regency: 'Kabupaten Semarang' },
      color: '#1f3a5f',
      logo: null,
      clusters: [{ slug: clusterSlug, name: 'Desa Vokasi', logo: null }],
    })

    // Only the cluster's members; only the key's channel.
    const members = await api.call('GET', `/v1/store/brands?cluster=${clusterSlug}`, {
      token: producer.publishable,
    })
    expect(members.json.data.map((b: { slug: string }) => b.slug)).toEqual([slug])
    const other = await api.call('GET', '/v1/store/brands', { token: noKit.publishable })
    expect(other.json.data).toEqual([])

    // The brand itself shows the collective mark beside its own.
    const own = await api.call('GET', `/v1/store/brands/${slug}`, { token: producer.publishable })
    expect(own.json.clusters).toEqual([
      { slug: clusterSlug, name: 'Desa Vokasi', tagline: expect.any(Object), logo: null },
    ])
    const ofCluster = await api.call('GET', `/v1/store/brands/${clusterSlug}`, {
      token: producer.publishable,
    })
    expect(ofCluster.json.clusters).toEqual([])
    expect(variantId).toMatch(/^var_/)
  })

  it('pages brands with a cursor', async () => {
    const venue = await api.party('venue')
    for (let i = 0; i < 3; i++) {
      const { producer } = await api.partnership()
      await kit(producer, `Merek ${i}`)
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { json: { data: { slug: string }[]; next_cursor: string | null } } =
        await api.call(
          'GET',
          `/v1/store/brands?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
          { token: venue.publishable },
        )
      expect(page.json.data.length).toBeLessThanOrEqual(2)
      seen.push(...page.json.data.map((b) => b.slug))
      cursor = page.json.next_cursor
    } while (cursor !== null)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.filter((s) => s.startsWith('merek-'))).toHaveLength(3)
  })

  it('says where a product is on a shelf now: each venue, its address, live units', async () => {
    const { producer, venue, variantId } = await api.partnership()
    const second = await api.party('venue')
    await agreement(producer, second)
    await api.deliver(producer, venue, variantId, 3)
    await api.deliver(producer, second, variantId, 2)
    await api.call('PATCH', '/v1/admin/party', {
      token: venue.secret,
      body: {
        profile: {
          description: { id: 'Kafe di <Banaran>', en: 'A café' },
          phone: '+62 812 3456 7890',
        },
      },
    })
    await api.call('PUT', '/v1/admin/partner_profile', {
      token: venue.secret,
      body: {
        location: {
          address: 'Jl. Raya Banaran No. 9',
          village: 'Banaran',
          regency: 'Kabupaten Semarang',
        },
        categories: ['batik'],
        seeking: { id: 'Batik' },
      },
    })
    const buyer = await api.party('buyer')
    const productId = await productOf(variantId, buyer.publishable)

    const where = await api.call('GET', `/v1/store/products/${productId}/availability`, {
      token: buyer.publishable,
    })
    expect(where.status).toBe(200)
    expect(where.headers.get('Cache-Control')).toBe('no-store')
    expect(where.json.product_id).toBe(productId)
    const byVenue = new Map(
      where.json.venues.map((v: { venue: { id: string } }) => [v.venue.id, v] as const),
    )
    expect(byVenue.get(venue.id)).toMatchObject({
      venue: {
        id: venue.id,
        description: { id: 'Kafe di <Banaran>', en: 'A café' },
        location: {
          address: 'Jl. Raya Banaran No. 9',
          village: 'Banaran',
          regency: 'Kabupaten Semarang',
          province: null,
        },
        phone: '+62 812 3456 7890',
        checkout: { currency: 'IDR', pickup: true, delivery_rate: null },
      },
      variants: [{ variant_id: variantId, available: 3, price: { amount: 15_000 } }],
    })
    expect(byVenue.get(second.id)).toMatchObject({
      venue: { location: { address: null } },
      variants: [{ variant_id: variantId, available: 2 }],
    })

    // A hold takes units off at once.
    const cart = await api.call('POST', '/v1/store/carts', { token: buyer.publishable })
    await api.call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
      token: buyer.publishable,
      body: { variant_id: variantId, venue_id: second.id, quantity: 2 },
    })
    await api.call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token: buyer.publishable,
      body: { fulfilment: 'pickup', customer: { name: 'Sari' }, provider: 'demo' },
    })
    const after = await api.call('GET', `/v1/store/products/${productId}/availability`, {
      token: buyer.publishable,
    })
    expect(after.json.venues.map((v: { venue: { id: string } }) => v.venue.id)).toEqual([venue.id])

    // A venue's key knows only its own shelf; another channel's product is a 404.
    const own = await api.call('GET', `/v1/store/products/${productId}/availability`, {
      token: second.publishable,
    })
    expect(own.json.venues).toEqual([])
    const stranger = await api.party('producer')
    expect(
      (
        await api.call('GET', `/v1/store/products/${productId}/availability`, {
          token: stranger.publishable,
        })
      ).status,
    ).toBe(404)
  })

  it('lists the venues selling a brand and shows one venue by id or slug', async () => {
    const { producer, venue, variantId } = await api.partnership()
    const slug = await kit(producer, 'Madu Hutan')
    await api.deliver(producer, venue, variantId, 1)
    const empty = await api.party('venue')
    const buyer = await api.party('buyer')

    const selling = await api.call('GET', `/v1/store/venues?brand=${slug}`, {
      token: buyer.publishable,
    })
    expect(selling.json.data.map((v: { id: string }) => v.id)).toEqual([venue.id])
    const all = await api.call('GET', '/v1/store/venues?limit=100', { token: buyer.publishable })
    const ids = all.json.data.map((v: { id: string }) => v.id)
    expect(ids).toContain(venue.id)
    expect(ids).not.toContain(empty.id)
    const unknownBrand = await api.call('GET', '/v1/store/venues?brand=no-such-brand', {
      token: buyer.publishable,
    })
    expect(unknownBrand.json.data).toEqual([])

    const party = await api.call('GET', '/v1/admin/party', { token: venue.secret })
    for (const key of [venue.id, party.json.slug]) {
      const one = await api.call('GET', `/v1/store/venues/${key}`, { token: buyer.publishable })
      expect(one.status).toBe(200)
      expect(one.json).toMatchObject({ id: venue.id, slug: party.json.slug, name: 'Test venue' })
    }
    // Not a venue, or another venue seen through a venue's own key: 404.
    for (const [key, token] of [
      [producer.id, buyer.publishable],
      ['no-such-venue', buyer.publishable],
      [venue.id, empty.publishable],
    ] as const) {
      expect((await api.call('GET', `/v1/store/venues/${key}`, { token })).status).toBe(404)
    }
    const itself = await api.call('GET', '/v1/store/venues?limit=100', { token: venue.publishable })
    expect(itself.json.data.map((v: { id: string }) => v.id)).toEqual([venue.id])
  })
})
