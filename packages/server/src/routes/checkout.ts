import { type OpenAPIHono, z } from '@hono/zod-openapi'
import {
  type AppliedEvent,
  addressSchema,
  assertOrderToken,
  cancelOrder,
  cartLineInputSchema,
  checkoutBatches,
  checkoutInputSchema,
  customerSchema,
  fulfilOrder,
  getCart,
  getOrder,
  listOrders,
  listRefunds,
  orderListQuerySchema,
  type PlaceOrderOptions,
  refundInputSchema,
  refundIsDue,
  refundListQuerySchema,
  refundOrder,
  refundSettlementSchema,
  refundUnfilledPayment,
  removeCartLine,
  settleStalledRefund,
  setVenueCheckoutSettings,
  venueCheckoutSettings,
  venueCheckoutSettingsSchema,
} from '@mitra/checkout'
import { idSchema, MitraError } from '@mitra/core'
import {
  type Database,
  orderStatuses,
  paymentCollectors,
  paymentProviders,
  refundGoodsFates,
} from '@mitra/db'
import type { PaymentMethod, PaymentProviderRegistry, ProviderName } from '@mitra/payments'
import type { PayoutProviders } from '@mitra/revenue-share'
import { handleStripeWebhook } from '@mitra/revenue-share'
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import { listOf, moneyView, orNull } from '../openapi.js'
import { recordPayoutNotification } from './audit.js'
import { adminRoute, scopeOf, storeRoute } from './define.js'

const cartLineView = z.object({
  venue_id: z.string(),
  variant_id: z.string(),
  producer_id: z.string().nullable(),
  product_id: z.string().nullable(),
  name: z.string().nullable().describe('The product’s Indonesian title and the SKU'),
  title: z
    .object({ id: z.string(), en: z.string().nullable() })
    .nullable()
    .describe('The product’s title in Indonesian and, when written, English'),
  sku: z.string().nullable(),
  quantity: z.number().int(),
  unit_price: orNull(moneyView),
  list_price: orNull(moneyView),
  line_total: orNull(moneyView),
  available: z.number().int(),
  problem: z.object({ code: z.string(), detail: z.string() }).nullable(),
})

