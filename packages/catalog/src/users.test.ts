import { newId } from '@mitra/core'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { expectMitraError, party } from './testing.js'
import {
  addMembership,
  createUser,
  findUserByEmail,
  getUser,
  listMemberships,
  membershipOf,
} from './users.js'

describe.each(testDatabaseKinds())('users and memberships on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('creates users with a unique email, ignoring case', async () => {
    const { db } = database()
    const user = await createUser(db, { email: 'Sari@Gemawang.id', name: 'Sari' })
    expect(user.id).toMatch(/^usr_/)
    expect(await getUser(db, user.id)).toEqual(user)
    expect(await findUserByEmail(db, 'sari@gemawang.ID')).toEqual(user)
    expect(await findUserByEmail(db, 'nobody@gemawang.id')).toBeNull()
    await expectMitraError(createUser(db, { email: 'SARI@gemawang.id', name: 'Sari 2' }), {
      code: 'conflict',
      status: 409,
      path: 'email',
    })
    await expectMitraError(createUser(db, { email: 'not-an-email', name: 'X' }), {
      code: 'validation_failed',
      status: 422,
      path: 'email',
    })
    await expectMitraError(getUser(db, newId('usr')), { code: 'not_found', status: 404 })
  })

  it('gives users roles in parties', async () => {
    const { db } = database()
    const batik = await party(db, 'producer')
    const kafe = await party(db, 'venue')
    const sari = await createUser(db, { email: 'sari.role@gemawang.id', name: 'Sari' })
    const budi = await createUser(db, { email: 'budi.role@gemawang.id', name: 'Budi' })

    const owner = await addMembership(db, { userId: sari.id, partyId: batik.id, role: 'owner' })
    expect(owner).toMatchObject({ user_id: sari.id, party_id: batik.id, role: 'owner' })
    expect(owner.id).toMatch(/^mem_/)
    await addMembership(db, { userId: sari.id, partyId: kafe.id, role: 'staff' })
    await addMembership(db, { userId: budi.id, partyId: batik.id, role: 'staff' })

    expect(await membershipOf(db, sari.id, batik.id)).toEqual(owner)
    expect((await membershipOf(db, budi.id, batik.id))?.role).toBe('staff')
    expect(await membershipOf(db, budi.id, kafe.id)).toBeNull()
    expect((await listMemberships(db, { userId: sari.id })).map((m) => m.party_id)).toEqual([
      batik.id,
      kafe.id,
    ])
    expect((await listMemberships(db, { partyId: batik.id })).map((m) => m.user_id)).toEqual([
      sari.id,
      budi.id,
    ])
    expect(await listMemberships(db, { userId: budi.id, partyId: kafe.id })).toEqual([])

    await expectMitraError(
      addMembership(db, { userId: sari.id, partyId: batik.id, role: 'staff' }),
      { code: 'conflict', status: 409, path: 'user_id' },
    )
    await expectMitraError(
      addMembership(db, { userId: newId('usr'), partyId: batik.id, role: 'staff' }),
      { code: 'not_found', status: 404, path: 'user_id' },
    )
    await expectMitraError(
      addMembership(db, { userId: sari.id, partyId: newId('pty'), role: 'staff' }),
      { code: 'not_found', status: 404, path: 'party_id' },
    )
    await expectMitraError(
      addMembership(db, { userId: sari.id, partyId: batik.id, role: 'admin' as 'owner' }),
      { code: 'validation_failed', status: 422, path: 'role' },
    )
  })
})
