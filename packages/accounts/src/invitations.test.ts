import { createParty, createUser, getUser, listMemberships } from '@mitra/catalog'
import type { MitraError } from '@mitra/core'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { acceptInvitation, invite, openInvitation } from './invitations.js'
import { signIn } from './sessions.js'

const refusal = (work: Promise<unknown>) =>
  work.then(
    () => {
      throw new Error('expected a refusal')
    },
    (error: MitraError) => error,
  )

describe.each(testDatabaseKinds())('invitations on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('let an owner bring a new person in once, with the role given', async () => {
    const { db } = database()
    const kafe = await createParty(db, {
      kind: 'venue',
      name: 'Kafe Banaran 9',
      slug: 'kafe-banaran-9',
    })
    const owner = { partyId: kafe.id, role: 'owner' as const, actorId: 'usr_owner' }
    const staff = { ...owner, role: 'staff' as const }
    expect((await refusal(invite(db, staff, 'staff'))).status).toBe(403)

    const { token, invitation } = await invite(db, owner, 'staff')
    expect(token).toMatch(/^inv_/)
    expect((await openInvitation(db, token)).party.name).toBe('Kafe Banaran 9')
    const who = { name: 'Dewi', phone: '0813 1111 2222', password: 'kopi susu 123' }
    // Two tabs at once: one member, the other told the link is spent.
    const results = await Promise.allSettled([
      acceptInvitation(db, token, who),
      acceptInvitation(db, token, { ...who, phone: '0813 1111 3333' }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const members = await listMemberships(db, { partyId: kafe.id })
    expect(members.map((m) => m.role)).toEqual(['staff'])
    expect((await refusal(openInvitation(db, token))).status).toBe(404)
    expect(invitation.role).toBe('staff')
    // The new person signs in with what they chose.
    const winner = (await getUser(db, members[0]?.user_id as string)).phone as string
    const signedIn = await signIn(db, { contact: winner, password: 'kopi susu 123', client: 'x' })
    expect(signedIn.user.name).toBe('Dewi')
  })

  it('adds a person who already has an account, and refuses an expired link', async () => {
    const { db } = database()
    const galeri = await createParty(db, {
      kind: 'venue',
      name: 'Galeri Gemawangi',
      slug: 'galeri-gemawangi',
    })
    const owner = { partyId: galeri.id, role: 'owner' as const, actorId: 'usr_owner' }
    const user = await createUser(db, { name: 'Sri', email: 'sri@example.id' })
    const { token } = await invite(db, owner, 'viewer')
    const { membership } = await acceptInvitation(db, token, { user })
    expect(membership).toMatchObject({ user_id: user.id, party_id: galeri.id, role: 'viewer' })

    const old = await invite(db, owner, 'staff', new Date(Date.now() - 8 * 86_400_000))
    expect((await refusal(acceptInvitation(db, old.token, { user }))).status).toBe(404)
  })
})
