import type { Schemas } from '@mitra/sdk/store'
import { type Locale, strings } from './i18n.js'
import type { View } from './layout.js'

/*
 * Answers of the store API as the pages receive them, for rendering tests: each builder gives
 * a complete, valid object and takes overrides.
 */

const at = '2026-12-06T07:30:00.000Z'

export const testView = (locale: Locale = 'id', path = '/', cartCount: number | null = null) =>
  ({
    locale,
    t: strings[locale],
    baseUrl: 'https://shop.example',
    path,
    cartCount,
  }) satisfies View

export function picture(name = 'p'): Schemas['PictureSources'] {
  return {
    sources: [
      { type: 'image/avif', srcset: `/media/${name}-320.avif 320w, /media/${name}-640.avif 640w` },
      { type: 'image/webp', srcset: `/media/${name}-320.webp 320w, /media/${name}-640.webp 640w` },
    ],
    img: {
      src: `/media/${name}-640.jpg`,
      srcset: `/media/${name}-320.jpg 320w, /media/${name}-640.jpg 640w`,
      width: 640,
      height: 640,
    },
    placeholder: 'data:image/webp;base64,UklGRg==',
    dominant_color: '#1f3a5f',
  }
}

export function storeProduct(
  overrides: Partial<Schemas['StoreProduct']> = {},
): Schemas['StoreProduct'] {
  const photo = picture('kopi')
  return {
    id: 'prod_01jdemo0000000000000000001',
    producer_id: 'pty_01jdemo0000000000000000001',
    category: 'batik',
    title: { id: 'Batik tulis motif kopi', en: 'Hand-drawn batik, coffee motif' },
    description: { id: 'Kain batik tulis pewarna alami.', en: 'Natural-dye batik cloth.' },
    materials: ['katun primisima', 'indigo alami'],
    tags: ['tulis'],
    origin: {
      village: 'Gemawang',
      district: 'Jambu',
      regency: 'Kabupaten Semarang',
      province: 'Jawa Tengah',
    },
    variants: [
      {
        id: 'var_01jdemo0000000000000000001',
        product_id: 'prod_01jdemo0000000000000000001',
        sku: 'BG-KOPI-200',
        options: { ukuran: '200 × 115 cm' },
        weight_grams: 300,
        price: { amount: 350_000, currency: 'IDR' },
        created_at: at,
        updated_at: at,
      },
    ],
    media: [
      { media_id: 'med_01jdemo0000000000000000001', position: 0, alt: { id: null, en: null } },
    ],
    created_at: at,
    updated_at: at,
    producer: { id: 'pty_01jdemo0000000000000000001', name: 'Batik Gemawangi', slug: 'batik' },
    brand: {
      name: 'Batik Gemawangi',
      slug: 'batik-gemawangi',
      clusters: ['Desa Vokasi Gemawang'],
      logo: picture('logo'),
      color: '#1f3a5f',
    },
    attribution: { maker: 'Batik Gemawangi, Gemawang', sold_at: null },
    images: [
      {
        media_id: 'med_01jdemo0000000000000000001',
        alt: { id: 'Kain batik biru', en: 'A blue batik cloth' },
        width: 640,
        height: 640,
        dominant_color: photo.dominant_color,
        placeholder: photo.placeholder,
        sources: photo.sources,
        src: photo.img.src,
        srcset: photo.img.srcset,
      },
    ],
    ...overrides,
  }
}

export function storeVenue(overrides: Partial<Schemas['StoreVenue']> = {}): Schemas['StoreVenue'] {
  return {
    id: 'pty_01jdemo0000000000000000009',
    slug: 'kafe-banaran-9',
    name: 'Kafe Banaran 9',
    description: { id: 'Kafe di lereng Ungaran.', en: 'A café on Mount Ungaran.' },
    location: {
      address: 'Jl. Raya Banaran No. 9',
      village: 'Banaran',
      district: 'Bawen',
      regency: 'Kabupaten Semarang',
      province: 'Jawa Tengah',
    },
    website: null,
    phone: '+62 812 3456 7890',
    checkout: {
      currency: 'IDR',
      pickup: true,
      delivery_rate: { amount: 15_000, currency: 'IDR' },
    },
    ...overrides,
  }
}

export function brandMark(
  overrides: Partial<Schemas['StoreBrandMark']> = {},
): Schemas['StoreBrandMark'] {
  return {
    slug: 'desa-vokasi-gemawang',
    name: 'Desa Vokasi Gemawang',
    tagline: { id: 'Produk unggulan desa vokasi', en: 'Made in a vocational village' },
    logo: picture('mark'),
    ...overrides,
  }
}

