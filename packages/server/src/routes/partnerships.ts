import { type OpenAPIHono, z } from '@hono/zod-openapi'
import { currencyCodeSchema, idSchema } from '@mitra/core'
import type { Database } from '@mitra/db'
import {
  acceptIntiPlasmaPartnership,
  advanceInputSchema,
  closeSubcontract,
  createIntiPlasmaPartnership,
  createSubcontract,
  endIntiPlasmaPartnership,
  endIntiPlasmaPartnershipSchema,
  getIntiPlasmaPartnership,
  inspectDelivery,
  intiPlasmaAdvanceInputSchema,
  intiPlasmaPartnershipInputSchema,
  intiPlasmaPurchaseInputSchema,
  listIntiPlasmaPartnerships,
  listIntiPlasmaPartnershipsQuerySchema,
  listIntiPlasmaPurchases,
  listIntiPlasmaPurchasesQuerySchema,
  listSubcontracts,
  listSubcontractsQuerySchema,
  outstandingAdvances,
  recordAdvance,
  recordIntiPlasmaAdvance,
  recordIntiPlasmaPurchase,
  recordSubcontractDelivery,
  subcontractStatus as statusOfSubcontract,
  subcontractDeliveryInputSchema,
  subcontractInputSchema,
  subcontractInspectionSchema,
} from '@mitra/revenue-share'
import type { AppEnv } from '../env.js'
import { listOf } from '../openapi.js'
import { adminRoute, scopeOf } from './define.js'

const list = <T>(page: T) => ({ object: 'list' as const, ...page })

const moneyOut = z.object({ amount: z.number().int(), currency: z.string() })

const subcontract = z
  .object({
    id: z.string(),
    buyer_id: z.string(),
    producer_id: z.string(),
    items: z.array(
      z.object({
        variant_id: z.string().nullish(),
        description: z.string().nullish(),
      }),
    ),
    currency: z.string(),
    target_quantity: z.number().int(),
    unit_price: moneyOut,
    deadline: z.string(),
    penalty: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('per_unit'), amount: z.number().int() }),
      z.object({ kind: z.literal('percent'), bps: z.number().int() }),
    ]),
    penalty_cap: moneyOut.nullable(),
    status: z.enum(['open', 'closed']),
    closed_at: z.string().nullable(),
    penalty_transaction_id: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'Subcontract' })

const subcontractDelivery = z
  .object({
    id: z.string(),
    contract_id: z.string(),
    quantity: z.number().int(),
    delivered_at: z.string(),
    status: z.enum(['pending', 'inspected']),
    accepted: z.number().int().nullable(),
    rejected: z.number().int().nullable(),
    note: z.string().nullable(),
    inspected_at: z.string().nullable(),
  })
  .meta({ id: 'SubcontractDelivery' })

const subcontractStatus = z
  .object({
    contract: subcontract,
    deliveries: z.array(subcontractDelivery),
    pending_inspection: z.number().int().describe('Delivered, not yet inspected: not counted'),
    as_of: z.string(),
    evaluation: z.object({
      delivered: z.number().int(),
      accepted: z.number().int(),
      rejected: z.number().int(),
      accepted_on_time: z.number().int(),
      shortfall: z.number().int(),
      fulfilment_bps: z.number().int(),
      deadline_passed: z.boolean(),
      gross: moneyOut,
      penalty: moneyOut,
      penalty_charged: moneyOut,
      invoice: moneyOut,
    }),
  })
  .meta({ id: 'SubcontractStatus' })

const closedSubcontract = subcontractStatus
  .extend({
    penalty_transaction: z
      .object({
        id: z.string(),
        kind: z.string(),
        source: z.object({ type: z.string(), id: z.string() }),
        occurred_at: z.string(),
      })
      .nullable()
      .describe('The penalty posted to the ledger when it was closed (null: none)'),
  })
  .meta({ id: 'ClosedSubcontract' })

const outstandingAdvancesSchema = z
  .object({
    producer_id: z.string(),
    currency: z.string(),
    total: moneyOut,
    by_core_partner: z.array(z.object({ core_partner_id: z.string(), outstanding: moneyOut })),
  })
  .meta({ id: 'OutstandingAdvances' })

/** A closed subcontract as the API shows it: its penalty transaction by id, kind and date. */
function closedView(closed: Awaited<ReturnType<typeof closeSubcontract>>) {
  const { penalty_transaction: posted, ...status } = closed
  return {
    ...status,
    penalty_transaction:
      posted === null
        ? null
        : {
            id: posted.id,
            kind: posted.kind,
            source: posted.source,
            occurred_at: posted.occurredAt.toISOString(),
          },
  }
}

