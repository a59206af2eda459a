import { newId } from '@mitra/core'
import { products } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { and, eq, inArray } from 'drizzle-orm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { getStoreProduct, listProducts, listStoreProducts } from './listing.js'
import {
  addVariant,
  createProduct,
  createProducts,
  setProductStatus,
  updateProduct,
} from './products.js'
import {
  type CreateProductInput,
  type Page,
  pageSchema,
  productSchema,
  type StoreProduct,
  storeProductSchema,
} from './schemas.js'
import type { Scope } from './scope.js'
import { batik, expectMitraError, mediaAsset, producer, sku } from './testing.js'

/** A bare product: only a title (and one priced variant), so searches match what we expect. */
function titled(title: string, extra: Partial<CreateProductInput> = {}): CreateProductInput {
  return {
    title: { id: title },
    category: 'other',
    variants: [{ sku: sku('T'), weight_grams: 100, price: { amount: 10_000, currency: 'IDR' } }],
    ...extra,
  }
}

async function activate(db: Parameters<typeof setProductStatus>[0], scope: Scope, ids: string[]) {
  for (const id of ids) await setProductStatus(db, scope, id, 'active')
}

/** Walks every page; `between` runs after each page (e.g. to insert rows mid-walk). */
async function walk<T extends { id: string }>(
  fetch: (cursor: string | undefined) => Promise<Page<T>>,
  between: () => Promise<void> = async () => {},
): Promise<T[]> {
  const seen: T[] = []
  let cursor: string | undefined
  for (let pages = 0; pages < 1_000; pages++) {
    const page = await fetch(cursor)
    seen.push(...page.data)
    if (page.next_cursor === null) return seen
    cursor = page.next_cursor
    await between()
  }
  throw new Error('pagination did not end')
}

const ids = (list: { id: string }[]) => list.map((item) => item.id)

