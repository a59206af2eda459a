/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Schemas } from '@mitra/sdk'
import { type Locale, money } from '../format.js'
import type { Names } from './names.js'
import { cap, days, listOf, percent, withoutIds } from './text.js'

/*
 * Consignment terms in plain words: one short sentence per term, written for a café owner or
 * a batik group reading on a phone before they sign — who gets what, when money moves, who
 * pays for damage, what happens to goods that do not sell.
 */

export type ConsignmentTerms = Schemas['ConsignmentTerms']
type Field = keyof ConsignmentTerms

/**
 * Terms as stored: the API fills every default in, but an old version's terms may lack a field
 * added since, and a newer server may send one this console does not know yet.
 */
export type TermsInput = Readonly<Partial<ConsignmentTerms>> & Readonly<Record<string, unknown>>

/** A term of the agreement: every field has its own, except the cooperative's id and fee. */
export type TermKey = Exclude<Field, 'cooperative_id'>

/**
 * Which sentence says each field. A `Record` over every field of the API's type, so a field
 * added to `ConsignmentTerms` fails the type check here until it is put into words.
 */
const sentenceOf: Record<Field, TermKey> = {
  currency: 'currency',
  commission: 'commission',
  cooperative_fee_bps: 'cooperative_fee_bps',
  cooperative_id: 'cooperative_fee_bps',
  platform_fee_bps: 'platform_fee_bps',
  payment_fee_bearer: 'payment_fee_bearer',
  markdown_bearer: 'markdown_bearer',
  settlement_cycle: 'settlement_cycle',
  consignment_days: 'consignment_days',
  grace_days: 'grace_days',
  on_expiry: 'on_expiry',
  markdown_schedule: 'markdown_schedule',
  extension_days: 'extension_days',
  damage_liability: 'damage_liability',
  loss_liability: 'loss_liability',
  venue_may_change_price: 'venue_may_change_price',
  minimum_payout: 'minimum_payout',
  remittance: 'remittance',
  remittance_due_days: 'remittance_due_days',
}

/** The fields of `ConsignmentTerms`, in the order the schema lists them. */
export const termFields = Object.keys(sentenceOf) as Field[]

/** The terms in the order they are read: money first, then time, then goods. */
export const termKeys: readonly TermKey[] = [
  'commission',
  'cooperative_fee_bps',
  'platform_fee_bps',
  'payment_fee_bearer',
  'settlement_cycle',
  'minimum_payout',
  'remittance',
  'remittance_due_days',
  'consignment_days',
  'grace_days',
  'on_expiry',
  'extension_days',
  'markdown_schedule',
  'markdown_bearer',
  'venue_may_change_price',
  'damage_liability',
  'loss_liability',
  'currency',
]

/** The fields a term's sentence says (the cooperative's: its fee and who it is). */
export function fieldsOf(key: TermKey): Field[] {
  return termFields.filter((field) => sentenceOf[field] === key)
}

/** The schema's defaults (`consignmentTermsSchema`), for terms stored before a field existed. */
const defaults: Partial<ConsignmentTerms> = {
  currency: 'IDR',
  cooperative_fee_bps: 0,
  cooperative_id: null,
  platform_fee_bps: 0,
  grace_days: 0,
  markdown_schedule: [],
  extension_days: null,
  venue_may_change_price: false,
  remittance: 'platform',
  remittance_due_days: 7,
}

/** The terms with every missing default filled in, as the server would read them. */
export function withDefaults(terms: TermsInput): TermsInput {
  const given = Object.fromEntries(Object.entries(terms).filter(([, v]) => v !== undefined))
  return { ...defaults, ...given }
}

/** Fields this console does not know: shown rather than hidden, since both sides sign them. */
export function unknownFields(terms: TermsInput): string[] {
  return Object.keys(terms).filter((key) => !(key in sentenceOf) && terms[key] !== undefined)
}