const intiPlasmaPartnership = z
  .object({
    id: z.string(),
    core_partner_id: z.string(),
    producer_id: z.string(),
    currency: z.string(),
    max_deduction_bps: z.number().int(),
    prices: z.array(
      z.object({
        variant_id: z.string().nullable(),
        description: z.string().nullable(),
        unit_price: moneyOut,
      }),
    ),
    status: z.enum(['proposed', 'active', 'ended']),
    note: z.string().nullable(),
    created_at: z.string(),
    accepted_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    ended_by_party_id: z.string().nullable(),
    end_reason: z.string().nullable(),
    advances: z.object({ advanced: moneyOut, repaid: moneyOut, outstanding: moneyOut }),
    purchased: moneyOut,
  })
  .meta({ id: 'IntiPlasmaPartnership' })

const intiPlasmaPurchase = z
  .object({
    id: z.string(),
    partnership_id: z.string(),
    reference: z.string().nullable(),
    variant_id: z.string().nullable(),
    description: z.string().nullable(),
    quantity: z.number().int(),
    unit_price: moneyOut,
    amount: moneyOut,
    transaction_id: z.string(),
    purchased_at: z.string(),
    replayed: z.boolean(),
  })
  .meta({ id: 'IntiPlasmaPurchase' })

const intiPlasmaAdvance = z
  .object({
    id: z.string(),
    partnership_id: z.string().nullable().describe('The inti-plasma partnership (null: none)'),
    producer_id: z.string(),
    core_partner_id: z.string(),
    amount: moneyOut,
    description: z.string(),
    transaction_id: z.string(),
    occurred_at: z.string(),
  })
  .meta({ id: 'Advance' })

/**
 * Partnerships beyond consignment: subcontracts (subkontrak) between a buyer and a producer
 * group — deliveries, inspection, fulfilment, closing with the penalty — and inti-plasma
 * partnerships between a core partner and a producer: agreed purchase prices, input advances
 * on credit, purchases at the agreed prices.
 */
