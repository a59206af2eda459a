import { type OpenAPIHono, z } from '@hono/zod-openapi'
import { cursorId, cursorSchema, pageOf } from '@mitra/catalog'
import { openRemittancePayment } from '@mitra/checkout'
import { amountSchema, currencyCodeSchema, idSchema, money } from '@mitra/core'
import { type Database, remittanceStatuses } from '@mitra/db'
import { type PaymentProviderRegistry, type ProviderName, providerNames } from '@mitra/payments'
import {
  accountBalances,
  bounceRemittance,
  confirmRemittance,
  disputeRemittance,
  getRemittance,
  getSettlement,
  listRemittances,
  listRemittancesQuerySchema,
  listSettlements,
  type MoneyPosition,
  moneyPosition,
  recordRemittance,
  recordRemittanceSchema,
  remittanceReasonSchema,
  type SettlementRecord,
  settle,
} from '@mitra/revenue-share'
import type { AppEnv } from '../env.js'
import { listOf, moneyView, orNull } from '../openapi.js'
import { adminRoute, scopeOf } from './define.js'
import { requirePlatform } from './money.js'

/*
 * Where the money is, settlements and remittances. A settlement nets each venue's commission
 * against the cash it holds and asks it to remit the rest; remittances are recorded by the
 * venue that pays and confirmed by whoever received them.
 */

const amount = moneyView

const heldMoney = z
  .object({
    party_id: z
      .string()
      .describe('Who holds it (in `awaiting`), or whom it is owed to (in `owes`)'),
    role: z.string(),
    agreement_id: z.string().nullable(),
    amount,
    requested: amount.describe('Of it, what a remittance asks for and is not confirmed yet'),
  })
  .meta({ id: 'HeldMoney' })

const position = z
  .object({
    object: z.literal('balance'),
    party_id: z.string(),
    currency: z.string(),
    owed: amount.describe('All you are owed: payable plus awaiting'),
    payable: amount.describe('Collected for you, paid by the next payout'),
    awaiting: z.array(heldMoney).describe('Owed to you from money others hold, e.g. a café till'),
    in_transit: amount.describe('Payouts sent to you that have not arrived yet'),
    holds: amount.describe('Money you hold for others (your till, damage you are liable for)'),
    owes: z.array(heldMoney).describe('To whom you owe what you hold'),
    funds: orNull(amount).describe('For the platform: its funds not yet paid out'),
    accounts: z
      .array(z.object({ purpose: z.string(), balance: amount }))
      .describe('Every ledger account of yours, signed: debit > 0, credit < 0'),
  })
  .meta({ id: 'Balance' })

const heldView = (held: MoneyPosition['awaiting'][number]) => ({
  party_id: held.partyId,
  role: held.role,
  agreement_id: held.agreementId,
  amount: held.amount,
  requested: held.requested,
})

/** A position as the API shows it, with the accounts it is read from. */
export function positionView(
  p: MoneyPosition,
  accounts: z.infer<typeof position>['accounts'],
): z.infer<typeof position> {
  return {
    accounts,
    object: 'balance',
    party_id: p.partyId,
    currency: p.currency,
    owed: p.owed,
    payable: p.payable,
    awaiting: p.awaiting.map(heldView),
    in_transit: p.inTransit,
    holds: p.holds,
    owes: p.owes.map(heldView),
    funds: p.funds,
  }
}

const remittance = z
  .object({
    id: z.string(),
    settlement_id: z.string().nullable(),
    from_party_id: z.string(),
    to_party_id: z.string(),
    route: z.enum(['direct', 'platform']),
    amount,
    claims: z.array(
      z.object({
        party_id: z.string(),
        role: z.string(),
        agreement_id: z.string().nullable(),
        amount,
      }),
    ),
    status: z.enum(remittanceStatuses),
    due_at: z.string().nullable(),
    method: z.string().nullable(),
    reference: z.string().nullable(),
    proof_url: z.string().nullable(),
    note: z.string().nullable(),
    recorded_by: z.string().nullable(),
    recorded_at: z.string().nullable(),
    confirmed_by: z.string().nullable(),
    confirmed_at: z.string().nullable(),
    dispute_reason: z.string().nullable(),
    disputed_at: z.string().nullable(),
    bounce_reason: z.string().nullable(),
    bounced_at: z.string().nullable(),
    previous_id: z.string().nullable(),
    transaction_ids: z.array(z.string()),
    reversal_transaction_ids: z.array(z.string()),
    created_at: z.string(),
  })
  .meta({ id: 'Remittance' })

