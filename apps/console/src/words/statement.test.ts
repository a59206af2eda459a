import fc from 'fast-check'
import { jsx } from 'hono/jsx'
import { describe, expect, it } from 'vitest'
import { saleLineFacts, variantNames } from './names.js'
import {
  type AgreementStatement,
  type StatementLine,
  StatementView,
  statementFigures,
} from './statement.js'
import { agreementStatement, ids, names } from './testing.js'
import { hasId } from './text.js'

const render = (props: Parameters<typeof StatementView>[0]) => String(StatementView(props))
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0)

describe('statement figures', () => {
  it('has totals equal to the sum of the lines, and shares that add up to each line', () => {
    const figures = statementFigures(agreementStatement(), 'id', names())
    expect(figures.roles).toEqual(['producer', 'venue', 'cooperative', 'platform', 'payment_fee'])
    expect(figures.lines.map((l) => l.total)).toEqual([1_050_000, 85_000, -85_000])
    for (const line of figures.lines) {
      expect(sum(Object.values(line.shares))).toBe(line.total)
    }
    expect(figures.totals.total).toBe(sum(figures.lines.map((l) => l.total)))
    for (const role of figures.roles) {
      expect(figures.totals.shares[role]).toBe(sum(figures.lines.map((l) => l.shares[role] ?? 0)))
    }
    expect(sum(Object.values(figures.totals.shares))).toBe(figures.totals.total)
    const b = figures.balance
    expect(b.opening + b.sales + b.refunds + b.returns + b.adjustments + b.payouts).toBe(b.closing)
  })

  it('adds up for any shares (property)', () => {
    const shares = fc.array(
      fc.record({
        role: fc.constantFrom('producer', 'venue', 'cooperative', 'platform', 'payment_fee', 'tax'),
        amount: fc.integer({ min: -5_000_000, max: 5_000_000 }),
      }),
      { minLength: 1, maxLength: 6 },
    )
    fc.assert(
      fc.property(fc.array(shares, { maxLength: 12 }), (lines) => {
        const base = agreementStatement()
        const s: AgreementStatement = {
          ...base,
          statement: {
            ...base.statement,
            entries: lines.map((line, i) => ({
              ...(base.statement.entries[0] as AgreementStatement['statement']['entries'][number]),
              transaction_id: `txn_${i}`,
              shares: line.map((x) => ({
                rule: x.role,
                role: x.role,
                party_id: ids.producer,
                amount: { amount: x.amount, currency: 'IDR' },
                explanation: null,
              })),
            })),
          },
        }
        const figures = statementFigures(s, 'en', names())
        expect(figures.totals.total).toBe(sum(lines.flat().map((x) => x.amount)))
        expect(sum(Object.values(figures.totals.shares))).toBe(figures.totals.total)
        if (figures.roles.includes('tax')) expect(figures.roles.at(-1)).toBe('tax')
      }),
      { numRuns: 100 },
    )
  })

  it('takes the product from the sales API, else from the sale line id', () => {
    const figures = statementFigures(agreementStatement(), 'en', names())
    const [batik, honey, back] = figures.lines as [StatementLine, StatementLine, StatementLine]
    expect(batik.product).toEqual({ title: 'Hand-drawn coffee batik', sku: 'BTK-KOPI-01' })
    expect(batik.quantity).toBe(2)
    expect(batik.unit_price).toEqual({ amount: 525_000, currency: 'IDR' })
    expect(batik.ref).toBe(`${ids.saleA}:${ids.batik}`)
    // No English title: the Indonesian one.
    expect(honey.product).toEqual({ title: 'Madu Klanceng 250 g', sku: 'MDU-250' })
    expect(honey.review).toBe('disputed')
    expect(back.kind).toBe('return')
    expect(back.ref).toBe('txn_01jdemo0000000000000000003')
    expect(back.review).toBe('disputed')
    expect(back.quantity).toBeNull()
    expect(figures.others.map((o) => o.review)).toEqual([
      'partly_acknowledged',
      'partly_acknowledged',
    ])

    const bare = statementFigures(agreementStatement(), 'id', names({ saleLines: {} }))
    expect(bare.lines[0]?.product?.title).toBe('Batik Tulis Motif Kopi')
    expect(bare.lines[0]?.quantity).toBeNull()
  })

  it('builds its names from the API’s products and sales', () => {
    const variants = variantNames([
      {
        title: { id: 'Batik Tulis Motif Kopi', en: null },
        variants: [{ id: ids.batik, sku: 'BTK-KOPI-01' }],
      },
    ])
    const lines = saleLineFacts([
      {
        id: ids.saleA,
        lines: [
          {
            variant_id: ids.batik,
            producer_id: ids.producer,
            agreement_id: ids.agreement,
            agreement_version: 1,
            quantity: 2,
            unit_price: { amount: 525_000, currency: 'IDR' },
            list_price: null,
            lots: [],
          },
        ],
      },
    ])
    const figures = statementFigures(agreementStatement(), 'id', {
      ...names(),
      variants,
      saleLines: lines,
    })
    expect(figures.lines[0]).toMatchObject({
      product: { title: 'Batik Tulis Motif Kopi', sku: 'BTK-KOPI-01' },
      quantity: 2,
      unit_price: { amount: 525_000, currency: 'IDR' },
    })
  })
})

