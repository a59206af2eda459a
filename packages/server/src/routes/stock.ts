import type { OpenAPIHono } from '@hono/zod-openapi'
import { createRoute, z } from '@hono/zod-openapi'
import { getParty, listClusterMembers } from '@mitra/catalog'
import {
  agingReport,
  availableAtVenue,
  availableQuerySchema,
  availableVariantSchema,
  cancelDelivery,
  cancelReturn,
  cancelTransfer,
  confirmReturn,
  confirmReturnSchema,
  convertReservationSchema,
  deliverySchema,
  getDelivery,
  getReservation,
  getReturn,
  getSale,
  getTransfer,
  listDeliveries,
  listDeliveriesQuerySchema,
  listMovements,
  listMovementsQuerySchema,
  listObligations,
  listObligationsQuerySchema,
  listReturns,
  listReturnsQuerySchema,
  listSales,
  listSalesQuerySchema,
  listTransfers,
  listTransfersQuerySchema,
  lotsQuerySchema,
  lotsReportSchema,
  movementSchema,
  obligationSchema,
  producerStock,
  producerStockSchema,
  receiveDelivery,
  receiveDeliverySchema,
  receiveTransfer,
  recordCount,
  recordCountSchema,
  recordSaleSchema,
  recordWriteOffSchema,
  releaseReservation,
  requestReturn,
  requestReturnSchema,
  requestTransfer,
  requestTransferSchema,
  reservationSchema,
  reserve,
  reserveSchema,
  saleSchema,
  saleViewSchema,
  sendDelivery,
  sendDeliverySchema,
  stockCountSchema,
  stockReturnSchema,
  stockViewQuerySchema,
  transferSchema,
  venueStock,
  venueStockSchema,
} from '@mitra/consignment'
import { type IdPrefix, idSchema, MitraError } from '@mitra/core'
import type { Database } from '@mitra/db'
import { merchantClasses } from '@mitra/payments'
import {
  completeReservationSale,
  owedByHolder,
  type PostedConsignmentSale,
  periodOfSpec,
  writeOffWithLiability,
} from '@mitra/revenue-share'
import { sellAtCounter } from '../counter-sales.js'
import type { AppEnv } from '../env.js'
import { json, listOf, problemResponses, publishableKeySecurity } from '../openapi.js'
import { adminRoute, scopeOf } from './define.js'

const list = <T>(page: T) => ({ object: 'list' as const, ...page })

/** A sale with the journal transaction that split each of its lines. */
const postedSale = saleSchema
  .extend({
    postings: z.array(
      z.object({
        sale_line_id: z.string(),
        transaction_id: z.string(),
        shares: z.array(
          z.object({ role: z.string(), party_id: z.string(), amount: z.number().int() }),
        ),
      }),
    ),
  })
  .meta({ id: 'PostedSale' })

function postedSaleView({ sale, lines }: PostedConsignmentSale) {
  return {
    ...sale,
    postings: lines.map((line) => ({
      sale_line_id: line.saleLineId,
      transaction_id: line.transaction.id,
      shares: line.split.shares.map((share) => ({
        role: share.role,
        party_id: share.partyId,
        amount: share.amount.amount,
      })),
    })),
  }
}
const byId = (prefix: IdPrefix) => z.object({ id: idSchema(prefix) })

const delivery = deliverySchema.meta({ id: 'Delivery' })
const reservation = reservationSchema.meta({ id: 'Reservation' })
/** A return of goods to the producer (also what ending an agreement requests). */
export const stockReturn = stockReturnSchema.meta({ id: 'StockReturn' })
const transfer = transferSchema.meta({ id: 'Transfer' })
/** A sale read back: the lines the caller may see (its own goods, for a producer), their total. */
const sale = saleViewSchema.meta({ id: 'Sale' })

/** Sales by when they were sold: days in Jakarta time, as statement periods are named. */
const listSalesQuery = listSalesQuerySchema.extend({
  from: z
    .string()
    .max(40)
    .optional()
    .describe(
      'Sold at or after: a day (`2026-12-06`, from midnight in Jakarta time) or an ISO 8601 moment',
    ),
  to: z
    .string()
    .max(40)
    .optional()
    .describe(
      'Sold before (exclusive): a day (`2026-12-07`: up to midnight in Jakarta time) or an ISO 8601 moment',
    ),
})

/**
 * `from` and `to` read as a statement period's bounds are (`periodOfSpec`): a day is its
 * midnight in Jakarta time, anything else an ISO 8601 moment; a bad one is a 422 naming it.
 */
