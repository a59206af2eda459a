/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type Locale, money, pick } from '../format.js'
import { count, cssColour, imageUrl, type Money, optionsText, type Texts } from './common.js'
import { QrCode } from './qr.js'

const strings = {
  id: {
    sheet: 'Label harga',
    logo: (brand: string) => `Logo ${brand}`,
    village: (name: string) => `Desa ${name}`,
    qr: (title: string) => `Kode QR ke halaman ${title} di toko online`,
  },
  en: {
    sheet: 'Price tags',
    logo: (brand: string) => `${brand} logo`,
    village: (name: string) => `${name} village`,
    qr: (title: string) => `QR code to the shop page of ${title}`,
  },
} satisfies Record<Locale, unknown>

/**
 * The producer's brand, on every tag: what a buyer sees at a café or gallery is the maker's
 * own name, not the venue's.
 */
export interface PriceTagBrand {
  /** `BrandKit.name` (or `Party.name`). */
  name: string
  /** The logo's address (the brand kit's logo media), http(s) or a path on this host. */
  logoUrl?: string | null
  /** `BrandKit.palette.primary`, `#rrggbb`: the stripe down each tag. Other values are ignored. */
  color?: string | null
  /** `BrandKit.origin.village` (or `Product.origin.village`): printed as `Desa …`. */
  village?: string | null
}

/** One product variant to tag. */
export interface PriceTagItem {
  /** `Product.title`. */
  title: Texts
  /** `Variant.sku`. */
  sku: string
  /** `Variant.options`, e.g. `{ ukuran: '200 × 115 cm' }`. */
  options: Readonly<Record<string, string>>
  /** `Variant.price`, in minor units. */
  price: Money
  /** The product's page in the shop, e.g. `https://shop.example/products/prod_…`: the QR's target. */
  url: string
  /** How many tags of it to print (a whole number; 0 or less prints none). */
  copies: number
}

export interface PriceTagSheetProps {
  locale: Locale
  brand: PriceTagBrand
  items: readonly PriceTagItem[]
  /**
   * `a4` (default): 70 × 37 mm tags, 3 × 8 on A4 (plain paper to cut, or 24-up label sheets).
   * `label`: one 70 × 37 mm tag per page, for a label printer.
   */
  sheet?: 'a4' | 'label'
}

/**
 * A sheet of price tags, one per copy of each item: the maker's brand (logo, name, colour),
 * the product, its options and SKU, the price, the village, and a QR code to its shop page
 * with the address written under it (for a phone that cannot scan). Style: `printCss`.
 */
export function PriceTagSheet({ locale, brand, items, sheet = 'a4' }: PriceTagSheetProps) {
  const t = strings[locale]
  const colour = cssColour(brand.color)
  const logo = imageUrl(brand.logoUrl)
  const classes = ['p-print', 'p-tags', `p-tags-${sheet}`]
  if (colour) classes.push('p-tags-branded')
  return (
    <section
      class={classes.join(' ')}
      lang={locale}
      aria-label={`${t.sheet}: ${brand.name}`}
      style={colour ? `--p-brand: ${colour}` : undefined}
    >
      <ul class="p-tags-list">
        {items.flatMap((item) => {
          const title = pick(item.title, locale)
          const details = [optionsText(item.options), item.sku].filter(Boolean).join(' · ')
          // One tag built once and repeated: encoding the QR is the costly part.
          const tag = (
            <li class="p-tag">
              <p class="p-tag-brand">
                {logo ? <img class="p-tag-logo" src={logo} alt={t.logo(brand.name)} /> : null}
                <span>{brand.name}</span>
              </p>
              <p class="p-tag-title">{title}</p>
              {details ? <p class="p-tag-detail">{details}</p> : null}
              <p class="p-tag-price">{money(item.price, locale)}</p>
              {brand.village ? <p class="p-tag-origin">{t.village(brand.village)}</p> : null}
              <div class="p-tag-qr">
                <QrCode text={item.url} label={t.qr(title)} />
              </div>
              <p class="p-tag-url">{item.url}</p>
            </li>
          )
          return Array.from({ length: count(item.copies) }, () => tag)
        })}
      </ul>
    </section>
  )
}
