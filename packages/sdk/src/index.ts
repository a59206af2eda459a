import { AdminApi } from './admin.js'
import { type ClientOptions, Transport } from './http.js'
import { refuseSecretKeyInBrowser, StoreApi } from './store.js'

export { AdminApi, type BodyOf, type QueryOf, type StatementQuery } from './admin.js'
export * from './store.js'

export interface MitraOptions extends ClientOptions {
  /** `pk_…`: the store API. Safe in a browser, limited to its allowed origins. */
  publishableKey?: string
  /** `sk_…`: the admin API and the store, from a server only. */
  secretKey?: string
}

/**
 * The mitra API, resource by resource:
 *
 * ```ts
 * const mitra = new Mitra({ baseUrl: 'https://mitra.example', secretKey: process.env.MITRA_SECRET_KEY })
 * const sale = await mitra.admin.sales.create({ venue_id, lines, payment_method: 'cash', … })
 * for await (const product of mitra.admin.products.list()) console.log(product.name)
 * ```
 */
export class Mitra {
  readonly #options: MitraOptions
  #store: StoreApi | undefined
  #admin: AdminApi | undefined

  constructor(options: MitraOptions) {
    if (options.publishableKey === undefined && options.secretKey === undefined) {
      throw new Error('Give a publishableKey (pk_…) for the store, or a secretKey (sk_…)')
    }
    if (options.publishableKey !== undefined && !options.publishableKey.startsWith('pk_')) {
      throw new Error('publishableKey must be a publishable key (pk_…)')
    }
    if (options.secretKey !== undefined) {
      if (!options.secretKey.startsWith('sk_')) {
        throw new Error('secretKey must be a secret key (sk_…)')
      }
      refuseSecretKeyInBrowser(options.secretKey)
    }
    this.#options = options
  }

  /** The store API: with the publishable key when given, else the secret key. */
  get store(): StoreApi {
    const key = this.#options.publishableKey ?? this.#options.secretKey!
    this.#store ??= new StoreApi(new Transport(key, this.#options))
    return this.#store
  }

  /** The admin API: needs the secret key. */
  get admin(): AdminApi {
    const key = this.#options.secretKey
    if (key === undefined) {
      throw new Error('The admin API needs a secret key (sk_…): pass secretKey, on a server')
    }
    this.#admin ??= new AdminApi(new Transport(key, this.#options))
    return this.#admin
  }
}

/**
 * The admin API as a person signed in to the console: their session token (`ses_…`) instead
 * of a secret key, acting for one of the parties they belong to (`Mitra-Party`), with the role
 * their membership gives them there. The console calls it in-process, from its server.
 *
 * ```ts
 * const admin = sessionAdminClient({ baseUrl, session: 'ses_…', party: 'pty_…', fetch: app.fetch })
 * const stock = await admin.stock.producer()
 * ```
 */
export function sessionAdminClient(
  options: ClientOptions & { session: string; party: string },
): AdminApi {
  if (!options.session.startsWith('ses_')) throw new Error('session must be a session (ses_…)')
  return new AdminApi(
    new Transport(options.session, {
      ...options,
      headers: { ...options.headers, 'Mitra-Party': options.party },
    }),
  )
}
