import {
  type At,
  type ConversionRequest,
  type ConvertReservationInput,
  convertReservation,
  convertReservations,
  getAgreementVersions,
  type RecordSaleInput,
  recordSale,
  type Sale,
  type StockScope,
} from '@mitra/consignment'
import { allocate, MitraError, type Money, money, multiply } from '@mitra/core'
import { atomically, type Executor } from '@mitra/db'
import { collectionHoldEntry } from '../collection.js'
import { type SaleEntryInput, saleEntry } from '../entries.js'
import { type EntryPost, type PostedTransaction, postEntries } from '../ledger.js'
import { type LineSplit, type SplitLineInput, splitLine } from '../split.js'
import { AgreementPolicies, type ConsignmentPolicyOptions, platformParty } from './policy.js'

/**
 * The ledger source of a consignment sale line: the sale and the variant sold (a sale has
 * one line per variant), e.g. `sale_01j…:var_01j…`.
 */
export function saleLineIdOf(saleId: string, variantId: string): string {
  return `${saleId}:${variantId}`
}

export interface ConsignmentSaleOptions extends At, ConsignmentPolicyOptions {
  /**
   * What the payment provider kept for the whole sale (QRIS MDR, card fee …), spread over
   * the lines in proportion to their totals. Default: none (cash).
   */
  paymentFee?: Money
  /**
   * Who holds an online sale's money. Default: the platform, whose provider account took
   * the payment; a venue taking payments into its own account holds them itself.
   */
  collectorId?: string
}

/** One sale line as posted: its ledger source, the split and the journal transaction. */
export interface PostedSaleLine {
  saleLineId: string
  variantId: string
  producerId: string
  agreementId: string
  agreementVersion: number
  split: LineSplit
  transaction: PostedTransaction
}

/** A consignment sale and the journal transaction of each of its lines. */
export interface PostedConsignmentSale {
  sale: Sale
  lines: PostedSaleLine[]
}

/** The provider fee of each line: the sale's fee spread by line total (largest remainder). */
function feesByLine(fee: Money | undefined, grosses: readonly Money[]): (Money | undefined)[] {
  if (fee === undefined || fee.amount === 0) return grosses.map(() => undefined)
  if (fee.amount < 0) {
    throw new MitraError('invalid_amount', 'The payment fee is not negative', {
      errors: [{ path: 'payment_fee', code: 'invalid', message: 'must not be negative' }],
    })
  }
  const weights = grosses.map((gross) => gross.amount)
  const parts = weights.some((weight) => weight > 0)
    ? allocate(fee.amount, weights)
    : weights.map((_, index) => (index === 0 ? fee.amount : 0))
  return parts.map((part) => money(part, fee.currency))
}

/** A sale to split and post, with what its posting depends on. */
export interface SaleToPost {
  sale: Sale
  options: ConsignmentSaleOptions
}

/**
 * Splits and posts every line of many sales inside the caller's transaction, by one
 * statement per table for all of them: the policy of the agreement version each line was
 * sold under, a markdown when the line sold below the retail price, the provider fee
 * spread over the sale's lines.
 */
async function postSalesLines(
  tx: Executor,
  sales: readonly SaleToPost[],
): Promise<PostedSaleLine[][]> {
  if (sales.length === 0) return []
  // The platform and every agreement version the lines were sold under, in one round trip.
  const [platformId, versions] = await Promise.all([
    platformParty(tx),
    getAgreementVersions(
      tx,
      sales.flatMap(({ sale }) =>
        sale.lines.map((line) => ({
          agreementId: line.agreement_id,
          version: line.agreement_version,
        })),
      ),
    ),
  ])
  if (platformId === null && sales.some(({ sale }) => sale.channel === 'online')) {
    throw new MitraError(
      'platform_unavailable',
      'An online sale is collected by the platform, and there is no party of kind platform',
    )
  }
  // One reader of agreement versions per VAT setting: policies depend on it.
  const readers = new Map<ConsignmentSaleOptions['producerVat'], AgreementPolicies>()
  const readerOf = (options: ConsignmentSaleOptions) => {
    let reader = readers.get(options.producerVat)
    if (reader === undefined) {
      reader = new AgreementPolicies(tx, platformId, options, versions)
      readers.set(options.producerVat, reader)
    }
    return reader
  }
  const entries: EntryPost[] = []
  const splits: SaleEntryInput[][] = []
  for (const { sale, options } of sales) {
    const online = sale.channel === 'online'
    const grosses = sale.lines.map((line) =>
      multiply(money(line.unit_price.amount, line.unit_price.currency), line.quantity),
    )
    const fees = feesByLine(options.paymentFee, grosses)
    const own: SaleEntryInput[] = []
    for (const [index, line] of sale.lines.entries()) {
      const { policy } = await readerOf(options).get({ ...line, venue_id: sale.venue_id })
      const unitPrice = money(line.unit_price.amount, line.unit_price.currency)
      const listPrice =
        line.list_price === null ? null : money(line.list_price.amount, line.list_price.currency)
      const input: SplitLineInput = {
        gross: grosses[index] as Money,
        quantity: line.quantity,
        unitPrice,
      }
      const fee = fees[index]
      if (fee !== undefined) input.paymentFee = fee
      if (
        listPrice !== null &&
        listPrice.currency === unitPrice.currency &&
        listPrice.amount > unitPrice.amount
      ) {
        input.markdown = { originalUnitPrice: listPrice }
      }
      own.push({
        saleLineId: saleLineIdOf(sale.id, line.variant_id),
        channel: online ? 'online' : 'in_venue',
        collectorId: online ? (options.collectorId ?? (platformId as string)) : sale.venue_id,
        split: splitLine(policy, input),
        agreementId: line.agreement_id,
        memo: `${online ? 'Online sale' : 'Sale'} ${sale.receipt_number} at ${sale.venue_id}`,
      })
    }
    const occurredAt = new Date(sale.sold_at)
    for (const input of own) entries.push({ entry: saleEntry(input), options: { occurredAt } })
    splits.push(own)
  }
  // Money collected by a venue is held by it: its hold goes in with the sale (after them all,
  // so results keep their places).
  const holds: EntryPost[] = []
  for (const { entry, options } of entries) {
    const hold = collectionHoldEntry(entry, { platformId })
    if (hold !== null) holds.push({ entry: hold, ...(options ? { options } : {}) })
  }
  // Every line of every sale in one statement per table.
  const posted = await postEntries(tx, [...entries, ...holds])
  let next = 0
  return sales.map(({ sale }, saleIndex) =>
    sale.lines.map((line, index) => {
      const entry = (splits[saleIndex] as SaleEntryInput[])[index] as SaleEntryInput
      return {
        saleLineId: entry.saleLineId,
        variantId: line.variant_id,
        producerId: line.producer_id,
        agreementId: line.agreement_id,
        agreementVersion: line.agreement_version,
        split: entry.split,
        transaction: posted[next++] as PostedTransaction,
      }
    }),
  )
}

