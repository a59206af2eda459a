import { setPassword } from '@mitra/accounts'
import { type ImageStore, type PreparedMedia, recordMedia, saveBrandKit } from '@mitra/branding'
import {
  addClusterMember,
  addMembership,
  createParty,
  createProduct,
  createUser,
  listParties,
  setProductStatus,
} from '@mitra/catalog'
import { setVenueCheckoutSettings } from '@mitra/checkout'
import {
  acceptAgreement,
  type ConsignmentTermsInput,
  proposeAgreement,
  receiveDelivery,
  sendDelivery,
  sendProposal,
  upsertPartnerProfile,
} from '@mitra/consignment'
import { atomically, type Executor } from '@mitra/db'
import { createApiKey } from '@mitra/server'
import { demoPassword, demoPeople, demoVenues, origin, producers, storyOf } from './demo-data.js'
import { type DemoPictures, prepareDemoPictures } from './demo-pictures.js'

/**
 * Demo data for a fresh embedded database, drawn from the field studies: the Desa Vokasi
 * Gemawang cluster (Kab. Semarang) with its batik, wooden toy and honey groups, and two
 * venues that carry their goods — Kafe Banaran 9 and Galeri Gemawangi.
 */

export type { DemoPictures } from './demo-pictures.js'
export { prepareDemoPictures } from './demo-pictures.js'

export interface DemoKeys {
  [party: string]: {
    party_id: string
    secret_key: string
    publishable_key?: string
    /** Who signs in to the console for this party (its owner), and with what. */
    person?: DemoPerson
  }
}

/** A demo person: signs in at /console with this phone number and password. */
export interface DemoPerson {
  name: string
  phone: string
  password: string
}

/**
 * The demo's consignment terms: the venue's 20 % commission, 2 % to the producers'
 * cooperative (the Desa Vokasi Gemawang cluster) and 3 % to the platform, so that a demo
 * sale shows every party's share. `remittance` says where a venue's cash goes at settlement:
 * the café hands the makers their share itself (`direct`, as a village café does), the
 * gallery pays through the platform.
 */
