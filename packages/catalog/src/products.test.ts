import { newId } from '@mitra/core'
import { productVariants } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import {
  addProductMedia,
  addVariant,
  createProduct,
  createProducts,
  getProduct,
  removeProductMedia,
  removeVariant,
  reorderProductMedia,
  setProductMedia,
  setProductStatus,
  updateProduct,
  updateVariant,
} from './products.js'
import { productSchema } from './schemas.js'
import type { Scope } from './scope.js'
import { batik, expectMitraError, mediaAsset, party, producer, sku } from './testing.js'

describe.each(testDatabaseKinds())('products on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('creates a draft product with variants and pictures, and reads it back', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const cover = await mediaAsset(db, scope.partyId)
    const detail = await mediaAsset(db, scope.partyId)
    const created = await createProduct(
      db,
      scope,
      batik({
        tags: ['Batik Tulis', 'indigo', 'INDIGO'],
        materials: ['katun', 'Katun', 'malam'],
        variants: [
          {
            sku: sku('BTK'),
            options: { size: 'M', colour: 'indigo' },
            weight_grams: 300,
            price: { amount: 250_000, currency: 'IDR' },
          },
          { sku: sku('BTK'), options: { size: 'L', colour: 'indigo' }, weight_grams: 320 },
        ],
        media: [
          { media_id: cover, alt: { id: 'Kain batik terbentang', en: 'Batik cloth spread out' } },
          { media_id: detail },
        ],
      }),
    )
    expect(created.id).toMatch(/^prod_/)
    expect(created).toMatchObject({
      producer_id: scope.partyId,
      status: 'draft',
      category: 'batik',
      title: { id: 'Kain batik tulis pewarna alami', en: 'Hand-drawn batik cloth, natural dye' },
      tags: ['batik tulis', 'indigo'],
      materials: ['katun', 'malam'],
      origin: { village: 'Gemawang', district: 'Jambu', province: 'Jawa Tengah' },
    })
    expect(created.variants).toHaveLength(2)
    expect(created.variants[0]).toMatchObject({
      options: { size: 'M', colour: 'indigo' },
      weight_grams: 300,
      price: { amount: 250_000, currency: 'IDR' },
    })
    expect(created.variants[1]?.price).toBeNull()
    expect(created.media).toEqual([
      {
        media_id: cover,
        position: 0,
        alt: { id: 'Kain batik terbentang', en: 'Batik cloth spread out' },
      },
      { media_id: detail, position: 1, alt: { id: null, en: null } },
    ])
    expect(await getProduct(db, scope, created.id)).toEqual(created)
    // What the service returns is what the documented response schema describes.
    expect(productSchema.parse(created)).toEqual(created)
  })

  it('updates fields, replacing each field given and keeping the rest', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const created = await createProduct(db, scope, batik())
    const updated = await updateProduct(db, scope, created.id, {
      title: { id: 'Batik cap indigo' },
      tags: ['cap'],
      origin: null,
    })
    expect(updated.title).toEqual({ id: 'Batik cap indigo', en: null })
    expect(updated.tags).toEqual(['cap'])
    expect(updated.origin).toEqual({ village: null, district: null, regency: null, province: null })
    expect(updated.description).toEqual(created.description)
    expect(updated.materials).toEqual(created.materials)
    expect(updated.variants).toEqual(created.variants)
    expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.updated_at))
    const cleared = await updateProduct(db, scope, created.id, { description: null })
    expect(cleared.description).toEqual({ id: null, en: null })
  })

  it('rejects bad input with 422 naming the field', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const cases: [unknown, string][] = [
      [{ ...batik(), title: { en: 'Only English' } }, 'title.id'],
      [{ ...batik(), title: { id: '   ' } }, 'title.id'],
      [{ ...batik(), category: 'furniture' }, 'category'],
      [{ ...batik(), tags: ['ok', 'no/slash'] }, 'tags.1'],
      [{ ...batik(), colour: 'blue' }, 'colour'],
      [{ ...batik(), variants: [{ sku: 'has space', weight_grams: 1 }] }, 'variants.0.sku'],
      [{ ...batik(), variants: [{ sku: 'A-1', weight_grams: 0 }] }, 'variants.0.weight_grams'],
      [
        {
          ...batik(),
          variants: [{ sku: 'A-1', weight_grams: 10, price: { amount: -1, currency: 'IDR' } }],
        },
        'variants.0.price.amount',
      ],
      [
        {
          ...batik(),
          variants: [{ sku: 'A-1', weight_grams: 10, price: { amount: 1.5, currency: 'IDR' } }],
        },
        'variants.0.price.amount',
      ],
      [
        {
          ...batik(),
          variants: [{ sku: 'A-1', weight_grams: 10, price: { amount: 1, currency: 'XXX' } }],
        },
        'variants.0.price.currency',
      ],
      [
        { ...batik(), variants: [{ sku: 'A-1', weight_grams: 10, options: { Size: 'M' } }] },
        'variants.0.options.Size',
      ],
      [
        {
          ...batik(),
          variants: [
            { sku: 'dup-1', weight_grams: 10, options: { size: 'M' } },
            { sku: 'DUP-1', weight_grams: 10, options: { size: 'L' } },
          ],
        },
        'variants.1.sku',
      ],
      [
        {
          ...batik(),
          variants: [
            { sku: 'a-1', weight_grams: 10, options: { size: 'M', colour: 'red' } },
            { sku: 'a-2', weight_grams: 10, options: { colour: 'red', size: 'M' } },
          ],
        },
        'variants.1.options',
      ],
      [{ ...batik(), media: [{ media_id: 'prod_nope' }] }, 'media.0.media_id'],
    ]
    for (const [input, path] of cases) {
      await expectMitraError(createProduct(db, scope, input as never), {
        code: 'validation_failed',
        status: 422,
        path,
      })
    }
    const created = await createProduct(db, scope, batik())
    await expectMitraError(updateProduct(db, scope, created.id, { status: 'active' } as never), {
      code: 'validation_failed',
      status: 422,
    })
    await expectMitraError(setProductStatus(db, scope, created.id, 'published'), {
      code: 'validation_failed',
      status: 422,
      path: 'status',
    })
  })

  it('keeps SKUs unique per producer (409 naming sku), but not across producers', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const other = await producer(db, 'Batik Lain')
    const code = sku('UNIQ')
    const first = await createProduct(
      db,
      scope,
      batik({ variants: [{ sku: code, weight_grams: 100 }] }),
    )
    await expectMitraError(
      createProduct(
        db,
        scope,
        batik({ variants: [{ sku: code.toLowerCase(), weight_grams: 100 }] }),
      ),
      { code: 'conflict', status: 409, path: 'variants.0.sku' },
    )
    await expectMitraError(addVariant(db, scope, first.id, { sku: code, weight_grams: 1 }), {
      code: 'conflict',
      status: 409,
      path: 'sku',
    })
    const second = await addVariant(db, scope, first.id, {
      sku: sku('UNIQ'),
      weight_grams: 1,
      options: { size: 'XL' },
    })
    await expectMitraError(updateVariant(db, scope, second.id, { sku: code }), {
      code: 'conflict',
      status: 409,
      path: 'sku',
    })
    await expectMitraError(addVariant(db, scope, first.id, { sku: sku('UNIQ'), weight_grams: 1 }), {
      code: 'conflict',
      status: 409,
      path: 'options',
    })
    // Changing only the case of its own SKU is fine.
    expect((await updateVariant(db, scope, second.id, { sku: second.sku.toLowerCase() })).sku).toBe(
      second.sku.toLowerCase(),
    )
    // Another producer may use the same SKU.
    const theirs = await createProduct(
      db,
      other.scope,
      batik({ variants: [{ sku: code, weight_grams: 100 }] }),
    )
    expect(theirs.variants[0]?.sku).toBe(code)
  })

  it('moves through statuses by the rules', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const unpriced = await createProduct(
      db,
      scope,
      batik({ variants: [{ sku: sku(), weight_grams: 100 }] }),
    )
    await expectMitraError(setProductStatus(db, scope, unpriced.id, 'active'), {
      code: 'product_incomplete',
      status: 409,
      path: 'status',
    })
    const noVariants = await createProduct(db, scope, batik({ variants: [] }))
    await expectMitraError(setProductStatus(db, scope, noVariants.id, 'active'), {
      code: 'product_incomplete',
      status: 409,
    })
    const variant = unpriced.variants[0]!
    await updateVariant(db, scope, variant.id, { price: { amount: 175_000, currency: 'IDR' } })
    const active = await setProductStatus(db, scope, unpriced.id, 'active')
    expect(active.status).toBe('active')
    expect((await setProductStatus(db, scope, unpriced.id, 'active')).status).toBe('active')
    const archived = await setProductStatus(db, scope, unpriced.id, 'archived')
    expect(archived.status).toBe('archived')
    await expectMitraError(setProductStatus(db, scope, unpriced.id, 'active'), {
      code: 'illegal_status_transition',
      status: 409,
      path: 'status',
    })
    expect((await setProductStatus(db, scope, unpriced.id, 'draft')).status).toBe('draft')
    expect((await setProductStatus(db, scope, unpriced.id, 'active')).status).toBe('active')
  })

  it('keeps an active product priced: no removing its last price or priced variant', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const product = await createProduct(db, scope, batik())
    const priced = product.variants[0]!
    const spare = await addVariant(db, scope, product.id, {
      sku: sku(),
      weight_grams: 50,
      options: { size: 'kecil' },
    })
    await setProductStatus(db, scope, product.id, 'active')
    await expectMitraError(updateVariant(db, scope, priced.id, { price: null }), {
      code: 'product_incomplete',
      status: 409,
      path: 'price',
    })
    await expectMitraError(removeVariant(db, scope, priced.id), {
      code: 'product_incomplete',
      status: 409,
    })
    // The unpriced spare may go; once another variant is priced, the first may lose its price.
    await updateVariant(db, scope, spare.id, { price: { amount: 90_000, currency: 'IDR' } })
    expect((await updateVariant(db, scope, priced.id, { price: null })).price).toBeNull()
    await setProductStatus(db, scope, product.id, 'draft')
    await removeVariant(db, scope, spare.id)
    await removeVariant(db, scope, priced.id)
    expect((await getProduct(db, scope, product.id)).variants).toEqual([])
    expect(
      await db.select().from(productVariants).where(eq(productVariants.productId, product.id)),
    ).toEqual([])
  })

  it("treats another party's products, variants and media as not found", async () => {
    const { db } = database()
    const mine = await producer(db)
    const theirs = await producer(db, 'Topeng Bobung')
    const theirProduct = await createProduct(db, theirs.scope, batik())
    const theirVariant = theirProduct.variants[0]!
    const theirMedia = await mediaAsset(db, theirs.scope.partyId)
    const myProduct = await createProduct(db, mine.scope, batik())
    const s = mine.scope
    const notFound = { code: 'not_found', status: 404 }

    await expectMitraError(getProduct(db, s, theirProduct.id), notFound)
    await expectMitraError(updateProduct(db, s, theirProduct.id, { tags: [] }), notFound)
    await expectMitraError(setProductStatus(db, s, theirProduct.id, 'archived'), notFound)
    await expectMitraError(
      addVariant(db, s, theirProduct.id, { sku: sku(), weight_grams: 1 }),
      notFound,
    )
    await expectMitraError(updateVariant(db, s, theirVariant.id, { weight_grams: 2 }), notFound)
    await expectMitraError(removeVariant(db, s, theirVariant.id), notFound)
    await expectMitraError(setProductMedia(db, s, theirProduct.id, []), notFound)
    await expectMitraError(getProduct(db, s, newId('prod')), notFound)
    await expectMitraError(getProduct(db, s, 'not-an-id'), notFound)
    // Their picture on my product: 404 naming the field.
    await expectMitraError(createProduct(db, s, batik({ media: [{ media_id: theirMedia }] })), {
      ...notFound,
      path: 'media.0.media_id',
    })
    await expectMitraError(setProductMedia(db, s, myProduct.id, [{ media_id: theirMedia }]), {
      ...notFound,
      path: 'media.0.media_id',
    })
    await expectMitraError(addProductMedia(db, s, myProduct.id, { media_id: theirMedia }), {
      ...notFound,
      path: 'media_id',
    })
    // Nothing of theirs changed.
    expect(await getProduct(db, theirs.scope, theirProduct.id)).toEqual(theirProduct)
  })

  it('only lets producers own products', async () => {
    const { db } = database()
    const venue = await party(db, 'venue')
    const scope: Scope = { partyId: venue.id, role: 'owner' }
    await expectMitraError(createProduct(db, scope, batik()), { code: 'forbidden', status: 403 })
    await expectMitraError(createProducts(db, scope, [batik()]), {
      code: 'forbidden',
      status: 403,
    })
  })

  it('orders, adds, removes and reorders pictures', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const [a, b, c, d] = [
      await mediaAsset(db, scope.partyId),
      await mediaAsset(db, scope.partyId),
      await mediaAsset(db, scope.partyId),
      await mediaAsset(db, scope.partyId),
    ] as [string, string, string, string]
    const product = await createProduct(db, scope, batik({ media: [{ media_id: a }] }))
    const ids = (list: { media_id: string }[]) => list.map((item) => item.media_id)

    expect(ids(await addProductMedia(db, scope, product.id, { media_id: b }))).toEqual([a, b])
    const withCover = await addProductMedia(db, scope, product.id, {
      media_id: c,
      position: 0,
      alt: { en: 'Cover' },
    })
    expect(ids(withCover)).toEqual([c, a, b])
    expect(withCover.map((item) => item.position)).toEqual([0, 1, 2])
    expect(withCover[0]?.alt).toEqual({ id: null, en: 'Cover' })
    await expectMitraError(addProductMedia(db, scope, product.id, { media_id: a }), {
      code: 'conflict',
      status: 409,
      path: 'media_id',
    })

    const reordered = await reorderProductMedia(db, scope, product.id, { media_ids: [b, c, a] })
    expect(ids(reordered)).toEqual([b, c, a])
    expect(reordered[1]?.alt).toEqual({ id: null, en: 'Cover' })
    for (const bad of [
      [b, c],
      [b, c, a, d],
      [b, b, c],
    ]) {
      await expectMitraError(reorderProductMedia(db, scope, product.id, { media_ids: bad }), {
        code: 'validation_failed',
        status: 422,
        path: 'media_ids',
      })
    }

    expect(ids(await removeProductMedia(db, scope, product.id, c))).toEqual([b, a])
    await expectMitraError(removeProductMedia(db, scope, product.id, c), {
      code: 'not_found',
      status: 404,
      path: 'media_id',
    })
    const replaced = await setProductMedia(db, scope, product.id, [
      { media_id: d, alt: { id: 'Detail motif' } },
      { media_id: a },
    ])
    expect(ids(replaced)).toEqual([d, a])
    await expectMitraError(
      setProductMedia(db, scope, product.id, [{ media_id: a }, { media_id: a }]),
      { code: 'validation_failed', status: 422, path: 'media.1.media_id' },
    )
    expect((await getProduct(db, scope, product.id)).media).toEqual(replaced)
  })

  it('imports many products at once, all or none', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const created = await createProducts(db, scope, [batik(), batik(), batik()])
    expect(created).toHaveLength(3)
    expect(new Set(created.map((p) => p.id)).size).toBe(3)
    const taken = created[0]!.variants[0]!.sku
    await expectMitraError(
      createProducts(db, scope, [batik(), batik({ variants: [{ sku: taken, weight_grams: 5 }] })]),
      { code: 'conflict', status: 409, path: '1.variants.0.sku' },
    )
    const repeated = sku('REP')
    await expectMitraError(
      createProducts(db, scope, [
        batik({ variants: [{ sku: repeated, weight_grams: 5 }] }),
        batik({ variants: [{ sku: repeated, weight_grams: 5 }] }),
      ]),
      { code: 'validation_failed', status: 422, path: '1.variants.0.sku' },
    )
    await expectMitraError(createProducts(db, scope, [batik(), { title: {} } as never]), {
      code: 'validation_failed',
      status: 422,
      path: '1.title.id',
    })
    expect(await createProducts(db, scope, [])).toEqual([])
  })

  it('never leaves an active product without a price, under concurrent edits', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    for (let round = 0; round < 8; round++) {
      const product = await createProduct(db, scope, batik())
      const variant = product.variants[0]!
      await Promise.allSettled([
        setProductStatus(db, scope, product.id, 'active'),
        updateVariant(db, scope, variant.id, { price: null }),
      ])
      const after = await getProduct(db, scope, product.id)
      const priced = after.variants.filter((v) => v.price !== null).length
      expect(after.status === 'active' && priced === 0).toBe(false)
    }
  })
})