describe('the statement view', () => {
  it('shows the period, the sides and each sale with product, SKU, date and rupiah', () => {
    const html = render({ locale: 'id', statement: agreementStatement(), names: names() })
    expect(html).toContain('<dt>Periode</dt><dd>1 Des 2026 – 31 Des 2026</dd>')
    expect(html).toContain('<dt>Pembuat</dt><dd>Batik Gemawangi</dd>')
    expect(html).toContain('<dt>Tempat penjualan</dt><dd>Kafe Banaran 9</dd>')
    expect(html).toContain(
      '<td data-label="Tanggal">6 Des 2026</td><th scope="row" data-label="Produk">Batik Tulis Motif Kopi<span class="sku">SKU BTK-KOPI-01</span></th><td class="num" data-label="Jumlah">2</td><td class="num" data-label="Harga satuan">Rp525.000</td><td class="num" data-label="Total">Rp1.050.000</td><td class="num" data-label="Pembuat">Rp808.500</td><td class="num" data-label="Tempat penjualan">Rp210.000</td><td class="num" data-label="Koperasi">Rp21.000</td><td class="num" data-label="Platform">Rp10.500</td>',
    )
    expect(html).toContain(
      '<th scope="col" class="num">Koperasi<span class="party">Koperasi Desa Vokasi Gemawang</span></th>',
    )
    expect(html).toContain('12 Des 2026<span class="kind">Retur barang</span>')
    expect(html).toContain('<td class="num" data-label="Total">-Rp85.000</td>')
  })

  it('totals the columns as the lines add up, and the producer’s balance', () => {
    const html = render({ locale: 'id', statement: agreementStatement(), names: names() })
    const [, foot] = /<tfoot>(.*?)<\/tfoot>/.exec(html) ?? []
    const cells = [...(foot ?? '').matchAll(/<td class="num"[^>]*>([^<]*)<\/td>/g)].map((m) => m[1])
    expect(cells).toEqual(['Rp1.050.000', 'Rp808.500', 'Rp210.000', 'Rp21.000', 'Rp10.500', 'Rp0'])
    expect(html).toContain('<h2>Yang menjadi hak Batik Gemawangi</h2>')
    expect(html).toContain('<th scope="row">Saldo awal</th><td class="num">Rp200.000</td>')
    expect(html).toContain(
      '<tr class="closing"><th scope="row">Saldo akhir</th><td class="num">Rp608.500</td></tr>',
    )
  })

  it('marks disputed lines in words and says who acknowledged', () => {
    const html = render({ locale: 'id', statement: agreementStatement(), names: names() })
    expect(html).toContain(
      '<tr class="disputed"><td data-label="Tanggal">10 Des 2026</td><th scope="row" data-label="Produk">Madu Klanceng 250 g',
    )
    expect(html).toContain(
      '<p class="dispute"><strong>Disanggah Kafe Banaran 9</strong><q>Madu ini dikembalikan pembeli, bukan terjual.</q></p>',
    )
    expect(html).toContain('<td data-label="Status">Disetujui Batik Gemawangi</td>')
    expect(html).toContain('<li>Batik Gemawangi menyetujui pada 2 Jan 2027, 09.00</li>')
    expect(html).toContain(
      'Kafe Banaran 9 menyanggah Madu Klanceng 250 g (10 Des 2026), 3 Jan 2027, 09.00',
    )
    expect(html).toContain('<span class="status status-disputed">Ada sanggahan</span>')
  })

  it('shows the other entries with their memos, ids replaced', () => {
    const html = render({ locale: 'id', statement: agreementStatement(), names: names() })
    expect(html).toContain(
      '<th scope="row" data-label="Jenis">Kerusakan</th><td data-label="Keterangan">Rusak kena tumpahan kopi; ditanggung Kafe Banaran 9 (lot …)</td><td class="num" data-label="Perubahan">Rp100.000</td>',
    )
    expect(html).toContain('<td class="num" data-label="Perubahan">-Rp500.000</td>')
  })

  it('reads in English with IDR amounts', () => {
    const html = render({ locale: 'en', statement: agreementStatement(), names: names() })
    expect(html).toContain('<dt>Period</dt><dd>1 Dec 2026 – 31 Dec 2026</dd>')
    expect(html).toContain('Hand-drawn coffee batik<span class="sku">SKU BTK-KOPI-01</span>')
    expect(html).toContain('<td class="num" data-label="Total">IDR 1,050,000</td>')
    expect(html).toContain('<strong>Disputed by Kafe Banaran 9</strong>')
    expect(html).toContain('<h2>What Batik Gemawangi is owed</h2>')
  })

  it('shows no id anywhere, with names or without', () => {
    for (const locale of ['id', 'en'] as const) {
      for (const given of [names(), {}, { parties: {} }]) {
        const html = render({ locale, statement: agreementStatement(), names: given })
        expect(html).not.toMatch(/pty_|var_|sale_|txn_|agr_|usr_|lot_|po_/)
        expect(hasId(html)).toBe(false)
      }
    }
    const html = render({ locale: 'id', statement: agreementStatement(), names: {} })
    expect(html).toContain('Produk tidak dikenal')
    expect(html).toContain('<dt>Pembuat</dt><dd>Pembuat</dd>')
  })

  it('escapes a product title and a dispute comment', () => {
    const n = names()
    const base = agreementStatement()
    const dispute = base.review.disputes[0] as AgreementStatement['review']['disputes'][number]
    const html = render({
      locale: 'id',
      statement: {
        ...base,
        review: {
          ...base.review,
          disputes: [{ ...dispute, comment: '<img src=x onerror=alert(1)>' }],
        },
      },
      names: {
        ...n,
        variants: {
          ...n.variants,
          [ids.batik]: { title: { id: '<script>alert("batik")</script>' }, sku: '<b>X</b>' },
        },
      },
    })
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<b>X</b>')
    expect(html).toContain('&lt;script&gt;alert(&quot;batik&quot;)&lt;/script&gt;')
    expect(html).not.toContain('<img')
    expect(html).toContain('<q>&lt;img src=x onerror=alert(1)&gt;</q>')
  })

  it('puts the page’s actions in each line, given the line', () => {
    const seen: string[] = []
    const html = render({
      locale: 'id',
      statement: agreementStatement(),
      names: names(),
      renderLineActions: (line) => {
        seen.push(line.ref)
        return jsx('button', { name: 'line_ref', value: line.ref }, 'Sanggah')
      },
    })
    expect(seen).toEqual([
      `${ids.saleA}:${ids.batik}`,
      `${ids.saleB}:${ids.honey}`,
      'txn_01jdemo0000000000000000003',
      'txn_01jdemo0000000000000000004',
      'txn_01jdemo0000000000000000005',
    ])
    expect(html).toContain('<th scope="col">Tindakan</th>')
    expect(html).toContain(
      `<td data-label="Tindakan"><button name="line_ref" value="${ids.saleA}:${ids.batik}">Sanggah</button></td>`,
    )
  })

  it('says when nothing sold', () => {
    const base = agreementStatement()
    const html = render({
      locale: 'en',
      statement: { ...base, statement: { ...base.statement, entries: [] } },
      names: names(),
    })
    expect(html).toContain('<p>No sales in this period.</p>')
    expect(html).not.toContain('<table class="lines">')
  })
})
