import type { Names } from './names.js'
import type { AgreementStatement, StatementEntry } from './statement.js'
import type { ConsignmentTerms } from './terms.js'

/*
 * Fixtures for the plain-words tests: a batik group consigning to a café, with the village
 * cooperative taking a fee — the Gemawang case of the domain notes.
 */

export const ids = {
  producer: 'pty_01jdemo00000000000000batik',
  venue: 'pty_01jdemo000000000000000kafe',
  cooperative: 'pty_01jdemo000000000000000kope',
  platform: 'pty_01jdemo000000000000platfrm',
  agreement: 'agr_01jdemo0000000000000000001',
  batik: 'var_01jdemo00000000000000batik',
  honey: 'var_01jdemo00000000000000madu1',
  saleA: 'sale_01jdemo0000000000000000001',
  saleB: 'sale_01jdemo0000000000000000002',
} as const

export function terms(overrides: Partial<ConsignmentTerms> = {}): ConsignmentTerms {
  return {
    currency: 'IDR',
    commission: { kind: 'percent', bps: 2_000 },
    cooperative_fee_bps: 200,
    cooperative_id: ids.cooperative,
    platform_fee_bps: 100,
    payment_fee_bearer: 'shared',
    markdown_bearer: 'venue',
    settlement_cycle: 'monthly',
    consignment_days: 90,
    grace_days: 14,
    on_expiry: 'markdown',
    markdown_schedule: [
      { after_days: 60, percent_off_bps: 1_000 },
      { after_days: 90, percent_off_bps: 2_500 },
    ],
    extension_days: null,
    damage_liability: 'venue',
    loss_liability: 'shared',
    venue_may_change_price: false,
    minimum_payout: { amount: 50_000, currency: 'IDR' },
    remittance: 'platform',
    remittance_due_days: 10,
    ...overrides,
  }
}

export function names(overrides: Partial<Names> = {}): Names {
  return {
    parties: {
      [ids.producer]: 'Batik Gemawangi',
      [ids.venue]: 'Kafe Banaran 9',
      [ids.cooperative]: 'Koperasi Desa Vokasi Gemawang',
      [ids.platform]: 'Mitra Jawa Tengah',
    },
    agreement: { producer_id: ids.producer, venue_id: ids.venue },
    variants: {
      [ids.batik]: {
        title: { id: 'Batik Tulis Motif Kopi', en: 'Hand-drawn coffee batik' },
        sku: 'BTK-KOPI-01',
      },
      [ids.honey]: { title: { id: 'Madu Klanceng 250 g', en: null }, sku: 'MDU-250' },
    },
    saleLines: {
      [`${ids.saleA}:${ids.batik}`]: {
        variant_id: ids.batik,
        quantity: 2,
        unit_price: { amount: 525_000, currency: 'IDR' },
      },
      [`${ids.saleB}:${ids.honey}`]: {
        variant_id: ids.honey,
        quantity: 1,
        unit_price: { amount: 85_000, currency: 'IDR' },
      },
    },
    ...overrides,
  }
}

const idr = (amount: number) => ({ amount, currency: 'IDR' })

function share(role: string, partyId: string, amount: number) {
  return { rule: role, role, party_id: partyId, amount: idr(amount), explanation: null }
}

function entry(fields: Partial<StatementEntry> & Pick<StatementEntry, 'transaction_id'>) {
  return {
    kind: 'sale',
    occurred_at: '2026-12-06T07:30:00.000Z',
    source: { type: 'sale_line', id: fields.sale_line_id ?? fields.transaction_id },
    sale_line_id: null,
    agreement_id: ids.agreement,
    amount: idr(0),
    balance: idr(0),
    shares: [],
    memo: null,
    ...fields,
  } satisfies StatementEntry
}

/**
 * December 2026: two batik cloths sold for Rp1.050.000 in cash, a jar of honey by QRIS and
 * returned, a damaged cloth the café pays for, and a payout. Every share adds up to its line.
 */
