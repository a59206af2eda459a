import {
  currency as checkCurrency,
  conflict,
  MitraError,
  type Money,
  money,
  notFound,
  ProviderError,
  parseInput,
  parseRequestInput,
  type RetryOptions,
  withRetries,
} from '@mitra/core'
import {
  atomically,
  type Executor,
  type PayoutExecutionRow,
  type PayoutExecutionStatus,
  type PayoutMethod,
  payoutExecutions,
  payoutMethods,
  payoutProviderEvents,
  payouts,
} from '@mitra/db'
import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import { getPayout, markPayoutPaid, reversePayout } from '../payouts.js'
import {
  describeDestination,
  getPayoutDestination,
  type PayoutDestination,
} from './destinations.js'
import {
  approveIrisPayouts,
  createIrisPayout,
  type IrisConfig,
  irisNotificationSchema,
  toIrisAmount,
  verifyIrisSignature,
} from './iris.js'
import { createStripeTransfer, type StripeTransferConfig, verifyStripeEvent } from './stripe.js'

/** The providers a deployment has configured (either may be absent). */
export interface PayoutProviders {
  stripe?: StripeTransferConfig
  iris?: IrisConfig
  retry?: RetryOptions
}

/** Who is acting: a user or API key id. Iris approval needs someone other than the creator. */
export interface PayoutActor {
  id: string
}

export interface PayoutExecution {
  payoutId: string
  partyId: string
  method: PayoutMethod
  amount: Money
  status: PayoutExecutionStatus
  /** Stripe transfer id (`tr_…`) or Iris `reference_no`. */
  providerReference: string | null
  idempotencyKey: string
  destination: string
  attempts: number
  createdBy: string
  approvedBy: string | null
  proof: { reference: string; url: string | null } | null
  failureReason: string | null
  createdAt: Date
  updatedAt: Date
  approvedAt: Date | null
  paidAt: Date | null
  failedAt: Date | null
}

function toExecution(row: PayoutExecutionRow): PayoutExecution {
  return {
    payoutId: row.payoutId,
    partyId: row.partyId,
    method: row.method,
    amount: money(row.amount, checkCurrency(row.currency)),
    status: row.status,
    providerReference: row.providerReference,
    idempotencyKey: row.idempotencyKey,
    destination: row.destination,
    attempts: row.attempts,
    createdBy: row.createdBy,
    approvedBy: row.approvedBy,
    proof:
      row.proofReference === null ? null : { reference: row.proofReference, url: row.proofUrl },
    failureReason: row.failureReason,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    approvedAt: row.approvedAt,
    paidAt: row.paidAt,
    failedAt: row.failedAt,
  }
}

async function findExecution(
  db: Executor,
  payoutId: string,
  lock = false,
): Promise<PayoutExecutionRow | undefined> {
  const query = db.select().from(payoutExecutions).where(eq(payoutExecutions.payoutId, payoutId))
  const [row] = lock ? await query.for('update') : await query
  return row
}

/** The execution of a payout (404 when the payout was never executed). */
export async function getPayoutExecution(db: Executor, payoutId: string): Promise<PayoutExecution> {
  const row = await findExecution(db, payoutId)
  if (row === undefined) throw notFound('payout execution', payoutId, 'id')
  return toExecution(row)
}

/**
 * The API names the payout by the URL's `id` (`POST /v1/admin/payouts/{id}/…`); every other
 * field of these inputs by its snake_case (`proof_url`).
 */
const requestNames = { payoutId: 'id' } as const

const actorSchema = z.object({ id: z.string().trim().min(1).max(200) })

const executeSchema = z.object({
  payoutId: z.string().regex(/^po_[0-9a-z]{26}$/, "expected an id starting with 'po_'"),
  method: z.enum(payoutMethods).optional(),
  actor: actorSchema,
  /** Stripe `transfer_group` (default: the payout id). */
  transferGroup: z.string().min(1).max(500).optional(),
  /** Stripe `source_transaction`: the charge (`ch_…`) the transfer is funded from. */
  sourceTransaction: z
    .string()
    .regex(/^(ch|py)_[A-Za-z0-9]+$/, 'A Stripe charge id (ch_…)')
    .optional(),
})

