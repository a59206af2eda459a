import type { PaymentProvider, ProviderName } from '@mitra/payments'

/**
 * Where checkout finds a provider: by name, for the account that sells (a venue with keys
 * of its own, else the platform's). `@mitra/payments`' configuration builds one.
 */
export interface ProviderRegistry {
  get(name: ProviderName, accountId?: string): PaymentProvider
  /** The providers that are on: a checkout may name only these. */
  names(): ProviderName[]
  /** Whether the venue's own account takes this provider's payments (default: no). */
  ownAccount?(name: ProviderName, accountId: string): boolean
}
