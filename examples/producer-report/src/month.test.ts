import { rupiah } from '@mitra/example-connect'
import type { Mitra } from '@mitra/sdk'
import { sampleTerms as terms, useSdkAgainstServer } from '@mitra/sdk/testing'
import { paymentProvidersFromEnv } from '@mitra/server'
import type { TestParty } from '@mitra/server/testing'
import { describe, expect, it } from 'vitest'
import { periodOf, runProducerMonth, type StatementCsv } from './month.js'

// A producer's month against the real server, in-process on PGlite, with the demo payment
// provider for an online order (collected by the platform).
const payments = paymentProvidersFromEnv(
  { MITRA_DEMO_WEBHOOK_SECRET: 'producer-report-test' },
  { baseUrl: 'http://mitra.test' },
)
const api = useSdkAgainstServer({ payments, baseUrl: 'http://mitra.test' })

const thisMonth = () => periodOf().name

/** A producer with two products in consignment at a café and at a gallery, 5 of each there. */
async function producerAtTwoVenues() {
  await api.platform()
  const producer = await api.party('producer')
  const mitra = api.clientFor(producer)
  await mitra.admin.party.update({ name: 'Batik Gemawangi' })
  const cap = await mitra.admin.products.create({
    title: { id: 'Batik cap daun cengkeh' },
    category: 'batik',
    variants: [
      {
        sku: 'BG-CENGKEH-200',
        options: { ukuran: '200 × 115 cm' },
        weight_grams: 280,
        price: { amount: 225_000, currency: 'IDR' },
      },
    ],
  })
  const syal = await mitra.admin.products.create({
    title: { id: 'Syal batik sutra' },
    category: 'batik',
    variants: ['biru', 'coklat'].map((warna) => ({
      sku: `BG-SYAL-${warna[0]!.toUpperCase()}`,
      options: { warna },
      weight_grams: 90,
      price: { amount: 275_000, currency: 'IDR' },
    })),
  })
  for (const product of [cap, syal]) {
    await mitra.admin.products.setStatus(product.id, { status: 'active' })
  }
  const [cengkeh, biru, coklat] = [...cap.variants, ...syal.variants].map((v) => v.id) as [
    string,
    string,
    string,
  ]

  const venues = []
  for (const name of ['Kafe Banaran 9', 'Galeri Gemawangi']) {
    const venue = await api.party('venue')
    const venueMitra = api.clientFor(venue)
    await venueMitra.admin.party.update({ name })
    const drafted = await venueMitra.admin.agreements.create({
      counterparty_id: producer.id,
      terms,
    })
    const sent = await venueMitra.admin.agreements.send(drafted.id)
    for (const side of [venueMitra, mitra]) {
      await side.admin.agreements.accept(drafted.id, {
        version: 1,
        terms_hash: sent.versions[0]!.terms_hash,
      })
    }
    const lines = [cengkeh, biru, coklat].map((variant_id) => ({ variant_id, quantity: 5 }))
    const note = await mitra.admin.deliveries.create({
      venue_id: venue.id,
      note_number: `SJ/BATIK/${venues.length + 1}`,
      lines,
    })
    await venueMitra.admin.deliveries.receive(note.id, { lines })
    venues.push({ party: venue, mitra: venueMitra, agreementId: drafted.id, name })
  }
  const [kafe, galeri] = venues as [(typeof venues)[0], (typeof venues)[0]]
  return { producer, mitra, kafe, galeri, cengkeh, biru, coklat }
}

/** Another producer, with a jar of honey in consignment at `venue` (10 of it there). */
async function otherProducerAt(venue: { party: TestParty; mitra: Mitra }) {
  const producer = await api.party('producer')
  const mitra = api.clientFor(producer)
  await mitra.admin.party.update({ name: 'Madu Gemawang' })
  const product = await mitra.admin.products.create({
    title: { id: 'Madu klanceng' },
    category: 'honey',
    variants: [
      {
        sku: 'MADU-KL-250',
        options: {},
        weight_grams: 300,
        price: { amount: 95_000, currency: 'IDR' },
      },
    ],
  })
  await mitra.admin.products.setStatus(product.id, { status: 'active' })
  const drafted = await venue.mitra.admin.agreements.create({ counterparty_id: producer.id, terms })
  const sent = await venue.mitra.admin.agreements.send(drafted.id)
  for (const side of [venue.mitra, mitra]) {
    await side.admin.agreements.accept(drafted.id, {
      version: 1,
      terms_hash: sent.versions[0]!.terms_hash,
    })
  }
  const variantId = product.variants[0]!.id
  const lines = [{ variant_id: variantId, quantity: 10 }]
  const note = await mitra.admin.deliveries.create({
    venue_id: venue.party.id,
    note_number: 'SJ/MADU/1',
    lines,
  })
  await venue.mitra.admin.deliveries.receive(note.id, { lines })
  return { producer, mitra, variantId }
}

