import { isMitraError, type Money, money, newId } from '@mitra/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { idr } from '../testing.js'
import { purchaseEntry } from './entries.js'
import {
  agreedItem,
  agreedPrices,
  type DeductionClaim,
  intiPlasmaPartnershipInputSchema,
  intiPlasmaPurchaseInputSchema,
  planDeductions,
  purchaseAmount,
} from './terms.js'

function failure(run: () => unknown) {
  try {
    run()
  } catch (error) {
    if (isMitraError(error)) {
      return { status: error.status, code: error.code, paths: error.errors.map((e) => e.path) }
    }
    throw error
  }
  throw new Error('expected a failure')
}

const variant = newId('var')
const prices = agreedPrices('IDR', [
  { variant_id: variant, unit_price: idr(120_000) },
  { description: 'Kain batik cap 2 m', unit_price: idr(85_000) },
])

describe('agreed prices', () => {
  it('stores each item once, in the partnership currency', () => {
    expect(prices).toEqual([
      { variant_id: variant, description: null, unit_price: 120_000 },
      { variant_id: null, description: 'Kain batik cap 2 m', unit_price: 85_000 },
    ])
    expect(
      failure(() =>
        agreedPrices('IDR', [
          { description: 'Topeng kayu', unit_price: idr(1) },
          { description: ' topeng KAYU ', unit_price: idr(2) },
        ]),
      ),
    ).toMatchObject({ status: 422, paths: ['prices.1.description'] })
    expect(
      failure(() => agreedPrices('IDR', [{ variant_id: variant, unit_price: money(1, 'USD') }])),
    ).toMatchObject({ status: 422, paths: ['prices.0.unit_price.currency'] })
  })

  it('names the field of an item that is neither or both a variant and a description', () => {
    const base = {
      producer_id: newId('pty'),
      currency: 'IDR',
      max_deduction_bps: 3_000,
    }
    const neither = intiPlasmaPartnershipInputSchema.safeParse({
      ...base,
      prices: [{ unit_price: idr(1) }],
    })
    expect(neither.error?.issues[0]?.path).toEqual(['prices', 0, 'variant_id'])
    const both = intiPlasmaPurchaseInputSchema.safeParse({
      variant_id: variant,
      description: 'x',
      quantity: 1,
    })
    expect(both.error?.issues[0]?.path).toEqual(['description'])
    const free = intiPlasmaPartnershipInputSchema.safeParse({
      ...base,
      prices: [{ description: 'Gratis', unit_price: idr(0) }],
    })
    expect(free.error?.issues[0]?.path).toEqual(['prices', 0, 'unit_price', 'amount'])
    const share = intiPlasmaPartnershipInputSchema.safeParse({
      ...base,
      max_deduction_bps: 10_001,
      prices: [{ description: 'x', unit_price: idr(1) }],
    })
    expect(share.error?.issues[0]?.path).toEqual(['max_deduction_bps'])
  })

  it('finds the agreed price by variant or description and refuses any other price', () => {
    expect(agreedItem(prices, 'IDR', { variant_id: variant })).toMatchObject({ index: 0 })
    expect(
      agreedItem(prices, 'IDR', { description: 'kain batik CAP 2 m', unit_price: idr(85_000) }),
    ).toMatchObject({ index: 1, price: { unit_price: 85_000 } })
    expect(
      failure(() => agreedItem(prices, 'IDR', { variant_id: variant, unit_price: idr(100_000) })),
    ).toEqual({ status: 422, code: 'price_not_allowed', paths: ['unit_price'] })
    expect(
      failure(() =>
        agreedItem(prices, 'IDR', { variant_id: variant, unit_price: money(120_000, 'USD') }),
      ),
    ).toMatchObject({ code: 'price_not_allowed' })
    expect(failure(() => agreedItem(prices, 'IDR', { variant_id: newId('var') }))).toMatchObject({
      status: 422,
      paths: ['variant_id'],
    })
    expect(failure(() => agreedItem(prices, 'IDR', { description: 'Malam' }))).toMatchObject({
      paths: ['description'],
    })
  })

  it('multiplies exactly and refuses amounts beyond safe integers', () => {
    expect(purchaseAmount(85_000, 40, 'IDR')).toEqual(idr(3_400_000))
    expect(failure(() => purchaseAmount(Number.MAX_SAFE_INTEGER, 2, 'IDR'))).toMatchObject({
      code: 'amount_overflow',
    })
  })

  it('posts a purchase as a balanced sale: the producer is owed what the core partner owes', () => {
    const entry = purchaseEntry({
      sourceId: newId('dlv'),
      producerId: 'pty_p',
      corePartnerId: 'pty_c',
      amount: idr(3_400_000),
      agreementId: 'ctr_x',
    })
    expect(entry.kind).toBe('sale')
    expect(entry.lines.map((l) => [l.partyId, l.purpose, l.amount, l.counterpartyId])).toEqual([
      ['pty_c', 'purchases_receivable', 3_400_000, 'pty_p'],
      ['pty_p', 'awaiting_collection', -3_400_000, 'pty_c'],
    ])
    expect(() =>
      purchaseEntry({
        sourceId: 'dlv_x',
        producerId: 'pty_p',
        corePartnerId: 'pty_c',
        agreementId: 'ctr_x',
        amount: idr(0),
      }),
    ).toThrow()
  })
})

