import { MitraError, notFound } from '@mitra/core'
import { type Executor, type PartyKind, parties } from '@mitra/db'
import { eq } from 'drizzle-orm'

/*
 * Who may take part in a partnership: contracts and partnerships are between parties of
 * given kinds (a buyer and a producer, a core partner and a producer).
 */

export async function partyKindOf(db: Executor, partyId: string): Promise<PartyKind | undefined> {
  const [row] = await db.select({ kind: parties.kind }).from(parties).where(eq(parties.id, partyId))
  return row?.kind
}

export function wrongKind(path: string, message: string): MitraError {
  return new MitraError('wrong_party_kind', message, {
    errors: [{ path, code: 'wrong_party_kind', message }],
  })
}

/** The acting party must be of `kind` (422 `wrong_party_kind` naming `path`). */
export async function requireActingKind(
  db: Executor,
  scope: { partyId: string },
  kind: PartyKind,
  path: string,
): Promise<void> {
  const actual = await partyKindOf(db, scope.partyId)
  if (actual === undefined) throw notFound('party', scope.partyId)
  if (actual !== kind) throw wrongKind(path, `The acting party is a ${actual}, not a ${kind}`)
}

/** A referenced party must exist (404 naming `path`) and be of `kind` (422 naming `path`). */
export async function requirePartyKind(
  db: Executor,
  partyId: string,
  kind: PartyKind,
  path: string,
): Promise<void> {
  const actual = await partyKindOf(db, partyId)
  if (actual === undefined) throw notFound('party', partyId, path)
  if (actual !== kind) throw wrongKind(path, `Party ${partyId} is a ${actual}, not a ${kind}`)
}
