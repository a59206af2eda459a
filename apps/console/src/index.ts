import type { Database } from '@mitra/db'
import { createStoreClient } from '@mitra/sdk/store'
import { platformPublishableKey } from '@mitra/server'
import { consoleRoutes } from './routes.js'

export { partyRoutes } from './pages/index.js'
export { type ConsoleRouteOptions, consoleRoutes, type PartyContext } from './routes.js'

export interface ConsoleOptions {
  database: { db: Database }
  /** Where people reach this server, e.g. `https://mitra.example` (no trailing slash). */
  baseUrl: string
  /** The shop's URL for product pages (the QR codes on price tags); default `baseUrl`. */
  shopUrl?: string
  logError?: (error: unknown) => void
}

/** What the console needs of the app serving the API: to add its routes, and to call it. */
export interface ConsoleHost {
  route(path: string, app: ReturnType<typeof consoleRoutes>): unknown
  fetch(request: Request): Response | Promise<Response>
}

/**
 * Serves the partner console at `/console` on the app that serves the API. Mount it before
 * the shop (the shop answers unknown browser paths with its 404 page). Public catalogue reads
 * (names, prices, makers) go through the store API with the platform's publishable key named
 * `console`; everything else as the person signed in.
 *
 * ```ts
 * await mountConsole(app, { database, baseUrl })
 * await mountShop(app, { database, baseUrl })
 * ```
 */
export async function mountConsole(app: ConsoleHost, options: ConsoleOptions): Promise<void> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const key = await platformPublishableKey(options.database.db, 'console')
  const store = createStoreClient({
    baseUrl,
    key,
    fetch: (request) => app.fetch(request),
    maxRetries: 0,
  })
  app.route(
    '/',
    consoleRoutes({
      db: options.database.db,
      baseUrl,
      api: app,
      store,
      shopUrl: (options.shopUrl ?? baseUrl).replace(/\/+$/, ''),
      ...(options.logError ? { logError: options.logError } : {}),
    }),
  )
}
