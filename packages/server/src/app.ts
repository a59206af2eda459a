import { OpenAPIHono } from '@hono/zod-openapi'
import { getBrandKitBySlug, type ImageStore, MemoryImageStore } from '@mitra/branding'
import { getParty, listClusterMembers } from '@mitra/catalog'
import { databaseDemoBank } from '@mitra/checkout'
import { MitraError, newId } from '@mitra/core'
import type { DatabaseHandle } from '@mitra/db'
import { type PaymentProviderRegistry, paymentProvidersFromEnv } from '@mitra/payments'
import type { PayoutProviders } from '@mitra/revenue-share'
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { requestId } from 'hono/request-id'
import { type AuthFailureLimit, AuthFailures, defaultAuthFailureLimit } from './auth/failures.js'
import type { Principal } from './auth/keys.js'
import { publishableKeyAuth, secretKeyAuth } from './auth/middleware.js'
import { TtlCache } from './cache.js'
import { buyerKeys, type ClientOptions } from './client.js'
import type { AppEnv } from './env.js'
import { problemResponse, toMitraError } from './errors.js'
import { idempotency } from './idempotency/middleware.js'
import { type StoreRateLimits, storeWriteLimits } from './rate-limit.js'
import { registerAgreementRoutes } from './routes/agreements.js'
import { registerApiKeyRoutes } from './routes/api-keys.js'
import { registerAuditRoutes, registerAuditTrail } from './routes/audit.js'
import { registerBrandingRoutes } from './routes/branding.js'
import { registerCheckoutRoutes } from './routes/checkout.js'
import { registerMoneyRoutes } from './routes/money.js'
import { registerPartyRoutes } from './routes/parties.js'
import { registerPartnershipRoutes } from './routes/partnerships.js'
import { registerProductRoutes } from './routes/products.js'
import { registerSettlementRoutes } from './routes/settlements.js'
import { registerStockRoutes } from './routes/stock.js'
import { registerStoreRoutes } from './routes/store.js'
import { registerStoreDirectoryRoutes } from './routes/store-directory.js'
import { registerSystemRoutes } from './routes/system.js'
import { registerWebhookDocs } from './routes/webhooks-doc.js'
import { registerWidgetRoutes, type WidgetSource } from './routes/widget.js'
import { securityHeaders } from './security-headers.js'
import { type CachedResponse, clearOnWrite, storeResponseCache } from './store-cache.js'
import { refuseUnstorableText } from './text-guard.js'

export interface AppOptions {
  database: DatabaseHandle
  /**
   * Checkout's payment providers (`paymentProvidersFromEnv`), and with them the fee schedule
   * QRIS counter sales are split with. Default: the demo provider alone, so a fresh install
   * can sell end to end with no keys, and `defaultFeeSchedule`.
   */
  payments?: PaymentProviderRegistry
  /** The public URL of this server: demo pay pages and default return pages live there. */
  baseUrl?: string
  /** How long a buyer has to pay an order (default 30 min). */
  paymentWindowSeconds?: number
  /** Stripe and Midtrans Iris credentials for payouts (none: only manual payouts). */
  payoutProviders?: PayoutProviders
  /** Where uploaded images live (default: in memory, for tests; give a LocalDiskImageStore). */
  imageStore?: ImageStore
  /** Largest JSON body accepted, in bytes (default 1 MiB). */
  maxJsonBytes?: number
  /**
   * How long one instance may answer store reads and publishable-key lookups from memory
   * (default 2000 ms). Writes through the same instance clear it at once; this bounds how
   * stale another instance's answers can be. 0 turns caching off.
   */
  storeCacheTtlMs?: number
  /** One line per request (`req_… GET /path 200 3.1ms`); off by default. */
  logRequest?: (line: string) => void
  /** Where unexpected errors are reported (default: console.error). */
  logError?: (error: unknown, requestId: string | undefined) => void
  /**
   * Check every answer of a declared route against the schema the OpenAPI document gives it,
   * and fail with a 500 naming the drift when it does not match. On in tests; off by default.
   */
  checkResponses?: boolean
  /**
   * The widget's script, served at `/widget/v1.js` (and pinned at `/widget/v1.<hash>.js`):
   * `loadWidgetBundle` of `@mitra/widget/bundle`. Called once, on the first request. None:
   * this server serves no widget (404).
   */
  widget?: WidgetSource
  /**
   * Store writes let through per publishable key and per client address
   * (`defaultStoreRateLimits`: 3000 and 120 a minute); over them, 429 with `Retry-After`.
   */
  storeRateLimits?: StoreRateLimits
  /** Behind one reverse proxy: the client's address is the last `X-Forwarded-For` entry. */
  trustProxy?: ClientOptions['trustProxy']
  /**
   * The secret buyers' addresses are hashed with (`orders.buyer_key`, for the per-buyer
   * hold limit). Instances sharing a database need the same one; default: random per process.
   */
  buyerKeySecret?: string
  /**
   * Failed authentications (unknown, revoked or expired keys and sessions) one client address
   * may make before it is refused with a 429 (default: 20 within 300 s), per instance.
   */
  authFailureLimit?: Partial<AuthFailureLimit>
}

