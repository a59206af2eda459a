import { rupiah } from '@mitra/example-connect'
import { isMitraApiError, type Mitra, type Schemas, type StatementQuery } from '@mitra/sdk'

type Agreement = Schemas['Agreement']

/** A month as mitra settles it: `2026-12`, Jakarta time (WIB, UTC+7). */
export interface Period {
  name: string
  /** First instant of the month in Jakarta. */
  from: Date
  /** First instant of the next month (exclusive). */
  to: Date
  /** The same as days, as `sales.list` and statements take them: `2026-12-01` to `2027-01-01`. */
  days: { from: string; to: string }
}

const wib = 7 * 60 * 60 * 1000

/** The month `YYYY-MM` in Jakarta time; default the one `now` is in. */
export function periodOf(name?: string, now = new Date()): Period {
  const chosen = name ?? new Date(now.getTime() + wib).toISOString().slice(0, 7)
  const match = /^(\d{4})-(\d{2})$/.exec(chosen)
  const month = Number(match?.[2])
  if (match === null || month < 1 || month > 12) {
    throw new Error(`A period is a month, YYYY-MM (e.g. 2026-12), not '${chosen}'`)
  }
  const year = Number(match[1])
  const day = (monthIndex: number) => new Date(Date.UTC(year, monthIndex, 1))
  return {
    name: chosen,
    from: new Date(day(month - 1).getTime() - wib),
    to: new Date(day(month).getTime() - wib),
    days: {
      from: day(month - 1)
        .toISOString()
        .slice(0, 10),
      to: day(month).toISOString().slice(0, 10),
    },
  }
}

/** An agreement's statement for the month, as CSV, for `writeCsv`. */
export interface StatementCsv {
  agreementId: string
  venueId: string
  venueName: string
  period: string
  csv: string
}

export interface ProducerMonthOptions {
  /** `YYYY-MM`; default this month (Jakarta). */
  period?: string
  /** Receives each agreement's statement as CSV (default: not fetched). */
  writeCsv?: (statement: StatementCsv) => void | Promise<void>
  now?: Date
}

export interface StockRow {
  variantId: string
  sku: string
  name: string
  onHand: number
  reserved: number
  available: number
  oldestLotAgeDays: number | null
}

export interface VenueMonth {
  venueId: string
  venueName: string
  /** Now, per variant (`stock.producer`). */
  stock: StockRow[]
  /**
   * Sold in the month (`sales.list`, your lines only): the sales with your goods, units, and
   * what buyers paid for them in rupiah.
   */
  sold: { sales: number; units: number; gross: number; byVariant: Map<string, number> }
  /** Your share of the month's sales at this venue (the statements' `totals.sales`). */
  share: number
  agreements: { id: string; status: Agreement['status']; closingBalance: number }[]
}

export interface ProducerMonthReport {
  producer: { id: string; name: string }
  period: Period
  venues: VenueMonth[]
  money: {
    /** All you are owed: collected + held by venues. */
    owed: number
    /** Collected by the platform (online sales), paid by the next payout. */
    collected: number
    /** Held by a venue (its till, from counter sales), per venue. */
    heldBy: { venueId: string; venueName: string; amount: number; requested: number }[]
    /** Paid out to you and not arrived yet. */
    inTransit: number
  }
  statements: { agreementId: string; venueName: string; entries: number; rows: number }[]
}

/**
 * A producer group's month: its stock at every venue, what sold where, what it is owed and
 * where that money is, and each agreement's statement as CSV (handed to `writeCsv`).
 */
export async function runProducerMonth(
  mitra: Mitra,
  options: ProducerMonthOptions = {},
  print: (line: string) => void = console.log,
): Promise<ProducerMonthReport> {
  const period = periodOf(options.period, options.now)
  const [party, names, agreements, stock, balance] = await Promise.all([
    mitra.admin.party.get(),
    productNames(mitra),
    mitra.admin.agreements.list().toArray(),
    // `since` only counts `sold`; the levels are now.
    mitra.admin.stock.producer({ since: period.from.toISOString() }),
    mitra.admin.balance.get({ currency: 'IDR' }),
  ])
  const mine = agreements.filter(
    (agreement) =>
      agreement.model === 'consignment' &&
      agreement.producer_id === party.id &&
      (agreement.status === 'active' || agreement.status === 'terminated'),
  )

  // Venue names: the stock view has them; an agreement without stock shows its id.
  const venueNames = new Map(stock.rows.map((row) => [row.venue_id, row.venue_name]))
  const venues = new Map<string, VenueMonth>()
  const venueOf = (venueId: string): VenueMonth => {
    let venue = venues.get(venueId)
    if (venue === undefined) {
      venue = {
        venueId,
        venueName: venueNames.get(venueId) ?? venueId,
        stock: [],
        sold: { sales: 0, units: 0, gross: 0, byVariant: new Map() },
        share: 0,
        agreements: [],
      }
      venues.set(venueId, venue)
    }
    return venue
  }
  for (const agreement of mine) venueOf(agreement.venue_id)
  for (const row of stock.rows) {
    venueOf(row.venue_id).stock.push({
      variantId: row.variant_id,
      sku: row.sku,
      name: names.get(row.variant_id) ?? row.sku,
      onHand: row.on_hand,
      reserved: row.reserved,
      available: row.available,
      oldestLotAgeDays: row.oldest_lot_age_days,
    })
  }

  // What sold where in the month: the sales of the month, by when they were sold (a sale
  // recorded later with its `sold_at` counts in its own month), each with your lines only.
  for await (const sale of mitra.admin.sales.list({ ...period.days, limit: 100 })) {
    const sold = venueOf(sale.venue_id).sold
    sold.sales += 1
    for (const line of sale.lines) {
      sold.units += line.quantity
      if (line.unit_price.currency === 'IDR') sold.gross += line.unit_price.amount * line.quantity
      sold.byVariant.set(
        line.variant_id,
        (sold.byVariant.get(line.variant_id) ?? 0) + line.quantity,
      )
    }
  }

  // Each agreement's statement for the month: your share of the sales, and the CSV.
  const statements: ProducerMonthReport['statements'] = []
  for (const agreement of mine) {
    const { query, statement } = await monthStatement(mitra, agreement.id, period)
    const venue = venueOf(agreement.venue_id)
    venue.share += statement.totals.sales.amount
    venue.agreements.push({
      id: agreement.id,
      status: agreement.status,
      closingBalance: statement.closing_balance.amount,
    })
    if (options.writeCsv !== undefined) {
      const csv = await mitra.admin.statements.csv(agreement.id, query)
      await options.writeCsv({
        agreementId: agreement.id,
        venueId: agreement.venue_id,
        venueName: venue.venueName,
        period: period.name,
        csv,
      })
      statements.push({
        agreementId: agreement.id,
        venueName: venue.venueName,
        entries: statement.entries.length,
        rows: csv.trimEnd().split('\n').length - 1,
      })
    }
  }

  const money: ProducerMonthReport['money'] = {
    owed: balance.owed.amount,
    collected: balance.payable.amount,
    heldBy: balance.awaiting.map((held) => ({
      venueId: held.party_id,
      venueName: venueNames.get(held.party_id) ?? held.party_id,
      amount: held.amount.amount,
      requested: held.requested.amount,
    })),
    inTransit: balance.in_transit.amount,
  }
  const report: ProducerMonthReport = {
    producer: { id: party.id, name: party.name },
    period,
    venues: [...venues.values()],
    money,
    statements,
  }
  printReport(report, print)
  return report
}

