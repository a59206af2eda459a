// Test fixtures for this package's own tests (not exported, not built).
import { randomBytes } from 'node:crypto'
import { newId } from '@mitra/core'
import { type Executor, mediaAssets, type PartyKind } from '@mitra/db'
import { createParty } from './parties.js'
import type { CreateProductInput, Party } from './schemas.js'
import type { Scope } from './scope.js'

export function uniqueSlug(base: string): string {
  return `${base}-${randomBytes(4).toString('hex')}`
}

export async function party(
  db: Executor,
  kind: PartyKind,
  name = 'Kelompok Batik Gemawang',
): Promise<Party> {
  return createParty(db, { kind, name, slug: uniqueSlug(kind) })
}

/** A producer group and an owner scope for it. */
export async function producer(
  db: Executor,
  name = 'Batik Gemawang',
): Promise<{ party: Party; scope: Scope }> {
  const created = await party(db, 'producer', name)
  return { party: created, scope: { partyId: created.id, role: 'owner' } }
}

/** A media asset of `partyId`, as @mitra/branding would store it. */
export async function mediaAsset(db: Executor, partyId: string): Promise<string> {
  const id = newId('med')
  await db.insert(mediaAssets).values({
    id,
    partyId,
    sourceHash: randomBytes(32).toString('hex'),
    sourceFormat: 'jpeg',
    width: 1200,
    height: 800,
    dominantColor: '#1f3a5f',
    placeholder: 'data:image/webp;base64,AAAA',
    variants: [],
  })
  return id
}

let skuCounter = 0

export function sku(prefix = 'SKU'): string {
  skuCounter += 1
  return `${prefix}-${skuCounter}-${randomBytes(3).toString('hex')}`
}

/** A valid product input: a batik cloth with one priced variant. */
export function batik(overrides: Partial<CreateProductInput> = {}): CreateProductInput {
  return {
    title: { id: 'Kain batik tulis pewarna alami', en: 'Hand-drawn batik cloth, natural dye' },
    description: {
      id: 'Batik tulis dari Desa Gemawang dengan warna indigo alami.',
      en: 'Hand-drawn batik from Gemawang village, dyed with natural indigo.',
    },
    category: 'batik',
    materials: ['katun', 'malam', 'indigo'],
    tags: ['batik tulis', 'indigo'],
    origin: {
      village: 'Gemawang',
      district: 'Jambu',
      regency: 'Kabupaten Semarang',
      province: 'Jawa Tengah',
    },
    variants: [
      {
        sku: sku('BTK'),
        options: { size: '200x110' },
        weight_grams: 350,
        price: { amount: 450_000, currency: 'IDR' },
      },
    ],
    ...overrides,
  }
}

export { expectMitraError } from '@mitra/db/testing'