const cartView = z
  .object({
    id: z.string(),
    channel_id: z.string(),
    status: z.enum(['open', 'checked_out']),
    order_id: z.string().nullable(),
    lines: z.array(cartLineView),
    venues: z.array(
      z.object({
        venue_id: z.string(),
        name: z.string(),
        currency: z.string(),
        pickup: z.boolean(),
        delivery_rate: orNull(moneyView),
        subtotal: moneyView,
      }),
    ),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Cart' })

const orderStatus = z.enum(orderStatuses)
const deliveryAddress = addressSchema.meta({ id: 'DeliveryAddress' })
const customer = customerSchema.meta({ id: 'Customer' })

const orderView = z
  .object({
    id: z.string(),
    status: orderStatus,
    channel_id: z.string(),
    venue_id: z.string(),
    currency: z.string(),
    fulfilment: z.enum(['pickup', 'delivery']),
    delivery_address: orNull(deliveryAddress),
    customer,
    lines: z.array(
      z.object({
        position: z.number().int(),
        variant_id: z.string(),
        producer_id: z.string(),
        name: z.string(),
        quantity: z.number().int(),
        unit_price: moneyView,
        list_price: orNull(moneyView),
        line_total: moneyView,
        refunded: moneyView,
        sale_line_id: z.string().nullable(),
      }),
    ),
    subtotal: moneyView,
    delivery_fee: moneyView,
    total: moneyView,
    paid_amount: orNull(moneyView),
    payment_fee: orNull(moneyView),
    refunded_amount: moneyView,
    provider: z.enum(paymentProviders),
    collector: z.enum(paymentCollectors),
    redirect_url: z.string().nullable(),
    expires_at: z.string(),
    paid_at: z.string().nullable(),
    closed_reason: z.string().nullable(),
    transitions: z.array(
      z.object({
        from: orderStatus.nullable(),
        to: orderStatus,
        cause: z.string(),
        at: z.string(),
      }),
    ),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Order' })

const refundView = z
  .object({
    id: z.string(),
    order_id: z.string(),
    amount: moneyView,
    status: z.enum(['pending', 'succeeded', 'failed']),
    allocation: z.object({
      lines: z.array(z.object({ position: z.number().int(), amount: z.number().int() })),
      delivery: z.number().int(),
    }),
    /** What happens to the goods (null: refunded in the provider's dashboard, or nothing sold). */
    goods: z.enum(refundGoodsFates).nullable(),
    /** The units of each line that `goods` applies to. */
    goods_lines: z.array(z.object({ position: z.number().int(), quantity: z.number().int() })),
    provider_refund_id: z.string().nullable(),
    reason: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'Refund' })

const settingsView = z
  .object({
    venue_id: z.string(),
    currency: z.string(),
    pickup: z.boolean(),
    delivery_rate: orNull(moneyView),
    max_units_per_order: z.number().int().describe('Most units one checkout may hold here'),
    max_units_per_buyer: z
      .number()
      .int()
      .describe('Most units one buyer (client address) may hold here in unpaid orders'),
    hold_seconds: z
      .number()
      .int()
      .describe(
        'How long a checkout holds its stock; a payment after that takes it again if still free, else is refunded',
      ),
  })
  .meta({ id: 'VenueCheckoutSettings' })

/** The header a buyer proves an order is theirs with, through the store API. */
const orderTokenHeader = 'Mitra-Order-Token'

const orderTokenHeaders = z.object({
  'mitra-order-token': z.string().max(200).optional().openapi({
    description:
      'The order’s `access_token`, answered once by the checkout. Without it, or with another, the order is a 404.',
  }),
})

const placedOrderView = orderView
  .extend({
    access_token: z
      .string()
      .describe(
        `Given this once: keep it (with the order id) to read or cancel the order through the store API in the \`${orderTokenHeader}\` header. Only its hash is stored.`,
      ),
  })
  .meta({ id: 'PlacedOrder' })

const cartParams = z.object({ cart_id: idSchema('cart') })
const orderParams = z.object({ order_id: idSchema('ord') })
const lineParams = z.object({
  cart_id: idSchema('cart'),
  venue_id: idSchema('pty'),
  variant_id: idSchema('var'),
})

export interface CheckoutRouteOptions {
  payments: PaymentProviderRegistry
  payoutProviders: PayoutProviders
  /** Public base URL: where providers send buyers back when the checkout names no URL. */
  baseUrl: string
  paymentWindowSeconds?: number
  /** The buyer a request comes from (`orders.buyer_key`), for the per-buyer hold limit. */
  buyerKey?: (c: Context<AppEnv>) => string | undefined
}

const webhookProviders: ProviderName[] = ['stripe', 'midtrans', 'demo']

/**
 * Online checkout: carts and orders for the store's channel (publishable key), orders and
 * refunds for the venue and its producers (secret key), venue settings, and the payment
 * providers' webhooks, verified by signature over the raw body.
 */
export function registerCheckoutRoutes(
  app: OpenAPIHono<AppEnv>,
  db: Database,
  options: CheckoutRouteOptions,
) {
  const { payments } = options
  const channel = (c: Context<AppEnv>) => ({ channelId: c.get('principal').partyId })
  const placeOptions = (): PlaceOrderOptions => ({
    returnUrls: {
      success: `${options.baseUrl}/checkout/success`,
      cancel: `${options.baseUrl}/checkout/cancel`,
    },
    ...(options.paymentWindowSeconds === undefined
      ? {}
      : { paymentWindowSeconds: options.paymentWindowSeconds }),
  })
  // Calls that arrive together share statements and commits (see docs/benchmarks.md).
  const batches = checkoutBatches(db, payments, { orders: placeOptions() })
  const storeTags = ['store: checkout']
  const adminTags = ['orders']

  storeRoute(
    app,
    {
      method: 'post',
      path: '/v1/store/carts',
      operationId: 'createCart',
      summary: 'Open a cart for this channel',
      tags: storeTags,
      response: cartView,
      status: 201,
    },
    (c) => batches.createCart(channel(c)),
  )
  storeRoute(
    app,
    {
      method: 'get',
      path: '/v1/store/carts/{cart_id}',
      operationId: 'getCart',
      summary: 'A cart, every line priced now',
      tags: storeTags,
      params: cartParams,
      response: cartView,
    },
    (c, { params }) => getCart(db, channel(c), params.cart_id),
  )
  storeRoute(
    app,
    {
      method: 'post',
      path: '/v1/store/carts/{cart_id}/lines',
      operationId: 'setCartLine',
      summary: 'Set how many of a variant from a venue the cart holds',
      tags: storeTags,
      params: cartParams,
      body: cartLineInputSchema.meta({ id: 'CartLineInput' }),
      response: cartView,
    },
    (c, { params, body }) => batches.setCartLine(channel(c), params.cart_id, body),
  )
  storeRoute(
    app,
    {
      method: 'delete',
      path: '/v1/store/carts/{cart_id}/lines/{venue_id}/{variant_id}',
      operationId: 'removeCartLine',
      summary: 'Take a line out of the cart',
      tags: storeTags,
      params: lineParams,
      response: cartView,
    },
    (c, { params }) => removeCartLine(db, channel(c), params.cart_id, params),
  )
  storeRoute(
    app,
    {
      method: 'post',
      path: '/v1/store/carts/{cart_id}/checkout',
      operationId: 'checkoutCart',
      summary:
        'Order the cart’s lines at one venue: hold the stock (up to the venue’s limits), open a payment; answers the order’s access token once',
      tags: storeTags,
      params: cartParams,
      body: checkoutInputSchema.meta({ id: 'CheckoutInput' }),
      response: placedOrderView,
      status: 201,
    },
    (c, { params, body }) => {
      const buyerKey = options.buyerKey?.(c)
      const scope = buyerKey === undefined ? channel(c) : { ...channel(c), buyerKey }
      return batches.placeOrder(scope, params.cart_id, body)
    },
  )
  // A buyer's order routes need the order's access token: an order id and the public key
  // alone show no one's name or address. A malformed id is left to the route's 422.
  for (const path of ['/v1/store/orders/:order_id', '/v1/store/orders/:order_id/*']) {
    app.use(path, async (c, next) => {
      const orderId = c.req.param('order_id') ?? ''
      if (orderParams.shape.order_id.safeParse(orderId).success) {
        const token = c.req.header(orderTokenHeader)
        await assertOrderToken(db, c.get('principal').partyId, orderId, token)
      }
      await next()
    })
  }
  storeRoute(
    app,
    {
      method: 'get',
      path: '/v1/store/orders/{order_id}',
      operationId: 'getStoreOrder',
      summary: 'An order placed through this channel, as it stands now (needs its access token)',
      tags: storeTags,
      params: orderParams,
      headers: orderTokenHeaders,
      response: orderView,
    },
    (c, { params }) => getOrder(db, channel(c), params.order_id),
  )
  storeRoute(
    app,
    {
      method: 'post',
      path: '/v1/store/orders/{order_id}/cancel',
      operationId: 'cancelStoreOrder',
      summary: 'Cancel an unpaid order: its stock is released',
      tags: storeTags,
      params: orderParams,
      headers: orderTokenHeaders,
      response: orderView,
    },
    (c, { params }) =>
      cancelOrder(db, payments, channel(c), params.order_id, {
        reason: 'canceled by the buyer',
      }),
  )

  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/checkout/settings',
      operationId: 'getCheckoutSettings',
      summary: 'How this venue sells online',
      tags: adminTags,
      response: settingsView,
    },
    (c) => venueCheckoutSettings(db, scopeOf(c).partyId),
  )
  adminRoute(
    app,
    {
      method: 'put',
      path: '/v1/admin/checkout/settings',
      operationId: 'setCheckoutSettings',
      summary:
        'Set the venue’s currency, pickup, flat delivery rate, and what one order and one buyer may hold, for how long',
      tags: adminTags,
      body: venueCheckoutSettingsSchema.meta({ id: 'VenueCheckoutSettingsInput' }),
      response: settingsView,
      role: 'owner',
    },
    (c, { body }) => setVenueCheckoutSettings(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/orders',
      operationId: 'listOrders',
      summary: 'Orders this party sells, or has goods in, newest first',
      tags: adminTags,
      query: orderListQuerySchema,
      response: listOf(orderView, 'OrderList'),
    },
    async (c, { query }) => ({ object: 'list', ...(await listOrders(db, scopeOf(c), query)) }),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/orders/{order_id}',
      operationId: 'getOrder',
      summary: 'One order, with its lines, money and history',
      tags: adminTags,
      params: orderParams,
      response: orderView,
    },
    (c, { params }) => getOrder(db, { partyId: scopeOf(c).partyId }, params.order_id),
  )
  for (const [step, operationId, summary] of [
    ['ready_for_pickup', 'markOrderReadyForPickup', 'The order waits at the counter'],
    ['shipped', 'markOrderShipped', 'The order left with the courier'],
    ['completed', 'markOrderCompleted', 'The buyer has the goods'],
  ] as const) {
    adminRoute(
      app,
      {
        method: 'post',
        path: `/v1/admin/orders/{order_id}/${step.replaceAll('_', '-')}`,
        operationId,
        summary,
        tags: adminTags,
        params: orderParams,
        response: orderView,
      },
      (c, { params }) => fulfilOrder(db, scopeOf(c), params.order_id, step),
    )
  }
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/orders/{order_id}/cancel',
      operationId: 'cancelOrder',
      summary: 'Cancel an unpaid order: its stock is released',
      tags: adminTags,
      params: orderParams,
      response: orderView,
    },
    (c, { params }) =>
      cancelOrder(db, payments, { partyId: scopeOf(c).partyId }, params.order_id, {
        reason: 'canceled by the venue',
      }),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/orders/{order_id}/refunds',
      operationId: 'refundOrder',
      summary:
        'Refund part or all of a paid order through its provider; the split is reversed, the goods restocked, kept or written off',
      tags: adminTags,
      params: orderParams,
      body: refundInputSchema.meta({ id: 'RefundInput' }),
      response: z.object({ refund: refundView, order: orderView }).meta({ id: 'RefundResult' }),
      status: 201,
      role: 'owner',
    },
    (c, { params, body }) => refundOrder(db, payments, scopeOf(c), params.order_id, body),
  )

  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/orders/{order_id}/refunds',
      operationId: 'listOrderRefunds',
      summary: "An order's refunds, through mitra or in the provider's dashboard, oldest first",
      tags: adminTags,
      params: orderParams,
      query: refundListQuerySchema,
      response: listOf(refundView, 'RefundList'),
    },
    async (c, { params, query }) => ({
      object: 'list',
      ...(await listRefunds(db, { partyId: scopeOf(c).partyId }, params.order_id, query)),
    }),
  )

  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/orders/{order_id}/refunds/{refund_id}/settle',
      operationId: 'settleRefund',
      summary:
        'Settle by hand a refund still pending after 20 hours, as the provider’s dashboard shows it',
      tags: adminTags,
      params: orderParams.extend({ refund_id: idSchema('re') }),
      body: refundSettlementSchema.meta({ id: 'RefundSettlement' }),
      response: z.object({ refund: refundView, order: orderView }).meta({ id: 'SettledRefund' }),
      role: 'owner',
    },
    (c, { params, body }) =>
      settleStalledRefund(db, payments, scopeOf(c), params.order_id, params.refund_id, body),
  )

  // Provider notifications: authenticated by their signatures over the raw body, not by keys.
  for (const name of webhookProviders) {
    app.post(`/v1/webhooks/${name}`, async (c) => {
      const rawBody = await c.req.text()
      const payouts = async () => {
        const result = await handleStripeWebhook(db, options.payoutProviders, {
          rawBody,
          signature: c.req.header('Stripe-Signature'),
        })
        await recordPayoutNotification(db, result)
        return c.json({ received: true, applied: result.applied }, 200)
      }
      // Stripe on for payouts only: every event on this endpoint is about transfers.
      if (name === 'stripe' && !payments.names().includes('stripe')) return payouts()
      const request = { rawBody, headers: c.req.raw.headers }
      const accountId = c.req.query('account')
      let applied: AppliedEvent
      try {
        applied = await batches.receiveWebhook(name, request, {
          ...(accountId === undefined ? {} : { accountId }),
        })
      } catch (error) {
        if (!(error instanceof MitraError) || error.code !== 'webhook_event_ignored') throw error
        // A genuine Stripe event that is not about a checkout may be about a payout.
        if (name === 'stripe' && options.payoutProviders.stripe !== undefined) return payouts()
        return c.json({ received: true, outcome: 'ignored' }, 200)
      }
      if (refundIsDue(applied)) {
        await refundUnfilledPayment(db, payments, applied.orderId)
      }
      return c.json({ received: true, replayed: applied.replayed, outcome: applied.outcome }, 200)
    })
  }

  registerDemoPayPages(app, payments)
}

