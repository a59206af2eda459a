import { describe, expect, it } from 'vitest'
import {
  createPartySchema,
  createProductSchema,
  createUserSchema,
  createVariantSchema,
  listProductsQuerySchema,
  listStoreProductsQuerySchema,
  productMediaListSchema,
  updateProductSchema,
  updateVariantSchema,
} from './schemas.js'

function paths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) {
  return (result.error?.issues ?? []).map((issue) => issue.path.map(String).join('.'))
}

describe('input schemas', () => {
  it('reject unknown fields everywhere, including nested objects', () => {
    const product = { title: { id: 'Madu' }, category: 'honey' }
    expect(createProductSchema.safeParse(product).success).toBe(true)
    expect(createProductSchema.safeParse({ ...product, stock: 5 }).success).toBe(false)
    expect(
      createProductSchema.safeParse({ ...product, title: { id: 'Madu', fr: 'Miel' } }).success,
    ).toBe(false)
    expect(
      createProductSchema.safeParse({ ...product, origin: { village: 'Gemawang', rt: '02' } })
        .success,
    ).toBe(false)
    expect(createVariantSchema.safeParse({ sku: 'A', weight_grams: 1, stock: 2 }).success).toBe(
      false,
    )
    expect(
      createVariantSchema.safeParse({
        sku: 'A',
        weight_grams: 1,
        price: { amount: 1, currency: 'IDR', tax: 0 },
      }).success,
    ).toBe(false)
    expect(updateProductSchema.safeParse({ status: 'active' }).success).toBe(false)
    expect(updateVariantSchema.safeParse({ product_id: 'prod_x' }).success).toBe(false)
    expect(createUserSchema.safeParse({ email: 'a@b.id', name: 'A', admin: true }).success).toBe(
      false,
    )
    expect(listProductsQuerySchema.safeParse({ page: 2 }).success).toBe(false)
    expect(listStoreProductsQuerySchema.safeParse({ status: 'draft' }).success).toBe(false)
  })

  it('normalise tags and materials and apply defaults', () => {
    const parsed = createProductSchema.parse({
      title: { id: ' Madu hutan ' },
      category: 'honey',
      tags: [' Madu Hutan ', 'madu hutan', 'Lebah'],
      materials: ['Kaca', 'kaca'],
    })
    expect(parsed.title.id).toBe('Madu hutan')
    expect(parsed.tags).toEqual(['madu hutan', 'lebah'])
    expect(parsed.materials).toEqual(['Kaca'])
    expect(parsed.variants).toEqual([])
    expect(parsed.media).toEqual([])
  })

  it('name the failing field', () => {
    expect(paths(createPartySchema.safeParse({ kind: 'producer', name: 'A', slug: '-a' }))).toEqual(
      ['slug'],
    )
    expect(paths(createProductSchema.safeParse({ title: { id: 'A' }, category: 'x' }))).toEqual([
      'category',
    ])
    expect(
      paths(
        createVariantSchema.safeParse({
          sku: 'A',
          weight_grams: 1,
          price: { amount: -5, currency: 'IDR' },
        }),
      ),
    ).toEqual(['price.amount'])
    expect(paths(productMediaListSchema.safeParse([{ media_id: 'med_1' }]))).toEqual(['0.media_id'])
    expect(paths(listProductsQuerySchema.safeParse({ limit: '0' }))).toEqual(['limit'])
    expect(paths(listProductsQuerySchema.safeParse({ limit: 'ten' }))).toEqual(['limit'])
  })

  it('coerce limit from query strings and default it to 20', () => {
    expect(listProductsQuerySchema.parse({}).limit).toBe(20)
    expect(listProductsQuerySchema.parse({ limit: '100' }).limit).toBe(100)
    expect(listProductsQuerySchema.safeParse({ limit: '101' }).success).toBe(false)
    expect(listProductsQuerySchema.safeParse({ limit: '2.5' }).success).toBe(false)
  })
})
