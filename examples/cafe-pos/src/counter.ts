import { rupiah } from '@mitra/example-connect'
import type { Mitra, Schemas } from '@mitra/sdk'

type Delivery = Schemas['Delivery']
type DeliveryLine = Delivery['lines'][number]
type PostedSale = Schemas['PostedSale']
type Sale = Schemas['Sale']
type Channel = Sale['channel']

/** One sale at the counter: paid in cash or by QRIS. */
export interface CounterSale {
  channel: 'cash' | 'qris'
  lines: { variant_id: string; quantity: number }[]
}

export interface CounterDayOptions {
  /** The café (a venue party): the secret key's own party. */
  venueId: string
  /**
   * The delivery note (surat jalan) to receive. Default: the oldest one sent to the café and
   * not yet received, if there is one; `null`: receive none.
   */
  deliveryId?: string | null
  /** How many of a line the café counted on arrival (default: what the note says). */
  count?: (line: DeliveryLine) => number
  /** The day's sales. Default: two cash sales and one QRIS sale, one item each, off the shelf. */
  sales?: CounterSale[]
  /** Receipt numbers are `<prefix>-1`, `<prefix>-2`, …: default `NOTA/<yyyymmdd>/<hhmmss>`. */
  receiptPrefix?: string
  /**
   * The counter's clock: the receipt numbers, the day whose takings are printed (its date in
   * Jakarta) and, when given, the sales' `sold_at`. Default: now, and mitra stamps the sales.
   */
  now?: Date
}

export interface ReceivedDelivery {
  id: string
  noteNumber: string
  producerName: string
  lines: { variantId: string; name: string; sent: number; counted: number }[]
  discrepancies: boolean
}

export interface RecordedSale {
  id: string
  receiptNumber: string
  channel: 'cash' | 'qris'
  lines: { name: string; quantity: number; unitPrice: number }[]
  /** What the buyer paid: Σ unit price × quantity. */
  total: number
  /** The QRIS payment fee posted with the sale (0 for cash). */
  fee: number
  /** The café's own share (its commission, after its part of the fee). */
  commission: number
  /** The producers' shares: the café holds them until it remits them. */
  producers: number
}

export interface OwedToProducer {
  producerId: string
  producerName: string
  /** What the café holds for the producer now, from the ledger (`stock.venue`). */
  owed: number
  /** Of it, what a remittance already asks for. */
  requested: number
  onHand: number
  soldThisMonth: number
}

/**
 * The café's takings for a whole day (Jakarta date): every sale at the café that day, this
 * run's and any other till's, read back with `sales.list`, and their split from the ledger.
 */
export interface DayTakings {
  /** `2026-12-06`: the day in Jakarta, from midnight to midnight. */
  day: string
  /** How many sales the café made that day, by channel and in all. */
  count: Record<Channel, number> & { total: number }
  /** Of them, not made by this run (another till, an earlier run, an online order). */
  earlier: number
  /** What buyers paid, in rupiah (Σ the listed sales' `total`). */
  cash: number
  qris: number
  /** Online orders picked up at the café: paid to the platform, not into the till. */
  online: number
  total: number
  /** What the QRIS acquirer kept of the day's QRIS sales (the ledger's `payment_fee` shares). */
  qrisFee: number
  /** What the payment provider kept of the day's online sales. */
  onlineFee: number
  /** The total less the fees. */
  net: number
  /** The café's commission (its `venue` shares, after its part of the fees). */
  commission: number
  /** The producers' shares. */
  producers: number
  /** Any other share (a cooperative, the platform, tax). */
  others: number
  /** Sales not in rupiah (or mixing currencies): left out of everything above. */
  notInRupiah: number
}

export interface CounterDayReport {
  venue: { id: string; name: string }
  delivery: ReceivedDelivery | null
  /** This run's sales, as their posted answers say. */
  sales: RecordedSale[]
  /** The whole day's takings at the café, read back from mitra. */
  takings: DayTakings
  owed: OwedToProducer[]
  /** Everything the café holds for others (`balance.holds`), and to whom it is owed. */
  holds: number
  owes: { partyId: string; name: string; role: string; amount: number }[]
}

interface CatalogueEntry {
  name: string
  sku: string
  producerId: string
  producerName: string
}

/**
 * Every variant in the store catalogue by id, with a name for the receipt: product title
 * (Indonesian) and options, e.g. `Madu klanceng (250 ml)`.
 */
export async function catalogue(mitra: Mitra): Promise<Map<string, CatalogueEntry>> {
  const entries = new Map<string, CatalogueEntry>()
  for await (const product of mitra.store.products.list({ limit: 100 })) {
    for (const variant of product.variants) {
      const options = Object.values(variant.options)
      entries.set(variant.id, {
        name: options.length > 0 ? `${product.title.id} (${options.join(', ')})` : product.title.id,
        sku: variant.sku,
        producerId: product.producer.id,
        producerName: product.producer.name,
      })
    }
  }
  return entries
}

