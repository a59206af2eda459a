/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Schemas } from '@mitra/sdk/store'
import {
  Logo,
  ProductGrid,
  type StoreProduct,
  type StoreVenue,
  venueAddress,
  venueTerms,
} from '../components.js'
import { pick } from '../i18n.js'
import { absolute, href, page, type View } from '../layout.js'

export type BrandSummary = Schemas['StoreBrandSummary']
type Mark = BrandSummary['clusters'][number]

export interface HomeData {
  brands: BrandSummary[]
  newest: StoreProduct[]
  venues: StoreVenue[]
}

export interface BrandGroup {
  /** The cluster's collective mark; null for producers in no cluster (grouped by village). */
  cluster: Mark | null
  /** `Gemawang` or `Gemawang, Jambu`: the villages of the group's producers. */
  villages: string[]
  /** Where: the regencies and provinces of the group. */
  regions: string[]
  brands: BrandSummary[]
}

/**
 * Producers by cluster (their first collective mark), then, for those in none, by village.
 * Clusters and villages keep the order their first brand came in; brands within by name.
 */
export function groupBrands(brands: BrandSummary[]): BrandGroup[] {
  const groups = new Map<string, BrandGroup>()
  for (const brand of brands) {
    const [cluster] = brand.clusters
    const key = cluster ? `cluster:${cluster.slug}` : `village:${brand.origin.village}`
    let group = groups.get(key)
    if (group === undefined) {
      group = { cluster: cluster ?? null, villages: [], regions: [], brands: [] }
      groups.set(key, group)
    }
    group.brands.push(brand)
    if (!group.villages.includes(brand.origin.village)) group.villages.push(brand.origin.village)
    const region = `${brand.origin.regency}, ${brand.origin.province}`
    if (!group.regions.includes(region)) group.regions.push(region)
  }
  for (const group of groups.values()) group.brands.sort((a, b) => a.name.localeCompare(b.name))
  return [...groups.values()]
}

export function SearchForm({ v, q = '' }: { v: View; q?: string }) {
  return (
    <search>
      <form class="search" action={href(v, '/search')} method="get">
        <div>
          <label for="q">{v.t.searchLabel}</label>
          <input id="q" type="search" name="q" value={q} placeholder={v.t.searchPlaceholder} />
        </div>
        <button type="submit">{v.t.search}</button>
      </form>
    </search>
  )
}

function BrandCard({ brand, v }: { brand: BrandSummary; v: View }) {
  return (
    <li class="card">
      <div class="maker">
        <Logo logo={brand.logo} />
        <h4>
          <a class="cover" href={href(v, `/brands/${brand.slug}`)}>
            {brand.name}
          </a>
        </h4>
      </div>
      <p>{pick(brand.tagline, v.locale)}</p>
      <span class="muted">{v.t.village(brand.origin.village)}</span>
    </li>
  )
}

export function VenueList({ venues, v }: { venues: StoreVenue[]; v: View }) {
  return (
    <ul class="grid wide">
      {venues.map((venue) => (
        <li class="card">
          <h3>
            <a class="cover" href={href(v, `/venues/${venue.slug}`)}>
              {venue.name}
            </a>
          </h3>
          {venueAddress(venue) ? <span class="muted">{venueAddress(venue)}</span> : null}
          <span>{venueTerms(venue, v)}</span>
        </li>
      ))}
    </ul>
  )
}

export function homePage(v: View, data: HomeData): string {
  const { t } = v
  const groups = groupBrands(data.brands)
  const body = (
    <>
      <h1>{t.homeTitle}</h1>
      <p class="lede">{t.homeIntro}</p>
      <SearchForm v={v} />
      <section aria-labelledby="makers">
        <h2 id="makers">{t.makers}</h2>
        <p class="muted">{groups.length > 0 ? t.makersIntro : t.noProducts}</p>
        {groups.map((group) => (
          <section class="cluster">
            <header>
              {group.cluster ? <Logo logo={group.cluster.logo} /> : null}
              <h3>
                {group.cluster ? (
                  <a href={href(v, `/brands/${group.cluster.slug}`)}>{group.cluster.name}</a>
                ) : (
                  group.villages.map((village) => t.village(village)).join(', ')
                )}
              </h3>
            </header>
            <p class="villages">
              {[
                ...(group.cluster ? group.villages.map((village) => t.village(village)) : []),
                ...group.regions,
              ].join(' · ')}
            </p>
            <ul class="grid wide">
              {group.brands.map((brand) => (
                <BrandCard brand={brand} v={v} />
              ))}
            </ul>
          </section>
        ))}
      </section>
      <section aria-labelledby="newest">
        <h2 id="newest">{t.newest}</h2>
        <ProductGrid products={data.newest} v={v} />
        <p class="pager">
          <a href={href(v, '/search')}>{t.allProducts}</a>
        </p>
      </section>
      {data.venues.length > 0 ? (
        <section aria-labelledby="venues">
          <h2 id="venues">{t.venues}</h2>
          <p class="muted">{t.venuesIntro}</p>
          <VenueList venues={data.venues} v={v} />
        </section>
      ) : null}
    </>
  )
  return page(
    v,
    {
      title: `${t.shopName}: ${t.tagline}`,
      description: t.homeIntro,
      jsonLd: [
        {
          '@context': 'https://schema.org',
          '@type': 'WebSite',
          name: t.shopName,
          url: absolute(v, href(v, '/')),
          inLanguage: v.locale,
          potentialAction: {
            '@type': 'SearchAction',
            target: `${absolute(v, href(v, '/search'))}?q={search_term_string}`,
            'query-input': 'required name=search_term_string',
          },
        },
      ],
    },
    body,
  )
}
