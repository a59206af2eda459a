import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { cursorId, cursorSchema, getParty, pageOf } from '@mitra/catalog'
import {
  amountSchema,
  currencyCodeSchema,
  idSchema,
  MitraError,
  maxAmount,
  money,
  notFound,
} from '@mitra/core'
import { type Database, payoutStatuses } from '@mitra/db'
import {
  acknowledgeStatement,
  acknowledgeWithinDays,
  acknowledgmentPunctuality,
  agreementStatement,
  approveIrisPayout,
  disputeStatementLine,
  executePayout,
  explainShare,
  getPayout,
  handleIrisNotification,
  listPayouts,
  openDisputes,
  type PayableItem,
  type PayoutDestination,
  type PayoutDestinationInput,
  type PayoutExecution,
  type PayoutProviders,
  type PayoutSummary,
  postPayout,
  previewPayout,
  recordManualPayout,
  resolveDispute,
  setPayoutDestination,
  statementCsv,
  statementHtml,
  statementPeriodOf,
  statementReview,
} from '@mitra/revenue-share'
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import { listOf, problemResponses } from '../openapi.js'
import { recordPayoutNotification } from './audit.js'
import { adminRoute, checkAnswer, scopeOf } from './define.js'
import {
  agreementStatementSchema,
  disputeSchema,
  reviewSchema,
  shareExplanationForPartySchema,
  snakeCase,
} from './statement-views.js'

/** A settlement period: `period=2026-12` (or a day in it), or `from` (and `to`); see `periodOfSpec`. */
const period = {
  period: z
    .string()
    .max(10)
    .optional()
    .describe('A month (`2026-12`) or a day in the period (`2026-12-16`), in Jakarta time'),
  from: z
    .string()
    .max(40)
    .optional()
    .describe('The period’s start: a day (`2026-12-01`) or an ISO 8601 moment'),
  to: z.string().max(40).optional().describe('Its end, exclusive (default: the period’s end)'),
}

async function isPlatform(db: Database, c: Context<AppEnv>): Promise<boolean> {
  return (await getParty(db, c.get('principal').partyId)).kind === 'platform'
}

/** The platform operator pays parties out; everyone else may only look at their own money. */
export async function requirePlatform(db: Database, c: Context<AppEnv>) {
  if (!(await isPlatform(db, c))) {
    throw new MitraError('forbidden', 'Only the platform operator pays parties out')
  }
}

const moneyOut = z
  .object({ amount: z.number().int(), currency: z.string() })
  .meta({ id: 'MoneyAmount' })

const payableItemSchema = z
  .object({
    transaction_id: z.string(),
    position: z.number().int(),
    purpose: z.string(),
    amount: z.number().int().describe('Signed: a credit (< 0) is owed to the party'),
  })
  .meta({ id: 'PayableItem' })

const itemView = (item: PayableItem) => ({
  transaction_id: item.transactionId,
  position: item.position,
  purpose: item.purpose,
  amount: item.amount,
})

const previewSchema = z
  .object({
    party_id: z.string(),
    currency: z.string(),
    amount: moneyOut.describe('What the items add up to, owed to the party'),
    advance_repayment: moneyOut.describe('Inti-plasma: what a payout now repays first'),
    net: moneyOut.describe('What a payout now pays out'),
    minimum: moneyOut,
    payable: z.boolean(),
    items: z.array(payableItemSchema),
  })
  .meta({ id: 'PayoutPreview' })

const executionSchema = z
  .object({
    payout_id: z.string(),
    party_id: z.string(),
    method: z.enum(['stripe_transfer', 'midtrans_iris', 'manual']),
    amount: moneyOut,
    status: z.enum(['pending_approval', 'processing', 'paid', 'failed']),
    provider_reference: z.string().nullable().describe('Stripe `tr_…` or Iris `reference_no`'),
    idempotency_key: z.string(),
    destination: z.string(),
    attempts: z.number().int(),
    created_by: z.string(),
    approved_by: z.string().nullable(),
    proof: z.object({ reference: z.string(), url: z.string().nullable() }).nullable(),
    failure_reason: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    approved_at: z.string().nullable(),
    paid_at: z.string().nullable(),
    failed_at: z.string().nullable(),
  })
  .meta({ id: 'PayoutExecution' })

const iso = (at: Date | null) => (at === null ? null : at.toISOString())

