import { assertRole, getParty, type Scope } from '@mitra/catalog'
import { type CurrencyCode, currency, MitraError, type Money, money, parseInput } from '@mitra/core'
import { type Executor, isOneOf, venueCheckoutSettings as settingsTable } from '@mitra/db'
import { type VenueCheckoutSettingsInput, venueCheckoutSettingsSchema } from './schemas.js'

/** How a venue sells online. Without settings: pickup only, in rupiah. */
export interface VenueCheckoutSettings {
  venue_id: string
  currency: CurrencyCode
  pickup: boolean
  delivery_rate: Money | null
}

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
  return new Map(
    ids.map((venueId) => {
      const row = rows.find((r) => r.venueId === venueId)
      if (row === undefined) {
        const defaults = {
          venue_id: venueId,
          currency: currency('IDR'),
          pickup: true,
          delivery_rate: null,
        }
        return [venueId, defaults]
      }
      const code = currency(row.currency)
      return [
        venueId,
        {
          venue_id: venueId,
          currency: code,
          pickup: row.pickup === 1,
          delivery_rate: row.deliveryRate === null ? null : money(row.deliveryRate, code),
        },
      ]
    }),
  )
}

/** A venue (its owner) sets its currency, pickup and flat delivery rate. */
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
    updatedAt: new Date(),
  }
  await db
    .insert(settingsTable)
    .values({ venueId: scope.partyId, ...values })
    .onConflictDoUpdate({ target: settingsTable.venueId, set: values })
  return venueCheckoutSettings(db, scope.partyId)
}