export type ExecutePayoutInput = z.input<typeof executeSchema>

/** Marks an execution failed and reverses its payout (its items become payable again). */
function failExecution(
  db: Executor,
  payoutId: string,
  reason: string,
  from: PayoutExecutionStatus[],
): Promise<PayoutExecutionRow> {
  return atomically(db, async (tx) => {
    await lockPayout(tx, payoutId)
    const row = await findExecution(tx, payoutId, true)
    if (row === undefined) throw notFound('payout execution', payoutId, 'id')
    if (!from.includes(row.status)) return row
    const now = new Date()
    const [updated] = await tx
      .update(payoutExecutions)
      .set({ status: 'failed', failureReason: reason, failedAt: now, paidAt: null, updatedAt: now })
      .where(eq(payoutExecutions.payoutId, payoutId))
      .returning()
    await reversePayout(tx, { payoutId, reason })
    return updated as PayoutExecutionRow
  })
}

async function lockPayout(tx: Executor, payoutId: string): Promise<void> {
  await tx.select({ id: payouts.id }).from(payouts).where(eq(payouts.id, payoutId)).for('update')
}

async function updateIfStatus(
  db: Executor,
  payoutId: string,
  from: PayoutExecutionStatus,
  set: Partial<typeof payoutExecutions.$inferInsert>,
): Promise<PayoutExecution> {
  const updated = await atomically(db, async (tx) => {
    const [row] = await tx
      .update(payoutExecutions)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(payoutExecutions.payoutId, payoutId), eq(payoutExecutions.status, from)))
      .returning()
    if (row !== undefined && row.status === 'paid') await markPayoutPaid(tx, { payoutId })
    return row
  })
  if (updated !== undefined) return toExecution(updated)
  // Someone else (a webhook, a concurrent retry) moved it on first: theirs stands.
  return getPayoutExecution(db, payoutId)
}

function startExecution(
  db: Executor,
  providers: PayoutProviders,
  parsed: z.output<typeof executeSchema>,
): Promise<{ row: PayoutExecutionRow; destination: PayoutDestination | null }> {
  return atomically(db, async (tx) => {
    // Starts of one payout take turns (the payout row first, then its execution).
    await lockPayout(tx, parsed.payoutId)
    const existing = await findExecution(tx, parsed.payoutId, true)
    if (existing !== undefined) {
      if (parsed.method !== undefined && parsed.method !== existing.method) {
        throw conflict(
          'method',
          `Payout '${parsed.payoutId}' is already being paid by ${existing.method}`,
        )
      }
      return { row: existing, destination: null }
    }
    const payout = await getPayout(tx, parsed.payoutId)
    if (payout.status !== 'in_transit') {
      throw new MitraError(
        'illegal_status_transition',
        `Payout '${payout.id}' is ${payout.status}; only a payout in transit can be paid`,
      )
    }
    const destination = await getPayoutDestination(tx, {
      partyId: payout.partyId,
      method: parsed.method,
    })
    requireProvider(providers, destination.method)
    const [row] = await tx
      .insert(payoutExecutions)
      .values({
        payoutId: payout.id,
        partyId: payout.partyId,
        method: destination.method,
        currency: payout.currency,
        amount: payout.amount.amount,
        status: 'processing',
        idempotencyKey: `mitra-${payout.id}`,
        destination: describeDestination(destination),
        createdBy: parsed.actor.id,
      })
      .returning()
    return { row: row as PayoutExecutionRow, destination }
  })
}

/**
 * Pays a posted payout through the party's destination (`method`, else its default):
 *
 * - `stripe_transfer`: `transfers.create` → `paid` with the `tr_…` id;
 * - `midtrans_iris`: `POST /payouts` with the creator key → `pending_approval` with the
 *   `reference_no` (then `approveIrisPayout`, by someone else);
 * - `manual`: `processing` until `recordManualPayout` records the proof.
 *
 * A provider 5xx, 429 or timeout is retried with backoff (bounded), always with the same
 * idempotency key. A refusal (4xx) marks the execution `failed` and reverses the payout.
 * When the retries run out the execution stays `processing` and a 503 `unavailable` is
 * thrown: calling `executePayout` again resumes it with the same key, so it never pays twice.
 * One execution per payout: executing a finished payout again returns it as it is.
 */
