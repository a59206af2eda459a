import { consignmentTermsSchema } from '@mitra/consignment'
import { MitraError, newId } from '@mitra/core'
import { describe, expect, it } from 'vitest'
import { definePolicy, policyFromConsignmentTerms, type SplitPolicyInput } from './policy.js'
import { type LineSplit, reverseShares, splitLine } from './split.js'
import { batikPolicy, idr, ids } from './testing.js'

const byRule = (split: LineSplit) =>
  Object.fromEntries(split.shares.map((share) => [share.rule, share.amount.amount]))

const line = (price: number, quantity = 1) => ({
  gross: idr(price * quantity),
  quantity,
  unitPrice: idr(price),
})

describe('policyFromConsignmentTerms', () => {
  it('builds the consignment policy from terms as both sides sign them', () => {
    const terms = consignmentTermsSchema.parse({
      commission: { kind: 'percent', bps: 2_000 },
      cooperative_fee_bps: 200,
      cooperative_id: ids.cooperative,
      platform_fee_bps: 300,
      payment_fee_bearer: 'shared',
      markdown_bearer: 'producer',
      settlement_cycle: 'monthly',
      consignment_days: 60,
      on_expiry: 'return',
      damage_liability: 'venue',
      loss_liability: 'venue',
      minimum_payout: { amount: 50_000, currency: 'IDR' },
    })
    const policy = policyFromConsignmentTerms(terms, {
      producerId: ids.producer,
      venueId: ids.venue,
      platformId: ids.platform,
    })
    expect(policy.rules.map((r) => [r.id, r.role, r.basis])).toEqual([
      ['payment_fee', 'payment_fee', 'gross'],
      ['venue_commission', 'venue', 'gross'],
      ['cooperative_fee', 'cooperative', 'gross'],
      ['platform_fee', 'platform', 'gross'],
      ['producer', 'producer', 'remainder'],
    ])
    expect(policy.rules[0]?.borne_by).toEqual([
      { rule: 'venue_commission', weight: 1 },
      { rule: 'producer', weight: 1 },
    ])
    expect(policy.markdown).toEqual({ borne_by: 'venue_commission', bps: 0 })
    expect(policy.taxes).toEqual([])
    expect(policy.id).toMatch(/^pol_/)
  })

  it('leaves out fees that are zero and carves PPN out for a VAT-registered producer', () => {
    const policy = batikPolicy(
      { cooperative_fee_bps: 0, platform_fee_bps: 0 },
      { producerVat: { registered: true } },
    )
    expect(policy.rules.map((r) => r.id)).toEqual(['payment_fee', 'venue_commission', 'producer'])
    expect(policy.taxes).toEqual([{ id: 'ppn', of: 'producer', bps: 1_100 }])
  })
})

