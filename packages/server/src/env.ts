import type { FeeSchedule } from '@mitra/payments'
import type { Principal } from './auth/keys.js'

/** What middleware hands to handlers through the Hono context. */
export type AppEnv = {
  Variables: {
    requestId: string
    principal: Principal
    /** What payments cost, by method: the payment providers' schedule (counter QRIS sales). */
    feeSchedule: FeeSchedule
    /** Tests: every answer is checked against its declared schema (a drift fails). */
    checkResponses: boolean
  }
}