export function agreementStatement(
  overrides: Partial<AgreementStatement> = {},
): AgreementStatement {
  const lineA = `${ids.saleA}:${ids.batik}`
  const lineB = `${ids.saleB}:${ids.honey}`
  const period = {
    cycle: 'monthly' as const,
    from: '2026-11-30T17:00:00.000Z',
    to: '2026-12-31T17:00:00.000Z',
  }
  const entries: StatementEntry[] = [
    entry({
      transaction_id: 'txn_01jdemo0000000000000000001',
      sale_line_id: lineA,
      amount: idr(808_500),
      balance: idr(1_008_500),
      shares: [
        share('venue', ids.venue, 210_000),
        share('cooperative', ids.cooperative, 21_000),
        share('platform', ids.platform, 10_500),
        share('producer', ids.producer, 808_500),
      ],
    }),
    entry({
      transaction_id: 'txn_01jdemo0000000000000000002',
      occurred_at: '2026-12-10T03:00:00.000Z',
      sale_line_id: lineB,
      amount: idr(65_152),
      balance: idr(1_073_652),
      shares: [
        share('payment_fee', ids.platform, 595),
        share('venue', ids.venue, 16_703),
        share('cooperative', ids.cooperative, 1_700),
        share('platform', ids.platform, 850),
        share('producer', ids.producer, 65_152),
      ],
    }),
    entry({
      transaction_id: 'txn_01jdemo0000000000000000003',
      kind: 'return',
      occurred_at: '2026-12-12T03:00:00.000Z',
      source: { type: 'return', id: 'ret_01jdemo0000000000000000001' },
      sale_line_id: lineB,
      amount: idr(-65_152),
      balance: idr(1_008_500),
      shares: [
        share('payment_fee', ids.platform, -595),
        share('venue', ids.venue, -16_703),
        share('cooperative', ids.cooperative, -1_700),
        share('platform', ids.platform, -850),
        share('producer', ids.producer, -65_152),
      ],
    }),
    entry({
      transaction_id: 'txn_01jdemo0000000000000000004',
      kind: 'damage',
      occurred_at: '2026-12-20T03:00:00.000Z',
      source: { type: 'damage', id: 'mov_01jdemo0000000000000000001' },
      amount: idr(100_000),
      balance: idr(1_108_500),
      memo: `Rusak kena tumpahan kopi; ditanggung ${ids.venue} (lot lot_01jdemo000000000000000001)`,
    }),
    entry({
      transaction_id: 'txn_01jdemo0000000000000000005',
      kind: 'payout',
      occurred_at: '2026-12-28T03:00:00.000Z',
      source: { type: 'payout', id: 'po_01jdemo00000000000000000001' },
      agreement_id: null,
      amount: idr(-500_000),
      balance: idr(608_500),
    }),
  ]
  return {
    agreement_id: ids.agreement,
    producer_id: ids.producer,
    venue_id: ids.venue,
    cycle: 'monthly',
    period,
    statement: {
      party_id: ids.producer,
      currency: 'IDR',
      agreement_id: ids.agreement,
      from: period.from,
      to: period.to,
      opening_balance: idr(200_000),
      entries,
      totals: {
        sales: idr(873_652),
        refunds: idr(0),
        returns: idr(-65_152),
        adjustments: idr(100_000),
        payouts: idr(-500_000),
      },
      closing_balance: idr(608_500),
    },
    statement_hash: 'a'.repeat(64),
    review: {
      agreement_id: ids.agreement,
      period,
      statement_hash: 'a'.repeat(64),
      status: 'disputed',
      acknowledgments: [
        {
          id: 'ack_1',
          party_id: ids.producer,
          side: 'producer',
          statement_hash: 'a'.repeat(64),
          acknowledged_by: 'usr_01jdemo0000000000000000001',
          acknowledged_at: '2027-01-02T02:00:00.000Z',
          stale: false,
        },
      ],
      disputes: [
        {
          id: 'dsp_1',
          party_id: ids.venue,
          side: 'venue',
          line_ref: lineB,
          comment: 'Madu ini dikembalikan pembeli, bukan terjual.',
          statement_hash: 'a'.repeat(64),
          opened_by: 'usr_01jdemo0000000000000000002',
          opened_at: '2027-01-03T02:00:00.000Z',
          status: 'open',
          resolved_by: null,
          resolved_at: null,
          resolution_note: null,
        },
      ],
    },
    ...overrides,
  }
}
