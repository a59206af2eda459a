import type { ConsignmentTermsInput } from '@mitra/consignment'
import { sampleTerms } from '@mitra/consignment/testing'
import { money } from '@mitra/core'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { defaultFeeSchedule, paymentFeeOf } from '@mitra/payments'
import type { PostedConsignmentSale } from '@mitra/revenue-share'
import { describe, expect, it } from 'vitest'
import { partners, receipt, stockUp } from '../../consignment/src/stock/testing.js'
import { sellAtCounter } from './counter-sales.js'

const day = 86_400_000
/** 20 % off after 30 days on consignment. */
const markdownTerms: ConsignmentTermsInput = {
  ...sampleTerms,
  on_expiry: 'markdown',
  markdown_schedule: [{ after_days: 30, percent_off_bps: 2_000 }],
}

/** What a posted sale came to, and the payment fee its split carries. */
function totals(posted: PostedConsignmentSale) {
  const total = posted.sale.lines.reduce(
    (sum, line) => sum + line.unit_price.amount * line.quantity,
    0,
  )
  const fee = posted.lines
    .flatMap((line) => line.split.shares)
    .filter((share) => share.role === 'payment_fee')
    .reduce((sum, share) => sum + share.amount.amount, 0)
  return { total, fee }
}

describe.each(testDatabaseKinds())('sellAtCounter on %s', (kind) => {
  const database = useTestDatabase(kind)
  const now = new Date('2026-11-20T03:00:00Z')
  const options = { feeSchedule: defaultFeeSchedule, now }

  it('takes the fee on the marked-down price the sale charges', async () => {
    const { db } = database()
    const { producer, venue, variants } = await partners(db, { terms: markdownTerms })
    const variantId = variants[0] as string
    // 40 days on consignment: Rp100.000 less 20 % for every unit of a line that starts there.
    await stockUp(
      db,
      producer,
      venue,
      [{ variant_id: variantId, quantity: 2 }],
      new Date(now.getTime() - 40 * day),
    )
    await stockUp(db, producer, venue, [{ variant_id: variantId, quantity: 5 }], now)
    const posted = await sellAtCounter(
      db,
      venue.staff,
      {
        venue_id: venue.id,
        receipt_number: receipt(),
        channel: 'qris',
        lines: [{ variant_id: variantId, quantity: 3 }],
      },
      options,
    )
    expect(posted.sale.lines[0]?.unit_price).toMatchObject({ amount: 80_000 })
    // 0.7 % of Rp240.000.
    expect(totals(posted)).toEqual({ total: 240_000, fee: 1_680 })

    // The rest sells at the full price: the oldest lot left is new.
    const later = await sellAtCounter(
      db,
      venue.staff,
      {
        venue_id: venue.id,
        receipt_number: receipt(),
        channel: 'qris',
        lines: [{ variant_id: variantId, quantity: 4 }],
      },
      { ...options, merchantClass: 'umi' },
    )
    expect(totals(later)).toEqual({ total: 400_000, fee: 1_200 }) // UMi: 0.3 %
  })

  it('charges every one of many QRIS sales racing for marked-down stock the fee of what it sold', async () => {
    const { db } = database()
    const { producer, venue, variants } = await partners(db, { terms: markdownTerms })
    const variantId = variants[0] as string
    await stockUp(
      db,
      producer,
      venue,
      [{ variant_id: variantId, quantity: 4 }],
      new Date(now.getTime() - 40 * day),
    )
    await stockUp(db, producer, venue, [{ variant_id: variantId, quantity: 8 }], now)
    const sales = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        sellAtCounter(
          db,
          venue.staff,
          {
            venue_id: venue.id,
            receipt_number: receipt(),
            channel: 'qris',
            lines: [{ variant_id: variantId, quantity: 1 }],
          },
          options,
        ),
      ),
    )
    const made = sales.flatMap((sale) => (sale.status === 'fulfilled' ? [sale.value] : []))
    // Prices that keep moving may refuse a sale (409, record it again); none is mispriced.
    for (const sale of sales) {
      if (sale.status === 'rejected') expect(sale.reason).toMatchObject({ code: 'conflict' })
    }
    expect(made.length).toBeGreaterThan(0)
    for (const posted of made) {
      const { total, fee } = totals(posted)
      expect(fee).toBe(paymentFeeOf(defaultFeeSchedule, 'qris', money(total, 'IDR')).amount)
    }
    expect(made.map((posted) => totals(posted).total).sort()).toEqual(
      [...Array(4).fill(80_000), ...Array(8).fill(100_000)].slice(0, made.length).sort(),
    )
  })

  it('posts no fee for cash, nor for a UMi QRIS sale up to Rp100.000', async () => {
    const { db } = database()
    const { producer, venue, variants } = await partners(db)
    const variantId = variants[0] as string
    await stockUp(db, producer, venue, [{ variant_id: variantId, quantity: 3 }], now)
    const sale = (channel: 'cash' | 'qris') => ({
      venue_id: venue.id,
      receipt_number: receipt(),
      channel,
      lines: [{ variant_id: variantId, quantity: 1 }],
    })
    expect(totals(await sellAtCounter(db, venue.staff, sale('cash'), options))).toEqual({
      total: 100_000,
      fee: 0,
    })
    const umi = await sellAtCounter(db, venue.staff, sale('qris'), {
      ...options,
      merchantClass: 'umi',
    })
    expect(totals(umi)).toEqual({ total: 100_000, fee: 0 })
    const regular = await sellAtCounter(db, venue.staff, sale('qris'), options)
    expect(totals(regular)).toEqual({ total: 100_000, fee: 700 })
  })
})