interface Words {
  labels: Record<TermKey, string>
  venue: string
  producer: string
  cooperative: string
  notStated: (label: string) => string
  other: (field: string, value: string) => string
  someone: string
  shared: (venue: string, producer: string) => string
  currency: (name: string, code: string) => string
  percentCommission: (venue: string, rate: string) => string
  tieredCommission: (venue: string, tiers: string) => string
  tierUpTo: (rate: string, price: string) => string
  tierAbove: (rate: string, price: string) => string
  tierAny: (rate: string) => string
  cooperativeFee: (cooperative: string, rate: string) => string
  cooperativeNoFee: (cooperative: string) => string
  noCooperative: string
  platformFee: (rate: string) => string
  noPlatformFee: string
  paymentFee: (bearer: string) => string
  markdownBearer: (bearer: string) => string
  cycle: Record<'weekly' | 'twice_monthly' | 'monthly', (producer: string) => string>
  consignmentDays: (days: string) => string
  graceDays: (days: string) => string
  noGrace: string
  onExpiry: Record<'return' | 'markdown' | 'extend', (producer: string) => string>
  noMarkdown: string
  markdown: (steps: string) => string
  markdownStep: (rate: string, days: string) => string
  markdownFromStart: (rate: string) => string
  extension: (days: string) => string
  noExtension: string
  damage: (venue: string, bearer: string) => string
  loss: (venue: string, bearer: string) => string
  venueMayChangePrice: (venue: string) => string
  producerSetsPrice: (producer: string, venue: string) => string
  anyPayout: string
  minimumPayout: (amount: string) => string
  remittance: Record<'platform' | 'direct', (venue: string, producer: string) => string>
  remittanceDue: (venue: string, days: string) => string
}

