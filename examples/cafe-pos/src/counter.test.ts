import { rupiah } from '@mitra/example-connect'
import { sampleTerms as terms, useSdkAgainstServer } from '@mitra/sdk/testing'
import type { TestParty } from '@mitra/server/testing'
import { describe, expect, it } from 'vitest'
import { jakartaDay, nextDay, runCounterDay } from './counter.js'

// The café's day against the real server, in-process on PGlite.
const api = useSdkAgainstServer()

/** A producer with one active product, in consignment at the café under an agreement in force. */
async function supplier(
  cafe: TestParty,
  name: string,
  product: { title: string; sku: string; price: number },
) {
  const producer = await api.party('producer')
  const mitra = api.clientFor(producer)
  await mitra.admin.party.update({ name })
  const created = await mitra.admin.products.create({
    title: { id: product.title },
    category: 'snacks',
    variants: [
      {
        sku: product.sku,
        options: {},
        weight_grams: 100,
        price: { amount: product.price, currency: 'IDR' },
      },
    ],
  })
  await mitra.admin.products.setStatus(created.id, { status: 'active' })
  const cafeMitra = api.clientFor(cafe)
  const drafted = await cafeMitra.admin.agreements.create({ counterparty_id: producer.id, terms })
  const sent = await cafeMitra.admin.agreements.send(drafted.id)
  const termsHash = sent.versions[0]!.terms_hash
  for (const side of [cafeMitra, mitra]) {
    await side.admin.agreements.accept(drafted.id, { version: 1, terms_hash: termsHash })
  }
  return { name, producer, mitra, agreementId: drafted.id, variantId: created.variants[0]!.id }
}

async function cafeWithTwoProducers() {
  await api.platform() // the QRIS fee is posted to the platform operator
  const cafe = await api.party('venue')
  await api.clientFor(cafe).admin.party.update({ name: 'Kafe Banaran 9' })
  const keripik = await supplier(cafe, 'Keripik Bu Sri', {
    title: 'Keripik tempe',
    sku: 'KT-100',
    price: 15_000,
  })
  const madu = await supplier(cafe, 'Madu Gemawang', {
    title: 'Madu klanceng',
    sku: 'MK-250',
    price: 95_000,
  })
  await api.deliver(keripik.producer, cafe, keripik.variantId, 10)
  return { cafe, mitra: api.clientFor(cafe), keripik, madu }
}

const capture = () => {
  const lines: string[] = []
  return { lines, print: (line: string) => lines.push(line), text: () => lines.join('\n') }
}

