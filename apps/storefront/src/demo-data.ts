import type { UpsertPartnerProfileInput } from '@mitra/consignment'

/**
 * The demo network's producer groups, drawn from the field studies: the batik, wooden toy
 * and honey groups of the Desa Vokasi Gemawang cluster (Kab. Semarang). Plain data, so that
 * the demo's pictures can be made apart from the seed (see demo-pictures.ts).
 */

export const origin = {
  village: 'Gemawang',
  district: 'Jambu',
  regency: 'Kabupaten Semarang',
  province: 'Jawa Tengah',
}
export const storyOf = (id: string, en: string) => ({ id, en })

/** The demo's two venues, with the directory entry buyers find them by. */
export const demoVenues: {
  key: 'kafe' | 'galeri'
  name: string
  slug: string
  directory: UpsertPartnerProfileInput
}[] = [
  {
    key: 'kafe',
    name: 'Kafe Banaran 9',
    slug: 'kafe-banaran-9',
    directory: {
      location: {
        village: 'Banaran',
        district: 'Bawen',
        regency: 'Kabupaten Semarang',
        province: 'Jawa Tengah',
        address: 'Jl. Raya Semarang–Solo Km 9',
      },
      categories: ['batik', 'wooden_toys', 'honey'],
      seeking: {
        id: 'Produk desa untuk rak kafe: kerajinan, mainan kayu, madu',
        en: 'Village goods for the café shelf: crafts, wooden toys, honey',
      },
    },
  },
  {
    key: 'galeri',
    name: 'Galeri Gemawangi',
    slug: 'galeri-gemawangi',
    directory: {
      location: {
        village: 'Gemawang',
        district: 'Jambu',
        regency: 'Kabupaten Semarang',
        province: 'Jawa Tengah',
        address: 'Jl. Gemawang Raya No. 12',
      },
      categories: ['batik', 'honey'],
      seeking: {
        id: 'Batik tulis dan madu dari kelompok perajin desa',
        en: 'Hand-drawn batik and honey from village groups',
      },
    },
  },
]

export interface DemoProducer {
  key: string
  name: string
  slug: string
  palette: {
    primary: string
    on_primary: string
    background: string
    text: string
    accent: string
    on_accent: string
  }
  tagline: { id: string; en: string }
  story: { id: string; en: string }
  products: {
    title: { id: string; en: string }
    category: 'batik' | 'wooden_toys' | 'educational_toys' | 'honey' | 'snacks' | 'natural_dye'
    materials: string[]
    tags: string[]
    variants: {
      sku: string
      options: Record<string, string>
      weight_grams: number
      price: number
    }[]
  }[]
}

