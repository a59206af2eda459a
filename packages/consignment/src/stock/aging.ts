import { allocateMoney, type Money, money, percentage, subtract } from '@mitra/core'
import type { Bearer, ConsignmentTerms } from '../terms.js'

/**
 * Lots and aging, without I/O. A lot's days on consignment count from its `delivered_at`;
 * its consignment period ends after `consignment_days`, then `grace_days` of grace, then it
 * has expired and `on_expiry` applies (a return request, a markdown, or an extension).
 */

export const dayMs = 86_400_000

/** Whole days since `deliveredAt` (0 on the day it arrived; never negative). */
export function daysOnConsignment(deliveredAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - deliveredAt.getTime()) / dayMs))
}

export type LotAgeState = 'current' | 'grace' | 'expired'

export interface LotAge {
  age_days: number
  /** When the consignment period ends (grace starts). */
  consignment_ends_at: Date
  /** When the grace period ends and `on_expiry` applies. */
  expires_at: Date
  state: LotAgeState
  /** Whole days until `expires_at` (0 once expired). */
  days_until_expiry: number
}

type AgingTerms = Pick<ConsignmentTerms, 'consignment_days' | 'grace_days'>

/** Where a lot delivered at `deliveredAt` stands at `now` under `terms`. */
export function lotAge(deliveredAt: Date, terms: AgingTerms, now: Date): LotAge {
  const start = deliveredAt.getTime()
  const consignmentEnds = start + terms.consignment_days * dayMs
  const expires = consignmentEnds + terms.grace_days * dayMs
  const t = now.getTime()
  return {
    age_days: daysOnConsignment(deliveredAt, now),
    consignment_ends_at: new Date(consignmentEnds),
    expires_at: new Date(expires),
    state: t >= expires ? 'expired' : t >= consignmentEnds ? 'grace' : 'current',
    days_until_expiry: Math.max(0, Math.ceil((expires - t) / dayMs)),
  }
}

export function isExpired(deliveredAt: Date, terms: AgingTerms, now: Date): boolean {
  return (
    now.getTime() >= deliveredAt.getTime() + (terms.consignment_days + terms.grace_days) * dayMs
  )
}

/** A lot with what aging needs. */
export interface AgingLot {
  id: string
  delivered_at: Date
  remaining: number
}

/** Open lots past consignment + grace at `now`, oldest first. */
export function expiredLots<L extends AgingLot>(
  lots: readonly L[],
  terms: AgingTerms,
  now: Date,
): L[] {
  return sortByAge(
    lots.filter((lot) => lot.remaining > 0 && isExpired(lot.delivered_at, terms, now)),
  )
}

/** Open lots not yet expired that will expire within `withinDays` days of `now`, oldest first. */
export function expiringLots<L extends AgingLot>(
  lots: readonly L[],
  terms: AgingTerms,
  now: Date,
  withinDays: number,
): L[] {
  const horizon = now.getTime() + withinDays * dayMs
  return sortByAge(
    lots.filter((lot) => {
      if (lot.remaining <= 0 || isExpired(lot.delivered_at, terms, now)) return false
      const expires =
        lot.delivered_at.getTime() + (terms.consignment_days + terms.grace_days) * dayMs
      return expires <= horizon
    }),
  )
}

function sortByAge<L extends AgingLot>(lots: L[]): L[] {
  return lots.sort(
    (a, b) =>
      a.delivered_at.getTime() - b.delivered_at.getTime() ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
}

// ---------------------------------------------------------------------------------------
// Markdowns

export interface MarkdownStep {
  after_days: number
  percent_off_bps: number
}

/** The markdown that applies at `ageDays`: the last step reached (0 before the first). */
export function markdownBps(schedule: readonly MarkdownStep[], ageDays: number): number {
  let bps = 0
  for (const step of schedule)
    if (ageDays >= step.after_days) bps = Math.max(bps, step.percent_off_bps)
  return bps
}

/** Who absorbs a discount: the two parts always add up to it. */
export interface DiscountSplit {
  venue: Money
  producer: Money
}

/**
 * Splits a cost (a markdown's discount, the value of damaged goods) by who bears it: all
 * to the venue, all to the producer, or half each (largest remainder: an odd minor unit
 * goes to the venue).
 */
export function splitByBearer(total: Money, bearer: Bearer): DiscountSplit {
  const nothing = money(0, total.currency)
  if (bearer === 'venue') return { venue: total, producer: nothing }
  if (bearer === 'producer') return { venue: nothing, producer: total }
  const [venue, producer] = allocateMoney(total, [1, 1])
  return { venue: venue ?? nothing, producer: producer ?? nothing }
}

export interface Markdown {
  age_days: number
  percent_off_bps: number
  list_price: Money
  /** The marked-down price: list price − discount. */
  price: Money
  discount: Money
  /** Who absorbs the discount: the venue's commission and the producer's share shrink by these. */
  absorbed: DiscountSplit
}

/**
 * The price of a unit that has been on consignment `ageDays`, by the agreement's markdown
 * schedule, and who absorbs the discount (`markdown_bearer`). The discount is rounded half
 * up to whole minor units; the price never goes below zero.
 */
export function markdownPrice(
  listPrice: Money,
  ageDays: number,
  terms: Pick<ConsignmentTerms, 'markdown_schedule' | 'markdown_bearer'>,
): Markdown {
  const bps = markdownBps(terms.markdown_schedule, ageDays)
  const discount = percentage(listPrice, bps, 'half_up')
  return {
    age_days: ageDays,
    percent_off_bps: bps,
    list_price: listPrice,
    price: subtract(listPrice, discount),
    discount,
    absorbed: splitByBearer(discount, terms.markdown_bearer),
  }
}
