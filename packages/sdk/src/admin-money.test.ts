// The money resources of `mitra.admin` against the real server (in-process, PGlite): sale
// line explanations, statements, payouts, balances, settlements, remittances, subcontracts,
// advances and inti-plasma partnerships — every method, the state it leaves as a later read
// shows it, and its errors. Iris (payouts) is mocked with msw; the app runs in-process.
import { platformRemittanceTerms } from '@mitra/consignment/testing'
import type { TestParty } from '@mitra/server/testing'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdminApi, BodyOf, StatementQuery } from './index.js'
import { apiError, type Terms, useSdkAgainstServer } from './test-support.js'

const IRIS = 'https://iris.mitra.test/api/v1'
const iris = setupServer(
  http.post(`${IRIS}/payouts`, () =>
    HttpResponse.json(
      { payouts: [{ status: 'queued', reference_no: 'ref_iris_001' }] },
      { status: 201 },
    ),
  ),
  http.post(`${IRIS}/payouts/approve`, () => HttpResponse.json({ status: 'ok' })),
)
beforeAll(() => iris.listen({ onUnhandledRequest: 'error' }))
afterAll(() => iris.close())

/** 20 % to the café, which remits its counter cash through the platform (as the SDK sends them). */
const terms: Terms = platformRemittanceTerms

const idr = (amount: number) => ({ amount, currency: 'IDR' as const })
/** A settlement minimum no one reaches: it settles the holders' cash and pays nobody out. */
const noPayouts = 1_000_000_000_000

const notFound = { status: 404, code: 'not_found' } as const
const forbidden = { status: 403, code: 'forbidden' } as const

/** This month in Jakarta time (`2026-12`) and the first day of it and of the next. */
function thisMonth() {
  const now = new Date(Date.now() + 7 * 3_600_000)
  const year = now.getUTCFullYear()
  const month = now.getUTCMonth()
  const day = (y: number, m: number) => new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10)
  return { period: day(year, month).slice(0, 7), from: day(year, month), to: day(year, month + 1) }
}

let receipts = 0
const receipt = () => `NOTA-${String(++receipts).padStart(4, '0')}`

