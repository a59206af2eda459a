import { cursorSchema, limitSchema, productCategorySchema } from '@mitra/catalog'
import { answered, idSchema } from '@mitra/core'
import { agreementModels, agreementStatuses, agreementVersionStates } from '@mitra/db'
import { z } from 'zod'
import { consignmentTermsSchema } from '../terms.js'

/** A short single-line text, trimmed, 1..max characters. */
function line(max: number) {
  return z.string().trim().min(1).max(max)
}

const timestampSchema = z.iso.datetime()

// ---------------------------------------------------------------------------------------
// Partner directory

/** Where a partner is, as Indonesian administrative levels; the regency is what people search. */
export const partnerLocationSchema = z.strictObject({
  village: line(100).optional(),
  district: line(100).optional(),
  /** Kabupaten or kota, e.g. "Kabupaten Semarang" (also written "Kab. Semarang"). */
  regency: line(100),
  province: line(100).optional(),
  /** For venues: the street address visitors find them at. */
  address: line(300).optional(),
})
export type PartnerLocation = z.infer<typeof partnerLocationSchema>

/** What a party is looking for in a partner, in its own words (Indonesian and/or English). */
export const partnerSeekingSchema = z
  .strictObject({
    id: z.string().trim().max(2_000).optional(),
    en: z.string().trim().max(2_000).optional(),
  })
  .refine((seeking) => Boolean(seeking.id) || Boolean(seeking.en), {
    message: 'say what you are looking for, in Indonesian (id) or English (en)',
  })
export type PartnerSeeking = z.infer<typeof partnerSeekingSchema>

/** A party's whole directory entry; saving it again replaces it. */
export const upsertPartnerProfileSchema = z.strictObject({
  location: partnerLocationSchema,
  /** Product categories made (producers) or sold (venues); duplicates are dropped. */
  categories: z
    .array(productCategorySchema)
    .max(12)
    .default([])
    .transform((values) => [...new Set(values)]),
  seeking: partnerSeekingSchema,
  /** Shown in the directory (default true); an unlisted profile is visible to its party only. */
  listed: z.boolean().default(true),
})
export type UpsertPartnerProfileInput = z.input<typeof upsertPartnerProfileSchema>

export const partnerKindSchema = z.enum(['producer', 'venue'])
export type PartnerKind = z.infer<typeof partnerKindSchema>

export const listPartnersQuerySchema = z.strictObject({
  kind: partnerKindSchema.optional(),
  category: productCategorySchema.optional(),
  /** Matched case-insensitively; "Kab." and "Kabupaten" are the same. */
  regency: line(100).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})
export type ListPartnersQuery = z.input<typeof listPartnersQuerySchema>

export const partnerProfileSchema = z.object({
  party: z.object({
    id: z.string(),
    kind: partnerKindSchema,
    name: z.string(),
    slug: z.string(),
  }),
  location: partnerLocationSchema,
  categories: z.array(productCategorySchema),
  seeking: z.object({ id: z.string().optional(), en: z.string().optional() }),
  listed: z.boolean(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
})
export type PartnerProfile = z.infer<typeof partnerProfileSchema>

// ---------------------------------------------------------------------------------------
// Agreements

const noteSchema = z.string().trim().max(2_000)

export const proposeAgreementSchema = z.strictObject({
  /** The other side: a venue when a producer proposes, a producer when a venue does. */
  counterparty_id: idSchema('pty'),
  terms: consignmentTermsSchema,
  note: noteSchema.optional(),
})
export type ProposeAgreementInput = z.input<typeof proposeAgreementSchema>

export const amendmentNoteSchema = noteSchema.optional()

/** Who accepts, for the record: the signed-in user or the API key acting for the party. */
export const acceptedBySchema = z.union([idSchema('usr'), idSchema('key')], {
  message: "expected a user id ('usr_…') or an API key id ('key_…')",
})

export const acceptAgreementSchema = z.strictObject({
  /** The version being accepted, exactly as read. */
  version: z.number().int().min(1).max(1_000_000),
  /** The `terms_hash` of that version as read: an acceptance signs these exact terms. */
  terms_hash: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash in lower-case hex'),
  accepted_by: acceptedBySchema,
})
export type AcceptAgreementInput = z.input<typeof acceptAgreementSchema>

export const rejectProposalSchema = z.strictObject({
  /** The version being rejected; when given, a newer or settled version is a 409. */
  version: z.number().int().min(1).max(1_000_000).optional(),
})
export type RejectProposalInput = z.input<typeof rejectProposalSchema>

export const terminateAgreementSchema = z.strictObject({
  reason: line(2_000),
})
export type TerminateAgreementInput = z.input<typeof terminateAgreementSchema>

export const agreementStatusSchema = z.enum(agreementStatuses)
export const agreementVersionStateSchema = z.enum(agreementVersionStates)
export const agreementModelSchema = z.enum(agreementModels)

export const listAgreementsQuerySchema = z.strictObject({
  status: agreementStatusSchema.optional(),
  counterparty_id: idSchema('pty').optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
})
export type ListAgreementsQuery = z.input<typeof listAgreementsQuerySchema>

export const agreementSchema = z.object({
  id: z.string(),
  model: agreementModelSchema,
  producer_id: z.string(),
  venue_id: z.string(),
  initiator_id: z.string(),
  status: agreementStatusSchema,
  /** The version in force (null until both sides accept one). */
  active_version: z.number().int().nullable(),
  latest_version: z.number().int(),
  terminated_at: timestampSchema.nullable(),
  termination_reason: z.string().nullable(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
})
export type Agreement = z.infer<typeof agreementSchema>

export const agreementVersionSchema = z.object({
  agreement_id: z.string(),
  version: z.number().int(),
  state: agreementVersionStateSchema,
  terms: answered(consignmentTermsSchema).meta({
    id: 'ConsignmentTerms',
    description: 'The terms as signed, every default filled in',
  }),
  terms_hash: z.string(),
  author_id: z.string(),
  proposed_at: timestampSchema.nullable(),
  producer_accepted_at: timestampSchema.nullable(),
  producer_accepted_by: z.string().nullable(),
  venue_accepted_at: timestampSchema.nullable(),
  venue_accepted_by: z.string().nullable(),
  effective_at: timestampSchema.nullable(),
  note: z.string().nullable(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
})
export type AgreementVersion = z.infer<typeof agreementVersionSchema>

export const agreementWithVersionsSchema = agreementSchema.extend({
  versions: z.array(agreementVersionSchema),
})
export type AgreementWithVersions = z.infer<typeof agreementWithVersionsSchema>