function soldBetween(from?: string, to?: string): { from?: string; to?: string } {
  if (from === undefined && to === undefined) return {}
  const open = new Date(0) // stands in for a bound not given; dropped below
  const bounds = periodOfSpec('monthly', { from: from ?? open, to: to ?? open })
  return {
    ...(from === undefined ? {} : { from: bounds.from.toISOString() }),
    ...(to === undefined ? {} : { to: bounds.to.toISOString() }),
  }
}

/**
 * The consignment stock ledger over HTTP: deliveries (surat jalan) and receipts, in-venue
 * sales, reservations, returns, damage and loss, counts (stok opname), transfers, and what
 * each side sees. Every write is scoped to the caller's party; another party's ids are 404.
 */
/** The venue's stock view with what it owes each producer, read from the money ledger. */
const venueStockWithMoney = venueStockSchema
  .extend({
    producers: z.array(
      venueStockSchema.shape.producers.element.extend({
        owed: z
          .array(
            z.object({
              currency: z.string(),
              amount: z.object({ amount: z.number().int(), currency: z.string() }),
              requested: z.object({ amount: z.number().int(), currency: z.string() }),
            }),
          )
          .describe(
            'What you hold for this producer (counter sales, damage), per currency; `requested`: asked by a remittance not yet confirmed',
          ),
      }),
    ),
  })
  .meta({ id: 'VenueStock' })

