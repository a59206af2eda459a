import {
  basisPointsSchema,
  currencyCodeSchema,
  divideRounded,
  idSchema,
  type Money,
  money,
  parseInput,
  toSafeInteger,
} from '@mitra/core'
import { z } from 'zod'

/**
 * Subkontrak: a producer makes components a larger firm (the buyer) needs, under a contract
 * that sets a target quantity, a unit price and a deadline; missing the target brings a
 * penalty. Pure functions: the contract, its deliveries (accepted or rejected on
 * inspection), the fulfilment rate, the penalty and the invoice.
 */

const amountSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

export const subcontractPenaltySchema = z.discriminatedUnion('kind', [
  /** A fixed amount per unit short of the target. */
  z.strictObject({ kind: z.literal('per_unit'), amount: amountSchema }),
  /** A percentage of the value of the units short (shortfall × unit price). */
  z.strictObject({ kind: z.literal('percent'), bps: basisPointsSchema }),
])
export type SubcontractPenalty = z.output<typeof subcontractPenaltySchema>

export const subcontractSchema = z.strictObject({
  id: idSchema('ctr'),
  producer_id: idSchema('pty'),
  buyer_id: idSchema('pty'),
  currency: currencyCodeSchema.default('IDR'),
  target_quantity: z.number().int().min(1).max(10_000_000),
  /** The agreed price per accepted unit, in minor units. */
  unit_price: amountSchema,
  /** Units must be delivered and accepted by then to count towards the target. */
  deadline: z.coerce.date(),
  penalty: subcontractPenaltySchema,
  /** The penalty never exceeds this (null: only by the invoice itself). */
  penalty_cap: amountSchema.nullable().default(null),
})
export type SubcontractInput = z.input<typeof subcontractSchema>
export type Subcontract = z.output<typeof subcontractSchema>

export const subcontractDeliverySchema = z
  .strictObject({
    delivered_at: z.coerce.date(),
    quantity: z.number().int().min(1).max(10_000_000),
    /** Units that passed inspection; the rest are rejected. */
    accepted: z.number().int().min(0),
  })
  .refine((d) => d.accepted <= d.quantity, {
    message: 'cannot accept more than was delivered',
    path: ['accepted'],
  })
export type SubcontractDelivery = z.output<typeof subcontractDeliverySchema>

/** Validates a contract (422 naming each field). */
export function defineSubcontract(input: SubcontractInput): Subcontract {
  return parseInput(subcontractSchema, input)
}

/** Validates a delivery (422 naming each field). */
export function parseSubcontractDelivery(input: z.input<typeof subcontractDeliverySchema>) {
  return parseInput(subcontractDeliverySchema, input)
}

export interface SubcontractEvaluation {
  delivered: number
  accepted: number
  rejected: number
  /** Accepted units delivered by the deadline: what counts towards the target. */
  acceptedOnTime: number
  /** Units short of the target (0 once it is met). */
  shortfall: number
  /** Accepted on time ÷ target in basis points (rounded down, at most 10000). */
  fulfilmentBps: number
  /** Whether the deadline has passed, so a shortfall is final and the penalty applies. */
  deadlinePassed: boolean
  /** accepted × unit price: every accepted unit is paid, late ones too. */
  gross: Money
  /** The penalty by the contract, capped (0 before the deadline or when the target is met). */
  penalty: Money
  /** The penalty charged: never more than the gross, so the invoice is never negative. */
  penaltyCharged: Money
  /** gross − penalty charged. */
  invoice: Money
}

/**
 * Where a subcontract stands at `asOf`: fulfilment, penalty and invoice. Before the
 * deadline nothing is penalised; after it, the shortfall of units accepted on time is.
 *
 * @example
 * evaluateSubcontract(contract, deliveries, new Date()) // { fulfilmentBps: 8000, invoice: … }
 */
export function evaluateSubcontract(
  contract: Subcontract,
  deliveries: readonly SubcontractDelivery[],
  asOf: Date,
): SubcontractEvaluation {
  const deadline = contract.deadline.getTime()
  let delivered = 0
  let accepted = 0
  let acceptedOnTime = 0
  for (const delivery of deliveries) {
    delivered += delivery.quantity
    accepted += delivery.accepted
    if (delivery.delivered_at.getTime() <= deadline) acceptedOnTime += delivery.accepted
  }
  const target = contract.target_quantity
  const shortfall = Math.max(0, target - acceptedOnTime)
  const fulfilmentBps = Math.min(10_000, Math.floor((acceptedOnTime * 10_000) / target))
  const deadlinePassed = asOf.getTime() > deadline
  const price = BigInt(contract.unit_price)
  const gross = BigInt(accepted) * price
  let penalty = 0n
  if (deadlinePassed && shortfall > 0) {
    penalty =
      contract.penalty.kind === 'per_unit'
        ? BigInt(shortfall) * BigInt(contract.penalty.amount)
        : divideRounded(
            BigInt(shortfall) * price * BigInt(contract.penalty.bps),
            10_000n,
            'half_up',
          )
    if (contract.penalty_cap !== null && penalty > BigInt(contract.penalty_cap)) {
      penalty = BigInt(contract.penalty_cap)
    }
  }
  const charged = penalty > gross ? gross : penalty
  const m = (value: bigint) => money(toSafeInteger(value), contract.currency)
  return {
    delivered,
    accepted,
    rejected: delivered - accepted,
    acceptedOnTime,
    shortfall,
    fulfilmentBps,
    deadlinePassed,
    gross: m(gross),
    penalty: m(penalty),
    penaltyCharged: m(charged),
    invoice: m(gross - charged),
  }
}
