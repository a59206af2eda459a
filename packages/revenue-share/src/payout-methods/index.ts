export type { RetryOptions } from '@mitra/core'
export {
  getPayoutDestination,
  listPayoutDestinations,
  type PayoutDestination,
  type PayoutDestinationInput,
  payoutDestinationInputSchema,
  setPayoutDestination,
} from './destinations.js'
export {
  approveIrisPayout,
  type ExecutePayoutInput,
  executePayout,
  failManualPayout,
  getPayoutExecution,
  handleIrisNotification,
  handleStripeWebhook,
  type PayoutActor,
  type PayoutExecution,
  type PayoutProviders,
  recordManualPayout,
  type WebhookResult,
} from './executions.js'
export {
  type IrisConfig,
  type IrisNotification,
  irisBaseUrls,
  irisNotificationSchema,
  irisSignature,
  toIrisAmount,
} from './iris.js'
export type { StripeTransferConfig } from './stripe.js'
