// Test fixtures for the checkout tests (not exported, not built).
import { createParty } from '@mitra/catalog'
import { availableAtVenue } from '@mitra/consignment'
import type { Executor } from '@mitra/db'
import {
  DemoBank,
  DemoPaymentProvider,
  type DemoWebhook,
  MemoryDemoBankStore,
} from '@mitra/payments'
import { platformParty } from '@mitra/revenue-share'
import { partners, stockUp, type TestParty } from '../../consignment/src/stock/testing.js'
import { createCart, setCartLine } from './carts.js'
import { placeOrder } from './orders.js'
import { receiveWebhook } from './payments.js'
import type { ProviderRegistry } from './providers.js'
import { setVenueCheckoutSettings } from './settings.js'

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
    names: () => ['demo'],
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

export const buyer = { name: 'Sari', email: 'sari@example.id' }

/** Checkout input for delivery to the buyer. */
export const delivered = {
  fulfilment: 'delivery',
  delivery_address: {
    recipient: 'Sari',
    phone: '0812 3456 789',
    line1: 'Jl. Kaliurang 5',
    city: 'Sleman',
    postal_code: '55581',
  },
} as const

/** The shop's venue delivers too, at a flat `rate` in rupiah. */
export function deliveryAt(db: Executor, s: Shop, rate: number) {
  return setVenueCheckoutSettings(db, s.venue.owner, {
    currency: 'IDR',
    pickup: true,
    delivery_rate: { amount: rate, currency: 'IDR' },
  })
}

/**
 * A test's checkout on `db`: the demo provider with its own bank on a clock the test moves
 * (from 2026-11-20 03:00 UTC), and the buyer's side (`checkoutDriver`).
 */
export function checkoutTestbed(db: () => Executor) {
  const clock = { now: new Date('2026-11-20T03:00:00Z') }
  const bankStore = new MemoryDemoBankStore()
  const { demo, registry } = demoProviders(clock, new DemoBank(bankStore))
  return { clock, demo, registry, bankStore, ...checkoutDriver(db, clock, demo, registry) }
}

/** The memory store under a test's demo provider (`checkoutTestbed` gives it one). */
function memoryStoreOf(demo: DemoPaymentProvider): MemoryDemoBankStore {
  const store = demo.bank.store
  if (!(store instanceof MemoryDemoBankStore)) throw new Error('the demo bank is not in memory')
  return store
}

/** The demo session of an order, as it stands now (a bank in memory). */
export function demoSessionOf(demo: DemoPaymentProvider, orderId: string) {
  const session = memoryStoreOf(demo)
    .sessions()
    .find((s) => s.orderId === orderId)
  if (session === undefined) throw new Error(`no demo session for ${orderId}`)
  return session
}

/**
 * The bank takes an order's closed session back to open, as a bank settling a payment late
 * does, so the test can pay it.
 */
export function reopenDemoSession(demo: DemoPaymentProvider, orderId: string): string {
  const session = demoSessionOf(demo, orderId)
  memoryStoreOf(demo).alter(session.sessionId, { state: 'pending', lastWebhook: null })
  return session.sessionId
}

/** Drives the buyer's side of checkout against the demo provider, at the test's clock. */
export function checkoutDriver(
  db: () => Executor,
  clock: { now: Date },
  demo: DemoPaymentProvider,
  registry: ProviderRegistry,
) {
  return {
    /** Units of `variantId` the venue can still sell. */
    async available(s: Shop, variantId: string): Promise<number> {
      const page = await availableAtVenue(db(), s.venue.id, {})
      return page.data.find((row) => row.variant_id === variantId)?.available ?? 0
    },
    /** A cart at the venue's widget with `quantity` of the first variant, checked out. */
    async ordered(
      s: Shop,
      quantity = 2,
      extra: Record<string, unknown> = {},
      providers: ProviderRegistry = registry,
    ) {
      const channel = { channelId: s.venue.id }
      const cart = await createCart(db(), channel, { now: clock.now })
      const line = { variant_id: s.variants[0] as string, venue_id: s.venue.id, quantity }
      await setCartLine(db(), channel, cart.id, line, { now: clock.now })
      return placeOrder(
        db(),
        providers,
        channel,
        cart.id,
        { fulfilment: 'pickup', customer: buyer, provider: 'demo', ...extra },
        { now: clock.now },
      )
    },
    /** The demo provider's signed webhook, received (on a venue's own endpoint: `accountId`). */
    async deliver(
      webhook:
        | Pick<DemoWebhook, 'body' | 'headers'>
        | Promise<Pick<DemoWebhook, 'body' | 'headers'>>,
      via: { providers?: ProviderRegistry; accountId?: string } = {},
    ) {
      const hook = await webhook
      const request = { rawBody: hook.body, headers: new Headers(hook.headers) }
      return receiveWebhook(db(), via.providers ?? registry, 'demo', request, {
        now: clock.now,
        ...(via.accountId === undefined ? {} : { accountId: via.accountId }),
      })
    },
    sessionOf(orderId: string): string {
      return demoSessionOf(demo, orderId).sessionId
    },
  }
}
