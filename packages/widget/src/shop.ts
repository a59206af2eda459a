// The widget's state, shared by every element on the page: the store client, the buyer's
// cart (kept on the server, its id remembered in the browser), and caches of products,
// brands and each venue's live stock. Elements listen for its events:
// `cart` (the cart changed), `stock` (a venue's stock was read again), `say` (announce).
import {
  createStoreClient,
  formatMoney,
  isMitraApiError,
  MitraConnectionError,
  type Schemas,
  type StoreApi,
} from '@mitra/sdk/store'
import { type CartStorage, cartStorage } from './cart-storage.js'
import { type Locale, type StringKey, translate } from './i18n.js'
import { hexColor, returnUrl } from './util.js'

export type Product = Schemas['StoreProduct']
export type Brand = Schemas['PublicBrand']
export type Cart = Schemas['Cart']
export type Order = Schemas['Order']
export type Stock = Schemas['AvailableList']['data'][number]
export type Provider = Schemas['CheckoutInput']['provider']

export interface WidgetConfig {
  /** The publishable key `pk_…` (its party is the sales channel; its origins are checked). */
  key: string
  /** Where the mitra API lives, without `/v1` (the script tag's default: its own origin). */
  api: string
  /** `id` (default) or `en`. */
  locale?: Locale
  /** The venue elements sell from when they name none (`venue` attribute). */
  venue?: string
  /** The payment provider checkout opens (default `demo`). */
  provider?: Provider
}

type CheckoutInput = Omit<Schemas['CheckoutInput'], 'provider' | 'success_url' | 'cancel_url'>

export class Shop extends EventTarget {
  readonly store: StoreApi | null
  readonly locale: Locale
  readonly api: string
  readonly venue: string | undefined
  readonly provider: Provider
  /** The open cart, once read or made; null while the buyer has none. */
  cart: Cart | null = null
  /** Something the drawer must explain (an expired cart), until the buyer sees it. */
  notice = ''
  /** Brand colours, one rule per brand, adopted by every element's shadow root. */
  readonly brandSheet = new CSSStyleSheet()
  readonly #carts: CartStorage
  /** The access tokens of the orders placed here (JSON), to read them after paying. */
  readonly #orderTokens: CartStorage
  readonly #products = new Map<string, Promise<Product | null>>()
  readonly #brands = new Map<string, Promise<Brand | null>>()
  readonly #coloured = new Set<string>()
  readonly #stock = new Map<string, Promise<Map<string, Stock>>>()
  readonly #lists = new Map<string, Promise<Product[]>>()
  #cartRead: Promise<void> | undefined
  #queue: Promise<unknown> = Promise.resolve()

  constructor(config: WidgetConfig) {
    super()
    this.locale = config.locale ?? 'id'
    this.api = config.api.replace(/\/+$/, '')
    this.venue = config.venue || undefined
    this.provider = config.provider ?? 'demo'
    this.store = config.key ? createStoreClient({ baseUrl: this.api, key: config.key }) : null
    this.#carts = cartStorage(`mitra.cart.${config.key.slice(3, 15)}`, () => localStorage)
    this.#orderTokens = cartStorage(`mitra.orders.${config.key.slice(3, 15)}`, () => localStorage)
  }

  t = (key: StringKey, ...args: (string | number)[]): string => translate(this.locale, key, ...args)

  money = (value: { amount: number; currency: string } | null | undefined): string =>
    value ? formatMoney(value, this.locale) : ''

  /** A server path (`/media/…`) as an absolute URL on the API's origin. */
  href = (path: string): string => new URL(path, `${this.api}/`).href

  /** Text in the page's language: `{ id, en }` fields fall back to Indonesian. */
  text = (value: { id: string | null; en: string | null } | undefined): string =>
    (this.locale === 'en' ? value?.en || value?.id : value?.id || value?.en) ?? ''