export function registerPartnershipRoutes(app: OpenAPIHono<AppEnv>, db: Database): void {
  const tags = ['partnerships']
  const contractParams = z.object({ id: idSchema('ctr') })
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/subcontracts',
      operationId: 'createSubcontract',
      summary: 'Contract a producer (as a buyer): items, target, unit price, deadline, penalty',
      tags,
      body: subcontractInputSchema.meta({ id: 'CreateSubcontractRequest' }),
      response: subcontract,
      status: 201,
    },
    (c, { body }) => createSubcontract(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/subcontracts',
      operationId: 'listSubcontracts',
      summary: 'Your subcontracts, as buyer or producer (oldest first)',
      tags,
      query: listSubcontractsQuerySchema,
      response: listOf(subcontract, 'SubcontractList'),
    },
    async (c, { query }) => list(await listSubcontracts(db, scopeOf(c), query)),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/subcontracts/{id}',
      operationId: 'getSubcontract',
      summary: 'A subcontract with its deliveries, fulfilment rate, penalty and invoice',
      tags,
      params: contractParams,
      response: subcontractStatus,
    },
    (c, { params }) => statusOfSubcontract(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/subcontracts/{id}/deliveries',
      operationId: 'recordSubcontractDelivery',
      summary: 'Record a delivery under a subcontract (as its producer)',
      tags,
      params: contractParams,
      body: subcontractDeliveryInputSchema.meta({ id: 'RecordSubcontractDeliveryRequest' }),
      response: subcontractDelivery,
      status: 201,
    },
    (c, { params, body }) => recordSubcontractDelivery(db, scopeOf(c), params.id, body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/subcontract_deliveries/{id}/inspect',
      operationId: 'inspectSubcontractDelivery',
      summary: 'Inspect a delivery (as the buyer): accepted + rejected = delivered',
      tags,
      params: z.object({ id: idSchema('dlv') }),
      body: subcontractInspectionSchema.meta({ id: 'InspectSubcontractDeliveryRequest' }),
      response: subcontractDelivery,
    },
    (c, { params, body }) => inspectDelivery(db, scopeOf(c), params.id, body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/subcontracts/{id}/close',
      operationId: 'closeSubcontract',
      summary: 'Close a subcontract after its deadline (as the buyer); posts the penalty once',
      tags,
      params: contractParams,
      response: closedSubcontract,
    },
    async (c, { params }) => closedView(await closeSubcontract(db, scopeOf(c), params.id)),
  )

  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/advances',
      operationId: 'recordAdvance',
      summary: 'Record inputs advanced on credit to a producer (as a core partner)',
      tags,
      body: advanceInputSchema.meta({ id: 'RecordAdvanceRequest' }),
      response: intiPlasmaAdvance,
      status: 201,
    },
    (c, { body }) => recordAdvance(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/advances/outstanding',
      operationId: 'getOutstandingAdvances',
      summary:
        'What a producer still owes for advances (the producer: all; a core partner: its own)',
      tags,
      query: z.strictObject({
        producer_id: idSchema('pty'),
        currency: currencyCodeSchema.default('IDR'),
      }),
      response: outstandingAdvancesSchema,
    },
    (c, { query }) =>
      outstandingAdvances(db, scopeOf(c), {
        producerId: query.producer_id,
        currency: query.currency,
      }),
  )
  const partnershipPath = '/v1/admin/inti_plasma_partnerships'
  const partnershipParams = z.object({ id: idSchema('ctr') })
  adminRoute(
    app,
    {
      method: 'post',
      path: partnershipPath,
      operationId: 'createIntiPlasmaPartnership',
      summary:
        'Propose an inti-plasma partnership to a producer (as a core partner): agreed prices, deduction share',
      tags,
      body: intiPlasmaPartnershipInputSchema.meta({ id: 'IntiPlasmaPartnershipInput' }),
      response: intiPlasmaPartnership,
      status: 201,
    },
    (c, { body }) => createIntiPlasmaPartnership(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: partnershipPath,
      operationId: 'listIntiPlasmaPartnerships',
      summary: 'Your inti-plasma partnerships, as core partner or producer (oldest first)',
      tags,
      query: listIntiPlasmaPartnershipsQuerySchema,
      response: listOf(intiPlasmaPartnership, 'IntiPlasmaPartnershipList'),
    },
    async (c, { query }) => list(await listIntiPlasmaPartnerships(db, scopeOf(c), query)),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: `${partnershipPath}/{id}`,
      operationId: 'getIntiPlasmaPartnership',
      summary: 'An inti-plasma partnership with its advances (given, repaid, owed) and purchases',
      tags,
      params: partnershipParams,
      response: intiPlasmaPartnership,
    },
    (c, { params }) => getIntiPlasmaPartnership(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: `${partnershipPath}/{id}/accept`,
      operationId: 'acceptIntiPlasmaPartnership',
      summary: 'Accept the proposed terms (as the producer): the partnership is active',
      tags,
      params: partnershipParams,
      response: intiPlasmaPartnership,
    },
    (c, { params }) => acceptIntiPlasmaPartnership(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: `${partnershipPath}/{id}/end`,
      operationId: 'endIntiPlasmaPartnership',
      summary: 'End a partnership or decline a proposal (either side); what is owed stays owed',
      tags,
      params: partnershipParams,
      body: endIntiPlasmaPartnershipSchema.meta({ id: 'EndIntiPlasmaPartnershipRequest' }),
      response: intiPlasmaPartnership,
    },
    (c, { params, body }) => endIntiPlasmaPartnership(db, scopeOf(c), params.id, body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: `${partnershipPath}/{id}/advances`,
      operationId: 'recordIntiPlasmaAdvance',
      summary: 'Record inputs advanced on credit under the partnership (as the core partner)',
      tags,
      params: partnershipParams,
      body: intiPlasmaAdvanceInputSchema.meta({ id: 'RecordIntiPlasmaAdvanceRequest' }),
      response: intiPlasmaAdvance,
      status: 201,
    },
    (c, { params, body }) => recordIntiPlasmaAdvance(db, scopeOf(c), params.id, body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: `${partnershipPath}/{id}/purchases`,
      operationId: 'recordIntiPlasmaPurchase',
      summary: 'Buy units of an agreed item at the agreed price (as the core partner)',
      tags,
      params: partnershipParams,
      body: intiPlasmaPurchaseInputSchema.meta({ id: 'IntiPlasmaPurchaseInput' }),
      response: intiPlasmaPurchase,
      status: 201,
    },
    async (c, { params, body }) => {
      const { transaction: _posted, ...purchase } = await recordIntiPlasmaPurchase(
        db,
        scopeOf(c),
        params.id,
        body,
      )
      return purchase
    },
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: `${partnershipPath}/{id}/purchases`,
      operationId: 'listIntiPlasmaPurchases',
      summary: 'Purchases under the partnership (both sides, oldest first)',
      tags,
      params: partnershipParams,
      query: listIntiPlasmaPurchasesQuerySchema,
      response: listOf(intiPlasmaPurchase, 'IntiPlasmaPurchaseList'),
    },
    async (c, { params, query }) =>
      list(await listIntiPlasmaPurchases(db, scopeOf(c), params.id, query)),
  )
}