export async function executePayout(
  db: Executor,
  providers: PayoutProviders,
  input: ExecutePayoutInput,
): Promise<PayoutExecution> {
  const parsed = parseRequestInput(executeSchema, input, requestNames)
  const started = await startExecution(db, providers, parsed)
  const row = started.row
  if (row.status !== 'processing' || row.method === 'manual') return toExecution(row)
  const destination =
    started.destination ??
    (await getPayoutDestination(db, { partyId: row.partyId, method: row.method }))
  let attempts = row.attempts
  const countAttempt = () => {
    attempts += 1
  }
  try {
    if (destination.method === 'stripe_transfer') {
      const stripe = requireProvider(providers, 'stripe_transfer') as StripeTransferConfig
      const transfer = await withRetries(
        () =>
          createStripeTransfer(stripe, {
            amount: money(row.amount, checkCurrency(row.currency)),
            destination: destination.stripeAccountId,
            transferGroup: parsed.transferGroup ?? row.payoutId,
            sourceTransaction: parsed.sourceTransaction,
            idempotencyKey: row.idempotencyKey,
            metadata: { payout_id: row.payoutId, party_id: row.partyId },
          }),
        providers.retry,
        countAttempt,
      )
      return await updateIfStatus(db, row.payoutId, 'processing', {
        status: 'paid',
        providerReference: transfer.id,
        attempts,
        paidAt: new Date(),
      })
    }
    if (destination.method === 'midtrans_iris') {
      const iris = requireProvider(providers, 'midtrans_iris') as IrisConfig
      const created = await withRetries(
        () =>
          createIrisPayout(
            iris,
            {
              beneficiary_name: destination.accountName,
              beneficiary_account: destination.accountNumber,
              beneficiary_bank: destination.bankCode,
              beneficiary_email: destination.email,
              amount: toIrisAmount(money(row.amount, checkCurrency(row.currency))),
              notes: `mitra payout ${row.payoutId}`,
            },
            row.idempotencyKey,
          ),
        providers.retry,
        countAttempt,
      )
      return await updateIfStatus(db, row.payoutId, 'processing', {
        status: 'pending_approval',
        providerReference: created.referenceNo,
        attempts,
      })
    }
    return toExecution(row)
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error
    if (!error.transient) {
      await db
        .update(payoutExecutions)
        .set({ attempts })
        .where(eq(payoutExecutions.payoutId, row.payoutId))
      return toExecution(await failExecution(db, row.payoutId, error.message, ['processing']))
    }
    await db
      .update(payoutExecutions)
      .set({ attempts, updatedAt: new Date() })
      .where(eq(payoutExecutions.payoutId, row.payoutId))
    throw new MitraError(
      'unavailable',
      `${error.message}; the payout is still processing, execute it again to resume`,
      { cause: error, extensions: { payout_id: row.payoutId, attempts } },
    )
  }
}

function requireProvider(
  providers: PayoutProviders,
  method: PayoutDestination['method'],
): StripeTransferConfig | IrisConfig | null {
  if (method === 'manual') return null
  const config = method === 'stripe_transfer' ? providers.stripe : providers.iris
  if (config === undefined) {
    throw new MitraError('unavailable', `No ${method} provider is configured`)
  }
  return config
}

const approveSchema = z.object({ payoutId: z.string().min(1), actor: actorSchema })

/**
 * Approves an Iris payout with the approver key (`POST /payouts/approve`). Two people: the
 * approver must not be the one who created it (403 `forbidden`). Approving an approved
 * payout again returns it as it is.
 */
