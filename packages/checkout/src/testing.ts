// Test fixtures for the checkout tests (not exported, not built).
import { createParty } from '@mitra/catalog'
import type { Executor } from '@mitra/db'
import { type DemoBank, DemoPaymentProvider } from '@mitra/payments'
import { platformParty } from '@mitra/revenue-share'
import { partners, stockUp, type TestParty } from '../../consignment/src/stock/testing.js'
import type { ProviderRegistry } from './providers.js'

export { expectMitraError } from '@mitra/db/testing'

export const webhookSecret = 'demo-test-secret'

/** A registry holding just the demo provider, with a clock the test moves. */
export function demoProviders(clock: { now: Date }, bank?: DemoBank) {
  const demo = new DemoPaymentProvider({
    baseUrl: 'http://shop.test',
    webhookSecret,
    now: () => clock.now,
    ...(bank === undefined ? {} : { bank }),
  })
  const registry: ProviderRegistry = {
    get: (name) => {
      if (name !== 'demo') throw new Error(`no ${name} provider in this test`)
      return demo
    },
  }
  return { demo, registry }
}

/** The platform party exists once per database (online sales are collected by it). */
export async function ensurePlatform(db: Executor): Promise<void> {
  if ((await platformParty(db)) !== null) return
  await createParty(db, {
    kind: 'platform',
    name: 'Mitra platform',
    slug: `platform-${Date.now()}`,
  })
}

export interface Shop {
  producer: TestParty
  venue: TestParty
  variants: string[]
}

/** A producer and a venue in business, with `stock` units of each of two variants at the venue. */
export async function shop(db: Executor, stock = 10, now?: Date): Promise<Shop> {
  await ensurePlatform(db)
  const { producer, venue, variants } = await partners(db, { count: 2 })
  await stockUp(
    db,
    producer,
    venue,
    variants.map((variant_id) => ({ variant_id, quantity: stock })),
    now,
  )
  return { producer, venue, variants }
}
