// @mitra/widget for bundlers: `defineMitraElements({ key, api })` registers the elements.
// (The script served at /widget/v1.js is `auto.ts`: it reads its config from its own tag.)
import { MitraCart } from './cart.js'
import { MitraBrand, MitraProduct, MitraShelf } from './elements.js'
import { configure, type Shop, type WidgetConfig } from './shop.js'

export { MitraCart } from './cart.js'
export { MitraBrand, MitraElement, MitraProduct, MitraShelf } from './elements.js'
export { type Locale, localeOf, strings, translate } from './i18n.js'
export type { Brand, Cart, Order, Product, Provider, Shop, Stock, WidgetConfig } from './shop.js'

/** Configures the shop for this page and defines `<mitra-shelf>`, `<mitra-product>`,
 * `<mitra-brand>` and `<mitra-cart>` (once; a second call only configures). */
export function defineMitraElements(config: WidgetConfig): Shop {
  const shop = configure(config)
  const elements: [string, CustomElementConstructor][] = [
    ['mitra-shelf', MitraShelf],
    ['mitra-product', MitraProduct],
    ['mitra-brand', MitraBrand],
    ['mitra-cart', MitraCart],
  ]
  for (const [name, element] of elements) {
    if (!customElements.get(name)) customElements.define(name, element)
  }
  return shop
}
