import { quoteAtVenue, type RecordSaleInput, type StockScope } from '@mitra/consignment'
import { equals, isMitraError, MitraError, type Money, money, multiply, sum } from '@mitra/core'
import { type Database, type Executor, inTransaction } from '@mitra/db'
import { type FeeSchedule, type MerchantClass, paymentFeeOf } from '@mitra/payments'
import { type PostedConsignmentSale, sellAtVenue } from '@mitra/revenue-share'

export interface CounterSaleOptions {
  /** What payments cost, by method (the payment providers' `feeSchedule`). */
  feeSchedule: FeeSchedule
  /** The venue's QRIS merchant class: micro merchants (UMi) pay less (default regular). */
  merchantClass?: MerchantClass
  now?: Date
}

/** The sale came to another total than the one its fee was computed on. */
class PriceMoved extends Error {}

/** How many times a sale whose prices moved under it is priced again before giving up. */
const attempts = 3

const totalOf = (lines: readonly { price: Money; quantity: number }[]): Money =>
  sum(
    lines.map((line) => multiply(line.price, line.quantity)),
    (lines[0] as { price: Money }).price.currency,
  )

/**
 * What the lines come to, priced as the sale will price them: the price given, else the
 * retail price marked down by the age of the oldest lot at the sale's time (`quoteAtVenue`).
 */
async function quotedTotal(tx: Executor, input: RecordSaleInput, soldAt: Date): Promise<Money> {
  const unpriced = input.lines.filter((line) => line.unit_price === undefined)
  const quotes = await quoteAtVenue(
    tx,
    input.venue_id,
    unpriced.map((line) => line.variant_id),
    { now: soldAt },
  )
  return totalOf(
    input.lines.map((line) => ({
      quantity: line.quantity,
      price:
        line.unit_price === undefined
          ? (quotes.find((quote) => quote.variantId === line.variant_id)?.unitPrice as Money)
          : money(line.unit_price.amount, line.unit_price.currency),
    })),
  )
}

/**
 * A sale at the venue's counter (`sellAtVenue`), its split posted with what the payment
 * cost: cash costs nothing; QRIS costs the schedule's QRIS rate for the venue's merchant
 * class on the sale's total, which the venue's acquirer keeps.
 *
 * The fee must be known before the split is posted, so the lines are priced the way the
 * sale will price them, in the same transaction and at the sale's time, and the sale is
 * checked to have come to that total. Another sale taking the oldest lot in between can
 * move a marked-down price: then nothing is kept and the sale is priced again.
 */
export async function sellAtCounter(
  db: Database,
  scope: StockScope,
  input: RecordSaleInput,
  options: CounterSaleOptions,
): Promise<PostedConsignmentSale> {
  const now = options.now ?? new Date()
  // Another venue's sale is refused by `sellAtVenue` (404) before anything is priced.
  if (input.channel !== 'qris' || input.venue_id !== scope.partyId) {
    return sellAtVenue(db, scope, input, { now })
  }
  const soldAt = input.sold_at === undefined ? now : new Date(input.sold_at)
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(db, async (tx) => {
        let total: Money
        try {
          total = await quotedTotal(tx, input, soldAt)
        } catch (error) {
          // What cannot be priced cannot be sold either: the sale's own error names the
          // field as the request has it.
          if (!isMitraError(error) || error.status >= 500) throw error
          await sellAtVenue(tx, scope, input, { now })
          throw error
        }
        const paymentFee = paymentFeeOf(options.feeSchedule, 'qris', total, {
          merchantClass: options.merchantClass ?? 'regular',
        })
        const posted = await sellAtVenue(tx, scope, input, { now, paymentFee })
        const sold = totalOf(
          posted.sale.lines.map((line) => ({
            price: money(line.unit_price.amount, line.unit_price.currency),
            quantity: line.quantity,
          })),
        )
        if (!equals(sold, total)) throw new PriceMoved()
        return posted
      })
    } catch (error) {
      if (!(error instanceof PriceMoved)) throw error
      if (attempt === attempts) {
        throw new MitraError(
          'conflict',
          'The prices of this sale kept changing while it was recorded; record it again',
        )
      }
    }
  }
}
