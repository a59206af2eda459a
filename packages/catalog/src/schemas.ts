import { idSchema, priceSchema } from '@mitra/core'
import { partyKinds, productCategories, productStatuses, roles } from '@mitra/db'
import { parsePhoneNumberFromString } from 'libphonenumber-js'
import { z } from 'zod'

// ---------------------------------------------------------------------------------------
// Building blocks

/** A short single-line text, trimmed, 1..max characters. */
function line(max: number) {
  return z.string().trim().min(1).max(max)
}

/** A longer text, trimmed; may be empty. */
function prose(max: number) {
  return z.string().trim().max(max)
}

/** Drops duplicates from a list, keeping the first occurrence (case-insensitively). */
function dedupe(values: string[]): string[] {
  const seen = new Set<string>()
  return values.filter((value) => {
    const key = value.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

export const slugSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens')
export type Slug = z.infer<typeof slugSchema>

export const partyKindSchema = z.enum(partyKinds)
export const roleSchema = z.enum(roles)
export const productCategorySchema = z.enum(productCategories)
export const productStatusSchema = z.enum(productStatuses)

/** Where something comes from, as Indonesian administrative levels. */
export const originSchema = z.strictObject({
  village: line(100).optional(),
  district: line(100).optional(),
  regency: line(100).optional(),
  province: line(100).optional(),
})
export type Origin = z.infer<typeof originSchema>

/** Page size: 1..100, default 20 (query strings are coerced). */
export const limitSchema = z.coerce.number().int().min(1).max(100).default(20)
export const cursorSchema = z.string().min(1).max(256)

// ---------------------------------------------------------------------------------------
// Parties

export const partyProfileSchema = z.strictObject({
  description: z
    .strictObject({ id: prose(2_000).optional(), en: prose(2_000).optional() })
    .optional(),
  origin: originSchema.optional(),
  website: z
    .url({ protocol: /^https?$/ })
    .max(300)
    .optional(),
  email: z.email().max(254).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 ()-]{5,19}$/, 'a phone number such as +62 812 3456 7890')
    .optional(),
})
export type PartyProfile = z.infer<typeof partyProfileSchema>

export const createPartySchema = z.strictObject({
  kind: partyKindSchema,
  name: line(120),
  slug: slugSchema,
  profile: partyProfileSchema.optional(),
})
export type CreatePartyInput = z.input<typeof createPartySchema>

/** Fields left out stay as they are; `profile: null` removes the profile. */
export const updatePartySchema = z.strictObject({
  name: line(120).optional(),
  slug: slugSchema.optional(),
  profile: partyProfileSchema.nullable().optional(),
})
export type UpdatePartyInput = z.input<typeof updatePartySchema>

export const listPartiesQuerySchema = z.strictObject({
  kind: partyKindSchema.optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})
export type ListPartiesQuery = z.input<typeof listPartiesQuerySchema>

const timestampSchema = z.iso.datetime()

export const partySchema = z.object({
  id: z.string(),
  kind: partyKindSchema,
  name: z.string(),
  slug: z.string(),
  profile: partyProfileSchema.nullable(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
})
export type Party = z.infer<typeof partySchema>

export const clusterMemberSchema = z.object({
  cluster_id: z.string(),
  producer_id: z.string(),
  joined_at: timestampSchema,
})
export type ClusterMember = z.infer<typeof clusterMemberSchema>

/** The two sides of a cluster membership; each must consent. */
export const clusterSides = ['cluster', 'producer'] as const
export type ClusterSide = (typeof clusterSides)[number]

/**
 * A membership as it stands: `member` once both sides consented, or an open invitation
 * (the cluster asked) or request (the group asked).
 */
export const clusterMembershipSchema = z.object({
  cluster_id: z.string(),
  producer_id: z.string(),
  status: z.enum(['member', 'invited', 'requested']),
  joined_at: timestampSchema.nullable(),
})
export type ClusterMembership = z.infer<typeof clusterMembershipSchema>

// ---------------------------------------------------------------------------------------
// Users and memberships

/**
 * A phone number as people write it in Indonesia (`0812-3456-7890`, `+62 812 3456 7890`),
 * kept in E.164 (`+6281234567890`) so that one number is one account however it is typed.
 */
export const phoneSchema = z
  .string()
  .trim()
  .max(32)
  .transform((value, ctx) => {
    const parsed = parsePhoneNumberFromString(value, 'ID')
    if (parsed === undefined || !parsed.isValid()) {
      ctx.addIssue({ code: 'custom', message: 'not a valid phone number' })
      return z.NEVER
    }
    return parsed.number as string
  })

export const emailSchema = z.email().max(254)

/** How a person is reached and named; an account needs an email or a phone number. */
export const userContactFields = {
  email: emailSchema.optional(),
  phone: phoneSchema.optional(),
  name: line(120),
}

/** The refinement every schema with `userContactFields` carries. */
export const reachable: [
  (user: { email?: string | undefined; phone?: string | undefined }) => boolean,
  { message: string; path: string[] },
] = [
  (user) => user.email !== undefined || user.phone !== undefined,
  { message: 'give an email address or a phone number', path: ['email'] },
]

export const createUserSchema = z.strictObject(userContactFields).refine(...reachable)
export type CreateUserInput = z.input<typeof createUserSchema>

export const userSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  name: z.string(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
})
export type User = z.infer<typeof userSchema>

export const addMembershipSchema = z.strictObject({
  userId: idSchema('usr'),
  partyId: idSchema('pty'),
  role: roleSchema,
})
export type AddMembershipInput = z.input<typeof addMembershipSchema>

export const membershipSchema = z.object({
  id: z.string(),
  user_id: z.string(),
  party_id: z.string(),
  role: roleSchema,
  created_at: timestampSchema,
})
export type Membership = z.infer<typeof membershipSchema>

// ---------------------------------------------------------------------------------------
// Products

/** Title in Indonesian (required) and English. */
export const productTitleSchema = z.strictObject({
  id: line(200),
  en: line(200).nullable().optional(),
})

export const productDescriptionSchema = z.strictObject({
  id: prose(5_000).nullable().optional(),
  en: prose(5_000).nullable().optional(),
})

/** A tag: lowercase words joined by spaces or hyphens (`pewarna alami`, `eco-print`). */
export const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}]+(?:[ -][\p{L}\p{N}]+)*$/u, 'letters and digits, joined by spaces or -')