/**
 * The mitra HTTP API as a Hono app: run it with `listen`, or call `app.request()` in tests.
 * Every error leaves as problem+json carrying the request id.
 */
export function createApp(options: AppOptions) {
  const { database } = options
  const { db } = database
  const logError =
    options.logError ?? ((error, id) => console.error(`[${id ?? '-'}] unhandled error`, error))

  const app = new OpenAPIHono<AppEnv>({
    // Invalid input never reaches a handler: it becomes a 422 naming each failing field.
    defaultHook: (result) => {
      if (!result.success) throw toMitraError(result.error, result.target)
    },
  })

  app.use(requestId({ headerName: 'Request-Id', generator: () => newId('req') }))
  app.use(securityHeaders())
  const logRequest = options.logRequest
  if (logRequest) {
    app.use(async (c, next) => {
      const started = performance.now()
      await next()
      const ms = (performance.now() - started).toFixed(1)
      logRequest(`${c.get('requestId')} ${c.req.method} ${c.req.path} ${c.res.status} ${ms}ms`)
    })
  }
  app.onError((error, c) => {
    const mitraError = toMitraError(error)
    if (mitraError.status >= 500) logError(error, c.get('requestId'))
    return problemResponse(c, mitraError)
  })
  app.notFound((c) =>
    problemResponse(c, new MitraError('not_found', `No route for ${c.req.method} ${c.req.path}`)),
  )

  const tooLarge = (limit: number): MiddlewareHandler => {
    const check = bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new MitraError('payload_too_large', `The request body is over ${limit} bytes`)
      },
    })
    // Reads carry no body: skip the check on the hot path.
    return (c, next) =>
      c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : check(c, next)
  }

  // Store API: catalogue reads, carts and checkout, called from browsers on partner sites
  // (a cart line is taken out with DELETE). Preflights carry no key, so
  // they are answered openly; the real request is then held to the key's allowed origins.
  app.options('/v1/store/*', (c) => {
    c.header('Access-Control-Allow-Origin', c.req.header('Origin') ?? '*')
    c.header('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS')
    c.header(
      'Access-Control-Allow-Headers',
      'Authorization, Content-Type, Idempotency-Key, Mitra-Order-Token',
    )
    c.header('Access-Control-Max-Age', '600')
    c.header('Vary', 'Origin')
    return c.body(null, 204)
  })
  const ttl = options.storeCacheTtlMs ?? 2000
  const keyCache = new TtlCache<Principal>(ttl)
  const storeCache = new TtlCache<CachedResponse>(ttl)
  const authFailures = new AuthFailures(
    { ...defaultAuthFailureLimit, ...options.authFailureLimit },
    { trustProxy: options.trustProxy === true },
  )
  app.use(
    '/v1/store/*',
    tooLarge(options.maxJsonBytes ?? 1024 * 1024),
    refuseUnstorableText(),
    publishableKeyAuth(db, keyCache, authFailures),
    ...storeWriteLimits(options.storeRateLimits, { trustProxy: options.trustProxy === true }),
    storeResponseCache(storeCache),
    // Checkout POSTs hold stock and open payments: a retried request must not do it twice.
    idempotency(db),
  )

  app.use('/v1/admin/*', async (c, next) => {
    // Media uploads carry images; everything else is JSON.
    const limit =
      c.req.path === '/v1/admin/media' ? 20 * 1024 * 1024 : (options.maxJsonBytes ?? 1024 * 1024)
    return tooLarge(limit)(c, next)
  })
  app.use('/v1/admin/*', refuseUnstorableText())
  app.use(
    '/v1/admin/*',
    secretKeyAuth(db, authFailures),
    clearOnWrite(storeCache, keyCache),
    idempotency(db),
  )
  // Inside the idempotency layer (a replay is not recorded again), before the routes it wraps.
  registerAuditTrail(app, db, logError)
  const baseUrl = (options.baseUrl ?? 'http://localhost:3000').replace(/\/+$/, '')
  // The demo bank in the app's database, so its checkouts outlive a restart.
  const payments =
    options.payments ?? paymentProvidersFromEnv({}, { baseUrl, bank: databaseDemoBank(db) })
  // A QRIS sale at the counter costs what the providers' schedule says, as online ones do.
  app.use('/v1/admin/*', async (c, next) => {
    c.set('feeSchedule', payments.feeSchedule)
    await next()
  })
  app.use('/v1/*', async (c, next) => {
    c.set('checkResponses', options.checkResponses === true)
    await next()
  })

  registerSystemRoutes(app, database)
  registerApiKeyRoutes(app, db)
  registerAuditRoutes(app, db)
  registerPartyRoutes(app, db)
  registerProductRoutes(app, db)
  registerAgreementRoutes(app, db)
  registerStockRoutes(app, db)
  registerMoneyRoutes(app, db, options.payoutProviders ?? {})
  registerSettlementRoutes(app, db, { payments, baseUrl })
  registerWebhookDocs(app)
  registerPartnershipRoutes(app, db)
  registerCheckoutRoutes(app, db, {
    payments,
    payoutProviders: options.payoutProviders ?? {},
    baseUrl,
    buyerKey: buyerKeys(options.buyerKeySecret, { trustProxy: options.trustProxy === true }),
    ...(options.paymentWindowSeconds === undefined
      ? {}
      : { paymentWindowSeconds: options.paymentWindowSeconds }),
  })
  const imageStore = options.imageStore ?? new MemoryImageStore()
  registerStoreRoutes(app, db, {
    imageStore,
    producersOfBrand: (slug) => producersOfBrand(db, slug),
  })
  registerStoreDirectoryRoutes(app, db, {
    imageStore,
    producersOfBrand: (slug) => producersOfBrand(db, slug),
  })
  registerBrandingRoutes(app, db, imageStore)
  registerWidgetRoutes(app, options.widget, baseUrl)

  return app
}

export type App = ReturnType<typeof createApp>

/** A brand stands for its producer group, or for a cluster's members (the collective mark). */
async function producersOfBrand(
  db: DatabaseHandle['db'],
  slug: string,
): Promise<string[] | undefined> {
  const kit = await getBrandKitBySlug(db, slug).catch((error: unknown) => {
    if (error instanceof MitraError && error.code === 'not_found') return undefined
    throw error
  })
  if (kit === undefined) return undefined
  const party = await getParty(db, kit.party_id)
  if (party.kind === 'cluster') return (await listClusterMembers(db, party.id)).map((p) => p.id)
  return [party.id]
}
