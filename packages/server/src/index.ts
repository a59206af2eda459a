export { type PaymentProviderRegistry, paymentProvidersFromEnv } from '@mitra/payments'
export { type App, type AppOptions, createApp } from './app.js'
export {
  authenticate,
  createApiKey,
  ensurePublishableKey,
  hashToken,
  type Principal,
  revokeApiKey,
} from './auth/keys.js'
export { ensurePlatform, type PlatformBootstrap, platformPublishableKey } from './bootstrap.js'
export { payoutProvidersFromEnv } from './config.js'
export type { AppEnv } from './env.js'
export { problemResponse, toMitraError } from './errors.js'
export { purgeIdempotencyKeys } from './idempotency/middleware.js'
export type { WidgetSource } from './routes/widget.js'
export { listen, type RunningServer } from './serve.js'
export { startWorkers, type WorkerOptions, type Workers } from './workers.js'
