import { idSchema, MitraError, notFound, parseInput, parseRequestInput } from '@mitra/core'
import {
  atomically,
  type Executor,
  type PayoutDestinationRow,
  type PayoutMethod,
  parties,
  payoutDestinations,
  payoutMethods,
} from '@mitra/db'
import { and, asc, desc, eq, ne } from 'drizzle-orm'
import { z } from 'zod'

/** Where a party is paid by one method. */
export type PayoutDestination =
  | {
      partyId: string
      method: 'stripe_transfer'
      /** The party's Stripe connected account (`acct_…`). */
      stripeAccountId: string
      isDefault: boolean
      updatedAt: Date
    }
  | {
      partyId: string
      method: 'midtrans_iris'
      /** Iris beneficiary bank code, e.g. `bca`, `bni`, `mandiri`, `bri`. */
      bankCode: string
      accountNumber: string
      accountName: string
      email: string
      isDefault: boolean
      updatedAt: Date
    }
  | {
      partyId: string
      method: 'manual'
      note: string | null
      isDefault: boolean
      updatedAt: Date
    }

const isDefault = z.boolean().optional()

/** What `setPayoutDestination` takes (a 422 names each field as the API does: `bank_code`). */
export const payoutDestinationInputSchema = z.discriminatedUnion('method', [
  z.object({
    partyId: idSchema('pty'),
    method: z.literal('stripe_transfer'),
    stripeAccountId: z
      .string()
      .regex(/^acct_[A-Za-z0-9]{1,255}$/, 'A Stripe connected account id looks like acct_…'),
    isDefault,
  }),
  z.object({
    partyId: idSchema('pty'),
    method: z.literal('midtrans_iris'),
    bankCode: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9_]{2,30}$/, 'An Iris bank code such as bca, bni or mandiri'),
    accountNumber: z.string().regex(/^\d{5,34}$/, 'Digits only, 5 to 34 of them'),
    accountName: z.string().trim().min(1).max(100),
    email: z.email(),
    isDefault,
  }),
  z.object({
    partyId: idSchema('pty'),
    method: z.literal('manual'),
    note: z.string().trim().max(500).nullish(),
    isDefault,
  }),
])

export type PayoutDestinationInput = z.input<typeof payoutDestinationInputSchema>

export function toDestination(row: PayoutDestinationRow): PayoutDestination {
  const common = { partyId: row.partyId, isDefault: row.isDefault, updatedAt: row.updatedAt }
  switch (row.method) {
    case 'stripe_transfer':
      return { ...common, method: row.method, stripeAccountId: row.stripeAccountId as string }
    case 'midtrans_iris':
      return {
        ...common,
        method: row.method,
        bankCode: row.bankCode as string,
        accountNumber: row.accountNumber as string,
        accountName: row.accountName as string,
        email: row.email as string,
      }
    case 'manual':
      return { ...common, method: row.method, note: row.note }
  }
}

/**
 * Sets where a party is paid by one method (replacing what was there). The first
 * destination of a party becomes its default; `isDefault: true` moves the default here.
 */
