import { createHash } from 'node:crypto'
import { type Id, isMitraError, MitraError, newId, ProviderError, withRetries } from '@mitra/core'
import { journalTransactions, payoutExecutions } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { and, eq, sql } from 'drizzle-orm'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import Stripe from 'stripe'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { findPosted, postSale } from '../ledger.js'
import { getPayout, postPayout, previewPayout } from '../payouts.js'
import { policyFromConsignmentTerms } from '../policy.js'
import { moneyPosition } from '../position.js'
import { splitLine } from '../split.js'
import { createParty, idr } from '../testing.js'
import {
  approveIrisPayout,
  executePayout,
  failManualPayout,
  getPayoutDestination,
  getPayoutExecution,
  handleIrisNotification,
  handleStripeWebhook,
  irisBaseUrls,
  listPayoutDestinations,
  type PayoutProviders,
  recordManualPayout,
  setPayoutDestination,
  toIrisAmount,
} from './index.js'

const STRIPE = 'https://api.stripe.com/v1'
const IRIS = irisBaseUrls.sandbox
const WHSEC = 'whsec_test_payout_methods'
const MERCHANT_KEY = 'iris-merchant-key-test'

const providers: PayoutProviders = {
  stripe: { apiKey: 'sk_test_mitra', webhookSecret: WHSEC },
  iris: {
    baseUrl: IRIS,
    creatorKey: 'IRIS-CREATOR-KEY',
    approverKey: 'IRIS-APPROVER-KEY',
    merchantKey: MERCHANT_KEY,
  },
  retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
}

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`
const sha512 = (text: string) => createHash('sha512').update(text).digest('hex')

interface Seen {
  headers: Headers
  form?: URLSearchParams
  json?: unknown
}

/** A Stripe transfer as the API returns it. */
function transferObject(form: URLSearchParams, id: string, reversed = false) {
  const amount = Number(form.get('amount'))
  return {
    id,
    object: 'transfer',
    amount,
    amount_reversed: reversed ? amount : 0,
    balance_transaction: `txn_${id.slice(3)}`,
    created: 1_779_000_000,
    currency: form.get('currency'),
    description: null,
    destination: form.get('destination'),
    destination_payment: `py_${id.slice(3)}`,
    livemode: false,
    metadata: {
      payout_id: form.get('metadata[payout_id]'),
      party_id: form.get('metadata[party_id]'),
    },
    reversals: {
      object: 'list',
      data: [],
      has_more: false,
      total_count: 0,
      url: `/v1/transfers/${id}/reversals`,
    },
    reversed,
    source_transaction: form.get('source_transaction'),
    source_type: 'card',
    transfer_group: form.get('transfer_group'),
  }
}

const stripeError = (status: number, type: string, message: string, code?: string) =>
  HttpResponse.json(
    { error: { type, message, ...(code === undefined ? {} : { code, param: 'destination' }) } },
    { status, headers: { 'request-id': `req_${status}` } },
  )

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (isMitraError(error)) return `${error.status}:${error.code}`
    throw error
  }
  return 'resolved'
}

async function errorOf(promise: Promise<unknown>): Promise<MitraError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof MitraError) return error
    throw error
  }
  throw new Error('expected a MitraError')
}

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

describe('payout method helpers', () => {
  it('sends Iris whole rupiah as decimal text', () => {
    expect(toIrisAmount(idr(112_500))).toBe('112500.00')
    expect(() => toIrisAmount({ amount: 100, currency: 'USD' })).toThrow(MitraError)
  })

  it('retries transient failures a bounded number of times, permanent ones never', async () => {
    let calls = 0
    await expect(
      withRetries(
        async () => {
          calls++
          throw new ProviderError('down', { transient: true, status: 503 })
        },
        { attempts: 4, baseDelayMs: 1 },
      ),
    ).rejects.toThrow('down')
    expect(calls).toBe(4)
    calls = 0
    await expect(
      withRetries(
        async () => {
          calls++
          throw new ProviderError('refused', { transient: false, status: 400 })
        },
        { attempts: 4, baseDelayMs: 1 },
      ),
    ).rejects.toThrow('refused')
    expect(calls).toBe(1)
  })
})

describe.each(testDatabaseKinds())('payout methods on %s', (kind) => {
  const database = useTestDatabase(kind)
  const none = '' as Id<'pty'>
  const p = { venue: none, platform: none, cooperative: none }
  let line = 0

  beforeAll(async () => {
    const { db } = database()
    p.venue = await createParty(db, 'venue')
    p.platform = await createParty(db, 'platform')
    p.cooperative = await createParty(db, 'cluster')
  })

  /** A producer owed Rp112.500 on one Rp150.000 sale, and a payout of it posted. */
  async function owedProducer() {
    const { db } = database()
    const producer = await createParty(db, 'producer')
    const policy = policyFromConsignmentTerms(
      {
        currency: 'IDR',
        commission: { kind: 'percent', bps: 2_000 },
        cooperative_fee_bps: 200,
        cooperative_id: p.cooperative,
        platform_fee_bps: 300,
        payment_fee_bearer: 'venue',
        markdown_bearer: 'venue',
      },
      { producerId: producer, venueId: p.venue, platformId: p.platform },
      { version: 1 },
    )
    line++
    await postSale(db, {
      saleLineId: `line-pm-${kind}-${line}`,
      channel: 'online',
      collectorId: p.platform,
      split: splitLine(policy, {
        gross: idr(150_000),
        quantity: 1,
        unitPrice: idr(150_000),
        paymentFee: idr(1_050),
      }),
    })
    return producer
  }

  async function postedPayout(destination: 'stripe' | 'iris' | 'manual') {
    const { db } = database()
    const producer = await owedProducer()
    if (destination === 'stripe') {
      await setPayoutDestination(db, {
        partyId: producer,
        method: 'stripe_transfer',
        stripeAccountId: 'acct_1PbatikWonogiri',
      })
    } else if (destination === 'iris') {
      await setPayoutDestination(db, {
        partyId: producer,
        method: 'midtrans_iris',
        bankCode: 'bca',
        accountNumber: '0123456789',
        accountName: 'Kelompok Batik Sekar',
        email: 'bendahara@batiksekar.id',
      })
    } else {
      await setPayoutDestination(db, {
        partyId: producer,
        method: 'manual',
        note: 'tunai di kantor koperasi',
      })
    }
    const payout = await postPayout(db, { partyId: producer, currency: 'IDR' })
    expect(payout.amount).toEqual(idr(112_500))
    return { producer, payout }
  }

  const reversals = async (payoutId: string) => {
    const [row] = await database()
      .db.select({ n: sql<number>`count(*)::int` })
      .from(journalTransactions)
      .where(
        and(
          eq(journalTransactions.kind, 'payout_reversal'),
          eq(journalTransactions.sourceId, payoutId),
        ),
      )
    return row?.n ?? 0
  }

  describe('destinations', () => {
    it('sets and reads where a party is paid; the first is the default, isDefault moves it', async () => {
      const { db } = database()
      const producer = await createParty(db, 'producer')
      expect(await codeOf(getPayoutDestination(db, { partyId: producer }))).toBe(
        '409:payout_destination_missing',
      )
      // It names what is missing and where to set it, not a field nobody sent.
      const missing = await errorOf(getPayoutDestination(db, { partyId: producer }))
      expect(missing.errors.map((e) => e.path)).toEqual(['payout_destination'])
      expect(missing.message).toContain('PUT /v1/admin/payout_destination')
      const stripe = await setPayoutDestination(db, {
        partyId: producer,
        method: 'stripe_transfer',
        stripeAccountId: 'acct_1Pabc',
      })
      expect(stripe).toMatchObject({ method: 'stripe_transfer', isDefault: true })
      const iris = await setPayoutDestination(db, {
        partyId: producer,
        method: 'midtrans_iris',
        bankCode: ' BNI ',
        accountNumber: '9876543210',
        accountName: 'Tenun Ikat Sumba',
        email: 'kas@tenun.id',
      })
      expect(iris).toMatchObject({ bankCode: 'bni', isDefault: false })
      expect((await getPayoutDestination(db, { partyId: producer })).method).toBe('stripe_transfer')
      await setPayoutDestination(db, {
        partyId: producer,
        method: 'midtrans_iris',
        bankCode: 'bni',
        accountNumber: '9876543210',
        accountName: 'Tenun Ikat Sumba',
        email: 'kas@tenun.id',
        isDefault: true,
      })
      const all = await listPayoutDestinations(db, producer)
      expect(all.map((d) => [d.method, d.isDefault])).toEqual([
        ['midtrans_iris', true],
        ['stripe_transfer', false],
      ])
      expect(
        (await getPayoutDestination(db, { partyId: producer, method: 'stripe_transfer' })).method,
      ).toBe('stripe_transfer')
      expect(await codeOf(getPayoutDestination(db, { partyId: producer, method: 'manual' }))).toBe(
        '409:payout_destination_missing',
      )
    })

    it('refuses invalid destinations with a 422 naming each field, and unknown parties', async () => {
      const { db } = database()
      const producer = await createParty(db, 'producer')
      const bad = await errorOf(
        setPayoutDestination(db, {
          partyId: producer,
          method: 'stripe_transfer',
          stripeAccountId: 'cus_123',
        }),
      )
      expect(bad.status).toBe(422)
      expect(bad.errors.map((e) => e.path)).toEqual(['stripe_account_id'])
      const iris = await errorOf(
        setPayoutDestination(db, {
          partyId: producer,
          method: 'midtrans_iris',
          bankCode: 'b',
          accountNumber: '12-34',
          accountName: '',
          email: 'not-an-email',
        }),
      )
      expect(iris.errors.map((e) => e.path).sort()).toEqual([
        'account_name',
        'account_number',
        'bank_code',
        'email',
      ])
      const method = await errorOf(
        setPayoutDestination(db, {
          partyId: producer,
          method: 'paypal' as 'manual',
        }),
      )
      expect(method.errors.map((e) => e.path)).toEqual(['method'])
      expect(
        await codeOf(
          setPayoutDestination(db, { partyId: newId('pty'), method: 'manual', note: null }),
        ),
      ).toBe('404:not_found')
    })
  })

  describe('Stripe Connect transfers', () => {
    it('transfers the payout in Stripe units to the connected account, once', async () => {
      const { db } = database()
      const { producer, payout } = await postedPayout('stripe')
      const seen: Seen[] = []
      server.use(
        http.post(`${STRIPE}/transfers`, async ({ request }) => {
          const form = new URLSearchParams(await request.text())
          seen.push({ headers: request.headers, form })
          return HttpResponse.json(transferObject(form, 'tr_1Qpaid'))
        }),
      )
      const execution = await executePayout(db, providers, {
        payoutId: payout.id,
        actor: { id: 'usr_treasurer' },
        sourceTransaction: 'ch_3Qsale',
      })
      expect(execution).toMatchObject({
        status: 'paid',
        method: 'stripe_transfer',
        providerReference: 'tr_1Qpaid',
        amount: idr(112_500),
        createdBy: 'usr_treasurer',
        attempts: 1,
      })
      expect(execution.paidAt).toBeInstanceOf(Date)
      expect(seen).toHaveLength(1)
      const [sent] = seen as [Seen]
      const form = sent.form as URLSearchParams
      expect(form.get('amount')).toBe('11250000')
      expect(form.get('currency')).toBe('idr')
      expect(form.get('destination')).toBe('acct_1PbatikWonogiri')
      expect(form.get('transfer_group')).toBe(payout.id)
      expect(form.get('source_transaction')).toBe('ch_3Qsale')
      expect(form.get('metadata[payout_id]')).toBe(payout.id)
      expect(form.get('metadata[party_id]')).toBe(producer)
      expect(sent.headers.get('idempotency-key')).toBe(`mitra-${payout.id}`)
      expect(sent.headers.get('authorization')).toBe('Bearer sk_test_mitra')
      // Executing again returns the execution; Stripe is not called again.
      const again = await executePayout(db, providers, {
        payoutId: payout.id,
        actor: { id: 'usr_other' },
      })
      expect(again).toEqual(execution)
      expect(seen).toHaveLength(1)
      // It arrived: nothing is in transit, the money left the platform's funds once.
      expect((await getPayout(db, payout.id)).status).toBe('paid')
      expect((await moneyPosition(db, producer, 'IDR')).inTransit.amount).toBe(0)
      const arrived = await findPosted(db, { type: 'payout_paid', id: payout.id })
      expect(arrived?.lines.map((l) => [l.partyId, l.purpose, l.amount])).toEqual([
        [producer, 'payouts_in_transit', 112_500],
        [p.platform, 'provider_clearing', -112_500],
      ])
    })

    it('retries a 500 with the same idempotency key and pays once', async () => {
      const { db } = database()
      const { payout } = await postedPayout('stripe')
      const keys: (string | null)[] = []
      server.use(
        http.post(`${STRIPE}/transfers`, async ({ request }) => {
          const form = new URLSearchParams(await request.text())
          keys.push(request.headers.get('idempotency-key'))
          if (keys.length === 1) return stripeError(500, 'api_error', 'An unknown error occurred')
          return HttpResponse.json(transferObject(form, 'tr_1Qretried'))
        }),
      )
      const execution = await executePayout(db, providers, {
        payoutId: payout.id,
        transferGroup: 'ord_group_1',
        actor: { id: 'usr_treasurer' },
      })
      expect(execution).toMatchObject({
        status: 'paid',
        providerReference: 'tr_1Qretried',
        attempts: 2,
      })
      expect(keys).toEqual([`mitra-${payout.id}`, `mitra-${payout.id}`])
      expect(await reversals(payout.id)).toBe(0)
    })

    it('pays once when two callers execute the same payout at the same time', async () => {
      const { db } = database()
      const { payout } = await postedPayout('stripe')
      // Stripe answers a repeated idempotency key with the first result.
      const byKey = new Map<string, ReturnType<typeof transferObject>>()
      server.use(
        http.post(`${STRIPE}/transfers`, async ({ request }) => {
          const key = request.headers.get('idempotency-key') as string
          const form = new URLSearchParams(await request.text())
          const transfer = byKey.get(key) ?? transferObject(form, `tr_1Q${byKey.size}concurrent`)
          byKey.set(key, transfer)
          return HttpResponse.json(transfer)
        }),
      )
      const [a, b] = await Promise.all([
        executePayout(db, providers, { payoutId: payout.id, actor: { id: 'usr_a' } }),
        executePayout(db, providers, { payoutId: payout.id, actor: { id: 'usr_b' } }),
      ])
      expect(byKey.size).toBe(1)
      expect(a.status).toBe('paid')
      expect(b.status).toBe('paid')
      expect(a.providerReference).toBe(b.providerReference)
    })

    it('keeps a payout processing when Stripe stays down, and resumes it with the same key', async () => {
      const { db } = database()
      const { payout } = await postedPayout('stripe')
      const keys: (string | null)[] = []
      server.use(
        http.post(`${STRIPE}/transfers`, ({ request }) => {
          keys.push(request.headers.get('idempotency-key'))
          return stripeError(503, 'api_error', 'Service unavailable')
        }),
      )
      const down = await errorOf(
        executePayout(db, providers, { payoutId: payout.id, actor: { id: 'usr_treasurer' } }),
      )
      expect([down.status, down.code]).toEqual([503, 'unavailable'])
      expect(keys).toHaveLength(3)
      expect(await getPayoutExecution(db, payout.id)).toMatchObject({
        status: 'processing',
        attempts: 3,
      })
      expect((await getPayout(db, payout.id)).status).toBe('in_transit')
      server.resetHandlers()
      server.use(
        http.post(`${STRIPE}/transfers`, async ({ request }) => {
          keys.push(request.headers.get('idempotency-key'))
          const form = new URLSearchParams(await request.text())
          return HttpResponse.json(transferObject(form, 'tr_1Qlater'))
        }),
      )
      const resumed = await executePayout(db, providers, {
        payoutId: payout.id,
        actor: { id: 'usr_treasurer' },
      })
      expect(resumed).toMatchObject({
        status: 'paid',
        providerReference: 'tr_1Qlater',
        attempts: 4,
      })
      expect(new Set(keys)).toEqual(new Set([`mitra-${payout.id}`]))
    })

    it('fails on a 400 without retrying and reverses the payout: its items are payable again', async () => {
      const { db } = database()
      const { producer, payout } = await postedPayout('stripe')
      let calls = 0
      server.use(
        http.post(`${STRIPE}/transfers`, () => {
          calls++
          return stripeError(
            400,
            'invalid_request_error',
            'No such destination: acct_1PbatikWonogiri',
            'resource_missing',
          )
        }),
      )
      expect((await previewPayout(db, { partyId: producer, currency: 'IDR' })).payable).toBe(false)
      const execution = await executePayout(db, providers, {
        payoutId: payout.id,
        actor: { id: 'usr_treasurer' },
      })
      expect(calls).toBe(1)
      expect(execution.status).toBe('failed')
      expect(execution.failureReason).toContain('No such destination')
      expect(execution.failedAt).toBeInstanceOf(Date)
      expect((await getPayout(db, payout.id)).status).toBe('reversed')
      expect(await reversals(payout.id)).toBe(1)
      const preview = await previewPayout(db, { partyId: producer, currency: 'IDR' })
      expect(preview).toMatchObject({ payable: true, amount: idr(112_500) })
      expect(preview.items.map((i) => `${i.transactionId}:${i.position}`)).toEqual(
        payout.items.map((i) => `${i.transactionId}:${i.position}`),
      )
      // Executing it again returns the failed execution; Stripe is not called again.
      const again = await executePayout(db, providers, {
        payoutId: payout.id,
        actor: { id: 'usr_x' },
      })
      expect(again.status).toBe('failed')
      expect(calls).toBe(1)
    })

    it('applies a verified transfer.reversed once and refuses forged signatures', async () => {
      const { db } = database()
      const { producer, payout } = await postedPayout('stripe')
      let transfer: ReturnType<typeof transferObject> | undefined
      server.use(
        http.post(`${STRIPE}/transfers`, async ({ request }) => {
          transfer = transferObject(new URLSearchParams(await request.text()), 'tr_1Qreversed')
          return HttpResponse.json(transfer)
        }),
      )
      await executePayout(db, providers, { payoutId: payout.id, actor: { id: 'usr_treasurer' } })
      const stripe = new Stripe('sk_test_mitra')
      const event = (id: string, reversed: boolean) =>
        JSON.stringify({
          id,
          object: 'event',
          api_version: '2025-01-27.acacia',
          created: Math.floor(Date.now() / 1000),
          data: {
            object: {
              ...transfer,
              reversed,
              amount_reversed: reversed ? 11_250_000 : 5_000_000,
            },
          },
          livemode: false,
          pending_webhooks: 1,
          request: { id: null, idempotency_key: null },
          type: 'transfer.reversed',
        })
      const partial = event('evt_1Qpartial', false)
      const partialResult = await handleStripeWebhook(db, providers, {
        rawBody: partial,
        signature: stripe.webhooks.generateTestHeaderString({ payload: partial, secret: WHSEC }),
      })
      expect(partialResult).toMatchObject({ applied: true, outcome: 'partial_reversal_recorded' })
      expect(partialResult.execution?.status).toBe('paid')

      const stranger = JSON.stringify({
        ...JSON.parse(partial),
        id: 'evt_1Qstranger',
        data: { object: { ...transfer, id: 'tr_1Qnotours', reversed: true } },
      })
      const strangerHeader = stripe.webhooks.generateTestHeaderString({
        payload: stranger,
        secret: WHSEC,
      })
      for (let i = 0; i < 2; i++) {
        expect(
          await handleStripeWebhook(db, providers, {
            rawBody: stranger,
            signature: strangerHeader,
          }),
        ).toMatchObject({ applied: false, outcome: 'unknown_transfer', execution: null })
      }

      const payload = event('evt_1Qfull', true)
      const forged = await errorOf(
        handleStripeWebhook(db, providers, {
          rawBody: payload,
          signature: stripe.webhooks.generateTestHeaderString({
            payload,
            secret: 'whsec_someone_else',
          }),
        }),
      )
      expect([forged.status, forged.code]).toEqual([401, 'unauthorized'])
      expect(
        await codeOf(handleStripeWebhook(db, providers, { rawBody: payload, signature: null })),
      ).toBe('401:unauthorized')
      expect((await getPayoutExecution(db, payout.id)).status).toBe('paid')

      const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: WHSEC })
      const first = await handleStripeWebhook(db, providers, { rawBody: payload, signature })
      expect(first).toMatchObject({ applied: true, outcome: 'failed' })
      expect(first.execution?.status).toBe('failed')
      expect(first.execution?.failureReason).toContain('tr_1Qreversed')
      const again = await handleStripeWebhook(db, providers, {
        rawBody: Buffer.from(payload),
        signature,
      })
      expect(again).toMatchObject({ applied: false, outcome: 'failed' })
      expect(await reversals(payout.id)).toBe(1)
      expect((await getPayout(db, payout.id)).status).toBe('reversed')
      expect((await previewPayout(db, { partyId: producer, currency: 'IDR' })).amount).toEqual(
        idr(112_500),
      )
    })
  })

  describe('Midtrans Iris', () => {
    function irisHandlers(seen: { create: Seen[]; approve: Seen[] }, referenceNo: string) {
      return [
        http.post(`${IRIS}/payouts`, async ({ request }) => {
          seen.create.push({ headers: request.headers, json: await request.json() })
          return HttpResponse.json(
            { payouts: [{ status: 'queued', reference_no: referenceNo }] },
            { status: 201 },
          )
        }),
        http.post(`${IRIS}/payouts/approve`, async ({ request }) => {
          seen.approve.push({ headers: request.headers, json: await request.json() })
          return HttpResponse.json({ status: 'ok' })
        }),
      ]
    }

    const notify = (body: Record<string, string>, key = MERCHANT_KEY) => {
      const rawBody = JSON.stringify(body)
      return { rawBody, signature: sha512(rawBody + key) }
    }

    it('creates with the creator key, approves with the approver key by someone else, then pays', async () => {
      const { db } = database()
      const { payout } = await postedPayout('iris')
      const seen = { create: [] as Seen[], approve: [] as Seen[] }
      server.use(...irisHandlers(seen, 'ref_iris_001'))
      const created = await executePayout(db, providers, {
        payoutId: payout.id,
        actor: { id: 'usr_maker' },
      })
      expect(created).toMatchObject({
        status: 'pending_approval',
        method: 'midtrans_iris',
        providerReference: 'ref_iris_001',
        createdBy: 'usr_maker',
        approvedBy: null,
        destination: 'bca:0123456789 (Kelompok Batik Sekar)',
      })
      const [create] = seen.create as [Seen]
      expect(create.headers.get('authorization')).toBe(basic('IRIS-CREATOR-KEY'))
      expect(create.headers.get('content-type')).toBe('application/json')
      expect(create.headers.get('idempotency-key')).toBe(`mitra-${payout.id}`)
      expect(create.json).toEqual({
        payouts: [
          {
            beneficiary_name: 'Kelompok Batik Sekar',
            beneficiary_account: '0123456789',
            beneficiary_bank: 'bca',
            beneficiary_email: 'bendahara@batiksekar.id',
            amount: '112500.00',
            notes: `mitra payout ${payout.id}`,
          },
        ],
      })

      const same = await errorOf(
        approveIrisPayout(db, providers, { payoutId: payout.id, actor: { id: 'usr_maker' } }),
      )
      expect([same.status, same.code]).toEqual([403, 'forbidden'])
      // About who calls, not a field of the request: no `errors`.
      expect(same.errors).toEqual([])
      expect(seen.approve).toHaveLength(0)

      const approved = await approveIrisPayout(db, providers, {
        payoutId: payout.id,
        actor: { id: 'usr_checker' },
      })
      expect(approved).toMatchObject({ status: 'processing', approvedBy: 'usr_checker' })
      const [approve] = seen.approve as [Seen]
      expect(approve.headers.get('authorization')).toBe(basic('IRIS-APPROVER-KEY'))
      expect(approve.json).toEqual({ reference_nos: ['ref_iris_001'] })
      // Paid through Iris, so not by hand: the payout (the URL's `id`) conflicts.
      const byHand = await errorOf(
        recordManualPayout(db, {
          payoutId: payout.id,
          actor: { id: 'usr_checker' },
          reference: 'x',
        }),
      )
      expect([byHand.status, byHand.code, byHand.errors.map((e) => e.path)]).toEqual([
        409,
        'conflict',
        ['id'],
      ])

      const completed = notify({
        reference_no: 'ref_iris_001',
        amount: '112500.00',
        status: 'completed',
        updated_at: '2026-05-20T10:00:00Z',
      })
      const paid = await handleIrisNotification(db, providers, completed)
      expect(paid).toMatchObject({ applied: true, outcome: 'paid' })
      expect(paid.execution?.status).toBe('paid')
      const repeat = await handleIrisNotification(db, providers, completed)
      expect(repeat).toMatchObject({ applied: false, outcome: 'paid' })
      // A late failure after completion changes nothing: paid is final.
      const late = await handleIrisNotification(
        db,
        providers,
        notify({ reference_no: 'ref_iris_001', status: 'failed', amount: '112500.00' }),
      )
      expect(late).toMatchObject({ applied: true, outcome: 'already_paid' })
      expect((await getPayout(db, payout.id)).status).toBe('paid')
      expect(await reversals(payout.id)).toBe(0)
      expect((await moneyPosition(db, payout.partyId, 'IDR')).inTransit.amount).toBe(0)
    })

    it('refuses a forged notification and fails, reverses, once on a genuine failed one', async () => {
      const { db } = database()
      const { producer, payout } = await postedPayout('iris')
      const seen = { create: [] as Seen[], approve: [] as Seen[] }
      server.use(...irisHandlers(seen, 'ref_iris_002'))
      await executePayout(db, providers, { payoutId: payout.id, actor: { id: 'usr_maker' } })
      await approveIrisPayout(db, providers, { payoutId: payout.id, actor: { id: 'usr_checker' } })
      const body = {
        reference_no: 'ref_iris_002',
        amount: '112500.00',
        status: 'failed',
        error_code: '001',
        error_message: 'Account does not exist',
      }
      const forged = notify(body, 'not-the-merchant-key')
      expect(await codeOf(handleIrisNotification(db, providers, forged))).toBe('401:unauthorized')
      const genuine = notify(body)
      const tampered = {
        rawBody: genuine.rawBody.replace('112500', '912500'),
        signature: genuine.signature,
      }
      expect(await codeOf(handleIrisNotification(db, providers, tampered))).toBe('401:unauthorized')
      expect(
        await codeOf(
          handleIrisNotification(db, providers, { rawBody: genuine.rawBody, signature: undefined }),
        ),
      ).toBe('401:unauthorized')
      expect((await getPayoutExecution(db, payout.id)).status).toBe('processing')
      expect(await reversals(payout.id)).toBe(0)

      const failed = await handleIrisNotification(db, providers, genuine)
      expect(failed).toMatchObject({ applied: true, outcome: 'failed' })
      expect(failed.execution?.failureReason).toContain('Account does not exist')
      const again = await handleIrisNotification(db, providers, genuine)
      expect(again.applied).toBe(false)
      expect(await reversals(payout.id)).toBe(1)
      // It never arrived: nothing to undo of an arrival, the items are owed again.
      expect(await findPosted(db, { type: 'payout_paid_reversal', id: payout.id })).toBeNull()
      const after = await moneyPosition(db, producer, 'IDR')
      expect([after.inTransit.amount, after.payable.amount]).toEqual([0, 112_500])
      expect((await previewPayout(db, { partyId: producer, currency: 'IDR' })).amount).toEqual(
        idr(112_500),
      )
    })

    it('fails and reverses a rejected payout; retries a 502 on creation with the same key', async () => {
      const { db } = database()
      const { payout } = await postedPayout('iris')
      const keys: (string | null)[] = []
      server.use(
        http.post(`${IRIS}/payouts`, ({ request }) => {
          keys.push(request.headers.get('idempotency-key'))
          if (keys.length === 1) {
            return HttpResponse.json({ error_message: 'Bad gateway' }, { status: 502 })
          }
          return HttpResponse.json(
            { payouts: [{ status: 'queued', reference_no: 'ref_iris_003' }] },
            { status: 201 },
          )
        }),
      )
      const created = await executePayout(db, providers, {
        payoutId: payout.id,
        method: 'midtrans_iris',
        actor: { id: 'usr_maker' },
      })
      expect(created).toMatchObject({
        status: 'pending_approval',
        providerReference: 'ref_iris_003',
        attempts: 2,
      })
      expect(keys).toEqual([`mitra-${payout.id}`, `mitra-${payout.id}`])
      const rejected = await handleIrisNotification(
        db,
        providers,
        notify({ reference_no: 'ref_iris_003', amount: '112500.00', status: 'rejected' }),
      )
      expect(rejected).toMatchObject({ applied: true, outcome: 'failed' })
      expect((await getPayout(db, payout.id)).status).toBe('reversed')
      expect(
        await codeOf(
          approveIrisPayout(db, providers, { payoutId: payout.id, actor: { id: 'usr_checker' } }),
        ),
      ).toBe('resolved')
      expect(await reversals(payout.id)).toBe(1)
    })

    it('fails and reverses when Iris refuses the payout (4xx)', async () => {
      const { db } = database()
      const { producer, payout } = await postedPayout('iris')
      server.use(
        http.post(`${IRIS}/payouts`, () =>
          HttpResponse.json(
            { error_message: 'Payout is invalid', errors: ['Beneficiary bank is not supported'] },
            { status: 400 },
          ),
        ),
      )
      const execution = await executePayout(db, providers, {
        payoutId: payout.id,
        actor: { id: 'usr_maker' },
      })
      expect(execution.status).toBe('failed')
      expect(execution.failureReason).toContain('400')
      expect((await previewPayout(db, { partyId: producer, currency: 'IDR' })).payable).toBe(true)
    })
  })

  describe('manual payouts and the provider-neutral entry', () => {
    it('records a manual payout with its proof, and a failed one reverses', async () => {
      const { db } = database()
      const { producer, payout } = await postedPayout('manual')
      const pending = await executePayout(
        db,
        {},
        {
          payoutId: payout.id,
          actor: { id: 'usr_treasurer' },
        },
      )
      expect(pending).toMatchObject({ status: 'processing', method: 'manual' })
      const bad = await errorOf(
        recordManualPayout(db, {
          payoutId: payout.id,
          actor: { id: 'usr_treasurer' },
          reference: ' ',
          proofUrl: 'not a url',
        }),
      )
      expect(bad.errors.map((e) => e.path).sort()).toEqual(['proof_url', 'reference'])
      // Not an Iris payout: nothing to approve (404 naming the URL's `id`).
      const notIris = await errorOf(
        approveIrisPayout(db, providers, { payoutId: payout.id, actor: { id: 'usr_checker' } }),
      )
      expect([notIris.status, notIris.errors.map((e) => e.path)]).toEqual([404, ['id']])
      const paid = await recordManualPayout(db, {
        payoutId: payout.id,
        actor: { id: 'usr_treasurer' },
        reference: 'BRI transfer 20260520-0042',
        proofUrl: 'https://files.example/bukti/0042.jpg',
      })
      expect(paid).toMatchObject({
        status: 'paid',
        proof: {
          reference: 'BRI transfer 20260520-0042',
          url: 'https://files.example/bukti/0042.jpg',
        },
      })
      // Paid by hand moves the money: nothing of it stays in transit.
      expect((await moneyPosition(db, producer, 'IDR')).inTransit.amount).toBe(0)
      expect(await findPosted(db, { type: 'payout_paid', id: payout.id })).not.toBeNull()
      const replay = await recordManualPayout(db, {
        payoutId: payout.id,
        actor: { id: 'usr_treasurer' },
        reference: 'BRI transfer 20260520-0042',
      })
      expect(replay.paidAt).toEqual(paid.paidAt)
      const failed = await failManualPayout(db, {
        payoutId: payout.id,
        actor: { id: 'usr_treasurer' },
        reason: 'transfer returned by the bank',
      })
      expect(failed).toMatchObject({ status: 'failed' })
      expect(failed.failureReason).toContain('transfer returned by the bank')
      expect(await reversals(payout.id)).toBe(1)
      // It came back: its arrival is undone too, and the items are owed again.
      expect(await findPosted(db, { type: 'payout_paid_reversal', id: payout.id })).not.toBeNull()
      const after = await moneyPosition(db, producer, 'IDR')
      expect([after.inTransit.amount, after.payable.amount]).toEqual([0, 112_500])
      expect((await previewPayout(db, { partyId: producer, currency: 'IDR' })).amount).toEqual(
        idr(112_500),
      )
      // Cash handed over without an earlier execute: paid straight away.
      const next = await postPayout(db, { partyId: producer, currency: 'IDR' })
      const cash = await recordManualPayout(db, {
        payoutId: next.id,
        actor: { id: 'usr_treasurer' },
        reference: 'tunai, kuitansi no. 12',
      })
      expect(cash).toMatchObject({ status: 'paid', method: 'manual', proof: { url: null } })
    })

    it('chooses the default destination, or the method asked for, and says what is missing', async () => {
      const { db } = database()
      const { producer, payout } = await postedPayout('manual')
      expect(
        await codeOf(
          executePayout(db, providers, {
            payoutId: payout.id,
            method: 'stripe_transfer',
            actor: { id: 'usr_treasurer' },
          }),
        ),
      ).toBe('409:payout_destination_missing')
      await setPayoutDestination(db, {
        partyId: producer,
        method: 'stripe_transfer',
        stripeAccountId: 'acct_1Pother',
      })
      expect(
        await codeOf(
          executePayout(
            db,
            {},
            {
              payoutId: payout.id,
              method: 'stripe_transfer',
              actor: { id: 'usr_treasurer' },
            },
          ),
        ),
      ).toBe('503:unavailable')
      const invalid = await errorOf(
        executePayout(db, providers, {
          payoutId: 'po_nope',
          actor: { id: '' },
        }),
      )
      expect(invalid.errors.map((e) => e.path).sort()).toEqual(['actor.id', 'id'])
      expect(
        await codeOf(
          executePayout(db, providers, { payoutId: newId('po'), actor: { id: 'usr_treasurer' } }),
        ),
      ).toBe('404:not_found')
      // Nothing was started by the refused attempts: the default (manual) applies.
      const [none] = await db
        .select()
        .from(payoutExecutions)
        .where(eq(payoutExecutions.payoutId, payout.id))
      expect(none).toBeUndefined()
      const execution = await executePayout(db, providers, {
        payoutId: payout.id,
        actor: { id: 'usr_treasurer' },
      })
      expect(execution.method).toBe('manual')
      expect(
        await codeOf(
          executePayout(db, providers, {
            payoutId: payout.id,
            method: 'stripe_transfer',
            actor: { id: 'usr_treasurer' },
          }),
        ),
      ).toBe('409:conflict')
    })
  })
})