describe.each(testDatabaseKinds())('listing and search on %s', (kind) => {
  const database = useTestDatabase(kind)

  it("lists only the scope's own products, filtered by status, category and tag", async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const other = await producer(db, 'Madu Lain')
    const cloth = await createProduct(db, scope, batik({ tags: ['indigo', 'tulis'] }))
    const honey = await createProduct(
      db,
      scope,
      titled('Madu hutan', { category: 'honey', tags: ['madu'] }),
    )
    const mask = await createProduct(db, scope, titled('Topeng kayu', { category: 'masks' }))
    await createProduct(db, other.scope, titled('Madu klanceng', { category: 'honey' }))
    await activate(db, scope, [cloth.id, honey.id])
    await setProductStatus(db, scope, honey.id, 'archived')

    const all = await listProducts(db, scope)
    expect(ids(all.data)).toEqual([mask.id, honey.id, cloth.id]) // newest first
    expect(all.next_cursor).toBeNull()
    expect(all.data[2]?.variants).toHaveLength(1)
    expect(pageSchema(productSchema).parse(all)).toEqual(all)
    expect(ids((await listProducts(db, scope, { status: 'active' })).data)).toEqual([cloth.id])
    expect(ids((await listProducts(db, scope, { status: 'archived' })).data)).toEqual([honey.id])
    expect(ids((await listProducts(db, scope, { status: 'draft' })).data)).toEqual([mask.id])
    expect(ids((await listProducts(db, scope, { category: 'honey' })).data)).toEqual([honey.id])
    expect(ids((await listProducts(db, scope, { tag: 'Tulis' })).data)).toEqual([cloth.id])
    expect((await listProducts(db, scope, { tag: 'kayu' })).data).toEqual([])
    // Query strings arrive as text.
    expect((await listProducts(db, scope, { limit: '2' })).data).toHaveLength(2)

    await expectMitraError(listProducts(db, scope, { status: 'sold' as 'draft' }), {
      code: 'validation_failed',
      status: 422,
      path: 'status',
    })
    await expectMitraError(listProducts(db, scope, { limit: 500 }), {
      code: 'validation_failed',
      status: 422,
      path: 'limit',
    })
    await expectMitraError(listProducts(db, scope, { cursor: 'bogus' }), {
      code: 'invalid_cursor',
      status: 422,
      path: 'cursor',
    })
    await expectMitraError(listProducts(db, scope, { sort: 'price' } as never), {
      code: 'validation_failed',
      status: 422,
    })
  })

  it('finds Indonesian words by their stem, and English words', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const dye = await createProduct(
      db,
      scope,
      titled('Pasta indigo', {
        category: 'natural_dye',
        description: { id: 'Warna biru tua dari daun tarum.' },
      }),
    )
    const toys = await createProduct(
      db,
      scope,
      titled('Balok susun', {
        title: { id: 'Balok susun', en: 'Wooden stacking blocks' },
        category: 'educational_toys',
        description: { en: 'Educational toys for kindergartens, made of teak.' },
        materials: ['kayu jati'],
        origin: { village: 'Gemawang', regency: 'Kabupaten Semarang' },
      }),
    )
    const masks = await createProduct(
      db,
      scope,
      titled('Topeng Panji', {
        title: { id: 'Topeng Panji', en: 'Panji dance masks' },
        category: 'masks',
        origin: { village: 'Bobung', regency: 'Gunungkidul' },
        tags: ['batik kayu'],
      }),
    )
    const search = async (q: string) => ids((await listProducts(db, scope, { q })).data)

    expect(await search('pewarna')).toEqual([dye.id]) // "pewarna" → warna
    expect(await search('mewarnai')).toEqual([dye.id])
    expect(await search('toy')).toEqual([toys.id])
    expect(await search('kindergarten')).toEqual([toys.id])
    expect(await search('mask')).toEqual([masks.id])
    expect(await search('jati')).toEqual([toys.id]) // materials
    expect(await search('gunungkidul')).toEqual([masks.id]) // origin
    expect(await search('batik kayu')).toEqual([masks.id]) // tags
    expect(await search('mainan')).toEqual([toys.id]) // category label ("Alat permainan")
    expect(await search('honey')).toEqual([])
    expect(await search('"stacking blocks"')).toEqual([toys.id])
    expect(await search('"blocks stacking"')).toEqual([])
    expect(await search('kayu -topeng')).toEqual([toys.id])
    // Text without words is no search at all.
    expect(await search('  ?!  ')).toEqual([masks.id, toys.id, dye.id])
  })

  it('ranks title matches above description matches', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const inDescription = await createProduct(
      db,
      scope,
      titled('Kain tenun', { description: { id: 'Dengan motif madu.' } }),
    )
    const inTitle = await createProduct(db, scope, titled('Madu murni'))
    const older = await createProduct(db, scope, titled('Madu klanceng'))
    const found = ids((await listProducts(db, scope, { q: 'madu' })).data)
    expect(found).toHaveLength(3)
    expect(found.at(-1)).toBe(inDescription.id)
    // Equal ranks: newest first.
    expect(found.slice(0, 2)).toEqual([older.id, inTitle.id])
  })

  it('keeps the search document up to date on edits', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const product = await createProduct(db, scope, titled('Gerabah Kasongan'))
    expect(ids((await listProducts(db, scope, { q: 'kasongan' })).data)).toEqual([product.id])
    await updateProduct(db, scope, product.id, {
      title: { id: 'Gerabah Kajigelem', en: 'Kajigelem pottery' },
    })
    expect((await listProducts(db, scope, { q: 'kasongan' })).data).toEqual([])
    expect(ids((await listProducts(db, scope, { q: 'kajigelem' })).data)).toEqual([product.id])
    expect(ids((await listProducts(db, scope, { q: 'potteries' })).data)).toEqual([product.id])
  })

  it('never fails on any search text', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    await createProduct(db, scope, titled('Madu hutan'))
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80, unit: 'grapheme' }), async (q) => {
        const page = await listProducts(db, scope, { q })
        expect(page.data.length).toBeLessThanOrEqual(1)
      }),
      { numRuns: 150 },
    )
  })

  it('shows shoppers active products only, with maker, priced variants and pictures', async () => {
    const { db } = database()
    const { scope, party } = await producer(db, 'Batik Gemawang')
    const other = await producer(db, 'Madu Gemawang')
    const picture = await mediaAsset(db, scope.partyId)
    const live = await createProduct(db, scope, batik({ media: [{ media_id: picture }] }))
    await addVariant(db, scope, live.id, { sku: sku(), weight_grams: 10, options: { size: 'S' } })
    const draft = await createProduct(db, scope, batik())
    const archived = await createProduct(db, scope, batik())
    const theirs = await createProduct(db, other.scope, titled('Madu hutan', { category: 'honey' }))
    await activate(db, scope, [live.id, archived.id])
    await activate(db, other.scope, [theirs.id])
    await setProductStatus(db, scope, archived.id, 'archived')

    const store = await listStoreProducts(db, { producerIds: [scope.partyId, other.scope.partyId] })
    expect(ids(store.data)).toEqual([theirs.id, live.id])
    const shown = store.data[1] as StoreProduct
    expect(shown.producer).toEqual({ id: party.id, name: 'Batik Gemawang', slug: party.slug })
    expect(shown.variants).toHaveLength(1) // the unpriced variant is not for sale
    expect(shown.media.map((m) => m.media_id)).toEqual([picture])
    expect('status' in shown).toBe(false)
    expect(pageSchema(storeProductSchema).parse(store)).toEqual(store)

    const only = await listStoreProducts(db, { producerIds: [scope.partyId] })
    expect(ids(only.data)).toEqual([live.id])
    expect(
      ids((await listStoreProducts(db, { producerIds: [scope.partyId], q: 'batik' })).data),
    ).toEqual([live.id])
    expect(
      (await listStoreProducts(db, { producerIds: [scope.partyId], category: 'honey' })).data,
    ).toEqual([])
    expect((await listStoreProducts(db, { producerIds: [] })).data).toEqual([])
    const everyone = ids((await listStoreProducts(db, { limit: 100 })).data)
    expect(everyone).toEqual(expect.arrayContaining([live.id, theirs.id]))
    expect(everyone).not.toContain(draft.id)
    expect(everyone).not.toContain(archived.id)

    expect((await getStoreProduct(db, live.id)).id).toBe(live.id)
    for (const hidden of [draft.id, archived.id, newId('prod')]) {
      await expectMitraError(getStoreProduct(db, hidden), { code: 'not_found', status: 404 })
    }
    await expectMitraError(getStoreProduct(db, theirs.id, { producerIds: [scope.partyId] }), {
      code: 'not_found',
      status: 404,
    })
    await expectMitraError(listStoreProducts(db, { producerIds: ['pty_bad'] }), {
      code: 'validation_failed',
      status: 422,
      path: 'producerIds.0',
    })
  })

  it('walks every row exactly once, whatever the page size and inserts meanwhile', async () => {
    const { db } = database()
    const words = ['madu', 'batik', 'topeng', 'gerabah']
    const titleArbitrary = fc
      .array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 })
      .map((parts) => parts.join(' '))
    await fc.assert(
      fc.asyncProperty(
        fc.array(titleArbitrary, { maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(titleArbitrary, { maxLength: 8 }),
        fc.option(fc.constantFrom(...words), { nil: undefined }),
        async (titles, limit, later, q) => {
          const { scope } = await producer(db)
          const before = await createProducts(
            db,
            scope,
            titles.map((title) => titled(title)),
          )
          const expected = ids(
            q === undefined
              ? before
              : before.filter((product) => product.title.id.split(' ').includes(q)),
          )
          const pending = [...later]
          const seen = await walk(
            (cursor) => listProducts(db, scope, { q, cursor, limit }),
            async () => {
              const title = pending.pop()
              if (title !== undefined) await createProduct(db, scope, titled(title))
            },
          )
          const seenIds = ids(seen)
          expect(new Set(seenIds).size).toBe(seenIds.length) // never twice
          expect(seenIds.filter((id) => expected.includes(id)).sort()).toEqual([...expected].sort()) // every row that was there from the start, exactly once
          if (q === undefined) {
            // Newest first and nothing inserted after the walk began shows up.
            expect(seenIds).toEqual([...expected].reverse())
          }
        },
      ),
      { numRuns: 25 },
    )
  })

  it('keeps listings right over 500 products', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    const categories = ['batik', 'snacks', 'masks', 'pottery', 'bamboo'] as const
    const inputs = Array.from({ length: 500 }, (_, i) =>
      titled(`${i % 7 === 0 ? 'Madu' : 'Kerajinan'} nomor ${i}`, {
        category: categories[i % categories.length],
        tags: [`seri ${i % 10}`],
      }),
    )
    const created = await createProducts(db, scope, inputs)
    expect(created).toHaveLength(500)
    const activeIds = created.filter((_, i) => i % 3 === 0).map((p) => p.id)
    const archivedIds = created.filter((_, i) => i % 3 === 1).map((p) => p.id)
    await db.update(products).set({ status: 'active' }).where(inArray(products.id, activeIds))
    await db.update(products).set({ status: 'archived' }).where(inArray(products.id, archivedIds))

    const all = await walk((cursor) => listProducts(db, scope, { cursor, limit: 100 }))
    expect(ids(all)).toEqual(ids(created).reverse())
    expect(all.every((p) => p.variants.length === 1)).toBe(true)

    const batikOnly = await walk((cursor) =>
      listProducts(db, scope, { category: 'batik', cursor, limit: 37 }),
    )
    expect(batikOnly).toHaveLength(100)

    const tagged = await walk((cursor) =>
      listProducts(db, scope, { tag: 'seri 3', cursor, limit: 7 }),
    )
    expect(tagged).toHaveLength(50)

    const honey = await walk((cursor) => listProducts(db, scope, { q: 'madu', cursor, limit: 9 }))
    expect(ids(honey).sort()).toEqual(
      created
        .filter((_, i) => i % 7 === 0)
        .map((p) => p.id)
        .sort(),
    )

    const store = await walk((cursor) =>
      listStoreProducts(db, { producerIds: [scope.partyId], cursor, limit: 50 }),
    )
    expect(ids(store)).toEqual([...activeIds].reverse())
    const storedStatuses = await db
      .select({ status: products.status })
      .from(products)
      .where(and(eq(products.partyId, scope.partyId), inArray(products.id, ids(store))))
    expect(storedStatuses.every((row) => row.status === 'active')).toBe(true)

    const activeHoney = await walk((cursor) =>
      listStoreProducts(db, { producerIds: [scope.partyId], q: 'madu', cursor, limit: 5 }),
    )
    expect(ids(activeHoney).sort()).toEqual(
      created
        .filter((_, i) => i % 7 === 0 && i % 3 === 0)
        .map((p) => p.id)
        .sort(),
    )
  })

  it('refuses a search cursor without the search, and the other way round', async () => {
    const { db } = database()
    const { scope } = await producer(db)
    await createProducts(db, scope, [titled('Madu a'), titled('Madu b'), titled('Madu c')])
    const searched = await listProducts(db, scope, { q: 'madu', limit: 1 })
    const plain = await listProducts(db, scope, { limit: 1 })
    await expectMitraError(listProducts(db, scope, { cursor: searched.next_cursor! }), {
      code: 'invalid_cursor',
      status: 422,
      path: 'cursor',
    })
    await expectMitraError(listProducts(db, scope, { q: 'madu', cursor: plain.next_cursor! }), {
      code: 'invalid_cursor',
      status: 422,
      path: 'cursor',
    })
  })
})
