export {
  type ExplainedCollection,
  type ExplainedReversal,
  type ExplainedShare,
  explainShare,
  type ShareExplanationForParty,
} from './explain.js'
export {
  type AgreementPolicy,
  type ConsignmentPolicyOptions,
  consignmentPolicyId,
  platformParty,
  policyForTerms,
  type VatStatus,
} from './policy.js'
export {
  type ConsignmentSaleOptions,
  completeReservationSale,
  completeReservationSales,
  type PostedConsignmentSale,
  type PostedSaleLine,
  type ReservationSale,
  saleLineIdOf,
  sellAtVenue,
} from './sales.js'
export { type PostedObligation, writeOffWithLiability } from './write-offs.js'
