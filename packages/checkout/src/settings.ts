import { assertRole, getParty, type Scope } from '@mitra/catalog'
import { type CurrencyCode, currency, MitraError, type Money, money, parseInput } from '@mitra/core'
import {
  cartLines,
  type Executor,
  isOneOf,
  venueCheckoutSettings as settingsTable,
} from '@mitra/db'
import { sql } from 'drizzle-orm'
import { type VenueCheckoutSettingsInput, venueCheckoutSettingsSchema } from './schemas.js'

/**
 * How a venue sells online, and the limits on what a checkout may hold there. Without
 * settings: pickup only, in rupiah, with the default limits.
 */
export interface VenueCheckoutSettings {
  venue_id: string
  currency: CurrencyCode
  pickup: boolean
  delivery_rate: Money | null
  max_units_per_order: number
  max_units_per_buyer: number
  hold_seconds: number
}

/** The limits of a venue that has not set its own (the columns' defaults). */
const defaultHoldLimits = venueCheckoutSettingsSchema.parse({})

export async function venueCheckoutSettings(
  db: Executor,
  venueId: string,
): Promise<VenueCheckoutSettings> {
  return (await venueCheckoutSettingsOf(db, [venueId])).get(venueId) as VenueCheckoutSettings
}

/** The settings of many venues by one query, keyed by venue id. */
export async function venueCheckoutSettingsOf(
  db: Executor,
  venueIds: readonly string[],
): Promise<Map<string, VenueCheckoutSettings>> {
  const ids = [...new Set(venueIds)]
  const rows =
    ids.length === 0
      ? []
      : await db.select().from(settingsTable).where(isOneOf(settingsTable.venueId, ids))
  return settingsOf(rows, ids)
}

/** The settings rows of the venues the carts hold lines from (for `settingsOf`). */
export function settingsRowsOfCarts(db: Executor, cartIds: readonly string[]) {
  return db
    .select()
    .from(settingsTable)
    .where(
      sql`${settingsTable.venueId} in (select ${cartLines.venueId} from ${cartLines} where ${isOneOf(cartLines.cartId, cartIds)})`,
    )
}

/** A venue's settings as stored. */
export type VenueSettingsRow = typeof settingsTable.$inferSelect

/** Each venue's settings from the rows read: without a row, pickup only, in rupiah. */
export function settingsOf(
  rows: readonly VenueSettingsRow[],
  venueIds: readonly string[],
): Map<string, VenueCheckoutSettings> {
  return new Map(
    [...new Set(venueIds)].map((venueId): [string, VenueCheckoutSettings] => {
      const row = rows.find((r) => r.venueId === venueId)
      if (row === undefined) {
        return [
          venueId,
          {
            venue_id: venueId,
            currency: currency('IDR'),
            pickup: true,
            delivery_rate: null,
            max_units_per_order: defaultHoldLimits.max_units_per_order,
            max_units_per_buyer: defaultHoldLimits.max_units_per_buyer,
            hold_seconds: defaultHoldLimits.hold_seconds,
          },
        ]
      }
      const code = currency(row.currency)
      return [
        venueId,
        {
          venue_id: venueId,
          currency: code,
          pickup: row.pickup === 1,
          delivery_rate: row.deliveryRate === null ? null : money(row.deliveryRate, code),
          max_units_per_order: row.maxUnitsPerOrder,
          max_units_per_buyer: row.maxUnitsPerBuyer,
          hold_seconds: row.holdSeconds,
        },
      ]
    }),
  )
}

/** A venue (its owner) sets its currency, pickup, flat delivery rate and hold limits. */
export async function setVenueCheckoutSettings(
  db: Executor,
  scope: Scope,
  input: VenueCheckoutSettingsInput,
): Promise<VenueCheckoutSettings> {
  assertRole(scope, 'owner')
  const data = parseInput(venueCheckoutSettingsSchema, input)
  const party = await getParty(db, scope.partyId)
  if (party.kind !== 'venue') {
    throw new MitraError('forbidden', 'Only a venue sells online from its shelf')
  }
  const values = {
    currency: data.currency,
    pickup: data.pickup ? 1 : 0,
    deliveryRate: data.delivery_rate?.amount ?? null,
    maxUnitsPerOrder: data.max_units_per_order,
    maxUnitsPerBuyer: data.max_units_per_buyer,
    holdSeconds: data.hold_seconds,
    updatedAt: new Date(),
  }
  await db
    .insert(settingsTable)
    .values({ venueId: scope.partyId, ...values })
    .onConflictDoUpdate({ target: settingsTable.venueId, set: values })
  return venueCheckoutSettings(db, scope.partyId)
}
