import { describe, expect, it } from 'vitest'
import type { Locale } from '../format.js'
import {
  type ConsignmentTerms,
  fieldsOf,
  TermsList,
  termFields,
  termKeys,
  termSentences,
  termsInWords,
} from './terms.js'
import { ids, names, terms } from './testing.js'
import { hasId } from './text.js'

const locales: Locale[] = ['id', 'en']

/** Another valid value of every field: each must change what its sentence says. */
const changed: { [F in keyof ConsignmentTerms]: ConsignmentTerms[F] } = {
  currency: 'USD',
  commission: {
    kind: 'tiered',
    tiers: [
      { up_to: 100_000, bps: 2_500 },
      { up_to: null, bps: 1_500 },
    ],
  },
  cooperative_fee_bps: 300,
  cooperative_id: 'pty_01jdemo000000000000000kop2',
  platform_fee_bps: 0,
  payment_fee_bearer: 'venue',
  markdown_bearer: 'producer',
  settlement_cycle: 'weekly',
  consignment_days: 60,
  grace_days: 0,
  on_expiry: 'return',
  markdown_schedule: [],
  extension_days: 30,
  damage_liability: 'producer',
  loss_liability: 'venue',
  venue_may_change_price: true,
  minimum_payout: { amount: 0, currency: 'IDR' },
  remittance: 'direct',
  remittance_due_days: 3,
}

const withSecondCooperative = () => {
  const n = names()
  return { ...n, parties: { ...n.parties, [changed.cooperative_id as string]: 'KUD Sidomulyo' } }
}

