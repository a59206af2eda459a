export {
  type PaymentProviderRegistry,
  type PaymentProvidersOptions,
  paymentProvidersFromEnv,
} from './config.js'
export {
  createDemoProvider,
  DemoBank,
  type DemoBankStore,
  type DemoBankTransaction,
  DemoPaymentProvider,
  type DemoProviderOptions,
  type DemoRefund,
  type DemoSession,
  type DemoWebhook,
  demoEventSchema,
  demoSignatureHeader,
  MemoryDemoBankStore,
  signDemoWebhook,
} from './demo.js'
export {
  defaultFeeSchedule,
  type FeeRule,
  type FeeSchedule,
  type FeeScheduleInput,
  feeScheduleSchema,
  isPaymentMethod,
  type MerchantClass,
  merchantClasses,
  type PaymentMethod,
  parseFeeSchedule,
  paymentFeeOf,
  paymentMethods,
} from './fees.js'
export {
  createMidtransProvider,
  MidtransPaymentProvider,
  type MidtransProviderConfig,
  midtransBaseUrls,
  midtransNotificationSchema,
  midtransSignature,
  midtransState,
} from './midtrans.js'
export {
  createStripeProvider,
  StripePaymentProvider,
  type StripeProviderConfig,
  stripeProviderError,
} from './stripe.js'
export type {
  CheckoutLine,
  CheckoutRequest,
  CheckoutSession,
  PaymentEvent,
  PaymentProvider,
  PaymentState,
  PaymentStatus,
  ProviderName,
  RefundEvent,
  RefundRef,
  RefundRequest,
  RefundResult,
  WebhookRequest,
} from './types.js'
export { isRefundEvent, providerNames } from './types.js'
