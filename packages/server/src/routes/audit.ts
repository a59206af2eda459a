import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { idSchema } from '@mitra/core'
import { agreements, type Database, parties, productVariants } from '@mitra/db'
import type { WebhookResult } from '@mitra/revenue-share'
import { eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { type AuditEntry, actorOf, listAuditEvents, recordAudit } from '../audit.js'
import type { AppEnv } from '../env.js'
import { json, listOf, pageQuery, problemResponses, secretKeySecurity } from '../openapi.js'

export const auditEventSchema = z
  .object({
    id: z.string().openapi({ example: 'aud_01jd0000000000000000000000' }),
    object: z.literal('audit_event'),
    party_id: z.string().openapi({ description: 'Your party: the log shows only your own' }),
    actor: z.object({
      kind: z.enum(['api_key', 'user', 'system']),
      id: z.string().nullable().openapi({ description: 'The key id or user id that acted' }),
      party_id: z.string().nullable().openapi({ description: 'The party the actor acted for' }),
    }),
    action: z.string().openapi({ example: 'agreement.accepted' }),
    subject: z.object({ type: z.string(), id: z.string() }),
    details: z.record(
      z.string(),
      z.unknown().openapi({
        description: 'Any JSON value: before and after values, or the action’s inputs',
      }),
    ),
    request_id: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('AuditEvent')

/** `GET /v1/admin/audit_events`: the caller's party's own log, newest first. */
export function registerAuditRoutes(app: OpenAPIHono<AppEnv>, db: Database): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/audit_events',
      operationId: 'listAuditEvents',
      summary: 'Your audit log: keys, terms, prices, payouts and stock corrections, newest first',
      tags: ['audit'],
      security: secretKeySecurity,
      request: {
        query: pageQuery.extend({
          cursor: idSchema('aud').optional(),
          subject_id: z.string().max(100).optional(),
          action: z.string().max(100).optional(),
        }),
      },
      responses: {
        200: json(listOf(auditEventSchema, 'AuditEventList'), 'A page of events'),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { limit, cursor, subject_id, action } = c.req.valid('query')
      const rows = await listAuditEvents(db, c.get('principal').partyId, {
        limit: limit + 1,
        ...(cursor ? { startingAfter: cursor } : {}),
        ...(subject_id ? { subjectId: subject_id } : {}),
        ...(action ? { action } : {}),
      })
      const data = rows.slice(0, limit)
      const next = rows.length > limit ? (data.at(-1)?.id ?? null) : null
      return c.json({ object: 'list' as const, data, next_cursor: next }, 200)
    },
  )
}

// What the audited routes answer (their schemas live with the routes; only these fields
// are read here).
type Answer = Record<string, unknown> & { id: string }
type Variant = { id: string; product_id: string; price: Price }
type Price = { amount: number; currency: string } | null
type Agreement = Answer & {
  producer_id: string
  venue_id: string
  status: string
  latest_version: number
  active_version: number | null
  versions: { version: number; terms_hash?: string }[]
}

interface AuditRule<Before> {
  method: 'POST' | 'PUT' | 'PATCH'
  /** A Hono path pattern: `:id` is read with `c.req.param('id')`. */
  path: string
  /** Read before the change, for the event's `before` values. */
  before?: (c: Context<AppEnv>) => Promise<Before>
  entries: (answer: never, before: Before) => AuditEntry[]
}

/**
 * Records the audited admin actions whose services run their own transactions (terms,
 * prices, payouts, stock corrections): as middleware around the route, after it succeeded,
 * from its answer. Registered inside the idempotency layer, so a replayed answer is not
 * recorded twice. API keys are recorded in their own transaction (routes/api-keys.ts).
 */
export function registerAuditTrail(
  app: OpenAPIHono<AppEnv>,
  db: Database,
  logError: (error: unknown, requestId: string | undefined) => void,
): void {
  const rule = <Before>(spec: AuditRule<Before>) =>
    app.use(spec.path, async (c, next) => {
      if (c.req.method !== spec.method) return next()
      const before = (await spec.before?.(c)) as Before
      await next()
      if (c.res.status < 200 || c.res.status >= 300) return
      try {
        const answer = (await c.res.clone().json()) as never
        for (const entry of spec.entries(answer, before)) {
          await recordAudit(db, actorOf(c), entry)
        }
      } catch (error) {
        // The action is done and answered; a lost record is reported, not turned into a 500.
        logError(error, c.get('requestId'))
      }
    })

  const statusOf = async (c: Context<AppEnv>) => {
    const [row] = await db
      .select({ status: agreements.status })
      .from(agreements)
      .where(eq(agreements.id, c.req.param('id') ?? ''))
    return row?.status ?? null
  }
  const agreementEntry = (action: string, a: Agreement, statusBefore: string | null) => {
    const latest = a.versions.find((v) => v.version === a.latest_version)
    return {
      action,
      subjectType: 'agreement',
      subjectId: a.id,
      partyIds: [a.producer_id, a.venue_id],
      details: {
        status_before: statusBefore,
        status: a.status,
        version: a.latest_version,
        active_version: a.active_version,
        terms_hash: latest?.terms_hash ?? null,
      },
    }
  }
  rule({
    method: 'POST',
    path: '/v1/admin/agreements',
    entries: (a: Agreement) => [agreementEntry('agreement.proposed', a, null)],
  })
  const agreementActions: [string, 'POST' | 'PUT', string][] = [
    ['/draft', 'PUT', 'agreement.draft_changed'],
    ['/send', 'POST', 'agreement.sent'],
    ['/accept', 'POST', 'agreement.accepted'],
    ['/reject', 'POST', 'agreement.rejected'],
    ['/withdraw', 'POST', 'agreement.withdrawn'],
    ['/amendments', 'POST', 'agreement.amendment_proposed'],
  ]
  for (const [suffix, method, action] of agreementActions) {
    rule({
      method,
      path: `/v1/admin/agreements/:id${suffix}`,
      before: statusOf,
      entries: (a: Agreement, before) => [agreementEntry(action, a, before)],
    })
  }
  rule({
    method: 'POST',
    path: '/v1/admin/agreements/:id/terminate',
    before: statusOf,
    entries: (answer: { agreement: Agreement }, before) => [
      agreementEntry('agreement.ended', answer.agreement, before),
    ],
  })

  // Prices: a producer's retail price, set with a variant or changed later.
  const priceSet = (v: Variant): AuditEntry[] =>
    v.price === null
      ? []
      : [
          {
            action: 'variant.price_set',
            subjectType: 'variant',
            subjectId: v.id,
            partyIds: [],
            details: { product_id: v.product_id, before: null, after: v.price },
          },
        ]
  rule({
    method: 'POST',
    path: '/v1/admin/products',
    entries: (p: { variants: Variant[] }) => p.variants.flatMap(priceSet),
  })
  rule({
    method: 'POST',
    path: '/v1/admin/products/:id/variants',
    entries: priceSet,
  })
  rule({
    method: 'PATCH',
    path: '/v1/admin/variants/:id',
    before: async (c): Promise<Price> => {
      const [row] = await db
        .select({ amount: productVariants.priceAmount, currency: productVariants.priceCurrency })
        .from(productVariants)
        .where(eq(productVariants.id, c.req.param('id') ?? ''))
      return row?.amount == null || row.currency == null
        ? null
        : { amount: row.amount, currency: row.currency }
    },
    entries: (v: Variant, before) =>
      before?.amount === v.price?.amount && before?.currency === v.price?.currency
        ? []
        : [
            {
              action: 'variant.price_changed',
              subjectType: 'variant',
              subjectId: v.id,
              partyIds: [],
              details: { product_id: v.product_id, before, after: v.price },
            },
          ],
  })

  // Payouts: under the party paid and the platform operator that acted.
  type Payout = { id: string; party_id: string; amount: unknown; status: string }
  rule({
    method: 'POST',
    path: '/v1/admin/payouts',
    entries: (p: Payout) => [
      {
        action: 'payout.created',
        subjectType: 'payout',
        subjectId: p.id,
        partyIds: [p.party_id],
        details: { amount: p.amount, status: p.status },
      },
    ],
  })
  type Execution = Omit<Payout, 'id'> & {
    payout_id: string
    method: string
    provider_reference: string | null
    failure_reason: string | null
  }
  const payoutActions: [string, (e: Execution) => string][] = [
    ['/execute', (e) => (e.status === 'failed' ? 'payout.failed' : 'payout.sent')],
    ['/approve', (e) => (e.status === 'failed' ? 'payout.failed' : 'payout.approved')],
    ['/manual', () => 'payout.paid_manually'],
  ]
  for (const [suffix, actionOf] of payoutActions) {
    rule({
      method: 'POST',
      path: `/v1/admin/payouts/:id${suffix}`,
      entries: (e: Execution) => [
        {
          action: actionOf(e),
          subjectType: 'payout',
          subjectId: e.payout_id,
          partyIds: [e.party_id],
          details: {
            method: e.method,
            amount: e.amount,
            status: e.status,
            provider_reference: e.provider_reference,
            failure_reason: e.failure_reason,
          },
        },
      ],
    })
  }

  // Stock corrections: under the venue and each producer whose stock changed.
  type Count = {
    id: string
    venue_id: string
    reason: string
    lines: { variant_id: string; producer_id: string; expected: number; counted: number }[]
  }
  rule({
    method: 'POST',
    path: '/v1/admin/counts',
    entries: (count: Count) => [
      {
        action: 'stock.counted',
        subjectType: 'stock_count',
        subjectId: count.id,
        partyIds: [
          count.venue_id,
          ...count.lines.filter((l) => l.counted !== l.expected).map((l) => l.producer_id),
        ],
        details: { reason: count.reason, lines: count.lines },
      },
    ],
  })
  type Obligation = {
    id: string
    venue_id: string
    producer_id: string
    variant_id: string
    kind: string
    quantity: number
    total: unknown
  }
  rule({
    method: 'POST',
    path: '/v1/admin/write_offs',
    entries: (result: { obligations: Obligation[] }) =>
      result.obligations.map((o) => ({
        action: 'stock.written_off',
        subjectType: 'obligation',
        subjectId: o.id,
        partyIds: [o.venue_id, o.producer_id],
        details: { variant_id: o.variant_id, kind: o.kind, quantity: o.quantity, total: o.total },
      })),
  })
}

/**
 * A payout a provider's notification settled (paid) or failed: recorded as done by the
 * system, under the party paid and the platform operator, after the notification was applied
 * (in its own transaction). A repeated notification changed nothing and records nothing.
 */
export async function recordPayoutNotification(db: Database, result: WebhookResult) {
  const execution = result.execution
  if (!result.applied || execution === null) return
  if (result.outcome !== 'paid' && result.outcome !== 'failed') return
  const [platform] = await db
    .select({ id: parties.id })
    .from(parties)
    .where(eq(parties.kind, 'platform'))
    .limit(1)
  await recordAudit(
    db,
    { kind: 'system', id: null, partyId: null, requestId: null },
    {
      action: `payout.${result.outcome}`,
      subjectType: 'payout',
      subjectId: execution.payoutId,
      partyIds: [execution.partyId, ...(platform ? [platform.id] : [])],
      details: {
        method: execution.method,
        amount: execution.amount,
        provider_reference: execution.providerReference,
        failure_reason: execution.failureReason,
      },
    },
  )
}
