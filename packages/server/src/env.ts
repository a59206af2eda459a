import type { Principal } from './auth/keys.js'

/** What middleware hands to handlers through the Hono context. */
export type AppEnv = {
  Variables: {
    requestId: string
    principal: Principal
  }
}
