export {
  type AgreementInForce,
  acceptAgreement,
  agreementInForce,
  getAgreement,
  getAgreementVersion,
  getAgreementVersions,
  listAgreements,
  proposeAgreement,
  proposeAmendment,
  rejectProposal,
  requireAgreementInForce,
  sendProposal,
  terminateAgreement,
  updateDraft,
  versionKey,
  withdrawProposal,
} from './agreements.js'
export { getPartnerProfile, listPartners, upsertPartnerProfile } from './directory.js'
export { canonicalJson, termsHash } from './hash.js'
export {
  type AgreementAction,
  type AgreementSide,
  type AgreementSnapshot,
  applyAgreementAction,
  closedAgreementStatuses,
  draftAgreement,
  hasAccepted,
  openVersion,
  type VersionSnapshot,
  versionInForce,
} from './lifecycle.js'
export * from './schemas.js'