export function registerStockRoutes(app: OpenAPIHono<AppEnv>, db: Database): void {
  const tags = ['stock']

  // Deliveries: the producer sends, the venue counts what arrived.
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/deliveries',
      operationId: 'createDelivery',
      summary: 'Send a delivery note (surat jalan) to a venue',
      tags,
      body: sendDeliverySchema.meta({ id: 'CreateDeliveryRequest' }),
      response: delivery,
      status: 201,
    },
    (c, { body }) => sendDelivery(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/deliveries/{id}/receive',
      operationId: 'receiveDelivery',
      summary: 'Confirm receipt with the counted quantities (discrepancies are kept)',
      tags,
      params: byId('dlv'),
      body: receiveDeliverySchema.meta({ id: 'ReceiveDeliveryRequest' }),
      response: delivery,
    },
    (c, { params, body }) => receiveDelivery(db, scopeOf(c), params.id, body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/deliveries/{id}/cancel',
      operationId: 'cancelDelivery',
      summary: 'Cancel a delivery not yet received',
      tags,
      params: byId('dlv'),
      response: delivery,
    },
    (c, { params }) => cancelDelivery(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/deliveries/{id}',
      operationId: 'getDelivery',
      summary: 'One delivery',
      tags,
      params: byId('dlv'),
      response: delivery,
    },
    (c, { params }) => getDelivery(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/deliveries',
      operationId: 'listDeliveries',
      summary: 'Deliveries you sent or received',
      tags,
      query: listDeliveriesQuerySchema,
      response: listOf(delivery, 'DeliveryList'),
    },
    async (c, { query }) => list(await listDeliveries(db, scopeOf(c), query)),
  )

  // Sales at the counter and reservations for online checkout.
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/sales',
      operationId: 'recordSale',
      summary:
        'Record a sale in the venue (cash or QRIS, with the receipt number); its split is posted in the same transaction, a QRIS sale with its payment fee',
      tags,
      // The merchant class belongs to the venue's own QRIS account, which only the venue's
      // till knows; mitra keeps no per-venue payment settings.
      body: recordSaleSchema
        .extend({
          qris_merchant_class: z
            .enum(merchantClasses)
            .optional()
            .describe(
              'The venue’s QRIS merchant class: `regular` (default, 0.7 %) or `umi`, a micro merchant (0 % up to Rp100.000, 0.3 % above). Only for QRIS sales.',
            ),
        })
        .refine((sale) => sale.channel === 'qris' || sale.qris_merchant_class === undefined, {
          path: ['qris_merchant_class'],
          message: 'only a QRIS sale has a merchant class',
        })
        .openapi('RecordSaleRequest'),
      response: postedSale,
      status: 201,
    },
    async (c, { body }) => {
      const { qris_merchant_class: merchantClass, ...sale } = body
      const posted = await sellAtCounter(db, scopeOf(c), sale, {
        feeSchedule: c.get('feeSchedule'),
        ...(merchantClass === undefined ? {} : { merchantClass }),
      })
      return postedSaleView(posted)
    },
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/sales',
      operationId: 'listSales',
      summary:
        'Sales at your venue with every line, or sales of your goods with only your lines; newest first',
      tags,
      query: listSalesQuery,
      response: listOf(sale, 'SaleList'),
    },
    async (c, { query }) => {
      const { from, to, ...rest } = query
      return list(await listSales(db, scopeOf(c), { ...rest, ...soldBetween(from, to) }))
    },
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/sales/{id}',
      operationId: 'getSale',
      summary: 'One sale, as `listSales` shows it to you',
      tags,
      params: byId('sale'),
      response: sale,
    },
    (c, { params }) => getSale(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/reservations',
      operationId: 'createReservation',
      summary: 'Hold stock for a checkout, for a limited time',
      tags,
      body: reserveSchema.meta({ id: 'CreateReservationRequest' }),
      response: reservation,
      status: 201,
    },
    (c, { body }) => reserve(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/reservations/{id}/convert',
      operationId: 'convertReservation',
      summary: 'Turn a reservation into a sale and post its split',
      tags,
      params: byId('rsv'),
      body: convertReservationSchema.meta({ id: 'ConvertReservationRequest' }),
      response: postedSale,
    },
    async (c, { params, body }) =>
      postedSaleView(await completeReservationSale(db, scopeOf(c), params.id, body)),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/reservations/{id}/release',
      operationId: 'releaseReservation',
      summary: 'Give a reservation’s stock back',
      tags,
      params: byId('rsv'),
      response: reservation,
    },
    (c, { params }) => releaseReservation(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/reservations/{id}',
      operationId: 'getReservation',
      summary: 'One reservation',
      tags,
      params: byId('rsv'),
      response: reservation,
    },
    (c, { params }) => getReservation(db, scopeOf(c), params.id),
  )

  // Stock going back, written off, counted, or moved between venues.
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/returns',
      operationId: 'createReturn',
      summary: 'Request a return of goods to the producer',
      tags,
      body: requestReturnSchema.meta({ id: 'CreateReturnRequest' }),
      response: stockReturn,
      status: 201,
    },
    (c, { body }) => requestReturn(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/returns/{id}/confirm',
      operationId: 'confirmReturn',
      summary: 'Confirm a return with the quantities handed back',
      tags,
      params: byId('ret'),
      body: confirmReturnSchema.meta({ id: 'ConfirmReturnRequest' }),
      response: stockReturn,
    },
    (c, { params, body }) => confirmReturn(db, scopeOf(c), params.id, body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/returns/{id}/cancel',
      operationId: 'cancelReturn',
      summary: 'Cancel a return request',
      tags,
      params: byId('ret'),
      response: stockReturn,
    },
    (c, { params }) => cancelReturn(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/returns/{id}',
      operationId: 'getReturn',
      summary: 'One return',
      tags,
      params: byId('ret'),
      response: stockReturn,
    },
    (c, { params }) => getReturn(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/returns',
      operationId: 'listReturns',
      summary: 'Returns you are part of',
      tags,
      query: listReturnsQuerySchema,
      response: listOf(stockReturn, 'StockReturnList'),
    },
    async (c, { query }) => list(await listReturns(db, scopeOf(c), query)),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/write_offs',
      operationId: 'recordWriteOff',
      summary:
        'Record damage or loss; the agreement’s liability decides who owes the producer, posted to the ledger',
      tags,
      body: recordWriteOffSchema.meta({ id: 'RecordWriteOffRequest' }),
      response: z
        .object({
          obligations: z.array(obligationSchema.extend({ transaction_id: z.string().nullable() })),
        })
        .openapi('WriteOffResult'),
      status: 201,
    },
    async (c, { body }) => ({
      obligations: (await writeOffWithLiability(db, scopeOf(c), body)).map(
        ({ obligation, transaction }) => ({
          ...obligation,
          transaction_id: transaction?.id ?? null,
        }),
      ),
    }),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/obligations',
      operationId: 'listObligations',
      summary: 'What is owed to producers for damage and loss',
      tags,
      query: listObligationsQuerySchema,
      response: listOf(obligationSchema, 'ObligationList'),
    },
    async (c, { query }) => list(await listObligations(db, scopeOf(c), query)),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/counts',
      operationId: 'recordStockCount',
      summary: 'Record a stock count (stok opname): differences become adjustments',
      tags,
      body: recordCountSchema.meta({ id: 'RecordStockCountRequest' }),
      response: stockCountSchema.meta({ id: 'StockCount' }),
      status: 201,
      role: 'owner',
    },
    (c, { body }) => recordCount(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/transfers',
      operationId: 'createTransfer',
      summary: 'Send stock to another venue of the same producer',
      tags,
      body: requestTransferSchema.meta({ id: 'CreateTransferRequest' }),
      response: transfer,
      status: 201,
    },
    (c, { body }) => requestTransfer(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/transfers/{id}/receive',
      operationId: 'receiveTransfer',
      summary: 'Confirm a transfer at the receiving venue',
      tags,
      params: byId('trf'),
      response: transfer,
    },
    (c, { params }) => receiveTransfer(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/transfers/{id}/cancel',
      operationId: 'cancelTransfer',
      summary: 'Cancel a transfer not yet received',
      tags,
      params: byId('trf'),
      response: transfer,
    },
    (c, { params }) => cancelTransfer(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/transfers/{id}',
      operationId: 'getTransfer',
      summary: 'One transfer',
      tags,
      params: byId('trf'),
      response: transfer,
    },
    (c, { params }) => getTransfer(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/transfers',
      operationId: 'listTransfers',
      summary: 'Transfers you are part of',
      tags,
      query: listTransfersQuerySchema,
      response: listOf(transfer, 'TransferList'),
    },
    async (c, { query }) => list(await listTransfers(db, scopeOf(c), query)),
  )

  // What each side sees: the same numbers, derived live from the ledger.
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/stock/producer',
      operationId: 'getProducerStock',
      summary: 'Your goods at every venue: on hand, reserved, sold, aging, discrepancies',
      tags,
      query: stockViewQuerySchema,
      response: producerStockSchema.meta({ id: 'ProducerStock' }),
    },
    (c, { query }) => producerStock(db, scopeOf(c), query),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/cluster/stock',
      operationId: 'getClusterStock',
      summary:
        'Your members’ goods at every venue (a cluster or cooperative): on hand, sold, aging',
      tags,
      query: stockViewQuerySchema,
      response: z
        .object({
          cluster_id: z.string(),
          members: z.array(
            z.object({
              producer_id: z.string(),
              producer_name: z.string(),
              stock: producerStockSchema.meta({ id: 'ProducerStock' }),
            }),
          ),
        })
        .meta({ id: 'ClusterStock' }),
    },
    async (c, { query }) => {
      const cluster = await getParty(db, scopeOf(c).partyId)
      if (cluster.kind !== 'cluster') {
        throw new MitraError('forbidden', `Only a cluster may do this; you are a ${cluster.kind}`)
      }
      // Each member's own view, as the member's staff would read it: one rule for both.
      const members = await listClusterMembers(db, cluster.id)
      return {
        cluster_id: cluster.id,
        members: await Promise.all(
          members.map(async (member) => ({
            producer_id: member.id,
            producer_name: member.name,
            stock: await producerStock(db, { partyId: member.id, role: 'staff' }, query),
          })),
        ),
      }
    },
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/stock/venue',
      operationId: 'getVenueStock',
      summary:
        'Goods at your venue by producer: on hand, sold, and what you owe each (from the ledger)',
      tags,
      query: stockViewQuerySchema,
      response: venueStockWithMoney,
    },
    async (c, { query }) => {
      const stock = await venueStock(db, scopeOf(c), query)
      const owed = await owedByHolder(db, stock.venue_id)
      return {
        ...stock,
        producers: stock.producers.map((producer) => ({
          ...producer,
          owed: owed.get(producer.producer_id) ?? [],
        })),
      }
    },
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/stock/movements',
      operationId: 'listStockMovements',
      summary: 'Every stock movement with who and when',
      tags,
      query: listMovementsQuerySchema,
      response: listOf(movementSchema, 'MovementList'),
    },
    async (c, { query }) => list(await listMovements(db, scopeOf(c), query)),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/stock/aging',
      operationId: 'getStockAging',
      summary: 'Lots by age: expiring and expired, with markdown prices',
      tags,
      query: lotsQuerySchema,
      response: lotsReportSchema.meta({ id: 'LotsReport' }),
    },
    (c, { query }) => agingReport(db, scopeOf(c), query),
  )

  // The widget's question: what can be bought at this venue right now? Live, never cached.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/store/venues/{venue_id}/available',
      operationId: 'listAvailableAtVenue',
      summary: 'Variants available at a venue right now',
      tags: ['store'],
      security: publishableKeySecurity,
      request: { params: z.object({ venue_id: idSchema('pty') }), query: availableQuerySchema },
      responses: {
        200: json(listOf(availableVariantSchema, 'AvailableList'), 'Available variants'),
        ...problemResponses,
      },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store')
      const page = await availableAtVenue(db, c.req.valid('param').venue_id, c.req.valid('query'))
      return c.json(list(page) as never, 200)
    },
  )
}