const settlementPayout = z.object({
  payout_id: z.string(),
  party_id: z.string(),
  amount,
  status: z.string(),
})

const settlement = z
  .object({
    id: z.string(),
    currency: z.string(),
    minimum: amount,
    created_by: z.string().nullable(),
    created_at: z.string(),
    payouts: z.array(settlementPayout),
    remittance_ids: z.array(z.string()),
  })
  .meta({ id: 'Settlement' })

const settlementRun = settlement
  .extend({
    items: z.number().int().describe('Payable journal lines paid'),
    holders: z.array(
      z.object({
        party_id: z.string(),
        credit: amount,
        netted: amount.describe('What it held that its commission paid for'),
        remittance_ids: z.array(z.string()),
      }),
    ),
    unfunded: z
      .array(z.object({ party_id: z.string(), amount }))
      .describe('Owed at least the minimum, not yet collected: paid when the money is in'),
    funds_after: amount,
  })
  .meta({ id: 'SettlementRun' })

function settlementView(record: SettlementRecord): z.infer<typeof settlement> {
  return {
    id: record.id,
    currency: record.currency,
    minimum: record.minimum,
    created_by: record.createdBy,
    created_at: record.createdAt.toISOString(),
    payouts: record.payouts.map((p) => ({
      payout_id: p.payoutId,
      party_id: p.partyId,
      amount: p.amount,
      status: p.status,
    })),
    remittance_ids: record.remittanceIds,
  }
}

const remittanceParams = z.object({ id: idSchema('rem') })
/** Why a remittance is disputed or bounced: one body for both. */
const remittanceReason = remittanceReasonSchema.meta({ id: 'RemittanceReasonRequest' })

