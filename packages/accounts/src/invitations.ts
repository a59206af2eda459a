import { createHash, randomBytes } from 'node:crypto'
import {
  addMembership,
  assertRole,
  createUser,
  getParty,
  type Membership,
  type Scope,
  type User,
} from '@mitra/catalog'
import { MitraError, newId } from '@mitra/core'
import { atomically, type Executor, invitations, type Role } from '@mitra/db'
import { and, eq, gt, isNull } from 'drizzle-orm'
import { setPassword } from './sessions.js'

/** An invitation link is good for a week, once. */
export const invitationDays = 7

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

export interface Invitation {
  id: string
  party: { id: string; name: string; kind: string }
  role: Role
  expires_at: string
}

/**
 * An owner invites someone to their party with a role: the answer's `token` goes into a
 * one-time link (`/console/invite/{token}`) the owner sends by WhatsApp or SMS; it is stored
 * only as a hash.
 */
export async function invite(
  db: Executor,
  scope: Scope & { actorId: string },
  role: Role,
  now = new Date(),
): Promise<{ invitation: Invitation; token: string }> {
  assertRole(scope, 'owner')
  const token = `inv_${randomBytes(24).toString('base64url')}`
  const expiresAt = new Date(now.getTime() + invitationDays * 86_400_000)
  const id = newId('inv')
  await db.insert(invitations).values({
    id,
    partyId: scope.partyId,
    role,
    tokenHash: hash(token),
    invitedBy: scope.actorId,
    expiresAt,
    createdAt: now,
  })
  const party = await getParty(db, scope.partyId)
  return {
    invitation: {
      id,
      party: { id: party.id, name: party.name, kind: party.kind },
      role,
      expires_at: expiresAt.toISOString(),
    },
    token,
  }
}

const gone = () =>
  new MitraError('not_found', 'This invitation link has been used or has expired', {
    errors: [{ path: 'token', code: 'gone', message: 'used or expired' }],
  })

/** The invitation behind a link, while it is still open (else 404). */
export async function openInvitation(
  db: Executor,
  token: string,
  now = new Date(),
): Promise<Invitation> {
  const [row] = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tokenHash, hash(token)),
        isNull(invitations.acceptedAt),
        gt(invitations.expiresAt, now),
      ),
    )
  if (row === undefined) throw gone()
  const party = await getParty(db, row.partyId)
  return {
    id: row.id,
    party: { id: party.id, name: party.name, kind: party.kind },
    role: row.role,
    expires_at: row.expiresAt.toISOString(),
  }
}

/**
 * Accepts an invitation: as a person already signed in (`{ user }`), or as a new person with
 * a name, an email or phone number and a password. The link is spent in the same transaction
 * that adds the membership, so two tabs accepting it at once make one member.
 */
export async function acceptInvitation(
  db: Executor,
  token: string,
  who: { user: User } | { name: string; email?: string; phone?: string; password: string },
  now = new Date(),
): Promise<{ user: User; membership: Membership }> {
  return atomically(db, async (tx) => {
    const [spent] = await tx
      .update(invitations)
      .set({ acceptedAt: now })
      .where(
        and(
          eq(invitations.tokenHash, hash(token)),
          isNull(invitations.acceptedAt),
          gt(invitations.expiresAt, now),
        ),
      )
      .returning()
    if (spent === undefined) throw gone()
    let user: User
    if ('user' in who) {
      user = who.user
    } else {
      user = await createUser(tx, { name: who.name, email: who.email, phone: who.phone })
      await setPassword(tx, user.id, who.password)
    }
    await tx.update(invitations).set({ acceptedBy: user.id }).where(eq(invitations.id, spent.id))
    const membership = await addMembership(tx, {
      userId: user.id,
      partyId: spent.partyId,
      role: spent.role,
    })
    return { user, membership }
  })
}