export function demoTerms(
  cooperativeId: string,
  remittance: 'direct' | 'platform' = 'platform',
): ConsignmentTermsInput {
  return {
    remittance,
    commission: { kind: 'percent', bps: 2000 },
    cooperative_fee_bps: 200,
    cooperative_id: cooperativeId,
    platform_fee_bps: 300,
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
}

export interface SeedDemoOptions {
  /** Told what is being made, one short line at a time (e.g. `producer  Batik Gemawangi`). */
  progress?: (line: string) => void
  /** The pictures, already being made (`prepareDemoPictures`); made here when not given. */
  pictures?: DemoPictures
}

/**
 * Seeds the demo network and returns every party's keys (keep them: secret keys show once).
 * All of it is one transaction: a seed interrupted half-way leaves nothing behind. Given a
 * transaction, it joins it.
 */
export async function seedDemo(
  db: Executor,
  store: ImageStore,
  allowedOrigins: string[],
  options: SeedDemoOptions = {},
): Promise<DemoKeys> {
  const pictures = options.pictures ?? prepareDemoPictures(store)
  const progress = options.progress ?? (() => {})
  return atomically(db, (tx) => seed(tx, pictures, allowedOrigins, progress))
}

async function seed(
  db: Executor,
  pictures: DemoPictures,
  allowedOrigins: string[],
  progress: (line: string) => void,
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

  progress('cluster   Desa Vokasi Gemawang (the producers’ cooperative)')
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
    const count = producer.products.length
    progress(`producer  ${producer.name}: brand kit, ${count} products with pictures`)
    const party = await createParty(db, {
      kind: 'producer',
      name: producer.name,
      slug: producer.slug,
    })
    await owner(producer.key, party.id, true)
    await addClusterMember(db, cluster.id, party.id)
    const logo = await recordMedia(
      db,
      party.id,
      await (pictures.logos[index] as Promise<PreparedMedia>),
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
      const made = pictures.photos[index]?.[motif] as Promise<PreparedMedia>
      const photo = await recordMedia(db, party.id, await made)
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
  for (const { key, name, slug, directory } of demoVenues) {
    const venue = await createParty(db, { kind: 'venue', name, slug })
    await owner(key, venue.id, true)
    venues[key] = venue.id
    // Its directory entry: where buyers find it ("available at") and producers meet it.
    await upsertPartnerProfile(db, { partyId: venue.id, role: 'owner' }, directory)
  }

  /** `venue` takes `producerKeys`' goods on consignment (demo terms), `quantity` of each. */
  async function consign(
    venue: string,
    producerKeys: string[],
    quantity: (variantIndex: number) => number,
  ) {
    const venueScope = { partyId: venue, role: 'owner' as const, actorId: keyIdOf(venue) }
    for (const key of producerKeys) {
      const producerId = keys[key]?.party_id as string
      const producerScope = { partyId: producerId, role: 'owner' as const }
      const drafted = await proposeAgreement(db, venueScope, {
        counterparty_id: producerId,
        terms: demoTerms(cluster.id, venue === venues.kafe ? 'direct' : 'platform'),
      })
      const sent = await sendProposal(db, venueScope, drafted.id)
      const hash = sent.versions[0]?.terms_hash as string
      for (const [scope, who] of [
        [venueScope, venue],
        [producerScope, producerId],
      ] as const) {
        await acceptAgreement(db, scope, drafted.id, {
          version: 1,
          terms_hash: hash,
          accepted_by: keyIdOf(who),
        })
      }
      const lines = (productsOf.get(producerId) ?? []).map((variantId, index) => ({
        variant_id: variantId,
        quantity: quantity(index),
      }))
      const note = await sendDelivery(db, producerScope, {
        venue_id: venue,
        note_number: `SJ/${key.toUpperCase()}/${venue.slice(-4).toUpperCase()}/001`,
        lines,
      })
      await receiveDelivery(db, venueScope, note.id, { lines })
    }
    return venueScope
  }

  // Kafe Banaran 9 holds every group's goods on consignment: 20 % commission, 90 days.
  progress('venue     Kafe Banaran 9: signed agreements with 3 groups, 10 of every item')
  const kafeScope = await consign(
    venues.kafe as string,
    producers.map((p) => p.key),
    () => 10,
  )
  // Online, the kafe offers pickup at the counter or delivery around Ambarawa for a flat rate.
  await setVenueCheckoutSettings(db, kafeScope, {
    currency: 'IDR',
    pickup: true,
    delivery_rate: { amount: 15_000, currency: 'IDR' },
  })
  // Galeri Gemawangi sells batik and honey on its own website (examples/gallery-embed): a few
  // of each, so "3 left" and "sold out" are seen soon.
  progress('venue     Galeri Gemawangi: signed agreements with 2 groups, a few of each item')
  const galeriScope = await consign(venues.galeri as string, ['batik', 'madu'], (i) => 3 + i)
  await setVenueCheckoutSettings(db, galeriScope, {
    currency: 'IDR',
    pickup: true,
    delivery_rate: { amount: 20_000, currency: 'IDR' },
  })
  // A person for each party (the platform's too), to sign in to the console as its owner.
  const [platform] = (await listParties(db, { kind: 'platform', limit: 1 })).data
  if (platform) keys.platform = { ...keys.platform, party_id: platform.id } as DemoKeys[string]
  for (const person of demoPeople) {
    const party = keys[person.party]
    if (party === undefined) continue
    const user = await createUser(db, { name: person.name, phone: person.phone })
    await addMembership(db, { userId: user.id, partyId: party.party_id, role: 'owner' })
    await setPassword(db, user.id, demoPassword)
    party.person = { name: person.name, phone: person.phone, password: demoPassword }
  }
  progress(`people    ${demoPeople.length}, one per party, to sign in to the console`)
  return keys
}
