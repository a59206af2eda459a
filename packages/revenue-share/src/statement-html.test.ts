import { describe, expect, it } from 'vitest'
import type { PostedTransaction } from './ledger.js'
import { escapeHtml, statementHtml } from './statement-html.js'
import { type StatementReview, statementHash } from './statement-reviews.js'
import { buildStatement } from './statements.js'
import { ids } from './testing.js'

const voidElements = new Set(['meta', 'br', 'hr', 'img', 'link', 'input', 'col', 'wbr'])

/** Checks that every element opened is closed in order, and that no raw markup hides in text. */
function assertWellFormed(html: string): void {
  expect(html.startsWith('<!DOCTYPE html>\n<html lang=')).toBe(true)
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>')
  const stack: string[] = []
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>|<!DOCTYPE html>/g
  let last = 0
  for (let match = tag.exec(body); match !== null; match = tag.exec(body)) {
    // Text between tags never carries a raw '<' or '>' (everything is escaped).
    expect(body.slice(last, match.index)).not.toMatch(/[<>]/)
    last = tag.lastIndex
    const [, closing, name] = match
    if (name === undefined) continue
    const element = name.toLowerCase()
    if (voidElements.has(element)) continue
    if (closing === '/') expect(stack.pop()).toBe(element)
    else stack.push(element)
  }
  expect(body.slice(last)).not.toMatch(/[<>]/)
  expect(stack).toEqual([])
}

const tx = (
  id: string,
  kind: PostedTransaction['kind'],
  at: string,
  lines: PostedTransaction['lines'],
  saleLineId: string | null,
): PostedTransaction => ({
  id,
  kind,
  source: { type: kind === 'sale' ? 'sale_line' : kind, id: saleLineId ?? id },
  currency: 'IDR',
  agreementId: 'agr_01jz0000000000000000000000',
  reversesId: null,
  reversedFraction: null,
  memo: null,
  occurredAt: new Date(at),
  replayed: false,
  lines,
})

const share = (
  position: number,
  partyId: string,
  purpose: PostedTransaction['lines'][number]['purpose'],
  amount: number,
  role: 'producer' | 'venue' | 'cooperative',
  saleLineId: string,
) => ({ position, partyId, purpose, amount, ruleId: role, shareRole: role, saleLineId })

const statementOf = () =>
  buildStatement({
    partyId: ids.producer,
    currency: 'IDR',
    agreementId: 'agr_01jz0000000000000000000000',
    from: new Date('2025-12-31T17:00:00Z'),
    to: new Date('2026-01-31T17:00:00Z'),
    openingBalance: 0,
    transactions: [
      tx(
        'txn_a',
        'sale',
        '2026-01-05T03:00:00Z',
        [
          { position: 0, partyId: ids.venue, purpose: 'cash_at_venue', amount: 200_000 },
          share(1, ids.venue, 'commission_revenue', -40_000, 'venue', 'sl_a'),
          share(2, ids.cooperative, 'cooperative_fees', -10_000, 'cooperative', 'sl_a'),
          share(3, ids.producer, 'payable_to_producer', -150_000, 'producer', 'sl_a'),
        ],
        'sl_a',
      ),
      tx(
        'txn_b',
        'refund',
        '2026-01-10T03:00:00Z',
        [
          { position: 0, partyId: ids.venue, purpose: 'cash_at_venue', amount: -20_000 },
          share(1, ids.venue, 'commission_revenue', 4_000, 'venue', 'sl_a'),
          share(2, ids.cooperative, 'cooperative_fees', 1_000, 'cooperative', 'sl_a'),
          share(3, ids.producer, 'payable_to_producer', 15_000, 'producer', 'sl_a'),
        ],
        'sl_a',
      ),
    ],
  })

const parties = {
  [ids.producer]: { name: 'Batik <script>alert(1)</script> Gemawang', place: 'Desa "Gemawang"' },
  [ids.venue]: { name: 'Kafe Banaran 9 & Galeri' },
  [ids.cooperative]: { name: 'Koperasi Gemawangi' },
}

const reviewOf = (s: ReturnType<typeof statementOf>): StatementReview => ({
  agreementId: 'agr_01jz0000000000000000000000',
  period: { cycle: 'monthly', from: s.from, to: s.to },
  statementHash: statementHash(s),
  status: 'disputed',
  acknowledgments: [
    {
      id: 'stmt_1',
      partyId: ids.producer,
      side: 'producer',
      statementHash: statementHash(s),
      acknowledgedBy: 'usr_01jz0000000000000000000001',
      acknowledgedAt: new Date('2026-02-02T02:00:00Z'),
      stale: false,
    },
    {
      id: 'stmt_2',
      partyId: ids.venue,
      side: 'venue',
      statementHash: 'f'.repeat(64),
      acknowledgedBy: 'key_01jz0000000000000000000002',
      acknowledgedAt: new Date('2026-02-01T02:00:00Z'),
      stale: true,
    },
  ],
  disputes: [
    {
      id: 'stmt_3',
      partyId: ids.venue,
      side: 'venue',
      lineRef: 'txn_b',
      comment: 'Refund <img src=x onerror=alert(1)> was only half',
      statementHash: statementHash(s),
      openedBy: 'key_01jz0000000000000000000002',
      openedAt: new Date('2026-02-02T03:00:00Z'),
      status: 'open',
      resolvedBy: null,
      resolvedAt: null,
      resolutionNote: null,
    },
    {
      id: 'stmt_4',
      partyId: ids.producer,
      side: 'producer',
      lineRef: 'sl_a',
      comment: 'Commission rate?',
      statementHash: statementHash(s),
      openedBy: 'usr_01jz0000000000000000000001',
      openedAt: new Date('2026-02-02T04:00:00Z'),
      status: 'withdrawn',
      resolvedBy: 'usr_01jz0000000000000000000001',
      resolvedAt: new Date('2026-02-02T05:00:00Z'),
      resolutionNote: 'As agreed in the terms',
    },
  ],
})

