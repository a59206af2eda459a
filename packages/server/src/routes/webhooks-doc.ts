import { type OpenAPIHono, z } from '@hono/zod-openapi'
import { demoEventSchema, demoSignatureHeader, midtransNotificationSchema } from '@mitra/payments'
import { irisNotificationSchema } from '@mitra/revenue-share'
import type { AppEnv } from '../env.js'

/*
 * The webhooks mitra receives, in the OpenAPI document's `webhooks`: what each provider
 * sends and how it is signed, so a developer can send one by hand (docs/api.md shows the
 * demo signature). The routes themselves read the raw body (the signature covers its bytes),
 * so they are plain routes; these entries only describe them.
 */

const received = {
  200: {
    description: 'Taken (or a replay, taken before): `{ received: true, outcome }`',
    content: {
      'application/json': {
        schema: z
          .object({
            received: z.literal(true),
            replayed: z.boolean().optional(),
            outcome: z.string().optional(),
            applied: z.boolean().optional(),
          })
          .meta({ id: 'WebhookReceived' }),
      },
    },
  },
  400: { description: 'Forged, stale or malformed: nothing is stored' },
  401: { description: 'A payout notification whose signature does not verify' },
}

const stripeEvent = z
  .object({
    id: z.string().describe('`evt_…`: applied once'),
    object: z.literal('event'),
    type: z
      .string()
      .describe(
        '`checkout.session.completed`, `checkout.session.expired`, `charge.refunded`, `refund.updated`, `transfer.reversed`, …',
      ),
    created: z.number().int(),
    data: z.object({
      object: z.object({ id: z.string() }).describe("Stripe's own object of the event's type"),
    }),
  })
  .meta({ id: 'StripeEvent' })

export function registerWebhookDocs(app: OpenAPIHono<AppEnv>): void {
  const registry = app.openAPIRegistry
  registry.registerWebhook({
    method: 'post',
    path: '/v1/webhooks/demo',
    operationId: 'receiveDemoWebhook',
    summary: 'DEMO — no real money: a payment, failure or refund of the demo provider',
    description: `Signed like Stripe: \`${demoSignatureHeader}: t=<unix seconds>,v1=<hex>\`, the hex being HMAC-SHA256 with the demo secret (\`MITRA_DEMO_WEBHOOK_SECRET\`) over \`<t>.<raw body>\`; at most 5 minutes old. An \`order_id\` that names a remittance (\`rem_…\`) pays it.`,
    tags: ['webhooks'],
    request: {
      headers: z.object({ [demoSignatureHeader]: z.string() }),
      body: {
        content: {
          'application/json': { schema: demoEventSchema.meta({ id: 'DemoPaymentEvent' }) },
        },
      },
    },
    responses: received,
  })
  registry.registerWebhook({
    method: 'post',
    path: '/v1/webhooks/stripe',
    operationId: 'receiveStripeWebhook',
    summary: 'Stripe: Checkout payments and refunds, and transfers of payouts',
    description:
      '`Stripe-Signature` checked with `STRIPE_WEBHOOK_SECRET` over the raw body; `?account=<venue id>` for a venue’s own Stripe account.',
    tags: ['webhooks'],
    request: {
      headers: z.object({ 'Stripe-Signature': z.string() }),
      body: { content: { 'application/json': { schema: stripeEvent } } },
    },
    responses: received,
  })
  registry.registerWebhook({
    method: 'post',
    path: '/v1/webhooks/midtrans',
    operationId: 'receiveMidtransWebhook',
    summary: 'Midtrans: HTTP notifications of Snap payments and refunds',
    description:
      '`signature_key` = SHA-512(order_id + status_code + gross_amount + server key) checked; the status is then asked of Midtrans itself.',
    tags: ['webhooks'],
    request: {
      body: {
        content: {
          'application/json': {
            schema: midtransNotificationSchema.meta({ id: 'MidtransNotification' }),
          },
        },
      },
    },
    responses: received,
  })
  registry.registerWebhook({
    method: 'post',
    path: '/v1/webhooks/midtrans-iris',
    operationId: 'receiveIrisWebhook',
    summary: 'Midtrans Iris: payouts approved, completed or failed',
    description: '`Iris-Signature` = SHA-512(raw body + merchant key).',
    tags: ['webhooks'],
    request: {
      headers: z.object({ 'Iris-Signature': z.string() }),
      body: {
        content: {
          'application/json': {
            schema: irisNotificationSchema.meta({ id: 'IrisNotification' }),
          },
        },
      },
    },
    responses: received,
  })
}
