import { createHash, randomBytes } from 'node:crypto'
import { addMembership, createUser } from '@mitra/catalog'
import { newId } from '@mitra/core'
import { sessions } from '@mitra/db'
import { testDatabaseKinds } from '@mitra/db/testing'
import { paymentProvidersFromEnv } from '@mitra/payments'
import {
  type CallOptions,
  type CallResult,
  type TestParty,
  useTestApi,
} from '@mitra/server/testing'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  buildTenant,
  containsId,
  type IdKind,
  idFieldsOf,
  idPrefixOf,
  merge,
  type Operation,
  operationsOf,
  sample,
  type Tenant,
} from './tenancy-support.js'

/*
 * Tenancy, read from the API's own OpenAPI document: every route that takes an id is called
 * by parties of another tenant with the ids of tenant A's resources, and must answer 404 (or
 * 403 where only a role or party kind may call it) — never a 2xx — and leave A's world as it
 * was. A route added to the document without a way to name one of A's ids here fails the
 * suite until it is covered or exempted below with its reason.
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON documents are read loosely
type Json = any

/** Id routes that answer anyone by design: public profiles and the public catalogue. */
const publicByDesign: Record<string, string> = {
  'GET /v1/admin/partners/{party_id}': 'the partner directory: every partner’s public profile',
  'GET /v1/store/venues/{venue}': 'the public catalogue: a venue’s page',
  'GET /v1/store/venues/{venue_id}/available':
    'the public catalogue: what a venue has on its shelf',
  'GET /v1/store/brands/{slug}': 'the public catalogue: a brand’s page',
}

/**
 * Id routes that name something in the caller's own scope: another tenant's id there finds
 * nothing of the caller's, and answers so (the snapshot shows A's world is untouched).
 */
const callersOwnScope: Record<string, string> = {
  'DELETE /v1/admin/cluster/members/{producer_id}':
    'removes a producer from the caller’s own cluster: `{ removed: false }` when not a member',
  'DELETE /v1/admin/clusters/{cluster_id}/membership':
    'the caller’s own group leaves a cluster: `{ removed: false }` when neither member nor asked',
}

/** Id fields in a body or query that may name another tenant's party on purpose. */
const approachable: Record<string, string> = {
  'POST /v1/admin/agreements': 'a venue proposes terms to any producer (who then accepts)',
  'POST /v1/admin/subcontracts': 'a buyer orders from any producer group',
  'POST /v1/admin/inti_plasma_partnerships':
    'a core partner proposes a partnership (the producer accepts)',
  'POST /v1/admin/advances':
    'a core partner records what it advanced to a producer group (the producer sees it ' +
    'outstanding; it is repaid only through a partnership the producer accepted)',
  'GET /v1/admin/partners': 'the partner directory',
  'POST /v1/admin/cluster/members':
    'a cluster invites any producer group; it is a member only once the group joins',
  'POST /v1/admin/clusters/{cluster_id}/join':
    'a group asks to join any cluster; it is a member only once the cluster invites it',
}

/**
 * Leaks this suite found that need more than a small fix; each entry must still leak (so a
 * fix fails the suite until its entry goes).
 */
const knownLeaks: Record<string, string> = {}

/** Which of tenant A's ids a path parameter takes, when its schema's pattern says the kind. */
const idKindOfPrefix: Record<string, IdKind> = {
  prod: 'product',
  var: 'variant',
  med: 'media',
  agr: 'agreement',
  dlv: 'delivery',
  sale: 'sale',
  rsv: 'reservation',
  ret: 'stockReturn',
  trf: 'transfer',
  po: 'payout',
  stl: 'settlement',
  rem: 'remittance',
  cart: 'cart',
  ord: 'order',
  re: 'refund',
  key: 'apiKey',
  ctr: 'contract',
}

/** …and when it does not: by the collection the id is in. */
const idKindOfSegment: Record<string, IdKind> = {
  sale_lines: 'saleLine',
  statement_disputes: 'dispute',
  subcontracts: 'contract',
  subcontract_deliveries: 'contractDelivery',
  inti_plasma_partnerships: 'intiPlasma',
  media: 'media',
  variants: 'draftVariant',
}

