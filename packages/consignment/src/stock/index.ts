export {
  type AgingLot,
  type DiscountSplit,
  dayMs,
  daysOnConsignment,
  expiredLots,
  expiringLots,
  isExpired,
  type LotAge,
  type LotAgeState,
  lotAge,
  type Markdown,
  type MarkdownStep,
  markdownBps,
  markdownPrice,
  splitByBearer,
} from './aging.js'
export {
  applyDelta,
  availableOf,
  balanceOf,
  canApply,
  deltaOf,
  emptyBalance,
  fifoOrder,
  isValidBalance,
  type LotTake,
  type OpenLot,
  type StockBalance,
  type StockDelta,
  type StockOperation,
  takeFifo,
} from './arithmetic.js'
export { recordCount } from './counts.js'
export {
  cancelDelivery,
  getDelivery,
  listDeliveries,
  receiveDelivery,
  sendDelivery,
} from './deliveries.js'
export { agingReport, type RaiseExpiryOptions, raiseExpiryReturns } from './expiry.js'
export type { At, StockScope } from './internal.js'
export { quoteAtVenue, quoteAtVenues, type VariantQuote } from './quotes.js'
export {
  type RefundedGoodsLine,
  type RefundedGoodsRequest,
  type RefundedSaleLine,
  recordRefundedGoods,
} from './refunded-goods.js'
export {
  type ConversionRequest,
  convertReservation,
  convertReservations,
  getReservation,
  type ReleaseExpiredOptions,
  type ReservationRequest,
  releaseExpiredReservations,
  releaseReservation,
  reserve,
  reserveMany,
} from './reservations.js'
export { cancelReturn, confirmReturn, getReturn, listReturns, requestReturn } from './returns.js'
export { getSale, listSales, recordSale, salePrice } from './sales.js'
export * from './schemas.js'
export { type RemainingStockReturn, requestReturnOfRemainingStock } from './termination.js'
export {
  cancelTransfer,
  getTransfer,
  listTransfers,
  receiveTransfer,
  requestTransfer,
} from './transfers.js'
export {
  availableAtVenue,
  type LedgerMismatch,
  listMovements,
  producerStock,
  productsOnShelf,
  reconcileStock,
  type ShelfEntry,
  shelvesOfProduct,
  startOfMonthWib,
  venueStock,
  venuesSelling,
} from './views.js'
export { type Liability, liabilityFor, listObligations, recordWriteOff } from './write-offs.js'