/**
 * DEMO — no real money: the pay page the demo provider redirects to, its choice of payment
 * method, its Pay and Fail buttons, and plain pages to come back to. Pressing a button
 * delivers the signed webhook (with the method's fee) to this server's own
 * `/v1/webhooks/demo`, as a real provider would, then redirects.
 */
function registerDemoPayPages(app: OpenAPIHono<AppEnv>, payments: PaymentProviderRegistry) {
  const demo = payments.demo
  if (demo === undefined) return
  app.get('/demo-pay/:session_id', async (c) =>
    c.html(await demo.renderPaymentPage(c.req.param('session_id'))),
  )
  for (const outcome of ['pay', 'fail'] as const) {
    app.post(`/demo-pay/:session_id/${outcome}`, async (c) => {
      // The form's method (QRIS unless the buyer picked another); an unknown one is a 422.
      const form = await c.req.parseBody()
      const method = typeof form.method === 'string' ? form.method : 'qris'
      const hook = await demo.complete(c.req.param('session_id'), outcome, method as PaymentMethod)
      const delivered = await app.request('/v1/webhooks/demo', {
        method: 'POST',
        body: hook.body,
        headers: hook.headers,
      })
      if (!delivered.ok) throw new MitraError('internal', 'The demo webhook was refused')
      return c.redirect(hook.redirectUrl, 303)
    })
  }
  for (const [path, text] of [
    ['success', 'Thank you: your payment was received. The venue will prepare your order.'],
    ['cancel', 'The payment did not go through; nothing was charged.'],
  ] as const) {
    app.get(`/checkout/${path}`, (c) =>
      c.html(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title></head><body><p>${text}</p></body></html>`,
      ),
    )
  }
}
