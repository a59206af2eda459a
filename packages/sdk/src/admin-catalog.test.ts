import { describe, expect, it } from 'vitest'
import type { BodyOf } from './index.js'
import { apiError, picture, sampleKit, useSdkAgainstServer } from './test-support.js'

/** Something unique in this database, for slugs and search words. */
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`

const batik = (
  sku: string,
  title = 'Batik tulis pewarna alami',
): BodyOf<'/v1/admin/products', 'post'> => ({
  title: { id: title, en: 'Hand-drawn batik, natural dye' },
  description: { id: 'Kain katun, motif kopi Gemawang' },
  category: 'batik',
  materials: ['katun', 'indigo'],
  tags: ['gemawang'],
  origin: { village: 'Gemawang', regency: 'Kabupaten Semarang' },
  variants: [
    {
      sku,
      options: { size: '2m' },
      weight_grams: 300,
      price: { amount: 350_000, currency: 'IDR' },
    },
  ],
})

describe('the admin catalogue through the SDK', () => {
  const api = useSdkAgainstServer()
  /** A client with a secret key alone (a party onboarded here, the platform operator). */
  const withSecret = (secret: string) => api.clientFor({ secret })

  it('apiKeys: creates, pages, revokes; refuses bad origins, others’ keys and staff', async () => {
    const owner = await api.party('venue')
    const mitra = api.clientFor(owner)
    const staffKey = await mitra.admin.apiKeys.create({
      kind: 'secret',
      role: 'staff',
      name: 'till at Kafe Banaran',
    })
    expect(staffKey.token).toMatch(/^sk_/)
    expect(staffKey.api_key).toMatchObject({
      object: 'api_key',
      party_id: owner.id,
      kind: 'secret',
      role: 'staff',
      name: 'till at Kafe Banaran',
      revoked_at: null,
    })
    // A secret key is shown once: listed, only its first characters.
    expect(staffKey.api_key.token).not.toBe(staffKey.token)
    const widget = await mitra.admin.apiKeys.create({
      kind: 'publishable',
      allowed_origins: ['https://galeri.example'],
    })
    expect(widget.api_key).toMatchObject({
      kind: 'publishable',
      role: 'staff',
      token: widget.token,
      allowed_origins: ['https://galeri.example'],
    })
    for (let i = 0; i < 2; i++) await mitra.admin.apiKeys.create({ kind: 'publishable' })

    // The party's own two keys and the four made here, across pages of two, each once.
    const first = await mitra.admin.apiKeys.list({ limit: 2 })
    expect(first.data).toHaveLength(2)
    expect(first.next_cursor).not.toBeNull()
    const keys = []
    for await (const key of mitra.admin.apiKeys.list({ limit: 2 })) keys.push(key)
    expect(keys).toHaveLength(6)
    expect(new Set(keys.map((k) => k.id)).size).toBe(6)
    expect(keys.map((k) => k.id)).toEqual(
      expect.arrayContaining([staffKey.api_key.id, widget.api_key.id]),
    )
    expect(JSON.stringify(keys)).not.toContain(staffKey.token)

    // The staff key works, but may not manage keys.
    const asStaff = withSecret(staffKey.token)
    expect((await asStaff.admin.party.get()).id).toBe(owner.id)
    expect(await apiError(asStaff.admin.apiKeys.list())).toMatchObject({
      status: 403,
      code: 'forbidden',
    })

    const revoked = await mitra.admin.apiKeys.revoke(staffKey.api_key.id)
    expect(revoked).toMatchObject({ id: staffKey.api_key.id, revoked_at: expect.any(String) })
    const listed = await mitra.admin.apiKeys.list({ limit: 100 })
    expect(listed.data.find((k) => k.id === staffKey.api_key.id)?.revoked_at).toBe(
      revoked.revoked_at,
    )
    expect(await apiError(asStaff.admin.party.get())).toMatchObject({
      status: 401,
      code: 'unauthorized',
    })

    const badOrigin = await apiError(
      mitra.admin.apiKeys.create({
        kind: 'publishable',
        allowed_origins: ['https://x.example/path'],
      }),
    )
    expect(badOrigin).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(badOrigin.errors.map((e) => e.path)).toEqual(['allowed_origins.0'])
    const other = await api.party('venue')
    const [theirKey] = (await api.clientFor(other).admin.apiKeys.list()).data
    const foreign = await apiError(mitra.admin.apiKeys.revoke(theirKey?.id as string))
    expect(foreign).toMatchObject({ status: 404, code: 'not_found' })
    expect((await api.clientFor(other).admin.party.get()).id).toBe(other.id)
    const badLimit = await apiError(mitra.admin.apiKeys.list({ limit: 0 }))
    expect(badLimit.errors[0]?.path).toBe('limit')
  })

  it('party: reads and updates your own party; names a taken or bad slug', async () => {
    const owner = await api.party('producer')
    const mitra = api.clientFor(owner)
    const self = await mitra.admin.party.get()
    expect(self).toMatchObject({ id: owner.id, kind: 'producer', name: 'Test producer' })
    const updated = await mitra.admin.party.update({
      name: 'Madu Gemawang',
      profile: { phone: '+62 812 3456 7890', origin: { village: 'Gemawang' } },
    })
    expect(updated).toMatchObject({ id: owner.id, name: 'Madu Gemawang' })
    expect(await mitra.admin.party.get()).toMatchObject({
      name: 'Madu Gemawang',
      slug: self.slug,
      profile: { phone: '+62 812 3456 7890', origin: { village: 'Gemawang' } },
    })

    const taken = (await api.clientFor(await api.party('venue')).admin.party.get()).slug
    const conflict = await apiError(mitra.admin.party.update({ slug: taken }))
    expect(conflict).toMatchObject({ status: 409, code: 'conflict' })
    expect(conflict.errors[0]?.path).toBe('slug')
    const bad = await apiError(mitra.admin.party.update({ slug: 'Not Valid' }))
    expect(bad).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(bad.errors.map((e) => e.path)).toEqual(['slug'])
    const staff = api.clientFor(await api.party('producer', { role: 'staff' }))
    expect((await apiError(staff.admin.party.update({ name: 'x' }))).status).toBe(403)
    expect((await mitra.admin.party.get()).slug).toBe(self.slug)
  })

  it('parties: the platform operator onboards, pages and reads parties; others may not', async () => {
    const platform = withSecret((await api.platformOwner()).secret)
    const onboarded = []
    for (let i = 0; i < 3; i++) {
      onboarded.push(
        await platform.admin.parties.create({
          kind: 'buyer',
          name: `Toko oleh-oleh ${i}`,
          slug: unique('toko'),
          profile: { email: `toko${i}@example.id` },
        }),
      )
    }
    const [made] = onboarded
    if (made === undefined) throw new Error('nothing onboarded')
    expect(made.party).toMatchObject({ kind: 'buyer', name: 'Toko oleh-oleh 0' })
    expect(made.secret_key).toMatch(/^sk_/)
    // The new party's first owner key works at once.
    const newcomer = withSecret(made.secret_key)
    expect(await newcomer.admin.party.get()).toMatchObject({ id: made.party.id, kind: 'buyer' })

    const page = await platform.admin.parties.list({ kind: 'buyer', limit: 2 })
    expect(page.data).toHaveLength(2)
    expect(page.data.every((p) => p.kind === 'buyer')).toBe(true)
    const buyers = await platform.admin.parties.list({ kind: 'buyer', limit: 2 }).toArray()
    expect(buyers.map((p) => p.id)).toEqual(
      expect.arrayContaining(onboarded.map((o) => o.party.id)),
    )
    expect(new Set(buyers.map((p) => p.id)).size).toBe(buyers.length)
    expect(await platform.admin.parties.get(made.party.id)).toMatchObject({
      id: made.party.id,
      profile: { email: 'toko0@example.id' },
    })

    const slugTaken = await apiError(
      platform.admin.parties.create({ kind: 'buyer', name: 'Again', slug: made.party.slug }),
    )
    expect(slugTaken).toMatchObject({ status: 409 })
    expect(slugTaken.errors[0]?.path).toBe('slug')
    const badSlug = await apiError(
      platform.admin.parties.create({ kind: 'buyer', name: 'X', slug: 'Not Valid' }),
    )
    expect(badSlug).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(badSlug.errors[0]?.path).toBe('slug')

    const venue = api.clientFor(await api.party('venue'))
    const refused = await apiError(
      venue.admin.parties.create({ kind: 'venue', name: 'X', slug: unique('x') }),
    )
    expect(refused.status).toBe(403)
    expect((await apiError(venue.admin.parties.list())).status).toBe(403)
    expect(await apiError(venue.admin.parties.get(made.party.id))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    const own = await venue.admin.party.get()
    expect((await venue.admin.parties.get(own.id)).id).toBe(own.id)
  })

  it('clusterMembers: a cluster invites, the groups join, and only producers', async () => {
    const clusterParty = await api.party('cluster')
    const cluster = api.clientFor(clusterParty)
    const producers = [await api.party('producer'), await api.party('producer')]
    const invited = await cluster.admin.clusterMembers.add({
      producer_id: producers[0]?.id as string,
    })
    expect(invited).toMatchObject({
      producer_id: producers[0]?.id,
      status: 'invited',
      joined_at: null,
    })
    expect((await cluster.admin.clusterMembers.requests()).data).toHaveLength(1)
    const first = api.clientFor(producers[0] as (typeof producers)[number])
    const joined = await first.admin.clusters.join(clusterParty.id)
    expect(joined).toMatchObject({ status: 'member', joined_at: expect.any(String) })
    // The second group asks first; the cluster's invitation then makes it a member.
    const second = api.clientFor(producers[1] as (typeof producers)[number])
    expect((await second.admin.clusters.join(clusterParty.id)).status).toBe('requested')
    await cluster.admin.clusterMembers.add({ producer_id: producers[1]?.id as string })
    const members = await cluster.admin.clusterMembers.list()
    expect(members.object).toBe('list')
    expect(members.data.map((p) => p.id).sort()).toEqual(producers.map((p) => p.id).sort())
    expect(members.data.every((p) => p.kind === 'producer')).toBe(true)

    expect(await cluster.admin.clusterMembers.remove(producers[0]?.id as string)).toEqual({
      removed: true,
    })
    expect((await cluster.admin.clusterMembers.list()).data.map((p) => p.id)).toEqual([
      producers[1]?.id,
    ])
    expect(await cluster.admin.clusterMembers.remove(producers[0]?.id as string)).toEqual({
      removed: false,
    })

    const venue = await api.party('venue')
    const notProducer = await apiError(cluster.admin.clusterMembers.add({ producer_id: venue.id }))
    expect(notProducer.status).toBe(422)
    expect(notProducer.code).toBe('wrong_party_kind')
    const badId = await apiError(cluster.admin.clusterMembers.add({ producer_id: 'pty_nope' }))
    expect(badId.errors[0]?.path).toBe('producer_id')
    const notCluster = api.clientFor(venue).admin.clusterMembers
    expect(
      (await apiError(notCluster.add({ producer_id: producers[1]?.id as string }))).status,
    ).toBe(403)
    expect((await apiError(notCluster.list())).status).toBe(403)
  })

  it('users: adds people with roles, reusing a user across parties; refuses twice and bad email', async () => {
    const gallery = api.clientFor(await api.party('venue'))
    const cafe = api.clientFor(await api.party('venue'))
    const email = `${unique('sri')}@example.id`
    const first = await gallery.admin.users.add({ email, name: 'Sri', role: 'staff' })
    expect(first.user).toMatchObject({ email, name: 'Sri' })
    expect(first.membership).toMatchObject({ role: 'staff', user_id: first.user.id })
    const second = await cafe.admin.users.add({
      email: email.toUpperCase(),
      name: 'Sri',
      role: 'owner',
    })
    expect(second.user.id).toBe(first.user.id)
    expect(second.membership.role).toBe('owner')

    const listed = await gallery.admin.users.list()
    expect(listed).toMatchObject({
      object: 'list',
      data: [{ user: { id: first.user.id }, membership: { role: 'staff' } }],
    })
    expect((await cafe.admin.users.list()).data.map((m) => m.membership.role)).toEqual(['owner'])

    const twice = await apiError(gallery.admin.users.add({ email, name: 'Sri', role: 'owner' }))
    expect(twice.status).toBe(409)
    const badEmail = await apiError(
      gallery.admin.users.add({ email: 'nope', name: 'Sri', role: 'staff' }),
    )
    expect(badEmail).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(badEmail.errors.map((e) => e.path)).toEqual(['email'])
    const staff = api.clientFor(await api.party('venue', { role: 'staff' }))
    expect(
      (await apiError(staff.admin.users.add({ email, name: 'Sri', role: 'staff' }))).status,
    ).toBe(403)
    expect((await gallery.admin.users.list()).data).toHaveLength(1)
  })

  it('products and variants: create, read, update, publish, page, vary and picture a product', async () => {
    const maker = await api.party('producer', { role: 'staff' })
    const mitra = api.clientFor(maker)
    const word = unique('motif')
    const created = await mitra.admin.products.create(batik('BTK-001-M', `Batik ${word}`))
    expect(created).toMatchObject({
      status: 'draft',
      producer_id: maker.id,
      category: 'batik',
      materials: ['katun', 'indigo'],
      origin: { village: 'Gemawang', regency: 'Kabupaten Semarang', district: null },
      variants: [{ sku: 'BTK-001-M', options: { size: '2m' }, price: { amount: 350_000 } }],
    })
    const id = created.id

    const patched = await mitra.admin.products.update(id, {
      tags: ['indigo', 'tulis'],
      description: { id: 'Kain katun', en: 'Cotton cloth' },
    })
    expect(patched.tags).toEqual(['indigo', 'tulis'])
    const published = await mitra.admin.products.setStatus(id, { status: 'active' })
    expect(published.status).toBe('active')

    const larger = await mitra.admin.products.addVariant(id, {
      sku: 'BTK-001-L',
      options: { size: '2.5m' },
      weight_grams: 380,
      price: { amount: 420_000, currency: 'IDR' },
    })
    expect(larger).toMatchObject({ product_id: id, sku: 'BTK-001-L', weight_grams: 380 })
    const repriced = await mitra.admin.variants.update(larger.id, {
      price: { amount: 400_000, currency: 'IDR' },
      weight_grams: 390,
    })
    expect(repriced).toMatchObject({ id: larger.id, price: { amount: 400_000 }, weight_grams: 390 })

    const photo = await mitra.admin.media.upload(
      await picture(640, 480, '#7a4b2a', 'jpeg'),
      'kain.jpg',
    )
    const detail = await mitra.admin.media.upload(
      await picture(480, 640, '#2a4b7a', 'png'),
      'motif.png',
    )
    const media = await mitra.admin.products.setMedia(id, {
      media: [
        { media_id: detail.id, alt: { id: 'Detail motif' } },
        { media_id: photo.id, alt: { id: 'Kain batik', en: 'Batik cloth' } },
      ],
    })
    expect(media.media).toEqual([
      { media_id: detail.id, position: 0, alt: { id: 'Detail motif', en: null } },
      { media_id: photo.id, position: 1, alt: { id: 'Kain batik', en: 'Batik cloth' } },
    ])

    const fetched = await mitra.admin.products.get(id)
    expect(fetched).toMatchObject({
      status: 'active',
      tags: ['indigo', 'tulis'],
      description: { id: 'Kain katun', en: 'Cotton cloth' },
      media: [{ media_id: detail.id }, { media_id: photo.id }],
    })
    expect(fetched.variants.map((v) => [v.sku, v.price?.amount])).toEqual([
      ['BTK-001-M', 350_000],
      ['BTK-001-L', 400_000],
    ])
    // The store shows the pictures in that order.
    const shown = await mitra.store.products.get(id)
    expect(shown.images.map((image) => image.media_id)).toEqual([detail.id, photo.id])

    const removed = await mitra.admin.variants.delete(larger.id)
    expect(removed).toEqual({ id: larger.id, deleted: true })
    expect((await mitra.admin.products.get(id)).variants.map((v) => v.sku)).toEqual(['BTK-001-M'])

    // Five more drafts: pages of two, newest first, each once; filters by status and words.
    const drafts = []
    for (let i = 0; i < 5; i++)
      drafts.push((await mitra.admin.products.create(batik(`BTK-${i}`))).id)
    const all = []
    for await (const product of mitra.admin.products.list({ limit: 2 })) all.push(product.id)
    expect(all).toHaveLength(6)
    expect(all.slice(0, 5)).toEqual([...drafts].reverse())
    expect(all[5]).toBe(id)
    const draftsOnly = await mitra.admin.products.list({ status: 'draft', limit: 2 }).toArray()
    expect(draftsOnly.map((p) => p.id).sort()).toEqual([...drafts].sort())
    expect((await mitra.admin.products.list({ q: word })).data.map((p) => p.id)).toEqual([id])
  })

  it('products and variants: 404 for another producer’s, 422 naming the field, 409 for conflicts', async () => {
    const mine = api.clientFor(await api.party('producer'))
    const theirs = api.clientFor(await api.party('producer'))
    const product = await theirs.admin.products.create(batik('THEIRS-1'))
    const variantId = product.variants[0]?.id as string
    const theirPhoto = await theirs.admin.media.upload(await picture(300, 200, '#3c6e47', 'jpeg'))
    for (const call of [
      mine.admin.products.get(product.id),
      mine.admin.products.update(product.id, { tags: ['x'] }),
      mine.admin.products.setStatus(product.id, { status: 'active' }),
      mine.admin.products.addVariant(product.id, { sku: 'NEW-1', weight_grams: 1 }),
      mine.admin.products.setMedia(product.id, { media: [] }),
      mine.admin.variants.update(variantId, { weight_grams: 1 }),
      mine.admin.variants.delete(variantId),
    ]) {
      expect(await apiError(call)).toMatchObject({ status: 404, code: 'not_found' })
    }
    const untouched = await theirs.admin.products.get(product.id)
    expect(untouched).toMatchObject({ status: 'draft', tags: ['gemawang'] })
    expect(untouched.variants).toHaveLength(1)
    // Another producer's picture cannot go on my product.
    const own = await mine.admin.products.create(batik('MINE-1'))
    const borrowed = await apiError(
      mine.admin.products.setMedia(own.id, { media: [{ media_id: theirPhoto.id }] }),
    )
    expect(borrowed.status).toBe(404)

    const floatPrice = await apiError(
      mine.admin.products.create({
        ...batik('FLOAT-1'),
        variants: [{ sku: 'FLOAT-1', weight_grams: 1, price: { amount: 1.5, currency: 'IDR' } }],
      }),
    )
    expect(floatPrice).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(floatPrice.errors.map((e) => e.path)).toEqual(['variants.0.price.amount'])
    const negative = await apiError(
      mine.admin.variants.update(own.variants[0]?.id as string, { weight_grams: -5 }),
    )
    expect(negative.errors.map((e) => e.path)).toEqual(['weight_grams'])
    const badStatus = await apiError(mine.admin.products.list({ limit: 1000 }))
    expect(badStatus.errors[0]?.path).toBe('limit')

    const duplicate = await apiError(mine.admin.products.create(batik('MINE-1')))
    expect(duplicate.status).toBe(409)
    expect(duplicate.errors[0]?.path).toContain('sku')
    const sameSku = await apiError(
      mine.admin.products.addVariant(own.id, { sku: 'MINE-1', weight_grams: 1 }),
    )
    expect(sameSku.status).toBe(409)
    // The least a product needs; what it lacks for sale keeps it a draft.
    const bare = await mine.admin.products.create({
      title: { id: 'Batik polos' },
      category: 'batik',
    })
    expect(bare).toMatchObject({
      status: 'draft',
      variants: [],
      media: [],
      materials: [],
      tags: [],
    })
    const incomplete = await apiError(mine.admin.products.setStatus(bare.id, { status: 'active' }))
    expect(incomplete).toMatchObject({ status: 409, code: 'product_incomplete' })
    expect((await mine.admin.products.get(bare.id)).status).toBe('draft')
  })

  it('partners: publishes a profile, pages the directory by regency, reads one; hides the unlisted', async () => {
    const regency = `Kabupaten ${unique('Uji')}`
    const venues = [await api.party('venue'), await api.party('venue'), await api.party('venue')]
    for (const [i, venue] of venues.entries()) {
      const profile = await api.clientFor(venue).admin.partners.setProfile({
        location: { village: `Desa ${i}`, regency, province: 'Jawa Tengah' },
        categories: ['batik', 'snacks', 'batik'],
        seeking: { id: 'Mencari batik dan camilan lokal', en: 'Looking for batik and snacks' },
        listed: true,
      })
      expect(profile).toMatchObject({
        party: { id: venue.id, kind: 'venue' },
        location: { regency },
        categories: ['batik', 'snacks'],
        listed: true,
      })
    }
    const producer = api.clientFor(await api.party('producer'))
    const page = await producer.admin.partners.list({ regency, limit: 2 })
    expect(page.data).toHaveLength(2)
    const found = []
    for await (const partner of producer.admin.partners.list({
      kind: 'venue',
      category: 'batik',
      regency: regency.replace('Kabupaten', 'Kab.'),
      limit: 2,
    })) {
      found.push(partner.party.id)
    }
    expect(found.sort()).toEqual(venues.map((v) => v.id).sort())
    expect((await producer.admin.partners.list({ regency, category: 'honey' })).data).toEqual([])
    const one = await producer.admin.partners.get(venues[0]?.id as string)
    expect(one).toMatchObject({
      party: { id: venues[0]?.id },
      location: { village: 'Desa 0', regency },
      seeking: { en: 'Looking for batik and snacks' },
    })

    // Unlisted: gone from the directory and a 404 to others, still there for its own party.
    const hidden = api.clientFor(venues[1] as (typeof venues)[number])
    await hidden.admin.partners.setProfile({
      location: { regency },
      seeking: { id: 'Sedang penuh' },
      listed: false,
    })
    expect(await apiError(producer.admin.partners.get(venues[1]?.id as string))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    expect((await hidden.admin.partners.get(venues[1]?.id as string)).listed).toBe(false)
    expect(
      (await producer.admin.partners.list({ regency }).toArray()).map((p) => p.party.id),
    ).not.toContain(venues[1]?.id)

    const saysNothing = await apiError(
      producer.admin.partners.setProfile({ location: { regency }, seeking: {} }),
    )
    expect(saysNothing).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(saysNothing.errors.map((e) => e.path)).toEqual(['seeking'])
    const cluster = api.clientFor(await api.party('cluster'))
    const notListed = await apiError(
      cluster.admin.partners.setProfile({ location: { regency }, seeking: { id: 'x' } }),
    )
    expect(notListed.status).toBe(403)
  })

  it('brandKit: saves and versions a kit, reads it back; refuses poor contrast and a taken slug', async () => {
    const owner = api.clientFor(await api.party('producer'))
    const missing = await apiError(owner.admin.brandKit.get())
    expect(missing).toMatchObject({ status: 404, code: 'not_found' })
    const slug = unique('gemawangi')
    const saved = await owner.admin.brandKit.set(sampleKit({ slug }))
    expect(saved).toMatchObject({ object: 'brand_kit', slug, name: 'Batik Gemawangi', version: 1 })
    const resaved = await owner.admin.brandKit.set(sampleKit({ slug, name: 'Gemawangi' }))
    expect(resaved.version).toBe(2)
    expect(await owner.admin.brandKit.get()).toMatchObject({
      id: saved.id,
      name: 'Gemawangi',
      version: 2,
    })

    const unreadable = await apiError(
      owner.admin.brandKit.set(
        sampleKit({ slug, palette: { ...sampleKit().palette, text: '#DDDDDD' } }),
      ),
    )
    expect(unreadable).toMatchObject({ status: 422, code: 'palette_contrast' })
    expect(unreadable.errors[0]?.path).toBe('palette.text')
    const other = api.clientFor(await api.party('producer'))
    const taken = await apiError(other.admin.brandKit.set(sampleKit({ slug })))
    expect(taken.status).toBe(409)
    expect(taken.errors[0]?.path).toBe('slug')
    const staff = api.clientFor(await api.party('producer', { role: 'staff' }))
    expect(
      (await apiError(staff.admin.brandKit.set(sampleKit({ slug: unique('staff') })))).status,
    ).toBe(403)
    expect((await owner.admin.brandKit.get()).version).toBe(2)
  })

  it('media: uploads a real JPEG and PNG, reads them back; refuses other files and others’ media', async () => {
    const owner = await api.party('producer')
    const mitra = api.clientFor(owner)
    const jpeg = await picture(1200, 800, '#8a5a2b', 'jpeg')
    const uploaded = await mitra.admin.media.upload(jpeg, 'kain.jpg')
    expect(uploaded).toMatchObject({ object: 'media_asset', width: 1200, height: 800 })
    expect(uploaded.id).toMatch(/^med_/)
    expect(uploaded.sources.img.src).toMatch(/^\/media\//)
    expect(uploaded.sources.sources.map((s) => s.type)).toEqual(['image/avif', 'image/webp'])
    // The same bytes again are the same asset.
    expect((await mitra.admin.media.upload(jpeg, 'again.jpg')).id).toBe(uploaded.id)
    const png = await mitra.admin.media.upload(
      await picture(300, 300, '#123456', 'png'),
      'logo.png',
    )
    expect(png).toMatchObject({ width: 300, height: 300 })
    expect(png.id).not.toBe(uploaded.id)
    expect(await mitra.admin.media.get(uploaded.id)).toMatchObject({
      id: uploaded.id,
      width: 1200,
      dominant_color: uploaded.dominant_color,
    })
    const served = await api.app().request(uploaded.sources.img.src)
    expect(served.headers.get('Content-Type')).toBe('image/jpeg')

    const text = new Blob(['<html>not a photo</html>'], { type: 'image/jpeg' })
    const disguised = await apiError(mitra.admin.media.upload(text, 'batik.jpg'))
    expect(disguised).toMatchObject({ status: 415, code: 'unsupported_media_type' })
    const other = api.clientFor(await api.party('producer'))
    expect(await apiError(other.admin.media.get(uploaded.id))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    expect((await apiError(mitra.admin.media.get('not-a-media-id'))).errors[0]?.path).toBe('id')
  })
})