  /** What to tell the buyer (and the gallery's developer) when a call failed. */
  problem(error: unknown): string {
    if (isMitraApiError(error)) {
      if (error.status === 403) return this.t('origin', location.origin)
      if (error.status === 401) return this.t('badKey')
      return this.t('failed', error.detail)
    }
    if (error instanceof MitraConnectionError) return this.t('offline')
    return this.t('failed', String((error as Error)?.message ?? error))
  }

  #api(): StoreApi {
    if (this.store === null) throw new Error(this.t('setup'))
    return this.store
  }

  say(message: string): void {
    this.dispatchEvent(new CustomEvent('say', { detail: message }))
  }

  #emit(type: 'cart' | 'stock'): void {
    this.dispatchEvent(new Event(type))
  }

  /** What is free to sell at `venue` now, by variant id (`fresh`: ask again). */
  stock(venue: string, fresh = false): Promise<Map<string, Stock>> {
    let read = this.#stock.get(venue)
    if (read === undefined || fresh) {
      read = this.#api()
        .venues.available(venue, { limit: 100 })
        .toArray()
        .then((rows) => new Map(rows.map((row) => [row.variant_id, row])))
      this.#stock.set(venue, read)
      if (fresh) read.then(() => this.#emit('stock')).catch(() => {})
    }
    return read
  }

  /** The channel's products, newest first, every page: a brand's, or a venue's shelf. */
  list(filter: { brand?: string; venue?: string } = {}): Promise<Product[]> {
    const key = `${filter.brand ?? ''} ${filter.venue ?? ''}`
    let read = this.#lists.get(key)
    if (read === undefined) {
      read = this.#api()
        .products.list({ locale: this.locale, limit: 100, ...filter })
        .toArray()
        .then((list) => {
          for (const product of list) this.#products.set(product.id, Promise.resolve(product))
          return list
        })
      this.#lists.set(key, read)
      read.catch(() => this.#lists.delete(key))
    }
    return read
  }

  /** Products by id: from a list read before, else one by one (one gone is left out). */
  async products(ids: string[]): Promise<Product[]> {
    const api = this.#api()
    const read = (id: string) => {
      let product = this.#products.get(id)
      if (!product) {
        product = api.products.get(id, { locale: this.locale }).catch(() => null)
        this.#products.set(id, product)
      }
      return product
    }
    return (await Promise.all(ids.map(read))).filter((product) => product !== null)
  }

  /** A brand kit by slug (null: none), its colour added to the brand sheet. */
  brand(slug: string): Promise<Brand | null> {
    let read = this.#brands.get(slug)
    if (read === undefined) {
      read = this.#api()
        .brands.get(slug)
        .then((brand) => {
          this.colour(slug, brand.palette.primary)
          return brand
        })
        .catch(() => null)
      this.#brands.set(slug, read)
    }
    return read
  }

  /** Gives a brand's cards its colour (`--mitra-brand`), once per brand. */
  colour(slug: string | null, value: unknown): void {
    const color = hexColor(value)
    if (!slug || !color || this.#coloured.has(slug) || !/^[a-z0-9-]+$/.test(slug)) return
    this.#coloured.add(slug)
    this.brandSheet.insertRule(`[data-brand="${slug}"]{--mitra-brand:${color}}`)
  }

  /** Cart calls run one after another, so quick clicks never race each other. */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work)
    this.#queue = run.catch(() => {})
    return run
  }

  #keep(cart: Cart | null): void {
    this.cart = cart
    if (cart) this.#carts.set(cart.id)
    else this.#carts.clear()
  }

  /** Reads the remembered cart once; a cart the server no longer has is explained. */
  loadCart(again = false): Promise<void> {
    if (this.#cartRead === undefined || again) {
      this.#cartRead = (async () => {
        const id = this.cart?.id ?? this.#carts.get()
        if (!id || !this.store) return
        try {
          const cart = await this.store.carts.get(id)
          this.#keep(cart.status === 'open' ? cart : null)
        } catch (error) {
          if (!isMitraApiError(error, 'not_found')) {
            this.#cartRead = undefined
            throw error
          }
          this.#keep(null)
          this.notice = this.t('expired')
        }
        this.#emit('cart')
      })()
    }
    return this.#cartRead
  }

  /** How many of a variant from a venue the cart holds. */
  quantity(venue: string, variant: string): number {
    return (
      this.cart?.lines.find((line) => line.venue_id === venue && line.variant_id === variant)
        ?.quantity ?? 0
    )
  }

  /** Units in the cart. */
  count(): number {
    return this.cart?.lines.reduce((sum, line) => sum + line.quantity, 0) ?? 0
  }

  /**
   * Sets a line's quantity (0 takes it out), making a cart when there is none. A cart the
   * server no longer has, or one checked out meanwhile, is replaced by a new one once.
   */
  setQuantity(venue: string, variant: string, quantity: number): Promise<void> {
    return this.#serial(async () => {
      const api = this.#api()
      await this.loadCart().catch(() => {})
      const line = { venue_id: venue, variant_id: variant }
      for (let retry = true; ; retry = false) {
        try {
          if (this.cart === null) {
            if (quantity < 1) return
            this.#keep(await api.carts.create())
          }
          const id = (this.cart as Cart).id
          this.#keep(
            quantity > 0
              ? await api.carts.setLine(id, { ...line, quantity })
              : await api.carts.removeLine(id, line),
          )
          break
        } catch (error) {
          const gone = isMitraApiError(error, 'not_found')
          if (retry && (gone || isMitraApiError(error, 'cart_checked_out'))) {
            if (gone) this.notice = this.t('expired')
            this.#keep(null)
            continue
          }
          if (isMitraApiError(error, 'insufficient_stock')) void this.stock(venue, true)
          throw error
        }
      }
      this.#emit('cart')
    })
  }

  /**
   * Orders the cart's lines at one venue and answers the order (send the buyer to its
   * `redirect_url`); the provider sends the buyer back to this page with `?mitra_order=`.
   */
  checkout(input: CheckoutInput): Promise<Order> {
    return this.#serial(async () => {
      const cart = this.cart
      if (cart === null) throw new Error(this.t('cartEmpty'))
      const back = returnUrl(location.href)
      try {
        const order = await this.#api().carts.checkout(cart.id, {
          ...input,
          provider: this.provider,
          success_url: back,
          cancel_url: back,
        })
        // The cart is done once its only venue's lines became the order.
        if (cart.venues.length <= 1) this.#keep(null)
        this.rememberOrder(order.id, order.access_token)
        return order
      } catch (error) {
        // Lines may have sold out meanwhile: show the cart as it is now.
        await this.loadCart(true).catch(() => {})
        throw error
      }
    })
  }

  /** An order this browser placed, read with the access token its checkout answered. */
  order(id: string): Promise<Order> {
    const token = this.#tokens()[id]
    if (token === undefined) return Promise.reject(new Error(`no access token for ${id}`))
    return this.#api().orders.get(id, token)
  }

  /** The access tokens of this browser's last few orders, by order id. */
  #tokens(): Record<string, string> {
    try {
      return JSON.parse(this.#orderTokens.get() ?? '{}') as Record<string, string>
    } catch {
      return {}
    }
  }

  /** Keeps an order's access token (from the checkout, or the URL the buyer came back to). */
  rememberOrder(id: string, token: string): void {
    // Newest last; a few are enough to come back from the provider's page.
    const kept = Object.entries({ ...this.#tokens(), [id]: token }).slice(-5)
    this.#orderTokens.set(JSON.stringify(Object.fromEntries(kept)))
  }
}

let current: Shop | undefined

/** Sets up the widget's shop for this page (the script tag does it from its `data-*`). */
export function configure(config: WidgetConfig): Shop {
  current = new Shop(config)
  return current
}

/** The page's shop; elements used before `configure` explain that the key is missing. */
export function shop(): Shop {
  current ??= new Shop({ key: '', api: location.origin })
  return current
}
