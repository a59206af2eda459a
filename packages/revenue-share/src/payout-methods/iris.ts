import { createHash, timingSafeEqual } from 'node:crypto'
import {
  isTransientStatus,
  MitraError,
  type Money,
  ProviderError,
  toMidtransAmount,
} from '@mitra/core'
import { z } from 'zod'

/** Midtrans Iris base URLs (payments.md). */
export const irisBaseUrls = {
  sandbox: 'https://app.sandbox.midtrans.com/iris/api/v1',
  production: 'https://app.midtrans.com/iris/api/v1',
} as const

/**
 * Midtrans Iris: a creator key creates payouts, a separate approver key approves them, and
 * notifications are signed with the merchant key.
 */
export interface IrisConfig {
  /** `irisBaseUrls.sandbox` or `irisBaseUrls.production` (or a mock in tests). */
  baseUrl: string
  /** API key of the creator (maker) role. */
  creatorKey: string
  /** API key of the approver role. */
  approverKey: string
  /** Merchant key that signs notifications (`Iris-Signature`). */
  merchantKey: string
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number
}

/** What `POST /payouts` takes for one payout. */
export interface IrisPayoutItem {
  beneficiary_name: string
  beneficiary_account: string
  beneficiary_bank: string
  beneficiary_email: string
  /** Decimal text of whole rupiah, as Iris documents it (`"150000.00"`). */
  amount: string
  notes: string
}

/**
 * Iris amounts are text with at most two decimals; ours are whole rupiah, so the decimals
 * are always `.00` (what Iris echoes back in notifications).
 */
export function toIrisAmount(amount: Money): string {
  return `${toMidtransAmount(amount)}.00`
}

function basicAuth(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`
}

async function irisPost(
  config: IrisConfig,
  key: string,
  path: string,
  body: unknown,
  idempotencyKey: string,
): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(`${config.baseUrl.replace(/\/+$/, '')}${path}`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(key),
        'content-type': 'application/json',
        accept: 'application/json',
        // payments.md: Midtrans honours Idempotency-Key on POSTs; Iris names it X-Idempotency-Key.
        'idempotency-key': idempotencyKey,
        'x-idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(config.timeoutMs ?? 30_000),
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new ProviderError(`Iris ${path}: ${message}`, { transient: true, cause: error })
  }
  const text = await response.text()
  if (!response.ok) {
    throw new ProviderError(`Iris ${path} answered ${response.status}: ${text.slice(0, 500)}`, {
      transient: isTransientStatus(response.status),
      status: response.status,
    })
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new ProviderError(`Iris ${path} answered with no JSON`, {
      transient: false,
      status: response.status,
      cause: error,
    })
  }
}

const createResponse = z.object({
  payouts: z.array(z.object({ status: z.string(), reference_no: z.string().min(1) })).min(1),
})

/** `POST /payouts` with the creator key: one payout, its `reference_no` back. */
export async function createIrisPayout(
  config: IrisConfig,
  item: IrisPayoutItem,
  idempotencyKey: string,
): Promise<{ referenceNo: string; status: string }> {
  const body = await irisPost(
    config,
    config.creatorKey,
    '/payouts',
    { payouts: [item] },
    idempotencyKey,
  )
  const parsed = createResponse.safeParse(body)
  if (!parsed.success) {
    throw new ProviderError('Iris /payouts answered without a reference_no', { transient: false })
  }
  const first = parsed.data.payouts[0] as { status: string; reference_no: string }
  return { referenceNo: first.reference_no, status: first.status }
}

/** `POST /payouts/approve` with the approver key. */
export async function approveIrisPayouts(
  config: IrisConfig,
  referenceNos: string[],
  idempotencyKey: string,
): Promise<void> {
  await irisPost(
    config,
    config.approverKey,
    '/payouts/approve',
    { reference_nos: referenceNos },
    idempotencyKey,
  )
}

/** `Iris-Signature` = hex sha512 of the raw body followed by the merchant key. */
export function irisSignature(rawBody: string, merchantKey: string): string {
  return createHash('sha512')
    .update(rawBody + merchantKey)
    .digest('hex')
}

/** Refuses (401) a notification whose `Iris-Signature` is missing or wrong. */
export function verifyIrisSignature(
  config: IrisConfig,
  rawBody: string,
  signature: string | null | undefined,
): void {
  if (signature === null || signature === undefined || signature === '') {
    throw new MitraError('unauthorized', 'The Iris-Signature header is missing')
  }
  const expected = Buffer.from(irisSignature(rawBody, config.merchantKey), 'utf8')
  const given = Buffer.from(signature.trim().toLowerCase(), 'utf8')
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new MitraError('unauthorized', 'The Iris-Signature does not verify')
  }
}

/** An Iris payout notification (the fields we use; others are ignored). */
export const irisNotificationSchema = z.object({
  reference_no: z.string().min(1),
  status: z.string().min(1),
  amount: z.string().optional(),
  updated_at: z.string().optional(),
  error_code: z.string().optional(),
  error_message: z.string().optional(),
})

export type IrisNotification = z.infer<typeof irisNotificationSchema>