/**
 * The month's statement of an agreement: `{ period: 'YYYY-MM' }`, its settlement period when
 * it settles monthly; an agreement settling weekly or twice a month refuses a month, and is
 * asked for the month's days instead (`from`/`to`).
 */
async function monthStatement(mitra: Mitra, agreementId: string, period: Period) {
  const byPeriod: StatementQuery = { period: period.name }
  try {
    return { query: byPeriod, ...(await mitra.admin.statements.get(agreementId, byPeriod)) }
  } catch (error) {
    const notMonthly =
      isMitraApiError(error) && error.errors.some((e) => e.code === 'not_a_settlement_period')
    if (!notMonthly) throw error
    const byDays: StatementQuery = { ...period.days }
    return { query: byDays, ...(await mitra.admin.statements.get(agreementId, byDays)) }
  }
}

/** Your variants by id: `Madu klanceng (250 ml)`. */
async function productNames(mitra: Mitra): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  for await (const product of mitra.admin.products.list({ limit: 100 })) {
    for (const variant of product.variants) {
      const options = Object.values(variant.options)
      names.set(
        variant.id,
        options.length > 0 ? `${product.title.id} (${options.join(', ')})` : product.title.id,
      )
    }
  }
  return names
}

function printReport(report: ProducerMonthReport, print: (line: string) => void) {
  const month = new Intl.DateTimeFormat('id-ID', {
    month: 'long',
    year: 'numeric',
    timeZone: 'Asia/Jakarta',
  }).format(report.period.from)
  const amount = (value: number) => rupiah(value).padStart(11)
  print(`${report.producer.name} — ${month} (${report.period.name})`)
  print('')

  print('Stock at each venue, now')
  if (report.venues.every((venue) => venue.stock.length === 0)) print('  No stock at any venue.')
  for (const venue of report.venues.filter((venue) => venue.stock.length > 0)) {
    print(`  ${venue.venueName}`)
    const width = Math.max(...venue.stock.map((row) => row.name.length))
    for (const row of venue.stock) {
      const reserved = row.reserved > 0 ? `, ${row.reserved} reserved online` : ''
      const age = row.oldestLotAgeDays === null ? '' : `, oldest ${row.oldestLotAgeDays} days`
      print(
        `    ${row.sku.padEnd(15)} ${row.name.padEnd(width)}  ${String(row.onHand).padStart(3)} on the shelf${reserved}${age}`,
      )
    }
  }
  print('')

  print(`What sold where in ${month}`)
  const sold = report.venues.filter((venue) => venue.sold.units > 0 || venue.share !== 0)
  if (sold.length === 0) print('  Nothing sold yet this month.')
  const width = Math.max(6, ...report.venues.map((venue) => venue.venueName.length))
  const counts = new Map(
    sold.map((venue) => [
      venue,
      `${venue.sold.units} sold in ${venue.sold.sales} ${venue.sold.sales === 1 ? 'sale' : 'sales'}`,
    ]),
  )
  const countWidth = Math.max(0, ...[...counts.values()].map((text) => text.length))
  for (const venue of sold) {
    print(
      `  ${venue.venueName.padEnd(width)}  ${counts.get(venue)?.padEnd(countWidth)}  buyers paid ${amount(venue.sold.gross)}  your share ${amount(venue.share)}`,
    )
  }
  print('')

  const { money } = report
  const rows: [string, number, string][] = [
    ['collected by the platform', money.collected, ''],
    ...money.heldBy.map((held): [string, number, string] => [
      `held by ${held.venueName}`,
      held.amount,
      held.requested > 0 ? `  (${rupiah(held.requested)} of it asked for by a remittance)` : '',
    ]),
    ['in transit to you', money.inTransit, ''],
  ]
  const labels = Math.max(...rows.map(([label]) => label.length))
  print(`Owed to you: ${rupiah(money.owed)}`)
  for (const [label, value, note] of rows)
    print(`  ${label.padEnd(labels)}  ${amount(value)}${note}`)
}
