import { isId, money } from '@mitra/core'
import type { Executor } from '@mitra/db'
import type { ProviderName } from '@mitra/payments'
import {
  type Remittance,
  type RemittanceScope,
  receiveRemittancePayment,
  remittanceToPay,
} from '@mitra/revenue-share'
import type { PaymentFacts, PaymentOutcome } from './payments.js'
import type { ProviderRegistry } from './providers.js'

/*
 * A venue pays what it owes the platform through a payment link: a checkout session of the
 * provider (QRIS, a virtual account, a card) for the remittance, in the same window. The
 * provider's webhook comes back through checkout's webhook endpoint; an event that names a
 * remittance (`rem_…`) rather than an order records and confirms it.
 */

/** Whether a provider event's order id names a remittance. */
export function isRemittancePayment(orderId: string): boolean {
  return isId(orderId, 'rem')
}

/** How long a payment link stays open. */
const linkHours = 24

/**
 * Opens a payment link for a remittance the holder owes the platform: a checkout session of
 * the provider for exactly what is due. Opening it again returns the same session (one
 * idempotency key per remittance and provider).
 */
export async function openRemittancePayment(
  db: Executor,
  providers: ProviderRegistry,
  scope: RemittanceScope,
  remittanceId: string,
  input: { provider: ProviderName; returnUrl: string },
  now = new Date(),
): Promise<{ remittance: Remittance; provider: ProviderName; redirect_url: string }> {
  const remittance = await remittanceToPay(db, scope, remittanceId)
  const provider = providers.get(input.provider)
  const session = await provider.createCheckout({
    orderId: remittance.id,
    currency: remittance.amount.currency,
    lines: [
      {
        id: remittance.id,
        name: `Setoran ${remittance.id}`,
        unitAmount: remittance.amount.amount,
        quantity: 1,
      },
    ],
    total: remittance.amount.amount,
    successUrl: input.returnUrl,
    cancelUrl: input.returnUrl,
    expiresAt: new Date(now.getTime() + linkHours * 3_600_000),
    idempotencyKey: `remittance-${remittance.id}-${input.provider}`,
  })
  return { remittance, provider: input.provider, redirect_url: session.redirectUrl }
}

/**
 * What a provider says about a remittance's payment link, in the caller's transaction: paid in
 * full → recorded and confirmed; anything else changes nothing.
 */
export async function applyRemittancePayment(
  tx: Executor,
  remittanceId: string,
  facts: PaymentFacts,
  provider: string,
): Promise<PaymentOutcome> {
  if (facts.state !== 'paid' || facts.amount === null || facts.currency === null) return 'ignored'
  const outcome = await receiveRemittancePayment(tx, {
    remittanceId,
    amount: money(facts.amount, facts.currency),
    fee: facts.fee,
    reference: `${provider} ${facts.paymentId ?? remittanceId}`,
    by: provider,
  })
  if (outcome === 'unknown') return 'unknown_order'
  return outcome === 'received' ? 'remittance_received' : 'ignored'
}
