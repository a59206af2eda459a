// Test fixtures for the stock tests (not exported, not built).
import { createHash, randomBytes } from 'node:crypto'
import { createParty, createProduct, type Party, setProductStatus } from '@mitra/catalog'
import { newId } from '@mitra/core'
import { agreements, agreementVersions, type Executor, type PartyKind } from '@mitra/db'
import { eq } from 'drizzle-orm'
import { type ConsignmentTermsInput, consignmentTermsSchema } from '../terms.js'
import { sampleTerms } from '../testing.js'
import { receiveDelivery, sendDelivery } from './deliveries.js'
import type { StockScope } from './internal.js'

export interface TestParty {
  party: Party
  id: string
  owner: StockScope
  staff: StockScope
}

export async function party(db: Executor, kind: PartyKind, name?: string): Promise<TestParty> {
  const created = await createParty(db, {
    kind,
    name: name ?? `Test ${kind} ${randomBytes(2).toString('hex')}`,
    slug: `${kind.replace('_', '-')}-${randomBytes(5).toString('hex')}`,
  })
  return {
    party: created,
    id: created.id,
    owner: { partyId: created.id, role: 'owner', actorId: newId('usr') },
    staff: { partyId: created.id, role: 'staff', actorId: newId('usr') },
  }
}

let skuCounter = 0

/**
 * An active product of `producer` with `count` priced variants (Rp100.000, Rp150.000, …),
 * returning the variant ids in creation order.
 */
export async function variants(
  db: Executor,
  producer: TestParty,
  count = 1,
  options: { price?: number | null; active?: boolean } = {},
): Promise<string[]> {
  const product = await createProduct(db, producer.owner, {
    title: { id: 'Kain batik tulis pewarna alami', en: 'Hand-drawn batik, natural dye' },
    category: 'batik',
    variants: Array.from({ length: count }, (_, index) => {
      skuCounter += 1
      const price =
        options.price === undefined ? 100_000 + index * 50_000 : (options.price ?? undefined)
      return {
        sku: `BTK-${skuCounter}-${randomBytes(3).toString('hex')}`,
        options: { size: `S${index}` },
        weight_grams: 300,
        ...(price === undefined ? {} : { price: { amount: price, currency: 'IDR' } }),
      }
    }),
  })
  if (options.active !== false && options.price !== null) {
    await setProductStatus(db, producer.owner, product.id, 'active')
  }
  return product.variants.map((variant) => variant.id)
}

/** A consignment agreement in force between them, accepted by both (version 1). */
export async function activeAgreement(
  db: Executor,
  producer: TestParty,
  venue: TestParty,
  terms: ConsignmentTermsInput = sampleTerms,
): Promise<string> {
  const id = newId('agr')
  const parsed = consignmentTermsSchema.parse(terms)
  const at = new Date('2025-01-01T00:00:00Z')
  await db.insert(agreements).values({
    id,
    model: 'consignment',
    producerId: producer.id,
    venueId: venue.id,
    initiatorId: producer.id,
    status: 'active',
    activeVersion: 1,
    latestVersion: 1,
  })
  await db.insert(agreementVersions).values({
    agreementId: id,
    version: 1,
    state: 'accepted',
    terms: parsed as unknown as Record<string, unknown>,
    termsHash: createHash('sha256').update(JSON.stringify(parsed)).digest('hex'),
    authorId: producer.id,
    proposedAt: at,
    producerAcceptedAt: at,
    producerAcceptedBy: producer.owner.actorId ?? null,
    venueAcceptedAt: at,
    venueAcceptedBy: venue.owner.actorId ?? null,
    effectiveAt: at,
  })
  return id
}

/** Ends an agreement (as the agreements service would on termination). */
export async function terminate(db: Executor, agreementId: string): Promise<void> {
  await db
    .update(agreements)
    .set({ status: 'terminated', terminatedAt: new Date(), terminationReason: 'test' })
    .where(eq(agreements.id, agreementId))
}

/** A producer and a venue with an agreement in force, and `count` variants. */
export async function partners(
  db: Executor,
  options: { count?: number; terms?: ConsignmentTermsInput } = {},
) {
  const producer = await party(db, 'producer', 'Batik Gemawang')
  const venue = await party(db, 'venue', 'Kafe Banaran 9')
  const agreementId = await activeAgreement(db, producer, venue, options.terms)
  const ids = await variants(db, producer, options.count ?? 1)
  return { producer, venue, agreementId, variants: ids }
}

/**
 * Two producers and two venues, nothing delivered yet: producer 1 (Batik Gemawang, two batik
 * variants) and producer 2 (Madu Gemawang, one honey variant, priced `honeyPrice` when given)
 * both consign to venue 1 (Kafe Banaran 9); producer 1 also to venue 2 (Galeri Gemawangi).
 */
export async function twoProducersTwoVenues(db: Executor, options: { honeyPrice?: number } = {}) {
  const one = await partners(db, { count: 2 })
  const [batikA, batikB] = one.variants as [string, string]
  const producer2 = await party(db, 'producer', 'Madu Gemawang')
  await activeAgreement(db, producer2, one.venue)
  const [honey] = (await variants(
    db,
    producer2,
    1,
    options.honeyPrice === undefined ? {} : { price: options.honeyPrice },
  )) as [string]
  const venue2 = await party(db, 'venue', 'Galeri Gemawangi')
  await activeAgreement(db, one.producer, venue2)
  return {
    producer1: one.producer,
    producer2,
    venue1: one.venue,
    venue2,
    batikA,
    batikB,
    honey,
  }
}

/** Sends and receives a delivery in one go: `quantities[i]` units of `variantIds[i]`. */
export async function stockUp(
  db: Executor,
  producer: TestParty,
  venue: TestParty,
  lines: { variant_id: string; quantity: number }[],
  now?: Date,
): Promise<string> {
  const delivery = await sendDelivery(
    db,
    producer.staff,
    {
      venue_id: venue.id,
      note_number: `SJ/${randomBytes(4).toString('hex')}`,
      lines,
    },
    now === undefined ? undefined : { now },
  )
  await receiveDelivery(
    db,
    venue.staff,
    delivery.id,
    { lines },
    now === undefined ? undefined : { now },
  )
  return delivery.id
}

let receiptCounter = 0

export function receipt(): string {
  receiptCounter += 1
  return `R-${receiptCounter}-${randomBytes(3).toString('hex')}`
}

export { expectMitraError } from '@mitra/db/testing'
