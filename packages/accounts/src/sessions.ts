import { createHash, randomBytes } from 'node:crypto'
import { emailOrPhone, findUserByContact, getUser, type User } from '@mitra/catalog'
import { MitraError, newId } from '@mitra/core'
import { type Executor, sessions, signInFailures, users } from '@mitra/db'
import { and, count, eq, gt, isNull, lt, min } from 'drizzle-orm'
import { decoyHash, hashPassword, verifyPassword } from './passwords.js'

/** How long a sign-in lasts: a phone at a café's counter stays signed in for a month. */
export const sessionDays = 30
/** Failed sign-ins are counted over this window… */
export const failureWindowMinutes = 15
/** …and refused past these: per account (guessing one password), per client (spraying). */
export const failureLimits = { account: 5, client: 50 }

const hash = (token: string) => createHash('sha256').update(token).digest('hex')
const minutes = (n: number) => n * 60_000

export interface SignedIn {
  /** The cookie's value: shown once, stored only as a hash. */
  token: string
  sessionId: string
  user: User
  expiresAt: Date
}

export interface SessionOf {
  sessionId: string
  user: User
}

/**
 * Signs a person in by email or phone number and password. A wrong password and an unknown
 * account get the same 401, after the same work. Past `failureLimits` failed attempts in
 * `failureWindowMinutes` for the account or for the client address, every attempt is a 429
 * with `retry_after` (seconds) until the oldest failure leaves the window, right password or
 * not: a guesser learns nothing more.
 */
export async function signIn(
  db: Executor,
  input: { contact: string; password: string; client: string },
  now = new Date(),
): Promise<SignedIn> {
  const contact = emailOrPhone(input.contact, 'contact')
  const subjects = [`account:${contact.email ?? contact.phone}`, `client:${input.client}`]
  const since = new Date(now.getTime() - minutes(failureWindowMinutes))
  const limits = [failureLimits.account, failureLimits.client]
  for (const [index, subject] of subjects.entries()) {
    const [row] = await db
      .select({ failures: count(), oldest: min(signInFailures.at) })
      .from(signInFailures)
      .where(and(eq(signInFailures.subject, subject), gt(signInFailures.at, since)))
    if ((row?.failures ?? 0) >= (limits[index] as number)) {
      const reopens = (row?.oldest ?? now).getTime() + minutes(failureWindowMinutes)
      const seconds = Math.max(1, Math.ceil((reopens - now.getTime()) / 1000))
      throw new MitraError('rate_limited', 'Too many failed sign-ins; try again later', {
        extensions: { retry_after: seconds },
      })
    }
  }

  const user = await findUserByContact(db, contact)
  const [stored] = user
    ? await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id))
    : []
  const matches = await verifyPassword(input.password, stored?.hash ?? (await decoyHash))
  if (user === null || !stored?.hash || !matches) {
    await db
      .insert(signInFailures)
      .values(subjects.map((subject) => ({ id: newId('sif'), subject, at: now })))
    throw new MitraError('unauthorized', 'The email or phone number, or the password, is wrong', {
      errors: [{ path: 'password', code: 'wrong', message: 'wrong email, phone or password' }],
    })
  }
  // A success clears the account's count; old rows of any subject are pruned as we go.
  await db.delete(signInFailures).where(eq(signInFailures.subject, subjects[0] as string))
  await db.delete(signInFailures).where(lt(signInFailures.at, since))
  return startSession(db, user, now)
}

/** A new session for a person (after sign-in, or on accepting an invitation). */
export async function startSession(db: Executor, user: User, now = new Date()): Promise<SignedIn> {
  const token = `ses_${randomBytes(32).toString('base64url')}`
  const expiresAt = new Date(now.getTime() + sessionDays * 24 * 60 * minutes(1))
  const sessionId = newId('ses')
  await db.insert(sessions).values({
    id: sessionId,
    userId: user.id,
    tokenHash: hash(token),
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  })
  return { token, sessionId, user, expiresAt }
}

/** The person a session token belongs to, or null (unknown, expired, signed out). */
export async function sessionOf(
  db: Executor,
  token: string,
  now = new Date(),
): Promise<SessionOf | null> {
  if (!token.startsWith('ses_')) return null
  const [row] = await db
    .select({ id: sessions.id, userId: sessions.userId, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(
      and(
        eq(sessions.tokenHash, hash(token)),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
      ),
    )
  if (row === undefined) return null
  // Last seen, to the hour: enough for "signed in on 3 devices", without a write per request.
  if (now.getTime() - row.lastSeenAt.getTime() > minutes(60)) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.id))
  }
  return { sessionId: row.id, user: await getUser(db, row.userId) }
}

/** Ends one session (sign out on this device). */
export async function signOut(db: Executor, token: string, now = new Date()): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.tokenHash, hash(token)), isNull(sessions.revokedAt)))
}

/** Ends every session of a person (sign out everywhere; after a password change). */
export async function signOutEverywhere(
  db: Executor,
  userId: string,
  now = new Date(),
): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id })
  return ended.length
}

/** Sets a person's password (422 naming `password` when outside the rule). */
export async function setPassword(db: Executor, userId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password)
  const updated = await db
    .update(users)
    .set({ passwordHash, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning({ id: users.id })
  if (updated.length === 0) throw new MitraError('not_found', `No user ${userId}`)
}