/** Where one operation needs a particular id (a refund belongs to its own order). */
const exactIds: Record<string, Record<string, IdKind>> = {
  'POST /v1/admin/orders/{order_id}/refunds/{refund_id}/settle': { order_id: 'refundedOrder' },
  // The store shows active products to every key, and a draft to none.
  'GET /v1/store/products/{id}': { id: 'draftProduct' },
  'GET /v1/store/products/{id}/card': { id: 'draftProduct' },
  'GET /v1/store/products/{id}/availability': { id: 'draftProduct' },
}

const month = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7)

/** Query parameters the sampler cannot guess (one of several is required). */
const queryOverrides: Record<string, Record<string, string>> = {
  'GET /v1/admin/agreements/{id}/statement': { period: month() },
}

/** Body fields the sampler cannot guess, so that validation passes and the route decides. */
const bodyOverrides: Record<string, Json> = {
  'POST /v1/admin/agreements/{id}/statement/acknowledge': { period: month() },
  'POST /v1/admin/agreements/{id}/statement/disputes': { period: month() },
  'POST /v1/store/carts/{cart_id}/checkout': { provider: 'demo' },
  'PUT /v1/admin/brand_kit': {
    palette: {
      primary: '#1d4ed8',
      on_primary: '#ffffff',
      background: '#ffffff',
      text: '#111111',
      accent: '#7c2d12',
      on_accent: '#ffffff',
    },
  },
}

/** Fields answers carry that change between two reads of the same thing. */
const volatile = new Set(['as_of', 'generated_at', 'now', 'last_used_at', 'request_id'])

/** An answer as it should read again later: a refusal by its code, the rest in full. */
function stable(status: number, text: string): string {
  try {
    const json = JSON.parse(text)
    if (status >= 400) return `${status} ${json.code}`
    return `${status} ${JSON.stringify(json, (key, value) => (volatile.has(key) ? undefined : value))}`
  } catch {
    return `${status} ${text}`
  }
}

