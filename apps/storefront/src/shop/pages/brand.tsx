/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Schemas } from '@mitra/sdk/store'
import { Logo, ProductGrid, type StoreProduct, type StoreVenue } from '../components.js'
import { pick } from '../i18n.js'
import { href, page, type View } from '../layout.js'
import { organizationLd } from '../seo.js'
import { type BrandSummary, VenueList } from './home.js'

export type PublicBrand = Schemas['PublicBrand']

export interface BrandData {
  brand: PublicBrand
  /** The brand's products (a cluster's: its members'). */
  products: StoreProduct[]
  /** The venues selling it now. */
  venues: StoreVenue[]
  /** For a cluster's collective mark: its member brands. */
  members: BrandSummary[]
  /** The hashed URL of the brand's theme stylesheet. */
  theme: string
}

const socialUrl: Record<string, (handle: string) => string> = {
  instagram: (h) => `https://www.instagram.com/${h.replace(/^@/, '')}`,
  facebook: (h) => `https://www.facebook.com/${h}`,
  tiktok: (h) => `https://www.tiktok.com/@${h.replace(/^@/, '')}`,
  whatsapp: (h) => `https://wa.me/${h.replace(/[^0-9]/g, '')}`,
  website: (h) => h,
}

export function brandPage(v: View, data: BrandData): string {
  const { t } = v
  const { brand } = data
  const where = [
    t.village(brand.origin.village),
    brand.origin.district,
    brand.origin.regency,
    brand.origin.province,
  ].join(', ')
  const social = Object.entries(brand.social).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
  )
  const body = (
    <>
      <div class="brand-hero">
        {brand.logo ? <Logo logo={brand.logo.sources} big /> : null}
        <h1>{brand.name}</h1>
        <p class="tagline">{pick(brand.tagline, v.locale)}</p>
        <p>{where}</p>
        {brand.clusters.length > 0 ? (
          <div class="marks">
            <span class="badge">{t.collectiveMark}</span>
            {brand.clusters.map((cluster) => (
              <a class="mark" href={href(v, `/brands/${cluster.slug}`)}>
                <Logo logo={cluster.logo} />
                <span>{cluster.name}</span>
              </a>
            ))}
          </div>
        ) : null}
      </div>
      <section aria-labelledby="story">
        <h2 id="story">{t.story}</h2>
        <p class="story">{pick(brand.story, v.locale)}</p>
        {brand.certifications.length > 0 || social.length > 0 ? (
          <dl class="facts">
            {brand.certifications.map((certification) => (
              <>
                <dt>
                  {certification.kind === 'pirt' ? 'P-IRT' : certification.kind.toUpperCase()}
                </dt>
                <dd>
                  {certification.number}
                  {certification.issuer ? ` · ${certification.issuer}` : ''}
                </dd>
              </>
            ))}
            {social.map(([network, handle]) => (
              <>
                <dt>{network === 'website' ? t.website : network}</dt>
                <dd>
                  <a href={(socialUrl[network] ?? ((h: string) => h))(handle)} rel="me noopener">
                    {handle}
                  </a>
                </dd>
              </>
            ))}
          </dl>
        ) : null}
      </section>
      {data.members.length > 0 ? (
        <section aria-labelledby="members">
          <h2 id="members">{t.members}</h2>
          <ul class="grid wide">
            {data.members.map((member) => (
              <li class="card">
                <div class="maker">
                  <Logo logo={member.logo} />
                  <a class="cover" href={href(v, `/brands/${member.slug}`)}>
                    {member.name}
                  </a>
                </div>
                <p>{pick(member.tagline, v.locale)}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="products">
        <h2 id="products">{t.products}</h2>
        <ProductGrid products={data.products} v={v} />
      </section>
      <section aria-labelledby="where">
        <h2 id="where">{t.whereToFind}</h2>
        {data.venues.length > 0 ? (
          <VenueList venues={data.venues} v={v} />
        ) : (
          <p class="muted">{t.notOnShelf}</p>
        )}
      </section>
    </>
  )
  return page(
    v,
    {
      title: `${brand.name}: ${pick(brand.tagline, v.locale)}`,
      description: `${pick(brand.tagline, v.locale)}. ${where}.`,
      theme: data.theme,
      og: {
        type: 'profile',
        ...(brand.logo
          ? {
              image: {
                url: brand.logo.sources.img.src,
                width: brand.logo.sources.img.width,
                height: brand.logo.sources.img.height,
                alt: brand.name,
              },
            }
          : {}),
      },
      jsonLd: [organizationLd(v, brand)],
    },
    body,
  )
}