export const termWords: Record<Locale, Words> = {
  id: {
    labels: {
      commission: 'Komisi tempat penjualan',
      cooperative_fee_bps: 'Iuran koperasi',
      platform_fee_bps: 'Biaya platform',
      payment_fee_bearer: 'Biaya pembayaran',
      settlement_cycle: 'Jadwal pembayaran',
      minimum_payout: 'Pembayaran minimum',
      remittance: 'Setoran uang penjualan',
      remittance_due_days: 'Batas waktu setoran',
      consignment_days: 'Masa titip',
      grace_days: 'Masa tenggang',
      on_expiry: 'Setelah masa titip',
      extension_days: 'Perpanjangan',
      markdown_schedule: 'Potongan harga menurut umur barang',
      markdown_bearer: 'Penanggung potongan harga',
      venue_may_change_price: 'Harga jual',
      damage_liability: 'Barang rusak',
      loss_liability: 'Barang hilang',
      currency: 'Mata uang',
    },
    venue: 'tempat penjualan',
    producer: 'pembuat',
    cooperative: 'koperasi',
    notStated: (label) => `${label}: tidak disebutkan`,
    other: (field, value) => `Ketentuan lain (${field}): ${value}`,
    someone: 'pihak lain',
    shared: (venue, producer) => `${venue} dan ${producer}, masing-masing separuh`,
    currency: (name, code) => `Semua jumlah dalam ${name} (${code})`,
    percentCommission: (venue, rate) => `${venue} mendapat komisi ${rate} dari harga jual`,
    tieredCommission: (venue, tiers) => `${venue} mendapat komisi menurut harga satuan: ${tiers}`,
    tierUpTo: (rate, price) => `${rate} sampai ${price}`,
    tierAbove: (rate, price) => `${rate} di atas ${price}`,
    tierAny: (rate) => `${rate} untuk harga berapa pun`,
    cooperativeFee: (cooperative, rate) => `${cooperative} mendapat ${rate} dari harga jual`,
    cooperativeNoFee: (cooperative) => `${cooperative} tidak memungut iuran`,
    noCooperative: 'Tidak ada iuran koperasi',
    platformFee: (rate) => `Platform mendapat ${rate} dari harga jual`,
    noPlatformFee: 'Platform tidak memungut biaya',
    paymentFee: (bearer) => `Biaya pembayaran non-tunai (QRIS, kartu) ditanggung ${bearer}`,
    markdownBearer: (bearer) => `Potongan harga untuk barang lama ditanggung ${bearer}`,
    cycle: {
      weekly: (producer) =>
        `Pembayaran ke ${producer} setiap minggu, untuk penjualan Senin sampai Minggu`,
      twice_monthly: (producer) =>
        `Pembayaran ke ${producer} dua kali sebulan, untuk penjualan tanggal 1–15 dan tanggal 16 sampai akhir bulan`,
      monthly: (producer) =>
        `Pembayaran ke ${producer} setiap bulan, untuk penjualan satu bulan kalender`,
    },
    consignmentDays: (days) => `Barang dititipkan paling lama ${days}`,
    graceDays: (days) => `Setelah masa titip ada masa tenggang ${days}`,
    noGrace: 'Tidak ada masa tenggang setelah masa titip',
    onExpiry: {
      return: (producer) => `Barang yang belum terjual lalu dikembalikan ke ${producer}`,
      markdown: () => 'Barang yang belum terjual lalu dijual dengan potongan harga',
      extend: () => 'Masa titip barang yang belum terjual lalu diperpanjang',
    },
    noMarkdown: 'Harga tidak diturunkan karena umur barang',
    markdown: (steps) => `Harga diturunkan menurut lama barang dititipkan: ${steps}`,
    markdownStep: (rate, days) => `${rate} setelah ${days}`,
    markdownFromStart: (rate) => `${rate} sejak hari pertama`,
    extension: (days) => `Setiap perpanjangan menambah ${days}`,
    noExtension: 'Tidak ada perpanjangan masa titip',
    damage: (venue, bearer) => `Barang rusak di ${venue} menjadi tanggungan ${bearer}`,
    loss: (venue, bearer) => `Barang hilang di ${venue} menjadi tanggungan ${bearer}`,
    venueMayChangePrice: (venue) => `${venue} boleh mengubah harga jual`,
    producerSetsPrice: (producer, venue) =>
      `Harga jual ditentukan ${producer}; ${venue} tidak boleh mengubahnya`,
    anyPayout: 'Berapa pun jumlahnya dibayarkan',
    minimumPayout: (amount) =>
      `Pembayaran dilakukan bila jumlahnya paling sedikit ${amount}; yang kurang menunggu periode berikutnya`,
    remittance: {
      platform: (venue) =>
        `${venue} menyetorkan uang penjualan di tempat ke platform, yang membayar semua pihak`,
      direct: (venue, producer) =>
        `${venue} menyerahkan uang penjualan di tempat langsung ke ${producer}, yang mengonfirmasi penerimaannya`,
    },
    remittanceDue: (venue, days) =>
      `${venue} menyetor paling lambat ${days} setelah setiap penutupan periode`,
  },
  en: {
    labels: {
      commission: 'Venue’s commission',
      cooperative_fee_bps: 'Cooperative fee',
      platform_fee_bps: 'Platform fee',
      payment_fee_bearer: 'Payment fees',
      settlement_cycle: 'Payment schedule',
      minimum_payout: 'Minimum payout',
      remittance: 'Handing over takings',
      remittance_due_days: 'When takings are due',
      consignment_days: 'Consignment period',
      grace_days: 'Grace period',
      on_expiry: 'When the period ends',
      extension_days: 'Extension',
      markdown_schedule: 'Markdown by age',
      markdown_bearer: 'Who bears price cuts',
      venue_may_change_price: 'Selling price',
      damage_liability: 'Damaged goods',
      loss_liability: 'Lost goods',
      currency: 'Currency',
    },
    venue: 'the venue',
    producer: 'the maker',
    cooperative: 'the cooperative',
    notStated: (label) => `${label}: not stated`,
    other: (field, value) => `Another term (${field}): ${value}`,
    someone: 'another party',
    shared: (venue, producer) => `${venue} and ${producer}, half each`,
    currency: (name, code) => `All amounts are in ${name} (${code})`,
    percentCommission: (venue, rate) => `${venue} gets a ${rate} commission on the selling price`,
    tieredCommission: (venue, tiers) => `${venue} gets a commission by unit price: ${tiers}`,
    tierUpTo: (rate, price) => `${rate} up to ${price}`,
    tierAbove: (rate, price) => `${rate} above ${price}`,
    tierAny: (rate) => `${rate} at any price`,
    cooperativeFee: (cooperative, rate) => `${cooperative} gets ${rate} of the selling price`,
    cooperativeNoFee: (cooperative) => `${cooperative} takes no fee`,
    noCooperative: 'No cooperative fee',
    platformFee: (rate) => `The platform gets ${rate} of the selling price`,
    noPlatformFee: 'The platform takes no fee',
    paymentFee: (bearer) => `Fees for cashless payments (QRIS, cards) are paid by ${bearer}`,
    markdownBearer: (bearer) => `Price cuts on older goods are borne by ${bearer}`,
    cycle: {
      weekly: (producer) => `${producer} is paid every week, for sales from Monday to Sunday`,
      twice_monthly: (producer) =>
        `${producer} is paid twice a month, for sales on the 1st–15th and the 16th to the month’s end`,
      monthly: (producer) => `${producer} is paid every month, for each calendar month’s sales`,
    },
    consignmentDays: (days) => `Goods stay on consignment for up to ${days}`,
    graceDays: (days) => `A grace period of ${days} follows the consignment period`,
    noGrace: 'No grace period after the consignment period',
    onExpiry: {
      return: (producer) => `Goods still unsold then go back to ${producer}`,
      markdown: () => 'Goods still unsold are then sold at a reduced price',
      extend: () => 'The consignment of goods still unsold is then extended',
    },
    noMarkdown: 'Prices are not cut as goods age',
    markdown: (steps) => `Prices are cut by how long goods have been on consignment: ${steps}`,
    markdownStep: (rate, days) => `${rate} off after ${days}`,
    markdownFromStart: (rate) => `${rate} off from the first day`,
    extension: (days) => `Each extension adds ${days}`,
    noExtension: 'No extensions of the consignment period',
    damage: (venue, bearer) => `Goods damaged at ${venue} are paid for by ${bearer}`,
    loss: (venue, bearer) => `Goods lost at ${venue} are paid for by ${bearer}`,
    venueMayChangePrice: (venue) => `${venue} may change the selling price`,
    producerSetsPrice: (producer, venue) =>
      `${producer} sets the selling price; ${venue} may not change it`,
    anyPayout: 'Any amount owed is paid out',
    minimumPayout: (amount) =>
      `Payouts are made once at least ${amount} is owed; less waits for a later period`,
    remittance: {
      platform: (venue) =>
        `${venue} pays what it takes at its counter to the platform, which pays everyone`,
      direct: (venue, producer) =>
        `${venue} hands what it takes at its counter straight to ${producer}, who confirms receiving it`,
    },
    remittanceDue: (venue, days) => `${venue} pays what it owes within ${days} of each settlement`,
  },
}

