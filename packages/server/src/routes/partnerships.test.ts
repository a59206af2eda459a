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
})