describe('planDeductions', () => {
  const claim = (outstanding: number, maxShareBps: number, id = newId('ctr')) => ({
    partnershipId: id,
    outstanding: idr(outstanding),
    maxShareBps,
  })
  const amounts = (plan: { amount: Money }[]) => plan.map((p) => p.amount.amount)

  it('takes up to the agreed share of the settlement, never more than is outstanding', () => {
    expect(amounts(planDeductions([claim(400_000, 3_000)], idr(1_000_000)))).toEqual([300_000])
    expect(amounts(planDeductions([claim(100_000, 3_000)], idr(1_000_000)))).toEqual([100_000])
    expect(amounts(planDeductions([claim(0, 3_000)], idr(1_000_000)))).toEqual([0])
    // Rounded down: the producer keeps the odd rupiah.
    expect(amounts(planDeductions([claim(400_000, 3_333)], idr(1_001)))).toEqual([333])
    expect(amounts(planDeductions([claim(400_000, 3_000)], idr(-5)))).toEqual([0])
  })

  it('serves claims in order, each on the whole settlement, together at most what is owed', () => {
    // 60 % + 60 % of 100.000: the first takes its 60.000, the second the 40.000 left.
    expect(
      amounts(planDeductions([claim(500_000, 6_000), claim(500_000, 6_000)], idr(100_000))),
    ).toEqual([60_000, 40_000])
    // A repaid first claim leaves the whole share to the next.
    expect(amounts(planDeductions([claim(0, 6_000), claim(500_000, 2_000)], idr(100_000)))).toEqual(
      [0, 20_000],
    )
  })

  it('holds its bounds for any claims (property)', () => {
    const claims = fc.array(
      fc.record({
        outstanding: fc.integer({ min: 0, max: 10_000_000 }),
        bps: fc.integer({ min: 0, max: 10_000 }),
      }),
      { maxLength: 6 },
    )
    fc.assert(
      fc.property(claims, fc.integer({ min: 0, max: 50_000_000 }), (cs, owed) => {
        const input: DeductionClaim[] = cs.map((c) => claim(c.outstanding, c.bps))
        const plan = planDeductions(input, idr(owed))
        let left = owed
        plan.forEach((step, i) => {
          const c = cs[i] as { outstanding: number; bps: number }
          const share = Math.floor((owed * c.bps) / 10_000)
          expect(step.amount.amount).toBeGreaterThanOrEqual(0)
          expect(step.amount.amount).toBeLessThanOrEqual(c.outstanding)
          expect(step.amount.amount).toBeLessThanOrEqual(share)
          // Greedy: a claim gets all it may unless nothing is left.
          expect(step.amount.amount).toBe(Math.min(c.outstanding, share, left))
          left -= step.amount.amount
        })
        expect(left).toBeGreaterThanOrEqual(0)
      }),
    )
  })
})
