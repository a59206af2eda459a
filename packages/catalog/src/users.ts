import { fieldError, newId } from '@mitra/core'
import { type Executor, memberships, parties, users } from '@mitra/db'
import { and, asc, eq, type SQL, sql } from 'drizzle-orm'
import { iso, mapUniqueViolation, notFound, parseInput, parseRequestInput } from './internal.js'
import {
  type AddMembershipInput,
  addMembershipSchema,
  type CreateUserInput,
  createUserSchema,
  emailSchema,
  type Membership,
  phoneSchema,
  type User,
} from './schemas.js'

type UserRow = typeof users.$inferSelect
type MembershipRow = typeof memberships.$inferSelect

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    phone: row.phone,
    name: row.name,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  }
}

function toMembership(row: MembershipRow): Membership {
  return {
    id: row.id,
    user_id: row.userId,
    party_id: row.partyId,
    role: row.role,
    created_at: iso(row.createdAt),
  }
}

/** A person who signs in to the partner console. The email is unique, ignoring case. */
export async function createUser(db: Executor, input: CreateUserInput): Promise<User> {
  const data = parseInput(createUserSchema, input)
  try {
    const [row] = await db
      .insert(users)
      .values({
        id: newId('usr'),
        email: data.email ?? null,
        phone: data.phone ?? null,
        name: data.name,
      })
      .returning()
    if (row === undefined) throw new Error('insert returned no row')
    return toUser(row)
  } catch (error) {
    mapUniqueViolation(error, {
      users_email_unique: { path: 'email', message: 'A user with this email already exists' },
      users_phone_unique: {
        path: 'phone',
        message: 'A user with this phone number already exists',
      },
    })
  }
}

/** A user by id; 404 when there is none. */
export async function getUser(db: Executor, userId: string): Promise<User> {
  const [row] = await db.select().from(users).where(eq(users.id, userId))
  if (row === undefined) throw notFound('user', userId)
  return toUser(row)
}

/** The user with this email (any case), or null. */
export async function findUserByEmail(db: Executor, email: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`)
  return row === undefined ? null : toUser(row)
}

/**
 * What a person typed to say who they are: an email address (it has an `@`) or a phone number
 * as people write it in Indonesia (kept as E.164). Anything else is a 422 naming `field`.
 */
export function emailOrPhone(
  value: string,
  field: string,
): { email: string; phone?: undefined } | { email?: undefined; phone: string } {
  const typed = value.trim()
  if (typed.includes('@')) {
    const email = emailSchema.safeParse(typed)
    if (email.success) return { email: email.data }
  } else {
    const phone = phoneSchema.safeParse(typed)
    if (phone.success) return { phone: phone.data }
  }
  throw fieldError(field, 'invalid', 'an email address or a phone number')
}

/** The user with this email (any case) or phone number (E.164, as `phoneSchema` keeps it). */
export async function findUserByContact(
  db: Executor,
  contact: { email?: string | undefined; phone?: string | undefined },
): Promise<User | null> {
  if (contact.email !== undefined) return findUserByEmail(db, contact.email)
  if (contact.phone === undefined) return null
  const [row] = await db.select().from(users).where(eq(users.phone, contact.phone))
  return row === undefined ? null : toUser(row)
}

/**
 * Gives a user a role in a party. The user and party must exist (404 naming `user_id` or
 * `party_id`); a user already in the party is a 409 naming `user_id`.
 */
export async function addMembership(db: Executor, input: AddMembershipInput): Promise<Membership> {
  const data = parseRequestInput(addMembershipSchema, input)
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, data.userId))
  if (user === undefined) throw notFound('user', data.userId, 'user_id')
  const [party] = await db
    .select({ id: parties.id })
    .from(parties)
    .where(eq(parties.id, data.partyId))
  if (party === undefined) throw notFound('party', data.partyId, 'party_id')
  try {
    const [row] = await db
      .insert(memberships)
      .values({ id: newId('mem'), userId: data.userId, partyId: data.partyId, role: data.role })
      .returning()
    if (row === undefined) throw new Error('insert returned no row')
    return toMembership(row)
  } catch (error) {
    mapUniqueViolation(error, {
      memberships_user_party_unique: {
        path: 'user_id',
        message: 'This user is already a member of this party',
      },
    })
  }
}

/** Memberships of a user, of a party, or of both (at least one must be given). */
export async function listMemberships(
  db: Executor,
  filter: { userId?: string; partyId?: string },
): Promise<Membership[]> {
  const conditions: SQL[] = []
  if (filter.userId !== undefined) conditions.push(eq(memberships.userId, filter.userId))
  if (filter.partyId !== undefined) conditions.push(eq(memberships.partyId, filter.partyId))
  if (conditions.length === 0) {
    throw new TypeError('listMemberships needs a userId or a partyId')
  }
  const rows = await db
    .select()
    .from(memberships)
    .where(and(...conditions))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
  return rows.map(toMembership)
}

/** The user's membership of the party, or null when the user has no role there. */
export async function membershipOf(
  db: Executor,
  userId: string,
  partyId: string,
): Promise<Membership | null> {
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.partyId, partyId)))
  return row === undefined ? null : toMembership(row)
}
