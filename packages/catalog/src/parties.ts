import { MitraError, newId } from '@mitra/core'
import {
  clusterMemberRequests,
  clusterMembers,
  type Executor,
  type PartyKind,
  type PartyRow,
  parties,
  partyProfiles,
} from '@mitra/db'
import { and, asc, desc, eq, gt, or, type SQL } from 'drizzle-orm'
import { decodeCursor, encodeCursor } from './cursor.js'
import { atomically, iso, mapUniqueViolation, notFound, parseInput } from './internal.js'
import {
  type ClusterMember,
  type ClusterMembership,
  type ClusterSide,
  type CreatePartyInput,
  createPartySchema,
  type ListPartiesQuery,
  listPartiesQuerySchema,
  type Page,
  type Party,
  type PartyProfile,
  type UpdatePartyInput,
  updatePartySchema,
} from './schemas.js'
import { assertRole, type Scope } from './scope.js'

const partyUniques = {
  parties_slug_unique: { path: 'slug', message: 'Another party already uses this slug' },
}

type PartyWithProfile = { party: PartyRow; profile: Record<string, unknown> | null }

function toParty({ party, profile }: PartyWithProfile): Party {
  return {
    id: party.id,
    kind: party.kind,
    name: party.name,
    slug: party.slug,
    profile: (profile as PartyProfile | null) ?? null,
    created_at: iso(party.createdAt),
    updated_at: iso(party.updatedAt),
  }
}

function selectParties(db: Executor) {
  return db
    .select({ party: parties, profile: partyProfiles.profile })
    .from(parties)
    .leftJoin(partyProfiles, eq(partyProfiles.partyId, parties.id))
}

async function findParty(db: Executor, partyId: string): Promise<PartyWithProfile | undefined> {
  const [row] = await selectParties(db).where(eq(parties.id, partyId))
  return row
}

/**
 * Registers a party: a producer group, cluster, venue, core partner, buyer or the platform.
 * A slug already taken is a 409 naming `slug`.
 */
export async function createParty(db: Executor, input: CreatePartyInput): Promise<Party> {
  const data = parseInput(createPartySchema, input)
  try {
    return await atomically(db, async (tx) => {
      const [party] = await tx
        .insert(parties)
        .values({ id: newId('pty'), kind: data.kind, name: data.name, slug: data.slug })
        .returning()
      if (party === undefined) throw new Error('insert returned no row')
      if (data.profile !== undefined) {
        await tx.insert(partyProfiles).values({ partyId: party.id, profile: data.profile })
      }
      return toParty({ party, profile: data.profile ?? null })
    })
  } catch (error) {
    mapUniqueViolation(error, partyUniques)
  }
}

/** A party by id; 404 when there is none. */
export async function getParty(db: Executor, partyId: string): Promise<Party> {
  const row = await findParty(db, partyId)
  if (row === undefined) throw notFound('party', partyId)
  return toParty(row)
}

/**
 * Changes a party's name, slug or profile. Only the party's own owners may: another party's
 * id is a 404, a staff member a 403.
 */
export async function updateParty(
  db: Executor,
  scope: Scope,
  partyId: string,
  input: UpdatePartyInput,
): Promise<Party> {
  if (partyId !== scope.partyId) throw notFound('party', partyId)
  assertRole(scope, 'owner')
  const data = parseInput(updatePartySchema, input)
  try {
    return await atomically(db, async (tx) => {
      const now = new Date()
      const patch: Partial<PartyRow> = { updatedAt: now }
      if (data.name !== undefined) patch.name = data.name
      if (data.slug !== undefined) patch.slug = data.slug
      const [party] = await tx.update(parties).set(patch).where(eq(parties.id, partyId)).returning()
      if (party === undefined) throw notFound('party', partyId)
      if (data.profile === null) {
        await tx.delete(partyProfiles).where(eq(partyProfiles.partyId, partyId))
      } else if (data.profile !== undefined) {
        await tx
          .insert(partyProfiles)
          .values({ partyId, profile: data.profile })
          .onConflictDoUpdate({
            target: partyProfiles.partyId,
            set: { profile: data.profile, updatedAt: now },
          })
      }
      const row = await findParty(tx, partyId)
      if (row === undefined) throw notFound('party', partyId)
      return toParty(row)
    })
  } catch (error) {
    mapUniqueViolation(error, partyUniques)
  }
}