function executionView(e: PayoutExecution): z.infer<typeof executionSchema> {
  return {
    payout_id: e.payoutId,
    party_id: e.partyId,
    method: e.method,
    amount: e.amount,
    status: e.status,
    provider_reference: e.providerReference,
    idempotency_key: e.idempotencyKey,
    destination: e.destination,
    attempts: e.attempts,
    created_by: e.createdBy,
    approved_by: e.approvedBy,
    proof: e.proof,
    failure_reason: e.failureReason,
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
    approved_at: iso(e.approvedAt),
    paid_at: iso(e.paidAt),
    failed_at: iso(e.failedAt),
  }
}

const isDefault = z.boolean().optional().describe('Make it where you are paid by default')
/** Where a party is paid, as the API takes it. */
const destinationBody = z
  .discriminatedUnion('method', [
    z.strictObject({
      method: z.literal('stripe_transfer'),
      stripe_account_id: z
        .string()
        .regex(/^acct_[A-Za-z0-9]{1,255}$/, 'A Stripe connected account id looks like acct_…'),
      is_default: isDefault,
    }),
    z.strictObject({
      method: z.literal('midtrans_iris'),
      bank_code: z.string().max(30).describe('An Iris bank code: bca, bni, mandiri, bri …'),
      account_number: z.string().regex(/^\d{5,34}$/, 'Digits only, 5 to 34 of them'),
      account_name: z.string().trim().min(1).max(100),
      email: z.email(),
      is_default: isDefault,
    }),
    z.strictObject({
      method: z.literal('manual'),
      note: z.string().trim().max(500).nullish(),
      is_default: isDefault,
    }),
  ])
  .meta({ id: 'PayoutDestinationInput' })

function destinationInput(
  partyId: string,
  body: z.output<typeof destinationBody>,
): PayoutDestinationInput {
  const isDefault = body.is_default === undefined ? {} : { isDefault: body.is_default }
  switch (body.method) {
    case 'stripe_transfer':
      return { partyId, method: body.method, stripeAccountId: body.stripe_account_id, ...isDefault }
    case 'midtrans_iris':
      return {
        partyId,
        method: body.method,
        bankCode: body.bank_code,
        accountNumber: body.account_number,
        accountName: body.account_name,
        email: body.email,
        ...isDefault,
      }
    case 'manual':
      return { partyId, method: body.method, note: body.note ?? null, ...isDefault }
  }
}

const destinationSchema = z
  .object({
    party_id: z.string(),
    method: z.enum(['stripe_transfer', 'midtrans_iris', 'manual']),
    stripe_account_id: z.string().nullable(),
    bank_code: z.string().nullable(),
    account_number: z.string().nullable(),
    account_name: z.string().nullable(),
    email: z.string().nullable(),
    note: z.string().nullable(),
    is_default: z.boolean(),
    updated_at: z.string(),
  })
  .meta({ id: 'PayoutDestination' })

function destinationView(d: PayoutDestination): z.infer<typeof destinationSchema> {
  return {
    party_id: d.partyId,
    method: d.method,
    stripe_account_id: d.method === 'stripe_transfer' ? d.stripeAccountId : null,
    bank_code: d.method === 'midtrans_iris' ? d.bankCode : null,
    account_number: d.method === 'midtrans_iris' ? d.accountNumber : null,
    account_name: d.method === 'midtrans_iris' ? d.accountName : null,
    email: d.method === 'midtrans_iris' ? d.email : null,
    note: d.method === 'manual' ? d.note : null,
    is_default: d.isDefault,
    updated_at: d.updatedAt.toISOString(),
  }
}

const payoutSummarySchema = z
  .object({
    id: z.string(),
    party_id: z.string(),
    currency: z.string(),
    amount: moneyOut,
    status: z
      .enum(payoutStatuses)
      .describe('`in_transit` until it arrives (`paid`); `reversed`: it came back'),
    settlement_id: z.string().nullable(),
    transaction_id: z.string(),
    reversal_transaction_id: z.string().nullable(),
    paid_transaction_id: z.string().nullable(),
    created_at: z.string(),
    paid_at: z.string().nullable(),
    reversed_at: z.string().nullable(),
  })
  .meta({ id: 'PayoutSummary' })

const payoutSchema = payoutSummarySchema
  .extend({
    items: z
      .array(payableItemSchema)
      .optional()
      .describe('The journal lines it paid (signed: credits < 0 are what was owed)'),
  })
  .meta({ id: 'Payout' })

