export * from './batches.js'
export * from './cancellation.js'
export * from './carts.js'
export * from './demo-bank.js'
export * from './ledger-entries.js'
export * from './order-state.js'
export {
  assertOrderToken,
  fulfilOrder,
  getOrder,
  listOrders,
  type OrderLineView,
  type OrderView,
  type OrderViewer,
  orderTokenMatches,
  type PlaceOrderOptions,
  placeOrder,
} from './orders.js'
export * from './payments.js'
export type { ProviderRegistry } from './providers.js'
export * from './refund-worker.js'
export * from './refunds.js'
export {
  isRemittancePayment,
  openRemittancePayment,
} from './remittance-payments.js'
export * from './schemas.js'
export * from './settings.js'