/** `NOTA/20261206/173507`: the date and time in Jakarta. */
function receiptPrefixAt(now: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Jakarta',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  )
  return `NOTA/${parts.year}${parts.month}${parts.day}/${parts.hour}${parts.minute}${parts.second}`
}

/** The day `now` is in, in Jakarta (WIB, UTC+7, no daylight saving): `2026-12-06`. */
export function jakartaDay(now: Date): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)
}

/** The day after `2026-12-06`: `2026-12-07`. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

const sumOf = (values: number[]) => values.reduce((sum, value) => sum + value, 0)

const totalOf = (sale: PostedSale) =>
  sumOf(sale.lines.map((line) => line.unit_price.amount * line.quantity))

const shareOf = (sale: PostedSale, role: string) =>
  sumOf(
    sale.postings.flatMap((posting) =>
      posting.shares.filter((share) => share.role === role).map((share) => share.amount),
    ),
  )

/**
 * Two cash sales and a QRIS sale, one item each, off what the shelf has free: one item per
 * producer in turn, so the day touches more than one producer's account.
 */
export async function defaultSales(mitra: Mitra, venueId: string): Promise<CounterSale[]> {
  const shelf = (await mitra.store.venues.available(venueId).toArray()).filter(
    (item) => item.available > 0 && item.price !== null,
  )
  const byProducer = new Map<string, typeof shelf>()
  for (const item of shelf) {
    byProducer.set(item.producer_id, [...(byProducer.get(item.producer_id) ?? []), item])
  }
  // Producer by producer: the first item of each, then the second of each, …
  const queues = [...byProducer.values()]
  const inTurn = Array.from(
    { length: Math.max(0, ...queues.map((queue) => queue.length)) },
    (_, i) => queues.flatMap((queue) => (queue[i] === undefined ? [] : [queue[i]])),
  ).flat()
  const left = new Map(inTurn.map((item) => [item.variant_id, item.available]))
  const sales: CounterSale[] = []
  for (const channel of ['cash', 'cash', 'qris'] as const) {
    // A small shelf sells the same item again while it lasts.
    const item = [...inTurn.slice(sales.length), ...inTurn].find(
      (candidate) => (left.get(candidate.variant_id) ?? 0) > 0,
    )
    if (item === undefined) break
    left.set(item.variant_id, (left.get(item.variant_id) ?? 0) - 1)
    sales.push({ channel, lines: [{ variant_id: item.variant_id, quantity: 1 }] })
  }
  return sales
}

/**
 * A day at the café's counter: receive the delivery note that came in (counting its lines),
 * record this run's sales (cash and QRIS, each with its receipt number), then print the
 * whole day's takings — every sale at the café that day, read back from mitra — and what the
 * café owes each producer, from the ledger.
 */