describe.each(testDatabaseKinds())('tenancy on %s', (kind) => {
  describe('another tenant’s ids', () => {
    const api = useTestApi(kind, {
      payments: paymentProvidersFromEnv(
        { MITRA_DEMO_WEBHOOK_SECRET: 'tenancy-secret' },
        { baseUrl: 'http://shop.test' },
      ),
      baseUrl: 'http://shop.test',
    })
    let a: Tenant
    let document: Json
    let operations: Operation[]
    let b: Tenant
    /** Tenant B's parties (the platform serves both): each tries A's ids. */
    let strangers: { kind: string; party: TestParty }[]
    let requests = 0
    const call = async (...args: Parameters<typeof api.call>) => {
      requests++
      return api.call(...args)
    }

    beforeAll(async () => {
      document = (await api.call('GET', '/openapi.json')).json
      operations = operationsOf(document)
      a = await buildTenant(api, 'A')
      b = await buildTenant(api, 'B')
      strangers = [
        { kind: 'producer', party: b.producer },
        { kind: 'venue', party: b.venue },
        { kind: 'cluster', party: b.cluster },
        { kind: 'core_partner', party: b.core },
        { kind: 'buyer', party: b.buyer },
      ]
    }, 120_000)

    const aParties = (): { id: string; secret: string; publishable?: string }[] => [
      a.producer,
      a.venue,
      a.venue2,
      a.cluster,
      a.core,
      a.buyer,
      a.platform,
    ]

    /** An id of A's for a path parameter, or undefined when the suite has none for it. */
    function pathId(op: Operation, name: string, of: Tenant = a): string | undefined {
      const exact = exactIds[op.name]?.[name]
      if (exact !== undefined) return of.ids[exact]
      if (name === 'version') return '1'
      // The collection first: one prefix can name two kinds (`agr_`: inti-plasma too).
      const segments = op.path.split('/')
      const bySegment = idKindOfSegment[segments[segments.indexOf(`{${name}}`) - 1] ?? '']
      if (bySegment !== undefined) return of.ids[bySegment]
      const param = op.parameters.find((p) => p.in === 'path' && p.name === name)
      const prefix = idPrefixOf(param?.schema)
      if (prefix === 'pty') return partyId(name, of)
      const byPrefix = prefix === undefined ? undefined : idKindOfPrefix[prefix]
      return byPrefix === undefined ? undefined : of.ids[byPrefix]
    }

    /** Store calls carry A's buyer's order token: even with it, another channel sees nothing. */
    function storeHeaders(op: Operation): Record<string, string> {
      return op.store && a.orderToken !== undefined ? { 'Mitra-Order-Token': a.orderToken } : {}
    }

    /** One of A's parties for a field naming a party. */
    function partyId(field: string, of: Tenant = a): string {
      if (/venue/.test(field)) return field.startsWith('to_') ? of.venue2.id : of.venue.id
      if (/cooperative|cluster/.test(field)) return of.cluster.id
      return of.producer.id
    }

    /** The id of A's a body or query field names (by name, then by the id's prefix). */
    function fieldId(field: string, prefix: string | undefined): string | undefined {
      if (prefix === 'pty' || (prefix === undefined && /(party|venue|producer)_id$/.test(field))) {
        return partyId(field)
      }
      if (prefix !== undefined) {
        const kindOf = idKindOfPrefix[prefix]
        return kindOf === undefined ? undefined : a.ids[kindOf]
      }
      if (field === 'line_ref') return a.ids.saleLine
      return undefined
    }

    /**
     * The caller's own party where a party field fits its kind, A's ids for the rest: the
     * caller's own venue selling A's goods, say.
     */
    function ownPartyThenA(self: { kind: string; party: TestParty }) {
      return (field: string, prefix: string | undefined) => {
        const id = fieldId(field, prefix)
        if (id === undefined || !/^pty_/.test(id)) return id
        const kindOfField = /venue/.test(field)
          ? 'venue'
          : /cooperative|cluster/.test(field)
            ? 'cluster'
            : /producer/.test(field)
              ? 'producer'
              : undefined
        return kindOfField === self.kind ? self.party.id : id
      }
    }

    function request(
      op: Operation,
      params: (name: string) => string | undefined,
      ids: typeof fieldId = fieldId,
    ) {
      let path = op.path
      for (const p of op.parameters.filter((p) => p.in === 'path')) {
        const value = params(p.name)
        if (value === undefined) return undefined
        path = path.replace(`{${p.name}}`, encodeURIComponent(value))
      }
      const query = new URLSearchParams()
      for (const p of op.parameters.filter((p) => p.in === 'query')) {
        const value =
          queryOverrides[op.name]?.[p.name] ??
          (p.required || /_id$/.test(p.name) ? sample(document, p.schema, ids, p.name) : null)
        if (value !== null && value !== undefined) query.set(p.name, String(value))
      }
      const body =
        op.jsonBody === undefined
          ? undefined
          : merge(sample(document, op.jsonBody, ids), bodyOverrides[op.name])
      const search = query.size > 0 ? `?${query}` : ''
      return { path: `${path}${search}`, body }
    }

    /** A's world as last read (see `snapshot`). */
    let world: Map<string, string> | undefined

    /**
     * Every read of the document as every party of A, the first time; after that, again each
     * read that answered (a refusal to A itself says nothing about A's world).
     */
    async function snapshot(): Promise<Map<string, string>> {
      const answered =
        world === undefined
          ? undefined
          : new Set([...world].filter(([, value]) => value.startsWith('2')).map(([key]) => key))
      const seen = new Map<string, string>()
      for (const op of operations.filter((o) => o.method === 'GET' && o.path.startsWith('/v1/'))) {
        if (publicByDesign[op.name] !== undefined) continue
        const built = request(op, (name) => pathId(op, name))
        if (built === undefined) continue
        for (const party of aParties()) {
          const token = !op.store ? party.secret : (party.publishable ?? '')
          const key = `${party.id} ${built.path}`
          if (token === '' || (answered !== undefined && !answered.has(key))) continue
          const answer = await call('GET', built.path, { token, headers: storeHeaders(op) })
          seen.set(key, stable(answer.status, answer.text))
        }
      }
      world = seen
      return seen
    }

    function changes(before: Map<string, string>, after: Map<string, string>): string[] {
      return [...before]
        .filter(([key, value]) => value.startsWith('2') && after.get(key) !== value)
        .map(
          ([key, value]) =>
            `${key}\n  before: ${value.slice(0, 300)}\n  after:  ${after.get(key)?.slice(0, 300)}`,
        )
    }

    it('answers 404 or 403, never 2xx, to every id route called with another tenant’s ids, and changes nothing', async () => {
      const templated = operations.filter((o) => o.parameters.some((p) => p.in === 'path'))
      const before = world ?? (await snapshot())
      // Every id of the suite is real: someone in A reads each id route it names.
      const readable = new Set(
        [...before].filter(([, value]) => /^2/.test(value)).map(([key]) => key.split(' ')[1]),
      )
      const unreadable = templated
        .filter((op) => op.method === 'GET' && publicByDesign[op.name] === undefined)
        .map((op) => ({ op, built: request(op, (name) => pathId(op, name)) }))
        .filter(({ op }) => !(exactIds[op.name]?.id === 'draftProduct'))
        .filter(({ built }) => built !== undefined && !readable.has(built.path))
        .map(({ op }) => op.name)
      expect(unreadable, 'A reads its own resources').toEqual([])

      const covered = new Set<string>()
      const uncovered: string[] = []
      const leaks: string[] = []
      // Approaches by id (asking to join a cluster) are tried in their own test below.
      const approaches = templated.filter((op) => approachable[op.name] !== undefined)
      for (const op of templated) {
        if (publicByDesign[op.name] !== undefined || approachable[op.name] !== undefined) continue
        const built = request(op, (name) => pathId(op, name))
        if (built === undefined) {
          uncovered.push(op.name)
          continue
        }
        for (const { kind: strangerKind, party } of strangers) {
          const token = op.store ? party.publishable : party.secret
          const answer = await call(op.method, built.path, {
            token,
            body: built.body,
            headers: storeHeaders(op),
          })
          const refused = answer.status === 404 || answer.status === 403
          const ownScope = callersOwnScope[op.name] !== undefined && answer.status < 300
          if (!refused && !ownScope) {
            leaks.push(
              `${op.method} ${built.path} as a ${strangerKind}: ${answer.status} ${answer.text.slice(0, 200)}`,
            )
          }
        }
        covered.add(op.name)
      }
      expect.soft(uncovered, 'id routes this suite cannot name an id of A for').toEqual([])
      expect.soft(leaks, 'answers to another tenant').toEqual([])
      expect.soft(changes(before, await snapshot()), 'A’s world after the attempts').toEqual([])

      // Stale exemptions fail too: each names a route the document still has.
      const names = new Set(operations.map((o) => o.name))
      const exemptions = [publicByDesign, callersOwnScope, knownLeaks, approachable]
      expect(exemptions.flatMap(Object.keys).filter((n) => !names.has(n))).toEqual([])
      expect(covered.size + Object.keys(publicByDesign).length + approaches.length).toBe(
        templated.length,
      )
      console.log(
        `tenancy (${kind}): ${covered.size} id routes × ${strangers.length} strangers, ` +
          `${Object.keys(publicByDesign).length} public by design, ${requests} requests`,
      )
    }, 120_000)

    it('refuses bodies and queries that name another tenant’s resources, and leaks none of them', async () => {
      const withIds = operations.filter(
        (op) =>
          !op.parameters.some((p) => p.in === 'path') &&
          approachable[op.name] === undefined &&
          ((op.jsonBody !== undefined && idFieldsOf(document, op.jsonBody).length > 0) ||
            op.parameters.some((p) => p.in === 'query' && /_id$/.test(p.name))),
      )
      // What only A's parties should ever see (parties and published goods are public).
      const privateIds = Object.entries(a.ids)
        .filter(([k]) => k !== 'product' && k !== 'variant' && k !== 'media')
        .map(([, id]) => id)
      const before = world ?? (await snapshot())
      const leaks: string[] = []
      const stillLeaking = new Set<string>()
      let made = 0

      /** What is wrong with one answer to a stranger, if anything. */
      function judge(op: Operation, where: string, answer: CallResult): string | undefined {
        // An id the caller sent may come back in a refusal ("No … ctr_…"): that tells nothing.
        const shown = privateIds.filter((id) => answer.text.includes(id) && !where.includes(id))
        if (shown.length > 0) return `${where} shows ${shown.join(', ')}`
        if (op.method !== 'GET' && answer.status < 400) {
          return `${where}: ${answer.status} ${answer.text.slice(0, 200)}`
        }
        if (answer.status === 401 || answer.status === 429 || answer.status >= 500) {
          return `${where}: ${answer.status} hides the answer: ${answer.text.slice(0, 200)}`
        }
        // A 422 must be about an id, not the sample: otherwise it hides the route's answer.
        // (`wrong_party_kind` refuses the caller's kind, as a 403 would.)
        if (answer.status === 422 && op.jsonBody !== undefined) {
          if (answer.json?.code === 'wrong_party_kind') return undefined
          const idFields = idFieldsOf(document, op.jsonBody)
          const paths: string[] = (answer.json?.errors ?? []).map((e: { path: string }) => e.path)
          if (!paths.some((path) => idFields.some((f) => path.split('.').includes(f)))) {
            return `${where}: 422 not about an id: ${answer.text.slice(0, 300)}`
          }
        }
        return undefined
      }

      // Known leaks go last: what they let through must not colour the answers after them.
      const ordered = [
        ...withIds.filter((op) => knownLeaks[op.name] === undefined),
        ...withIds.filter((op) => knownLeaks[op.name] !== undefined),
      ]
      for (const op of ordered) {
        const allOfA = request(op, () => undefined)
        if (allOfA === undefined) continue
        if (!containsId(allOfA.body) && !/_id=/.test(allOfA.path)) {
          leaks.push(`${op.name}: the suite sent none of A's ids`)
          continue
        }
        for (const stranger of strangers) {
          const token = op.store ? stranger.party.publishable : stranger.party.secret
          // A's ids throughout; then the stranger's own party with A's resources.
          const own = request(op, () => undefined, ownPartyThenA(stranger))
          const attempts = [allOfA]
          if (own !== undefined && JSON.stringify(own) !== JSON.stringify(allOfA))
            attempts.push(own)
          for (const { path, body } of attempts) {
            const answer = await call(op.method, path, { token, body })
            made++
            if (knownLeaks[op.name] !== undefined) {
              if (answer.status < 300) stillLeaking.add(op.name)
              continue
            }
            const where = `${op.method} ${path} ${JSON.stringify(body ?? '')} as a ${stranger.kind}`
            const wrong = judge(op, where, answer)
            if (wrong !== undefined) leaks.push(wrong)
          }
        }
      }
      expect.soft(leaks, 'answers to another tenant').toEqual([])
      expect.soft(changes(before, await snapshot()), 'A’s world after the attempts').toEqual([])
      expect(made).toBeGreaterThan(0)
      expect([...stillLeaking].sort(), 'known leaks (remove an entry once fixed)').toEqual(
        Object.keys(knownLeaks).sort(),
      )
      console.log(
        `tenancy (${kind}): ${withIds.length} routes taking ids in a body or query, ${made} attempts`,
      )
    }, 120_000)

    it('refuses another tenant’s ids in the body of a call on one’s own resource', async () => {
      // Each of B's parties, on B's own resources, naming A's in the body (A's photo on B's
      // product, A's variant in B's partnership, A's sale line in B's statement…).
      const withBodyIds = operations.filter(
        (op) =>
          op.parameters.some((p) => p.in === 'path') &&
          op.jsonBody !== undefined &&
          publicByDesign[op.name] === undefined &&
          idFieldsOf(document, op.jsonBody).length > 0,
      )
      const before = world ?? (await snapshot())
      const wrong: string[] = []
      let made = 0
      for (const op of withBodyIds) {
        const built = request(op, (name) => pathId(op, name, b))
        if (built === undefined || !containsId(built.body)) {
          wrong.push(`${op.name}: the suite sent none of A's ids`)
          continue
        }
        for (const party of [b.producer, b.venue, b.venue2, b.cluster, b.core, b.buyer]) {
          const token = op.store ? party.publishable : party.secret
          const answer = await call(op.method, built.path, { token, body: built.body })
          made++
          if (answer.status < 300 || answer.status === 401 || answer.status >= 500) {
            wrong.push(
              `${op.method} ${built.path} ${JSON.stringify(built.body)}: ${answer.status} ${answer.text.slice(0, 200)}`,
            )
          }
        }
      }
      expect.soft(wrong, 'answers to B naming A’s ids').toEqual([])
      expect.soft(changes(before, await snapshot()), 'A’s world after the attempts').toEqual([])
      expect(made).toBeGreaterThan(0)
      console.log(
        `tenancy (${kind}): ${withBodyIds.length} id routes taking ids in the body, ${made} attempts`,
      )
    }, 120_000)

    it('keeps a producer group’s stock from a cluster it never joined, however it asks', async () => {
      const cluster = strangers.find((s) => s.kind === 'cluster')?.party as TestParty
      const producer = strangers.find((s) => s.kind === 'producer')?.party as TestParty
      const invited = await call('POST', '/v1/admin/cluster/members', {
        token: cluster.secret,
        body: { producer_id: a.producer.id },
      })
      expect(invited.status).toBe(202)
      expect(invited.json.status).toBe('invited')
      const stock = await call('GET', '/v1/admin/cluster/stock', { token: cluster.secret })
      expect(stock.status).toBe(200)
      expect(stock.text).not.toContain(a.ids.variant)
      const members = await call('GET', '/v1/admin/cluster/members', { token: cluster.secret })
      expect(members.text).not.toContain(a.producer.id)
      // A stranger group asking to join A's cluster is a request A's cluster may refuse.
      const asked = await call('POST', `/v1/admin/clusters/${a.cluster.id}/join`, {
        token: producer.secret,
      })
      expect(asked.status).toBe(202)
      expect(asked.json.status).toBe('requested')
      const declined = await call('DELETE', `/v1/admin/cluster/members/${producer.id}`, {
        token: a.cluster.secret,
      })
      expect(declined.json.removed).toBe(true)
      // The invitation withdrawn, A's group is as it was.
      await call('DELETE', `/v1/admin/cluster/members/${a.producer.id}`, { token: cluster.secret })
    })
  })
})

