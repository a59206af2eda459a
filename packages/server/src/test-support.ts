import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { sampleTerms } from '@mitra/consignment/testing'
import { newId } from '@mitra/core'
import { type DatabaseKind, type PartyKind, parties, type Role } from '@mitra/db'
import { useTestDatabase } from '@mitra/db/testing'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll } from 'vitest'
import { type App, type AppOptions, createApp } from './app.js'
import { createApiKey } from './auth/keys.js'

export interface CallOptions {
  token?: string
  body?: unknown
  headers?: Record<string, string>
  idempotencyKey?: string
}

export interface CallResult {
  status: number
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  json: any
  text: string
}

export interface TestParty {
  id: string
  secret: string
  publishable: string
}

/**
 * `useTestApi` listening on a local port (for browser tests): the port is taken before the
 * app is made, so `options.baseUrl`, the app's public URL (its demo pay page's), is known.
 */
export function useListeningTestApi(kind: DatabaseKind, options: Omit<AppOptions, 'database'>) {
  const server = createServer(getRequestListener((request) => api.app().fetch(request)))
  let url = ''
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    options.baseUrl = url
  })
  const api = useTestApi(kind, options)
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { api, url: () => url }
}

/**
 * A fresh database and app for one test file, with helpers to make parties that hold keys
 * and to call the API as them.
 */
export function useTestApi(kind: DatabaseKind, options: Omit<AppOptions, 'database'> = {}) {
  const database = useTestDatabase(kind)
  let app: App | undefined
  const logged: unknown[] = []
  beforeAll(() => {
    app = createApp({
      logError: (error) => logged.push(error),
      checkResponses: true,
      ...options,
      database: database(),
    })
  })

  const current = () => {
    if (app === undefined) throw new Error('useTestApi: the app is created in beforeAll')
    return app
  }

  async function party(
    partyKind: PartyKind = 'producer',
    options: { role?: Role; allowedOrigins?: string[] } = {},
  ): Promise<TestParty> {
    const { db } = database()
    const id = newId('pty')
    await db
      .insert(parties)
      .values({ id, kind: partyKind, name: `Test ${partyKind}`, slug: `t-${id.slice(4)}` })
    const secret = await createApiKey(db, {
      partyId: id,
      kind: 'secret',
      role: options.role ?? 'owner',
    })
    const publishable = await createApiKey(db, {
      partyId: id,
      kind: 'publishable',
      allowedOrigins: options.allowedOrigins ?? [],
    })
    return { id, secret: secret.token, publishable: publishable.token }
  }

  async function call(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<CallResult> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`
    if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey
    let body: string | FormData | undefined
    if (options.body instanceof FormData) body = options.body
    else if (typeof options.body === 'string') body = options.body
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['Content-Type'] ??= 'application/json'
    }
    const res = await current().request(path, { method, headers, ...(body ? { body } : {}) })
    const text = await res.text()
    let json: CallResult['json']
    try {
      json = text === '' ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: res.status, headers: res.headers, json, text }
  }

  /**
   * A producer with one active, priced product, a venue, and a consignment agreement in force
   * between them (proposed by the venue, accepted by both) — through the API.
   */
  async function partnership(
    product: { title: string; category: string; sku: string; price: number } = {
      title: 'Keripik tempe',
      category: 'snacks',
      sku: 'KT-100',
      price: 15_000,
    },
    terms: Record<string, unknown> = sampleTerms,
  ) {
    const producer = await party('producer')
    const venue = await party('venue')
    const created = (
      await call('POST', '/v1/admin/products', {
        token: producer.secret,
        body: {
          title: { id: product.title },
          category: product.category,
          variants: [
            {
              sku: product.sku,
              options: {},
              weight_grams: 100,
              price: { amount: product.price, currency: 'IDR' },
            },
          ],
        },
      })
    ).json
    await call('POST', `/v1/admin/products/${created.id}/status`, {
      token: producer.secret,
      body: { status: 'active' },
    })
    const drafted = await call('POST', '/v1/admin/agreements', {
      token: venue.secret,
      body: { counterparty_id: producer.id, terms },
    })
    const sent = await call('POST', `/v1/admin/agreements/${drafted.json.id}/send`, {
      token: venue.secret,
    })
    for (const side of [producer, venue]) {
      await call('POST', `/v1/admin/agreements/${drafted.json.id}/accept`, {
        token: side.secret,
        body: { version: 1, terms_hash: sent.json.versions[0].terms_hash },
      })
    }
    return {
      producer,
      venue,
      agreementId: drafted.json.id as string,
      variantId: created.variants[0].id as string,
    }
  }

  /** The producer sends `sent` units on a delivery note; the venue counts `counted`. */
  async function deliver(
    producer: TestParty,
    venue: TestParty,
    variantId: string,
    sent: number,
    counted = sent,
  ) {
    const note = await call('POST', '/v1/admin/deliveries', {
      token: producer.secret,
      body: {
        venue_id: venue.id,
        note_number: `SJ-${newId('dlv').slice(-8)}`,
        lines: [{ variant_id: variantId, quantity: sent }],
      },
    })
    return call('POST', `/v1/admin/deliveries/${note.json.id}/receive`, {
      token: venue.secret,
      body: { lines: [{ variant_id: variantId, quantity: counted }] },
    })
  }

  /**
   * A buyer's online order at `venue` through the store API: a cart with `quantity` of the
   * variant, checked out for pickup with the demo provider (or as `checkout` says).
   */
  async function storeOrder(
    venue: TestParty,
    variantId: string,
    options: { quantity?: number; checkout?: Record<string, unknown> } = {},
  ): Promise<CallResult> {
    const token = venue.publishable
    const cart = await call('POST', '/v1/store/carts', { token })
    await call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
      token,
      body: { variant_id: variantId, venue_id: venue.id, quantity: options.quantity ?? 1 },
    })
    return call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
      token,
      body: options.checkout ?? {
        fulfilment: 'pickup',
        customer: { name: 'Sari' },
        provider: 'demo',
      },
    })
  }

  /** The cluster invites the producer group and the group joins: a member, both consenting. */
  async function clusterMember(cluster: TestParty, producer: TestParty) {
    await call('POST', '/v1/admin/cluster/members', {
      token: cluster.secret,
      body: { producer_id: producer.id },
    })
    const joined = await call('POST', `/v1/admin/clusters/${cluster.id}/join`, {
      token: producer.secret,
    })
    if (joined.status !== 201) throw new Error(`joining answered ${joined.status}: ${joined.text}`)
  }

  /** The platform operator (online sales are collected by it): one per database. */
  async function platform(): Promise<string> {
    const { db } = database()
    const [existing] = await db.select().from(parties).where(eq(parties.kind, 'platform'))
    if (existing !== undefined) return existing.id
    const id = newId('pty')
    await db
      .insert(parties)
      .values({ id, kind: 'platform', name: 'Platform', slug: `platform-${id.slice(4)}` })
    return id
  }

  /** The platform operator's owner key (it settles what its own provider account took). */
  async function platformOwner(): Promise<{ id: string; secret: string }> {
    const id = await platform()
    const secret = await createApiKey(database().db, { partyId: id, kind: 'secret', role: 'owner' })
    return { id, secret: secret.token }
  }

  return {
    app: current,
    database,
    party,
    call,
    logged,
    partnership,
    deliver,
    storeOrder,
    clusterMember,
    platform,
    platformOwner,
  }
}