export async function runCounterDay(
  mitra: Mitra,
  options: CounterDayOptions,
  print: (line: string) => void = console.log,
): Promise<CounterDayReport> {
  const { venueId } = options
  const [party, names] = await Promise.all([mitra.admin.party.get(), catalogue(mitra)])
  if (party.id !== venueId) {
    throw new Error(`The key belongs to ${party.name} (${party.id}), not to venue ${venueId}`)
  }
  const venue = { id: party.id, name: party.name }
  const nameOf = (variantId: string) => names.get(variantId)?.name ?? variantId
  const now = options.now ?? new Date()
  const day = new Intl.DateTimeFormat('id-ID', { dateStyle: 'full', timeZone: 'Asia/Jakarta' })
  print(`${venue.name} — counter day, ${day.format(now)}`)
  print('')

  // 1. The delivery that came in: count each line and confirm receipt.
  const delivery = await receiveDelivery(mitra, options, names, print)
  print('')

  // 2. The day's sales. A retried request carries the same Idempotency-Key, so a sale whose
  //    answer was lost on the way is recorded once.
  const plan = options.sales ?? (await defaultSales(mitra, venueId))
  const prefix = options.receiptPrefix ?? receiptPrefixAt(now)
  const sales: RecordedSale[] = []
  print('Sales')
  if (plan.length === 0) print('  Nothing on the shelf to sell.')
  for (const [index, sale] of plan.entries()) {
    const receiptNumber = `${prefix}-${index + 1}`
    const posted = await mitra.admin.sales.create(
      {
        venue_id: venueId,
        receipt_number: receiptNumber,
        channel: sale.channel,
        lines: sale.lines,
        ...(options.now === undefined ? {} : { sold_at: options.now.toISOString() }),
      },
      { idempotencyKey: `${venueId}:${receiptNumber}` },
    )
    const recorded: RecordedSale = {
      id: posted.id,
      receiptNumber,
      channel: sale.channel,
      lines: posted.lines.map((line) => ({
        name: nameOf(line.variant_id),
        quantity: line.quantity,
        unitPrice: line.unit_price.amount,
      })),
      total: totalOf(posted),
      fee: shareOf(posted, 'payment_fee'),
      commission: shareOf(posted, 'venue'),
      producers: shareOf(posted, 'producer'),
    }
    sales.push(recorded)
    const items = recorded.lines.map((line) => `${line.quantity} × ${line.name}`).join(', ')
    const fee = recorded.channel === 'qris' ? `  (QRIS fee ${rupiah(recorded.fee)})` : ''
    print(
      `  ${receiptNumber}  ${recorded.channel === 'qris' ? 'QRIS' : 'cash'}  ${rupiah(recorded.total).padStart(11)}  ${items}${fee}`,
    )
  }
  print('')

  // 3. The day's takings: every sale at the café today, read back from mitra (another till's
  //    and earlier runs' too), cash against QRIS, split as the ledger posted them.
  const takings = await dayTakings(mitra, jakartaDay(now), new Set(sales.map((sale) => sale.id)))
  const count = (n: number) => `${n} ${n === 1 ? 'sale' : 'sales'}`.padEnd(8)
  const amount = (value: number) => rupiah(value).padStart(11)
  const ours = takings.count.total - takings.earlier
  print(
    `Today's takings: every sale at the café on ${takings.day} (${ours} from this run, ${takings.earlier} earlier)`,
  )
  print(`  Cash    ${count(takings.count.cash)}  ${amount(takings.cash)}`)
  print(
    `  QRIS    ${count(takings.count.qris)}  ${amount(takings.qris)}   less the QRIS fee ${rupiah(takings.qrisFee)}`,
  )
  if (takings.count.online > 0) {
    print(
      `  Online  ${count(takings.count.online)}  ${amount(takings.online)}   paid to the platform${takings.onlineFee > 0 ? `, less its fee ${rupiah(takings.onlineFee)}` : ''}`,
    )
  }
  print(
    `  Total   ${count(takings.count.total)}  ${amount(takings.total)}   ${rupiah(takings.net)} after the ${takings.onlineFee > 0 ? 'fees' : 'fee'}:`,
  )
  print(`    the café's commission  ${amount(takings.commission)}`)
  print(`    the producers' shares  ${amount(takings.producers)}`)
  if (takings.others !== 0) print(`    other shares           ${amount(takings.others)}`)
  if (takings.notInRupiah > 0) {
    print(`  (and ${count(takings.notInRupiah).trim()} not in rupiah, left out)`)
  }
  print('')

  // 4. What the café owes whom: the ledger's figures, not the sums above.
  const [stock, balance] = await Promise.all([
    mitra.admin.stock.venue({ venue_id: venueId }),
    mitra.admin.balance.get({ currency: 'IDR' }),
  ])
  const owed: OwedToProducer[] = stock.producers.map((producer) => {
    const idr = producer.owed.find((entry) => entry.currency === 'IDR')
    return {
      producerId: producer.producer_id,
      producerName: producer.producer_name,
      owed: idr?.amount.amount ?? 0,
      requested: idr?.requested.amount ?? 0,
      onHand: producer.on_hand,
      soldThisMonth: producer.sold,
    }
  })
  const producerNames = new Map(owed.map((entry) => [entry.producerId, entry.producerName]))
  const owes = balance.owes.map((entry) => ({
    partyId: entry.party_id,
    name: producerNames.get(entry.party_id) ?? entry.party_id,
    role: entry.role,
    amount: entry.amount.amount,
  }))
  print('What the café owes (from the ledger)')
  const width = Math.max(
    6,
    ...owed.map((entry) => entry.producerName.length),
    ...owes.map((entry) => entry.name.length),
  )
  for (const entry of owed) {
    const requested =
      entry.requested > 0 ? `, ${rupiah(entry.requested)} of it asked by a remittance` : ''
    print(
      `  ${entry.producerName.padEnd(width)}  ${amount(entry.owed)}   ${entry.soldThisMonth} sold this month, ${entry.onHand} on the shelf${requested}`,
    )
  }
  for (const entry of owes.filter((entry) => !producerNames.has(entry.partyId))) {
    print(`  ${entry.name.padEnd(width)}  ${amount(entry.amount)}   (${entry.role})`)
  }
  print(`  ${'In all'.padEnd(width)}  ${amount(balance.holds.amount)}   held for others`)
  return { venue, delivery, sales, takings, owed, holds: balance.holds.amount, owes }
}