/** The directory of parties, oldest first, optionally of one kind. */
export async function listParties(
  db: Executor,
  query: ListPartiesQuery = {},
): Promise<Page<Party>> {
  const { kind, cursor, limit } = parseInput(listPartiesQuerySchema, query)
  const conditions: SQL[] = []
  if (kind !== undefined) conditions.push(eq(parties.kind, kind))
  if (cursor !== undefined) conditions.push(gt(parties.id, decodeCursor(cursor, 'id').id))
  const rows = await selectParties(db)
    .where(and(...conditions))
    .orderBy(asc(parties.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    data: page.map(toParty),
    next_cursor:
      rows.length > limit && last !== undefined
        ? encodeCursor({ kind: 'id', id: last.party.id })
        : null,
  }
}

/** The party `partyId`, which must be of `kind`: 404 if missing, 422 if of another kind. */
async function partyOfKind(
  db: Executor,
  partyId: string,
  kind: PartyKind,
  path: string,
): Promise<PartyRow> {
  const [party] = await db.select().from(parties).where(eq(parties.id, partyId))
  if (party === undefined) throw notFound('party', partyId, path)
  if (party.kind !== kind) {
    const message = `Party '${partyId}' is a ${party.kind}, not a ${kind}`
    throw new MitraError('wrong_party_kind', message, {
      errors: [{ path, code: 'wrong_party_kind', message }],
    })
  }
  return party
}

/**
 * Makes a producer group a member of a cluster or cooperative outright, both sides having
 * agreed outside the API (the platform's onboarding, seeds). Through the API a membership
 * needs both sides' consent: `consentToClusterMembership`. Adding a member twice changes
 * nothing (the first joining date stays).
 */
export async function addClusterMember(
  db: Executor,
  clusterId: string,
  producerId: string,
): Promise<ClusterMember> {
  return atomically(db, async (tx) => {
    await partyOfKind(tx, clusterId, 'cluster', 'cluster_id')
    await partyOfKind(tx, producerId, 'producer', 'producer_id')
    await tx.insert(clusterMembers).values({ clusterId, producerId }).onConflictDoNothing()
    const [row] = await tx
      .select()
      .from(clusterMembers)
      .where(
        and(eq(clusterMembers.clusterId, clusterId), eq(clusterMembers.producerId, producerId)),
      )
    if (row === undefined) throw notFound('cluster member', producerId, 'producer_id')
    return { cluster_id: row.clusterId, producer_id: row.producerId, joined_at: iso(row.joinedAt) }
  })
}

/**
 * One side's consent to a membership: the cluster inviting a producer group, or the group
 * asking to join. The membership begins when the second side consents (the two in either
 * order); until then it is an open invitation or request that the cluster cannot use to
 * read anything of the group's. Consenting again changes nothing.
 */
export async function consentToClusterMembership(
  db: Executor,
  clusterId: string,
  producerId: string,
  side: ClusterSide,
): Promise<ClusterMembership> {
  return atomically(db, async (tx) => {
    await partyOfKind(tx, clusterId, 'cluster', 'cluster_id')
    await partyOfKind(tx, producerId, 'producer', 'producer_id')
    const pair = and(
      eq(clusterMemberRequests.clusterId, clusterId),
      eq(clusterMemberRequests.producerId, producerId),
    )
    const member = await membershipRow(tx, clusterId, producerId)
    if (member !== undefined) return member
    // The pair's row is the lock: two consents at once meet here, one after the other.
    await tx
      .insert(clusterMemberRequests)
      .values({ clusterId, producerId, askedBy: side })
      .onConflictDoNothing()
    const [request] = await tx.select().from(clusterMemberRequests).where(pair).for('update')
    if (request === undefined || request.askedBy === side) {
      return {
        cluster_id: clusterId,
        producer_id: producerId,
        status: side === 'cluster' ? 'invited' : 'requested',
        joined_at: null,
      }
    }
    await tx.delete(clusterMemberRequests).where(pair)
    await tx.insert(clusterMembers).values({ clusterId, producerId }).onConflictDoNothing()
    return (await membershipRow(tx, clusterId, producerId)) as ClusterMembership
  })
}

async function membershipRow(
  db: Executor,
  clusterId: string,
  producerId: string,
): Promise<ClusterMembership | undefined> {
  const [row] = await db
    .select()
    .from(clusterMembers)
    .where(and(eq(clusterMembers.clusterId, clusterId), eq(clusterMembers.producerId, producerId)))
  if (row === undefined) return undefined
  return {
    cluster_id: row.clusterId,
    producer_id: row.producerId,
    status: 'member',
    joined_at: iso(row.joinedAt),
  }
}

/** The invitations and requests to join waiting on either side, for a cluster or a group. */
export async function openClusterRequests(
  db: Executor,
  partyId: string,
): Promise<ClusterMembership[]> {
  const rows = await db
    .select()
    .from(clusterMemberRequests)
    .where(
      or(
        eq(clusterMemberRequests.clusterId, partyId),
        eq(clusterMemberRequests.producerId, partyId),
      ),
    )
    .orderBy(desc(clusterMemberRequests.createdAt))
  return rows.map((row) => ({
    cluster_id: row.clusterId,
    producer_id: row.producerId,
    status: row.askedBy === 'cluster' ? ('invited' as const) : ('requested' as const),
    joined_at: null,
  }))
}

/**
 * Ends a membership, or withdraws an open invitation or request (either side may); true
 * when there was one.
 */
export async function removeClusterMember(
  db: Executor,
  clusterId: string,
  producerId: string,
): Promise<boolean> {
  return atomically(db, async (tx) => {
    const removed = await tx
      .delete(clusterMembers)
      .where(
        and(eq(clusterMembers.clusterId, clusterId), eq(clusterMembers.producerId, producerId)),
      )
      .returning({ producerId: clusterMembers.producerId })
    const withdrawn = await tx
      .delete(clusterMemberRequests)
      .where(
        and(
          eq(clusterMemberRequests.clusterId, clusterId),
          eq(clusterMemberRequests.producerId, producerId),
        ),
      )
      .returning({ producerId: clusterMemberRequests.producerId })
    return removed.length + withdrawn.length > 0
  })
}

/** A cluster's member producers, in the order they joined. */
export async function listClusterMembers(db: Executor, clusterId: string): Promise<Party[]> {
  await partyOfKind(db, clusterId, 'cluster', 'cluster_id')
  const rows = await selectParties(db)
    .innerJoin(clusterMembers, eq(clusterMembers.producerId, parties.id))
    .where(eq(clusterMembers.clusterId, clusterId))
    .orderBy(asc(clusterMembers.joinedAt), asc(parties.id))
  return rows.map(toParty)
}

/** The clusters a producer belongs to, in the order it joined them. */
export async function clustersOf(db: Executor, producerId: string): Promise<Party[]> {
  await partyOfKind(db, producerId, 'producer', 'producer_id')
  const rows = await selectParties(db)
    .innerJoin(clusterMembers, eq(clusterMembers.clusterId, parties.id))
    .where(eq(clusterMembers.producerId, producerId))
    .orderBy(asc(clusterMembers.joinedAt), asc(parties.id))
  return rows.map(toParty)
}
