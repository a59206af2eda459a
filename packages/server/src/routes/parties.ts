import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { invite } from '@mitra/accounts'
import {
  addMembership,
  clusterMembershipSchema,
  consentToClusterMembership,
  createParty,
  createPartySchema,
  createUser,
  findUserByContact,
  getParty,
  getUser,
  listClusterMembers,
  listMemberships,
  listParties,
  membershipSchema,
  openClusterRequests,
  partyKindSchema,
  partySchema,
  reachable,
  removeClusterMember,
  roleSchema,
  updateParty,
  updatePartySchema,
  userContactFields,
  userSchema,
} from '@mitra/catalog'
import { conflict, idSchema, MitraError } from '@mitra/core'
import { type Database, inTransaction } from '@mitra/db'
import type { Context } from 'hono'
import { createApiKey } from '../auth/keys.js'
import { requireRole } from '../auth/middleware.js'
import type { AppEnv } from '../env.js'
import {
  idempotencyHeader,
  json,
  jsonBody,
  listOf,
  pageQuery,
  problemResponses,
  secretKeySecurity,
} from '../openapi.js'
import { recordKeyCreated } from './api-keys.js'
import { adminRoute, scopeOf } from './define.js'

const party = partySchema.meta({ id: 'Party' })
const updatePartyBody = updatePartySchema.meta({ id: 'UpdatePartyRequest' })
const createPartyBody = createPartySchema.meta({ id: 'CreatePartyRequest' })
const owner = requireRole('owner')

/** The caller's party, checked to be of one of `kinds` (else 403: wrong kind of party). */
async function callerParty(db: Database, c: Context<AppEnv>, ...kinds: string[]) {
  const found = await getParty(db, c.get('principal').partyId)
  if (kinds.length > 0 && !kinds.includes(found.kind)) {
    throw new MitraError(
      'forbidden',
      `Only a ${kinds.join(' or ')} may do this; you are a ${found.kind}`,
    )
  }
  return found
}