/**
 * The café's takings on `day` (Jakarta): its sales that day from `sales.list` (`from` the day,
 * `to` the next, exclusive), and what each was split into from the ledger: listed sales carry
 * no shares, so they come from the statement of every agreement the sales were made under,
 * whose entry for a sale line has every share of it — the payment fee, the café's commission,
 * the producer's.
 */
export async function dayTakings(
  mitra: Mitra,
  day: string,
  thisRun: ReadonlySet<string> = new Set(),
): Promise<DayTakings> {
  const period = { from: day, to: nextDay(day) }
  const takings: DayTakings = {
    day,
    count: { cash: 0, qris: 0, online: 0, total: 0 },
    earlier: 0,
    cash: 0,
    qris: 0,
    online: 0,
    total: 0,
    qrisFee: 0,
    onlineFee: 0,
    net: 0,
    commission: 0,
    producers: 0,
    others: 0,
    notInRupiah: 0,
  }
  const channels = new Map<string, Channel>()
  const agreements = new Set<string>()
  for await (const sale of mitra.admin.sales.list({ ...period, limit: 100 })) {
    // `total` is what the buyer paid (null when the lines mix currencies).
    if (sale.total?.currency !== 'IDR') {
      takings.notInRupiah += 1
      continue
    }
    const paid = sale.total.amount
    channels.set(sale.id, sale.channel)
    for (const line of sale.lines) agreements.add(line.agreement_id)
    takings.count[sale.channel] += 1
    takings.count.total += 1
    if (!thisRun.has(sale.id)) takings.earlier += 1
    takings[sale.channel] += paid
    takings.total += paid
  }
  // The split of those sales: each sale line's entry in its agreement's statement of the
  // settlement period the day is in (`period: day`: a statement covers a whole period).
  for (const agreementId of agreements) {
    const { statement } = await mitra.admin.statements.get(agreementId, { period: day })
    if (statement.currency !== 'IDR') continue
    for (const entry of statement.entries) {
      const channel = channels.get(entry.sale_line_id?.split(':')[0] ?? '')
      if (entry.kind !== 'sale' || channel === undefined) continue
      for (const share of entry.shares) {
        const value = share.amount.amount
        if (share.role === 'payment_fee') {
          takings[channel === 'online' ? 'onlineFee' : 'qrisFee'] += value
        } else if (share.role === 'venue') takings.commission += value
        else if (share.role === 'producer') takings.producers += value
        else takings.others += value
      }
    }
  }
  takings.net = takings.total - takings.qrisFee - takings.onlineFee
  return takings
}

async function receiveDelivery(
  mitra: Mitra,
  options: CounterDayOptions,
  names: Map<string, CatalogueEntry>,
  print: (line: string) => void,
): Promise<ReceivedDelivery | null> {
  if (options.deliveryId === null) return null
  let note: Delivery | undefined
  if (options.deliveryId !== undefined) {
    note = await mitra.admin.deliveries.get(options.deliveryId)
  } else {
    // Newest first: the last one still waiting is the oldest.
    const waiting = (await mitra.admin.deliveries.list({ status: 'sent' }).toArray()).filter(
      (delivery) => delivery.venue_id === options.venueId,
    )
    note = waiting.at(-1)
    if (note === undefined) {
      print('Delivery: no delivery note (surat jalan) is waiting — every one sent to the café')
      print('has been received. Selling from the shelf as it is.')
      return null
    }
    if (waiting.length > 1) print(`${waiting.length} delivery notes are waiting; the oldest first.`)
  }
  const count = options.count ?? ((line: DeliveryLine) => line.quantity_sent)
  const received = await mitra.admin.deliveries.receive(note.id, {
    lines: note.lines.map((line) => ({ variant_id: line.variant_id, quantity: count(line) })),
  })
  const producerName =
    [...names.values()].find((entry) => entry.producerId === received.producer_id)?.producerName ??
    received.producer_id
  const lines = received.lines.map((line) => ({
    variantId: line.variant_id,
    name: names.get(line.variant_id)?.name ?? line.variant_id,
    sent: line.quantity_sent,
    counted: line.quantity_received ?? 0,
  }))
  print(
    `Delivery ${received.note_number} from ${producerName}: ${lines.length} ${lines.length === 1 ? 'line' : 'lines'} counted`,
  )
  for (const line of lines) {
    const difference =
      line.counted < line.sent
        ? `  (${line.sent - line.counted} short)`
        : line.counted > line.sent
          ? `  (${line.counted - line.sent} over)`
          : ''
    print(`  ${line.name}: sent ${line.sent}, counted ${line.counted}${difference}`)
  }
  print(
    received.has_discrepancies
      ? '  Received, with the differences kept for the producer to see.'
      : `  Received: ${sumOf(lines.map((line) => line.counted))} units on the shelf.`,
  )
  return {
    id: received.id,
    noteNumber: received.note_number,
    producerName,
    lines,
    discrepancies: received.has_discrepancies,
  }
}