export async function setPayoutDestination(
  db: Executor,
  input: PayoutDestinationInput,
): Promise<PayoutDestination> {
  const parsed = parseRequestInput(payoutDestinationInputSchema, input)
  return atomically(db, async (tx) => {
    const [party] = await tx
      .select({ id: parties.id })
      .from(parties)
      .where(eq(parties.id, parsed.partyId))
      .for('update')
    if (party === undefined) throw notFound('party', parsed.partyId, 'party_id')
    const [currentDefault] = await tx
      .select({ method: payoutDestinations.method })
      .from(payoutDestinations)
      .where(
        and(eq(payoutDestinations.partyId, parsed.partyId), eq(payoutDestinations.isDefault, true)),
      )
    const makeDefault =
      parsed.isDefault === true ||
      currentDefault === undefined ||
      (currentDefault.method === parsed.method && parsed.isDefault !== false)
    if (makeDefault) {
      await tx
        .update(payoutDestinations)
        .set({ isDefault: false, updatedAt: new Date() })
        .where(
          and(
            eq(payoutDestinations.partyId, parsed.partyId),
            ne(payoutDestinations.method, parsed.method),
            eq(payoutDestinations.isDefault, true),
          ),
        )
    }
    const values = {
      partyId: parsed.partyId,
      method: parsed.method,
      stripeAccountId: parsed.method === 'stripe_transfer' ? parsed.stripeAccountId : null,
      bankCode: parsed.method === 'midtrans_iris' ? parsed.bankCode : null,
      accountNumber: parsed.method === 'midtrans_iris' ? parsed.accountNumber : null,
      accountName: parsed.method === 'midtrans_iris' ? parsed.accountName : null,
      email: parsed.method === 'midtrans_iris' ? parsed.email : null,
      note: parsed.method === 'manual' ? (parsed.note ?? null) : null,
      isDefault: makeDefault,
      updatedAt: new Date(),
    }
    const [row] = await tx
      .insert(payoutDestinations)
      .values(values)
      .onConflictDoUpdate({
        target: [payoutDestinations.partyId, payoutDestinations.method],
        set: values,
      })
      .returning()
    return toDestination(row as PayoutDestinationRow)
  })
}

const getInputSchema = z.object({
  partyId: idSchema('pty'),
  method: z.enum(payoutMethods).optional(),
})

/**
 * Where a party is paid: by `method` when given, else its default destination.
 * `payout_destination_missing` (409) when there is none, naming `payout_destination`: what
 * the party sets (`PUT /v1/admin/payout_destination`) before it can be paid.
 */
export async function getPayoutDestination(
  db: Executor,
  input: { partyId: string; method?: PayoutMethod | undefined },
): Promise<PayoutDestination> {
  const parsed = parseRequestInput(getInputSchema, input)
  const [row] = await db
    .select()
    .from(payoutDestinations)
    .where(
      and(
        eq(payoutDestinations.partyId, parsed.partyId),
        parsed.method === undefined
          ? eq(payoutDestinations.isDefault, true)
          : eq(payoutDestinations.method, parsed.method),
      ),
    )
  if (row === undefined) {
    const what =
      parsed.method === undefined
        ? 'no default payout destination'
        : `no ${parsed.method} payout destination`
    const how =
      parsed.method === undefined
        ? 'PUT /v1/admin/payout_destination'
        : `PUT /v1/admin/payout_destination with method ${parsed.method}`
    throw new MitraError(
      'payout_destination_missing',
      `Party '${parsed.partyId}' has ${what}; the party sets one with ${how}`,
      {
        errors: [
          {
            path: 'payout_destination',
            code: 'payout_destination_missing',
            message: `The party has ${what}; it sets one with ${how}`,
          },
        ],
      },
    )
  }
  return toDestination(row)
}

/** Every destination of a party, the default first. */
export async function listPayoutDestinations(
  db: Executor,
  partyId: string,
): Promise<PayoutDestination[]> {
  const id = parseInput(idSchema('pty'), partyId, 'party_id')
  const rows = await db
    .select()
    .from(payoutDestinations)
    .where(eq(payoutDestinations.partyId, id))
    .orderBy(desc(payoutDestinations.isDefault), asc(payoutDestinations.method))
  return rows.map(toDestination)
}

/** A one-line description of a destination, kept with each execution. */
export function describeDestination(destination: PayoutDestination): string {
  switch (destination.method) {
    case 'stripe_transfer':
      return destination.stripeAccountId
    case 'midtrans_iris':
      return `${destination.bankCode}:${destination.accountNumber} (${destination.accountName})`
    case 'manual':
      return destination.note === null ? 'manual' : `manual: ${destination.note}`
  }
}
