import { cursorSchema, limitSchema } from '@mitra/catalog'
import { idSchema, moneySchema, priceSchema } from '@mitra/core'
import { orderStatuses, paymentProviders, refundGoodsFates } from '@mitra/db'
import { z } from 'zod'

/*
 * Inputs of the checkout services, as plain zod (the server names them for OpenAPI).
 * Unknown fields are refused so a typo never passes silently.
 */

const text = (max: number) => z.string().trim().min(1).max(max)

export const quantitySchema = z.number().int().min(1).max(999)

export const cartLineInputSchema = z.strictObject({
  variant_id: idSchema('var'),
  venue_id: idSchema('pty'),
  /** The quantity the cart should hold (not an increment): repeating the call is harmless. */
  quantity: quantitySchema,
})
export type CartLineInput = z.input<typeof cartLineInputSchema>

export const venueCheckoutSettingsSchema = z
  .strictObject({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('IDR'),
    pickup: z.boolean().default(true),
    /** A flat delivery rate per order in the venue's currency; null: no delivery. */
    delivery_rate: priceSchema.nullable().default(null),
    /** Most units one checkout may hold at this venue. */
    max_units_per_order: z.number().int().min(1).max(10_000).default(10),
    /** Most units one buyer (client address) may hold at this venue across unpaid orders. */
    max_units_per_buyer: z.number().int().min(1).max(100_000).default(20),
    /** How long a checkout holds its stock (seconds); a later payment takes it again if free. */
    hold_seconds: z.number().int().min(60).max(86_400).default(600),
  })
  .refine((s) => s.pickup || s.delivery_rate !== null, {
    message: 'offer pickup, delivery or both',
    path: ['pickup'],
  })
  .refine((s) => s.delivery_rate === null || s.delivery_rate.currency === s.currency, {
    message: 'the delivery rate is in the venue currency',
    path: ['delivery_rate', 'currency'],
  })
export type VenueCheckoutSettingsInput = z.input<typeof venueCheckoutSettingsSchema>

export const addressSchema = z.strictObject({
  recipient: text(120),
  phone: text(30),
  line1: text(200),
  line2: text(200).optional(),
  city: text(100),
  province: text(100).optional(),
  postal_code: z.string().regex(/^[0-9A-Za-z -]{3,10}$/),
  notes: text(300).optional(),
})

export const customerSchema = z.strictObject({
  name: text(120),
  email: z.email().max(200).optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9 ()-]{6,20}$/)
    .optional(),
})
export type DeliveryAddress = z.output<typeof addressSchema>
export type Customer = z.output<typeof customerSchema>

const returnUrl = z.url({ protocol: /^https?$/ }).max(2000)

export const checkoutInputSchema = z
  .strictObject({
    /** The venue whose lines to order (default: the cart's only venue). */
    venue_id: idSchema('pty').optional(),
    fulfilment: z.enum(['pickup', 'delivery']),
    delivery_address: addressSchema.optional(),
    customer: customerSchema,
    provider: z.enum(paymentProviders),
    /**
     * Where the provider sends the buyer back; `{ORDER_ID}` in it becomes the order's id, and
     * `{ORDER_TOKEN}` its access token (only in the provider's copy: the order keeps the URL
     * as written).
     */
    success_url: returnUrl.optional(),
    cancel_url: returnUrl.optional(),
  })
  .refine((input) => input.fulfilment !== 'delivery' || input.delivery_address !== undefined, {
    message: 'a delivery needs an address',
    path: ['delivery_address'],
  })
export type CheckoutInput = z.input<typeof checkoutInputSchema>

const linesOfUnits = z
  .array(
    z.strictObject({ position: z.number().int().min(0).max(10_000), quantity: quantitySchema }),
  )
  .min(1)
  .max(100)

export const refundInputSchema = z
  .strictObject({
    /** Refund this amount, spread over what is left to refund (default: everything left). */
    amount: moneySchema.optional(),
    /** Or refund these units of these lines (by `position`). */
    lines: linesOfUnits.optional(),
    reason: text(300).optional(),
    /**
     * What happens to the goods of the lines refunded: back on the venue's shelf
     * (`restock`), kept by the buyer (`kept`, e.g. a goodwill refund), or written off,
     * damaged or lost on the way (`written_off`).
     */
    goods: z.enum(refundGoodsFates),
    /**
     * Without `lines`: how many units of each line (by `position`) `goods` applies to.
     * Default: all units of a line the refund refunds whole, none of the others; so
     * `restock` and `written_off` need it when a line is refunded in part.
     */
    quantities: linesOfUnits.optional(),
  })
  .refine((input) => input.amount === undefined || input.lines === undefined, {
    message: 'give an amount or lines, not both',
    path: ['lines'],
  })
  .refine((input) => input.lines === undefined || input.quantities === undefined, {
    message: 'a refund by lines applies goods to the units it refunds; leave quantities out',
    path: ['quantities'],
  })
export type RefundInput = z.input<typeof refundInputSchema>

/** A person's word on a refund mitra gave up sending: what the provider's dashboard shows. */
export const refundSettlementSchema = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('succeeded'),
    /** The provider's id for the refund it made, as its dashboard shows it. */
    provider_refund_id: text(255),
  }),
  z.strictObject({ outcome: z.literal('failed') }),
])
export type RefundSettlement = z.input<typeof refundSettlementSchema>

export const orderListQuerySchema = z.strictObject({
  status: z.enum(orderStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** `next_cursor` of the previous page. */
  cursor: cursorSchema.optional(),
})
export type OrderListQuery = z.input<typeof orderListQuerySchema>

export const refundListQuerySchema = z.strictObject({
  limit: limitSchema,
  /** `next_cursor` of the previous page. */
  cursor: cursorSchema.optional(),
})
export type RefundListQuery = z.input<typeof refundListQuerySchema>
