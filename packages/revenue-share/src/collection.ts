import { allocate, type CurrencyCode, MitraError } from '@mitra/core'
import type { AccountPurpose, JournalKind } from '@mitra/db'
import { type EntryLine, type JournalEntry, sharePurposes } from './entries.js'
import type { ShareRole } from './policy.js'

/*
 * Who holds the money (pure). A sale collected by the platform's payment provider is money
 * the platform holds: the shares it owes are paid out from it. A sale collected by anyone
 * else — cash or QRIS at a venue's counter, a venue's own provider account — is money that
 * party holds: it keeps its own share, and every other share is owed by it ("awaiting
 * collection", held by the venue) until it hands the money over. So the payable accounts
 * that payouts pay hold only money that was collected, and what is owed but not collected
 * shows who holds it.
 */

/** Accounts in which a party holds money for others (debit: it holds or owes it). */
export const holdingPurposes: readonly AccountPurpose[] = [
  'cash_at_venue',
  'provider_clearing',
  'damages_receivable',
  'purchases_receivable',
]

/** Money held for `partyId` (its `role` share) under `agreementId`, by one holder. */
export interface Claim {
  partyId: string
  role: ShareRole
  agreementId: string | null
  /** Whole minor units, positive. */
  amount: number
}

/** What makes two claims the same claim: its party, its role, its agreement. */
export const claimKey = (claim: Pick<Claim, 'partyId' | 'role' | 'agreementId'>) =>
  `${claim.partyId}/${claim.role}/${claim.agreementId ?? ''}`

/** Σ of the claims among `claims` that are the same claim as `claim`. */
export function amountOfClaim(
  claims: readonly Claim[],
  claim: Pick<Claim, 'partyId' | 'role' | 'agreementId'>,
): number {
  const key = claimKey(claim)
  return claimsTotal(claims.filter((c) => claimKey(c) === key))
}

/** The line of an entry that collected (or gives back) the money: its holder. */
export function collectorLine(entry: Pick<JournalEntry, 'lines'>): EntryLine | undefined {
  return entry.lines.find(
    (line) => (line.shareRole ?? null) === null && holdingPurposes.includes(line.purpose),
  )
}

export interface HoldInput {
  /** The platform, whose collections are its own funds (no hold); null when there is none. */
  platformId: string | null
  /** For a refund or return: how much of each claim the holder still holds (else all of it). */
  stillHeld?: (claim: Omit<Claim, 'amount'>) => number
}

/**
 * What goes with a sale (or a refund or return of one) collected by a party other than the
 * platform: that party keeps its own share from what it collected, the provider's fee never
 * reached it, and every other share becomes owed by it (`awaiting_collection`, counterparty
 * the holder). Signs follow the entry, so the same function takes back a refund's part; on a
 * refund, only what the holder still holds is taken back (`stillHeld`): a share it already
 * handed over stays taken from its payee, who was paid it. `null` when nothing is held.
 */
export function collectionHoldEntry(entry: JournalEntry, input: HoldInput): JournalEntry | null {
  const collector = collectorLine(entry)
  if (collector === undefined || collector.partyId === input.platformId) return null
  const holderId = collector.partyId
  const lines: EntryLine[] = []
  for (const line of entry.lines) {
    const role = (line.shareRole ?? null) as ShareRole | null
    if (role === null) continue
    const base = { saleLineId: line.saleLineId ?? null }
    if (role === 'payment_fee' || line.partyId === holderId) {
      // Kept by the holder, or kept by its acquirer before the money reached it.
      lines.push({ ...base, partyId: line.partyId, purpose: line.purpose, amount: -line.amount })
      continue
    }
    let held = line.amount
    if (input.stillHeld !== undefined && held > 0) {
      held = Math.min(
        held,
        Math.max(
          0,
          input.stillHeld({ partyId: line.partyId, role, agreementId: entry.agreementId ?? null }),
        ),
      )
    }
    if (held === 0) continue
    lines.push(
      { ...base, partyId: line.partyId, purpose: line.purpose, amount: -held },
      {
        ...base,
        partyId: line.partyId,
        purpose: 'awaiting_collection',
        amount: held,
        counterpartyId: holderId,
        shareRole: role,
      },
    )
  }
  const rest = lines.reduce((sum, line) => sum + line.amount, 0)
  if (rest !== 0) lines.push({ partyId: holderId, purpose: collector.purpose, amount: -rest })
  if (lines.length === 0) return null
  return {
    kind: 'collection_hold',
    source: { type: 'collection_hold', id: `${entry.source.type}:${entry.source.id}` },
    currency: entry.currency,
    agreementId: entry.agreementId ?? null,
    memo: `Held by ${holderId}`,
    lines,
  }
}