describe('terms in words', () => {
  it('covers every field of ConsignmentTerms, each by exactly one term', () => {
    expect([...termFields].sort()).toEqual(
      [
        'commission',
        'consignment_days',
        'cooperative_fee_bps',
        'cooperative_id',
        'currency',
        'damage_liability',
        'extension_days',
        'grace_days',
        'loss_liability',
        'markdown_bearer',
        'markdown_schedule',
        'minimum_payout',
        'on_expiry',
        'payment_fee_bearer',
        'platform_fee_bps',
        'remittance',
        'remittance_due_days',
        'settlement_cycle',
        'venue_may_change_price',
      ].sort(),
    )
    expect(termKeys.flatMap(fieldsOf).sort()).toEqual([...termFields].sort())
  })

  it.each(locales)('gives one sentence per term, none empty and none with an id (%s)', (locale) => {
    const sentences = termSentences(terms(), locale, names())
    expect(sentences.map((s) => s.field)).toEqual(termKeys)
    for (const sentence of sentences) {
      expect(sentence.text.trim()).not.toBe('')
      expect(sentence.label.trim()).not.toBe('')
      expect(hasId(sentence.text)).toBe(false)
    }
  })

  it.each(locales)('says a change of every field in its own sentence (%s)', (locale) => {
    const n = withSecondCooperative()
    const before = termSentences(terms(), locale, n)
    for (const field of termFields) {
      const after = termSentences(terms({ [field]: changed[field] }), locale, n)
      const differ = after.filter((s, i) => s.text !== before[i]?.text).map((s) => s.field)
      const owner = termKeys.find((key) => fieldsOf(key).includes(field))
      // Tier prices are written in the terms' currency, so a new currency rewrites none else
      // here (the commission is a percentage); every other field touches only its own term.
      expect(differ, field).toEqual([owner])
    }
  })

  it('reads as a café owner and a batik group say it (Indonesian)', () => {
    const words = termsInWords(terms(), 'id', names())
    expect(words).toEqual([
      'Kafe Banaran 9 mendapat komisi 20% dari harga jual',
      'Koperasi Desa Vokasi Gemawang mendapat 2% dari harga jual',
      'Platform mendapat 1% dari harga jual',
      'Biaya pembayaran non-tunai (QRIS, kartu) ditanggung Kafe Banaran 9 dan Batik Gemawangi, masing-masing separuh',
      'Pembayaran ke Batik Gemawangi setiap bulan, untuk penjualan satu bulan kalender',
      'Pembayaran dilakukan bila jumlahnya paling sedikit Rp50.000; yang kurang menunggu periode berikutnya',
      'Kafe Banaran 9 menyetorkan uang penjualan di tempat ke platform, yang membayar semua pihak',
      'Kafe Banaran 9 menyetor paling lambat 10 hari setelah setiap penutupan periode',
      'Barang dititipkan paling lama 90 hari',
      'Setelah masa titip ada masa tenggang 14 hari',
      'Barang yang belum terjual lalu dijual dengan potongan harga',
      'Tidak ada perpanjangan masa titip',
      'Harga diturunkan menurut lama barang dititipkan: 10% setelah 60 hari dan 25% setelah 90 hari',
      'Potongan harga untuk barang lama ditanggung Kafe Banaran 9',
      'Harga jual ditentukan Batik Gemawangi; Kafe Banaran 9 tidak boleh mengubahnya',
      'Barang rusak di Kafe Banaran 9 menjadi tanggungan Kafe Banaran 9',
      'Barang hilang di Kafe Banaran 9 menjadi tanggungan Kafe Banaran 9 dan Batik Gemawangi, masing-masing separuh',
      'Semua jumlah dalam Rupiah Indonesia (IDR)',
    ])
  })

  it('reads in English too, and by role when the parties are not named', () => {
    const words = termsInWords(terms(), 'en', {})
    expect(words).toContain('The venue gets a 20% commission on the selling price')
    expect(words).toContain('The cooperative gets 2% of the selling price')
    expect(words).toContain('The maker is paid every month, for each calendar month’s sales')
    expect(words).toContain('Goods damaged at the venue are paid for by the venue')
    expect(words).toContain(
      'Payouts are made once at least IDR 50,000 is owed; less waits for a later period',
    )
    expect(words).toContain('All amounts are in Indonesian Rupiah (IDR)')
    const id = termsInWords(terms(), 'id', {})
    expect(id[0]).toBe('Tempat penjualan mendapat komisi 20% dari harga jual')
    expect(id).toContain('Barang rusak di tempat penjualan menjadi tanggungan tempat penjualan')
    for (const sentence of [...words, ...id]) expect(hasId(sentence)).toBe(false)
  })

  it('writes tiers, fractions of a percent and rupiah amounts as people do', () => {
    const tiered = terms({
      commission: {
        kind: 'tiered',
        tiers: [
          { up_to: 100_000, bps: 2_500 },
          { up_to: 1_050_000, bps: 2_000 },
          { up_to: null, bps: 1_500 },
        ],
      },
      cooperative_fee_bps: 250,
      minimum_payout: { amount: 1_050_000, currency: 'IDR' },
      markdown_schedule: [{ after_days: 0, percent_off_bps: 500 }],
    })
    const id = termsInWords(tiered, 'id', names())
    expect(id[0]).toBe(
      'Kafe Banaran 9 mendapat komisi menurut harga satuan: 25% sampai Rp100.000, 20% sampai Rp1.050.000, 15% di atas Rp1.050.000',
    )
    expect(id[1]).toBe('Koperasi Desa Vokasi Gemawang mendapat 2,5% dari harga jual')
    expect(id).toContain(
      'Pembayaran dilakukan bila jumlahnya paling sedikit Rp1.050.000; yang kurang menunggu periode berikutnya',
    )
    expect(id).toContain('Harga diturunkan menurut lama barang dititipkan: 5% sejak hari pertama')
    const en = termsInWords(tiered, 'en', names())
    expect(en[0]).toBe(
      'Kafe Banaran 9 gets a commission by unit price: 25% up to IDR 100,000, 20% up to IDR 1,050,000, 15% above IDR 1,050,000',
    )
    expect(en[1]).toBe('Koperasi Desa Vokasi Gemawang gets 2.5% of the selling price')
    const single = termsInWords(
      terms({ commission: { kind: 'tiered', tiers: [{ up_to: null, bps: 1_800 }] } }),
      'id',
      names(),
    )
    expect(single[0]).toBe(
      'Kafe Banaran 9 mendapat komisi menurut harga satuan: 18% untuk harga berapa pun',
    )
  })

  it('names the cooperative, or says there is none; never shows its id', () => {
    const unnamed = termsInWords(terms(), 'id', { parties: {} })
    expect(unnamed[1]).toBe('Koperasi mendapat 2% dari harga jual')
    expect(unnamed.join('\n')).not.toContain(ids.cooperative)
    const none = termsInWords(terms({ cooperative_fee_bps: 0, cooperative_id: null }), 'en')
    expect(none[1]).toBe('No cooperative fee')
    const free = termsInWords(terms({ cooperative_fee_bps: 0 }), 'id', names())
    expect(free[1]).toBe('Koperasi Desa Vokasi Gemawang tidak memungut iuran')
  })

  it('fills the defaults of terms stored before a field existed, and says what is missing', () => {
    const old: Partial<ConsignmentTerms> = terms()
    delete old.remittance
    delete old.remittance_due_days
    delete old.grace_days
    delete old.commission
    const words = termSentences(old, 'id', names())
    const text = (field: string) => words.find((s) => s.field === field)?.text
    expect(text('remittance')).toBe(
      'Kafe Banaran 9 menyetorkan uang penjualan di tempat ke platform, yang membayar semua pihak',
    )
    expect(text('remittance_due_days')).toBe(
      'Kafe Banaran 9 menyetor paling lambat 7 hari setelah setiap penutupan periode',
    )
    expect(text('grace_days')).toBe('Tidak ada masa tenggang setelah masa titip')
    expect(text('commission')).toBe('Komisi tempat penjualan: tidak disebutkan')
    expect(termSentences(old, 'en', names()).find((s) => s.field === 'commission')?.text).toBe(
      'Venue’s commission: not stated',
    )
  })

  it('shows a term it does not know rather than hiding it, without ids', () => {
    const newer = {
      ...terms(),
      settlement_cycle: 'daily',
      return_shipping_bearer: 'venue',
      insurer_id: ids.cooperative,
    } as unknown as ConsignmentTerms
    const words = termSentences(newer, 'id', names())
    expect(words.find((s) => s.field === 'settlement_cycle')?.text).toBe('Jadwal pembayaran: daily')
    expect(words.find((s) => s.field === 'return_shipping_bearer')?.text).toBe(
      'Ketentuan lain (return shipping bearer): venue',
    )
    expect(words.find((s) => s.field === 'insurer_id')?.text).toBe(
      'Ketentuan lain (insurer id): Koperasi Desa Vokasi Gemawang',
    )
    const en = termSentences(newer, 'en', {})
    expect(en.find((s) => s.field === 'insurer_id')?.text).toBe(
      'Another term (insurer id): another party',
    )
  })

  it('renders a list, escaping what people typed', () => {
    const html = String(
      TermsList({
        terms: terms(),
        locale: 'id',
        names: names({ parties: { [ids.venue]: '<script>alert(1)</script>' } }),
      }),
    )
    expect(html.startsWith('<ul class="terms"><li data-term="commission">')).toBe(true)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; mendapat komisi 20%')
    expect(html).not.toContain('<script>')
    expect(html.match(/<li /g)).toHaveLength(termKeys.length)
    expect(hasId(html)).toBe(false)
  })
})