describe('splitLine', () => {
  it('splits a Rp150.000 batik sold online, payment fee borne by the venue', () => {
    const split = splitLine(batikPolicy(), { ...line(150_000), paymentFee: idr(1_050) })
    expect(byRule(split)).toEqual({
      payment_fee: 1_050,
      venue_commission: 28_950,
      cooperative_fee: 3_000,
      platform_fee: 4_500,
      producer: 112_500,
    })
    const venue = split.shares.find((s) => s.rule === 'venue_commission')
    expect(venue?.explanation).toMatchObject({
      basis: 'gross',
      basisAmount: '150000',
      rate: { kind: 'percent', bps: 2_000 },
      adjustments: [{ kind: 'payment_fee', rule: 'payment_fee', amount: '-1050' }],
      exact: '28950',
      amount: 28_950,
      rounding: '0',
    })
  })

  it('shares an odd payment fee half and half, the leftover rupiah to the earlier rule', () => {
    const split = splitLine(batikPolicy({ payment_fee_bearer: 'shared' }), {
      ...line(150_000),
      paymentFee: idr(1_051),
    })
    expect(byRule(split)).toEqual({
      payment_fee: 1_051,
      venue_commission: 29_475,
      cooperative_fee: 3_000,
      platform_fee: 4_500,
      producer: 111_974,
    })
    const producer = split.shares.find((s) => s.rule === 'producer')
    expect(producer?.explanation.exact).toBe('223949/2')
    expect(producer?.explanation.rounding).toBe('-1/2')
  })

  it('takes the payment fee from the producer when it bears it', () => {
    const split = splitLine(batikPolicy({ payment_fee_bearer: 'producer' }), {
      ...line(150_000),
      paymentFee: idr(1_050),
    })
    expect(byRule(split)).toMatchObject({ venue_commission: 30_000, producer: 111_450 })
  })

  it('applies the commission tier of the unit price', () => {
    const policy = batikPolicy({
      commission: {
        kind: 'tiered',
        tiers: [
          { up_to: 100_000, bps: 2_500 },
          { up_to: null, bps: 1_500 },
        ],
      },
    })
    expect(byRule(splitLine(policy, line(50_000, 2))).venue_commission).toBe(25_000)
    expect(byRule(splitLine(policy, line(200_000))).venue_commission).toBe(30_000)
    const tier = splitLine(policy, line(200_000)).shares.find((s) => s.rule === 'venue_commission')
    expect(tier?.explanation.rate).toEqual({ kind: 'tier', bps: 1_500, up_to: null })
  })

  it('carves PPN out of a VAT-registered producer’s share only', () => {
    const registered = splitLine(batikPolicy({}, { producerVat: { registered: true } }), {
      ...line(150_000),
      paymentFee: idr(1_050),
    })
    // 112.500 includes 11 % PPN: 112.500 × 11/111 = 11.148,65…
    expect(byRule(registered)).toMatchObject({ producer: 101_351, ppn: 11_149 })
    const ppn = registered.shares.find((s) => s.rule === 'ppn')
    expect(ppn).toMatchObject({ role: 'tax', partyId: ids.producer })
    expect(ppn?.explanation).toMatchObject({
      basis: 'share',
      basisAmount: '112500',
      rate: { kind: 'tax_inclusive', bps: 1_100 },
    })
    const micro = splitLine(batikPolicy(), { ...line(150_000), paymentFee: idr(1_050) })
    expect(micro.shares.some((s) => s.role === 'tax')).toBe(false)
  })

  it('lets the venue bear a markdown, never below zero, or share it', () => {
    const sold = { ...line(120_000), markdown: { originalUnitPrice: idr(150_000) } }
    const noFees = { cooperative_fee_bps: 0, platform_fee_bps: 0 }
    // Rp30.000 off Rp150.000: whoever bears the markdown absorbs that discount (as
    // consignment's markdownPrice says); the venue's commission at the list price is 30.000.
    expect(byRule(splitLine(batikPolicy(noFees), sold))).toMatchObject({
      venue_commission: 0,
      producer: 120_000,
    })
    expect(
      byRule(splitLine(batikPolicy({ ...noFees, markdown_bearer: 'shared' }), sold)),
    ).toMatchObject({ venue_commission: 15_000, producer: 105_000 })
    expect(
      byRule(splitLine(batikPolicy({ ...noFees, markdown_bearer: 'producer' }), sold)),
    ).toMatchObject({ venue_commission: 30_000, producer: 90_000 })
    const small = { ...line(140_000), markdown: { originalUnitPrice: idr(150_000) } }
    const split = splitLine(batikPolicy(noFees), small)
    expect(byRule(split)).toMatchObject({ venue_commission: 20_000, producer: 120_000 })
    expect(
      split.shares.find((s) => s.rule === 'venue_commission')?.explanation.adjustments,
    ).toEqual([{ kind: 'markdown', amount: '-8000' }])
  })

  it('applies caps, flat fees per unit, net-of-fees bases and weighted remainders', () => {
    const policy = definePolicy({
      id: newId('pol'),
      version: 3,
      currency: 'IDR',
      rules: [
        {
          id: 'fee',
          role: 'payment_fee',
          party_id: ids.platform,
          basis: 'gross',
          rate: { kind: 'actual' },
        },
        {
          id: 'venue',
          role: 'venue',
          party_id: ids.venue,
          basis: 'net_of_fees',
          rate: { kind: 'percent', bps: 3_000 },
          cap: { amount: 10_000, per: 'unit' },
        },
        {
          id: 'platform',
          role: 'platform',
          party_id: ids.platform,
          basis: 'gross',
          rate: { kind: 'flat', amount: 500, per: 'unit' },
        },
        { id: 'producer', role: 'producer', party_id: ids.producer, basis: 'remainder', weight: 3 },
        { id: 'core', role: 'core_partner', party_id: ids.core, basis: 'remainder', weight: 1 },
      ],
    })
    const split = splitLine(policy, { ...line(50_000, 2), paymentFee: idr(1_000) })
    // venue: 30 % of 99.000 = 29.700, capped at 2 × 10.000; platform 2 × 500.
    expect(byRule(split)).toEqual({
      fee: 1_000,
      venue: 20_000,
      platform: 1_000,
      producer: 58_500,
      core: 19_500,
    })
    expect(split.shares.find((s) => s.rule === 'venue')?.explanation.adjustments).toEqual([
      { kind: 'cap', amount: '-9700' },
    ])
    expect(split.policyVersion).toBe(3)
  })

  it('splits a free line into zeros', () => {
    const split = splitLine(batikPolicy(), line(0))
    expect(split.shares.every((s) => s.amount.amount === 0)).toBe(true)
  })

  it('refuses a policy that takes more than the line, and bad input', () => {
    const greedy = definePolicy({
      id: newId('pol'),
      version: 1,
      currency: 'IDR',
      rules: [
        {
          id: 'venue',
          role: 'venue',
          party_id: ids.venue,
          basis: 'gross',
          rate: { kind: 'flat', amount: 200_000, per: 'line' },
        },
        { id: 'producer', role: 'producer', party_id: ids.producer, basis: 'remainder' },
      ],
    })
    expect(() => splitLine(greedy, line(150_000))).toThrow(
      expect.objectContaining({ code: 'split_exceeds_total' }),
    )
    expect(() => splitLine(batikPolicy(), { ...line(1_000), paymentFee: idr(2_000) })).toThrow(
      expect.objectContaining({ code: 'split_exceeds_total' }),
    )
    expect(() =>
      splitLine(batikPolicy(), {
        gross: { amount: 1, currency: 'USD' },
        quantity: 1,
        unitPrice: idr(1),
      }),
    ).toThrow(expect.objectContaining({ code: 'currency_mismatch' }))
    expect(() => splitLine(batikPolicy(), { ...line(1_000), quantity: 0 })).toThrow(MitraError)
  })
})

