import { quoteAtVenue, quoteAtVenues, type VariantQuote } from '@mitra/consignment'
import {
  type CurrencyCode,
  MitraError,
  type Money,
  multiply as multiplyMoney,
  newId,
  notFound,
  parseInput,
  sum as sumMoney,
} from '@mitra/core'
import {
  atomically,
  type CartLineRow,
  type CartRow,
  cartLines,
  carts,
  type Executor,
  insertRows,
  isOneOf,
  parties,
  productVariants,
  venueCheckoutSettings as venueSettingsTable,
} from '@mitra/db'
import { and, asc, eq, sql } from 'drizzle-orm'
import type { z } from 'zod'
import { type CartLineInput, cartLineInputSchema } from './schemas.js'
import {
  settingsOf,
  type VenueCheckoutSettings,
  type VenueSettingsRow,
  venueCheckoutSettingsOf,
} from './settings.js'

/** The channel a cart belongs to: the publishable key's party (a venue's widget, a shop …). */
export interface ChannelScope {
  channelId: string
  /**
   * Who is buying, for the per-buyer hold limit: a keyed hash of the client's address
   * (`orders.buyer_key`). Without it only the per-order limit applies.
   */
  buyerKey?: string
}

export interface CartLineView {
  venue_id: string
  variant_id: string
  producer_id: string | null
  product_id: string | null
  name: string | null
  /** The product's title in Indonesian and (when written) English; null if not sold here. */
  title: { id: string; en: string | null } | null
  sku: string | null
  quantity: number
  unit_price: Money | null
  list_price: Money | null
  line_total: Money | null
  available: number
  /** Why the line cannot be bought now (no agreement in force, no price …), else null. */
  problem: { code: string; detail: string } | null
}

export interface CartVenueView {
  venue_id: string
  /** The venue's name, for the buyer to see where each group of lines comes from. */
  name: string
  currency: CurrencyCode
  pickup: boolean
  delivery_rate: Money | null
  subtotal: Money
}

export interface CartView {
  id: string
  channel_id: string
  status: CartRow['status']
  /** The last order placed from this cart. */
  order_id: string | null
  lines: CartLineView[]
  /** One entry per venue: an order is placed per venue, in its currency. */
  venues: CartVenueView[]
  created_at: string
  updated_at: string
}

/**
 * A checked-out cart is done: it takes no more lines, no changes and no second checkout
 * (409 `cart_checked_out` naming the URL's `cart_id`, and nothing changes). The buyer starts
 * a new cart. (A provider that fails to open the payment gives the cart back open.)
 */
export function assertCartOpen(cart: CartRow): void {
  if (cart.status !== 'checked_out') return
  const order = cart.orderId === null ? '' : ` as order '${cart.orderId}'`
  const message = `Cart '${cart.id}' was checked out${order}; start a new cart`
  throw new MitraError('cart_checked_out', message, {
    errors: [{ path: 'cart_id', code: 'cart_checked_out', message: 'already checked out' }],
    extensions: { order_id: cart.orderId },
  })
}

/** The channel's cart, locked for the rest of the transaction when `lock`; else 404. */
export async function cartOf(
  db: Executor,
  scope: ChannelScope,
  cartId: string,
  lock = false,
): Promise<CartRow> {
  const query = db
    .select()
    .from(carts)
    .where(and(eq(carts.id, cartId), eq(carts.channelId, scope.channelId)))
  const [row] = lock ? await query.for('update') : await query
  if (row === undefined) throw notFound('cart', cartId)
  return row
}

const quoteKey = (venueId: string, variantId: string) => `${venueId}/${variantId}`

async function quoteOne(
  db: Executor,
  line: CartLineRow,
  now: Date,
): Promise<VariantQuote | MitraError> {
  try {
    const [quote] = await quoteAtVenue(db, line.venueId, [line.variantId], { now })
    return quote as VariantQuote
  } catch (error) {
    if (!(error instanceof MitraError)) throw error
    return error
  }
}

/**
 * Prices every line at its venue now: all venues by one set of queries; when some line
 * cannot be sold, venue by venue, and a line the venue cannot sell is marked with its
 * error instead (found line by line only when its venue's fails).
 */
