import type { ConsignmentTermsInput } from './terms.js'

/** Terms a test can start from: 20 % commission, 90 days + 14 grace, return at expiry. */
export const sampleTerms = {
  commission: { kind: 'percent', bps: 2000 },
  payment_fee_bearer: 'shared',
  markdown_bearer: 'producer',
  settlement_cycle: 'monthly',
  consignment_days: 90,
  grace_days: 14,
  on_expiry: 'return',
  damage_liability: 'venue',
  loss_liability: 'venue',
  minimum_payout: { amount: 50_000, currency: 'IDR' },
} as const satisfies ConsignmentTermsInput

/**
 * Terms for tests that settle a month: 20 % to the café, payment fees borne by the producer,
 * no grace days, and the café remits the cash it takes at its counter through the platform.
 */
export const platformRemittanceTerms = {
  commission: { kind: 'percent', bps: 2_000 },
  payment_fee_bearer: 'producer',
  markdown_bearer: 'producer',
  settlement_cycle: 'monthly',
  consignment_days: 90,
  on_expiry: 'return',
  damage_liability: 'venue',
  loss_liability: 'venue',
  minimum_payout: { amount: 50_000, currency: 'IDR' },
  remittance: 'platform',
} as const satisfies ConsignmentTermsInput
