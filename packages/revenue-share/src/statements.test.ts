import { describe, expect, it } from 'vitest'
import type { PostedTransaction } from './ledger.js'
import { buildStatement, statementCsv } from './statements.js'
import { ids } from './testing.js'

const tx = (
  id: string,
  kind: PostedTransaction['kind'],
  day: number,
  lines: PostedTransaction['lines'],
  sourceId = id,
): PostedTransaction => ({
  id,
  kind,
  source: { type: kind === 'sale' ? 'sale_line' : kind, id: sourceId },
  currency: 'IDR',
  agreementId: null,
  reversesId: null,
  reversedFraction: null,
  memo: null,
  occurredAt: new Date(Date.UTC(2026, 4, day)),
  replayed: false,
  lines,
})

const line = (
  position: number,
  partyId: string,
  purpose: PostedTransaction['lines'][number]['purpose'],
  amount: number,
  rule?: string,
) => ({
  position,
  partyId,
  purpose,
  amount,
  ...(rule === undefined
    ? {}
    : {
        ruleId: rule,
        shareRole: rule === 'producer' ? ('producer' as const) : ('venue' as const),
        saleLineId: 'sl,"1"',
      }),
})

describe('buildStatement', () => {
  const transactions = [
    tx('txn_b', 'penalty', 9, [
      line(0, ids.producer, 'payable_to_producer', 5_000),
      line(1, ids.buyer, 'penalties', -5_000),
    ]),
    tx(
      'txn_a',
      'sale',
      3,
      [
        line(0, ids.venue, 'cash_at_venue', 50_000),
        line(1, ids.venue, 'commission_revenue', -10_000, 'venue_commission'),
        line(2, ids.producer, 'payable_to_producer', -40_000, 'producer'),
      ],
      'sl,"1"',
    ),
  ]

  it('orders entries by time and carries the running balance to the closing balance', () => {
    const s = buildStatement({
      partyId: ids.producer,
      currency: 'IDR',
      from: new Date(Date.UTC(2026, 4, 1)),
      to: new Date(Date.UTC(2026, 5, 1)),
      openingBalance: 1_000,
      transactions,
    })
    expect(s.entries.map((e) => [e.kind, e.amount.amount, e.balance.amount])).toEqual([
      ['sale', 40_000, 41_000],
      ['penalty', -5_000, 36_000],
    ])
    expect(s.entries[0]?.shares.map((x) => [x.rule, x.partyId, x.amount.amount])).toEqual([
      ['venue_commission', ids.venue, 10_000],
      ['producer', ids.producer, 40_000],
    ])
    expect(s.totals.sales.amount).toBe(40_000)
    expect(s.totals.adjustments.amount).toBe(-5_000)
    expect(s.closingBalance.amount).toBe(36_000)
  })

  it('writes CSV with quoted cells where needed', () => {
    const s = buildStatement({
      partyId: ids.producer,
      currency: 'IDR',
      from: new Date(Date.UTC(2026, 4, 1)),
      to: new Date(Date.UTC(2026, 5, 1)),
      openingBalance: 0,
      transactions,
    })
    const rows = statementCsv(s).split('\r\n')
    expect(rows[2]).toContain(',sale,sale_line,"sl,""1""",txn_a,"sl,""1""",')
    expect(rows.at(-2)).toMatch(/closing_balance,.*,35000,IDR$/)
  })

  it('refuses a period that ends before it starts', () => {
    expect(() =>
      buildStatement({
        partyId: ids.producer,
        currency: 'IDR',
        from: new Date(Date.UTC(2026, 5, 1)),
        to: new Date(Date.UTC(2026, 4, 1)),
        openingBalance: 0,
        transactions: [],
      }),
    ).toThrow(expect.objectContaining({ code: 'validation_failed' }))
  })
})
