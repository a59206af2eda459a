// Test fixtures for this package's own tests (not exported, not built).
import { randomBytes } from 'node:crypto'
import { type Id, type Money, money, newId } from '@mitra/core'
import { type Executor, type PartyKind, parties } from '@mitra/db'
import fc from 'fast-check'
import { platformIds } from './funds.js'
import { policyFromConsignmentTerms, type SplitPolicy } from './policy.js'
import { confirmRemittance, getRemittance, recordRemittance } from './remittances.js'
import { settle } from './settlement.js'
import type { SplitLineInput } from './split.js'

export const idr = (amount: number): Money => money(amount, 'IDR')

/** Fixed party ids for pure tests. */
export const ids = {
  producer: newId('pty'),
  venue: newId('pty'),
  cooperative: newId('pty'),
  platform: newId('pty'),
  core: newId('pty'),
  buyer: newId('pty'),
}

/** Batik at Kafe Banaran: 20 % commission, 2 % cooperative fee, 3 % platform fee. */
export function batikPolicy(
  overrides: Partial<Parameters<typeof policyFromConsignmentTerms>[0]> = {},
  parties: Partial<Parameters<typeof policyFromConsignmentTerms>[1]> = {},
): SplitPolicy {
  return policyFromConsignmentTerms(
    {
      currency: 'IDR',
      commission: { kind: 'percent', bps: 2_000 },
      cooperative_fee_bps: 200,
      cooperative_id: ids.cooperative,
      platform_fee_bps: 300,
      payment_fee_bearer: 'venue',
      markdown_bearer: 'venue',
      ...overrides,
    },
    { producerId: ids.producer, venueId: ids.venue, platformId: ids.platform, ...parties },
    { id: newId('pol'), version: 1 },
  )
}

/** A policy of `ids`' producer and venue, for another producer and venue. */
export function policyFor(policy: SplitPolicy, producer: string, venue: string): SplitPolicy {
  return {
    ...policy,
    rules: policy.rules.map((rule) => ({
      ...rule,
      party_id:
        rule.party_id === ids.producer
          ? producer
          : rule.party_id === ids.venue
            ? venue
            : rule.party_id,
    })) as SplitPolicy['rules'],
  }
}

/** Inserts a party row and returns its id. */
export async function createParty(db: Executor, kind: PartyKind): Promise<Id<'pty'>> {
  const id = newId('pty')
  await db.insert(parties).values({
    id,
    kind,
    name: `${kind} ${id.slice(-6)}`,
    slug: `${kind.replace('_', '-')}-${randomBytes(5).toString('hex')}`,
  })
  return id
}

const bearer = fc.constantFrom('venue' as const, 'producer' as const, 'shared' as const)

/** Consignment terms as the agreement schema allows them (rates together ≤ 100 %). */
export const consignmentPolicy: fc.Arbitrary<SplitPolicy> = fc
  .record({
    commission: fc.oneof(
      fc.integer({ min: 0, max: 5_000 }).map((bps) => ({ kind: 'percent' as const, bps })),
      fc
        .uniqueArray(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 0, maxLength: 3 })
        .chain((bounds) =>
          fc
            .array(fc.integer({ min: 0, max: 5_000 }), {
              minLength: bounds.length + 1,
              maxLength: bounds.length + 1,
            })
            .map((bps) => {
              const sorted = [...bounds].sort((a, b) => a - b)
              return {
                kind: 'tiered' as const,
                tiers: bps.map((rate, i) => ({ up_to: sorted[i] ?? null, bps: rate })),
              }
            }),
        ),
    ),
    cooperative_fee_bps: fc.integer({ min: 0, max: 2_000 }),
    platform_fee_bps: fc.integer({ min: 0, max: 2_000 }),
    payment_fee_bearer: bearer,
    markdown_bearer: bearer,
    vat: fc.option(fc.integer({ min: 1, max: 2_000 }), { nil: undefined }),
  })
  .map(({ vat, ...terms }) =>
    policyFromConsignmentTerms(
      { currency: 'IDR', cooperative_id: ids.cooperative, ...terms },
      {
        producerId: ids.producer,
        venueId: ids.venue,
        platformId: ids.platform,
        producerVat: vat === undefined ? { registered: false } : { registered: true, bps: vat },
      },
      { id: newId('pol'), version: 1 },
    ),
  )

/** A line: unit price, quantity, a payment fee of at most 10 %, sometimes a markdown. */
export const saleLine: fc.Arbitrary<SplitLineInput> = fc
  .record({
    unit: fc.integer({ min: 0, max: 20_000_000 }),
    quantity: fc.integer({ min: 1, max: 40 }),
    feeShare: fc.integer({ min: 0, max: 1_000 }),
    markdown: fc.option(fc.integer({ min: 1, max: 5_000_000 }), { nil: undefined }),
  })
  .map(({ unit, quantity, feeShare, markdown }) => {
    const gross = unit * quantity
    return {
      gross: idr(gross),
      quantity,
      unitPrice: idr(unit),
      paymentFee: idr(Math.floor((gross * feeShare) / 10_000)),
      ...(markdown === undefined ? {} : { markdown: { originalUnitPrice: idr(unit + markdown) } }),
    }
  })

/**
 * Collects what a holder of money (a core partner that bought, a venue's till) owes: settles
 * it alone (paying nobody), then records and confirms every remittance that asked of it.
 */
export async function collectFrom(db: Executor, holderId: string): Promise<void> {
  if ((await platformIds(db)).length === 0) await createParty(db, 'platform')
  const settled = await settle(db, {
    currency: 'IDR',
    minimum: money(Number.MAX_SAFE_INTEGER, 'IDR'),
    partyIds: [holderId],
  })
  for (const id of settled.remittanceIds) {
    await recordRemittance(
      db,
      { partyId: holderId },
      id,
      { method: 'transfer', reference: id },
      'test',
    )
    const { to_party_id } = await getRemittance(db, { partyId: holderId }, id)
    await confirmRemittance(db, { partyId: to_party_id }, id, 'test')
  }
}
