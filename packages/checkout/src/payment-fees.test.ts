import { money } from '@mitra/core'
import { journalLines } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { defaultFeeSchedule, paymentFeeOf } from '@mitra/payments'
import { platformParty, trialBalance } from '@mitra/revenue-share'
import { eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { getOrder } from './orders.js'
import { reconcilePendingOrders } from './payments.js'
import { checkoutTestbed, delivered, deliveryAt, demoSessionOf, shop } from './testing.js'

describe.each(testDatabaseKinds())('the payment fee of a demo payment on %s', (kind) => {
  const database = useTestDatabase(kind)
  const { clock, demo, registry, ordered, deliver, sessionOf } = checkoutTestbed(
    () => database().db,
  )

  /** The payment-fee shares posted for an order's sale lines, and who they went to. */
  async function paymentFeeShares(orderId: string, producerId: string) {
    const { db } = database()
    const order = await getOrder(db, { partyId: producerId }, orderId)
    const saleLineIds = order.lines.map((line) => line.sale_line_id as string)
    const lines = await db
      .select()
      .from(journalLines)
      .where(inArray(journalLines.saleLineId, saleLineIds))
    return { order, fees: lines.filter((line) => line.shareRole === 'payment_fee') }
  }

  it('posts the QRIS fee the buyer chose to pay with, and charges the buyer the order total', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    await deliveryAt(db, s, 12_500)
    const order = await ordered(s, 2, delivered)
    // Rp200.000 of goods and Rp12.500 of delivery: the total, with no fee added.
    expect(order.total).toEqual(money(212_500, 'IDR'))
    const session = demoSessionOf(demo, order.id)
    expect(session?.total).toBe(212_500)
    // 0.7 % of Rp212.500 is Rp1.487,5: half up, Rp1.488.
    const fee = paymentFeeOf(defaultFeeSchedule, 'qris', order.total)
    expect(fee).toEqual(money(1_488, 'IDR'))
    const page = await demo.renderPaymentPage(sessionOf(order.id))
    expect(page).toContain('QRIS — fee Rp1.488')
    expect(page).toContain('Pay Rp212.500 (demo)')

    const hook = await demo.complete(sessionOf(order.id), 'pay', 'qris')
    expect(JSON.parse(hook.body)).toMatchObject({ amount: 212_500, fee: 1_488 })
    expect((await deliver(hook)).outcome).toBe('paid')

    const { order: paid, fees } = await paymentFeeShares(order.id, s.producer.id)
    expect(paid.status).toBe('paid')
    expect(paid.paid_amount).toEqual(order.total)
    expect(paid.payment_fee).toEqual(fee)
    // The whole order's fee, spread over its lines, credited to the platform that holds the
    // provider account (a credit is negative).
    const platformId = await platformParty(db)
    expect(fees.length).toBeGreaterThan(0)
    expect(
      fees.every((line) => line.partyId === platformId && line.purpose === 'payment_fees'),
    ).toBe(true)
    expect(fees.reduce((sum, line) => sum + line.amount, 0)).toBe(-1_488)
    for (const row of await trialBalance(db)) expect(row.total.amount).toBe(0)
  })

  it('posts the fee of the method chosen, also when the status is read instead of a webhook', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await ordered(s, 2)
    // The buyer paid by virtual account; the webhook never arrived.
    await demo.complete(sessionOf(order.id), 'pay', 'virtual_account')
    const later = new Date(clock.now.getTime() + 11 * 60_000)
    const run = await reconcilePendingOrders(db, registry, { now: later })
    expect(run.applied.find((a) => a.orderId === order.id)?.outcome).toBe('paid')

    const { order: paid, fees } = await paymentFeeShares(order.id, s.producer.id)
    expect(paid.paid_amount).toEqual(money(200_000, 'IDR'))
    expect(paid.payment_fee).toEqual(money(4_000, 'IDR'))
    expect(fees.reduce((sum, line) => sum + line.amount, 0)).toBe(-4_000)
  })

  it('posts no payment fee when the payment did not go through', async () => {
    const { db } = database()
    const s = await shop(db, 5)
    const order = await ordered(s, 1)
    expect((await deliver(await demo.complete(sessionOf(order.id), 'fail'))).outcome).toBe(
      'canceled',
    )
    const failed = await getOrder(db, { partyId: s.producer.id }, order.id)
    expect(failed.payment_fee).toBeNull()
    expect(failed.lines.every((line) => line.sale_line_id === null)).toBe(true)
    const anyFee = await db
      .select()
      .from(journalLines)
      .where(eq(journalLines.partyId, s.producer.id))
    expect(anyFee).toEqual([])
  })
})