export async function quoteLines(
  db: Executor,
  lines: readonly CartLineRow[],
  now: Date,
  known: ReadonlyMap<string, VariantQuote> = new Map(),
): Promise<Map<CartLineRow, VariantQuote | MitraError>> {
  const out = new Map<CartLineRow, VariantQuote | MitraError>()
  const byVenue = new Map<string, CartLineRow[]>()
  for (const line of lines) {
    const quoted = known.get(quoteKey(line.venueId, line.variantId))
    if (quoted !== undefined) out.set(line, quoted)
    else byVenue.set(line.venueId, [...(byVenue.get(line.venueId) ?? []), line])
  }
  if (byVenue.size === 0) return out
  const venues = [...byVenue]
  try {
    const quotes = await quoteAtVenues(
      db,
      venues.map(([venueId, own]) => ({ venueId, variantIds: own.map((l) => l.variantId) })),
      { now },
    )
    venues.forEach(([, own], index) => {
      own.forEach((line, position) => {
        out.set(line, quotes[index]?.[position] as VariantQuote)
      })
    })
    return out
  } catch (error) {
    if (!(error instanceof MitraError)) throw error
  }
  for (const [venueId, own] of venues) {
    try {
      const quotes = await quoteAtVenue(
        db,
        venueId,
        own.map((line) => line.variantId),
        { now },
      )
      own.forEach((line, index) => {
        out.set(line, quotes[index] as VariantQuote)
      })
    } catch (error) {
      if (!(error instanceof MitraError)) throw error
      for (const line of own) out.set(line, await quoteOne(db, line, now))
    }
  }
  return out
}

function lineView(line: CartLineRow, quote: VariantQuote | MitraError | undefined): CartLineView {
  if (quote === undefined || quote instanceof MitraError) {
    return {
      venue_id: line.venueId,
      variant_id: line.variantId,
      producer_id: null,
      product_id: null,
      name: null,
      title: null,
      sku: null,
      quantity: line.quantity,
      unit_price: null,
      list_price: null,
      line_total: null,
      available: 0,
      problem: {
        code: quote?.code ?? 'unavailable',
        detail: quote?.message ?? 'not sold here',
      },
    }
  }
  const total = multiplyMoney(quote.unitPrice, line.quantity)
  return {
    venue_id: line.venueId,
    variant_id: line.variantId,
    producer_id: quote.producerId,
    product_id: quote.productId,
    name: quote.name,
    title: quote.title,
    sku: quote.sku,
    quantity: line.quantity,
    unit_price: quote.unitPrice,
    list_price: quote.listPrice,
    line_total: total,
    available: quote.available,
    problem:
      quote.available < line.quantity
        ? { code: 'insufficient_stock', detail: `only ${quote.available} available` }
        : null,
  }
}

function linesOfCart(db: Executor, cartId: string): Promise<CartLineRow[]> {
  return db
    .select()
    .from(cartLines)
    .where(eq(cartLines.cartId, cartId))
    .orderBy(asc(cartLines.addedAt), asc(cartLines.variantId))
}

async function cartView(
  db: Executor,
  cart: CartRow,
  now: Date,
  known?: ReadonlyMap<string, VariantQuote>,
  cartLinesRead?: CartLineRow[],
): Promise<CartView> {
  const lines = cartLinesRead ?? (await linesOfCart(db, cart.id))
  const [view] = await cartViews(db, [{ cart, lines }], now, known)
  return view as CartView
}

/** Many carts as the API shows them, every line priced now: one set of queries for all. */
async function cartViews(
  db: Executor,
  items: readonly { cart: CartRow; lines: CartLineRow[] }[],
  now: Date,
  known?: ReadonlyMap<string, VariantQuote>,
  settingsRows?: readonly VenueSettingsRow[],
): Promise<CartView[]> {
  const all = items.flatMap(({ lines }) => lines)
  const venueIds = all.map((line) => line.venueId)
  const [quotes, settings, names] = await Promise.all([
    quoteLines(db, all, now, known),
    settingsRows === undefined
      ? venueCheckoutSettingsOf(db, venueIds)
      : settingsOf(settingsRows, venueIds),
    venueIds.length === 0
      ? []
      : db
          .select({ id: parties.id, name: parties.name })
          .from(parties)
          .where(isOneOf(parties.id, [...new Set(venueIds)])),
  ])
  const nameOf = new Map(names.map((party) => [party.id, party.name]))
  return items.map(({ cart, lines }) => {
    const views = lines.map((line) => lineView(line, quotes.get(line)))
    const venues = [...new Set(lines.map((line) => line.venueId))].map((venueId) => {
      const venue = settings.get(venueId) as VenueCheckoutSettings
      const subtotal = sumMoney(
        views.flatMap((view) =>
          view.venue_id === venueId && view.line_total !== null ? [view.line_total] : [],
        ),
        venue.currency,
      )
      return {
        venue_id: venueId,
        name: nameOf.get(venueId) ?? '',
        currency: venue.currency,
        pickup: venue.pickup,
        delivery_rate: venue.delivery_rate,
        subtotal,
      }
    })
    return {
      id: cart.id,
      channel_id: cart.channelId,
      status: cart.status,
      order_id: cart.orderId,
      lines: views,
      venues,
      created_at: cart.createdAt.toISOString(),
      updated_at: cart.updatedAt.toISOString(),
    }
  })
}

