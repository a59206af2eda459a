import { assertRole, decodeCursor, encodeCursor, type Page, type Scope } from '@mitra/catalog'
import { MitraError } from '@mitra/core'
import { type Executor, type PartyRow, parties, partnerProfiles } from '@mitra/db'
import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm'
import { atomically, iso, notFound, parseInput } from './internal.js'
import {
  type ListPartnersQuery,
  listPartnersQuerySchema,
  type PartnerKind,
  type PartnerLocation,
  type PartnerProfile,
  type UpsertPartnerProfileInput,
  upsertPartnerProfileSchema,
} from './schemas.js'

/**
 * The partner directory (step 1 of the partnership cycle: identify and map partners):
 * producer groups and venues say where they are, what they make or sell and what partner
 * they seek, so the other side can find them and propose an agreement.
 */

type ProfileRow = { party: PartyRow; profile: typeof partnerProfiles.$inferSelect }

function toPartnerProfile({ party, profile }: ProfileRow): PartnerProfile {
  return {
    party: { id: party.id, kind: party.kind as PartnerKind, name: party.name, slug: party.slug },
    location: profile.location as PartnerLocation,
    categories: profile.categories as PartnerProfile['categories'],
    seeking: profile.seeking,
    listed: profile.listed,
    created_at: iso(profile.createdAt),
    updated_at: iso(profile.updatedAt),
  }
}

function selectProfiles(db: Executor) {
  return db
    .select({ party: parties, profile: partnerProfiles })
    .from(partnerProfiles)
    .innerJoin(parties, eq(parties.id, partnerProfiles.partyId))
}

/** "Kab. Semarang", "kabupaten  semarang" and "Kabupaten Semarang" are the same regency. */
function normalizedRegency(value: SQL | string): SQL {
  return sql`regexp_replace(regexp_replace(lower(trim(${value})), '\\s+', ' ', 'g'), '^kab(\\.|upaten)\\s*', 'kabupaten ')`
}

/**
 * Creates or replaces the scope's own directory entry. Only owners of a producer group or a
 * venue have one (others: 403).
 *
 * @example
 * await upsertPartnerProfile(db, { partyId: venue.id, role: 'owner' }, {
 *   location: { village: 'Banaran', regency: 'Kabupaten Semarang', province: 'Jawa Tengah' },
 *   categories: ['batik', 'snacks'],
 *   seeking: { id: 'Batik dan camilan lokal untuk dijual di kafe' },
 * })
 */
export async function upsertPartnerProfile(
  db: Executor,
  scope: Scope,
  input: UpsertPartnerProfileInput,
): Promise<PartnerProfile> {
  assertRole(scope, 'owner')
  const data = parseInput(upsertPartnerProfileSchema, input)
  return atomically(db, async (tx) => {
    const [party] = await tx.select().from(parties).where(eq(parties.id, scope.partyId))
    if (party === undefined) throw notFound('party', scope.partyId)
    if (party.kind !== 'producer' && party.kind !== 'venue') {
      throw new MitraError(
        'forbidden',
        `Only producer groups and venues are listed in the partner directory, not a ${party.kind}`,
      )
    }
    const now = new Date()
    const values = {
      location: data.location,
      categories: data.categories,
      seeking: data.seeking,
      listed: data.listed,
    }
    const [profile] = await tx
      .insert(partnerProfiles)
      .values({ partyId: party.id, ...values })
      .onConflictDoUpdate({ target: partnerProfiles.partyId, set: { ...values, updatedAt: now } })
      .returning()
    if (profile === undefined) throw new Error('upsert returned no row')
    return toPartnerProfile({ party, profile })
  })
}

/**
 * A party's directory entry. An unlisted entry is shown only to its own party (given as
 * `scope`); to anyone else it, like a missing one, is a 404.
 */
export async function getPartnerProfile(
  db: Executor,
  partyId: string,
  scope?: Scope,
): Promise<PartnerProfile> {
  const [row] = await selectProfiles(db).where(eq(partnerProfiles.partyId, partyId))
  if (row === undefined || (!row.profile.listed && scope?.partyId !== partyId)) {
    throw notFound('partner profile', partyId)
  }
  return toPartnerProfile(row)
}

/**
 * Listed producer groups and venues, oldest first, optionally of one kind, making or selling
 * one category, in one regency. Paged with `cursor` / `next_cursor`.
 */
export async function listPartners(
  db: Executor,
  query: ListPartnersQuery = {},
): Promise<Page<PartnerProfile>> {
  const { kind, category, regency, cursor, limit } = parseInput(listPartnersQuerySchema, query)
  const conditions: SQL[] = [eq(partnerProfiles.listed, true)]
  if (kind !== undefined) conditions.push(eq(parties.kind, kind))
  if (category !== undefined) {
    conditions.push(sql`${partnerProfiles.categories} @> array[${category}]::text[]`)
  }
  if (regency !== undefined) {
    conditions.push(
      sql`${normalizedRegency(sql`${partnerProfiles.location}->>'regency'`)} = ${normalizedRegency(regency)}`,
    )
  }
  if (cursor !== undefined) {
    conditions.push(gt(partnerProfiles.partyId, decodeCursor(cursor, 'id').id))
  }
  const rows = await selectProfiles(db)
    .where(and(...conditions))
    .orderBy(asc(partnerProfiles.partyId))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    data: page.map(toPartnerProfile),
    next_cursor:
      rows.length > limit && last !== undefined
        ? encodeCursor({ kind: 'id', id: last.party.id })
        : null,
  }
}