export const producers: DemoProducer[] = [
  {
    key: 'batik',
    name: 'Batik Gemawangi',
    slug: 'batik-gemawangi',
    palette: {
      primary: '#1f3a5f',
      on_primary: '#ffffff',
      background: '#fbf7f0',
      text: '#241a12',
      accent: '#e0a526',
      on_accent: '#241a12',
    },
    tagline: {
      id: 'Batik tulis pewarna alami dari lereng Ungaran',
      en: 'Hand-drawn natural-dye batik from the slopes of Ungaran',
    },
    story: storyOf(
      'Kelompok batik ibu-ibu Desa Gemawang. Motif kopi dan daun cengkeh.',
      'A women’s batik group of Gemawang village. Coffee and clove-leaf motifs.',
    ),
    products: [
      {
        title: {
          id: 'Batik tulis motif kopi, indigo',
          en: 'Hand-drawn batik, coffee motif, indigo',
        },
        category: 'batik',
        materials: ['katun primisima', 'indigo alami'],
        tags: ['tulis', 'indigo'],
        variants: [
          {
            sku: 'BG-KOPI-200',
            options: { ukuran: '200 × 115 cm' },
            weight_grams: 300,
            price: 450_000,
          },
        ],
      },
      {
        title: { id: 'Batik cap daun cengkeh', en: 'Stamped batik, clove leaf' },
        category: 'batik',
        materials: ['katun'],
        tags: ['cap'],
        variants: [
          {
            sku: 'BG-CENGKEH-200',
            options: { ukuran: '200 × 115 cm' },
            weight_grams: 280,
            price: 225_000,
          },
        ],
      },
      {
        title: { id: 'Syal batik sutra', en: 'Silk batik scarf' },
        category: 'batik',
        materials: ['sutra', 'indigo alami'],
        tags: ['syal', 'sutra'],
        variants: [
          { sku: 'BG-SYAL-S', options: { warna: 'biru' }, weight_grams: 90, price: 275_000 },
          { sku: 'BG-SYAL-C', options: { warna: 'coklat' }, weight_grams: 90, price: 275_000 },
        ],
      },
    ],
  },
  {
    key: 'ape',
    name: 'APE Gemawang',
    slug: 'ape-gemawang',
    palette: {
      primary: '#2e6b3a',
      on_primary: '#ffffff',
      background: '#fffdf6',
      text: '#1d2a1f',
      accent: '#f2c14e',
      on_accent: '#1d2a1f',
    },
    tagline: { id: 'Alat permainan edukatif dari kayu', en: 'Wooden educational toys' },
    story: storyOf(
      'Mainan kayu untuk PAUD dan TK, dibuat dari kayu sisa mebel.',
      'Wooden toys for kindergartens, made from furniture offcuts.',
    ),
    products: [
      {
        title: { id: 'Puzzle angka kayu', en: 'Wooden number puzzle' },
        category: 'educational_toys',
        materials: ['kayu mahoni', 'cat air'],
        tags: ['puzzle', 'paud'],
        variants: [{ sku: 'APE-PZL-ANGKA', options: {}, weight_grams: 600, price: 85_000 }],
      },
      {
        title: { id: 'Balok susun warna', en: 'Colour stacking blocks' },
        category: 'wooden_toys',
        materials: ['kayu pinus'],
        tags: ['balok'],
        variants: [
          { sku: 'APE-BALOK-24', options: { isi: '24 keping' }, weight_grams: 900, price: 120_000 },
        ],
      },
    ],
  },
  {
    key: 'madu',
    name: 'Madu Gemawang',
    slug: 'madu-gemawang',
    palette: {
      primary: '#8a4b0f',
      on_primary: '#ffffff',
      background: '#fff8e7',
      text: '#2b1a08',
      accent: '#f5b700',
      on_accent: '#2b1a08',
    },
    tagline: { id: 'Madu hutan lereng Ungaran', en: 'Forest honey from Mount Ungaran' },
    story: storyOf(
      'Madu dari peternak lebah klanceng dan apis di Gemawang.',
      'Honey from stingless-bee and apis keepers in Gemawang.',
    ),
    products: [
      {
        title: { id: 'Madu klanceng', en: 'Stingless-bee honey' },
        category: 'honey',
        materials: ['madu'],
        tags: ['klanceng'],
        variants: [
          { sku: 'MADU-KL-250', options: { isi: '250 ml' }, weight_grams: 350, price: 95_000 },
          { sku: 'MADU-KL-500', options: { isi: '500 ml' }, weight_grams: 650, price: 175_000 },
        ],
      },
      {
        title: { id: 'Madu hutan', en: 'Forest honey' },
        category: 'honey',
        materials: ['madu'],
        tags: ['hutan'],
        variants: [
          { sku: 'MADU-HT-500', options: { isi: '500 ml' }, weight_grams: 650, price: 120_000 },
        ],
      },
    ],
  },
]

/** The password of every demo person: a demo on a laptop, never a real network. */
export const demoPassword = 'gemawang-demo'

/** One person per party of the demo, each the owner of their party in the console. */
export const demoPeople = [
  { party: 'batik', name: 'Sri Wahyuni', phone: '+6281210000001' },
  { party: 'ape', name: 'Joko Susilo', phone: '+6281210000002' },
  { party: 'madu', name: 'Siti Aminah', phone: '+6281210000003' },
  { party: 'kafe', name: 'Dewi Lestari', phone: '+6281220000001' },
  { party: 'galeri', name: 'Ayu Pratiwi', phone: '+6281220000002' },
  { party: 'cluster', name: 'Bambang Hartono', phone: '+6281230000001' },
  { party: 'platform', name: 'Rina Operator', phone: '+6281240000001' },
] as const
