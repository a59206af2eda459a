import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareTerms, TermsComparison } from './compare.js'
import { type ConsignmentTerms, fieldsOf, termFields, termKeys } from './terms.js'
import { ids, names, terms } from './testing.js'
import { hasId } from './text.js'

const otherCooperative = 'pty_01jdemo000000000000000kop2'
const named = () => {
  const n = names()
  return { ...n, parties: { ...n.parties, [otherCooperative]: 'KUD Sidomulyo' } }
}

/** At least two distinct values of every field, to draw terms and changes from. */
const pools: { [F in keyof ConsignmentTerms]: readonly ConsignmentTerms[F][] } = {
  currency: ['IDR', 'USD'],
  commission: [
    { kind: 'percent', bps: 2_000 },
    { kind: 'percent', bps: 1_500 },
    {
      kind: 'tiered',
      tiers: [
        { up_to: 100_000, bps: 2_500 },
        { up_to: null, bps: 1_500 },
      ],
    },
  ],
  cooperative_fee_bps: [0, 200, 250],
  cooperative_id: [null, ids.cooperative, otherCooperative],
  platform_fee_bps: [0, 100],
  payment_fee_bearer: ['venue', 'producer', 'shared'],
  markdown_bearer: ['venue', 'producer', 'shared'],
  settlement_cycle: ['weekly', 'twice_monthly', 'monthly'],
  consignment_days: [30, 60, 90],
  grace_days: [0, 7],
  on_expiry: ['return', 'markdown', 'extend'],
  markdown_schedule: [
    [],
    [{ after_days: 60, percent_off_bps: 1_000 }],
    [
      { after_days: 60, percent_off_bps: 1_000 },
      { after_days: 90, percent_off_bps: 2_500 },
    ],
  ],
  extension_days: [null, 30],
  damage_liability: ['venue', 'producer', 'shared'],
  loss_liability: ['venue', 'producer', 'shared'],
  venue_may_change_price: [false, true],
  minimum_payout: [
    { amount: 0, currency: 'IDR' },
    { amount: 50_000, currency: 'IDR' },
  ],
  remittance: ['platform', 'direct'],
  remittance_due_days: [7, 10],
}

type Field = keyof ConsignmentTerms
const pool = (field: Field) => pools[field] as readonly unknown[]

/** Terms drawn from the pools, and the fields a second version changes (to another value). */
const draws = fc.record({
  picks: fc.record(
    Object.fromEntries(
      termFields.map((field) => [field, fc.nat({ max: pool(field).length - 1 })]),
    ) as Record<Field, fc.Arbitrary<number>>,
  ),
  changes: fc
    .subarray(termFields)
    .chain((fields) =>
      fc.tuple(
        fc.constant(fields),
        fc.tuple(...fields.map((field) => fc.integer({ min: 1, max: pool(field).length - 1 }))),
      ),
    ),
})

function build(picks: Record<Field, number>): ConsignmentTerms {
  return Object.fromEntries(
    termFields.map((field) => [field, structuredClone(pool(field)[picks[field]])]),
  ) as ConsignmentTerms
}

