import { testDatabaseKinds } from '@mitra/db/testing'
import { paymentProvidersFromEnv } from '@mitra/payments'
import { describe, expect, it } from 'vitest'
import { type TestParty, useTestApi } from '../test-support.js'

interface Share {
  role: string
  party_id: string
  amount: number
}

/** The payment-fee shares of a posted sale, over all its lines. */
const feeOf = (json: { postings: { shares: Share[] }[] }) =>
  json.postings
    .flatMap((posting) => posting.shares)
    .filter((share) => share.role === 'payment_fee')
    .reduce((sum, share) => sum + share.amount, 0)

const product = { title: 'Kain tenun', category: 'textile', sku: 'KT-1250', price: 12_500 }

describe.each(testDatabaseKinds())('counter sales with their payment fee on %s', (kind) => {
  const api = useTestApi(kind)

  async function stocked(units: number) {
    const platformId = await api.platform()
    const partnership = await api.partnership(product)
    const received = await api.deliver(
      partnership.producer,
      partnership.venue,
      partnership.variantId,
      units,
    )
    expect(received.status).toBe(200)
    return { ...partnership, platformId }
  }

  const sell = (venue: TestParty, body: Record<string, unknown>) =>
    api.call('POST', '/v1/admin/sales', {
      token: venue.secret,
      body: { venue_id: venue.id, ...body },
    })

  it('splits a QRIS sale with 0.7 % of its total as the payment fee, and a cash sale with none', async () => {
    const { venue, variantId, platformId } = await stocked(20)
    const qris = await sell(venue, {
      receipt_number: 'NOTA-Q1',
      channel: 'qris',
      lines: [{ variant_id: variantId, quantity: 3 }],
    })
    expect(qris.status).toBe(201)
    // 3 × Rp12.500 = Rp37.500; 0.7 % is Rp262,5, rounded half up to Rp263.
    expect(feeOf(qris.json)).toBe(263)
    const shares: Share[] = qris.json.postings[0].shares
    expect(shares.find((share) => share.role === 'payment_fee')).toMatchObject({
      party_id: platformId,
      amount: 263,
    })
    // The shares still add up to what the buyer paid: the fee comes out of them.
    expect(shares.reduce((sum, share) => sum + share.amount, 0)).toBe(37_500)

    const cash = await sell(venue, {
      receipt_number: 'NOTA-C1',
      channel: 'cash',
      lines: [{ variant_id: variantId, quantity: 3 }],
    })
    expect(cash.status).toBe(201)
    expect(feeOf(cash.json)).toBe(0)
    expect(
      cash.json.postings[0].shares.filter((s: Share) => s.role === 'payment_fee' && s.amount !== 0),
    ).toEqual([])
    expect(
      cash.json.postings[0].shares.reduce((sum: number, share: Share) => sum + share.amount, 0),
    ).toBe(37_500)
    // The sample terms share the fee between the venue and the producer: together their
    // shares of the QRIS sale are the fee less than of the same sale in cash.
    const shareOf = (json: { postings: { shares: Share[] }[] }, role: string) =>
      json.postings[0]?.shares.find((share) => share.role === role)?.amount ?? 0
    const producerBore = shareOf(cash.json, 'producer') - shareOf(qris.json, 'producer')
    const venueBore = shareOf(cash.json, 'venue') - shareOf(qris.json, 'venue')
    expect(producerBore + venueBore).toBe(263)
    expect(Math.abs(producerBore - venueBore)).toBeLessThanOrEqual(1)
  })

  it('charges a micro merchant (UMi) nothing up to Rp100.000 and 0.3 % above', async () => {
    const { venue, variantId } = await stocked(20)
    const small = await sell(venue, {
      receipt_number: 'NOTA-U1',
      channel: 'qris',
      qris_merchant_class: 'umi',
      lines: [{ variant_id: variantId, quantity: 8 }],
    })
    expect(small.status).toBe(201)
    expect(feeOf(small.json)).toBe(0) // Rp100.000 exactly
    const large = await sell(venue, {
      receipt_number: 'NOTA-U2',
      channel: 'qris',
      qris_merchant_class: 'umi',
      // The price given (the producer's) is the price charged.
      lines: [
        { variant_id: variantId, quantity: 9, unit_price: { amount: 12_500, currency: 'IDR' } },
      ],
    })
    expect(large.status).toBe(201)
    expect(feeOf(large.json)).toBe(338) // 0.3 % of Rp112.500 = Rp337,5
    const regular = await sell(venue, {
      receipt_number: 'NOTA-R1',
      channel: 'qris',
      qris_merchant_class: 'regular',
      lines: [{ variant_id: variantId, quantity: 2 }],
    })
    expect(feeOf(regular.json)).toBe(175) // 0.7 % of Rp25.000
  })

  it('refuses a merchant class on a cash sale, and still answers the sale’s own errors', async () => {
    const { venue, variantId } = await stocked(2)
    const cash = await sell(venue, {
      receipt_number: 'NOTA-X1',
      channel: 'cash',
      qris_merchant_class: 'umi',
      lines: [{ variant_id: variantId, quantity: 1 }],
    })
    expect(cash.status).toBe(422)
    expect(cash.json.errors.map((e: { path: string }) => e.path)).toContain('qris_merchant_class')
    const unknownClass = await sell(venue, {
      receipt_number: 'NOTA-X2',
      channel: 'qris',
      qris_merchant_class: 'large',
      lines: [{ variant_id: variantId, quantity: 1 }],
    })
    expect(unknownClass.status).toBe(422)

    const oversold = await sell(venue, {
      receipt_number: 'NOTA-X3',
      channel: 'qris',
      lines: [{ variant_id: variantId, quantity: 3 }],
    })
    expect(oversold.status).toBe(409)
    expect(oversold.json).toMatchObject({ code: 'insufficient_stock', available: 2 })
    const other = await api.partnership(product)
    const notStocked = await sell(venue, {
      receipt_number: 'NOTA-X4',
      channel: 'qris',
      lines: [{ variant_id: other.variantId, quantity: 1 }],
    })
    expect(notStocked.status).toBeGreaterThanOrEqual(400)
    expect(notStocked.status).toBeLessThan(500)
    const elsewhere = await sell(other.venue, {
      venue_id: venue.id,
      receipt_number: 'NOTA-X5',
      channel: 'qris',
      lines: [{ variant_id: variantId, quantity: 1 }],
    })
    expect(elsewhere.status).toBe(404)
  })
})

describe.each(testDatabaseKinds())(
  'counter sales under a configured fee schedule on %s',
  (kind) => {
    const payments = paymentProvidersFromEnv(
      { MITRA_PAYMENT_FEES: '{"qris":{"regular":{"bps":100},"umi":{"bps":50,"free_up_to":0}}}' },
      { baseUrl: 'http://shop.test' },
    )
    const api = useTestApi(kind, { payments })

    it('splits a QRIS sale with the schedule the payment providers were given', async () => {
      await api.platform()
      const { venue, producer, variantId } = await api.partnership(product)
      await api.deliver(producer, venue, variantId, 5)
      const sold = await api.call('POST', '/v1/admin/sales', {
        token: venue.secret,
        body: {
          venue_id: venue.id,
          receipt_number: 'NOTA-1',
          channel: 'qris',
          lines: [{ variant_id: variantId, quantity: 2 }],
        },
      })
      expect(sold.status).toBe(201)
      expect(feeOf(sold.json)).toBe(250) // 1 % of Rp25.000
    })
  },
)
