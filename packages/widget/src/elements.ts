// <mitra-shelf venue>, <mitra-product product venue>, <mitra-brand brand venue>: cards in a
// shadow root. Their light-DOM children (a link the gallery writes) show only without
// JavaScript: the shadow root has no slot, so once the widget runs they are not rendered.
import { type Card, imageAttrs, productCard } from './card.js'
import { baseSheet, h } from './dom.js'
import { type Product, type Shop, type Stock, shop } from './shop.js'

export abstract class MitraElement extends HTMLElement {
  static observedAttributes = ['venue', 'product', 'brand']
  readonly root: ShadowRoot
  #cards: Card[] = []
  #live = false
  #shop: Shop | undefined
  readonly #restock = () => {
    const venue = this.venue()
    if (venue) void this.#shop?.stock(venue).then((stock) => this.#update(stock))
  }

  constructor() {
    super()
    this.root = this.attachShadow({ mode: 'open' })
  }

  connectedCallback(): void {
    this.#live = true
    this.#shop = shop()
    this.root.adoptedStyleSheets = [baseSheet(), this.#shop.brandSheet]
    this.#shop.addEventListener('stock', this.#restock)
    void this.refresh()
  }

  disconnectedCallback(): void {
    this.#live = false
    this.#shop?.removeEventListener('stock', this.#restock)
  }

  attributeChangedCallback(_name: string, before: string | null, after: string | null): void {
    if (this.#live && before !== after) void this.refresh()
  }

  /** The venue the element sells from: its `venue` attribute, else the script tag's. */
  venue(): string | undefined {
    return this.getAttribute('venue') || this.#shop?.venue
  }

  #update(stock: Map<string, Stock>): void {
    for (const card of this.#cards) card.update(stock)
  }

  protected cards(products: Product[], stock: Map<string, Stock> | undefined): HTMLElement {
    const s = this.#shop as Shop
    this.#cards = products.map((product) => productCard(s, product, this.venue(), stock))
    if (this.#cards.length === 0) return h('p', 'message', s.t('empty'))
    return h(
      'ul',
      { part: 'grid', role: 'list' },
      ...this.#cards.map((card) => h('li', {}, card.element)),
    )
  }

  protected abstract render(shop: Shop): Promise<Node[]>

  async refresh(): Promise<void> {
    const s = this.#shop ?? shop()
    this.root.replaceChildren(h('p', { part: 'message', role: 'status' }, s.t('loading')))
    try {
      if (s.store === null) throw new Error(s.t('setup'))
      this.root.replaceChildren(...(await this.render(s)))
    } catch (error) {
      this.root.replaceChildren(h('p', { part: 'message', role: 'alert' }, s.problem(error)))
    }
  }
}

/** Everything on a venue's shelf that can be bought now. */
export class MitraShelf extends MitraElement {
  protected async render(shop: Shop): Promise<Node[]> {
    const venue = this.venue()
    if (!venue) throw new Error(shop.t('setup'))
    // The stock and the products are asked for together: one round trip, not two.
    const [stock] = await Promise.all([shop.stock(venue), shop.list({ venue })])
    const ids = [...new Set([...stock.values()].map((row) => row.product_id))]
    return [this.cards(await shop.products(ids), stock)]
  }
}

/** One product, with its stock at the venue. */
export class MitraProduct extends MitraElement {
  protected async render(shop: Shop): Promise<Node[]> {
    const id = this.getAttribute('product') ?? ''
    const venue = this.venue()
    const [products, stock] = await Promise.all([
      id ? shop.products([id]) : [],
      venue ? shop.stock(venue) : undefined,
    ])
    if (products.length === 0) return [h('p', 'message', shop.t('gone'))]
    return [this.cards(products, stock)]
  }
}

/** A producer's brand: its logo, name, story and village, and its goods at this venue. */
export class MitraBrand extends MitraElement {
  protected async render(shop: Shop): Promise<Node[]> {
    const slug = this.getAttribute('brand') ?? ''
    const venue = this.venue()
    const [brand, products, stock] = await Promise.all([
      shop.brand(slug),
      shop.list({ brand: slug }),
      venue ? shop.stock(venue) : undefined,
    ])
    if (brand === null) return [this.cards([], stock)]
    const logo = brand.logo?.sources.img
    const origin = brand.origin
    const here = products.filter(
      (product) => !stock || product.variants.some((variant) => stock.has(variant.id)),
    )
    return [
      h(
        'header',
        { part: 'header', 'data-brand': brand.slug },
        logo && h('img', { part: 'logo', alt: '', ...imageAttrs(shop, logo, '4rem') }),
        h(
          'div',
          {},
          h('h2', 'brand-name', brand.name),
          h('p', 'tagline', shop.text(brand.tagline)),
          h('p', 'origin', [origin.village, origin.regency].join(', ')),
        ),
        h('p', 'story', shop.text(brand.story)),
      ),
      this.cards(here, stock),
    ]
  }
}
