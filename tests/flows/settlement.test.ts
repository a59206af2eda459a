import { platformRemittanceTerms } from '@mitra/consignment/testing'
import { testDatabaseKinds } from '@mitra/db/testing'
import { paymentProvidersFromEnv } from '@mitra/payments'
import { type TestParty, useTestApi } from '@mitra/server/testing'
import { describe, expect, it } from 'vitest'

/*
 * One consignment month at a café over HTTP, as an integrator runs it: three cash sales at
 * the counter, six online sales paid by QRIS through the demo provider (its fee in every
 * split), one refund with the goods back on the shelf. Every view reads the ledger: the
 * café's "what I owe", the producer's balance and its statement agree to the rupiah; the
 * settlement nets, asks for the rest, and pays out only what was collected.
 */

const price = 350_000

describe.each(testDatabaseKinds())('a month at a café over HTTP on %s', (kind) => {
  const payments = paymentProvidersFromEnv(
    { MITRA_DEMO_WEBHOOK_SECRET: 'settlement-flow-secret' },
    { baseUrl: 'http://shop.test' },
  )
  const api = useTestApi(kind, { payments, baseUrl: 'http://shop.test' })

  it('settles the cash the café holds before anyone is paid it, and pays out what was collected', async () => {
    await api.platform()
    const platform = await api.platformOwner()
    const { producer, venue, agreementId, variantId } = await api.partnership(
      { title: 'Batik tulis Gemawang', category: 'batik', sku: 'BTG-350', price },
      platformRemittanceTerms,
    )
    await api.deliver(producer, venue, variantId, 10)
    for (let i = 0; i < 3; i++) {
      const sale = await api.call('POST', '/v1/admin/sales', {
        token: venue.secret,
        body: {
          venue_id: venue.id,
          receipt_number: `KB9/12/${i}`,
          channel: 'cash',
          lines: [{ variant_id: variantId, quantity: 1 }],
        },
      })
      expect(sale.status).toBe(201)
    }
    const orders: string[] = []
    for (let i = 0; i < 6; i++) {
      const pk = venue.publishable
      const cart = await api.call('POST', '/v1/store/carts', { token: pk })
      await api.call('POST', `/v1/store/carts/${cart.json.id}/lines`, {
        token: pk,
        body: { variant_id: variantId, venue_id: venue.id, quantity: 1 },
      })
      const order = await api.call('POST', `/v1/store/carts/${cart.json.id}/checkout`, {
        token: pk,
        body: { fulfilment: 'pickup', customer: { name: `Pembeli ${i}` }, provider: 'demo' },
      })
      expect(order.status).toBe(201)
      const paid = await api.call('POST', `${new URL(order.json.redirect_url).pathname}/pay`)
      expect(paid.status).toBe(303)
      orders.push(order.json.id)
    }
    const refund = await api.call('POST', `/v1/admin/orders/${orders[0]}/refunds`, {
      token: venue.secret,
      body: { reason: 'Warna tidak sesuai', goods: 'restock' },
    })
    expect(refund.status).toBe(201)

    // QRIS 0.7 % on Rp350.000 is Rp2.450, borne by the producer: its share of an online sale
    // is Rp277.550, of a cash sale Rp280.000.
    const get = (path: string, who: TestParty | { secret: string }) =>
      api.call('GET', path, { token: who.secret })
    const stock = await get('/v1/admin/stock/venue', venue)
    expect(stock.json.producers).toMatchObject([
      { producer_id: producer.id, on_hand: 2, sold: 9, owed: [{ amount: { amount: 840_000 } }] },
    ])
    const balance = await get('/v1/admin/balance', producer)
    expect(balance.json).toMatchObject({
      owed: { amount: 5 * 277_550 + 3 * 280_000 },
      payable: { amount: 5 * 277_550 },
      awaiting: [{ party_id: venue.id, amount: { amount: 840_000 } }],
    })
    const period = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7)
    const [year, month] = period.split('-').map(Number) as [number, number]
    const from = new Date(Date.UTC(year, month - 1, 1) - 7 * 3_600_000).toISOString()
    const to = new Date(Date.UTC(year, month, 1) - 7 * 3_600_000).toISOString()
    const statement = await get(
      `/v1/admin/agreements/${agreementId}/statement?from=${from}&to=${to}`,
      producer,
    )
    // The statement and the balance read the same lines.
    expect(statement.json.statement.closing_balance).toEqual(balance.json.owed)

    // Nothing the café holds can be paid out before it is handed over.
    const settled = await api.call('POST', '/v1/admin/settlements', {
      token: platform.secret,
      body: { minimum: 1 },
    })
    expect(settled.status).toBe(201)
    const venueCommissionOnline = 5 * 70_000
    expect(settled.json.holders).toMatchObject([
      { party_id: venue.id, netted: { amount: venueCommissionOnline } },
    ])
    const paidFirst = settled.json.payouts.reduce(
      (sum: number, p: { amount: { amount: number } }) => sum + p.amount.amount,
      0,
    )
    expect(settled.json.payouts).toMatchObject([
      { party_id: producer.id, amount: { amount: 5 * 277_550 + venueCommissionOnline } },
    ])
    const [dueId] = settled.json.remittance_ids as [string]
    const due = await get(`/v1/admin/remittances/${dueId}`, venue)
    expect(due.json).toMatchObject({
      to_party_id: expect.any(String),
      route: 'platform',
      amount: { amount: 840_000 - venueCommissionOnline },
      status: 'due',
    })
    const readBack = await get(`/v1/admin/settlements/${settled.json.id}`, platform)
    expect(readBack.json.remittance_ids).toEqual([dueId])

    // Over what is due: 409 with the amount due, nothing recorded.
    const over = await api.call('POST', `/v1/admin/remittances/${dueId}/record`, {
      token: venue.secret,
      body: { amount: { amount: 490_001, currency: 'IDR' }, method: 'transfer', reference: 'x' },
    })
    expect(over.status).toBe(409)
    expect(over.json).toMatchObject({
      code: 'remittance_exceeds_due',
      amount_due: { amount: 490_000 },
      errors: [{ path: 'amount.amount' }],
    })
    const recorded = await api.call('POST', `/v1/admin/remittances/${dueId}/record`, {
      token: venue.secret,
      body: { method: 'transfer', reference: 'BCA 1206-0042' },
      idempotencyKey: `remit-${dueId}`,
    })
    expect(recorded.json.status).toBe('recorded')
    // The same request again (a retry): the same answer, recorded once.
    const retried = await api.call('POST', `/v1/admin/remittances/${dueId}/record`, {
      token: venue.secret,
      body: { method: 'transfer', reference: 'BCA 1206-0042' },
      idempotencyKey: `remit-${dueId}`,
    })
    expect(retried.json).toEqual(recorded.json)
    const confirmed = await api.call('POST', `/v1/admin/remittances/${dueId}/confirm`, {
      token: platform.secret,
    })
    expect(confirmed.json.status).toBe('confirmed')

    const second = await api.call('POST', '/v1/admin/settlements', {
      token: platform.secret,
      body: { minimum: 1 },
    })
    expect(second.json.payouts).toMatchObject([
      { party_id: producer.id, amount: { amount: 490_000 } },
    ])
    for (const payout of [...settled.json.payouts, ...second.json.payouts]) {
      const manual = await api.call('POST', `/v1/admin/payouts/${payout.payout_id}/manual`, {
        token: platform.secret,
        body: { reference: `BRI ${payout.payout_id}` },
      })
      expect(manual.json.status).toBe('paid')
    }

    // The producer has its eight shares, nothing is held, in transit or left in the funds:
    // the platform paid out exactly what it collected.
    const after = await get('/v1/admin/balance', producer)
    expect(after.json).toMatchObject({
      owed: { amount: 0 },
      in_transit: { amount: 0 },
      awaiting: [],
    })
    expect(paidFirst + 490_000).toBe(5 * 277_550 + 3 * 280_000)
    const cafe = await get('/v1/admin/balance', venue)
    expect(cafe.json).toMatchObject({ owed: { amount: 0 }, holds: { amount: 0 }, owes: [] })
    expect(
      cafe.json.accounts.find((a: { purpose: string }) => a.purpose === 'cash_at_venue').balance,
    ).toEqual({ amount: 0, currency: 'IDR' })
    const operator = await get('/v1/admin/balance', platform)
    expect(operator.json.funds).toEqual({ amount: 0, currency: 'IDR' })
    const list = await get('/v1/admin/settlements', platform)
    expect(list.json.data.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining([settled.json.id, second.json.id]),
    )
  })

  it('lets the café pay what it owes through a payment link: confirmed by the provider, its fee borne by the café', async () => {
    await api.platform()
    const platform = await api.platformOwner()
    const { producer, venue, variantId } = await api.partnership(
      { title: 'Madu hutan', category: 'honey', sku: 'MDH-1', price: 100_000 },
      platformRemittanceTerms,
    )
    await api.deliver(producer, venue, variantId, 2)
    await api.call('POST', '/v1/admin/sales', {
      token: venue.secret,
      body: {
        venue_id: venue.id,
        receipt_number: 'KB9/LINK/1',
        channel: 'cash',
        lines: [{ variant_id: variantId, quantity: 2 }],
      },
    })
    const settled = await api.call('POST', '/v1/admin/settlements', {
      token: platform.secret,
      body: { minimum: 1 },
    })
    const dueId = (
      await api.call('GET', '/v1/admin/remittances?direction=from&status=due', {
        token: venue.secret,
      })
    ).json.data.find((r: { settlement_id: string }) => r.settlement_id === settled.json.id).id
    // Only the café that owes it opens its link; to anyone else it does not exist.
    const theirs = await api.call('POST', `/v1/admin/remittances/${dueId}/payment_link`, {
      token: producer.secret,
      body: { provider: 'demo' },
    })
    expect(theirs.status).toBe(404)
    const link = await api.call('POST', `/v1/admin/remittances/${dueId}/payment_link`, {
      token: venue.secret,
      body: { provider: 'demo' },
    })
    expect(link.status).toBe(200)
    expect(link.json.remittance.amount).toEqual({ amount: 160_000, currency: 'IDR' })
    const page = new URL(link.json.redirect_url).pathname
    expect((await api.call('GET', page)).text).toContain('Rp160.000')
    const form = new FormData()
    form.set('method', 'virtual_account')
    expect((await api.call('POST', `${page}/pay`, { body: form })).status).toBe(303)

    const paid = await api.call('GET', `/v1/admin/remittances/${dueId}`, { token: venue.secret })
    // The virtual account's Rp4.000 never reached the platform: the café, the seller side,
    // bears it. What arrived is paid; the Rp4.000 stays due from the café.
    expect(paid.json).toMatchObject({
      status: 'confirmed',
      method: 'payment_link',
      amount: { amount: 156_000 },
    })
    const balance = await api.call('GET', '/v1/admin/balance', { token: producer.secret })
    expect(balance.json).toMatchObject({
      payable: { amount: 156_000 },
      awaiting: [{ party_id: venue.id, amount: { amount: 4_000 }, requested: { amount: 4_000 } }],
    })
    const rest = (
      await api.call('GET', '/v1/admin/remittances?direction=from&status=due', {
        token: venue.secret,
      })
    ).json.data.find((r: { previous_id: string }) => r.previous_id === dueId)
    expect(rest.amount).toEqual({ amount: 4_000, currency: 'IDR' })
    await api.call('POST', `/v1/admin/remittances/${rest.id}/record`, {
      token: venue.secret,
      body: { method: 'cash', reference: 'Tunai biaya VA' },
    })
    await api.call('POST', `/v1/admin/remittances/${rest.id}/confirm`, { token: platform.secret })
    const whole = await api.call('GET', '/v1/admin/balance', { token: producer.secret })
    expect(whole.json).toMatchObject({ payable: { amount: 160_000 }, awaiting: [] })
    const operator = await api.call('GET', '/v1/admin/balance', { token: platform.secret })
    expect(operator.json.funds).toEqual({ amount: 160_000, currency: 'IDR' })
    // Paid once: recording it by hand now is a conflict.
    const again = await api.call('POST', `/v1/admin/remittances/${dueId}/record`, {
      token: venue.secret,
      body: { method: 'cash', reference: 'tunai' },
    })
    expect(again.status).toBe(409)
  })
})
