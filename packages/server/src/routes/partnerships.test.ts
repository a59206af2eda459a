import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { useTestApi } from '../test-support.js'

const idr = (amount: number) => ({ amount, currency: 'IDR' })

describe.each(testDatabaseKinds())('partnership routes on %s', (kind) => {
  const api = useTestApi(kind)

  /** A contract recorded after the fact: its deadline has passed, so it can be closed. */
  const contractBody = (producerId: string) => ({
    producer_id: producerId,
    items: [{ description: 'Kain batik cap 2 m' }],
    target_quantity: 100,
    unit_price: idr(50_000),
    deadline: '2026-01-31T17:00:00Z',
    penalty: { kind: 'per_unit', amount: 10_000 },
    penalty_cap: idr(300_000),
  })

  it('runs a subcontract: create, deliver, inspect, status, close with the penalty', async () => {
    const buyer = await api.party('buyer')
    const producer = await api.party('producer')
    const created = await api.call('POST', '/v1/admin/subcontracts', {
      token: buyer.secret,
      body: contractBody(producer.id),
      idempotencyKey: 'ctr-1',
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      buyer_id: buyer.id,
      producer_id: producer.id,
      status: 'open',
      unit_price: idr(50_000),
    })
    const id = created.json.id as string

    const delivered = await api.call('POST', `/v1/admin/subcontracts/${id}/deliveries`, {
      token: producer.secret,
      body: { quantity: 80, delivered_at: '2026-01-20T02:00:00Z' },
    })
    expect(delivered.status).toBe(201)
    expect(delivered.json).toMatchObject({ status: 'pending', quantity: 80 })

    const mismatch = await api.call(
      'POST',
      `/v1/admin/subcontract_deliveries/${delivered.json.id}/inspect`,
      { token: buyer.secret, body: { accepted: 70, rejected: 5 } },
    )
    expect(mismatch.status).toBe(422)
    expect(mismatch.json.errors[0].path).toBe('accepted')

    const inspected = await api.call(
      'POST',
      `/v1/admin/subcontract_deliveries/${delivered.json.id}/inspect`,
      { token: buyer.secret, body: { accepted: 75, rejected: 5, note: 'lima luntur' } },
    )
    expect(inspected.status).toBe(200)
    expect(inspected.json).toMatchObject({ status: 'inspected', accepted: 75, rejected: 5 })

    const status = await api.call('GET', `/v1/admin/subcontracts/${id}`, {
      token: producer.secret,
    })
    expect(status.status).toBe(200)
    expect(status.json.evaluation).toMatchObject({
      accepted_on_time: 75,
      shortfall: 25,
      fulfilment_bps: 7_500,
      deadline_passed: true,
      penalty_charged: idr(250_000),
      invoice: idr(3_500_000),
    })

    const closed = await api.call('POST', `/v1/admin/subcontracts/${id}/close`, {
      token: buyer.secret,
    })
    expect(closed.status).toBe(200)
    expect(closed.json.contract.status).toBe('closed')
    expect(closed.json.penalty_transaction.source).toEqual({ type: 'penalty', id })
    const again = await api.call('POST', `/v1/admin/subcontracts/${id}/close`, {
      token: buyer.secret,
    })
    expect(again.json.contract.penalty_transaction_id).toBe(closed.json.penalty_transaction.id)
    const balance = await api.call('GET', '/v1/admin/balance', { token: buyer.secret })
    expect(
      balance.json.accounts.find((a: { purpose: string }) => a.purpose === 'penalties').balance,
    ).toEqual(idr(-250_000))
  })

  it('refuses invalid input and the wrong party kind with 422 naming the field', async () => {
    const buyer = await api.party('buyer')
    const producer = await api.party('producer')
    const venue = await api.party('venue')
    const invalid = await api.call('POST', '/v1/admin/subcontracts', {
      token: buyer.secret,
      body: { ...contractBody(producer.id), target_quantity: 0 },
    })
    expect(invalid.status).toBe(422)
    expect(invalid.json.errors[0].path).toBe('target_quantity')
    const notProducer = await api.call('POST', '/v1/admin/subcontracts', {
      token: buyer.secret,
      body: contractBody(venue.id),
    })
    expect(notProducer.status).toBe(422)
    expect(notProducer.json).toMatchObject({ code: 'wrong_party_kind' })
    expect(notProducer.json.errors[0].path).toBe('producer_id')
    const notBuyer = await api.call('POST', '/v1/admin/subcontracts', {
      token: venue.secret,
      body: contractBody(producer.id),
    })
    expect(notBuyer.status).toBe(422)
    expect(notBuyer.json.errors[0].path).toBe('buyer_id')
  })

  it('hides a subcontract from strangers (404) and refuses calls without a key (401)', async () => {
    const buyer = await api.party('buyer')
    const producer = await api.party('producer')
    const stranger = await api.party('producer')
    const created = await api.call('POST', '/v1/admin/subcontracts', {
      token: buyer.secret,
      body: contractBody(producer.id),
    })
    const id = created.json.id as string
    const delivered = await api.call('POST', `/v1/admin/subcontracts/${id}/deliveries`, {
      token: producer.secret,
      body: { quantity: 5, delivered_at: '2026-01-20T02:00:00Z' },
    })
    const asStranger = (method: string, path: string, body?: unknown) =>
      api.call(method, path, { token: stranger.secret, body })
    expect((await asStranger('GET', `/v1/admin/subcontracts/${id}`)).status).toBe(404)
    expect(
      (await asStranger('POST', `/v1/admin/subcontracts/${id}/deliveries`, { quantity: 1 })).status,
    ).toBe(404)
    expect(
      (
        await asStranger('POST', `/v1/admin/subcontract_deliveries/${delivered.json.id}/inspect`, {
          accepted: 5,
          rejected: 0,
        })
      ).status,
    ).toBe(404)
    expect((await asStranger('POST', `/v1/admin/subcontracts/${id}/close`)).status).toBe(404)

    expect((await api.call('GET', `/v1/admin/subcontracts/${id}`)).status).toBe(401)
    expect(
      (await api.call('POST', '/v1/admin/subcontracts', { body: contractBody(producer.id) }))
        .status,
    ).toBe(401)
    expect(
      (await api.call('GET', `/v1/admin/advances/outstanding?producer_id=${producer.id}`)).status,
    ).toBe(401)
  })

  it('records inti-plasma advances and shows what is outstanding to each side', async () => {
    const core = await api.party('core_partner')
    const producer = await api.party('producer')
    const venue = await api.party('venue')
    const advance = await api.call('POST', '/v1/admin/advances', {
      token: core.secret,
      body: {
        producer_id: producer.id,
        amount: idr(400_000),
        description: 'Kain mori 20 m, malam 5 kg',
      },
      idempotencyKey: 'adv-1',
    })
    expect(advance.status).toBe(201)
    expect(advance.json).toMatchObject({
      producer_id: producer.id,
      core_partner_id: core.id,
      amount: idr(400_000),
    })
    const path = `/v1/admin/advances/outstanding?producer_id=${producer.id}`
    const own = await api.call('GET', path, { token: producer.secret })
    expect(own.status).toBe(200)
    expect(own.json).toMatchObject({
      total: idr(400_000),
      by_core_partner: [{ core_partner_id: core.id, outstanding: idr(400_000) }],
    })
    const funded = await api.call('GET', path, { token: core.secret })
    expect(funded.json.total).toEqual(idr(400_000))
    expect((await api.call('GET', path, { token: venue.secret })).status).toBe(404)

    const wrongKind = await api.call('POST', '/v1/admin/advances', {
      token: core.secret,
      body: { producer_id: venue.id, amount: idr(1), description: 'Canting' },
    })
    expect(wrongKind.status).toBe(422)
    expect(wrongKind.json.errors[0].path).toBe('producer_id')
    const invalid = await api.call('POST', '/v1/admin/advances', {
      token: core.secret,
      body: { producer_id: producer.id, amount: idr(1) },
    })
    expect(invalid.status).toBe(422)
    expect(invalid.json.errors[0].path).toBe('description')
    expect(
      (
        await api.call('POST', '/v1/admin/advances', {
          body: { producer_id: producer.id, amount: idr(1), description: 'x' },
        })
      ).status,
    ).toBe(401)
  })
  it('lists the subcontracts of the calling party, buyer or producer, by pages', async () => {
    const buyer = await api.party('buyer')
    const producer = await api.party('producer')
    const other = await api.party('producer')
    const stranger = await api.party('buyer')
    const ids: string[] = []
    for (const p of [producer, producer, other]) {
      const created = await api.call('POST', '/v1/admin/subcontracts', {
        token: buyer.secret,
        body: contractBody(p.id),
      })
      ids.push(created.json.id)
    }
    const all = await api.call('GET', '/v1/admin/subcontracts', { token: buyer.secret })
    expect(all.status).toBe(200)
    expect(all.json).toMatchObject({ object: 'list', next_cursor: null })
    expect(all.json.data.map((c: { id: string }) => c.id)).toEqual(ids)

    const first = await api.call('GET', '/v1/admin/subcontracts?limit=1', {
      token: producer.secret,
    })
    expect(first.json.data.map((c: { id: string }) => c.id)).toEqual([ids[0]])
    const second = await api.call(
      'GET',
      `/v1/admin/subcontracts?limit=1&cursor=${first.json.next_cursor}`,
      { token: producer.secret },
    )
    expect(second.json).toMatchObject({ data: [{ id: ids[1] }], next_cursor: null })
    const withOther = await api.call(
      'GET',
      `/v1/admin/subcontracts?counterparty_id=${other.id}&status=open`,
      { token: buyer.secret },
    )
    expect(withOther.json.data.map((c: { id: string }) => c.id)).toEqual([ids[2]])
    const none = await api.call('GET', '/v1/admin/subcontracts', { token: stranger.secret })
    expect(none.json.data).toEqual([])
    const badCursor = await api.call('GET', '/v1/admin/subcontracts?cursor=nope', {
      token: buyer.secret,
    })
    expect(badCursor.status).toBe(422)
    expect(badCursor.json.errors[0].path).toBe('cursor')
    expect((await api.call('GET', '/v1/admin/subcontracts')).status).toBe(401)
  })

  const partnershipsPath = '/v1/admin/inti_plasma_partnerships'

  /** A producer with one catalogue variant (through the API). */
  async function producerWithVariant() {
    const producer = await api.party('producer')
    const product = await api.call('POST', '/v1/admin/products', {
      token: producer.secret,
      body: {
        title: { id: 'Batik tulis Gemawang' },
        category: 'batik',
        variants: [{ sku: 'BT-200', options: {}, weight_grams: 300, price: idr(350_000) }],
      },
    })
    expect(product.status).toBe(201)
    return { producer, variantId: product.json.variants[0].id as string }
  }

  it('runs an inti-plasma partnership: propose, accept, advance, buy at the agreed price, end', async () => {
    const core = await api.party('core_partner')
    const { producer, variantId } = await producerWithVariant()
    const created = await api.call('POST', partnershipsPath, {
      token: core.secret,
      idempotencyKey: 'ipp-1',
      body: {
        producer_id: producer.id,
        currency: 'IDR',
        max_deduction_bps: 3_000,
        prices: [
          { variant_id: variantId, unit_price: idr(250_000) },
          { description: 'Kain batik cap 2 m', unit_price: idr(85_000) },
        ],
        note: 'Kain mori dan malam dari inti',
      },
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      core_partner_id: core.id,
      producer_id: producer.id,
      status: 'proposed',
      max_deduction_bps: 3_000,
      prices: [
        { variant_id: variantId, description: null, unit_price: idr(250_000) },
        { variant_id: null, description: 'Kain batik cap 2 m', unit_price: idr(85_000) },
      ],
    })
    const id = created.json.id as string
    const listed = await api.call('GET', `${partnershipsPath}?status=proposed`, {
      token: producer.secret,
    })
    expect(listed.json).toMatchObject({ object: 'list', data: [{ id }], next_cursor: null })

    const early = await api.call('POST', `${partnershipsPath}/${id}/advances`, {
      token: core.secret,
      body: { amount: idr(400_000), description: 'Kain mori 20 m' },
    })
    expect(early.status).toBe(409)
    expect(early.json.code).toBe('agreement_not_active')
    expect(
      (await api.call('POST', `${partnershipsPath}/${id}/accept`, { token: core.secret })).status,
    ).toBe(403)
    const accepted = await api.call('POST', `${partnershipsPath}/${id}/accept`, {
      token: producer.secret,
    })
    expect(accepted.status).toBe(200)
    expect(accepted.json.status).toBe('active')

    const advance = await api.call('POST', `${partnershipsPath}/${id}/advances`, {
      token: core.secret,
      idempotencyKey: 'ipp-adv-1',
      body: { amount: idr(400_000), description: 'Kain mori 20 m, malam 5 kg' },
    })
    expect(advance.status).toBe(201)
    expect(advance.json).toMatchObject({ partnership_id: id, amount: idr(400_000) })

    const wrongPrice = await api.call('POST', `${partnershipsPath}/${id}/purchases`, {
      token: core.secret,
      body: { variant_id: variantId, quantity: 4, unit_price: idr(200_000) },
    })
    expect(wrongPrice.status).toBe(422)
    expect(wrongPrice.json).toMatchObject({
      code: 'price_not_allowed',
      agreed_unit_price: idr(250_000),
    })
    expect(wrongPrice.json.errors[0].path).toBe('unit_price')
    const bought = await api.call('POST', `${partnershipsPath}/${id}/purchases`, {
      token: core.secret,
      idempotencyKey: 'ipp-buy-1',
      body: { variant_id: variantId, quantity: 4, reference: 'NOTA-17' },
    })
    expect(bought.status).toBe(201)
    expect(bought.json).toMatchObject({
      variant_id: variantId,
      quantity: 4,
      unit_price: idr(250_000),
      amount: idr(1_000_000),
      replayed: false,
    })
    const replay = await api.call('POST', `${partnershipsPath}/${id}/purchases`, {
      token: core.secret,
      body: { variant_id: variantId, quantity: 4, reference: 'NOTA-17' },
    })
    expect(replay.json).toMatchObject({ id: bought.json.id, replayed: true })
    const byProducer = await api.call('POST', `${partnershipsPath}/${id}/purchases`, {
      token: producer.secret,
      body: { variant_id: variantId, quantity: 1 },
    })
    expect(byProducer.status).toBe(403)

    const purchases = await api.call('GET', `${partnershipsPath}/${id}/purchases`, {
      token: producer.secret,
    })
    expect(purchases.json.data.map((p: { id: string }) => p.id)).toEqual([bought.json.id])
    const seen = await api.call('GET', `${partnershipsPath}/${id}`, { token: producer.secret })
    expect(seen.json).toMatchObject({
      advances: { advanced: idr(400_000), repaid: idr(0), outstanding: idr(400_000) },
      purchased: idr(1_000_000),
    })
    // Owed by the core partner that bought it, until it pays.
    const balance = await api.call('GET', '/v1/admin/balance', { token: producer.secret })
    expect(balance.json).toMatchObject({
      owed: idr(1_000_000),
      payable: idr(0),
      awaiting: [{ party_id: core.id, amount: idr(1_000_000) }],
    })
    const outstanding = await api.call(
      'GET',
      `/v1/admin/advances/outstanding?producer_id=${producer.id}`,
      { token: core.secret },
    )
    expect(outstanding.json.total).toEqual(idr(400_000))

    const ended = await api.call('POST', `${partnershipsPath}/${id}/end`, {
      token: core.secret,
      body: { reason: 'Musim tanam selesai' },
    })
    expect(ended.status).toBe(200)
    expect(ended.json).toMatchObject({
      status: 'ended',
      ended_by_party_id: core.id,
      end_reason: 'Musim tanam selesai',
    })
    const late = await api.call('POST', `${partnershipsPath}/${id}/purchases`, {
      token: core.secret,
      body: { description: 'Kain batik cap 2 m', quantity: 1 },
    })
    expect(late.status).toBe(409)
  })

  it('refuses bad partnership input with 422 naming the field, and hides it from others', async () => {
    const core = await api.party('core_partner')
    const producer = await api.party('producer')
    const stranger = await api.party('core_partner')
    const terms = {
      producer_id: producer.id,
      currency: 'IDR',
      max_deduction_bps: 2_500,
      prices: [{ description: 'Topeng kayu Bobung', unit_price: idr(75_000) }],
    }
    const invalid = await api.call('POST', partnershipsPath, {
      token: core.secret,
      body: { ...terms, max_deduction_bps: 12_000 },
    })
    expect(invalid.status).toBe(422)
    expect(invalid.json.errors[0].path).toBe('max_deduction_bps')
    const noItem = await api.call('POST', partnershipsPath, {
      token: core.secret,
      body: { ...terms, prices: [{ unit_price: idr(1) }] },
    })
    expect(noItem.status).toBe(422)
    expect(noItem.json.errors[0].path).toBe('prices.0.variant_id')
    const notCore = await api.call('POST', partnershipsPath, {
      token: producer.secret,
      body: terms,
    })
    expect(notCore.status).toBe(422)
    expect(notCore.json.errors[0].path).toBe('core_partner_id')
    const listedBefore = await api.call('GET', partnershipsPath, { token: core.secret })
    expect(listedBefore.json.data).toEqual([])

    const created = await api.call('POST', partnershipsPath, { token: core.secret, body: terms })
    const id = created.json.id as string
    const twice = await api.call('POST', partnershipsPath, { token: core.secret, body: terms })
    expect(twice.status).toBe(409)
    expect(twice.json.code).toBe('agreement_exists')

    const asStranger = (method: string, path: string, body?: unknown) =>
      api.call(method, path, { token: stranger.secret, body })
    expect((await asStranger('GET', `${partnershipsPath}/${id}`)).status).toBe(404)
    expect((await asStranger('POST', `${partnershipsPath}/${id}/accept`)).status).toBe(404)
    expect((await asStranger('POST', `${partnershipsPath}/${id}/end`, {})).status).toBe(404)
    expect(
      (
        await asStranger('POST', `${partnershipsPath}/${id}/advances`, {
          amount: idr(1),
          description: 'x',
        })
      ).status,
    ).toBe(404)
    expect(
      (
        await asStranger('POST', `${partnershipsPath}/${id}/purchases`, {
          description: 'Topeng kayu Bobung',
          quantity: 1,
        })
      ).status,
    ).toBe(404)
    expect((await asStranger('GET', `${partnershipsPath}/${id}/purchases`)).status).toBe(404)
    expect((await asStranger('GET', partnershipsPath)).json.data).toEqual([])
    expect((await api.call('GET', `${partnershipsPath}/${id}`)).status).toBe(401)
    expect((await api.call('POST', partnershipsPath, { body: terms })).status).toBe(401)
    // Still proposed, unchanged.
    const seen = await api.call('GET', `${partnershipsPath}/${id}`, { token: producer.secret })
    expect(seen.json).toMatchObject({ status: 'proposed', ended_at: null })
  })
})