export async function approveIrisPayout(
  db: Executor,
  providers: PayoutProviders,
  input: { payoutId: string; actor: PayoutActor },
): Promise<PayoutExecution> {
  const parsed = parseRequestInput(approveSchema, input, requestNames)
  const row = await findExecution(db, parsed.payoutId)
  if (row === undefined || row.method !== 'midtrans_iris') {
    throw notFound('Iris payout execution', parsed.payoutId, 'id')
  }
  if (row.createdBy === parsed.actor.id) {
    // About who calls, not about a field of the request: a 403 without `errors`.
    throw new MitraError(
      'forbidden',
      `Payout '${row.payoutId}' must be approved by someone other than the one who sent it; approve it with another owner's key`,
    )
  }
  if (row.status !== 'pending_approval') {
    if (row.approvedBy !== null || row.status === 'paid' || row.status === 'failed') {
      return toExecution(row)
    }
    throw new MitraError(
      'illegal_status_transition',
      `Payout '${row.payoutId}' is ${row.status}, not awaiting approval`,
    )
  }
  const iris = requireProvider(providers, 'midtrans_iris') as IrisConfig
  const reference = row.providerReference as string
  try {
    await withRetries(
      () => approveIrisPayouts(iris, [reference], `${row.idempotencyKey}-approve`),
      providers.retry,
    )
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error
    throw new MitraError('unavailable', `${error.message}; the payout still awaits approval`, {
      cause: error,
      ...(error.transient ? {} : { status: 502 }),
    })
  }
  return updateIfStatus(db, row.payoutId, 'pending_approval', {
    status: 'processing',
    approvedBy: parsed.actor.id,
    approvedAt: new Date(),
  })
}

const manualSchema = z.object({
  payoutId: z.string().regex(/^po_[0-9a-z]{26}$/, "expected an id starting with 'po_'"),
  actor: actorSchema,
  /** The bank transfer reference, receipt number or "cash, signed receipt 12". */
  reference: z.string().trim().min(1).max(200),
  proofUrl: z.url().max(2_000).nullish(),
  paidAt: z.date().optional(),
})

/**
 * Records a payout paid by hand (cash or a bank transfer outside any provider) with its
 * reference and optional proof → `paid`. Works with or without an earlier `executePayout`.
 */
export async function recordManualPayout(
  db: Executor,
  input: z.input<typeof manualSchema>,
): Promise<PayoutExecution> {
  const parsed = parseRequestInput(manualSchema, input, requestNames)
  return atomically(db, async (tx) => {
    // Starts of one payout take turns (the payout row first, then its execution).
    await lockPayout(tx, parsed.payoutId)
    const existing = await findExecution(tx, parsed.payoutId, true)
    const paidAt = parsed.paidAt ?? new Date()
    const proof = { proofReference: parsed.reference, proofUrl: parsed.proofUrl ?? null }
    if (existing !== undefined) {
      if (existing.method !== 'manual') {
        throw conflict('id', `Payout '${parsed.payoutId}' is paid by ${existing.method}`)
      }
      if (existing.status === 'paid' && existing.proofReference === parsed.reference) {
        return toExecution(existing)
      }
      if (existing.status !== 'processing') {
        throw new MitraError(
          'illegal_status_transition',
          `Payout '${parsed.payoutId}' is ${existing.status}`,
        )
      }
      const [row] = await tx
        .update(payoutExecutions)
        .set({ status: 'paid', ...proof, paidAt, updatedAt: new Date() })
        .where(eq(payoutExecutions.payoutId, parsed.payoutId))
        .returning()
      await markPayoutPaid(tx, { payoutId: parsed.payoutId, occurredAt: paidAt })
      return toExecution(row as PayoutExecutionRow)
    }
    const payout = await getPayout(tx, parsed.payoutId)
    if (payout.status !== 'in_transit') {
      throw new MitraError('illegal_status_transition', `Payout '${payout.id}' is ${payout.status}`)
    }
    const [row] = await tx
      .insert(payoutExecutions)
      .values({
        payoutId: payout.id,
        partyId: payout.partyId,
        method: 'manual',
        currency: payout.currency,
        amount: payout.amount.amount,
        status: 'paid',
        idempotencyKey: `mitra-${payout.id}`,
        destination: 'manual',
        createdBy: parsed.actor.id,
        ...proof,
        paidAt,
      })
      .returning()
    await markPayoutPaid(tx, { payoutId: payout.id, occurredAt: paidAt })
    return toExecution(row as PayoutExecutionRow)
  })
}

