/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Schemas } from '@mitra/sdk/store'
import {
  CardHead,
  OfferForm,
  optionsText,
  productTitle,
  Stock,
  type StoreProduct,
  type StoreVenue,
  venueAddress,
  venueTerms,
} from '../components.js'
import { money, pick } from '../i18n.js'
import { href, page, type View } from '../layout.js'
import { storeLd } from '../seo.js'

export type ShelfUnit = Schemas['AvailableList']['data'][number]

export interface VenueData {
  venue: StoreVenue
  /** The products on its shelf now. */
  products: StoreProduct[]
  /** Its live units, by variant. */
  units: ShelfUnit[]
  /** The last "add to cart" asked for more than is left. */
  problem?: boolean
}

export function venuePage(v: View, data: VenueData): string {
  const { t } = v
  const { venue } = data
  const address = venueAddress(venue)
  const description = pick(venue.description, v.locale)
  const unitsOf = new Map(data.units.map((unit) => [unit.variant_id, unit]))
  const back = `/venues/${venue.slug}`
  const body = (
    <>
      <h1>{venue.name}</h1>
      {data.problem ? (
        <p class="error" role="alert">
          {t.notEnough}
        </p>
      ) : null}
      {address ? <address>{address}</address> : null}
      {description ? <p class="story">{description}</p> : null}
      <dl class="facts">
        {venueTerms(venue, v) ? (
          <>
            <dt>{t.checkout}</dt>
            <dd>{venueTerms(venue, v)}</dd>
          </>
        ) : null}
        {venue.phone ? (
          <>
            <dt>{t.phone}</dt>
            <dd>
              <a href={`tel:${venue.phone.replace(/[^+0-9]/g, '')}`}>{venue.phone}</a>
            </dd>
          </>
        ) : null}
        {venue.website ? (
          <>
            <dt>{t.website}</dt>
            <dd>
              <a href={venue.website} rel="noopener">
                {venue.website}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      <section aria-labelledby="shelf">
        <h2 id="shelf">{t.onShelf}</h2>
        {data.products.length === 0 ? <p class="muted">{t.shelfEmpty}</p> : null}
        <ul class="grid wide">
          {data.products.map((product) => {
            const title = productTitle(product, v)
            return (
              <li class="card">
                <CardHead product={product} v={v} sizes="(min-width: 40rem) 16rem, 100vw" />
                <h3>
                  <a href={href(v, `/products/${product.id}`)}>{title}</a>
                </h3>
                {product.variants.map((variant) => {
                  const unit = unitsOf.get(variant.id)
                  if (unit === undefined) return null
                  const options = optionsText(variant.options)
                  return (
                    <div class="offer">
                      <div>
                        {options ? <span>{options} · </span> : null}
                        {unit.price ? <strong>{money(unit.price, v.locale)}</strong> : null}
                        {' · '}
                        <Stock v={v} available={unit.available} />
                      </div>
                      <OfferForm
                        v={v}
                        venue={venue}
                        variant={unit}
                        label={options ? `${title}, ${options}` : title}
                        back={back}
                      />
                    </div>
                  )
                })}
              </li>
            )
          })}
        </ul>
      </section>
    </>
  )
  return page(
    v,
    {
      title: `${venue.name} · ${t.onShelf}`,
      description: [description, address].filter(Boolean).join(' · ') || venue.name,
      og: { type: 'place' },
      jsonLd: [storeLd(v, venue)],
    },
    body,
  )
}