/** A holder's balance per holding account (debit: held), as the ledger has it. */
export type Holdings = ReadonlyMap<AccountPurpose, number>

/**
 * The holder's lines for handing over `amount`: its holding accounts credited in the order of
 * `holdingPurposes`, each up to what it holds there, the rest from its cash. Negative amounts
 * (a credit owed back to the holder) go to its cash.
 */
function holderCredits(holderId: string, amount: number, holdings: Map<AccountPurpose, number>) {
  const lines: EntryLine[] = []
  let rest = amount
  if (rest > 0) {
    for (const purpose of holdingPurposes) {
      const held = holdings.get(purpose) ?? 0
      const take = Math.min(rest, Math.max(0, held))
      if (take === 0) continue
      lines.push({ partyId: holderId, purpose, amount: -take })
      holdings.set(purpose, held - take)
      rest -= take
    }
  }
  if (rest !== 0) {
    lines.push({ partyId: holderId, purpose: 'cash_at_venue', amount: -rest })
    holdings.set('cash_at_venue', (holdings.get('cash_at_venue') ?? 0) - rest)
  }
  return lines
}

/** How a holder hands money over: to each party owed (`direct`), or into the platform's funds. */
export type HandOver =
  | { kind: 'direct' }
  | { kind: 'platform'; platformId: string }
  /** What the platform owes it (its commission: `purpose`), set against what it holds. */
  | { kind: 'netting'; purpose: AccountPurpose }

export interface HandOverInput {
  kind: Extract<JournalKind, 'remittance' | 'netting'>
  /** The remittance or settlement: one transaction per agreement, `<sourceId>:<agreement>`. */
  sourceId: string
  holderId: string
  currency: CurrencyCode
  how: HandOver
  claims: readonly Claim[]
  holdings: Holdings
  memo?: string | null
}

/**
 * The journal entries of a holder handing over money it held for others, one per agreement
 * (statements are per agreement): the holder's accounts credited; each claim either closed
 * (`direct`: its party received it) or released into its payable account, paid out from the
 * platform's funds (`platform`: the money is in them now; `netting`: the holder's commission
 * pays for it).
 */
export function handOverEntries(input: HandOverInput): JournalEntry[] {
  const holdings = new Map(input.holdings)
  const byAgreement = new Map<string, Claim[]>()
  for (const claim of input.claims) {
    if (!Number.isSafeInteger(claim.amount) || claim.amount <= 0) {
      throw new MitraError('invalid_amount', 'A claim handed over is a positive whole amount')
    }
    const key = claim.agreementId ?? ''
    byAgreement.set(key, [...(byAgreement.get(key) ?? []), claim])
  }
  const entries: JournalEntry[] = []
  for (const [agreement, claims] of [...byAgreement].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const total = claimsTotal(claims)
    const lines: EntryLine[] = []
    if (input.how.kind === 'platform') {
      lines.push({ partyId: input.how.platformId, purpose: 'provider_clearing', amount: total })
    } else if (input.how.kind === 'netting') {
      lines.push({ partyId: input.holderId, purpose: input.how.purpose, amount: total })
    }
    lines.push(...holderCredits(input.holderId, total, holdings))
    for (const claim of claims) {
      // The claim is closed: its party received the money (direct), or it is released into
      // the party's payable account, paid out from the platform's funds.
      lines.push({
        partyId: claim.partyId,
        purpose: 'awaiting_collection',
        amount: claim.amount,
        counterpartyId: input.holderId,
        shareRole: claim.role,
      })
      if (input.how.kind !== 'direct') {
        lines.push({
          partyId: claim.partyId,
          purpose: sharePurposes[claim.role],
          amount: -claim.amount,
          counterpartyId: input.holderId,
        })
      }
    }
    entries.push({
      kind: input.kind,
      source: { type: input.kind, id: `${input.sourceId}:${agreement || 'none'}` },
      currency: input.currency,
      agreementId: agreement === '' ? null : agreement,
      memo: input.memo ?? null,
      lines,
    })
  }
  return entries
}

/**
 * A holder's credit turned into what it is owed: it gave back more than it holds (it refunded
 * a buyer from its own till a sale it had already handed over), so the platform owes it that.
 */