/**
 * A manual payout that did not arrive (the transfer bounced, the cash was never handed
 * over): `failed`, and the payout reversed so its items are payable again.
 */
export async function failManualPayout(
  db: Executor,
  input: { payoutId: string; actor: PayoutActor; reason: string },
): Promise<PayoutExecution> {
  const parsed = parseRequestInput(
    z.object({
      payoutId: z.string().min(1),
      actor: actorSchema,
      reason: z.string().trim().min(1).max(500),
    }),
    input,
    requestNames,
  )
  const row = await findExecution(db, parsed.payoutId)
  if (row === undefined || row.method !== 'manual') {
    throw notFound('manual payout execution', parsed.payoutId, 'id')
  }
  const failed = await failExecution(
    db,
    parsed.payoutId,
    `${parsed.reason} (marked by ${parsed.actor.id})`,
    ['processing', 'paid'],
  )
  return toExecution(failed)
}

export interface WebhookResult {
  /** False when this event was applied before (a repeat delivery). */
  applied: boolean
  /** What the event did: `paid`, `failed`, `approved`, or why it changed nothing. */
  outcome: string
  execution: PayoutExecution | null
}

/**
 * Records an event once (`provider`, `eventId`) and applies it in the same transaction: a
 * repeat delivery, or one racing the first, changes nothing.
 */
async function applyOnce(
  db: Executor,
  event: { provider: string; eventId: string; type: string },
  apply: (tx: Executor) => Promise<{ outcome: string; execution: PayoutExecutionRow | null }>,
): Promise<WebhookResult> {
  return atomically(db, async (tx) => {
    const [recorded] = await tx
      .insert(payoutProviderEvents)
      .values({ ...event, outcome: 'received' })
      .onConflictDoNothing()
      .returning()
    if (recorded === undefined) {
      const [seen] = await tx
        .select()
        .from(payoutProviderEvents)
        .where(
          and(
            eq(payoutProviderEvents.provider, event.provider),
            eq(payoutProviderEvents.eventId, event.eventId),
          ),
        )
      const execution =
        seen?.payoutId == null ? null : ((await findExecution(tx, seen.payoutId)) ?? null)
      return {
        applied: false,
        outcome: seen?.outcome ?? 'duplicate',
        execution: execution === null ? null : toExecution(execution),
      }
    }
    const result = await apply(tx)
    if (result.outcome.startsWith('unknown_')) {
      // Not ours yet (or not ours at all): a later delivery may still apply it.
      await tx
        .delete(payoutProviderEvents)
        .where(
          and(
            eq(payoutProviderEvents.provider, event.provider),
            eq(payoutProviderEvents.eventId, event.eventId),
          ),
        )
      return { applied: false, outcome: result.outcome, execution: null }
    }
    await tx
      .update(payoutProviderEvents)
      .set({ outcome: result.outcome, payoutId: result.execution?.payoutId ?? null })
      .where(
        and(
          eq(payoutProviderEvents.provider, event.provider),
          eq(payoutProviderEvents.eventId, event.eventId),
        ),
      )
    return {
      applied: true,
      outcome: result.outcome,
      execution: result.execution === null ? null : toExecution(result.execution),
    }
  })
}

async function findByReference(
  tx: Executor,
  method: PayoutMethod,
  reference: string,
): Promise<PayoutExecutionRow | undefined> {
  const [found] = await tx
    .select({ payoutId: payoutExecutions.payoutId })
    .from(payoutExecutions)
    .where(
      and(eq(payoutExecutions.method, method), eq(payoutExecutions.providerReference, reference)),
    )
  if (found === undefined) return undefined
  // The same lock order as everywhere else: the payout, then its execution.
  await lockPayout(tx, found.payoutId)
  return findExecution(tx, found.payoutId, true)
}

