import { type OpenAPIHono, z } from '@hono/zod-openapi'
import { currencyCodeSchema, idSchema } from '@mitra/core'
import type { Database } from '@mitra/db'
import {
  advanceInputSchema,
  closeSubcontract,
  createSubcontract,
  inspectDelivery,
  outstandingAdvances,
  recordAdvance,
  recordSubcontractDelivery,
  subcontractDeliveryInputSchema,
  subcontractInputSchema,
  subcontractInspectionSchema,
  subcontractStatus,
} from '@mitra/revenue-share'
import type { AppEnv } from '../env.js'
import { adminRoute, scopeOf } from './define.js'

const anything = z.looseObject({})

/**
 * Partnerships beyond consignment: subcontracts (subkontrak) between a buyer and a producer
 * group — deliveries, inspection, fulfilment, closing with the penalty — and inti-plasma input
 * advances from a core partner to a producer.
 */
export function registerPartnershipRoutes(app: OpenAPIHono<AppEnv>, db: Database): void {
  const tags = ['partnerships']
  const contractParams = z.object({ id: idSchema('ctr') })
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/subcontracts',
      summary: 'Contract a producer (as a buyer): items, target, unit price, deadline, penalty',
      tags,
      body: subcontractInputSchema,
      response: anything,
      status: 201,
    },
    (c, { body }) => createSubcontract(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/subcontracts/{id}',
      summary: 'A subcontract with its deliveries, fulfilment rate, penalty and invoice',
      tags,
      params: contractParams,
      response: anything,
    },
    (c, { params }) => subcontractStatus(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/subcontracts/{id}/deliveries',
      summary: 'Record a delivery under a subcontract (as its producer)',
      tags,
      params: contractParams,
      body: subcontractDeliveryInputSchema,
      response: anything,
      status: 201,
    },
    (c, { params, body }) => recordSubcontractDelivery(db, scopeOf(c), params.id, body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/subcontract_deliveries/{id}/inspect',
      summary: 'Inspect a delivery (as the buyer): accepted + rejected = delivered',
      tags,
      params: z.object({ id: idSchema('dlv') }),
      body: subcontractInspectionSchema,
      response: anything,
    },
    (c, { params, body }) => inspectDelivery(db, scopeOf(c), params.id, body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/subcontracts/{id}/close',
      summary: 'Close a subcontract after its deadline (as the buyer); posts the penalty once',
      tags,
      params: contractParams,
      response: anything,
    },
    (c, { params }) => closeSubcontract(db, scopeOf(c), params.id),
  )

  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/advances',
      summary: 'Record inputs advanced on credit to a producer (as a core partner)',
      tags,
      body: advanceInputSchema,
      response: anything,
      status: 201,
    },
    (c, { body }) => recordAdvance(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/advances/outstanding',
      summary:
        'What a producer still owes for advances (the producer: all; a core partner: its own)',
      tags,
      query: z.strictObject({
        producer_id: idSchema('pty'),
        currency: currencyCodeSchema.default('IDR'),
      }),
      response: anything,
    },
    (c, { query }) =>
      outstandingAdvances(db, scopeOf(c), {
        producerId: query.producer_id,
        currency: query.currency,
      }),
  )
}