describe('comparing two versions of terms', () => {
  it('finds exactly the terms whose fields changed, each with both sentences (property)', () => {
    fc.assert(
      fc.property(draws, ({ picks, changes: [fields, shifts] }) => {
        const next = { ...picks }
        fields.forEach((field, i) => {
          next[field] = (picks[field] + (shifts[i] as number)) % pool(field).length
        })
        const before = build(picks)
        const after = build(next)
        const expected = termKeys.filter((key) => fieldsOf(key).some((f) => fields.includes(f)))
        for (const locale of ['id', 'en'] as const) {
          const found = compareTerms(before, after, locale, named())
          expect(found.map((change) => change.field)).toEqual(expected)
          for (const change of found) {
            expect(change.before).not.toBe(change.after)
            expect(hasId(change.before) || hasId(change.after)).toBe(false)
          }
          const back = compareTerms(after, before, locale, named())
          expect(back.map((c) => [c.before, c.after])).toEqual(
            found.map((c) => [c.after, c.before]),
          )
        }
        expect(compareTerms(before, structuredClone(before), 'id', named())).toEqual([])
      }),
      { numRuns: 300 },
    )
  })

  it('gives the sentences of a changed commission and cooperative', () => {
    const changes = compareTerms(
      terms(),
      terms({ commission: { kind: 'percent', bps: 2_500 }, cooperative_id: otherCooperative }),
      'id',
      named(),
    )
    expect(changes).toEqual([
      {
        field: 'commission',
        label: 'Komisi tempat penjualan',
        before: 'Kafe Banaran 9 mendapat komisi 20% dari harga jual',
        after: 'Kafe Banaran 9 mendapat komisi 25% dari harga jual',
      },
      {
        field: 'cooperative_fee_bps',
        label: 'Iuran koperasi',
        before: 'Koperasi Desa Vokasi Gemawang mendapat 2% dari harga jual',
        after: 'KUD Sidomulyo mendapat 2% dari harga jual',
      },
    ])
  })

  it('does not count a default an older version left out, nor the order of keys', () => {
    const old: Partial<ConsignmentTerms> = terms({ remittance: 'platform', grace_days: 0 })
    delete old.remittance
    delete old.grace_days
    delete old.remittance_due_days
    const reordered = terms({
      grace_days: 0,
      remittance_due_days: 7,
      minimum_payout: { currency: 'IDR', amount: 50_000 } as ConsignmentTerms['minimum_payout'],
    })
    expect(compareTerms(old, reordered, 'en', names())).toEqual([])
  })

  it('compares fields it does not know, added or removed', () => {
    const newer = { ...terms(), return_shipping_bearer: 'venue' } as ConsignmentTerms
    expect(compareTerms(terms(), newer, 'en', names())).toEqual([
      {
        field: 'return_shipping_bearer',
        label: 'return shipping bearer',
        before: 'Not in this version',
        after: 'Another term (return shipping bearer): venue',
      },
    ])
  })

  it('renders a table of both versions, the changed rows marked in words', () => {
    const html = String(
      TermsComparison({
        before: { version: 1, terms: terms() },
        after: { version: 2, terms: terms({ commission: { kind: 'percent', bps: 2_500 } }) },
        locale: 'id',
        names: names(),
      }),
    )
    expect(html).toContain('<caption>Versi 1 dibanding versi 2: 1 ketentuan berubah</caption>')
    expect(html).toContain(
      '<thead><tr><th scope="col">Ketentuan</th><th scope="col">Versi 1</th><th scope="col">Versi 2</th></tr></thead>',
    )
    expect(html).toContain(
      '<tr class="changed" data-term="commission"><th scope="row">Komisi tempat penjualan <strong class="mark">Berubah</strong></th><td>Kafe Banaran 9 mendapat komisi 20% dari harga jual</td><td>Kafe Banaran 9 mendapat komisi 25% dari harga jual</td></tr>',
    )
    expect(html).toContain(
      '<tr data-term="damage_liability"><th scope="row">Barang rusak</th><td colspan="2">Barang rusak di Kafe Banaran 9 menjadi tanggungan Kafe Banaran 9</td></tr>',
    )
    expect(html.match(/<tr /g)).toHaveLength(termKeys.length)
    expect(html.match(/Berubah/g)).toHaveLength(1)
    expect(hasId(html)).toBe(false)
  })

  it('can show the changes only, in English, escaping names', () => {
    const html = String(
      TermsComparison({
        before: { version: 3, terms: terms() },
        after: { version: 4, terms: terms({ cooperative_fee_bps: 300 }) },
        locale: 'en',
        names: names({ parties: { [ids.cooperative]: '<script>x()</script>' } }),
        onlyChanged: true,
      }),
    )
    expect(html).toContain('<caption>Version 3 against version 4: 1 term changed</caption>')
    expect(html).toContain('<strong class="mark">Changed</strong>')
    expect(html).toContain('&lt;script&gt;x()&lt;/script&gt; gets 3% of the selling price')
    expect(html).not.toContain('<script>')
    expect(html.match(/<tr /g)).toHaveLength(1)
    const same = String(
      TermsComparison({
        before: { version: 1, terms: terms() },
        after: { version: 2, terms: terms() },
        locale: 'en',
      }),
    )
    expect(same).toContain('Version 1 against version 2: nothing changed')
  })
})
