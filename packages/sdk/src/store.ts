// The store API (`/v1/store`): what a buyer's browser may call with a publishable key. This
// entry imports nothing of the admin API, so a widget's bundle stays small.
import type { components, paths } from './generated/openapi.js'
import { type ClientOptions, type RequestOptions, Transport } from './http.js'

export {
  type ErrorCode,
  type FieldError,
  isMitraApiError,
  MitraApiError,
  MitraConnectionError,
} from './errors.js'
export type { components, paths } from './generated/openapi.js'
export type { ClientOptions, Page, PageList, RequestOptions } from './http.js'
export { formatMoney } from './money.js'

/** Every named schema of the API, e.g. `Schemas['StoreProduct']`. */
export type Schemas = components['schemas']

type Query<Path extends keyof paths> = paths[Path] extends {
  get: { parameters: { query?: infer Q } }
}
  ? NonNullable<Q>
  : never

export type StoreProductQuery = Query<'/v1/store/products'>
export type StoreProductDetailQuery = Query<'/v1/store/products/{id}'>
export type VenueAvailableQuery = Query<'/v1/store/venues/{venue_id}/available'>
export type StoreBrandListQuery = Query<'/v1/store/brands'>
export type StoreVenueListQuery = Query<'/v1/store/venues'>

/** The header that carries an order's access token to the store API. */
export const orderTokenHeader = 'Mitra-Order-Token'

/** The store's resources, shared by `createStoreClient` and `Mitra#store`. */
export class StoreApi {
  constructor(private readonly http: Transport) {}

  readonly products = {
    /** Active products, newest first: `for await` walks every page. */
    list: (query: StoreProductQuery = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/store/products', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    get: (id: string, query: StoreProductDetailQuery = {}, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/store/products/{id}', {
          ...init,
          params: { path: { id }, query },
        }),
      ),
    /** The product's social card, a 1200×630 JPEG. */
    card: (id: string, query: StoreProductDetailQuery = {}, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/store/products/{id}/card', {
          ...init,
          params: { path: { id }, query },
          parseAs: 'blob',
        }),
      ) as Promise<Blob>,
    /** Where the product is on a shelf now: each venue, its address and live units. */
    availability: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/store/products/{id}/availability', {
          ...init,
          params: { path: { id } },
        }),
      ),
  }

  readonly brands = {
    /** The producers' brands with their village and cluster marks; `cluster` keeps its members. */
    list: (query: StoreBrandListQuery = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/store/brands', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** A producer's (or a cluster's) brand kit, story and village. */
    get: (slug: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/store/brands/{slug}', { ...init, params: { path: { slug } } }),
      ),
  }

  readonly venues = {
    /** Venues with something on their shelf now (`brand`: selling that brand). */
    list: (query: StoreVenueListQuery = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/store/venues', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** A venue's public profile, by id or slug: name, address, how it sells online. */
    get: (venue: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/store/venues/{venue}', { ...init, params: { path: { venue } } }),
      ),
    /** What is on a venue's shelf now, with the quantity free to sell. */
    available: (venueId: string, query: VenueAvailableQuery = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/store/venues/{venue_id}/available', {
          ...init,
          params: {
            path: { venue_id: venueId },
            query: { ...query, cursor: cursor ?? query.cursor },
          },
        }),
      ),
  }

  readonly carts = {
    create: (options?: RequestOptions) =>
      this.http.send('POST', options, (init) => this.http.api.POST('/v1/store/carts', init)),
    get: (cartId: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/store/carts/{cart_id}', {
          ...init,
          params: { path: { cart_id: cartId } },
        }),
      ),
    /** Sets a line's quantity (adding the line when it is new). */
    setLine: (cartId: string, line: Schemas['CartLineInput'], options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/store/carts/{cart_id}/lines', {
          ...init,
          params: { path: { cart_id: cartId } },
          body: line,
        }),
      ),
    removeLine: (
      cartId: string,
      line: { venue_id: string; variant_id: string },
      options?: RequestOptions,
    ) =>
      this.http.send('DELETE', options, (init) =>
        this.http.api.DELETE('/v1/store/carts/{cart_id}/lines/{venue_id}/{variant_id}', {
          ...init,
          params: { path: { cart_id: cartId, ...line } },
        }),
      ),
    /** Turns the cart into an order and opens its payment: send the buyer to its `redirect_url`. */
    checkout: (cartId: string, body: Schemas['CheckoutInput'], options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/store/carts/{cart_id}/checkout', {
          ...init,
          params: { path: { cart_id: cartId } },
          body,
        }),
      ),
  }

  /**
   * A buyer's order, with the `access_token` its checkout answered (sent as
   * `Mitra-Order-Token`): without it, or with another order's, the order is a 404.
   */
  readonly orders = {
    get: (orderId: string, accessToken: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/store/orders/{order_id}', {
          ...init,
          headers: { ...init.headers, [orderTokenHeader]: accessToken },
          params: { path: { order_id: orderId } },
        }),
      ),
    cancel: (orderId: string, accessToken: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/store/orders/{order_id}/cancel', {
          ...init,
          headers: { ...init.headers, [orderTokenHeader]: accessToken },
          params: { path: { order_id: orderId } },
        }),
      ),
  }
}

export interface StoreClientOptions extends ClientOptions {
  /** A publishable key `pk_…` (a secret key works too, but only on a server). */
  key: string
}

/**
 * A client for the store API alone, for browsers:
 *
 * ```ts
 * const store = createStoreClient({ baseUrl: 'https://mitra.example', key: 'pk_…' })
 * const { data } = await store.products.list({ q: 'batik' })
 * ```
 */
export function createStoreClient(options: StoreClientOptions): StoreApi {
  refuseSecretKeyInBrowser(options.key)
  return new StoreApi(new Transport(options.key, options))
}

/** A secret key in a web page is readable by anyone who opens it. */
export function refuseSecretKeyInBrowser(key: string): void {
  if (key.startsWith('sk_') && typeof window !== 'undefined' && typeof document !== 'undefined') {
    throw new Error(
      'A secret key (sk_…) must stay on a server: use a publishable key (pk_…) in the browser',
    )
  }
}
