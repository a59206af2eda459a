// One product card: the maker's brand first (logo, name, village, cluster), the product,
// where it is sold, its price and its live stock at this venue, and "add to cart".
import { isMitraApiError } from '@mitra/sdk/store'
import { h, uid } from './dom.js'
import type { Product, Shop, Stock } from './shop.js'
import { absoluteSrcset } from './util.js'

export interface Card {
  element: HTMLElement
  /** Shows the venue's stock as read last (after a `stock` event). */
  update(stock: Map<string, Stock> | undefined): void
}

const sizes = '(min-width: 40rem) 16rem, 90vw'

/** The maker's brand: its logo, name, village and cluster, in the brand's colour. */
export function brandLine(shop: Shop, product: Product): HTMLElement {
  const { brand } = product
  const where = [product.origin.village, brand.clusters[0]].filter(Boolean).join(' · ')
  const logo = brand.logo?.img
  shop.colour(brand.slug, brand.color)
  return h(
    'div',
    'brand',
    logo && h('img', { part: 'logo', alt: '', ...imageAttrs(shop, logo, '3rem') }),
    h('div', {}, h('span', 'brand-name', brand.name), where && h('span', 'origin', where)),
  )
}

export function imageAttrs(shop: Shop, image: { src: string; srcset: string }, size = sizes) {
  return {
    src: shop.href(image.src),
    srcset: absoluteSrcset(image.srcset, shop.api),
    sizes: size,
  }
}

function optionText(variant: Product['variants'][number]): string {
  return Object.values(variant.options).join(' · ') || variant.sku
}

export function productCard(
  shop: Shop,
  product: Product,
  venue: string | undefined,
  stock: Map<string, Stock> | undefined,
): Card {
  const t = shop.t
  const title = shop.text(product.title)
  const titleId = uid('mt')
  const variants = product.variants.filter((variant) => variant.price !== null)
  const left = (id: string) => stock?.get(id)?.available ?? 0
  let chosen = variants.find((variant) => left(variant.id) > 0) ?? variants[0]
  const image = product.images[0]

  const price = h('p', 'price')
  const count = h('p', 'stock')
  const add = h('button', { part: 'add', type: 'button', 'aria-describedby': titleId }, t('add'))
  const note = h('p', { part: 'note', role: 'status' })
  const select =
    variants.length > 1
      ? h(
          'select',
          { part: 'variant', 'aria-label': t('option'), 'aria-describedby': titleId },
          ...variants.map((variant) =>
            h('option', { value: variant.id, selected: variant === chosen }, optionText(variant)),
          ),
        )
      : null

  const update = (read: Map<string, Stock> | undefined) => {
    stock = read
    const units = chosen ? left(chosen.id) : 0
    price.textContent = shop.money(chosen?.price)
    count.textContent = venue ? (units > 0 ? t('left', units) : t('soldOut')) : ''
    count.toggleAttribute('data-out', venue !== undefined && units < 1)
    add.disabled = !venue || !chosen || units < 1
  }
  if (select) {
    select.onchange = () => {
      chosen = variants.find((variant) => variant.id === select.value)
      note.textContent = ''
      update(stock)
    }
  }
  let busy = false
  add.onclick = async () => {
    if (busy || !chosen || !venue) return
    busy = true
    const variant = chosen
    try {
      await shop.setQuantity(venue, variant.id, shop.quantity(venue, variant.id) + 1)
      note.textContent = ''
      shop.say(t('added', title))
    } catch (error) {
      note.textContent = isMitraApiError(error, 'insufficient_stock')
        ? t('onlyLeft', Number(error.problem.available ?? 0))
        : shop.problem(error)
    } finally {
      busy = false
    }
  }

  const element = h(
    'article',
    { part: 'card', 'aria-labelledby': titleId, 'data-brand': product.brand.slug ?? undefined },
    brandLine(shop, product),
    image &&
      h('img', {
        part: 'image',
        alt: shop.text(image.alt) || title,
        width: image.width,
        height: image.height,
        loading: 'lazy',
        ...imageAttrs(shop, image),
      }),
    h('h3', { part: 'title', id: titleId }, title),
    product.attribution.sold_at && h('p', 'venue', product.attribution.sold_at),
    select,
    price,
    count,
    add,
    note,
  )
  update(stock)
  return { element, update }
}
