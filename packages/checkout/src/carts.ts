import { getParty } from '@mitra/catalog'
import { quoteAtVenue, type VariantQuote } from '@mitra/consignment'
import {
  type CurrencyCode,
  MitraError,
  type Money,
  money,
  newId,
  notFound,
  parseInput,
} from '@mitra/core'
import {
  atomically,
  type CartLineRow,
  type CartRow,
  cartLines,
  carts,
  type Executor,
  productVariants,
} from '@mitra/db'
import { and, asc, eq } from 'drizzle-orm'
import { type CartLineInput, cartLineInputSchema } from './schemas.js'
import { type VenueCheckoutSettings, venueCheckoutSettings } from './settings.js'

/** The channel a cart belongs to: the publishable key's party (a venue's widget, a shop …). */
export interface ChannelScope {
  channelId: string
}

export interface CartLineView {
  venue_id: string
  variant_id: string
  producer_id: string | null
  name: string | null
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

/** The channel's open cart, locked for the rest of the transaction when `lock`; else 404. */
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
 * Prices every line at its venue now, one query set per venue; a line the venue cannot
 * sell is marked with its error instead (found line by line only when the venue's fails).
 */
export async function quoteLines(
  db: Executor,
  lines: readonly CartLineRow[],
  now: Date,
  known: ReadonlyMap<string, VariantQuote> = new Map(),
): Promise<Map<CartLineRow, VariantQuote | MitraError>> {
  const out = new Map<CartLineRow, VariantQuote | MitraError>()
  const venues = [...new Set(lines.map((line) => line.venueId))]
  for (const venueId of venues) {
    const toQuote: CartLineRow[] = []
    for (const line of lines.filter((l) => l.venueId === venueId)) {
      const quoted = known.get(quoteKey(line.venueId, line.variantId))
      if (quoted === undefined) toQuote.push(line)
      else out.set(line, quoted)
    }
    if (toQuote.length === 0) continue
    try {
      const quotes = await quoteAtVenue(
        db,
        venueId,
        toQuote.map((line) => line.variantId),
        { now },
      )
      toQuote.forEach((line, index) => {
        out.set(line, quotes[index] as VariantQuote)
      })
    } catch (error) {
      if (!(error instanceof MitraError)) throw error
      for (const line of toQuote) out.set(line, await quoteOne(db, line, now))
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
      name: null,
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
  const total = money(quote.unitPrice.amount * line.quantity, quote.unitPrice.currency)
  return {
    venue_id: line.venueId,
    variant_id: line.variantId,
    producer_id: quote.producerId,
    name: quote.name,
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
  const quotes = await quoteLines(db, lines, now, known)
  const views = lines.map((line) => lineView(line, quotes.get(line)))
  const venueIds = [...new Set(lines.map((line) => line.venueId))]
  const venues: CartVenueView[] = []
  for (const venueId of venueIds) {
    const settings: VenueCheckoutSettings = await venueCheckoutSettings(db, venueId)
    const subtotal = views
      .filter((view) => view.venue_id === venueId && view.line_total !== null)
      .reduce((sum, view) => sum + (view.line_total?.amount ?? 0), 0)
    venues.push({
      venue_id: venueId,
      currency: settings.currency,
      pickup: settings.pickup,
      delivery_rate: settings.delivery_rate,
      subtotal: money(subtotal, settings.currency),
    })
  }
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
}

/** A new, empty cart for the channel. */
export async function createCart(
  db: Executor,
  scope: ChannelScope,
  options: { now?: Date } = {},
): Promise<CartView> {
  const now = options.now ?? new Date()
  const [row] = await db
    .insert(carts)
    .values({ id: newId('cart'), channelId: scope.channelId, createdAt: now, updatedAt: now })
    .returning()
  return cartView(db, row as CartRow, now, undefined, [])
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

/**
 * What a channel may sell: a venue's widget its own shelf, a producer's shop its own
 * goods, a cluster's its members' goods; the platform's storefront anything.
 */
async function assertChannelSells(
  db: Executor,
  scope: ChannelScope,
  input: { venue_id: string; variant_id: string },
): Promise<void> {
  const channel = await getParty(db, scope.channelId)
  if (channel.kind === 'venue' && input.venue_id !== channel.id) {
    throw notFound('venue', input.venue_id, 'venue_id')
  }
  if (channel.kind === 'producer') {
    const [variant] = await db
      .select({ producerId: productVariants.partyId })
      .from(productVariants)
      .where(eq(productVariants.id, input.variant_id))
    if (variant?.producerId !== channel.id)
      throw notFound('variant', input.variant_id, 'variant_id')
  }
}

/**
 * Sets how many of a variant from a venue the cart holds (the quantity, not an increment,
 * so a retried call changes nothing more). The variant must be sold at the venue now and
 * that many must be available; the stock is held only at checkout.
 */
export async function setCartLine(
  db: Executor,
  scope: ChannelScope,
  cartId: string,
  input: CartLineInput,
  options: { now?: Date } = {},
): Promise<CartView> {
  const data = parseInput(cartLineInputSchema, input)
  const now = options.now ?? new Date()
  return atomically(db, async (tx) => {
    const cart = await cartOf(tx, scope, cartId, true)
    await assertChannelSells(tx, scope, data)
    const [quote] = await quoteAtVenue(tx, data.venue_id, [data.variant_id], { now }).catch(
      (error: unknown) => {
        // The quote names `lines.0.*`; here the fields are top-level.
        if (error instanceof MitraError) {
          throw new MitraError(error.code, error.message, {
            errors: error.errors.map((e) => ({ ...e, path: e.path.replace(/^lines\.0\./, '') })),
            extensions: error.extensions,
          })
        }
        throw error
      },
    )
    if ((quote as VariantQuote).available < data.quantity) {
      const available = (quote as VariantQuote).available
      throw new MitraError('insufficient_stock', `Only ${available} available at this venue`, {
        errors: [{ path: 'quantity', code: 'insufficient_stock', message: `${available} left` }],
        extensions: { available },
      })
    }
    // Sent together: the connection runs them in this order, in one round trip.
    const [, [updated], lines] = await Promise.all([
      tx
        .insert(cartLines)
        .values({
          cartId,
          variantId: data.variant_id,
          venueId: data.venue_id,
          quantity: data.quantity,
          addedAt: now,
        })
        .onConflictDoUpdate({
          target: [cartLines.cartId, cartLines.venueId, cartLines.variantId],
          set: { quantity: data.quantity },
        }),
      tx.update(carts).set({ updatedAt: now }).where(eq(carts.id, cart.id)).returning(),
      linesOfCart(tx, cart.id),
    ])
    const priced = quote as VariantQuote
    return cartView(
      tx,
      updated as CartRow,
      now,
      new Map([[quoteKey(priced.venueId, priced.variantId), priced]]),
      lines,
    )
  })
}

/** Takes a line out of the cart; a line not in it is a 404. */
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
