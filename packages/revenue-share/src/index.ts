export * from './collection.js'
export * from './consignment/index.js'
export * from './entries.js'
export { availableFunds } from './funds.js'
export * from './inti-plasma/index.js'
export * from './ledger.js'
export * from './payout-methods/index.js'
export * from './payouts.js'
export * from './policy.js'
export * from './position.js'
export * from './remittances.js'
export {
  getSettlement,
  listSettlements,
  type SettleInput,
  type Settlement,
  type SettlementRecord,
  settle,
} from './settlement.js'
export * from './split.js'
export * from './statement-html.js'
export * from './statement-reviews.js'
export * from './statements.js'
export * from './subcontract.js'
export * from './subcontracts-store.js'
