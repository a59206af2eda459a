import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { type TestParty, useTestApi } from '../test-support.js'

describe.each(testDatabaseKinds())('money routes on %s', (kind) => {
  const api = useTestApi(kind)

  /** A batik group selling one Rp150.000 cloth at a café on 20 % commission. */
  async function soldAtCafe() {
    const { producer, venue, variantId, agreementId } = await api.partnership({
      title: 'Batik tulis',
      category: 'batik',
      sku: 'BT-1',
      price: 150_000,
    })
    await api.deliver(producer, venue, variantId, 3)
    const sale = await api.call('POST', '/v1/admin/sales', {
      token: venue.secret,
      body: {
        venue_id: venue.id,
        receipt_number: 'NOTA-77',
        channel: 'cash',
        lines: [{ variant_id: variantId, quantity: 1 }],
      },
    })
    expect(sale.status).toBe(201)
    return { producer, venue, agreementId, sale: sale.json }
  }

  const month = () => {
    const now = new Date(Date.now() + 7 * 3_600_000) // WIB
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - 7 * 3_600_000)
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - 7 * 3_600_000)
    return `from=${from.toISOString()}&to=${to.toISOString()}`
  }

  it('posts the split of a sale at the counter and explains each share to its party only', async () => {
    const { producer, venue, sale } = await soldAtCafe()
    const [posting] = sale.postings
    const shares = Object.fromEntries(
      posting.shares.map((s: { role: string; amount: number }) => [s.role, s.amount]),
    )
    expect(shares.venue).toBe(30000)
    expect(shares.producer).toBe(120000)
    const owed = await api.call('GET', '/v1/admin/balance', { token: producer.secret })
    expect(owed.json.owed).toEqual({ amount: 120000, currency: 'IDR' })
    const mine = await api.call(
      'GET',
      `/v1/admin/sale_lines/${encodeURIComponent(posting.sale_line_id)}/explain`,
      { token: producer.secret },
    )
    expect(mine.status).toBe(200)
    expect(JSON.stringify(mine.json)).toContain('120000')
    expect(
      (
        await api.call(
          'GET',
          `/v1/admin/sale_lines/${encodeURIComponent(posting.sale_line_id)}/explain`,
          { token: venue.secret },
        )
      ).status,
    ).toBe(200)
    const stranger = await api.party('producer')
    expect(
      (
        await api.call(
          'GET',
          `/v1/admin/sale_lines/${encodeURIComponent(posting.sale_line_id)}/explain`,
          { token: stranger.secret },
        )
      ).status,
    ).toBe(404)
  })

  it('shows both sides one statement, which each acknowledges or disputes', async () => {
    const { producer, venue, agreementId, sale } = await soldAtCafe()
    const path = `/v1/admin/agreements/${agreementId}/statement?${month()}`
    const statement = await api.call('GET', path, { token: producer.secret })
    expect(statement.status).toBe(200)
    expect(statement.json.review.status).toBe('open')
    const fromVenue = await api.call('GET', path, { token: venue.secret })
    expect(fromVenue.json.statement_hash).toBe(statement.json.statement_hash)
    const [from, to] = month()
      .split('&')
      .map((p) => p.split('=')[1])
    const ack = (party: TestParty, hash: string) =>
      api.call('POST', `/v1/admin/agreements/${agreementId}/statement/acknowledge`, {
        token: party.secret,
        body: { from, to, statement_hash: hash },
      })
    expect((await ack(producer, '0'.repeat(64))).status).toBe(409)
    await ack(producer, statement.json.statement_hash)
    const disputed = await api.call(
      'POST',
      `/v1/admin/agreements/${agreementId}/statement/disputes`,
      {
        token: venue.secret,
        body: {
          from,
          to,
          line_ref: sale.postings[0].sale_line_id,
          comment: 'Nota 77 dibayar QRIS, bukan tunai',
        },
      },
    )
    expect(disputed.status).toBe(201)
    const seen = await api.call('GET', path, { token: producer.secret })
    expect(seen.json.review.status).toBe('disputed')
    const html = await api.call('GET', `${path}&format=html&locale=en`, { token: venue.secret })
    expect(html.headers.get('Content-Type')).toContain('text/html')
    expect(html.text).toContain('IDR 120,000') // the producer's share, in English formatting
    const csv = await api.call('GET', `${path}&format=csv`, { token: producer.secret })
    expect(csv.text.split('\n').length).toBeGreaterThan(1)
    const stranger = await api.party('venue')
    expect((await api.call('GET', path, { token: stranger.secret })).status).toBe(404)

    // The same period by its month or a day in it (Jakarta time), or from a plain date.
    const yearMonth = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7)
    const base = `/v1/admin/agreements/${agreementId}/statement`
    for (const query of [`period=${yearMonth}`, `period=${yearMonth}-15`, `from=${yearMonth}-01`]) {
      const same = await api.call('GET', `${base}?${query}`, { token: producer.secret })
      expect(same.status, query).toBe(200)
      expect(same.json.statement_hash, query).toBe(statement.json.statement_hash)
    }
    // Nothing, or something else: a 422 that says what to send.
    for (const [query, path] of [
      ['', 'period'],
      ['period=december', 'period'],
      ['from=1-12-2026', 'from'],
    ] as const) {
      const bad = await api.call('GET', `${base}?${query}`, { token: producer.secret })
      expect(bad.status, query).toBe(422)
      expect(bad.json.errors[0].path, query).toBe(path)
      expect(bad.json.errors[0].message, query).toMatch(/2026-12/)
    }
    const acked = await api.call('POST', `${base}/acknowledge`, {
      token: venue.secret,
      body: { period: yearMonth, statement_hash: seen.json.statement_hash },
    })
    expect(acked.status).toBe(200)
  })

  it('lets only the platform pay out, on items, once, recorded by hand here', async () => {
    const { producer, venue } = await soldAtCafe()
    const platform = await api.party('platform')
    const previewOf = () =>
      api.call('GET', `/v1/admin/payouts/preview?party_id=${producer.id}`, {
        token: platform.secret,
      })
    // The café holds the cash: nothing is paid out before it hands it over.
    expect((await previewOf()).json.amount).toEqual({ amount: 0, currency: 'IDR' })
    const balance = await api.call('GET', '/v1/admin/balance', { token: producer.secret })
    expect(balance.json).toMatchObject({
      owed: { amount: 120000 },
      payable: { amount: 0 },
      awaiting: [{ party_id: venue.id, amount: { amount: 120000 } }],
    })
    const settled = await api.call('POST', '/v1/admin/settlements', {
      token: platform.secret,
      body: { minimum: 1 },
    })
    expect(settled.status).toBe(201)
    const asked = await api.call('GET', '/v1/admin/remittances?direction=from&status=due', {
      token: venue.secret,
    })
    const due = asked.json.data.find((r: { from_party_id: string }) => r.from_party_id === venue.id)
    expect(due).toMatchObject({ to_party_id: platform.id, amount: { amount: 120000 } })
    expect(settled.json.remittance_ids).toContain(due.id)
    const recorded = await api.call('POST', `/v1/admin/remittances/${due.id}/record`, {
      token: venue.secret,
      body: { method: 'transfer', reference: 'BCA 2211-04' },
    })
    expect(recorded.json.status).toBe('recorded')
    expect(
      (await api.call('POST', `/v1/admin/remittances/${due.id}/confirm`, { token: venue.secret }))
        .status,
    ).toBe(403)
    const confirmed = await api.call('POST', `/v1/admin/remittances/${due.id}/confirm`, {
      token: platform.secret,
    })
    expect(confirmed.json.status).toBe('confirmed')
    const preview = await previewOf()
    expect(preview.json).toMatchObject({
      party_id: producer.id,
      amount: { amount: 120000, currency: 'IDR' },
      advance_repayment: { amount: 0 },
      net: { amount: 120000 },
      payable: true,
    })
    expect(
      (
        await api.call('GET', `/v1/admin/payouts/preview?party_id=${producer.id}`, {
          token: (await api.party('venue')).secret,
        })
      ).status,
    ).toBe(403)
    expect(
      (
        await api.call('POST', '/v1/admin/payouts', {
          token: producer.secret,
          body: { party_id: producer.id },
        })
      ).status,
    ).toBe(403)
    const stale = await api.call('POST', '/v1/admin/payouts', {
      token: platform.secret,
      body: { party_id: producer.id, expected_amount: 1 },
    })
    expect(stale.status).toBe(409)
    const payout = await api.call('POST', '/v1/admin/payouts', {
      token: platform.secret,
      body: { party_id: producer.id, expected_amount: 120000 },
      idempotencyKey: 'payout-batik-1',
    })
    expect(payout.status).toBe(201)
    const again = await api.call('POST', '/v1/admin/payouts', {
      token: platform.secret,
      body: { party_id: producer.id, expected_amount: 120000 },
      idempotencyKey: 'payout-batik-1',
    })
    expect(again.json.id).toBe(payout.json.id)
    expect(payout.json).toMatchObject({
      party_id: producer.id,
      amount: { amount: 120000, currency: 'IDR' },
      status: 'in_transit',
    })
    // Read back: its party sees it with its items, the platform sees everyone's, others 404.
    const mine = await api.call('GET', `/v1/admin/payouts/${payout.json.id}`, {
      token: producer.secret,
    })
    expect(mine.json).toMatchObject({ id: payout.json.id, items: expect.any(Array) })
    expect(mine.json.items.length).toBeGreaterThan(0)
    expect(
      (await api.call('GET', `/v1/admin/payouts/${payout.json.id}`, { token: venue.secret }))
        .status,
    ).toBe(404)
    const listed = await api.call('GET', '/v1/admin/payouts', { token: producer.secret })
    expect(listed.json.data.map((p: { id: string }) => p.id)).toEqual([payout.json.id])
    const all = await api.call('GET', `/v1/admin/payouts?party_id=${producer.id}&limit=1`, {
      token: platform.secret,
    })
    expect(all.json).toMatchObject({ object: 'list', data: [{ id: payout.json.id }] })
    expect(
      (await api.call('GET', `/v1/admin/payouts?party_id=${producer.id}`, { token: venue.secret }))
        .status,
    ).toBe(403)
    const badDestination = await api.call('PUT', '/v1/admin/payout_destination', {
      token: producer.secret,
      body: { method: 'stripe_transfer', stripe_account_id: 'batik' },
    })
    expect(badDestination.status).toBe(422)
    expect(badDestination.json.errors[0].path).toBe('stripe_account_id')
    const destination = await api.call('PUT', '/v1/admin/payout_destination', {
      token: producer.secret,
      body: { method: 'manual', is_default: true, note: 'Tunai ke bendahara' },
    })
    expect(destination.json).toMatchObject({
      party_id: producer.id,
      method: 'manual',
      is_default: true,
      note: 'Tunai ke bendahara',
    })
    const manual = await api.call('POST', `/v1/admin/payouts/${payout.json.id}/manual`, {
      token: platform.secret,
      body: { reference: 'BCA 0123 transfer 2026-11-22' },
    })
    expect(manual.status).toBe(200)
    expect(manual.json).toMatchObject({
      payout_id: payout.json.id,
      method: 'manual',
      status: 'paid',
      proof: { reference: 'BCA 0123 transfer 2026-11-22', url: null },
    })
    const arrived = await api.call('GET', `/v1/admin/payouts/${payout.json.id}`, {
      token: producer.secret,
    })
    expect(arrived.json).toMatchObject({ status: 'paid', paid_at: expect.any(String) })
    const after = await api.call('GET', '/v1/admin/balance', { token: producer.secret })
    expect([after.json.owed.amount, after.json.in_transit.amount, after.json.awaiting]).toEqual([
      0,
      0,
      [],
    ])
  })

  it('refuses provider notifications without a valid signature', async () => {
    const app = createApp({
      database: api.database(),
      logError: () => {},
      payoutProviders: {
        stripe: { apiKey: 'sk_test_mitra', webhookSecret: 'whsec_mitra_test' },
        iris: {
          baseUrl: 'https://app.sandbox.midtrans.com/iris/api/v1',
          creatorKey: 'IRIS-creator',
          approverKey: 'IRIS-approver',
          merchantKey: 'M-merchant',
        },
      },
    })
    const forged = await app.request('/v1/webhooks/stripe', {
      method: 'POST',
      headers: { 'Stripe-Signature': 't=1,v1=deadbeef', 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'evt_1', type: 'transfer.reversed' }),
    })
    expect(forged.status).toBe(401)
    const iris = await app.request('/v1/webhooks/midtrans-iris', {
      method: 'POST',
      headers: { 'Iris-Signature': 'nope' },
      body: JSON.stringify({ reference_no: 'x', status: 'completed' }),
    })
    expect(iris.status).toBe(401)
    // Without credentials configured, a notification cannot be checked: 503, never applied.
    const unconfigured = await api
      .app()
      .request('/v1/webhooks/stripe', { method: 'POST', body: '{}' })
    expect(unconfigured.status).toBe(503)
  })
})