describe('a café counter day', () => {
  it('receives the waiting delivery note, sells for cash and QRIS, and prints what the ledger says', async () => {
    const { cafe, mitra, keripik, madu } = await cafeWithTwoProducers()
    // Madu sent a delivery note the café has not received yet.
    const note = await madu.mitra.admin.deliveries.create({
      venue_id: cafe.id,
      note_number: 'SJ/MADU/002',
      lines: [{ variant_id: madu.variantId, quantity: 6 }],
    })
    const shelfBefore = await mitra.store.venues.available(cafe.id).toArray()
    expect(shelfBefore.map((item) => item.variant_id)).toEqual([keripik.variantId])

    const output = capture()
    const report = await runCounterDay(
      mitra,
      {
        venueId: cafe.id,
        // One jar arrived cracked: the café counts 5 of the 6.
        count: (line) => line.quantity_sent - 1,
        sales: [
          { channel: 'cash', lines: [{ variant_id: keripik.variantId, quantity: 2 }] },
          { channel: 'cash', lines: [{ variant_id: madu.variantId, quantity: 1 }] },
          {
            channel: 'qris',
            lines: [
              { variant_id: madu.variantId, quantity: 2 },
              { variant_id: keripik.variantId, quantity: 1 },
            ],
          },
        ],
        receiptPrefix: 'NOTA/TEST',
        now: new Date(),
      },
      output.print,
    )
    const text = output.text()

    // The delivery: received as counted, the difference kept.
    const received = await mitra.admin.deliveries.get(note.id)
    expect(received.status).toBe('received')
    expect(received.lines[0]).toMatchObject({ quantity_sent: 6, quantity_received: 5 })
    expect(received.has_discrepancies).toBe(true)
    expect(report.delivery).toMatchObject({ noteNumber: 'SJ/MADU/002', discrepancies: true })
    expect(text).toContain('Delivery SJ/MADU/002 from Madu Gemawang: 1 line counted')
    expect(text).toContain('Madu klanceng: sent 6, counted 5  (1 short)')

    // The sales: 2 × 15.000 and 1 × 95.000 in cash; 2 × 95.000 + 15.000 by QRIS.
    expect(report.sales.map((sale) => [sale.receiptNumber, sale.channel, sale.total])).toEqual([
      ['NOTA/TEST-1', 'cash', 30_000],
      ['NOTA/TEST-2', 'cash', 95_000],
      ['NOTA/TEST-3', 'qris', 205_000],
    ])
    // The café made no other sale today: the day's takings are this run's.
    expect(report.takings).toMatchObject({ cash: 125_000, qris: 205_000, total: 330_000 })
    expect(report.takings.earlier).toBe(0)
    // 0.7 % of Rp205.000 is Rp1.435: the fee posted with the sale, and the ledger's.
    expect(report.takings.qrisFee).toBe(1_435)
    expect(report.sales[2]?.fee).toBe(1_435)
    expect(text).toContain('(3 from this run, 0 earlier)')
    expect(text).toContain('  Cash    2 sales     Rp125.000')
    expect(text).toContain('  QRIS    1 sale      Rp205.000   less the QRIS fee Rp1.435')
    expect(text).toContain('  Total   3 sales     Rp330.000   Rp328.565 after the fee')
    expect(text).not.toContain('Online')

    // The takings are what the ledger posted: each producer's statement has the sales' lines,
    // and their shares add up to what the buyers paid.
    // This month in Jakarta, where the agreements' settlement periods run.
    const period = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7)
    const statements = await Promise.all(
      [keripik, madu].map((side) => side.mitra.admin.statements.get(side.agreementId, { period })),
    )
    const entries = statements.flatMap((statement) => statement.statement.entries)
    const saleIds = new Set(report.sales.map((sale) => sale.id))
    const ours = entries.filter((entry) => saleIds.has(entry.sale_line_id!.split(':')[0]!))
    expect(ours).toHaveLength(4) // one per sale line
    const shares = ours.flatMap((entry) => entry.shares)
    expect(shares.reduce((sum, share) => sum + share.amount.amount, 0)).toBe(330_000)
    expect(
      shares
        .filter((share) => share.role === 'payment_fee')
        .reduce((sum, share) => sum + share.amount.amount, 0),
    ).toBe(report.takings.qrisFee)
    expect(
      shares
        .filter((share) => share.role === 'venue')
        .reduce((sum, share) => sum + share.amount.amount, 0),
    ).toBe(report.takings.commission)

    // What the café owes each producer is what the ledger holds for them: the café's stock view,
    // the producer's own balance (awaiting from the café), and its statement's closing balance.
    const stock = await mitra.admin.stock.venue()
    for (const [side, statement] of [
      [keripik, statements[0]!],
      [madu, statements[1]!],
    ] as const) {
      const printed = report.owed.find((entry) => entry.producerId === side.producer.id)!
      const fromStock = stock.producers.find((entry) => entry.producer_id === side.producer.id)!
      expect(printed.owed).toBe(fromStock.owed[0]!.amount.amount)
      const balance = await side.mitra.admin.balance.get()
      expect(balance.awaiting).toEqual([
        expect.objectContaining({
          party_id: cafe.id,
          amount: { amount: printed.owed, currency: 'IDR' },
        }),
      ])
      expect(statement.statement.closing_balance.amount).toBe(printed.owed)
      expect(text).toMatch(
        new RegExp(`  ${side.name} +${rupiah(printed.owed)}   3 sold this month`),
      )
    }
    // Keripik: 3 × Rp15.000 less 20 % = Rp36.000, less its half of the fee on Rp15.000.
    expect(report.owed.find((entry) => entry.producerId === keripik.producer.id)?.owed).toBe(
      36_000 - 53,
    )
    const owedInAll = report.owed.reduce((sum, entry) => sum + entry.owed, 0)
    expect(report.holds).toBe(owedInAll)
    // Every rupiah of the day is the fee, the café's commission or a producer's share.
    expect(report.takings.qrisFee + report.takings.commission + report.takings.producers).toBe(
      report.takings.total,
    )
    expect(report.takings.producers).toBe(owedInAll)
    expect(text).toMatch(new RegExp(`In all +${rupiah(owedInAll)} +held for others`))

    // The stock went down by what was sold: 10 − 3 keripik, 5 − 3 madu.
    const shelfAfter = await mitra.store.venues.available(cafe.id).toArray()
    const available = Object.fromEntries(
      shelfAfter.map((item) => [item.variant_id, item.available]),
    )
    expect(available).toEqual({ [keripik.variantId]: 7, [madu.variantId]: 2 })
    expect(report.owed.map((entry) => [entry.onHand, entry.soldThisMonth]).sort()).toEqual([
      [2, 3],
      [7, 3],
    ])
  })

  it('says when no delivery note is waiting, and still sells two for cash and one by QRIS off the shelf', async () => {
    const { cafe, mitra, keripik } = await cafeWithTwoProducers()
    const output = capture()
    const report = await runCounterDay(mitra, { venueId: cafe.id }, output.print)

    expect(report.delivery).toBeNull()
    expect(output.text()).toContain('no delivery note (surat jalan) is waiting')
    // One producer has stock: the same item three times, one unit each.
    expect(report.sales.map((sale) => sale.channel)).toEqual(['cash', 'cash', 'qris'])
    expect(report.sales.every((sale) => sale.lines[0]?.name === 'Keripik tempe')).toBe(true)
    expect(report.sales.map((sale) => sale.receiptNumber)).toEqual([
      expect.stringMatching(/^NOTA\/\d{8}\/\d{6}-1$/),
      expect.stringMatching(/-2$/),
      expect.stringMatching(/-3$/),
    ])
    expect(report.takings).toMatchObject({ cash: 30_000, qris: 15_000, qrisFee: 105 })
    const [item] = await mitra.store.venues.available(cafe.id).toArray()
    expect(item).toMatchObject({ variant_id: keripik.variantId, available: 10 - 3 })
    const stock = await mitra.admin.stock.venue()
    expect(report.owed[0]?.owed).toBe(stock.producers[0]?.owed[0]?.amount.amount)
  })

  it("prints the whole day's takings from sales.list: another till's sale earlier today counts, yesterday's does not", async () => {
    const { cafe, mitra, keripik } = await cafeWithTwoProducers()
    const now = new Date()
    const day = jakartaDay(now)
    const midnight = new Date(`${day}T00:00:00+07:00`)
    // Another till sold two keripik by QRIS at the day's first instant, and one for cash a
    // millisecond before it: yesterday.
    const till = (receipt: string, channel: 'cash' | 'qris', soldAt: Date, quantity: number) =>
      mitra.admin.sales.create({
        venue_id: cafe.id,
        receipt_number: receipt,
        channel,
        sold_at: soldAt.toISOString(),
        lines: [{ variant_id: keripik.variantId, quantity }],
      })
    const earlier = await till('TILL2/0001', 'qris', midnight, 2)
    await till('TILL2/0000', 'cash', new Date(midnight.getTime() - 1), 1)

    const output = capture()
    const report = await runCounterDay(mitra, { venueId: cafe.id, now }, output.print)
    const text = output.text()

    // The day's sales as the API lists them: this run's three and the other till's one.
    const listed = await mitra.admin.sales.list({ from: day, to: nextDay(day) }).toArray()
    expect(listed.map((sale) => sale.receipt_number).sort()).toEqual(
      [...report.sales.map((sale) => sale.receiptNumber), 'TILL2/0001'].sort(),
    )
    // `to` is exclusive: the sale at midnight is today's, the one before it yesterday's.
    const yesterday = jakartaDay(new Date(midnight.getTime() - 1))
    const before = await mitra.admin.sales.list({ from: yesterday, to: day }).toArray()
    expect(before.map((sale) => sale.receipt_number)).toEqual(['TILL2/0000'])
    const listedTotal = listed.reduce((sum, sale) => sum + sale.total!.amount, 0)
    // Two keripik earlier, three now, Rp15.000 each.
    expect(listedTotal).toBe(5 * 15_000)
    expect(report.takings.total).toBe(listedTotal)
    expect(text).toContain(`(3 from this run, 1 earlier)`)
    expect(text).toContain(`  Total   4 sales   ${rupiah(listedTotal).padStart(11)}`)
    expect(report.takings).toMatchObject({
      day,
      count: { cash: 2, qris: 2, online: 0, total: 4 },
      earlier: 1,
      cash: 30_000,
      qris: 45_000,
    })
    expect(text).toContain(`  QRIS    2 sales      Rp45.000   less the QRIS fee Rp315`)

    // The QRIS fee is the whole day's, as the ledger posted it with each QRIS sale: the other
    // till's (0.7 % of Rp30.000) and this run's (0.7 % of Rp15.000).
    const posted = (sale: typeof earlier, role: string) =>
      sale.postings
        .flatMap((posting) => posting.shares)
        .filter((share) => share.role === role)
        .reduce((sum, share) => sum + share.amount, 0)
    const runFee = report.sales.reduce((sum, sale) => sum + sale.fee, 0)
    expect(report.takings.qrisFee).toBe(posted(earlier, 'payment_fee') + runFee)
    expect(report.takings.qrisFee).toBe(210 + 105)
    expect(report.takings.commission).toBe(
      posted(earlier, 'venue') + report.sales.reduce((sum, sale) => sum + sale.commission, 0),
    )
    expect(report.takings.qrisFee + report.takings.commission + report.takings.producers).toBe(
      listedTotal,
    )
    expect(text).toContain(`${rupiah(listedTotal - 315)} after the fee:`)
  })
})