/** A new, empty cart for the channel. */
export async function createCart(
  db: Executor,
  scope: ChannelScope,
  options: { now?: Date } = {},
): Promise<CartView> {
  const [view] = await createCarts(db, [scope], options.now ?? new Date())
  return view as CartView
}

/** New, empty carts, one per scope given, by one statement. */
export async function createCarts(
  db: Executor,
  scopes: readonly ChannelScope[],
  now: Date,
): Promise<CartView[]> {
  const rows = scopes.map(
    (scope): CartRow => ({
      id: newId('cart'),
      channelId: scope.channelId,
      status: 'open',
      orderId: null,
      createdAt: now,
      updatedAt: now,
    }),
  )
  await insertRows(db, carts, rows)
  return cartViews(
    db,
    rows.map((cart) => ({ cart, lines: [] })),
    now,
  )
}

/** The cart with every line priced now (the channel's own cart only). */
export async function getCart(
  db: Executor,
  scope: ChannelScope,
  cartId: string,
  options: { now?: Date } = {},
): Promise<CartView> {
  return cartView(db, await cartOf(db, scope, cartId), options.now ?? new Date())
}

/** What the channels of `calls` are, and who makes the variants they name (one round trip). */
function readChannels(db: Executor, calls: readonly CartLineCall[]) {
  return Promise.all([
    db
      .select({ id: parties.id, kind: parties.kind })
      .from(parties)
      .where(
        isOneOf(
          parties.id,
          calls.map((call) => call.scope.channelId),
        ),
      ),
    db
      .select({ id: productVariants.id, producerId: productVariants.partyId })
      .from(productVariants)
      .where(
        isOneOf(
          productVariants.id,
          calls.map((call) => call.data.variant_id),
        ),
      ),
  ])
}

/**
 * What a channel may sell: a venue's widget its own shelf, a producer's shop its own
 * goods, a cluster's its members' goods; the platform's storefront anything.
 */
function assertChannelsSell(
  calls: readonly CartLineCall[],
  [channels, variants]: Awaited<ReturnType<typeof readChannels>>,
): void {
  const kindOf = new Map(channels.map((channel) => [channel.id, channel.kind]))
  for (const { scope, data } of calls) {
    const kind = kindOf.get(scope.channelId)
    if (kind === undefined) throw notFound('party', scope.channelId)
    if (kind === 'venue' && data.venue_id !== scope.channelId) {
      throw notFound('venue', data.venue_id, 'venue_id')
    }
    const variant = variants.find((row) => row.id === data.variant_id)
    if (kind === 'producer' && variant?.producerId !== scope.channelId) {
      throw notFound('variant', data.variant_id, 'variant_id')
    }
  }
}

/** A line to set in a cart: the channel's cart and the input `cartLineInputSchema` parsed. */
export interface CartLineCall {
  scope: ChannelScope
  cartId: string
  data: z.output<typeof cartLineInputSchema>
}

/** A cart line's input parsed (a bad one is a 422 naming its field). */
export function cartLineCall(scope: ChannelScope, cartId: string, input: CartLineInput) {
  return { scope, cartId, data: parseInput(cartLineInputSchema, input) }
}

/** The quotes of many single lines; a line that cannot be sold names its fields. */
async function quoteCalls(
  db: Executor,
  calls: readonly CartLineCall[],
  now: Date,
): Promise<VariantQuote[]> {
  try {
    const quotes = await quoteAtVenues(
      db,
      calls.map(({ data }) => ({ venueId: data.venue_id, variantIds: [data.variant_id] })),
      { now },
    )
    return quotes.map((own) => own[0] as VariantQuote)
  } catch (error) {
    // The quote names `lines.0.*`; here the fields are top-level.
    if (error instanceof MitraError) {
      throw new MitraError(error.code, error.message, {
        errors: error.errors.map((e) => ({ ...e, path: e.path.replace(/^lines\.0\./, '') })),
        extensions: error.extensions,
      })
    }
    throw error
  }
}

/**
 * Sets lines in many carts at once, one per cart, in one transaction with one statement
 * per table for all (`setCartLine` for each); any one refused refuses them all.
 */
