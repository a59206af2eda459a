import { type ImageStore, saveBrandKit, uploadMedia } from '@mitra/branding'
import { addClusterMember, createParty, createProduct, setProductStatus } from '@mitra/catalog'
import { setVenueCheckoutSettings } from '@mitra/checkout'
import {
  acceptAgreement,
  type ConsignmentTermsInput,
  proposeAgreement,
  receiveDelivery,
  sendDelivery,
  sendProposal,
} from '@mitra/consignment'
import type { Database } from '@mitra/db'
import { createApiKey } from '@mitra/server'
import sharp from 'sharp'

/**
 * Demo data for a fresh embedded database, drawn from the field studies: the Desa Vokasi
 * Gemawang cluster (Kab. Semarang) with its batik, wooden toy and honey groups, and two
 * venues that carry their goods — Kafe Banaran 9 and Galeri Gemawangi.
 */

export interface DemoKeys {
  [party: string]: { party_id: string; secret_key: string; publishable_key?: string }
}

const origin = {
  village: 'Gemawang',
  district: 'Jambu',
  regency: 'Kabupaten Semarang',
  province: 'Jawa Tengah',
}
const storyOf = (id: string, en: string) => ({ id, en })

/** A product photo stand-in: a patterned square in the brand's colours, made with sharp. */
async function picture(colors: [string, string, string], motif: number): Promise<Uint8Array> {
  const dots = Array.from({ length: 36 }, (_, i) => {
    const x = (i % 6) * 200 + 100
    const y = Math.floor(i / 6) * 200 + 100
    const r = 40 + ((i * motif) % 5) * 12
    return `<circle cx="${x}" cy="${y}" r="${r}" fill="${colors[(i + motif) % 2 === 0 ? 1 : 2]}" opacity="0.85"/>`
  }).join('')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1200"><rect width="1200" height="1200" fill="${colors[0]}"/>${dots}</svg>`
  return new Uint8Array(await sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer())
}

