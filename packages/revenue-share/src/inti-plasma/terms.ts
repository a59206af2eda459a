import {
  amountSchema,
  currencyCodeSchema,
  fieldError,
  idSchema,
  MitraError,
  type Money,
  money,
  toSafeInteger,
} from '@mitra/core'
import type { IntiPlasmaPrice } from '@mitra/db'
import { z } from 'zod'
import { advanceDeduction } from '../entries.js'

/*
 * Inti-plasma terms as pure functions: the agreed prices and which one a purchase uses, and
 * how a settlement is shared out between the core partners whose advances it repays.
 */

const moneySchema = z.strictObject({
  amount: amountSchema,
  currency: currencyCodeSchema,
})

const positiveMoneySchema = z.strictObject({
  amount: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  currency: currencyCodeSchema,
})

const descriptionSchema = z.string().trim().min(1).max(500)

/** Exactly one of `variant_id` and `description` names an item. */
function oneItem(
  item: { variant_id?: string | undefined; description?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (item.variant_id === undefined && item.description === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'an item names a variant_id or a description',
      path: ['variant_id'],
    })
  } else if (item.variant_id !== undefined && item.description !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'an item names a variant_id or a description, not both',
      path: ['description'],
    })
  }
}

export const intiPlasmaPriceSchema = z
  .strictObject({
    /** A variant of the producer's catalogue. */
    variant_id: idSchema('var').optional(),
    /** A product line in words (output need not be in the catalogue). */
    description: descriptionSchema.optional(),
    /** What the core partner pays per unit. */
    unit_price: positiveMoneySchema,
  })
  .superRefine(oneItem)

export const intiPlasmaPartnershipInputSchema = z.strictObject({
  producer_id: idSchema('pty'),
  currency: currencyCodeSchema,
  /** At most this share of each settlement repays advances (basis points, 0–10000). */
  max_deduction_bps: z.number().int().min(0).max(10_000),
  prices: z.array(intiPlasmaPriceSchema).min(1).max(100),
  note: z.string().trim().min(1).max(2000).optional(),
})
export type IntiPlasmaPartnershipInput = z.input<typeof intiPlasmaPartnershipInputSchema>

export const intiPlasmaPurchaseInputSchema = z
  .strictObject({
    variant_id: idSchema('var').optional(),
    description: descriptionSchema.optional(),
    quantity: z.number().int().min(1).max(10_000_000),
    /** Optional: if given, it must be the agreed price (else 422 `price_not_allowed`). */
    unit_price: moneySchema.optional(),
    /** The core partner's own number for the purchase; recording it again is a replay. */
    reference: z.string().trim().min(1).max(100).optional(),
    /** When the goods changed hands (default: now; never in the future). */
    purchased_at: z.coerce.date().optional(),
  })
  .superRefine(oneItem)
export type IntiPlasmaPurchaseInput = z.input<typeof intiPlasmaPurchaseInputSchema>

export const intiPlasmaAdvanceInputSchema = z.strictObject({
  /** The value of the inputs given on credit, in the partnership's currency. */
  amount: positiveMoneySchema,
  /** What was advanced: cloth, wax, tools … */
  description: descriptionSchema,
})

const key = (description: string) => description.trim().toLowerCase()

/**
 * Validated prices as stored: in the partnership's currency (422 naming
 * `prices.N.unit_price.currency`), each item once (422 naming the repeated field).
 */
export function agreedPrices(
  currency: string,
  prices: readonly z.output<typeof intiPlasmaPriceSchema>[],
): IntiPlasmaPrice[] {
  const seen = new Set<string>()
  return prices.map((price, index) => {
    if (price.unit_price.currency !== currency) {
      throw fieldError(
        `prices.${index}.unit_price.currency`,
        'currency_mismatch',
        `expected ${currency}, the partnership's currency`,
      )
    }
    const id =
      price.variant_id !== undefined ? `v:${price.variant_id}` : `d:${key(price.description ?? '')}`
    if (seen.has(id)) {
      const field = price.variant_id !== undefined ? 'variant_id' : 'description'
      throw fieldError(`prices.${index}.${field}`, 'duplicate', 'this item already has a price')
    }
    seen.add(id)
    return {
      variant_id: price.variant_id ?? null,
      description: price.variant_id === undefined ? (price.description ?? null) : null,
      unit_price: price.unit_price.amount,
    }
  })
}

export interface AgreedItem {
  /** Its position in the partnership's prices. */
  index: number
  price: IntiPlasmaPrice
}

/**
 * The agreed price of an item (by variant id, or by description ignoring case and outer
 * spaces). An item without one is a 422 naming the field; a `unit_price` that is not the
 * agreed one is a 422 `price_not_allowed` naming `unit_price`.
 */
export function agreedItem(
  prices: readonly IntiPlasmaPrice[],
  currency: string,
  request: {
    variant_id?: string | undefined
    description?: string | undefined
    unit_price?: Money
  },
): AgreedItem {
  const index =
    request.variant_id !== undefined
      ? prices.findIndex((p) => p.variant_id === request.variant_id)
      : prices.findIndex(
          (p) => p.description !== null && key(p.description) === key(request.description ?? ''),
        )
  const price = prices[index]
  if (price === undefined) {
    const field = request.variant_id !== undefined ? 'variant_id' : 'description'
    throw fieldError(field, 'not_agreed', 'the partnership has no agreed price for this item')
  }
  const offered = request.unit_price
  if (
    offered !== undefined &&
    (offered.currency !== currency || offered.amount !== price.unit_price)
  ) {
    const message = `the agreed price is ${price.unit_price} ${currency} per unit`
    throw new MitraError('price_not_allowed', message, {
      errors: [{ path: 'unit_price', code: 'price_not_allowed', message }],
      extensions: { agreed_unit_price: money(price.unit_price, currency) },
    })
  }
  return { index, price }
}

/** Units × agreed price, exactly (422 `amount_overflow` beyond safe integers). */
export function purchaseAmount(unitPrice: number, quantity: number, currency: string): Money {
  return money(toSafeInteger(BigInt(unitPrice) * BigInt(quantity)), currency)
}

/** A core partner's claim on a settlement: its partnership's outstanding advances and share. */
export interface DeductionClaim {
  partnershipId: string
  outstanding: Money
  maxShareBps: number
}

/**
 * What each claim takes from a settlement of `owed`, in the order given (the partnership
 * in force longest first): each up to its agreed share of the whole settlement and never
 * more than it is owed (`advanceDeduction`), and together never more than `owed` — a later
 * claim gets only what the earlier ones left.
 */
export function planDeductions(
  claims: readonly DeductionClaim[],
  owed: Money,
): { partnershipId: string; amount: Money }[] {
  let remaining = Math.max(0, owed.amount)
  return claims.map((claim) => {
    const wanted = advanceDeduction(claim.outstanding, owed, claim.maxShareBps).amount
    const amount = Math.min(wanted, remaining)
    remaining -= amount
    return { partnershipId: claim.partnershipId, amount: money(amount, owed.currency) }
  })
}