export function registerSettlementRoutes(
  app: OpenAPIHono<AppEnv>,
  db: Database,
  options: { payments: PaymentProviderRegistry; baseUrl: string },
): void {
  const tags = ['settlements']
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/balance',
      operationId: 'getBalance',
      summary:
        'Where your money is: owed to you (collected, or held by a venue), in transit, what you hold for others',
      tags: ['ledger'],
      query: z.strictObject({ currency: currencyCodeSchema.default('IDR') }),
      response: position,
    },
    async (c, { query }) => {
      const partyId = c.get('principal').partyId
      const [where, accounts] = await Promise.all([
        moneyPosition(db, partyId, query.currency),
        accountBalances(db, partyId, query.currency),
      ])
      return positionView(where, accounts)
    },
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/settlements',
      operationId: 'createSettlement',
      summary:
        'Settle (platform operator): net each venue’s commission against its cash, ask it to remit the rest, pay out what was collected',
      tags,
      role: 'owner',
      body: z
        .strictObject({
          currency: currencyCodeSchema.default('IDR'),
          minimum: amountSchema,
        })
        .openapi('CreateSettlementRequest'),
      response: settlementRun,
      status: 201,
    },
    async (c, { body }) => {
      await requirePlatform(db, c)
      const run = await settle(db, {
        currency: body.currency,
        minimum: money(body.minimum, body.currency),
        createdBy: c.get('principal').keyId,
      })
      const record = await getSettlement(db, run.id)
      return {
        ...settlementView(record),
        items: run.items,
        holders: run.holders.map((h) => ({
          party_id: h.partyId,
          credit: h.credit,
          netted: h.netted,
          remittance_ids: h.remittanceIds,
        })),
        unfunded: run.unfunded.map((u) => ({ party_id: u.partyId, amount: u.amount })),
        funds_after: run.fundsAfter,
      }
    },
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/settlements',
      operationId: 'listSettlements',
      summary: 'Settlements run, oldest first (platform operator)',
      tags,
      query: z.strictObject({
        cursor: cursorSchema.optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: listOf(settlement, 'SettlementList'),
    },
    async (c, { query }) => {
      await requirePlatform(db, c)
      const after = cursorId(query.cursor)
      const rows = await listSettlements(db, {
        ...(after === undefined ? {} : { after }),
        limit: query.limit + 1,
      })
      const { page, next } = pageOf(rows, query.limit, (row) => row.id)
      return { object: 'list' as const, data: page.map(settlementView), next_cursor: next }
    },
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/settlements/{id}',
      operationId: 'getSettlement',
      summary: 'One settlement with the payouts and remittances it made (platform operator)',
      tags,
      params: z.object({ id: idSchema('stl') }),
      response: settlement,
    },
    async (c, { params }) => {
      await requirePlatform(db, c)
      return settlementView(await getSettlement(db, params.id))
    },
  )

  const remittanceTags = ['remittances']
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/remittances',
      operationId: 'listRemittances',
      summary: 'Remittances you pay (`direction=from`) or receive (`to`); the platform sees all',
      tags: remittanceTags,
      query: listRemittancesQuerySchema,
      response: listOf(remittance, 'RemittanceList'),
    },
    async (c, { query }) => ({
      object: 'list' as const,
      ...(await listRemittances(db, scopeOf(c), query)),
    }),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/remittances/{id}',
      operationId: 'getRemittance',
      summary: 'One remittance: who pays whom, how much, by when, and what became of it',
      tags: remittanceTags,
      params: remittanceParams,
      response: remittance,
    },
    (c, { params }) => getRemittance(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/remittances/{id}/record',
      operationId: 'recordRemittance',
      summary:
        'Record that you paid it (the venue), with the reference and a photo of the proof; less than due leaves the rest due',
      tags: remittanceTags,
      params: remittanceParams,
      body: recordRemittanceSchema.meta({ id: 'RecordRemittanceRequest' }),
      response: remittance,
    },
    (c, { params, body }) =>
      recordRemittance(db, scopeOf(c), params.id, body, c.get('principal').keyId),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/remittances/{id}/payment_link',
      operationId: 'createRemittancePaymentLink',
      summary:
        'Pay a remittance owed to the platform through the provider (QRIS, virtual account, card): its page, in the same window',
      tags: remittanceTags,
      params: remittanceParams,
      body: z
        .strictObject({
          provider: z.enum(providerNames as [ProviderName, ...ProviderName[]]).default('demo'),
          /** Where the provider sends the venue back to (default: the remittance in the API). */
          return_url: z.url().max(2_000).optional(),
        })
        .openapi('CreateRemittancePaymentLinkRequest'),
      response: z
        .object({ remittance, provider: z.string(), redirect_url: z.string() })
        .meta({ id: 'RemittancePaymentLink' }),
    },
    (c, { params, body }) =>
      openRemittancePayment(db, options.payments, scopeOf(c), params.id, {
        provider: body.provider,
        returnUrl: body.return_url ?? `${options.baseUrl}/v1/admin/remittances/${params.id}`,
      }),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/remittances/{id}/confirm',
      operationId: 'confirmRemittance',
      summary: 'Confirm you received it: only then is the money moved in the ledger',
      tags: remittanceTags,
      params: remittanceParams,
      response: remittance,
    },
    (c, { params }) => confirmRemittance(db, scopeOf(c), params.id, c.get('principal').keyId),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/remittances/{id}/dispute',
      operationId: 'disputeRemittance',
      summary: 'Say it did not arrive as recorded: the venue records it again',
      tags: remittanceTags,
      params: remittanceParams,
      body: remittanceReason,
      response: remittance,
    },
    (c, { params, body }) => disputeRemittance(db, scopeOf(c), params.id, body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/remittances/{id}/bounce',
      operationId: 'bounceRemittance',
      summary: 'It was confirmed, then the money came back: undone, and due again',
      tags: remittanceTags,
      params: remittanceParams,
      body: remittanceReason,
      response: remittance,
    },
    (c, { params, body }) => bounceRemittance(db, scopeOf(c), params.id, body),
  )
}