export interface TermSentence {
  /** The term; a field this console does not know is named as the server sent it. */
  field: TermKey | (string & {})
  /** What the term is about, for a table's first column: "Komisi tempat penjualan". */
  label: string
  text: string
}

/** A party named for people: its name when known, else its role ("the venue"). */
interface Who {
  /** Mid-sentence. */
  text: string
  /** At the start of a sentence. */
  start: string
}

function who(id: string | null | undefined, role: string, names: Names): Who {
  const name = id == null ? undefined : names.parties?.[id]
  return name ? { text: name, start: name } : { text: role, start: cap(role) }
}

const has = (value: unknown, options: readonly string[]): value is string =>
  typeof value === 'string' && options.includes(value)

/** A value this console cannot phrase, written as plainly as it can be, ids left out. */
function plain(value: unknown, names: Names, someone: string): string {
  const text =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value)
  return withoutIds(text ?? '', names.parties ?? {}, someone)
}

const currencyNames = {
  id: new Intl.DisplayNames(['id-ID'], { type: 'currency' }),
  en: new Intl.DisplayNames(['en'], { type: 'currency' }),
}

/** "Rupiah Indonesia" / "Indonesian Rupiah"; the code itself for one Intl does not know. */
function currencyName(code: string, locale: Locale): string {
  try {
    return currencyNames[locale].of(code) ?? code
  } catch {
    return code
  }
}