/**
 * A Stripe webhook for the transfers we made: the signature is verified over the raw body
 * (401 when it does not), each event applied once (by `event.id`). `transfer.reversed` with
 * the transfer fully reversed marks the execution failed and reverses the payout; a partial
 * reversal is recorded but changes no ledger (a payout is reversed whole).
 */
export async function handleStripeWebhook(
  db: Executor,
  providers: PayoutProviders,
  input: { rawBody: string | Buffer; signature: string | null | undefined },
): Promise<WebhookResult> {
  const stripe = providers.stripe
  if (stripe === undefined) throw new MitraError('unavailable', 'No Stripe provider is configured')
  const event = await verifyStripeEvent(stripe, input.rawBody, input.signature)
  return applyOnce(db, { provider: 'stripe', eventId: event.id, type: event.type }, async (tx) => {
    if (event.type !== 'transfer.reversed') return { outcome: 'ignored', execution: null }
    const transfer = event.data.object
    const row = await findByReference(tx, 'stripe_transfer', transfer.id)
    if (row === undefined) return { outcome: 'unknown_transfer', execution: null }
    if (!transfer.reversed) return { outcome: 'partial_reversal_recorded', execution: row }
    if (row.status === 'failed') return { outcome: 'already_failed', execution: row }
    const failed = await failExecution(
      tx,
      row.payoutId,
      `Stripe transfer ${transfer.id} was reversed`,
      ['processing', 'paid'],
    )
    return { outcome: 'failed', execution: failed }
  })
}

/**
 * An Iris payout notification: `Iris-Signature` = sha512(raw body + merchant key) is checked
 * first (401 when forged, nothing changes); each (`reference_no`, `status`) is applied once.
 * `completed` → paid; `failed` or `rejected` → failed and the payout reversed; `approved`
 * or `processed` → processing. A paid or failed execution is final.
 */
export async function handleIrisNotification(
  db: Executor,
  providers: PayoutProviders,
  input: { rawBody: string; signature: string | null | undefined },
): Promise<WebhookResult> {
  const iris = providers.iris
  if (iris === undefined) throw new MitraError('unavailable', 'No Iris provider is configured')
  verifyIrisSignature(iris, input.rawBody, input.signature)
  let json: unknown
  try {
    json = JSON.parse(input.rawBody)
  } catch (error) {
    throw new MitraError('invalid_request', 'The Iris notification is not JSON', { cause: error })
  }
  const note = parseInput(irisNotificationSchema, json)
  const eventId = `${note.reference_no}:${note.status}`
  return applyOnce(db, { provider: 'midtrans_iris', eventId, type: note.status }, async (tx) => {
    const row = await findByReference(tx, 'midtrans_iris', note.reference_no)
    if (row === undefined) return { outcome: 'unknown_reference', execution: null }
    if (row.status === 'paid' || row.status === 'failed') {
      return { outcome: `already_${row.status}`, execution: row }
    }
    const now = new Date()
    switch (note.status) {
      case 'completed': {
        const [paid] = await tx
          .update(payoutExecutions)
          .set({ status: 'paid', paidAt: now, updatedAt: now })
          .where(eq(payoutExecutions.payoutId, row.payoutId))
          .returning()
        await markPayoutPaid(tx, { payoutId: row.payoutId, occurredAt: now })
        return { outcome: 'paid', execution: paid ?? row }
      }
      case 'failed':
      case 'rejected': {
        const detail = note.error_message ?? note.error_code ?? note.status
        const failed = await failExecution(
          tx,
          row.payoutId,
          `Iris payout ${note.reference_no} ${note.status}: ${detail}`,
          ['pending_approval', 'processing'],
        )
        return { outcome: 'failed', execution: failed }
      }
      case 'approved':
      case 'processed': {
        const [moved] = await tx
          .update(payoutExecutions)
          .set({ status: 'processing', updatedAt: now })
          .where(eq(payoutExecutions.payoutId, row.payoutId))
          .returning()
        return { outcome: 'processing', execution: moved ?? row }
      }
      default:
        return { outcome: 'ignored', execution: row }
    }
  })
}