export function registerPartyRoutes(app: OpenAPIHono<AppEnv>, db: Database): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/party',
      operationId: 'getOwnParty',
      summary: 'Your own party',
      tags: ['parties'],
      security: secretKeySecurity,
      responses: { 200: json(party, 'Your party'), ...problemResponses },
    }),
    async (c) => c.json(await getParty(db, c.get('principal').partyId), 200),
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/admin/party',
      operationId: 'updateOwnParty',
      summary: 'Update your party’s name, slug or profile',
      tags: ['parties'],
      security: secretKeySecurity,
      middleware: owner,
      request: { body: jsonBody(updatePartyBody) },
      responses: { 200: json(party, 'Updated'), ...problemResponses },
    }),
    async (c) => {
      const { partyId, role } = c.get('principal')
      return c.json(await updateParty(db, { partyId, role }, partyId, c.req.valid('json')), 200)
    },
  )

  const onboarded = z
    .object({ party, secret_key: z.string().openapi({ description: 'Owner key, shown once' }) })
    .openapi('OnboardedParty')

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/parties',
      operationId: 'createParty',
      summary: 'Onboard a party (platform operator): creates it with a first owner key',
      tags: ['parties'],
      security: secretKeySecurity,
      middleware: owner,
      request: { headers: idempotencyHeader, body: jsonBody(createPartyBody) },
      responses: { 201: json(onboarded, 'Created'), ...problemResponses },
    }),
    async (c) => {
      await callerParty(db, c, 'platform')
      const body = c.req.valid('json')
      const result = await inTransaction(db, async (tx) => {
        const created = await createParty(tx, body)
        const key = await createApiKey(tx, {
          partyId: created.id,
          kind: 'secret',
          role: 'owner',
          name: 'first owner key',
          createdBy: c.get('principal').keyId,
        })
        await recordKeyCreated(tx, c, key.key)
        return { party: created, secret_key: key.token }
      })
      return c.json(result, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/parties',
      operationId: 'listParties',
      summary: 'List every party (platform operator)',
      tags: ['parties'],
      security: secretKeySecurity,
      request: { query: pageQuery.extend({ kind: partyKindSchema.optional() }) },
      responses: {
        200: json(listOf(party, 'PartyList'), 'A page of parties'),
        ...problemResponses,
      },
    }),
    async (c) => {
      await callerParty(db, c, 'platform')
      const query = c.req.valid('query')
      const page = await listParties(db, query)
      return c.json({ object: 'list' as const, ...page }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/parties/{id}',
      operationId: 'getParty',
      summary: 'One party: any for the platform operator, otherwise only your own',
      tags: ['parties'],
      security: secretKeySecurity,
      request: { params: z.object({ id: idSchema('pty') }) },
      responses: { 200: json(party, 'The party'), ...problemResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const caller = await callerParty(db, c)
      if (caller.kind !== 'platform' && id !== caller.id)
        throw new MitraError('not_found', `No party ${id}`)
      return c.json(await getParty(db, id), 200)
    },
  )

  const membership = clusterMembershipSchema.meta({ id: 'ClusterMembership' })
  const memberBody = z
    .strictObject({ producer_id: idSchema('pty') })
    .openapi('AddClusterMemberRequest')
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/cluster/members',
      operationId: 'addClusterMember',
      summary: 'Invite a producer group to your cluster or cooperative',
      description:
        'A membership needs both sides: this is the cluster’s consent. It is an open invitation ' +
        '(`202`, `status: invited`) until the group joins (`POST /v1/admin/clusters/{cluster_id}/join`); ' +
        'if the group had already asked to join, it is a member at once (`201`). Until then the ' +
        'cluster sees nothing of the group’s stock or sales.',
      tags: ['parties'],
      security: secretKeySecurity,
      middleware: owner,
      request: { headers: idempotencyHeader, body: jsonBody(memberBody) },
      responses: {
        201: json(membership, 'A member: the group had asked to join'),
        202: json(membership, 'Invited: waiting for the group to join'),
        ...problemResponses,
      },
    }),
    async (c) => {
      const cluster = await callerParty(db, c, 'cluster')
      const { producer_id } = c.req.valid('json')
      const made = await consentToClusterMembership(db, cluster.id, producer_id, 'cluster')
      return made.status === 'member' ? c.json(made, 201) : c.json(made, 202)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/clusters/{cluster_id}/join',
      operationId: 'joinCluster',
      summary: 'Join a cluster or cooperative (your group’s consent)',
      description:
        'Accepts the cluster’s invitation (`201`, a member), or asks to join when there is none ' +
        '(`202`, `status: requested`) until the cluster invites you.',
      tags: ['parties'],
      security: secretKeySecurity,
      middleware: owner,
      request: {
        headers: idempotencyHeader,
        params: z.object({ cluster_id: idSchema('pty') }),
      },
      responses: {
        201: json(membership, 'A member'),
        202: json(membership, 'Asked: waiting for the cluster'),
        ...problemResponses,
      },
    }),
    async (c) => {
      const producer = await callerParty(db, c, 'producer')
      const { cluster_id } = c.req.valid('param')
      const made = await consentToClusterMembership(db, cluster_id, producer.id, 'producer')
      return made.status === 'member' ? c.json(made, 201) : c.json(made, 202)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/clusters/{cluster_id}/membership',
      operationId: 'leaveCluster',
      summary: 'Leave a cluster, or withdraw your request to join, or decline its invitation',
      tags: ['parties'],
      security: secretKeySecurity,
      middleware: owner,
      request: { params: z.object({ cluster_id: idSchema('pty') }) },
      responses: {
        200: json(
          z.object({ removed: z.boolean() }).openapi('LeftCluster'),
          'Left (or was neither member nor asked)',
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const producer = await callerParty(db, c, 'producer')
      const { cluster_id } = c.req.valid('param')
      return c.json({ removed: await removeClusterMember(db, cluster_id, producer.id) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/cluster_requests',
      operationId: 'listClusterRequests',
      summary: 'Open invitations and requests to join, yours or made to you',
      tags: ['parties'],
      security: secretKeySecurity,
      responses: {
        200: json(
          z
            .object({ object: z.literal('list'), data: z.array(membership) })
            .openapi('ClusterRequestList'),
          'Open invitations and requests, newest first',
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const caller = await callerParty(db, c, 'cluster', 'producer')
      return c.json(
        { object: 'list' as const, data: await openClusterRequests(db, caller.id) },
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/cluster/members',
      operationId: 'listClusterMembers',
      summary: 'Your cluster’s member producer groups',
      tags: ['parties'],
      security: secretKeySecurity,
      responses: {
        200: json(
          z
            .object({ object: z.literal('list'), data: z.array(party) })
            .openapi('ClusterMemberList'),
          'Members',
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const cluster = await callerParty(db, c, 'cluster')
      return c.json(
        { object: 'list' as const, data: await listClusterMembers(db, cluster.id) },
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/cluster/members/{producer_id}',
      operationId: 'removeClusterMember',
      summary: 'Remove a producer group from your cluster, or withdraw its invitation',
      tags: ['parties'],
      security: secretKeySecurity,
      middleware: owner,
      request: { params: z.object({ producer_id: idSchema('pty') }) },
      responses: {
        200: json(
          z.object({ removed: z.boolean() }).openapi('RemovedClusterMember'),
          'Removed (or was not a member)',
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const cluster = await callerParty(db, c, 'cluster')
      const { producer_id } = c.req.valid('param')
      return c.json({ removed: await removeClusterMember(db, cluster.id, producer_id) }, 200)
    },
  )

  const member = z.object({ membership: membershipSchema, user: userSchema }).openapi('Member')
  const addMemberBody = z
    .strictObject({ ...userContactFields, role: roleSchema })
    .refine(...reachable)
    .openapi('AddMember')

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/users',
      operationId: 'addMember',
      summary: 'Add a person to your party (creating their user if the email is new)',
      tags: ['users'],
      security: secretKeySecurity,
      middleware: owner,
      request: { headers: idempotencyHeader, body: jsonBody(addMemberBody) },
      responses: { 201: json(member, 'Added'), ...problemResponses },
    }),
    async (c) => {
      const { email, phone, name, role } = c.req.valid('json')
      const partyId = c.get('principal').partyId
      const result = await inTransaction(db, async (tx) => {
        const user =
          (await findUserByContact(tx, { email, phone })) ??
          (await createUser(tx, { email, phone, name }))
        const membership = await addMembership(tx, { userId: user.id, partyId, role }).catch(
          (error: unknown) => {
            // The request names the person by email or phone, not by the user id it found.
            if (error instanceof MitraError && error.code === 'conflict') {
              const field = email !== undefined ? 'email' : 'phone'
              throw conflict(field, `${email ?? phone} is already in your party`, error)
            }
            throw error
          },
        )
        return { membership, user }
      })
      return c.json(result, 201)
    },
  )

  // The answer's `token` is shown once: the person opens `/console/invite/{token}` to join,
  // signing up if new. The platform operator may invite the first owner of another party.
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/invitations',
      operationId: 'createInvitation',
      summary: 'Invite a person to your party with a role: a one-time link, a week long',
      tags: ['users'],
      role: 'owner',
      body: z
        .strictObject({ role: roleSchema, party_id: idSchema('pty').optional() })
        .openapi('CreateInvitationRequest'),
      response: z
        .object({
          invitation: z.object({
            id: z.string(),
            party: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
            role: roleSchema,
            expires_at: z.string(),
          }),
          token: z.string(),
        })
        .meta({ id: 'CreatedInvitation' }),
      status: 201,
    },
    async (c, { body }) => {
      const scope = scopeOf(c)
      let partyId = scope.partyId
      if (body.party_id !== undefined && body.party_id !== scope.partyId) {
        // Only the operator brings a party's first people in; to anyone else it is not there.
        const caller = await getParty(db, scope.partyId)
        if (caller.kind !== 'platform') throw new MitraError('not_found', 'No such party')
        partyId = (await getParty(db, body.party_id)).id
      }
      return invite(db, { ...scope, partyId, role: 'owner' }, body.role)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/users',
      operationId: 'listMembers',
      summary: 'The people in your party and their roles',
      tags: ['users'],
      security: secretKeySecurity,
      responses: {
        200: json(
          z.object({ object: z.literal('list'), data: z.array(member) }).openapi('MemberList'),
          'Members',
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const memberships = await listMemberships(db, { partyId: c.get('principal').partyId })
      const data = await Promise.all(
        memberships.map(async (membership) => ({
          membership,
          user: await getUser(db, membership.user_id),
        })),
      )
      return c.json({ object: 'list' as const, data }, 200)
    },
  )
}
