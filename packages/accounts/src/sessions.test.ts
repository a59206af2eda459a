import { addMembership, createParty, createUser } from '@mitra/catalog'
import type { MitraError } from '@mitra/core'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from './passwords.js'
import {
  failureLimits,
  sessionOf,
  setPassword,
  signIn,
  signOut,
  signOutEverywhere,
} from './sessions.js'

const caught = async (work: Promise<unknown>) => {
  try {
    await work
  } catch (error) {
    return error as MitraError
  }
  throw new Error('expected a refusal')
}

describe('passwords', () => {
  it('are salted scrypt hashes that verify only the same password', async () => {
    const [a, b] = await Promise.all([
      hashPassword('batik tulis 2026'),
      hashPassword('batik tulis 2026'),
    ])
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('batik tulis 2026', a as string)).toBe(true)
    expect(await verifyPassword('batik tulis 2027', a as string)).toBe(false)
    expect(await verifyPassword('batik tulis 2026', 'md5$x')).toBe(false)
    expect((await caught(hashPassword('short'))).errors[0]?.path).toBe('password')
  })
})

describe.each(testDatabaseKinds())('signing in on %s', (kind) => {
  const database = useTestDatabase(kind)

  // Each test has its own party and number: the database is shared by the file's tests.
  async function person(phone: string) {
    const { db } = database()
    const party = await createParty(db, {
      kind: 'producer',
      name: 'Batik Gemawangi',
      slug: `batik-${phone.slice(-4)}`,
    })
    const user = await createUser(db, { name: 'Sri', phone })
    await addMembership(db, { userId: user.id, partyId: party.id, role: 'owner' })
    await setPassword(db, user.id, 'batik tulis 2026')
    return user
  }

  it('finds the person however the phone number is typed, and the session until sign-out', async () => {
    const { db } = database()
    const user = await person('0812-3456-7890')
    expect(user.phone).toBe('+6281234567890')
    const session = await signIn(db, {
      contact: '+62 812 3456 7890',
      password: 'batik tulis 2026',
      client: '10.0.0.1',
    })
    expect(session.token).toMatch(/^ses_/)
    expect((await sessionOf(db, session.token))?.user.id).toBe(user.id)
    // Another device, then sign out on this one: the other stays.
    const other = await signIn(db, {
      contact: '081234567890',
      password: 'batik tulis 2026',
      client: '10.0.0.2',
    })
    await signOut(db, session.token)
    expect(await sessionOf(db, session.token)).toBeNull()
    expect(await sessionOf(db, other.token)).not.toBeNull()
    // Everywhere: none left. A month later, none either.
    const third = await signIn(db, {
      contact: '0812 3456 7890',
      password: 'batik tulis 2026',
      client: '10.0.0.3',
    })
    expect(await signOutEverywhere(db, user.id)).toBe(2)
    expect(await sessionOf(db, third.token)).toBeNull()
    const late = await signIn(db, {
      contact: '081234567890',
      password: 'batik tulis 2026',
      client: 'x',
    })
    expect(await sessionOf(db, late.token, new Date(Date.now() + 31 * 86_400_000))).toBeNull()
    expect(await sessionOf(db, 'ses_forged')).toBeNull()
  })

  it('answers a wrong password and an unknown account alike, and stops a guesser', async () => {
    const { db } = database()
    await person('0812-5555-0001')
    const wrong = await caught(
      signIn(db, { contact: '081255550001', password: 'wrong password', client: '10.0.0.9' }),
    )
    const unknown = await caught(
      signIn(db, { contact: '081299999999', password: 'wrong password', client: '10.0.0.9' }),
    )
    expect([wrong.status, unknown.status]).toEqual([401, 401])
    expect(wrong.message).toBe(unknown.message)
    const malformed = await caught(signIn(db, { contact: 'hello', password: 'x', client: 'y' }))
    expect(malformed.status).toBe(422)
    expect(malformed.errors[0]?.path).toBe('contact')

    for (let i = 1; i < failureLimits.account; i++) {
      await caught(signIn(db, { contact: '081255550001', password: `guess ${i}`, client: `c${i}` }))
    }
    // The limit reached: even the right password waits, and the answer says how long.
    const limited = await caught(
      signIn(db, { contact: '081255550001', password: 'batik tulis 2026', client: 'c9' }),
    )
    expect(limited.status).toBe(429)
    expect(limited.extensions.retry_after).toBeGreaterThan(800)
    // Fifteen minutes on, the right password works and clears the count.
    const later = new Date(Date.now() + 16 * 60_000)
    const session = await signIn(
      db,
      { contact: '081255550001', password: 'batik tulis 2026', client: 'c9' },
      later,
    )
    expect(session.token).toMatch(/^ses_/)
  })
})