describe('admin money resources against the server', () => {
  const api = useSdkAgainstServer({
    payoutProviders: {
      iris: {
        baseUrl: IRIS,
        creatorKey: 'IRIS-creator',
        approverKey: 'IRIS-approver',
        merchantKey: 'M',
      },
      retry: { attempts: 1 },
    },
  })

  let platformParty: Promise<TestParty> | undefined
  /** The platform operator (one party per database), with a new owner key each call. */
  async function operator() {
    platformParty ??= api.party('platform')
    const party = await platformParty
    const owner = await api.platformOwner()
    expect(owner.id).toBe(party.id)
    const client = api.clientFor({ secret: owner.secret, publishable: party.publishable })
    return { id: party.id, admin: client.admin }
  }

  /** A batik group at a café on 20 %, a Rp150.000 cloth, `units` delivered. */
  async function atCafe(units = 5) {
    await operator()
    const found = await api.partnership(
      { title: 'Batik tulis', category: 'batik', sku: `BT-${receipts}`, price: 150_000 },
      terms,
    )
    expect((await api.deliver(found.producer, found.venue, found.variantId, units)).status).toBe(
      200,
    )
    const asProducer = api.clientFor(found.producer).admin
    const asVenue = api.clientFor(found.venue).admin
    const sell = (quantity = 1, channel: 'cash' | 'qris' = 'cash') =>
      asVenue.sales.create({
        venue_id: found.venue.id,
        receipt_number: receipt(),
        channel,
        lines: [{ variant_id: found.variantId, quantity }],
      })
    return { ...found, asProducer, asVenue, sell }
  }

  /** Settles (no payouts) and returns the remittance asked of `venue` by that settlement. */
  async function dueFrom(platform: AdminApi, venue: TestParty) {
    const run = await platform.settlements.create({ minimum: noPayouts })
    const holder = run.holders.find((h) => h.party_id === venue.id)
    expect(holder?.remittance_ids).toHaveLength(1)
    return { run, remittanceId: holder!.remittance_ids[0]! }
  }

  /** A cash sale remitted to the platform and confirmed: the producer's share is payable. */
  async function collected(cafe: Awaited<ReturnType<typeof atCafe>>, platform: AdminApi) {
    await cafe.sell()
    const { remittanceId } = await dueFrom(platform, cafe.venue)
    await cafe.asVenue.remittances.record(remittanceId, {
      method: 'transfer',
      reference: `BCA ${remittanceId}`,
    })
    expect((await platform.remittances.confirm(remittanceId)).status).toBe('confirmed')
  }

  it('explains each share of a sale line to its own party only', async () => {
    const { producer, venue, asProducer, asVenue, sell } = await atCafe()
    const sale = await sell()
    const lineId = sale.postings[0]!.sale_line_id
    const mine = await asProducer.saleLines.explain(lineId)
    expect(mine).toMatchObject({
      sale_line_id: lineId,
      transaction_id: sale.postings[0]!.transaction_id,
      party_id: producer.id,
      gross: idr(150_000),
      reversals: [],
    })
    const share = mine.lines.find((line) => line.kind === 'share')
    expect(share).toMatchObject({ role: 'producer', amount: idr(120_000) })
    const theirs = await asVenue.saleLines.explain(lineId)
    expect(theirs.party_id).toBe(venue.id)
    const commission = theirs.lines.find((line) => line.kind === 'share')
    expect(commission).toMatchObject({
      role: 'venue',
      amount: idr(30_000),
      rate: { kind: 'percent', bps: 2_000 },
    })
    // The café also collected the whole price in cash, for the others.
    expect(theirs.lines.find((line) => line.kind === 'collected')).toMatchObject({
      amount: idr(150_000),
      quantity: 1,
      unit_price: idr(150_000),
    })
    const stranger = api.clientFor(await api.party('producer')).admin
    expect(await apiError(stranger.saleLines.explain(lineId))).toMatchObject(notFound)
    expect(await apiError(asProducer.saleLines.explain('sl_nope'))).toMatchObject(notFound)
  })

  it('shows both sides one statement by period or by dates, as JSON, CSV and HTML, and reviews it', async () => {
    const { producer, venue, agreementId, asProducer, asVenue, sell } = await atCafe()
    const sale = await sell()
    const month = thisMonth()
    const byPeriod = await asProducer.statements.get(agreementId, { period: month.period })
    expect(byPeriod).toMatchObject({
      agreement_id: agreementId,
      producer_id: producer.id,
      venue_id: venue.id,
      cycle: 'monthly',
      statement: {
        currency: 'IDR',
        opening_balance: idr(0),
        closing_balance: idr(120_000),
        totals: { sales: idr(120_000) },
      },
      review: { agreement_id: agreementId, status: 'open', acknowledgments: [], disputes: [] },
    })
    expect(byPeriod.statement.entries).toMatchObject([
      { sale_line_id: sale.postings[0]!.sale_line_id, amount: idr(120_000), balance: idr(120_000) },
    ])
    expect(byPeriod.statement_hash).toMatch(/^[0-9a-f]{64}$/)
    // The same period from its dates, a day in it, and from the café's side.
    const byDates = await asProducer.statements.get(agreementId, { from: month.from, to: month.to })
    expect(byDates.period).toEqual(byPeriod.period)
    expect(byDates.statement_hash).toBe(byPeriod.statement_hash)
    const byDay = await asVenue.statements.get(agreementId, { period: `${month.period}-15` })
    expect(byDay.statement_hash).toBe(byPeriod.statement_hash)

    const csv = await asProducer.statements.csv(agreementId, { period: month.period })
    expect(typeof csv).toBe('string')
    const rows = csv.trim().split('\n')
    expect(rows.length).toBeGreaterThan(1)
    expect(csv).toContain(sale.postings[0]!.sale_line_id)
    const html = await asVenue.statements.html(agreementId, { period: month.period, locale: 'en' })
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain('IDR 120,000')
    const indonesian = await asVenue.statements.html(agreementId, { from: month.from })
    expect(indonesian).toContain('Rp120.000')

    // Acknowledging names the statement read: another hash is stale.
    expect(
      await apiError(
        asProducer.statements.acknowledge(agreementId, {
          period: month.period,
          statement_hash: '0'.repeat(64),
        }),
      ),
    ).toMatchObject({ status: 409, code: 'statement_stale' })
    const acked = await asProducer.statements.acknowledge(agreementId, {
      period: month.period,
      statement_hash: byPeriod.statement_hash,
    })
    expect(acked).toMatchObject({
      status: 'partly_acknowledged',
      statement_hash: byPeriod.statement_hash,
    })
    expect(acked.acknowledgments).toMatchObject([
      { party_id: producer.id, side: 'producer', stale: false },
    ])

    // The café disputes the sale line; both see it until its author withdraws it.
    expect(
      await apiError(
        asVenue.statements.dispute(agreementId, {
          period: month.period,
          line_ref: 'sl_unknown',
          comment: 'nota apa ini?',
        }),
      ),
    ).toMatchObject({ status: 422, code: 'validation_failed' })
    const dispute = await asVenue.statements.dispute(agreementId, {
      from: month.from,
      to: month.to,
      line_ref: sale.postings[0]!.sale_line_id,
      comment: 'Nota ini dibayar QRIS, bukan tunai',
    })
    expect(dispute).toMatchObject({
      party_id: venue.id,
      side: 'venue',
      line_ref: sale.postings[0]!.sale_line_id,
      comment: 'Nota ini dibayar QRIS, bukan tunai',
      status: 'open',
      resolved_at: null,
    })
    const seen = await asProducer.statements.get(agreementId, { period: month.period })
    expect(seen.review.status).toBe('disputed')
    expect(seen.review.disputes.map((d) => d.id)).toEqual([dispute.id])
    expect(
      await apiError(asProducer.statements.resolveDispute(dispute.id, { note: 'bukan punyamu' })),
    ).toMatchObject(forbidden)
    const resolved = await asVenue.statements.resolveDispute(dispute.id, {
      note: 'Salah lihat, benar tunai',
    })
    expect(resolved).toMatchObject({
      id: dispute.id,
      status: 'withdrawn',
      resolution_note: 'Salah lihat, benar tunai',
      resolved_at: expect.any(String),
    })
    expect(
      await apiError(asVenue.statements.resolveDispute(dispute.id, { note: 'lagi' })),
    ).toMatchObject({ status: 409, code: 'dispute_closed' })
    const ackedByVenue = await asVenue.statements.acknowledge(agreementId, {
      from: month.from,
      to: month.to,
      statement_hash: seen.statement_hash,
    })
    expect(ackedByVenue.status).toBe('acknowledged')
    expect(
      (await asProducer.statements.get(agreementId, { period: month.period })).review.status,
    ).toBe('acknowledged')

    // No period, or one it cannot read: 422 naming the field. Others: 404.
    for (const [query, path] of [
      [{}, 'period'],
      [{ period: 'december' }, 'period'],
      [{ from: '1-12-2026' }, 'from'],
    ] as const) {
      // `{}` is a type error in the SDK; a JavaScript caller can still send it.
      const sent = query as unknown as StatementQuery
      expect(await apiError(asProducer.statements.get(agreementId, sent)), path).toMatchObject({
        status: 422,
        errors: [{ path }],
      })
    }
    const stranger = api.clientFor(await api.party('venue')).admin
    expect(
      await apiError(stranger.statements.get(agreementId, { period: month.period })),
    ).toMatchObject(notFound)
    expect(
      await apiError(stranger.statements.csv(agreementId, { period: month.period })),
    ).toMatchObject(notFound)
    expect(
      await apiError(stranger.statements.html(agreementId, { period: month.period })),
    ).toMatchObject(notFound)
    expect(
      await apiError(
        stranger.statements.acknowledge(agreementId, {
          period: month.period,
          statement_hash: seen.statement_hash,
        }),
      ),
    ).toMatchObject(notFound)
    expect(
      await apiError(stranger.statements.resolveDispute(dispute.id, { note: 'x' })),
    ).toMatchObject(notFound)
  })

  // Errors name the request's own fields, as sent: `statement_hash`, `line_ref`.
  it('names statement_hash when an acknowledgment is stale', async () => {
    const { agreementId, producer } = await api.partnership()
    const statements = api.clientFor(producer).admin.statements
    const stale = statements.acknowledge(agreementId, {
      period: thisMonth().period,
      statement_hash: '0'.repeat(64),
    })
    expect(await apiError(stale)).toMatchObject({
      status: 409,
      errors: [{ path: 'statement_hash' }],
    })
  })

  it('names line_ref when the disputed line is not in the statement', async () => {
    const { agreementId, venue } = await api.partnership()
    const statements = api.clientFor(venue).admin.statements
    const unknown = statements.dispute(agreementId, {
      period: thisMonth().period,
      line_ref: 'sl_unknown',
      comment: 'nota apa ini?',
    })
    expect(await apiError(unknown)).toMatchObject({ status: 422, errors: [{ path: 'line_ref' }] })
  })

  it('settles a café’s cash: a remittance due, recorded, disputed, recorded again, confirmed, bounced, asked again', async () => {
    const platform = await operator()
    const { producer, venue, asProducer, asVenue, sell } = await atCafe()
    await sell()
    const before = await asProducer.balance.get()
    expect(before).toMatchObject({
      object: 'balance',
      party_id: producer.id,
      currency: 'IDR',
      owed: idr(120_000),
      payable: idr(0),
      in_transit: idr(0),
      awaiting: [{ party_id: venue.id, amount: idr(120_000), requested: idr(0) }],
      funds: null,
    })
    const cafe = await asVenue.balance.get({ currency: 'IDR' })
    expect(cafe).toMatchObject({
      holds: idr(120_000),
      owes: [{ party_id: producer.id, amount: idr(120_000) }],
    })

    // Only the platform operator settles.
    expect(await apiError(asVenue.settlements.create({ minimum: 1 }))).toMatchObject(forbidden)
    expect(
      await apiError(platform.admin.settlements.create({ currency: 'IDR', minimum: -1 })),
    ).toMatchObject({ status: 422, code: 'validation_failed', errors: [{ path: 'minimum' }] })
    const { run, remittanceId } = await dueFrom(platform.admin, venue)
    expect(run).toMatchObject({
      currency: 'IDR',
      minimum: idr(noPayouts),
      created_by: expect.stringMatching(/^key_/),
      payouts: [],
    })
    expect(run.remittance_ids).toContain(remittanceId)
    const readBack = await platform.admin.settlements.get(run.id)
    expect(readBack).toMatchObject({ id: run.id, remittance_ids: run.remittance_ids, payouts: [] })
    expect(await apiError(asVenue.settlements.get(run.id))).toMatchObject(forbidden)
    expect(
      await apiError(platform.admin.settlements.get('stl_01m95ezgrm042q82en7e1hf82w')),
    ).toMatchObject(notFound)

    const due = await asVenue.remittances.get(remittanceId)
    expect(due).toMatchObject({
      id: remittanceId,
      settlement_id: run.id,
      from_party_id: venue.id,
      to_party_id: platform.id,
      route: 'platform',
      amount: idr(120_000),
      claims: [{ party_id: producer.id, amount: idr(120_000) }],
      status: 'due',
      due_at: expect.any(String),
      previous_id: null,
    })
    expect((await asProducer.balance.get()).awaiting).toMatchObject([
      { party_id: venue.id, requested: idr(120_000) },
    ])
    const listed = await asVenue.remittances.list({ direction: 'from', status: 'due' })
    expect(listed.data.map((r) => r.id)).toEqual([remittanceId])
    expect(
      (await platform.admin.remittances.list({ settlement_id: run.id, direction: 'to' })).data.map(
        (r) => r.id,
      ),
    ).toContain(remittanceId)
    const stranger = api.clientFor(await api.party('venue')).admin
    expect(await apiError(stranger.remittances.get(remittanceId))).toMatchObject(notFound)
    expect(
      await apiError(stranger.remittances.record(remittanceId, { method: 'cash', reference: 'x' })),
    ).toMatchObject(notFound)
    expect((await stranger.remittances.list()).data).toEqual([])

    // More than is due: 409 with what is due.
    const over = await apiError(
      asVenue.remittances.record(remittanceId, {
        amount: { amount: 120_001, currency: 'IDR' },
        method: 'transfer',
        reference: 'BCA 1',
      }),
    )
    expect(over).toMatchObject({
      status: 409,
      code: 'remittance_exceeds_due',
      errors: [{ path: 'amount.amount' }],
    })
    expect(over.problem.amount_due).toEqual(idr(120_000))
    expect(
      await apiError(asVenue.remittances.record(remittanceId, { method: 'cash', reference: '' })),
    ).toMatchObject({ status: 422, errors: [{ path: 'reference' }] })
    const recorded = await asVenue.remittances.record(remittanceId, {
      method: 'transfer',
      reference: 'BCA 0412-1',
      proof_url: 'https://bukti.example/bca-0412-1.jpg',
      note: 'transfer sore',
    })
    expect(recorded).toMatchObject({
      status: 'recorded',
      method: 'transfer',
      reference: 'BCA 0412-1',
      proof_url: 'https://bukti.example/bca-0412-1.jpg',
      note: 'transfer sore',
      recorded_by: expect.stringMatching(/^key_/),
      recorded_at: expect.any(String),
    })
    // The platform received it: only it confirms or disputes.
    expect(await apiError(asVenue.remittances.confirm(remittanceId))).toMatchObject(forbidden)
    expect(
      await apiError(asVenue.remittances.dispute(remittanceId, { reason: 'x' })),
    ).toMatchObject(forbidden)
    const disputed = await platform.admin.remittances.dispute(remittanceId, {
      reason: 'Belum masuk rekening',
    })
    expect(disputed).toMatchObject({
      status: 'disputed',
      dispute_reason: 'Belum masuk rekening',
      disputed_at: expect.any(String),
    })
    expect((await asVenue.remittances.get(remittanceId)).status).toBe('disputed')
    expect(await apiError(platform.admin.remittances.confirm(remittanceId))).toMatchObject({
      status: 409,
      code: 'illegal_status_transition',
    })
    const again = await asVenue.remittances.record(remittanceId, {
      method: 'transfer',
      reference: 'BCA 0412-2',
    })
    expect(again).toMatchObject({ status: 'recorded', reference: 'BCA 0412-2' })
    const confirmed = await platform.admin.remittances.confirm(remittanceId)
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      confirmed_by: expect.stringMatching(/^key_/),
      confirmed_at: expect.any(String),
    })
    expect(confirmed.transaction_ids.length).toBeGreaterThan(0)
    expect(await asProducer.balance.get()).toMatchObject({ payable: idr(120_000), awaiting: [] })
    expect((await platform.admin.balance.get()).funds).toEqual(idr(120_000))
    // Paid once: recording something else now is a conflict; disputing it too.
    expect(
      await apiError(
        asVenue.remittances.record(remittanceId, { method: 'cash', reference: 'tunai' }),
      ),
    ).toMatchObject({ status: 409, code: 'remittance_already_recorded' })
    expect(
      await apiError(platform.admin.remittances.dispute(remittanceId, { reason: 'lagi' })),
    ).toMatchObject({ status: 409, code: 'illegal_status_transition' })

    // The transfer came back: undone, and the same amount asked again.
    expect(await apiError(asVenue.remittances.bounce(remittanceId, { reason: 'x' }))).toMatchObject(
      forbidden,
    )
    const bounced = await platform.admin.remittances.bounce(remittanceId, {
      reason: 'Transfer ditolak bank',
    })
    expect(bounced).toMatchObject({
      status: 'bounced',
      bounce_reason: 'Transfer ditolak bank',
      bounced_at: expect.any(String),
    })
    expect(bounced.reversal_transaction_ids).toHaveLength(confirmed.transaction_ids.length)
    expect(
      await apiError(platform.admin.remittances.bounce(recorded.id, { reason: '' })),
    ).toMatchObject({ status: 422, errors: [{ path: 'reason' }] })
    expect(await asProducer.balance.get()).toMatchObject({
      payable: idr(0),
      awaiting: [{ party_id: venue.id, amount: idr(120_000) }],
    })
    const askedAgain = (await asVenue.remittances.list({ direction: 'from', status: 'due' })).data
    expect(askedAgain).toMatchObject([
      { previous_id: remittanceId, amount: idr(120_000), status: 'due' },
    ])
    // Paid in part: the rest stays due, as another remittance.
    const part = await asVenue.remittances.record(askedAgain[0]!.id, {
      amount: { amount: 100_000, currency: 'IDR' },
      method: 'cash',
      reference: 'Tunai 1',
    })
    expect(part).toMatchObject({ status: 'recorded', amount: idr(100_000) })
    const rest = (await asVenue.remittances.list({ direction: 'from', status: 'due' })).data
    expect(rest).toMatchObject([{ previous_id: part.id, amount: idr(20_000) }])

    // Every remittance the café pays, one per page.
    const pages = asVenue.remittances.list({ direction: 'from', limit: 1 })
    expect((await pages).next_cursor).toEqual(expect.any(String))
    const all: string[] = []
    for await (const remittance of pages) {
      expect(remittance.from_party_id).toBe(venue.id)
      all.push(remittance.id)
    }
    expect(all).toEqual([remittanceId, part.id, rest[0]!.id])
  })

  it('lets the café pay what it owes through a payment link', async () => {
    const platform = await operator()
    const { venue, asProducer, asVenue, sell } = await atCafe()
    await sell()
    const { remittanceId } = await dueFrom(platform.admin, venue)
    expect(await apiError(asProducer.remittances.paymentLink(remittanceId, {}))).toMatchObject(
      notFound,
    )
    expect(
      await apiError(
        asVenue.remittances.paymentLink(remittanceId, {
          provider: 'demo',
          return_url: 'not a url',
        }),
      ),
    ).toMatchObject({ status: 422, errors: [{ path: 'return_url' }] })
    const link = await asVenue.remittances.paymentLink(remittanceId, {
      provider: 'demo',
      return_url: 'https://kafe.example/kas',
    })
    expect(link).toMatchObject({
      provider: 'demo',
      redirect_url: expect.stringMatching(/^https?:\/\//),
      remittance: { id: remittanceId, amount: idr(120_000) },
    })
    const page = new URL(link.redirect_url).pathname
    const form = new FormData()
    form.set('method', 'qris')
    expect((await api.call('POST', `${page}/pay`, { body: form })).status).toBe(303)
    // QRIS took 0.7 % (Rp840) on the way: what arrived is paid, the café still owes the rest.
    const paid = await asVenue.remittances.get(remittanceId)
    expect(paid).toMatchObject({
      status: 'confirmed',
      method: 'payment_link',
      amount: idr(119_160),
      confirmed_at: expect.any(String),
    })
    const rest = await asVenue.remittances.list({ direction: 'from', status: 'due' })
    expect(rest.data).toMatchObject([{ previous_id: remittanceId, amount: idr(840) }])
    expect(await asProducer.balance.get()).toMatchObject({
      payable: idr(119_160),
      awaiting: [{ party_id: venue.id, amount: idr(840) }],
    })
    // Paid: no second link.
    expect(
      await apiError(asVenue.remittances.paymentLink(remittanceId, { provider: 'demo' })),
    ).toMatchObject({ status: 409, code: 'illegal_status_transition' })
  })

  it('pays a producer out by hand: destination, preview, payout, execution, proof', async () => {
    const platform = await operator()
    const cafe = await atCafe()
    const { producer, asProducer, asVenue } = cafe
    // Before anything is collected, nothing is payable.
    expect(await asProducer.payouts.preview()).toMatchObject({
      party_id: producer.id,
      amount: idr(0),
      payable: false,
      items: [],
    })
    await collected(cafe, platform.admin)

    const preview = await platform.admin.payouts.preview({ party_id: producer.id, currency: 'IDR' })
    expect(preview).toMatchObject({
      party_id: producer.id,
      currency: 'IDR',
      amount: idr(120_000),
      advance_repayment: idr(0),
      net: idr(120_000),
      payable: true,
    })
    expect(preview.items.length).toBeGreaterThan(0)
    expect(preview.items.reduce((sum, item) => sum + item.amount, 0)).toBe(-120_000)
    expect((await asProducer.payouts.preview({ minimum: 200_000 })).payable).toBe(false)
    expect(await apiError(asVenue.payouts.preview({ party_id: producer.id }))).toMatchObject(
      forbidden,
    )

    expect(await apiError(asProducer.payouts.create({ party_id: producer.id }))).toMatchObject(
      forbidden,
    )
    expect(
      await apiError(
        platform.admin.payouts.create({
          party_id: producer.id,
          currency: 'IDR',
          expected_amount: 1,
        }),
      ),
    ).toMatchObject({ status: 409, code: 'payout_stale' })
    expect(
      await apiError(platform.admin.payouts.create({ party_id: 'someone', currency: 'IDR' })),
    ).toMatchObject({ status: 422, errors: [{ path: 'party_id' }] })
    const payout = await platform.admin.payouts.create(
      { party_id: producer.id, currency: 'IDR', expected_amount: 120_000 },
      { idempotencyKey: `payout-${producer.id}` },
    )
    expect(payout).toMatchObject({
      party_id: producer.id,
      currency: 'IDR',
      amount: idr(120_000),
      status: 'in_transit',
      paid_at: null,
    })
    const replayed = await platform.admin.payouts.create(
      { party_id: producer.id, currency: 'IDR', expected_amount: 120_000 },
      { idempotencyKey: `payout-${producer.id}` },
    )
    expect(replayed.id).toBe(payout.id)
    expect(await asProducer.balance.get()).toMatchObject({
      payable: idr(0),
      in_transit: idr(120_000),
    })
    // Nothing left to pay.
    expect(await apiError(platform.admin.payouts.create({ party_id: producer.id }))).toMatchObject({
      status: 409,
      code: 'payout_below_minimum',
    })

    const mine = await asProducer.payouts.get(payout.id)
    expect(mine).toMatchObject({ id: payout.id, status: 'in_transit' })
    expect(mine.items?.reduce((sum, item) => sum + item.amount, 0)).toBe(-120_000)
    expect(await apiError(asVenue.payouts.get(payout.id))).toMatchObject(notFound)
    expect((await asProducer.payouts.list()).data.map((p) => p.id)).toEqual([payout.id])
    expect(await apiError(asVenue.payouts.list({ party_id: producer.id }))).toMatchObject(forbidden)

    // No destination yet: the payout cannot be sent.
    expect(await apiError(platform.admin.payouts.execute(payout.id))).toMatchObject({
      status: 409,
      code: 'payout_destination_missing',
    })
    expect(
      await apiError(
        asProducer.payouts.setDestination({
          method: 'stripe_transfer',
          stripe_account_id: 'batik',
        }),
      ),
    ).toMatchObject({ status: 422, errors: [{ path: 'stripe_account_id' }] })
    const destination = await asProducer.payouts.setDestination({
      method: 'manual',
      is_default: true,
      note: 'Tunai ke bendahara',
    })
    expect(destination).toMatchObject({
      party_id: producer.id,
      method: 'manual',
      is_default: true,
      note: 'Tunai ke bendahara',
      stripe_account_id: null,
      bank_code: null,
    })
    expect(await apiError(asProducer.payouts.execute(payout.id))).toMatchObject(forbidden)
    const executing = await platform.admin.payouts.execute(payout.id)
    expect(executing).toMatchObject({
      payout_id: payout.id,
      party_id: producer.id,
      method: 'manual',
      amount: idr(120_000),
      status: 'processing',
      destination: 'manual: Tunai ke bendahara',
      proof: null,
    })
    // Approval is for Iris payouts only.
    expect(await apiError(platform.admin.payouts.approve(payout.id))).toMatchObject(notFound)
    expect(
      await apiError(asProducer.payouts.recordManual(payout.id, { reference: 'x' })),
    ).toMatchObject(forbidden)
    expect(
      await apiError(
        platform.admin.payouts.recordManual(payout.id, { reference: '', proof_url: 'nope' }),
      ),
    ).toMatchObject({ status: 422, errors: [{ path: 'reference' }, { path: 'proof_url' }] })
    const paid = await platform.admin.payouts.recordManual(payout.id, {
      reference: 'BCA 0123 transfer',
      proof_url: 'https://bukti.example/po.jpg',
    })
    expect(paid).toMatchObject({
      payout_id: payout.id,
      method: 'manual',
      status: 'paid',
      proof: { reference: 'BCA 0123 transfer', url: 'https://bukti.example/po.jpg' },
      paid_at: expect.any(String),
    })
    expect(await asProducer.payouts.get(payout.id)).toMatchObject({
      status: 'paid',
      paid_at: expect.any(String),
    })
    expect(await asProducer.balance.get()).toMatchObject({
      owed: idr(0),
      payable: idr(0),
      in_transit: idr(0),
      awaiting: [],
    })
    expect((await asProducer.payouts.list({ status: 'paid' })).data.map((p) => p.id)).toEqual([
      payout.id,
    ])
  })

  it('sends a payout through Iris, approved by someone other than who sent it', async () => {
    const maker = await operator()
    const checker = await operator()
    const cafe = await atCafe()
    await collected(cafe, maker.admin)
    const iris = await cafe.asProducer.payouts.setDestination({
      method: 'midtrans_iris',
      bank_code: 'bca',
      account_number: '1234567890',
      account_name: 'Kelompok Batik Gemawang',
      email: 'bendahara@batik.example',
      is_default: true,
    })
    expect(iris).toMatchObject({
      method: 'midtrans_iris',
      bank_code: 'bca',
      account_number: '1234567890',
      account_name: 'Kelompok Batik Gemawang',
      note: null,
    })
    const payout = await maker.admin.payouts.create({ party_id: cafe.producer.id })
    const sent = await maker.admin.payouts.execute(payout.id)
    expect(sent).toMatchObject({
      method: 'midtrans_iris',
      status: 'pending_approval',
      provider_reference: 'ref_iris_001',
      destination: 'bca:1234567890 (Kelompok Batik Gemawang)',
      approved_by: null,
    })
    // Executing again returns it as it is: one execution per payout.
    expect((await maker.admin.payouts.execute(payout.id)).status).toBe('pending_approval')
    expect(await apiError(maker.admin.payouts.approve(payout.id))).toMatchObject({
      status: 403,
      code: 'forbidden',
      // Who asks is what fails: the refusal names the key.
      errors: [expect.objectContaining({ path: 'authorization' })],
    })
    const approved = await checker.admin.payouts.approve(payout.id)
    expect(approved).toMatchObject({
      status: 'processing',
      approved_by: expect.stringMatching(/^key_/),
      approved_at: expect.any(String),
    })
    expect(approved.approved_by).not.toBe(approved.created_by)
    // Paid by Iris: not by hand.
    expect(
      await apiError(maker.admin.payouts.recordManual(payout.id, { reference: 'tunai' })),
    ).toMatchObject({ status: 409, code: 'conflict' })
    expect((await cafe.asProducer.payouts.get(payout.id)).status).toBe('in_transit')
  })

  it('lists settlements and payouts across pages (the platform sees everyone’s)', async () => {
    const platform = await operator()
    const cafe = await atCafe()
    await collected(cafe, platform.admin)
    const first = await platform.admin.payouts.create({
      party_id: cafe.producer.id,
      currency: 'IDR',
    })
    await collected(cafe, platform.admin)
    const second = await platform.admin.payouts.create({
      party_id: cafe.producer.id,
      currency: 'IDR',
    })
    const theirs = await platform.admin.payouts
      .list({ party_id: cafe.producer.id, limit: 1 })
      .toArray()
    expect(theirs.map((p) => p.id)).toEqual([first.id, second.id])
    const own: string[] = []
    for await (const payout of cafe.asProducer.payouts.list({ limit: 1 })) own.push(payout.id)
    expect(own).toEqual([first.id, second.id])
    const page = await platform.admin.payouts.list({ limit: 1 })
    expect(page.next_cursor).toEqual(expect.any(String))
    const everyone: string[] = []
    for await (const payout of platform.admin.payouts.list({ limit: 2 })) everyone.push(payout.id)
    expect(everyone).toEqual(expect.arrayContaining([first.id, second.id]))
    expect(everyone).toEqual(
      (await platform.admin.payouts.list({ limit: 100 })).data.map((p) => p.id),
    )

    const extra = await platform.admin.settlements.create({ currency: 'IDR', minimum: noPayouts })
    const settled: string[] = []
    for await (const settlement of platform.admin.settlements.list({ limit: 2 })) {
      settled.push(settlement.id)
    }
    expect(settled.length).toBeGreaterThan(2)
    expect(settled.at(-1)).toBe(extra.id)
    expect(settled).toEqual([...settled].sort())
    expect((await platform.admin.settlements.list({ limit: 2 })).next_cursor).toEqual(
      expect.any(String),
    )
    expect(await apiError(cafe.asVenue.settlements.list())).toMatchObject(forbidden)
  })

  describe('subcontracts and inti-plasma', () => {
    /** A contract recorded after the fact: its deadline has passed, so it can be closed. */
    const contract = (producerId: string): BodyOf<'/v1/admin/subcontracts', 'post'> => ({
      producer_id: producerId,
      items: [{ description: 'Kain batik cap 2 m' }],
      target_quantity: 100,
      unit_price: idr(50_000),
      deadline: '2026-01-31T17:00:00Z',
      penalty: { kind: 'per_unit', amount: 10_000 },
      penalty_cap: { amount: 300_000, currency: 'IDR' },
    })

    it('runs a subcontract: create, deliver, inspect, read, close with its penalty', async () => {
      const buyer = await api.party('buyer')
      const producer = await api.party('producer')
      const asBuyer = api.clientFor(buyer).admin
      const asProducer = api.clientFor(producer).admin
      const created = await asBuyer.subcontracts.create(contract(producer.id))
      expect(created).toMatchObject({
        buyer_id: buyer.id,
        producer_id: producer.id,
        status: 'open',
        currency: 'IDR',
        target_quantity: 100,
        unit_price: idr(50_000),
        penalty: { kind: 'per_unit', amount: 10_000 },
        penalty_cap: idr(300_000),
        closed_at: null,
      })
      expect(
        await apiError(asBuyer.subcontracts.addDelivery(created.id, { quantity: 1 })),
      ).toMatchObject(forbidden)
      const delivery = await asProducer.subcontracts.addDelivery(created.id, {
        quantity: 80,
        delivered_at: '2026-01-20T02:00:00Z',
      })
      expect(delivery).toMatchObject({
        contract_id: created.id,
        quantity: 80,
        status: 'pending',
        accepted: null,
      })
      expect(
        await apiError(
          asBuyer.subcontracts.inspectDelivery(delivery.id, { accepted: 70, rejected: 5 }),
        ),
      ).toMatchObject({ status: 422, errors: [{ path: 'accepted' }] })
      expect(
        await apiError(
          asProducer.subcontracts.inspectDelivery(delivery.id, { accepted: 80, rejected: 0 }),
        ),
      ).toMatchObject(forbidden)
      const inspected = await asBuyer.subcontracts.inspectDelivery(delivery.id, {
        accepted: 75,
        rejected: 5,
        note: 'lima luntur',
      })
      expect(inspected).toMatchObject({
        status: 'inspected',
        accepted: 75,
        rejected: 5,
        note: 'lima luntur',
        inspected_at: expect.any(String),
      })
      const status = await asProducer.subcontracts.get(created.id)
      expect(status).toMatchObject({
        contract: { id: created.id, status: 'open' },
        deliveries: [{ id: delivery.id, status: 'inspected' }],
        pending_inspection: 0,
        evaluation: {
          delivered: 80,
          accepted: 75,
          rejected: 5,
          accepted_on_time: 75,
          shortfall: 25,
          fulfilment_bps: 7_500,
          deadline_passed: true,
          penalty_charged: idr(250_000),
          invoice: idr(3_500_000),
        },
      })
      expect(await apiError(asProducer.subcontracts.close(created.id))).toMatchObject(forbidden)
      const closed = await asBuyer.subcontracts.close(created.id)
      expect(closed.contract).toMatchObject({ status: 'closed', closed_at: expect.any(String) })
      expect(closed.penalty_transaction).toMatchObject({
        source: { type: 'penalty', id: created.id },
      })
      // Closing again changes nothing; a closed contract takes no deliveries.
      const again = await asBuyer.subcontracts.close(created.id)
      expect(again.contract.penalty_transaction_id).toBe(closed.penalty_transaction!.id)
      expect(
        await apiError(asProducer.subcontracts.addDelivery(created.id, { quantity: 1 })),
      ).toMatchObject({ status: 409, code: 'illegal_status_transition' })
      const penalties = (await asBuyer.balance.get()).accounts.find(
        (a) => a.purpose === 'penalties',
      )
      expect(penalties?.balance).toEqual(idr(-250_000))

      const stranger = api.clientFor(await api.party('producer')).admin
      expect(await apiError(stranger.subcontracts.get(created.id))).toMatchObject(notFound)
      expect(
        await apiError(stranger.subcontracts.addDelivery(created.id, { quantity: 1 })),
      ).toMatchObject(notFound)
      expect(
        await apiError(
          stranger.subcontracts.inspectDelivery(delivery.id, { accepted: 1, rejected: 0 }),
        ),
      ).toMatchObject(notFound)
      expect(await apiError(stranger.subcontracts.close(created.id))).toMatchObject(notFound)
    })

    it('refuses bad subcontracts with 422 naming the field, and lists them across pages', async () => {
      const buyer = await api.party('buyer')
      const producer = await api.party('producer')
      const other = await api.party('producer')
      const venue = await api.party('venue')
      const asBuyer = api.clientFor(buyer).admin
      expect(
        await apiError(
          asBuyer.subcontracts.create({ ...contract(producer.id), target_quantity: 0 }),
        ),
      ).toMatchObject({
        status: 422,
        code: 'validation_failed',
        errors: [{ path: 'target_quantity' }],
      })
      expect(await apiError(asBuyer.subcontracts.create(contract(venue.id)))).toMatchObject({
        status: 422,
        code: 'wrong_party_kind',
        errors: [{ path: 'producer_id' }],
      })
      expect(
        await apiError(api.clientFor(venue).admin.subcontracts.create(contract(producer.id))),
      ).toMatchObject({ status: 422, errors: [{ path: 'buyer_id' }] })

      const ids: string[] = []
      for (const p of [producer, producer, other]) {
        ids.push((await asBuyer.subcontracts.create(contract(p.id))).id)
      }
      const first = await asBuyer.subcontracts.list({ limit: 2 })
      expect(first.data.map((c) => c.id)).toEqual(ids.slice(0, 2))
      expect(first.next_cursor).toEqual(expect.any(String))
      const all: string[] = []
      for await (const c of asBuyer.subcontracts.list({ limit: 2 })) all.push(c.id)
      expect(all).toEqual(ids)
      const producers: string[] = []
      for await (const c of api.clientFor(producer).admin.subcontracts.list({ limit: 1 })) {
        producers.push(c.id)
      }
      expect(producers).toEqual(ids.slice(0, 2))
      expect(
        (await asBuyer.subcontracts.list({ counterparty_id: other.id, status: 'open' })).data.map(
          (c) => c.id,
        ),
      ).toEqual([ids[2]])
      expect(await apiError(asBuyer.subcontracts.list({ cursor: 'nope' }))).toMatchObject({
        status: 422,
        code: 'invalid_cursor',
        errors: [{ path: 'cursor' }],
      })
    })

    it('records advances and shows what is outstanding to each side', async () => {
      const core = await api.party('core_partner')
      const producer = await api.party('producer')
      const venue = await api.party('venue')
      const asCore = api.clientFor(core).admin
      const advance = await asCore.advances.create({
        producer_id: producer.id,
        amount: idr(400_000),
        description: 'Kain mori 20 m, malam 5 kg',
      })
      expect(advance).toMatchObject({
        producer_id: producer.id,
        core_partner_id: core.id,
        partnership_id: null,
        amount: idr(400_000),
        description: 'Kain mori 20 m, malam 5 kg',
        transaction_id: expect.any(String),
      })
      const own = await api
        .clientFor(producer)
        .admin.advances.outstanding({ producer_id: producer.id })
      expect(own).toMatchObject({
        producer_id: producer.id,
        total: idr(400_000),
        by_core_partner: [{ core_partner_id: core.id, outstanding: idr(400_000) }],
      })
      expect((await asCore.advances.outstanding({ producer_id: producer.id })).total).toEqual(
        idr(400_000),
      )
      expect(
        await apiError(
          api.clientFor(venue).admin.advances.outstanding({ producer_id: producer.id }),
        ),
      ).toMatchObject(notFound)
      expect(
        await apiError(
          asCore.advances.create({
            producer_id: venue.id,
            amount: { amount: 1, currency: 'IDR' },
            description: 'Canting',
          }),
        ),
      ).toMatchObject({ status: 422, errors: [{ path: 'producer_id' }] })
      expect(
        await apiError(
          asCore.advances.create({
            producer_id: producer.id,
            amount: { amount: 1, currency: 'IDR' },
            description: '',
          }),
        ),
      ).toMatchObject({ status: 422, errors: [{ path: 'description' }] })
    })

    it('runs an inti-plasma partnership: propose, accept, advance, buy at the agreed price, end', async () => {
      const core = await api.party('core_partner')
      const producer = await api.party('producer')
      const asCore = api.clientFor(core).admin
      const asProducer = api.clientFor(producer).admin
      const product = await asProducer.products.create({
        title: { id: 'Batik tulis Gemawang' },
        category: 'batik',
        variants: [
          {
            sku: 'BT-200',
            options: {},
            weight_grams: 300,
            price: { amount: 350_000, currency: 'IDR' },
          },
        ],
      })
      const variantId = product.variants[0]!.id
      expect(
        await apiError(
          asCore.intiPlasma.create({
            producer_id: producer.id,
            currency: 'IDR',
            max_deduction_bps: 12_000,
            prices: [{ description: 'Kain', unit_price: { amount: 1, currency: 'IDR' } }],
          }),
        ),
      ).toMatchObject({ status: 422, errors: [{ path: 'max_deduction_bps' }] })
      const created = await asCore.intiPlasma.create({
        producer_id: producer.id,
        currency: 'IDR',
        max_deduction_bps: 3_000,
        prices: [
          { variant_id: variantId, unit_price: { amount: 250_000, currency: 'IDR' } },
          { description: 'Kain batik cap 2 m', unit_price: { amount: 85_000, currency: 'IDR' } },
        ],
        note: 'Kain mori dan malam dari inti',
      })
      expect(created).toMatchObject({
        core_partner_id: core.id,
        producer_id: producer.id,
        status: 'proposed',
        max_deduction_bps: 3_000,
        note: 'Kain mori dan malam dari inti',
        prices: [
          { variant_id: variantId, description: null, unit_price: idr(250_000) },
          { variant_id: null, description: 'Kain batik cap 2 m', unit_price: idr(85_000) },
        ],
      })
      const id = created.id
      expect(
        (await asProducer.intiPlasma.list({ status: 'proposed' })).data.map((p) => p.id),
      ).toEqual([id])
      expect(
        await apiError(
          asCore.intiPlasma.addAdvance(id, {
            amount: { amount: 1, currency: 'IDR' },
            description: 'x',
          }),
        ),
      ).toMatchObject({ status: 409, code: 'agreement_not_active' })
      expect(await apiError(asCore.intiPlasma.accept(id))).toMatchObject(forbidden)
      const accepted = await asProducer.intiPlasma.accept(id)
      expect(accepted).toMatchObject({ status: 'active', accepted_at: expect.any(String) })

      const advance = await asCore.intiPlasma.addAdvance(id, {
        amount: { amount: 400_000, currency: 'IDR' },
        description: 'Kain mori 20 m',
      })
      expect(advance).toMatchObject({ partnership_id: id, amount: idr(400_000) })
      const wrongPrice = await apiError(
        asCore.intiPlasma.addPurchase(id, {
          variant_id: variantId,
          quantity: 4,
          unit_price: { amount: 200_000, currency: 'IDR' },
        }),
      )
      expect(wrongPrice).toMatchObject({
        status: 422,
        code: 'price_not_allowed',
        errors: [{ path: 'unit_price' }],
      })
      expect(wrongPrice.problem.agreed_unit_price).toEqual(idr(250_000))
      expect(
        await apiError(
          asProducer.intiPlasma.addPurchase(id, { variant_id: variantId, quantity: 1 }),
        ),
      ).toMatchObject(forbidden)
      const bought: string[] = []
      for (const [index, item] of [
        { variant_id: variantId, quantity: 4 },
        { description: 'Kain batik cap 2 m', quantity: 10 },
        { variant_id: variantId, quantity: 1 },
      ].entries()) {
        const purchase = await asCore.intiPlasma.addPurchase(id, {
          ...item,
          reference: `NOTA-${index}`,
        })
        expect(purchase).toMatchObject({
          partnership_id: id,
          quantity: item.quantity,
          replayed: false,
        })
        bought.push(purchase.id)
      }
      const replay = await asCore.intiPlasma.addPurchase(id, {
        variant_id: variantId,
        quantity: 4,
        reference: 'NOTA-0',
      })
      expect(replay).toMatchObject({ id: bought[0], replayed: true, amount: idr(1_000_000) })
      const firstPage = await asProducer.intiPlasma.listPurchases(id, { limit: 2 })
      expect(firstPage.data).toHaveLength(2)
      expect(firstPage.next_cursor).toEqual(expect.any(String))
      const purchases: string[] = []
      for await (const purchase of asProducer.intiPlasma.listPurchases(id, { limit: 2 })) {
        purchases.push(purchase.id)
      }
      expect(purchases).toEqual(bought)

      const seen = await asProducer.intiPlasma.get(id)
      expect(seen).toMatchObject({
        status: 'active',
        advances: { advanced: idr(400_000), repaid: idr(0), outstanding: idr(400_000) },
        purchased: idr(1_000_000 + 850_000 + 250_000),
      })
      expect(await asProducer.balance.get()).toMatchObject({
        owed: idr(2_100_000),
        payable: idr(0),
        awaiting: [{ party_id: core.id, amount: idr(2_100_000) }],
      })
      expect((await asCore.advances.outstanding({ producer_id: producer.id })).total).toEqual(
        idr(400_000),
      )

      const ended = await asCore.intiPlasma.end(id, { reason: 'Musim tanam selesai' })
      expect(ended).toMatchObject({
        status: 'ended',
        ended_by_party_id: core.id,
        end_reason: 'Musim tanam selesai',
        ended_at: expect.any(String),
      })
      expect((await asProducer.intiPlasma.get(id)).status).toBe('ended')
      expect(
        await apiError(
          asCore.intiPlasma.addPurchase(id, { description: 'Kain batik cap 2 m', quantity: 1 }),
        ),
      ).toMatchObject({ status: 409, code: 'agreement_not_active' })
      expect(await apiError(asProducer.intiPlasma.accept(id))).toMatchObject({
        status: 409,
        code: 'illegal_status_transition',
      })

      const stranger = api.clientFor(await api.party('core_partner')).admin
      expect(await apiError(stranger.intiPlasma.get(id))).toMatchObject(notFound)
      expect(await apiError(stranger.intiPlasma.accept(id))).toMatchObject(notFound)
      expect(await apiError(stranger.intiPlasma.end(id, {}))).toMatchObject(notFound)
      expect(
        await apiError(
          stranger.intiPlasma.addAdvance(id, {
            amount: { amount: 1, currency: 'IDR' },
            description: 'x',
          }),
        ),
      ).toMatchObject(notFound)
      expect(
        await apiError(
          stranger.intiPlasma.addPurchase(id, { description: 'Kain batik cap 2 m', quantity: 1 }),
        ),
      ).toMatchObject(notFound)
      expect(await apiError(stranger.intiPlasma.listPurchases(id))).toMatchObject(notFound)
      expect((await stranger.intiPlasma.list()).data).toEqual([])
    })

    it('lists a core partner’s partnerships across pages; one proposal per pair', async () => {
      const core = await api.party('core_partner')
      const asCore = api.clientFor(core).admin
      const producers = await Promise.all([1, 2, 3].map(() => api.party('producer')))
      const body = (producerId: string): BodyOf<'/v1/admin/inti_plasma_partnerships', 'post'> => ({
        producer_id: producerId,
        currency: 'IDR',
        max_deduction_bps: 2_500,
        prices: [
          { description: 'Topeng kayu Bobung', unit_price: { amount: 75_000, currency: 'IDR' } },
        ],
      })
      const ids: string[] = []
      for (const producer of producers)
        ids.push((await asCore.intiPlasma.create(body(producer.id))).id)
      expect(await apiError(asCore.intiPlasma.create(body(producers[0]!.id)))).toMatchObject({
        status: 409,
        code: 'agreement_exists',
      })
      const first = await asCore.intiPlasma.list({ limit: 2 })
      expect(first.data.map((p) => p.id)).toEqual(ids.slice(0, 2))
      expect(first.next_cursor).toEqual(expect.any(String))
      const all: string[] = []
      for await (const partnership of asCore.intiPlasma.list({ limit: 2 })) all.push(partnership.id)
      expect(all).toEqual(ids)
      // Declined by the producer: ended, by it.
      const declined = await api.clientFor(producers[1]!).admin.intiPlasma.end(ids[1]!, {})
      expect(declined).toMatchObject({ status: 'ended', ended_by_party_id: producers[1]!.id })
      expect(
        (await asCore.intiPlasma.list({ status: 'proposed' }).toArray()).map((p) => p.id),
      ).toEqual([ids[0], ids[2]])
    })
  })
})