export function holderCreditEntry(input: {
  sourceId: string
  holderId: string
  currency: CurrencyCode
  amount: number
  /** The holder's payable account it is owed in (a venue's commission). */
  purpose: AccountPurpose
}): JournalEntry {
  return {
    kind: 'netting',
    source: { type: 'netting', id: `${input.sourceId}:credit` },
    currency: input.currency,
    memo: `Given back by ${input.holderId} from its own money`,
    lines: [
      { partyId: input.holderId, purpose: 'cash_at_venue', amount: input.amount },
      { partyId: input.holderId, purpose: input.purpose, amount: -input.amount },
    ],
  }
}

/** A claim's route: to its party, or through the platform. */
export type Route = 'direct' | 'platform'

export interface HolderPosition {
  holderId: string
  /** What it holds for others (Σ of its holding accounts): may be less than `claims` add up to. */
  holdings: number
  /** Money held for others, with each claim's route. */
  claims: readonly (Claim & { route: Route })[]
  /** Claims already in a remittance not yet confirmed: not asked for again. */
  pending: readonly Claim[]
  /** What the platform owes the holder now (its unpaid payables). */
  owed: number
}

export interface HolderSettlement {
  /** A credit of the holder turned into what it is owed (see `holderCreditEntry`). */
  credit: number
  /** Claims its commission pays for (through the platform). */
  netted: Claim[]
  /** What it must hand over, one remittance per receiver and route. */
  dues: { toPartyId: string | null; route: Route; claims: Claim[]; amount: number }[]
}

/** Σ of claims' amounts. */
export function claimsTotal(claims: readonly Pick<Claim, 'amount'>[]): number {
  return claims.reduce((sum, claim) => sum + claim.amount, 0)
}

/** `claims` less `minus`, claim by claim, keeping positive amounts. */
export function claimsLess(claims: readonly Claim[], minus: readonly Claim[]): Claim[] {
  const taken = new Map<string, number>()
  for (const claim of minus)
    taken.set(claimKey(claim), (taken.get(claimKey(claim)) ?? 0) + claim.amount)
  const out: Claim[] = []
  for (const claim of claims) {
    const key = claimKey(claim)
    const less = Math.min(claim.amount, taken.get(key) ?? 0)
    taken.set(key, (taken.get(key) ?? 0) - less)
    if (claim.amount - less > 0) out.push({ ...claim, amount: claim.amount - less })
  }
  return out
}

/** `amount` of `claims`, spread over them by size (largest remainder, in their order). */
export function shareOfClaims(claims: readonly Claim[], amount: number): Claim[] {
  const total = claimsTotal(claims)
  if (amount <= 0 || total === 0) return []
  if (amount >= total) return claims.map((claim) => ({ ...claim }))
  const parts = allocate(
    amount,
    claims.map((claim) => claim.amount),
  )
  return claims
    .map((claim, i) => ({ ...claim, amount: parts[i] ?? 0 }))
    .filter((claim) => claim.amount > 0)
}

/**
 * Settling one holder (pure): its commission owed by the platform is set against the money
 * it holds for the platform's side (netting); what it still holds is due from it — to each
 * party owed directly, or to the platform. A credit (it gave back more than it holds) becomes
 * owed to it first.
 */
export function settleHolder(position: HolderPosition): HolderSettlement {
  const held = claimsTotal(position.claims)
  const credit = Math.max(0, held - position.holdings)
  const free = claimsLess(position.claims, position.pending)
  const routeOf = new Map(position.claims.map((claim) => [claimKey(claim), claim.route]))
  const viaPlatform = free.filter((claim) => routeOf.get(claimKey(claim)) === 'platform')
  const direct = free.filter((claim) => routeOf.get(claimKey(claim)) === 'direct')
  const netted = shareOfClaims(viaPlatform, Math.max(0, position.owed + credit))
  const dues: HolderSettlement['dues'] = []
  const toPlatform = claimsLess(viaPlatform, netted)
  if (toPlatform.length > 0) {
    dues.push({
      toPartyId: null,
      route: 'platform',
      claims: toPlatform,
      amount: claimsTotal(toPlatform),
    })
  }
  const byParty = new Map<string, Claim[]>()
  for (const claim of direct)
    byParty.set(claim.partyId, [...(byParty.get(claim.partyId) ?? []), claim])
  for (const [partyId, claims] of [...byParty].sort(([a], [b]) => (a < b ? -1 : 1))) {
    dues.push({ toPartyId: partyId, route: 'direct', claims, amount: claimsTotal(claims) })
  }
  return { credit, netted, dues }
}
