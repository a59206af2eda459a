import { type CurrencyCode, toDecimalString } from '@mitra/core'
import type { Schemas } from '@mitra/sdk/store'
import type { StoreProduct, StoreVenue } from './components.js'
import { type Locale, localePath, locales, pick } from './i18n.js'
import { absolute, absoluteUrl, href, type View } from './layout.js'

/*
 * What search engines read: schema.org data for products (with their offers), brands (as
 * organisations) and venues (as stores), the sitemap with every page in both languages, and
 * robots.txt.
 */

const context = 'https://schema.org'

export function productLd(
  v: View,
  product: StoreProduct,
  availability: Schemas['StoreProductAvailability'],
): object {
  const unitsOf = (variantId: string) =>
    availability.venues
      .flatMap((venue) => venue.variants)
      .filter((variant) => variant.variant_id === variantId)
      .reduce((sum, variant) => sum + variant.available, 0)
  const url = absolute(v, href(v, `/products/${product.id}`))
  return {
    '@context': context,
    '@type': 'Product',
    name: pick(product.title, v.locale),
    description: pick(product.description, v.locale) || undefined,
    image: product.images.map((image) => absoluteUrl(v, image.src)),
    category: v.t.categories[product.category] ?? product.category,
    material: product.materials.length > 0 ? product.materials.join(', ') : undefined,
    url,
    brand: { '@type': 'Brand', name: product.brand.name },
    manufacturer: {
      '@type': 'Organization',
      name: product.brand.name,
      ...(product.brand.slug ? { url: absolute(v, href(v, `/brands/${product.brand.slug}`)) } : {}),
    },
    offers: product.variants.flatMap((variant) =>
      variant.price === null
        ? []
        : [
            {
              '@type': 'Offer',
              sku: variant.sku,
              price: toDecimalString({
                amount: variant.price.amount,
                currency: variant.price.currency as CurrencyCode,
              }),
              priceCurrency: variant.price.currency,
              availability:
                unitsOf(variant.id) > 0
                  ? 'https://schema.org/InStock'
                  : 'https://schema.org/OutOfStock',
              itemCondition: 'https://schema.org/NewCondition',
              url,
            },
          ],
    ),
  }
}

export function organizationLd(v: View, brand: Schemas['PublicBrand']): object {
  const social = brand.social
  const sameAs = [
    social.instagram ? `https://www.instagram.com/${social.instagram.replace(/^@/, '')}` : null,
    social.facebook ? `https://www.facebook.com/${social.facebook}` : null,
    social.tiktok ? `https://www.tiktok.com/@${social.tiktok.replace(/^@/, '')}` : null,
    social.website ?? null,
  ].filter((link): link is string => link !== null)
  return {
    '@context': context,
    '@type': 'Organization',
    name: brand.name,
    url: absolute(v, href(v, `/brands/${brand.slug}`)),
    slogan: pick(brand.tagline, v.locale),
    description: pick(brand.story, v.locale),
    ...(brand.logo ? { logo: absoluteUrl(v, brand.logo.sources.img.src) } : {}),
    address: {
      '@type': 'PostalAddress',
      addressLocality: brand.origin.village,
      addressRegion: brand.origin.province,
      addressCountry: 'ID',
    },
    ...(brand.clusters.length > 0
      ? {
          memberOf: brand.clusters.map((cluster) => ({
            '@type': 'Organization',
            name: cluster.name,
            url: absolute(v, href(v, `/brands/${cluster.slug}`)),
          })),
        }
      : {}),
    ...(sameAs.length > 0 ? { sameAs } : {}),
  }
}

export function storeLd(v: View, venue: StoreVenue): object {
  const { address, village, regency, province } = venue.location
  return {
    '@context': context,
    '@type': 'Store',
    name: venue.name,
    url: absolute(v, href(v, `/venues/${venue.slug}`)),
    ...(pick(venue.description, v.locale)
      ? { description: pick(venue.description, v.locale) }
      : {}),
    ...(venue.phone ? { telephone: venue.phone } : {}),
    address: {
      '@type': 'PostalAddress',
      ...(address ? { streetAddress: address } : {}),
      ...(village || regency ? { addressLocality: village ?? regency } : {}),
      ...(province ? { addressRegion: province } : {}),
      addressCountry: 'ID',
    },
  }
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Every page in both languages, each naming the other (`xhtml:link` alternates). */
export function sitemapXml(baseUrl: string, paths: { path: string; lastmod?: string }[]): string {
  const url = (locale: Locale, path: string) => `${baseUrl}${localePath(locale, path)}`
  const entries = paths.flatMap(({ path, lastmod }) =>
    locales.map((locale) =>
      [
        '<url>',
        `<loc>${xml(url(locale, path))}</loc>`,
        lastmod ? `<lastmod>${xml(lastmod)}</lastmod>` : '',
        ...locales.map(
          (other) =>
            `<xhtml:link rel="alternate" hreflang="${other}" href="${xml(url(other, path))}"/>`,
        ),
        `<xhtml:link rel="alternate" hreflang="x-default" href="${xml(url('id', path))}"/>`,
        '</url>',
      ].join(''),
    ),
  )
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${entries.join('\n')}\n</urlset>\n`
}

/** What crawlers may read: the catalogue, not carts, checkouts, orders or the API. */
export function robotsTxt(baseUrl: string): string {
  const hidden = ['/cart', '/checkout', '/orders/', '/lang/', '/search']
  return [
    'User-agent: *',
    'Allow: /',
    ...hidden.flatMap((path) => [`Disallow: ${path}`, `Disallow: /en${path}`]),
    'Disallow: /v1/',
    'Disallow: /demo-pay/',
    `Sitemap: ${baseUrl}/sitemap.xml`,
    '',
  ].join('\n')
}