export const tagsSchema = z.array(tagSchema).max(20).transform(dedupe)
export const materialsSchema = z.array(line(60)).max(20).transform(dedupe)

export const skuSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'letters, digits, dot, underscore or hyphen; up to 64, starting with a letter or digit',
  )

/** Variant options such as `{ size: 'M', colour: 'indigo' }`: up to 10. */
export const variantOptionsSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a lowercase option name such as size'),
    line(60),
  )
  .refine((options) => Object.keys(options).length <= 10, 'at most 10 options')

export const createVariantSchema = z.strictObject({
  sku: skuSchema,
  options: variantOptionsSchema.default({}),
  /** Packed weight in grams, for shipping. */
  weight_grams: z.number().int().min(1).max(1_000_000),
  /** The producer's retail price; required before the product can be active. */
  price: priceSchema.nullable().optional(),
})
export type CreateVariantInput = z.input<typeof createVariantSchema>

export const updateVariantSchema = z.strictObject({
  sku: skuSchema.optional(),
  options: variantOptionsSchema.optional(),
  weight_grams: z.number().int().min(1).max(1_000_000).optional(),
  price: priceSchema.nullable().optional(),
})
export type UpdateVariantInput = z.input<typeof updateVariantSchema>

export const mediaAltSchema = z.strictObject({
  id: prose(300).optional(),
  en: prose(300).optional(),
})

/** A picture of the product: a media asset of the same party, with alt text. */
export const productMediaInputSchema = z.strictObject({
  media_id: idSchema('med'),
  alt: mediaAltSchema.optional(),
})
export type ProductMediaInput = z.input<typeof productMediaInputSchema>

/** The product's pictures in order (first is the cover); each asset at most once. */
export const productMediaListSchema = z
  .array(productMediaInputSchema)
  .max(20)
  .superRefine((items, ctx) => {
    const seen = new Set<string>()
    items.forEach((item, index) => {
      if (seen.has(item.media_id)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'media_id'],
          message: 'this media asset is already in the list',
        })
      }
      seen.add(item.media_id)
    })
  })

export const addProductMediaSchema = productMediaInputSchema.extend({
  /** Where to put it (0 = cover); default last. */
  position: z.number().int().min(0).optional(),
})
export type AddProductMediaInput = z.input<typeof addProductMediaSchema>

export const reorderProductMediaSchema = z.strictObject({
  media_ids: z.array(idSchema('med')).max(20),
})
export type ReorderProductMediaInput = z.input<typeof reorderProductMediaSchema>