interface DemoProducer {
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

const producers: DemoProducer[] = [
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

const demoTerms: ConsignmentTermsInput = {
  commission: { kind: 'percent', bps: 2000 },
  payment_fee_bearer: 'shared',
  markdown_bearer: 'shared',
  settlement_cycle: 'monthly',
  consignment_days: 90,
  grace_days: 14,
  on_expiry: 'markdown',
  markdown_schedule: [
    { after_days: 60, percent_off_bps: 1000 },
    { after_days: 90, percent_off_bps: 2500 },
  ],
  damage_liability: 'venue',
  loss_liability: 'venue',
  minimum_payout: { amount: 50_000, currency: 'IDR' },
}

/** Seeds the demo network and returns every party's keys (keep them: secret keys show once). */
export async function seedDemo(
  db: Database,
  store: ImageStore,
  allowedOrigins: string[],
): Promise<DemoKeys> {
  const keys: DemoKeys = {}
  const keyIds = new Map<string, string>()
  const keyIdOf = (partyId: string) => keyIds.get(partyId) as string
  const productsOf = new Map<string, string[]>()
  const owner = async (name: string, partyId: string, publishable = false) => {
    const secret = await createApiKey(db, {
      partyId,
      kind: 'secret',
      role: 'owner',
      name: 'demo owner',
    })
    keys[name] = { party_id: partyId, secret_key: secret.token }
    keyIds.set(partyId, secret.key.id)
    if (publishable) {
      const pk = await createApiKey(db, {
        partyId,
        kind: 'publishable',
        name: 'demo widget',
        allowedOrigins,
      })
      ;(keys[name] as DemoKeys[string]).publishable_key = pk.token
    }
  }

  const cluster = await createParty(db, {
    kind: 'cluster',
    name: 'Desa Vokasi Gemawang',
    slug: 'desa-vokasi-gemawang',
  })
  await owner('cluster', cluster.id, true)
  await saveBrandKit(db, cluster.id, {
    name: 'Desa Vokasi Gemawang',
    slug: 'desa-vokasi-gemawang',
    tagline: { id: 'Produk unggulan desa vokasi', en: 'Made in a vocational village' },
    story: storyOf(
      'Enam kelompok usaha dalam satu desa vokasi.',
      'Six producer groups in one vocational village.',
    ),
    origin,
    palette: {
      primary: '#5b3a29',
      on_primary: '#ffffff',
      background: '#fdf9f3',
      text: '#2a1d14',
      accent: '#c9a227',
      on_accent: '#2a1d14',
    },
    typography: { heading: 'old-style', body: 'system-sans' },
  })

  for (const [index, producer] of producers.entries()) {
    const party = await createParty(db, {
      kind: 'producer',
      name: producer.name,
      slug: producer.slug,
    })
    await owner(producer.key, party.id, true)
    await addClusterMember(db, cluster.id, party.id)
    const logo = await uploadMedia(
      db,
      store,
      party.id,
      await picture(
        [producer.palette.primary, producer.palette.accent, producer.palette.background],
        index + 1,
      ),
    )
    await saveBrandKit(db, party.id, {
      name: producer.name,
      slug: producer.slug,
      tagline: producer.tagline,
      story: producer.story,
      origin,
      logo_media_id: logo.id,
      palette: producer.palette,
      typography: { heading: 'humanist', body: 'system-sans' },
      social: { instagram: `@${producer.slug.replace(/-/g, '')}` },
    })
    const scope = { partyId: party.id, role: 'owner' as const }
    for (const [motif, product] of producer.products.entries()) {
      const photo = await uploadMedia(
        db,
        store,
        party.id,
        await picture(
          [producer.palette.background, producer.palette.primary, producer.palette.accent],
          motif + index + 2,
        ),
      )
      const created = await createProduct(db, scope, {
        ...product,
        origin,
        description: { id: producer.story.id, en: producer.story.en },
        variants: product.variants.map((v) => ({
          ...v,
          price: { amount: v.price, currency: 'IDR' },
        })),
        media: [{ media_id: photo.id, alt: { id: product.title.id, en: product.title.en } }],
      })
      await setProductStatus(db, scope, created.id, 'active')
      productsOf.set(party.id, [
        ...(productsOf.get(party.id) ?? []),
        ...created.variants.map((v) => v.id),
      ])
    }
  }

  const venues: Record<string, string> = {}
  for (const [key, name, slug] of [
    ['kafe', 'Kafe Banaran 9', 'kafe-banaran-9'],
    ['galeri', 'Galeri Gemawangi', 'galeri-gemawangi'],
  ] as const) {
    const venue = await createParty(db, { kind: 'venue', name, slug })
    await owner(key, venue.id, true)
    venues[key] = venue.id
  }

  // Kafe Banaran 9 holds every group's goods on consignment: 20 % commission, 90 days.
  const kafe = venues.kafe as string
  const kafeScope = { partyId: kafe, role: 'owner' as const, actorId: keyIdOf(kafe) }
  for (const producer of producers) {
    const producerId = keys[producer.key]?.party_id as string
    const producerScope = { partyId: producerId, role: 'owner' as const }
    const drafted = await proposeAgreement(db, kafeScope, {
      counterparty_id: producerId,
      terms: demoTerms,
    })
    const sent = await sendProposal(db, kafeScope, drafted.id)
    const hash = sent.versions[0]?.terms_hash as string
    for (const [scope, who] of [
      [kafeScope, kafe],
      [producerScope, producerId],
    ] as const) {
      await acceptAgreement(db, scope, drafted.id, {
        version: 1,
        terms_hash: hash,
        accepted_by: keyIdOf(who),
      })
    }
    const lines = (productsOf.get(producerId) ?? []).map((variantId) => ({
      variant_id: variantId,
      quantity: 10,
    }))
    const note = await sendDelivery(db, producerScope, {
      venue_id: kafe,
      note_number: `SJ/${producer.key.toUpperCase()}/001`,
      lines,
    })
    await receiveDelivery(db, kafeScope, note.id, { lines })
  }
  // Online, the kafe offers pickup at the counter or delivery around Ambarawa for a flat rate.
  await setVenueCheckoutSettings(db, kafeScope, {
    currency: 'IDR',
    pickup: true,
    delivery_rate: { amount: 15_000, currency: 'IDR' },
  })
  return keys
}
