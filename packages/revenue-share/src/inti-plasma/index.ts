export {
  postSettlementDeductions,
  type SettlementDeductionsInput,
  settlementDeductionSourceId,
} from './deductions.js'
export { type PurchaseEntryInput, purchaseEntry } from './entries.js'
export * from './partnerships.js'
export * from './terms.js'