const producerShare = (sale: { postings: { shares: { role: string; amount: number }[] }[] }) =>
  sale.postings
    .flatMap((posting) => posting.shares)
    .filter((share) => share.role === 'producer')
    .reduce((sum, share) => sum + share.amount, 0)

describe("a producer's month", () => {
  it('prints stock per venue, what sold where, where the money is, and writes each statement as CSV', async () => {
    const { producer, mitra, kafe, galeri, cengkeh, biru, coklat } = await producerAtTwoVenues()

    // The café sells a batik for cash and two scarves by QRIS; the gallery a scarf for cash…
    const sale = (
      venue: typeof kafe,
      receipt: string,
      channel: 'cash' | 'qris',
      lines: { variant_id: string; quantity: number }[],
    ) =>
      venue.mitra.admin.sales.create({
        venue_id: venue.party.id,
        receipt_number: receipt,
        channel,
        lines,
      })
    const kafeSales = [
      await sale(kafe, 'K-1', 'cash', [{ variant_id: cengkeh, quantity: 1 }]),
      await sale(kafe, 'K-2', 'qris', [{ variant_id: biru, quantity: 2 }]),
    ]
    const galeriSales = [await sale(galeri, 'G-1', 'cash', [{ variant_id: coklat, quantity: 1 }])]
    // …and a batik online, picked up at the gallery and paid on the demo provider's page: the
    // platform collects that money.
    const cart = await galeri.mitra.store.carts.create()
    await galeri.mitra.store.carts.setLine(cart.id, {
      variant_id: cengkeh,
      venue_id: galeri.party.id,
      quantity: 1,
    })
    const order = await galeri.mitra.store.carts.checkout(cart.id, {
      fulfilment: 'pickup',
      customer: { name: 'Sari' },
      provider: 'demo',
    })
    const paid = await api.call('POST', `${new URL(order.redirect_url!).pathname}/pay`)
    expect(paid.status).toBe(303)
    expect((await galeri.mitra.store.orders.get(order.id, order.access_token)).status).toBe('paid')

    const lines: string[] = []
    const csvs: StatementCsv[] = []
    const report = await runProducerMonth(
      mitra,
      { writeCsv: (statement) => void csvs.push(statement) },
      (line) => lines.push(line),
    )
    const text = lines.join('\n')

    expect(report.producer).toEqual({ id: producer.id, name: 'Batik Gemawangi' })
    expect(text).toContain(`Batik Gemawangi — `)

    // Stock: what the producer's stock view says, per venue and variant.
    const stock = await mitra.admin.stock.producer()
    const kafeMonth = report.venues.find((venue) => venue.venueId === kafe.party.id)!
    const galeriMonth = report.venues.find((venue) => venue.venueId === galeri.party.id)!
    for (const venue of [kafeMonth, galeriMonth]) {
      for (const row of venue.stock) {
        const fromApi = stock.rows.find(
          (r) => r.venue_id === venue.venueId && r.variant_id === row.variantId,
        )!
        expect(row.onHand).toBe(fromApi.on_hand)
      }
    }
    const onHand = (venue: typeof kafeMonth) =>
      Object.fromEntries(venue.stock.map((row) => [row.sku, row.onHand]))
    expect(onHand(kafeMonth)).toEqual({ 'BG-CENGKEH-200': 4, 'BG-SYAL-B': 3, 'BG-SYAL-C': 5 })
    expect(onHand(galeriMonth)).toEqual({ 'BG-CENGKEH-200': 4, 'BG-SYAL-B': 5, 'BG-SYAL-C': 4 })
    expect(text).toMatch(/BG-SYAL-B +Syal batik sutra \(biru\) +3 on the shelf/)

    // What sold where: sales, units and what buyers paid, from the month's sales (the online
    // order picked up at the gallery is one of the gallery's).
    expect(kafeMonth.sold).toMatchObject({ sales: 2, units: 3, gross: 225_000 + 2 * 275_000 })
    expect(galeriMonth.sold).toMatchObject({ sales: 2, units: 2, gross: 275_000 + 225_000 })
    expect(text).toMatch(/Kafe Banaran 9 +3 sold in 2 sales +buyers paid +Rp775\.000/)

    // Your share per venue is what the statements' lines add up to; over both venues, it is
    // everything the ledger says the producer is owed (nothing was paid out yet).
    const balance = await mitra.admin.balance.get()
    expect(kafeMonth.share).toBe(kafeSales.reduce((sum, s) => sum + producerShare(s), 0))
    expect(kafeMonth.share + galeriMonth.share).toBe(balance.owed.amount)
    expect(text).toContain(`your share ${rupiah(kafeMonth.share).padStart(11)}`)

    // Where the money is: the platform collected the online order; each venue holds its counter
    // sales' shares in its till.
    expect(report.money.owed).toBe(balance.owed.amount)
    expect(report.money.collected).toBe(balance.payable.amount)
    expect(report.money.collected).toBe(galeriMonth.share - producerShare(galeriSales[0]!))
    expect(report.money.collected).toBeGreaterThan(0)
    expect(report.money.heldBy).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ venueName: 'Kafe Banaran 9', amount: kafeMonth.share }),
        expect.objectContaining({
          venueName: 'Galeri Gemawangi',
          amount: producerShare(galeriSales[0]!),
        }),
      ]),
    )
    expect(report.money.inTransit).toBe(balance.in_transit.amount)
    expect(text).toContain(`Owed to you: ${rupiah(balance.owed.amount)}`)
    expect(text).toMatch(
      new RegExp(`held by Kafe Banaran 9 +${rupiah(kafeMonth.share).replace('.', '\\.')}`),
    )

    // Each agreement's statement as CSV: the same text the API serves, a row per sale line and
    // per share of it, between the opening and the closing balance.
    expect(csvs.map((c) => c.venueName).sort()).toEqual(['Galeri Gemawangi', 'Kafe Banaran 9'])
    const kafeCsv = csvs.find((c) => c.venueName === 'Kafe Banaran 9')!
    expect(kafeCsv).toMatchObject({ agreementId: kafe.agreementId, period: thisMonth() })
    expect(kafeCsv.csv).toBe(
      await mitra.admin.statements.csv(kafe.agreementId, { period: thisMonth() }),
    )
    const rows = kafeCsv.csv.trimEnd().split('\n')
    expect(rows[0]).toMatch(/^date,kind,source_type,source_id,transaction_id,sale_line_id,/)
    expect(rows[1]).toContain(',opening_balance,')
    expect(rows.at(-1)).toContain(`,closing_balance,`)
    expect(rows.at(-1)).toContain(`,${kafeMonth.share},IDR`)
    const saleRows = rows.filter((row) => row.split(',')[1] === 'sale')
    expect(saleRows).toHaveLength(2) // one per sale line at the café
    for (const posted of kafeSales) {
      expect(saleRows.some((row) => row.includes(posted.id))).toBe(true)
    }
    const { statement } = await mitra.admin.statements.get(kafe.agreementId, {
      period: thisMonth(),
    })
    expect(report.statements).toContainEqual({
      agreementId: kafe.agreementId,
      venueName: 'Kafe Banaran 9',
      entries: statement.entries.length,
      rows: rows.length - 1,
    })
  })

  it("counts a month's sales by when they were sold, and only the producer's own lines", async () => {
    const { mitra, kafe, galeri, cengkeh, biru, coklat } = await producerAtTwoVenues()
    // Another producer's honey at the café, sold on the same receipt as a scarf.
    const madu = await otherProducerAt(kafe)
    // Last month (Jakarta): sales recorded with when they were sold, just inside and just
    // outside its bounds.
    const month = periodOf(undefined, new Date(periodOf().from.getTime() - 1))
    const sale = (
      venue: typeof kafe,
      receipt: string,
      soldAt: Date,
      lines: { variant_id: string; quantity: number }[],
    ) =>
      venue.mitra.admin.sales.create({
        venue_id: venue.party.id,
        receipt_number: receipt,
        channel: 'cash',
        sold_at: soldAt.toISOString(),
        lines,
      })
    const justBefore = new Date(month.from.getTime() - 1)
    await sale(kafe, 'K-BEFORE', justBefore, [{ variant_id: cengkeh, quantity: 1 }])
    const first = await sale(kafe, 'K-FIRST', month.from, [
      { variant_id: biru, quantity: 1 },
      { variant_id: madu.variantId, quantity: 3 },
    ])
    const lastInstant = new Date(month.to.getTime() - 1)
    const last = await sale(galeri, 'G-LAST', lastInstant, [{ variant_id: coklat, quantity: 2 }])
    await sale(galeri, 'G-AFTER', month.to, [{ variant_id: cengkeh, quantity: 1 }])

    const lines: string[] = []
    const report = await runProducerMonth(mitra, { period: month.name }, (line) => lines.push(line))
    const venue = (id: string) => report.venues.find((v) => v.venueId === id)!
    // The café: K-FIRST, with the scarf only (the honey is Madu's); not K-BEFORE.
    expect(venue(kafe.party.id).sold).toMatchObject({ sales: 1, units: 1, gross: 275_000 })
    expect([...venue(kafe.party.id).sold.byVariant]).toEqual([[biru, 1]])
    // The gallery: G-LAST, sold in the month's last millisecond; not G-AFTER, next month's.
    expect(venue(galeri.party.id).sold).toMatchObject({ sales: 1, units: 2, gross: 550_000 })
    expect(lines.join('\n')).toMatch(/Galeri Gemawangi +2 sold in 1 sale +buyers paid +Rp550\.000/)
    // Exactly what `sales.list` shows the producer for the month: its own lines only.
    const listed = await mitra.admin.sales.list(month.days).toArray()
    expect(listed.map((s) => s.receipt_number).sort()).toEqual(['G-LAST', 'K-FIRST'])
    expect(listed.find((s) => s.id === first.id)?.lines.map((l) => l.variant_id)).toEqual([biru])
    expect(listed.reduce((sum, s) => sum + s.total!.amount, 0)).toBe(275_000 + 550_000)
    // Your share is the statement's for the month: the shares of those two sales, as posted.
    const ownShare = (posted: typeof first) =>
      posted.postings
        .flatMap((posting) => posting.shares)
        .filter((share) => share.role === 'producer' && share.party_id === report.producer.id)
        .reduce((sum, share) => sum + share.amount, 0)
    expect(venue(kafe.party.id).share).toBe(ownShare(first))
    expect(venue(kafe.party.id).share).toBeLessThan(producerShare(first)) // not Madu's share
    expect(venue(galeri.party.id).share).toBe(producerShare(last))

    // This month has only G-AFTER, sold at its first instant.
    const current = await runProducerMonth(mitra, {}, () => {})
    const soldNow = (id: string) => current.venues.find((v) => v.venueId === id)!.sold
    expect(soldNow(kafe.party.id)).toMatchObject({ sales: 0, units: 0 })
    expect(soldNow(galeri.party.id)).toMatchObject({ sales: 1, units: 1, gross: 225_000 })
  })

  it('reports a month with no sales: stock now, nothing sold, statements with only their balances', async () => {
    const { mitra } = await producerAtTwoVenues()
    const csvs: StatementCsv[] = []
    const lines: string[] = []
    const report = await runProducerMonth(
      mitra,
      { period: '2026-01', writeCsv: (statement) => void csvs.push(statement) },
      (line) => lines.push(line),
    )
    expect(report.venues.map((venue) => venue.sold.units)).toEqual([0, 0])
    expect(report.venues.every((venue) => venue.stock.every((row) => row.onHand === 5))).toBe(true)
    expect(lines.join('\n')).toContain('Nothing sold yet this month.')
    expect(lines[0]).toBe('Batik Gemawangi — Januari 2026 (2026-01)')
    for (const { csv } of csvs) {
      expect(
        csv
          .trimEnd()
          .split('\n')
          .map((row) => row.split(',')[1]),
      ).toEqual(['kind', 'opening_balance', 'closing_balance'])
    }
  })

  it('takes a month in Jakarta time', () => {
    const period = periodOf('2026-12')
    expect(period.from.toISOString()).toBe('2026-11-30T17:00:00.000Z')
    expect(period.to.toISOString()).toBe('2026-12-31T17:00:00.000Z')
    expect(period.days).toEqual({ from: '2026-12-01', to: '2027-01-01' })
    // 1 January, 02:00 in Jakarta is still 31 December in UTC.
    expect(periodOf(undefined, new Date('2026-12-31T19:00:00Z')).name).toBe('2027-01')
    expect(() => periodOf('2026-13')).toThrow(/YYYY-MM/)
  })
})