export function brandSummary(
  overrides: Partial<Schemas['StoreBrandSummary']> = {},
): Schemas['StoreBrandSummary'] {
  return {
    slug: 'batik-gemawangi',
    name: 'Batik Gemawangi',
    producer_id: 'pty_01jdemo0000000000000000001',
    tagline: { id: 'Batik tulis pewarna alami', en: 'Natural-dye batik' },
    origin: {
      village: 'Gemawang',
      district: 'Jambu',
      regency: 'Kabupaten Semarang',
      province: 'Jawa Tengah',
    },
    logo: picture('logo'),
    color: '#1f3a5f',
    clusters: [brandMark()],
    ...overrides,
  }
}

export function publicBrand(
  overrides: Partial<Schemas['PublicBrand']> = {},
): Schemas['PublicBrand'] {
  return {
    id: 'brand_01jdemo000000000000000001',
    object: 'brand_kit',
    party_id: 'pty_01jdemo0000000000000000001',
    name: 'Batik Gemawangi',
    slug: 'batik-gemawangi',
    tagline: { id: 'Batik tulis pewarna alami', en: 'Natural-dye batik' },
    story: { id: 'Kelompok batik ibu-ibu.\nMotif kopi.', en: 'A women’s batik group.' },
    origin: {
      village: 'Gemawang',
      district: 'Jambu',
      regency: 'Kabupaten Semarang',
      province: 'Jawa Tengah',
    },
    logo_media_id: 'med_01jdemo0000000000000000002',
    palette: {
      primary: '#1f3a5f',
      on_primary: '#ffffff',
      background: '#fbf7f0',
      text: '#241a12',
      accent: '#e0a526',
      on_accent: '#241a12',
    },
    typography: { heading: 'old-style', body: 'system-sans' },
    social: { instagram: 'batikgemawangi' },
    certifications: [{ kind: 'pirt', number: '206337401020024' }],
    version: 1,
    created_at: at,
    updated_at: at,
    theme_css: ':host, :root {\n  --mitra-color-primary: #1f3a5f;\n}\n',
    logo: {
      id: 'med_01jdemo0000000000000000002',
      object: 'media_asset',
      party_id: 'pty_01jdemo0000000000000000001',
      source_format: 'jpeg',
      width: 640,
      height: 640,
      dominant_color: '#1f3a5f',
      placeholder: 'data:image/webp;base64,UklGRg==',
      variants: [],
      sources: picture('logo'),
      created_at: at,
    },
    clusters: [brandMark()],
    ...overrides,
  }
}

export function cart(overrides: Partial<Schemas['Cart']> = {}): Schemas['Cart'] {
  const venue = storeVenue()
  return {
    id: 'cart_01jdemo00000000000000001',
    channel_id: 'pty_01jdemo0000000000000000000',
    status: 'open',
    order_id: null,
    lines: [
      {
        venue_id: venue.id,
        variant_id: 'var_01jdemo0000000000000000001',
        producer_id: 'pty_01jdemo0000000000000000001',
        product_id: 'prod_01jdemo000000000000000001',
        name: 'Batik tulis motif kopi (BG-KOPI)',
        title: { id: 'Batik tulis motif kopi', en: 'Hand-drawn coffee batik' },
        sku: 'BG-KOPI',
        quantity: 2,
        unit_price: { amount: 350_000, currency: 'IDR' },
        list_price: { amount: 350_000, currency: 'IDR' },
        line_total: { amount: 700_000, currency: 'IDR' },
        available: 5,
        problem: null,
      },
    ],
    venues: [
      {
        venue_id: venue.id,
        name: venue.name,
        currency: 'IDR',
        pickup: true,
        delivery_rate: { amount: 15_000, currency: 'IDR' },
        subtotal: { amount: 700_000, currency: 'IDR' },
      },
    ],
    created_at: at,
    updated_at: at,
    ...overrides,
  }
}

export function order(overrides: Partial<Schemas['Order']> = {}): Schemas['Order'] {
  const money = (amount: number) => ({ amount, currency: 'IDR' as const })
  return {
    id: 'ord_01jdemo0000000000000000001',
    status: 'pending_payment',
    channel_id: 'pty_01jdemo0000000000000000000',
    venue_id: storeVenue().id,
    currency: 'IDR',
    fulfilment: 'pickup',
    delivery_address: null,
    customer: { name: 'Sari Wulandari', phone: '0812 3456 7890', email: 'sari@example.id' },
    lines: [
      {
        position: 0,
        variant_id: 'var_01jdemo0000000000000000001',
        producer_id: 'pty_01jdemo0000000000000000001',
        name: 'Batik tulis motif kopi',
        quantity: 1,
        unit_price: money(350_000),
        list_price: null,
        line_total: money(350_000),
        refunded: money(0),
        sale_line_id: null,
      },
    ],
    subtotal: money(350_000),
    delivery_fee: money(0),
    total: money(350_000),
    paid_amount: null,
    payment_fee: null,
    refunded_amount: money(0),
    provider: 'demo',
    collector: 'platform',
    redirect_url: 'https://shop.example/demo-pay/sess_1',
    expires_at: at,
    paid_at: null,
    closed_reason: null,
    transitions: [],
    created_at: at,
    updated_at: at,
    ...overrides,
  }
}
