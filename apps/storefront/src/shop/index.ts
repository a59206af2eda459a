import { AsyncLocalStorage } from 'node:async_hooks'
import type { DatabaseHandle } from '@mitra/db'
import { createStoreClient, type StoreApi } from '@mitra/sdk/store'
import { platformPublishableKey } from '@mitra/server'
import { Hono } from 'hono'
import { shopRoutes } from './routes.js'

export { cartCookie, langCookie, type ShopRouteOptions, safeNext, shopRoutes } from './routes.js'

/** The name of the platform's publishable key the shop reads the store with. */
export const shopKeyName = 'shop'

export interface ShopOptions {
  /** The database the API runs on: the shop finds (or makes) its key there. */
  database: Pick<DatabaseHandle, 'db'>
  /** Where buyers reach this server, e.g. `https://mitra.example` (no trailing slash). */
  baseUrl: string
  /** The payment providers the checkout offers (`payments.names()`); default demo. */
  providers?: readonly string[]
  /** A publishable key to sell with instead of the platform's own (its channel is the shop). */
  key?: string
  /** Where unexpected errors are reported (default: console.error). */
  logError?: (error: unknown) => void
}

/** What the shop needs of the app serving the API: to add its routes, and to call it. */
export interface ShopHost {
  route(path: string, app: Hono): unknown
  fetch(request: Request, env?: unknown): Response | Promise<Response>
}

export interface MountedShop {
  /** The publishable key the shop reads the store with. */
  key: string
  /** The store client the pages call (in-process, through the app). */
  store: StoreApi
}

/**
 * Serves the shop at `/` on the app that serves the API (which stays at `/v1`). The shop is a
 * client of the public store API like any other: it calls it in-process through the SDK with
 * a publishable key of the platform operator (whose channel is the whole active catalogue),
 * made on the first start and found again on later ones (the platform must exist:
 * `ensurePlatform` first). Mount it after every other route:
 * pages the shop does not have answer its HTML 404 for browsers.
 *
 * ```ts
 * const app = createApp({ database, imageStore, baseUrl, payments })
 * await mountShop(app, { database, baseUrl, providers: payments.names() })
 * ```
 */
export async function mountShop(app: ShopHost, options: ShopOptions): Promise<MountedShop> {
  const key = options.key ?? (await platformPublishableKey(options.database.db, shopKeyName))
  // The page's own connection goes with each call it makes, so the API tells buyers apart
  // (its per-client limits and the per-buyer hold limit) as it does for direct callers.
  const buyerConnection = new AsyncLocalStorage<unknown>()
  const store = createStoreClient({
    baseUrl: options.baseUrl,
    key,
    // In-process: the request never leaves this server, and meets every check the API makes.
    fetch: (request) => app.fetch(request, buyerConnection.getStore()),
  })
  const shop = new Hono()
  shop.use((c, next) => buyerConnection.run(c.env, next))
  app.route(
    '/',
    shop.route(
      '/',
      shopRoutes({
        store,
        baseUrl: options.baseUrl,
        ...(options.providers ? { providers: options.providers } : {}),
        ...(options.logError ? { logError: options.logError } : {}),
      }),
    ),
  )
  return { key, store }
}
