/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Schemas } from '@mitra/sdk/store'
import { money, pick } from './i18n.js'
import { href, type View } from './layout.js'

export type StoreProduct = Schemas['StoreProduct']
export type PictureSources = Schemas['PictureSources']
type ProductImage = StoreProduct['images'][number]

/**
 * A picture as the API describes it: AVIF and WebP sources, a JPEG `<img>` with its size (no
 * layout shift), and the tiny blurred placeholder under it until it arrives.
 */
export function Picture({
  picture,
  alt,
  sizes,
  eager = false,
  class: className,
}: {
  picture: PictureSources
  alt: string
  sizes: string
  eager?: boolean
  class?: string
}) {
  return (
    <div class={className ? `pic ${className}` : 'pic'}>
      <img class="ph" src={picture.placeholder} alt="" aria-hidden="true" />
      <picture>
        {picture.sources.map((source) => (
          <source type={source.type} srcset={source.srcset} sizes={sizes} />
        ))}
        <img
          src={picture.img.src}
          srcset={picture.img.srcset}
          sizes={sizes}
          width={picture.img.width}
          height={picture.img.height}
          alt={alt}
          loading={eager ? 'eager' : 'lazy'}
          fetchpriority={eager ? 'high' : 'auto'}
          decoding="async"
        />
      </picture>
    </div>
  )
}

/** A product image as `PictureSources` (the product list gives its fields flat). */
export function imagePicture(image: ProductImage): PictureSources {
  return {
    sources: image.sources,
    img: { src: image.src, srcset: image.srcset, width: image.width, height: image.height },
    placeholder: image.placeholder,
    dominant_color: image.dominant_color,
  }
}

/** A brand's logo, small and round (decorative beside its name, which is always written). */
export function Logo({ logo, big = false }: { logo: PictureSources | null; big?: boolean }) {
  if (logo === null) return null
  return (
    <img
      class={big ? 'logo big' : 'logo'}
      src={logo.img.src}
      srcset={logo.img.srcset}
      sizes={big ? '80px' : '40px'}
      width={big ? 80 : 40}
      height={big ? 80 : 40}
      alt=""
      loading="lazy"
      decoding="async"
    />
  )
}

/** The lowest price of a product's variants: "from Rp85.000" when they differ. */
export function priceText(product: StoreProduct, v: View): string {
  const prices = product.variants.flatMap((variant) => (variant.price ? [variant.price] : []))
  const [first] = [...prices].sort((a, b) => a.amount - b.amount)
  if (first === undefined) return ''
  const text = money(first, v.locale)
  return prices.some((price) => price.amount !== first.amount) ? v.t.from(text) : text
}

export const productTitle = (product: StoreProduct, v: View) => pick(product.title, v.locale)

/** A card's top: the maker's brand first, then the product's photo. */
export function CardHead({ product, v, sizes }: { product: StoreProduct; v: View; sizes: string }) {
  const [cover] = product.images
  return (
    <>
      <div class="maker">
        <Logo logo={product.brand.logo} />
        <span>{product.brand.name}</span>
      </div>
      {cover ? (
        <Picture
          picture={imagePicture(cover)}
          alt={pick(cover.alt, v.locale) || productTitle(product, v)}
          sizes={sizes}
          class="square"
        />
      ) : null}
    </>
  )
}

/** One product in a grid: the maker's brand first, then the photo, the name and the price. */
export function ProductCard({ product, v }: { product: StoreProduct; v: View }) {
  const title = productTitle(product, v)
  return (
    <li class="card">
      <CardHead
        product={product}
        v={v}
        sizes="(min-width: 64rem) 12rem, (min-width: 40rem) 30vw, 45vw"
      />
      <h3>
        <a class="cover" href={href(v, `/products/${product.id}`)}>
          {title}
        </a>
      </h3>
      {product.origin.village ? (
        <span class="muted">{v.t.village(product.origin.village)}</span>
      ) : null}
      <span class="price">{priceText(product, v)}</span>
    </li>
  )
}

export function ProductGrid({ products, v }: { products: StoreProduct[]; v: View }) {
  if (products.length === 0) return <p class="muted">{v.t.noProducts}</p>
  return (
    <ul class="grid">
      {products.map((product) => (
        <ProductCard product={product} v={v} />
      ))}
    </ul>
  )
}

export type StoreVenue = Schemas['StoreVenue']

/** A venue's address in one line: street, village, regency (what it has). */
export function venueAddress(venue: StoreVenue): string {
  const { address, village, district, regency, province } = venue.location
  return [address, village, district, regency, province].filter(Boolean).join(', ')
}

/** The venue's way of selling online: pickup, delivery at a flat rate. */
export function venueTerms(venue: StoreVenue, v: View): string {
  const terms: string[] = []
  if (venue.checkout.pickup) terms.push(v.t.pickupHere)
  if (venue.checkout.delivery_rate) {
    terms.push(v.t.deliveryRate(money(venue.checkout.delivery_rate, v.locale)))
  }
  return terms.join(' · ')
}

/** `ukuran: 200 × 115 cm, warna: biru`, or nothing for a variant without options. */
export function optionsText(options: Record<string, string>): string {
  return Object.entries(options)
    .map(([name, value]) => `${name}: ${value}`)
    .join(', ')
}

/**
 * "Add to cart" for one variant at one venue: a plain form (POST, then back to the page), so
 * it works with JavaScript off. The quantity is added to what the cart already holds.
 */
export function OfferForm({
  v,
  venue,
  variant,
  label,
  back,
}: {
  v: View
  venue: { id: string; name: string }
  variant: { variant_id: string; available: number }
  /** What is being added, for screen readers: the product and its options. */
  label: string
  /** The page to come back to (without the language prefix). */
  back: string
}) {
  const id = `qty-${venue.id}-${variant.variant_id}`
  const most = Math.min(variant.available, 10)
  return (
    <form method="post" action={href(v, '/cart/lines')}>
      <input type="hidden" name="variant_id" value={variant.variant_id} />
      <input type="hidden" name="venue_id" value={venue.id} />
      <input type="hidden" name="back" value={back} />
      <div>
        <label for={id}>{v.t.quantity}</label>
        <select id={id} name="quantity" class="qty">
          {Array.from({ length: most }, (_, i) => (
            <option value={String(i + 1)}>{String(i + 1)}</option>
          ))}
        </select>
      </div>
      <button type="submit">
        {v.t.addToCart}
        <span class="sr"> {`${label} (${venue.name})`}</span>
      </button>
    </form>
  )
}

/** "3 left" or "Sold out", as the shelf holds it now. */
export function Stock({ v, available }: { v: View; available: number }) {
  return available > 0 ? (
    <span class="stock">{v.t.left(available)}</span>
  ) : (
    <span class="stock out">{v.t.soldOut}</span>
  )
}