describe('statementHtml', () => {
  const s = statementOf()
  const generatedAt = new Date('2026-02-05T01:00:00Z')

  it('escapes every character that could open markup', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    )
  })

  it('prints an Indonesian A4 document with rupiah, every share and the totals', () => {
    const html = statementHtml(s, { locale: 'id', parties, generatedAt })
    assertWellFormed(html)
    expect(html).toContain('<html lang="id">')
    expect(html).toContain('<meta charset="utf-8">')
    expect(html).toContain('@media print')
    expect(html).toContain('size: A4')
    expect(html).not.toMatch(/<script|<img|<link|src=|https?:/i)
    expect(html).toContain('Batik &lt;script&gt;alert(1)&lt;/script&gt; Gemawang')
    expect(html).toContain('Desa &quot;Gemawang&quot;')
    expect(html).toContain('Kafe Banaran 9 &amp; Galeri')
    expect(html).toContain('Laporan bagi hasil')
    expect(html).toContain('1 Januari 2026 – 31 Januari 2026')
    // Every share column, named by role and party.
    expect(html).toContain('Tempat penjualan<span class="rule">Kafe Banaran 9 &amp; Galeri</span>')
    expect(html).toContain('Koperasi<span class="rule">Koperasi Gemawangi</span>')
    // Sale line shares, refund shares, share totals, the producer's change and balance.
    for (const text of [
      'Rp40.000',
      'Rp10.000',
      'Rp150.000',
      '-Rp4.000',
      '-Rp1.000',
      '-Rp15.000',
      'Rp36.000',
      'Rp9.000',
      'Rp135.000',
      'Penjualan',
      'Pengembalian dana',
      'Saldo akhir',
    ]) {
      expect(html).toContain(text)
    }
    expect(html).toMatch(/Saldo akhir<\/td><td class="num"><\/td><td class="num">Rp135\.000/)
    expect(html).toContain('5 Jan 2026, 10.00 WIB')
    expect(html).toContain(statementHash(s))
    expect(html).not.toContain('Tinjauan')
  })

  it('prints in English with IDR amounts and the review: who acknowledged, every dispute', () => {
    const review = reviewOf(s)
    const html = statementHtml(s, {
      locale: 'en',
      parties,
      review,
      generatedAt,
      actors: { usr_01jz0000000000000000000001: 'Ibu Sri <Ketua>' },
    })
    assertWellFormed(html)
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('Revenue share statement')
    expect(html).toContain('January 1, 2026 – January 31, 2026')
    for (const text of ['IDR 150,000', 'IDR 40,000', '-IDR 15,000', 'IDR 135,000', 'Refund']) {
      expect(html).toContain(text)
    }
    expect(html).not.toContain('Rp')
    expect(html).not.toMatch(/<script|<img/i)
    expect(html).toContain('class="status status-disputed">Disputed</span>')
    expect(html).toContain(
      'Batik &lt;script&gt;alert(1)&lt;/script&gt; Gemawang — acknowledged by Ibu Sri &lt;Ketua&gt;, Feb 2, 2026, 09:00 WIB',
    )
    expect(html).toContain(
      'Kafe Banaran 9 &amp; Galeri — acknowledged by key_01jz0000000000000000000002',
    )
    expect(html).toContain('stale: the numbers changed after this acknowledgment')
    expect(html).toContain('Refund &lt;img src=x onerror=alert(1)&gt; was only half')
    expect(html).toContain('As agreed in the terms')
    expect(html).toContain('withdrawn Feb 2, 2026, 12:00 WIB')
    // The line under an open dispute is marked; the withdrawn dispute's line is not.
    expect(html.match(/<tr class="disputed">/g)).toHaveLength(1)
    expect(html).toMatch(/<tr class="disputed">[\s\S]*?Refund <span class="mark">disputed<\/span>/)
  })

  it('prints an empty period and each review status in Indonesian', () => {
    const empty = buildStatement({
      partyId: ids.producer,
      currency: 'IDR',
      from: new Date('2026-01-04T17:00:00Z'),
      to: new Date('2026-01-11T17:00:00Z'),
      openingBalance: 1_500_000,
      transactions: [],
    })
    const review: StatementReview = {
      agreementId: 'agr_01jz0000000000000000000000',
      period: { cycle: 'weekly', from: empty.from, to: empty.to },
      statementHash: statementHash(empty),
      status: 'acknowledged',
      acknowledgments: [],
      disputes: [],
    }
    const html = statementHtml(empty, { locale: 'id', parties: {}, review, generatedAt })
    assertWellFormed(html)
    expect(html).toContain('Tidak ada transaksi dalam periode ini.')
    expect(html).toContain('5 Januari 2026 – 11 Januari 2026')
    expect(html).toContain('Rp1.500.000')
    expect(html).toContain('Disetujui kedua pihak')
    expect(html).toContain('Tidak ada sanggahan.')
    expect(html).toContain('Semua perjanjian')
    expect(
      statementHtml(empty, {
        locale: 'id',
        parties: {},
        review: { ...review, status: 'partly_acknowledged' },
      }),
    ).toContain('Disetujui satu pihak')
  })
})