/** A token with one character changed (in its secret part), as a typo or a guess would be. */
function oneCharChanged(token: string, at: number): string {
  const index = Math.min(token.length - 1, Math.max(4, at))
  const original = token[index] as string
  const replacement = original === 'a' ? 'b' : 'a'
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`
}

/** Forgeries of a key: each must be refused as no key at all. */
function forgeriesOf(token: string): Record<string, string> {
  const secretPart = token.slice(token.indexOf('_') + 1)
  return {
    'one character changed (start)': oneCharChanged(token, 4),
    'one character changed (middle)': oneCharChanged(token, Math.floor(token.length / 2)),
    'one character changed (end)': oneCharChanged(token, token.length - 1),
    'truncated by one': token.slice(0, -1),
    'truncated to half': token.slice(0, Math.floor(token.length / 2)),
    'with a character added': `${token}a`,
    'under another prefix (rk_)': `rk_${secretPart}`,
    'under the session prefix': `ses_${secretPart}`,
    'upper-cased': token.toUpperCase(),
  }
}

describe.each(testDatabaseKinds())('keys and sessions across tenants on %s', (kind) => {
  const api = useTestApi(kind)
  let document: Json
  let operations: Operation[]
  let owner: TestParty
  let other: TestParty
  const keys: Record<'staff' | 'viewer' | 'revokedSecret' | 'revokedPublishable', string> = {
    staff: '',
    viewer: '',
    revokedSecret: '',
    revokedPublishable: '',
  }
  let ownerKeyId = ''

  beforeAll(async () => {
    document = (await api.call('GET', '/openapi.json')).json
    operations = operationsOf(document)
    owner = await api.party('producer')
    other = await api.party('producer')
    const create = async (body: Record<string, unknown>) => {
      const made = await api.call('POST', '/v1/admin/api_keys', { token: owner.secret, body })
      expect(made.status, made.text).toBe(201)
      return made.json as { api_key: { id: string }; token: string }
    }
    keys.staff = (await create({ kind: 'secret', role: 'staff' })).token
    keys.viewer = (await create({ kind: 'secret', role: 'viewer' })).token
    for (const [name, body] of [
      ['revokedSecret', { kind: 'secret', role: 'owner' }],
      ['revokedPublishable', { kind: 'publishable' }],
    ] as const) {
      const made = await create(body)
      const revoked = await api.call('POST', `/v1/admin/api_keys/${made.api_key.id}/revoke`, {
        token: owner.secret,
      })
      expect(revoked.status, revoked.text).toBe(200)
      keys[name] = made.token
    }
    const listed = await api.call('GET', '/v1/admin/api_keys', { token: owner.secret })
    ownerKeyId = listed.json.data.find(
      (k: { role: string; kind: string; revoked_at: string | null }) =>
        k.kind === 'secret' && k.role === 'owner' && k.revoked_at === null,
    ).id
  })

  const adminRead = '/v1/admin/party'
  const storeRead = '/v1/store/products'

  it('refuses revoked, forged and wrong-kind keys with 401 or 403, never an answer', async () => {
    const refusals: string[] = []
    const expectRefused = async (label: string, path: string, options: CallOptions) => {
      const answer = await api.call(options.body === undefined ? 'GET' : 'POST', path, options)
      if (answer.status !== 401 && answer.status !== 403) {
        refusals.push(`${label} on ${path}: ${answer.status} ${answer.text.slice(0, 160)}`)
      }
    }
    // The keys work as given: every refusal below is the key's doing.
    expect((await api.call('GET', adminRead, { token: owner.secret })).status).toBe(200)
    expect((await api.call('GET', storeRead, { token: owner.publishable })).status).toBe(200)

    const write = { title: { id: 'Uji' }, category: 'batik' }
    for (const [label, token] of [
      ['no key', undefined],
      ['a revoked secret key', keys.revokedSecret],
      ['a publishable key', owner.publishable],
      ['a revoked publishable key', keys.revokedPublishable],
      ...Object.entries(forgeriesOf(owner.secret)).map(([how, t]) => [`a secret key ${how}`, t]),
    ] as const) {
      await expectRefused(label, adminRead, token === undefined ? {} : { token })
      await expectRefused(label, '/v1/admin/products', {
        ...(token === undefined ? {} : { token }),
        body: write,
      })
    }
    for (const [label, token] of [
      ['no key', undefined],
      ['a revoked publishable key', keys.revokedPublishable],
      ['a revoked secret key', keys.revokedSecret],
      ...Object.entries(forgeriesOf(owner.publishable)).map(([how, t]) => [
        `a publishable key ${how}`,
        t,
      ]),
    ] as const) {
      await expectRefused(label, storeRead, token === undefined ? {} : { token })
      await expectRefused(label, '/v1/store/carts', {
        ...(token === undefined ? {} : { token }),
        body: {},
      })
    }
    // A secret key never works from a browser's page, even where a server may use it.
    await expectRefused('a secret key from a browser', storeRead, {
      token: owner.secret,
      headers: { Origin: 'https://galeri.example' },
    })
    expect(refusals).toEqual([])
  })

  it('lets a viewer change nothing and staff nothing owner-only', async () => {
    const refusals: string[] = []
    // Every write of the admin API, from the document: a viewer's key is refused up front.
    const writes = operations.filter(
      (o) => !o.store && o.path.startsWith('/v1/admin/') && o.method !== 'GET',
    )
    for (const op of writes) {
      const path = op.path.replace(/\{[^}]+\}/g, (p) =>
        p === '{id}' && op.path.startsWith('/v1/admin/api_keys/') ? ownerKeyId : 'x',
      )
      const answer = await api.call(op.method, path, { token: keys.viewer, body: {} })
      if (answer.status !== 403) refusals.push(`viewer ${op.name}: ${answer.status}`)
    }
    // Owner-only writes, with bodies that would otherwise pass.
    const ownerOnly: [string, string, unknown][] = [
      ['POST', '/v1/admin/api_keys', { kind: 'secret', role: 'owner' }],
      ['POST', `/v1/admin/api_keys/${ownerKeyId}/revoke`, undefined],
      ['POST', '/v1/admin/users', { email: 'baru@example.com', name: 'Baru', role: 'owner' }],
      ['POST', '/v1/admin/invitations', { role: 'owner' }],
      ['PUT', '/v1/admin/checkout/settings', { currency: 'IDR', pickup: true }],
    ]
    for (const [method, path, body] of ownerOnly) {
      const answer = await api.call(method, path, { token: keys.staff, body })
      if (answer.status !== 403) {
        refusals.push(`staff ${method} ${path}: ${answer.status} ${answer.text.slice(0, 160)}`)
      }
    }
    expect(refusals).toEqual([])
    // Nothing happened: the owner's key still works, and no key or person was added.
    const listed = await api.call('GET', '/v1/admin/api_keys', { token: owner.secret })
    expect(
      listed.json.data.filter((k: { revoked_at: string | null }) => !k.revoked_at),
    ).toHaveLength(4)
    const people = await api.call('GET', '/v1/admin/users', { token: owner.secret })
    expect(people.json.data).toEqual([])
    console.log(`tenancy (${kind}): viewer refused on ${writes.length} admin writes`)
  })

  it('holds a key to its own party, whatever `Mitra-Party` says', async () => {
    const answer = await api.call('GET', adminRead, {
      token: owner.secret,
      headers: { 'Mitra-Party': other.id },
    })
    expect(answer.status).toBe(200)
    expect(answer.json.id).toBe(owner.id)
  })

  it('refuses a console session for a party the person is not a member of', async () => {
    const { db } = api.database()
    const person = await createUser(db, { name: 'Sri', email: `sri-${kind}@example.com` })
    await addMembership(db, { userId: person.id, partyId: owner.id, role: 'owner' })
    const token = `ses_${randomBytes(32).toString('base64url')}`
    // As the console's sign-in stores it: the token's SHA-256, never the token.
    await db.insert(sessions).values({
      id: newId('ses'),
      userId: person.id,
      tokenHash: createHash('sha256').update(token).digest('hex'),
      expiresAt: new Date(Date.now() + 86_400_000),
    })
    const as = (partyId: string | undefined, session = token, path = adminRead) =>
      api.call('GET', path, {
        token: session,
        headers: partyId === undefined ? {} : { 'Mitra-Party': partyId },
      })
    const own = await as(owner.id)
    expect(own.status, own.text).toBe(200)
    expect(own.json.id).toBe(owner.id)

    const refused: Record<string, number> = {
      'another party': (await as(other.id)).status,
      'another party, writing': (
        await api.call('POST', '/v1/admin/products', {
          token,
          headers: { 'Mitra-Party': other.id },
          body: { title: { id: 'Uji' }, category: 'batik' },
        })
      ).status,
      'a party that does not exist': (await as(newId('pty'))).status,
      'no party named': (await as(undefined)).status,
      'a forged session': (await as(owner.id, oneCharChanged(token, 20))).status,
      'a session on the store': (await as(owner.id, token, storeRead)).status,
    }
    for (const [label, status] of Object.entries(refused)) {
      expect([400, 401, 403, 404], label).toContain(status)
    }
    expect(refused['another party']).toBe(403)

    await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.userId, person.id))
    expect((await as(owner.id)).status).toBe(401)
  })
})
