/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Schemas } from '@mitra/sdk/store'
import {
  imagePicture,
  Logo,
  OfferForm,
  optionsText,
  Picture,
  priceText,
  productTitle,
  Stock,
  type StoreProduct,
  venueAddress,
  venueTerms,
} from '../components.js'
import { money, pick } from '../i18n.js'
import { href, page, type View } from '../layout.js'
import { productLd } from '../seo.js'
import type { PublicBrand } from './brand.js'

export type Availability = Schemas['StoreProductAvailability']

export interface ProductData {
  product: StoreProduct
  /** Each venue that has it on its shelf now, with live units. */
  availability: Availability
  /** The maker's brand (kit, logo, collective marks); null while it has no kit. */
  brand: PublicBrand | null
  /** The maker's theme stylesheet. */
  theme: string | null
  /** The product's social card (og:image), when it has a photo and a price. */
  card: string | null
  /** The last "add to cart" asked for more than is left. */
  problem?: boolean
}

export function productPage(v: View, data: ProductData): string {
  const { t } = v
  const { product, availability, brand } = data
  const title = productTitle(product, v)
  const description = pick(product.description, v.locale)
  const origin = [
    product.origin.village ? t.village(product.origin.village) : null,
    product.origin.district,
    product.origin.regency,
    product.origin.province,
  ]
    .filter(Boolean)
    .join(', ')
  const variantOf = new Map(product.variants.map((variant) => [variant.id, variant]))
  const named = (variantId: string) => {
    const options = optionsText(variantOf.get(variantId)?.options ?? {})
    return options ? `${title}, ${options}` : title
  }
  const back = `/products/${product.id}`
  const makerLink = product.brand.slug ? href(v, `/brands/${product.brand.slug}`) : null
  const body = (
    <>
      {data.problem ? (
        <p class="error" role="alert">
          {t.notEnough}
        </p>
      ) : null}
      <div class="product">
        <div class="gallery">
          {product.images.map((image, index) => (
            <Picture
              picture={imagePicture(image)}
              alt={pick(image.alt, v.locale) || title}
              sizes="(min-width: 40rem) 36rem, 100vw"
              eager={index === 0}
            />
          ))}
        </div>
        <div>
          <div class="maker">
            <Logo logo={product.brand.logo} />
            {makerLink ? (
              <a href={makerLink}>{product.brand.name}</a>
            ) : (
              <span>{product.brand.name}</span>
            )}
          </div>
          <h1>{title}</h1>
          <p class="price">{priceText(product, v)}</p>
          {description ? <p class="story">{description}</p> : null}
          <dl class="facts">
            <dt>{t.madeBy}</dt>
            <dd>
              {makerLink ? <a href={makerLink}>{product.brand.name}</a> : product.brand.name}
              {(brand?.clusters ?? []).map((cluster) => (
                <>
                  {' · '}
                  <a href={href(v, `/brands/${cluster.slug}`)}>{cluster.name}</a>
                </>
              ))}
            </dd>
            {origin ? (
              <>
                <dt>{t.origin}</dt>
                <dd>{origin}</dd>
              </>
            ) : null}
            {product.materials.length > 0 ? (
              <>
                <dt>{t.material}</dt>
                <dd>{product.materials.join(', ')}</dd>
              </>
            ) : null}
          </dl>
          {product.variants.length > 1 ? (
            <>
              <h2>{t.variants}</h2>
              <ul>
                {product.variants.map((variant) => (
                  <li>
                    {optionsText(variant.options) || variant.sku}
                    {variant.price ? ` · ${money(variant.price, v.locale)}` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      </div>
      <section aria-labelledby="available">
        <h2 id="available">{t.availableAt}</h2>
        {availability.venues.length === 0 ? <p class="muted">{t.notOnShelf}</p> : null}
        {availability.venues.map(({ venue, variants }) => (
          <article class="venue">
            <h3>
              <a href={href(v, `/venues/${venue.slug}`)}>{venue.name}</a>
            </h3>
            {venueAddress(venue) ? <address>{venueAddress(venue)}</address> : null}
            <p>{venueTerms(venue, v)}</p>
            {variants.map((variant) => (
              <div class="offer">
                <div>
                  {optionsText(variant.options) ? (
                    <span>{optionsText(variant.options)} · </span>
                  ) : null}
                  {variant.price ? <strong>{money(variant.price, v.locale)}</strong> : null}
                  {' · '}
                  <Stock v={v} available={variant.available} />
                </div>
                {variant.available > 0 ? (
                  <OfferForm
                    v={v}
                    venue={venue}
                    variant={variant}
                    label={named(variant.variant_id)}
                    back={back}
                  />
                ) : null}
              </div>
            ))}
          </article>
        ))}
      </section>
    </>
  )
  const where = origin ? ` ${t.origin}: ${origin}.` : ''
  return page(
    v,
    {
      title: `${title} · ${product.brand.name}`,
      description: `${title}, ${t.by(product.brand.name)}. ${priceText(product, v)}.${where}`,
      ...(data.theme ? { theme: data.theme } : {}),
      og: {
        type: 'product',
        ...(data.card
          ? {
              image: {
                url: data.card,
                width: 1200,
                height: 630,
                alt: `${title} · ${product.brand.name}`,
              },
            }
          : {}),
      },
      jsonLd: [productLd(v, product, availability)],
    },
    body,
  )
}