/**
 * The terms as sentences, one per term, each with its field and label. Missing defaults are
 * filled in; a required term that is missing reads "not stated"; a field this console does
 * not know yet gets a sentence of its own rather than being hidden.
 */
export function termSentences(
  input: TermsInput,
  locale: Locale,
  names: Names = {},
): TermSentence[] {
  const w = termWords[locale]
  const terms = withDefaults(input)
  const venue = who(names.agreement?.venue_id, w.venue, names)
  const producer = who(names.agreement?.producer_id, w.producer, names)
  const cooperative = who(terms.cooperative_id, w.cooperative, names)
  const currency = typeof terms.currency === 'string' ? terms.currency : 'IDR'
  const price = (amount: number) => money({ amount, currency }, locale)
  const notStated = (key: TermKey) => w.notStated(w.labels[key])
  const oddly = (key: TermKey, value: unknown) =>
    `${w.labels[key]}: ${plain(value, names, w.someone)}`
  const bearer = (value: unknown): string | undefined =>
    value === 'venue'
      ? venue.text
      : value === 'producer'
        ? producer.text
        : value === 'shared'
          ? w.shared(venue.text, producer.text)
          : undefined
  const count = (value: unknown): value is number =>
    typeof value === 'number' && Number.isFinite(value)

  const say: Record<TermKey, () => string> = {
    currency: () => w.currency(currencyName(currency, locale), currency),
    commission: () => {
      const c = terms.commission
      if (c === undefined) return notStated('commission')
      if (c.kind === 'percent') return w.percentCommission(venue.start, percent(c.bps, locale))
      if (c.kind === 'tiered' && Array.isArray(c.tiers)) {
        const tiers = c.tiers.map((tier, index) => {
          const rate = percent(tier.bps, locale)
          if (tier.up_to !== null) return w.tierUpTo(rate, price(tier.up_to))
          const below = c.tiers[index - 1]?.up_to
          return below == null ? w.tierAny(rate) : w.tierAbove(rate, price(below))
        })
        return w.tieredCommission(venue.start, tiers.join(', '))
      }
      return oddly('commission', c)
    },
    cooperative_fee_bps: () => {
      const fee = terms.cooperative_fee_bps
      if (!count(fee)) return oddly('cooperative_fee_bps', fee)
      if (fee > 0) return w.cooperativeFee(cooperative.start, percent(fee, locale))
      return terms.cooperative_id ? w.cooperativeNoFee(cooperative.start) : w.noCooperative
    },
    platform_fee_bps: () => {
      const fee = terms.platform_fee_bps
      if (!count(fee)) return oddly('platform_fee_bps', fee)
      return fee > 0 ? w.platformFee(percent(fee, locale)) : w.noPlatformFee
    },
    payment_fee_bearer: () => {
      const by = bearer(terms.payment_fee_bearer)
      if (terms.payment_fee_bearer === undefined) return notStated('payment_fee_bearer')
      return by ? w.paymentFee(by) : oddly('payment_fee_bearer', terms.payment_fee_bearer)
    },
    markdown_bearer: () => {
      const by = bearer(terms.markdown_bearer)
      if (terms.markdown_bearer === undefined) return notStated('markdown_bearer')
      return by ? w.markdownBearer(by) : oddly('markdown_bearer', terms.markdown_bearer)
    },
    settlement_cycle: () => {
      const cycle = terms.settlement_cycle
      if (cycle === undefined) return notStated('settlement_cycle')
      return has(cycle, ['weekly', 'twice_monthly', 'monthly'])
        ? w.cycle[cycle as keyof Words['cycle']](locale === 'en' ? producer.start : producer.text)
        : oddly('settlement_cycle', cycle)
    },
    consignment_days: () => {
      const n = terms.consignment_days
      if (n === undefined) return notStated('consignment_days')
      return count(n) ? w.consignmentDays(days(n, locale)) : oddly('consignment_days', n)
    },
    grace_days: () => {
      const n = terms.grace_days
      if (!count(n)) return oddly('grace_days', n)
      return n > 0 ? w.graceDays(days(n, locale)) : w.noGrace
    },
    on_expiry: () => {
      const then = terms.on_expiry
      if (then === undefined) return notStated('on_expiry')
      return has(then, ['return', 'markdown', 'extend'])
        ? w.onExpiry[then as keyof Words['onExpiry']](producer.text)
        : oddly('on_expiry', then)
    },
    markdown_schedule: () => {
      const steps = terms.markdown_schedule
      if (!Array.isArray(steps)) return oddly('markdown_schedule', steps)
      if (steps.length === 0) return w.noMarkdown
      return w.markdown(
        listOf(
          steps.map((step) => {
            const rate = percent(step.percent_off_bps, locale)
            return step.after_days === 0
              ? w.markdownFromStart(rate)
              : w.markdownStep(rate, days(step.after_days, locale))
          }),
          locale,
        ),
      )
    },
    extension_days: () => {
      const n = terms.extension_days
      if (n === null || n === undefined) return w.noExtension
      return count(n) ? w.extension(days(n, locale)) : oddly('extension_days', n)
    },
    damage_liability: () => {
      const by = bearer(terms.damage_liability)
      if (terms.damage_liability === undefined) return notStated('damage_liability')
      return by ? w.damage(venue.text, by) : oddly('damage_liability', terms.damage_liability)
    },
    loss_liability: () => {
      const by = bearer(terms.loss_liability)
      if (terms.loss_liability === undefined) return notStated('loss_liability')
      return by ? w.loss(venue.text, by) : oddly('loss_liability', terms.loss_liability)
    },
    venue_may_change_price: () => {
      const may = terms.venue_may_change_price
      if (typeof may !== 'boolean') return oddly('venue_may_change_price', may)
      return may
        ? w.venueMayChangePrice(venue.start)
        : w.producerSetsPrice(locale === 'en' ? producer.start : producer.text, venue.text)
    },
    minimum_payout: () => {
      const minimum = terms.minimum_payout
      if (minimum === undefined) return notStated('minimum_payout')
      if (!count(minimum?.amount)) return oddly('minimum_payout', minimum)
      if (minimum.amount <= 0) return w.anyPayout
      return w.minimumPayout(money({ amount: minimum.amount, currency: minimum.currency }, locale))
    },
    remittance: () => {
      const route = terms.remittance
      return has(route, ['platform', 'direct'])
        ? w.remittance[route as keyof Words['remittance']](venue.start, producer.text)
        : oddly('remittance', route)
    },
    remittance_due_days: () => {
      const n = terms.remittance_due_days
      return count(n)
        ? w.remittanceDue(venue.start, days(n, locale))
        : oddly('remittance_due_days', n)
    },
  }

  const known = termKeys.map((field) => ({ field, label: w.labels[field], text: say[field]() }))
  const others = unknownFields(terms).map((field) => {
    const label = field.replaceAll('_', ' ')
    return { field, label, text: w.other(label, plain(terms[field], names, w.someone)) }
  })
  return [...known, ...others]
}

/**
 * The terms as short sentences a person reads on a phone: "Kafe Banaran 9 mendapat komisi
 * 20% dari harga jual", "Pembayaran ke pembuat setiap bulan, …". `names.parties` should hold
 * the cooperative of the terms and `names.agreement` the agreement's two sides.
 */
export function termsInWords(terms: TermsInput, locale: Locale, names: Names = {}): string[] {
  return termSentences(terms, locale, names).map((sentence) => sentence.text)
}

/** The terms as a list of sentences. */
export function TermsList({
  terms,
  locale,
  names = {},
}: {
  terms: TermsInput
  locale: Locale
  names?: Names
}) {
  return (
    <ul class="terms">
      {termSentences(terms, locale, names).map((sentence) => (
        <li data-term={sentence.field}>{sentence.text}</li>
      ))}
    </ul>
  )
}