function uniqueVariants(
  variants: { sku: string; options: Record<string, string> }[],
  ctx: z.RefinementCtx,
): void {
  const skus = new Set<string>()
  const options = new Set<string>()
  variants.forEach((variant, index) => {
    const sku = variant.sku.toLowerCase()
    if (skus.has(sku)) {
      ctx.addIssue({ code: 'custom', path: [index, 'sku'], message: 'SKU repeated in the list' })
    }
    skus.add(sku)
    const key = canonicalOptions(variant.options)
    if (options.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'options'],
        message: 'another variant in the list has the same options',
      })
    }
    options.add(key)
  })
}

/** Options as a canonical string (sorted keys), to compare variants. */
export function canonicalOptions(options: Record<string, string>): string {
  return JSON.stringify(Object.entries(options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

export const createProductSchema = z.strictObject({
  title: productTitleSchema,
  description: productDescriptionSchema.optional(),
  category: productCategorySchema,
  materials: materialsSchema.default([]),
  tags: tagsSchema.default([]),
  origin: originSchema.optional(),
  variants: z.array(createVariantSchema).max(100).superRefine(uniqueVariants).default([]),
  media: productMediaListSchema.default([]),
})
export type CreateProductInput = z.input<typeof createProductSchema>

/** Fields left out stay as they are. Status changes go through `setProductStatus`. */
export const updateProductSchema = z.strictObject({
  title: productTitleSchema.optional(),
  description: productDescriptionSchema.nullable().optional(),
  category: productCategorySchema.optional(),
  materials: materialsSchema.optional(),
  tags: tagsSchema.optional(),
  origin: originSchema.nullable().optional(),
})
export type UpdateProductInput = z.input<typeof updateProductSchema>

export const setProductStatusSchema = z.strictObject({ status: productStatusSchema })
export type SetProductStatusInput = z.input<typeof setProductStatusSchema>

/** Search text: words, "quoted phrases", -excluded words. */
export const searchTextSchema = z.string().max(200)

export const listProductsQuerySchema = z.strictObject({
  status: productStatusSchema.optional(),
  category: productCategorySchema.optional(),
  tag: tagSchema.optional(),
  q: searchTextSchema.optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})
export type ListProductsQuery = z.input<typeof listProductsQuerySchema>

export const listStoreProductsQuerySchema = z.strictObject({
  /** Only these producers' products (e.g. the producers a venue carries). */
  producerIds: z.array(idSchema('pty')).max(200).optional(),
  /** Only these products (e.g. those on a venue's shelf). */
  productIds: z.array(idSchema('prod')).optional(),
  category: productCategorySchema.optional(),
  q: searchTextSchema.optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})
export type ListStoreProductsQuery = z.input<typeof listStoreProductsQuerySchema>

// Responses ------------------------------------------------------------------------------

export const moneyOutputSchema = z.object({ amount: z.number().int(), currency: z.string() })

export const variantSchema = z.object({
  id: z.string(),
  product_id: z.string(),
  sku: z.string(),
  options: z.record(z.string(), z.string()),
  weight_grams: z.number().int(),
  price: moneyOutputSchema.nullable(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
})
export type Variant = z.infer<typeof variantSchema>

export const productMediaSchema = z.object({
  media_id: z.string(),
  position: z.number().int(),
  alt: z.object({ id: z.string().nullable(), en: z.string().nullable() }),
})
export type ProductMedia = z.infer<typeof productMediaSchema>

const nullableText = z.string().nullable()

export const productSchema = z.object({
  id: z.string(),
  producer_id: z.string(),
  status: productStatusSchema,
  category: productCategorySchema,
  title: z.object({ id: z.string(), en: nullableText }),
  description: z.object({ id: nullableText, en: nullableText }),
  materials: z.array(z.string()),
  tags: z.array(z.string()),
  origin: z.object({
    village: nullableText,
    district: nullableText,
    regency: nullableText,
    province: nullableText,
  }),
  variants: z.array(variantSchema),
  media: z.array(productMediaSchema),
  created_at: timestampSchema,
  updated_at: timestampSchema,
})
export type Product = z.infer<typeof productSchema>

/** A product as shoppers see it: active, with its maker, and only the variants with a price. */
export const storeProductSchema = productSchema.omit({ status: true }).extend({
  producer: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
})
export type StoreProduct = z.infer<typeof storeProductSchema>

/** One page of a listing. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() })
}
export interface Page<T> {
  data: T[]
  next_cursor: string | null
}