describe('definePolicy', () => {
  const base = (rules: SplitPolicyInput['rules'], extra: Partial<SplitPolicyInput> = {}) => ({
    id: newId('pol'),
    version: 1,
    currency: 'IDR',
    rules,
    ...extra,
  })
  const producer = {
    id: 'producer',
    role: 'producer',
    party_id: ids.producer,
    basis: 'remainder',
  } as const

  it.each([
    [
      'no remainder',
      base([
        {
          id: 'v',
          role: 'venue',
          party_id: ids.venue,
          basis: 'gross',
          rate: { kind: 'percent', bps: 1 },
        },
      ]),
    ],
    ['a duplicate rule', base([producer, producer])],
    [
      'a rate missing',
      base([{ id: 'v', role: 'venue', party_id: ids.venue, basis: 'gross' }, producer]),
    ],
    [
      'an actual rate that is not a fee',
      base([
        { id: 'v', role: 'venue', party_id: ids.venue, basis: 'gross', rate: { kind: 'actual' } },
        producer,
      ]),
    ],
    [
      'a fee borne by nobody known',
      base([
        {
          id: 'f',
          role: 'payment_fee',
          party_id: ids.platform,
          basis: 'gross',
          rate: { kind: 'actual' },
          borne_by: [{ rule: 'nobody', weight: 1 }],
        },
        producer,
      ]),
    ],
    [
      'tax of an unknown share',
      base([producer], { taxes: [{ id: 'ppn', of: 'nobody', bps: 1_100 }] }),
    ],
    [
      'a markdown borne by the remainder',
      base([producer], { markdown: { borne_by: 'producer', bps: 10_000 } }),
    ],
    [
      'falling tiers',
      base([
        {
          id: 'v',
          role: 'venue',
          party_id: ids.venue,
          basis: 'gross',
          rate: {
            kind: 'tiered',
            tiers: [
              { up_to: 10, bps: 1 },
              { up_to: 5, bps: 1 },
              { up_to: null, bps: 1 },
            ],
          },
        },
        producer,
      ]),
    ],
  ] as [string, SplitPolicyInput][])('refuses %s as invalid_policy', (_, input) => {
    expect(() => definePolicy(input)).toThrow(expect.objectContaining({ code: 'invalid_policy' }))
  })
})

describe('reverseShares', () => {
  const split = splitLine(batikPolicy(), { ...line(50_000, 3), paymentFee: idr(1_051) })

  it('reverses units returned one by one to exactly the original shares', () => {
    const first = reverseShares(split, { quantity: 1 })
    const second = reverseShares(split, { quantity: 1 }, [first])
    const third = reverseShares(split, { quantity: 1 }, [first, second])
    expect(third.reversedFraction).toBe('1/1')
    split.shares.forEach((share, index) => {
      const back = [first, second, third].reduce(
        (acc, r) => acc + (r.shares[index]?.amount.amount ?? 0),
        0,
      )
      expect(back).toBe(-share.amount.amount)
    })
    expect(first.amount.amount + second.amount.amount + third.amount.amount).toBe(150_000)
  })

  it('reverses a refund amount over the shares with allocate', () => {
    const refund = reverseShares(split, { amount: idr(15_000) })
    expect(refund.shares.reduce((acc, s) => acc + s.amount.amount, 0)).toBe(-15_000)
    expect(refund.shares.every((s) => s.amount.amount <= 0)).toBe(true)
    expect(refund.reversedFraction).toBe('1/10')
  })

  it('refuses to reverse more than remains', () => {
    const all = reverseShares(split, { fraction: { numerator: 1, denominator: 1 } })
    expect(() => reverseShares(split, { amount: idr(1) }, [all])).toThrow(
      expect.objectContaining({ code: 'reversal_exceeds_original' }),
    )
    expect(() => reverseShares(split, { quantity: 4 })).toThrow(
      expect.objectContaining({ code: 'reversal_exceeds_original' }),
    )
  })
})