export async function setCartLines(
  db: Executor,
  calls: readonly CartLineCall[],
  now: Date,
): Promise<CartView[]> {
  const cartIds = calls.map((call) => call.cartId)
  if (new Set(cartIds).size !== cartIds.length) {
    // Each must see the cart as the one before left it: not a batch's work.
    throw new Error('one cart changed twice in one batch')
  }
  return atomically(db, async (tx) => {
    const locked = await tx
      .select()
      .from(carts)
      .where(isOneOf(carts.id, cartIds))
      .orderBy(asc(carts.id))
      .for('update')
    const cartOfCall = calls.map(({ scope, cartId }) => {
      const cart = locked.find((row) => row.id === cartId)
      if (cart === undefined || cart.channelId !== scope.channelId) throw notFound('cart', cartId)
      assertCartOpen(cart)
      return cart
    })
    // Read together, in one round trip: who may sell what, the prices and the stock, and
    // the settings of every venue in these carts. The channel is checked first, so a line
    // the channel may not sell is a 404 whatever its quote.
    const [channels, quoted, settingsRows] = await Promise.all([
      readChannels(tx, calls),
      quoteCalls(tx, calls, now).then(
        (quotes) => ({ quotes }),
        (error: unknown) => ({ error }),
      ),
      tx
        .select()
        .from(venueSettingsTable)
        .where(
          sql`${venueSettingsTable.venueId} in (select ${cartLines.venueId} from ${cartLines} where ${isOneOf(cartLines.cartId, cartIds)}) or ${isOneOf(
            venueSettingsTable.venueId,
            calls.map((call) => call.data.venue_id),
          )}`,
        ),
    ])
    assertChannelsSell(calls, channels)
    if ('error' in quoted) throw quoted.error
    const { quotes } = quoted
    for (const [index, { data }] of calls.entries()) {
      const { available } = quotes[index] as VariantQuote
      if (available < data.quantity) {
        throw new MitraError('insufficient_stock', `Only ${available} available at this venue`, {
          errors: [{ path: 'quantity', code: 'insufficient_stock', message: `${available} left` }],
          extensions: { available },
        })
      }
    }
    // Sent together: the connection runs them in this order, in one round trip.
    const [, , lines] = await Promise.all([
      insertRows(
        tx,
        cartLines,
        calls.map(({ cartId, data }) => ({
          cartId,
          variantId: data.variant_id,
          venueId: data.venue_id,
          quantity: data.quantity,
          addedAt: now,
        })),
        {
          onConflict: sql`(cart_id, venue_id, variant_id) do update set quantity = excluded.quantity`,
        },
      ),
      tx.update(carts).set({ updatedAt: now }).where(isOneOf(carts.id, cartIds)),
      tx
        .select()
        .from(cartLines)
        .where(isOneOf(cartLines.cartId, cartIds))
        .orderBy(asc(cartLines.addedAt), asc(cartLines.variantId)),
    ])
    const known = new Map(quotes.map((quote) => [quoteKey(quote.venueId, quote.variantId), quote]))
    return cartViews(
      tx,
      calls.map(({ cartId }, index) => ({
        cart: { ...(cartOfCall[index] as CartRow), updatedAt: now },
        lines: lines.filter((line) => line.cartId === cartId),
      })),
      now,
      known,
      settingsRows,
    )
  })
}

/**
 * Sets how many of a variant from a venue the cart holds (the quantity, not an increment,
 * so a retried call changes nothing more). The variant must be sold at the venue now and
 * that many must be available; the stock is held only at checkout. A checked-out cart
 * takes no more (409 `cart_checked_out`).
 */
export async function setCartLine(
  db: Executor,
  scope: ChannelScope,
  cartId: string,
  input: CartLineInput,
  options: { now?: Date } = {},
): Promise<CartView> {
  const call = cartLineCall(scope, cartId, input)
  const [view] = await setCartLines(db, [call], options.now ?? new Date())
  return view as CartView
}

/** Takes a line out of the cart; a line not in it is a 404, a checked-out cart a 409. */
export async function removeCartLine(
  db: Executor,
  scope: ChannelScope,
  cartId: string,
  line: { venue_id: string; variant_id: string },
  options: { now?: Date } = {},
): Promise<CartView> {
  const now = options.now ?? new Date()
  return atomically(db, async (tx) => {
    const cart = await cartOf(tx, scope, cartId, true)
    assertCartOpen(cart)
    const removed = await tx
      .delete(cartLines)
      .where(
        and(
          eq(cartLines.cartId, cart.id),
          eq(cartLines.venueId, line.venue_id),
          eq(cartLines.variantId, line.variant_id),
        ),
      )
      .returning()
    if (removed.length === 0) throw notFound('cart line', `${line.venue_id}/${line.variant_id}`)
    const [updated] = await tx
      .update(carts)
      .set({ updatedAt: now })
      .where(eq(carts.id, cart.id))
      .returning()
    return cartView(tx, updated as CartRow, now)
  })
}