/** A payout as the API shows it (with its items when it has them). */
function payoutView(p: PayoutSummary & { items?: PayableItem[] }): z.infer<typeof payoutSchema> {
  return {
    id: p.id,
    party_id: p.partyId,
    currency: p.currency,
    amount: p.amount,
    status: p.status,
    settlement_id: p.settlementId,
    transaction_id: p.transactionId,
    reversal_transaction_id: p.reversalTransactionId,
    paid_transaction_id: p.paidTransactionId,
    created_at: p.createdAt.toISOString(),
    paid_at: p.paidAt?.toISOString() ?? null,
    reversed_at: p.reversedAt?.toISOString() ?? null,
    ...(p.items === undefined
      ? {}
      : {
          items: p.items.map(itemView),
        }),
  }
}

/** Balances, split explanations, statements signed off by both sides, and payouts. */
export function registerMoneyRoutes(
  app: OpenAPIHono<AppEnv>,
  db: Database,
  providers: PayoutProviders,
): void {
  const ledger = ['ledger']
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/sale_lines/{id}/explain',
      operationId: 'explainSaleLine',
      summary:
        'Why you got this amount: your lines of a sale line with rule, basis, rate and rounding',
      tags: ledger,
      params: z.object({ id: z.string().min(1).max(200) }),
      response: shareExplanationForPartySchema,
    },
    async (c, { params }) =>
      snakeCase(await explainShare(db, c.get('principal').partyId, params.id)),
  )

  // Statements per agreement and settlement period, reviewed by both sides.
  const statements = ['statements']
  const statementPath = '/v1/admin/agreements/{id}/statement'
  const agreementParams = z.object({ id: idSchema('agr') })
  app.openapi(
    createRoute({
      method: 'get',
      path: statementPath,
      operationId: 'getAgreementStatement',
      summary:
        'The statement of a settlement period: JSON with its review, CSV, or print-ready HTML',
      tags: statements,
      security: [{ secretKey: [] }],
      request: {
        params: agreementParams,
        query: z.strictObject({
          ...period,
          format: z.enum(['json', 'csv', 'html']).default('json'),
          locale: z.enum(['id', 'en']).default('id'),
        }),
      },
      responses: {
        200: {
          description:
            'The statement with its review (`format=json`); one row per line (`csv`); a page to print (`html`)',
          content: {
            'application/json': { schema: agreementStatementSchema },
            'text/csv': { schema: z.string().openapi('StatementCsv') },
            'text/html': { schema: z.string().openapi('StatementHtml') },
          },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { format, locale, ...spec } = c.req.valid('query')
      const scope = scopeOf(c)
      const { from, to } = await statementPeriodOf(db, scope, id, spec)
      const found = await agreementStatement(db, scope, { agreementId: id, period: { from, to } })
      const review = await statementReview(db, scope, { agreementId: id, period: { from, to } })
      if (format === 'csv') {
        return c.body(statementCsv(found.statement), 200, {
          'Content-Type': 'text/csv; charset=utf-8',
        }) as never
      }
      if (format === 'html') {
        const [producer, venue] = await Promise.all([
          getParty(db, found.producerId),
          getParty(db, found.venueId),
        ])
        const parties = { [producer.id]: { name: producer.name }, [venue.id]: { name: venue.name } }
        return c.html(statementHtml(found.statement, { locale, parties, review })) as never
      }
      const answer = snakeCase({ ...found, review })
      if (c.get('checkResponses')) {
        checkAnswer(
          { method: 'get', path: statementPath, response: agreementStatementSchema },
          answer,
        )
      }
      return c.json(answer as never, 200)
    },
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: `${statementPath}/acknowledge`,
      operationId: 'acknowledgeStatement',
      summary: 'Acknowledge the statement you saw (by its hash)',
      tags: statements,
      params: agreementParams,
      body: z
        .strictObject({ ...period, statement_hash: z.string() })
        .openapi('AcknowledgeStatementRequest'),
      response: reviewSchema,
    },
    async (c, { params, body }) =>
      snakeCase(
        await acknowledgeStatement(db, scopeOf(c), {
          agreementId: params.id,
          period: await statementPeriodOf(db, scopeOf(c), params.id, body),
          statementHash: body.statement_hash,
          acknowledgedBy: c.get('principal').keyId,
        }),
      ),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: `${statementPath}/disputes`,
      operationId: 'disputeStatementLine',
      summary: 'Dispute a line of the statement, with a comment both sides see',
      tags: statements,
      params: agreementParams,
      body: z
        .strictObject({ ...period, line_ref: z.string(), comment: z.string() })
        .openapi('DisputeStatementLineRequest'),
      response: disputeSchema,
      status: 201,
    },
    async (c, { params, body }) =>
      snakeCase(
        await disputeStatementLine(db, scopeOf(c), {
          agreementId: params.id,
          period: await statementPeriodOf(db, scopeOf(c), params.id, body),
          lineRef: body.line_ref,
          comment: body.comment,
          by: c.get('principal').keyId,
        }),
      ),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/statement_disputes',
      operationId: 'listOpenStatementDisputes',
      summary:
        'Disputes still open: on your agreements (a cooperative: its members’; the platform: all)',
      tags: statements,
      response: z
        .object({
          object: z.literal('list'),
          data: z.array(
            disputeSchema.extend({
              agreement_id: z.string(),
              producer_id: z.string(),
              venue_id: z.string(),
              period: z.object({ from: z.string(), to: z.string() }),
            }),
          ),
        })
        .meta({ id: 'OpenStatementDisputeList' }),
    },
    async (c) => ({
      object: 'list' as const,
      data: (await openDisputes(db, scopeOf(c))).map((dispute) => snakeCase(dispute)),
    }),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/statement_punctuality',
      operationId: 'getStatementPunctuality',
      summary:
        'Each active agreement you follow: were the last period’s statements acknowledged on time',
      tags: statements,
      response: z
        .object({
          object: z.literal('list'),
          acknowledge_within_days: z.number().int(),
          data: z.array(
            z.object({
              agreement_id: z.string(),
              producer_id: z.string(),
              venue_id: z.string(),
              period: z.object({ cycle: z.string(), from: z.string(), to: z.string() }),
              producer_acknowledged_at: z.string().nullable(),
              venue_acknowledged_at: z.string().nullable(),
              on_time: z.boolean(),
            }),
          ),
        })
        .meta({ id: 'StatementPunctualityList' }),
    },
    async (c) => ({
      object: 'list' as const,
      acknowledge_within_days: acknowledgeWithinDays,
      data: (await acknowledgmentPunctuality(db, scopeOf(c))).map((row) => snakeCase(row)),
    }),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/statement_disputes/{id}/resolve',
      operationId: 'resolveStatementDispute',
      summary: 'Withdraw your dispute, with a note',
      tags: statements,
      params: z.object({ id: z.string().max(64) }),
      body: z.strictObject({ note: z.string() }).openapi('ResolveStatementDisputeRequest'),
      response: disputeSchema,
    },
    async (c, { params, body }) =>
      snakeCase(
        await resolveDispute(db, scopeOf(c), {
          disputeId: params.id,
          note: body.note,
          by: c.get('principal').keyId,
        }),
      ),
  )

  // Payouts: on items, previewed first, paid by Stripe transfer, Midtrans Iris or by hand.
  const payouts = ['payouts']
  adminRoute(
    app,
    {
      method: 'put',
      path: '/v1/admin/payout_destination',
      operationId: 'setPayoutDestination',
      summary: 'Where you are paid: a Stripe connected account, a bank account (Iris), or by hand',
      tags: payouts,
      body: destinationBody,
      response: destinationSchema,
    },
    async (c, { body }) =>
      destinationView(
        await setPayoutDestination(db, destinationInput(c.get('principal').partyId, body)),
      ),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/payouts/preview',
      operationId: 'previewPayout',
      summary: 'What a payout would pay now, item by item (yours; any party’s for the platform)',
      tags: payouts,
      query: z.strictObject({
        currency: currencyCodeSchema.default('IDR'),
        party_id: idSchema('pty').optional(),
        minimum: z.coerce.number().int().min(0).max(maxAmount).optional(),
      }),
      response: previewSchema,
    },
    async (c, { query }) => {
      const own = c.get('principal').partyId
      if (query.party_id !== undefined && query.party_id !== own) await requirePlatform(db, c)
      const preview = await previewPayout(db, {
        partyId: query.party_id ?? own,
        currency: query.currency,
        ...(query.minimum !== undefined ? { minimum: money(query.minimum, query.currency) } : {}),
      })
      return {
        party_id: preview.partyId,
        currency: preview.currency,
        amount: preview.amount,
        advance_repayment: preview.advanceRepayment,
        net: preview.net,
        minimum: preview.minimum,
        payable: preview.payable,
        items: preview.items.map(itemView),
      }
    },
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/payouts',
      operationId: 'createPayout',
      summary: 'Post a payout of a party’s unpaid items (platform operator)',
      tags: payouts,
      role: 'owner',
      body: z
        .strictObject({
          party_id: idSchema('pty'),
          currency: currencyCodeSchema.default('IDR'),
          minimum: amountSchema.optional(),
          expected_amount: amountSchema.optional(),
        })
        .openapi('CreatePayoutRequest'),
      response: payoutSchema,
      status: 201,
    },
    async (c, { body }) => {
      await requirePlatform(db, c)
      const posted = await postPayout(db, {
        partyId: body.party_id,
        currency: body.currency,
        ...(body.minimum !== undefined ? { minimum: money(body.minimum, body.currency) } : {}),
        ...(body.expected_amount !== undefined
          ? { expectedAmount: money(body.expected_amount, body.currency) }
          : {}),
      })
      return payoutView(posted)
    },
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/payouts',
      operationId: 'listPayouts',
      summary: 'Your payouts, oldest first (the platform operator: everyone’s, or one party’s)',
      tags: payouts,
      query: z.strictObject({
        party_id: idSchema('pty').optional(),
        status: z.enum(payoutStatuses).optional(),
        cursor: cursorSchema.optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: listOf(payoutSummarySchema, 'PayoutList'),
    },
    async (c, { query }) => {
      const own = c.get('principal').partyId
      const platform = await isPlatform(db, c)
      if (query.party_id !== undefined && query.party_id !== own && !platform) {
        throw new MitraError('forbidden', 'Only the platform operator sees other parties’ payouts')
      }
      const after = cursorId(query.cursor)
      const rows = await listPayouts(db, {
        partyId: query.party_id ?? (platform ? null : own),
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(after === undefined ? {} : { after }),
        limit: query.limit + 1,
      })
      const { page, next } = pageOf(rows, query.limit, (row) => row.id)
      return { object: 'list' as const, data: page.map(payoutView), next_cursor: next }
    },
  )
  const payoutParams = z.object({ id: idSchema('po') })
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/payouts/{id}',
      operationId: 'getPayout',
      summary: 'One payout with the items it paid: yours (the platform operator: any)',
      tags: payouts,
      params: payoutParams,
      response: payoutSchema,
    },
    async (c, { params }) => {
      const payout = await getPayout(db, params.id)
      if (payout.partyId !== c.get('principal').partyId && !(await isPlatform(db, c))) {
        throw notFound('payout', params.id)
      }
      return payoutView(payout)
    },
  )
  const platformPayoutAction = (
    path: string,
    operationId: string,
    summary: string,
    body: z.ZodType | undefined,
    run: (c: Context<AppEnv>, id: string, input: never) => Promise<PayoutExecution>,
  ) =>
    adminRoute(
      app,
      {
        method: 'post',
        path: `/v1/admin/payouts/{id}${path}`,
        operationId,
        summary,
        tags: payouts,
        role: 'owner',
        params: payoutParams,
        body,
        response: executionSchema,
      },
      async (c, { params, body: input }) => {
        await requirePlatform(db, c)
        await getPayout(db, params.id)
        return executionView((await run(c, params.id, input as never)) as PayoutExecution)
      },
    )
  platformPayoutAction(
    '/execute',
    'executePayout',
    'Send the payout through the party’s payout method',
    undefined,
    (c, id) =>
      executePayout(db, providers, { payoutId: id, actor: { id: c.get('principal').keyId } }),
  )
  platformPayoutAction(
    '/approve',
    'approvePayout',
    'Approve an Iris payout (a second person: not its creator)',
    undefined,
    (c, id) =>
      approveIrisPayout(db, providers, { payoutId: id, actor: { id: c.get('principal').keyId } }),
  )
  platformPayoutAction(
    '/manual',
    'recordManualPayout',
    'Record a payout made by hand (cash or bank transfer), with reference and proof',
    z
      .strictObject({ reference: z.string().min(1).max(200), proof_url: z.url().optional() })
      .openapi('RecordManualPayoutRequest'),
    (c, id, input: { reference: string; proof_url?: string }) =>
      recordManualPayout(db, {
        payoutId: id,
        actor: { id: c.get('principal').keyId },
        reference: input.reference,
        ...(input.proof_url ? { proofUrl: input.proof_url } : {}),
      }),
  )

  // Provider notifications: authenticated by their signatures over the raw body, not by keys.
  // Stripe's endpoint is shared with checkout (routes/checkout.ts), which hands transfer
  // events on to `handleStripeWebhook`.
  app.post('/v1/webhooks/midtrans-iris', async (c) => {
    const result = await handleIrisNotification(db, providers, {
      rawBody: await c.req.text(),
      signature: c.req.header('Iris-Signature'),
    })
    await recordPayoutNotification(db, result)
    return c.json({ received: true, applied: result.applied }, 200)
  })
}