async function postSaleLines(
  tx: Executor,
  sale: Sale,
  options: ConsignmentSaleOptions,
): Promise<PostedSaleLine[]> {
  const [posted] = await postSalesLines(tx, [{ sale, options }])
  return posted as PostedSaleLine[]
}

/**
 * A venue records a counter sale (cash or QRIS, the input of `recordSale`) and every line's
 * split is posted in the same database transaction: under the agreement version the line
 * was sold under, the venue holding the cash. If splitting or posting fails, the sale is
 * not recorded either and the stock is unchanged.
 *
 * @example
 * await sellAtVenue(db, venueStaff, { venue_id, receipt_number: 'R-1', channel: 'cash', lines })
 */
export function sellAtVenue(
  db: Executor,
  scope: StockScope,
  input: RecordSaleInput,
  options: ConsignmentSaleOptions = {},
): Promise<PostedConsignmentSale> {
  const at: At = options.now === undefined ? {} : { now: options.now }
  return atomically(db, async (tx) => {
    const sale = await recordSale(tx, scope, input, at)
    return { sale, lines: await postSaleLines(tx, sale, options) }
  })
}

/**
 * Completes an online checkout: converts the reservation into a sale (`convertReservation`)
 * and posts every line's split in the same transaction, collected by the platform through
 * the payment provider; `paymentFee` is what the provider kept for the whole order.
 */
export function completeReservationSale(
  db: Executor,
  scope: StockScope,
  reservationId: string,
  input: ConvertReservationInput = {},
  paymentFee?: Money,
  options: Omit<ConsignmentSaleOptions, 'paymentFee'> = {},
): Promise<PostedConsignmentSale> {
  const at: At = options.now === undefined ? {} : { now: options.now }
  return atomically(db, async (tx) => {
    const sale = await convertReservation(tx, scope, reservationId, input, at)
    const posted = await postSaleLines(
      tx,
      sale,
      paymentFee === undefined ? options : { ...options, paymentFee },
    )
    return { sale, lines: posted }
  })
}

/** A reservation to complete as an online sale (`completeReservationSales`). */
export interface ReservationSale {
  scope: StockScope
  reservationId: string
  receiptNumber?: string
  /** The sale's id, when the caller needs it before the sale is made. */
  saleId?: string
  /** What the provider kept for the whole order. */
  paymentFee?: Money
  /** Who holds the money (default: the platform). */
  collectorId?: string
}

/**
 * Completes many online checkouts in the caller's transaction: converts their reservations
 * into sales and posts every line's split, by one statement per table for all of them.
 * Any one failing (a reservation no longer held, an agreement ended) fails the call.
 */
export async function completeReservationSales(
  tx: Executor,
  requests: readonly ReservationSale[],
  now: Date,
): Promise<PostedConsignmentSale[]> {
  const sales = await convertReservations(
    tx,
    requests.map(({ scope, reservationId, receiptNumber, saleId }) => {
      const request: ConversionRequest = { scope, reservationId }
      if (receiptNumber !== undefined) request.receiptNumber = receiptNumber
      if (saleId !== undefined) request.saleId = saleId
      return request
    }),
    now,
  )
  const posted = await postSalesLines(
    tx,
    sales.map((sale, index) => {
      const { paymentFee, collectorId } = requests[index] as ReservationSale
      const options: ConsignmentSaleOptions = { now }
      if (paymentFee !== undefined) options.paymentFee = paymentFee
      if (collectorId !== undefined) options.collectorId = collectorId
      return { sale, options }
    }),
  )
  return sales.map((sale, index) => ({ sale, lines: posted[index] as PostedSaleLine[] }))
}
