import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  amountOfClaim,
  type Claim,
  claimsLess,
  collectionHoldEntry,
  handOverEntries,
  holderCreditEntry,
  holdingPurposes,
  type Route,
  settleHolder,
} from './collection.js'
import {
  balancesOf,
  type JournalEntry,
  mirrorEntry,
  payablePurposes,
  payoutEntry,
  payoutReversalEntry,
  reversalEntry,
  saleEntry,
  validateEntry,
} from './entries.js'
import type { SplitPolicy } from './policy.js'
import { type LineSplit, reverseShares, type SplitLineInput, splitLine } from './split.js'
import { consignmentPolicy, ids, policyFor, saleLine } from './testing.js'

/*
 * Who holds the money, as a pure model: random months of counter sales, online sales,
 * refunds and returns, settlements (netting, remittances asked), remittances recorded and
 * confirmed, disputed or bounced, payouts and payouts sent back. At every step: each entry
 * and the whole ledger balance; the platform's funds never go below what it paid out
 * (payouts never exceed the money collected); a venue never holds money owed to nobody; and
 * every party's view — what it is owed, read from the ledger — equals what it earned less
 * what reached it, counted apart from the ledger.
 */

const producers = [ids.producer, 'pty_producer2']
const venues = [ids.venue, 'pty_venue2']
const platform = ids.platform
const everyone = [...producers, ...venues, ids.cooperative, platform]

type Command =
  | { t: 'sale'; policy: SplitPolicy; line: SplitLineInput; p: number; v: number; online: boolean }
  | { t: 'reverse'; sale: number; kind: 'refund' | 'return'; share: number }
  | { t: 'settle'; minimum: number }
  | { t: 'remit'; n: number; how: 'confirm' | 'dispute' | 'part' }
  | { t: 'bounce'; n: number }
  | { t: 'payoutBack'; n: number }

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('sale' as const),
      policy: consignmentPolicy,
      line: saleLine,
      p: fc.integer({ min: 0, max: 1 }),
      v: fc.integer({ min: 0, max: 1 }),
      online: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('reverse' as const),
      sale: fc.nat(),
      kind: fc.constantFrom('refund' as const, 'return' as const),
      share: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('settle' as const),
      minimum: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 3_000_000 })),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('remit' as const),
      n: fc.nat(),
      how: fc.constantFrom('confirm' as const, 'dispute' as const, 'part' as const),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('bounce' as const), n: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('payoutBack' as const), n: fc.nat() }) },
)

interface Remittance {
  id: string
  holder: string
  to: string
  route: Route
  claims: Claim[]
  status: 'due' | 'disputed' | 'confirmed' | 'bounced'
  posted: JournalEntry[]
}

class Month {
  readonly entries: JournalEntry[] = []
  readonly sales: {
    id: string
    split: LineSplit
    online: boolean
    venue: string
    agreement: string
    reversals: ReturnType<typeof reverseShares>[]
  }[] = []
  readonly remittances: Remittance[] = []
  readonly payouts: { entry: JournalEntry; party: string; amount: number; back: boolean }[] = []
  /** Counted apart from the ledger: shares earned, and money that reached each party. */
  readonly earned = new Map<string, number>()
  readonly received = new Map<string, number>()
  /** Money that came into the platform's funds, and went out of them. */
  moneyIn = 0
  moneyOut = 0
  private n = 0

  constructor(readonly routes: ReadonlyMap<string, Route>) {}

  post(...entries: (JournalEntry | null)[]): void {
    for (const entry of entries) {
      if (entry === null) continue
      validateEntry(entry)
      this.entries.push(entry)
    }
  }

  add(map: Map<string, number>, key: string, amount: number): void {
    map.set(key, (map.get(key) ?? 0) + amount)
  }

  balances(): Map<string, number> {
    return balancesOf(this.entries)
  }

  /** Claims held by `holder` as the ledger has them, keyed like the database reads them. */
  claimsHeldBy(holder: string): Claim[] {
    const byKey = new Map<string, Claim>()
    for (const entry of this.entries) {
      for (const line of entry.lines) {
        if (line.purpose !== 'awaiting_collection' || line.counterpartyId !== holder) continue
        const key = `${line.partyId}/${line.shareRole}/${entry.agreementId ?? ''}`
        const claim = byKey.get(key) ?? {
          partyId: line.partyId,
          role: line.shareRole as Claim['role'],
          agreementId: entry.agreementId ?? null,
          amount: 0,
        }
        claim.amount -= line.amount
        byKey.set(key, claim)
      }
    }
    return [...byKey.values()].filter((c) => c.amount > 0)
  }

  holdings(holder: string): Map<(typeof holdingPurposes)[number], number> {
    const balances = this.balances()
    return new Map(holdingPurposes.map((p) => [p, balances.get(`${holder}/${p}`) ?? 0]))
  }

  pending(holder: string): Claim[] {
    return this.remittances
      .filter((r) => r.holder === holder && (r.status === 'due' || r.status === 'disputed'))
      .flatMap((r) => r.claims)
  }

  funds(): number {
    const b = this.balances()
    let funds =
      (b.get(`${platform}/provider_clearing`) ?? 0) + (b.get(`${platform}/payment_fees`) ?? 0)
    for (const party of everyone) funds += b.get(`${party}/payouts_in_transit`) ?? 0
    return funds
  }

  payable(party: string): number {
    const b = this.balances()
    return -payablePurposes.reduce((sum, p) => sum + (b.get(`${party}/${p}`) ?? 0), 0)
  }

  run(c: Command): void {
    switch (c.t) {
      case 'sale': {
        const producer = producers[c.p] as string
        const venue = venues[c.v] as string
        const agreement = `agr_${c.p}_${c.v}`
        const split = splitLine(policyFor(c.policy, producer, venue), c.line)
        const id = `sl_${this.sales.length}`
        const sale = saleEntry({
          saleLineId: id,
          channel: c.online ? 'online' : 'in_venue',
          collectorId: c.online ? platform : venue,
          split,
          agreementId: agreement,
        })
        this.post(sale, collectionHoldEntry(sale, { platformId: platform }))
        this.sales.push({ id, split, online: c.online, venue, agreement, reversals: [] })
        for (const share of split.shares) {
          if (share.role === 'payment_fee') continue
          this.add(this.earned, share.partyId, share.amount.amount)
          // What a venue collects at its counter, it keeps of its own share at once.
          if (!c.online && share.partyId === venue) {
            this.add(this.received, venue, share.amount.amount)
          }
        }
        if (c.online) {
          const fee = split.shares.find((s) => s.role === 'payment_fee')?.amount.amount ?? 0
          this.moneyIn += split.gross.amount - fee
        }
        return
      }
      case 'reverse': {
        if (this.sales.length === 0) return
        const sale = this.sales[c.sale % this.sales.length]!
        const left =
          sale.split.gross.amount - sale.reversals.reduce((sum, r) => sum + r.amount.amount, 0)
        if (left <= 0) return
        const reversal = reverseShares(
          sale.split,
          { amount: { amount: Math.max(1, Math.floor(left / c.share)), currency: 'IDR' } },
          sale.reversals,
        )
        const entry = reversalEntry({
          kind: c.kind,
          sourceId: `${c.kind}_${this.n++}`,
          saleLineId: sale.id,
          collector: {
            partyId: sale.online ? platform : sale.venue,
            purpose: sale.online ? 'provider_clearing' : 'cash_at_venue',
          },
          policy: sale.split,
          reversal,
          agreementId: sale.agreement,
        })
        const given = reversal.amount.amount
        // The provider gives a refund back only from what the platform's funds still hold.
        if (sale.online && given > this.funds()) return
        const free = claimsLess(this.claimsHeldBy(sale.venue), this.pending(sale.venue))
        const stillHeld = (claim: Omit<Claim, 'amount'>) => amountOfClaim(free, claim)
        const hold = collectionHoldEntry(entry, { platformId: platform, stillHeld })
        this.post(entry, hold)
        sale.reversals.push(reversal)
        for (const share of reversal.shares) {
          if (share.role === 'payment_fee') continue
          this.add(this.earned, share.partyId, share.amount.amount)
        }
        if (sale.online) {
          const fee = reversal.shares.find((s) => s.role === 'payment_fee')?.amount.amount ?? 0
          this.moneyIn -= given + fee
        } else {
          // The venue gives the buyer back its own share, and out of its own pocket what it
          // had already handed over of the others'.
          const own = reversal.shares
            .filter((s) => s.partyId === sale.venue && s.role !== 'payment_fee')
            .reduce((sum, s) => sum + s.amount.amount, 0)
          const others = reversal.shares
            .filter((s) => s.partyId !== sale.venue && s.role !== 'payment_fee')
            .reduce((sum, s) => sum - s.amount.amount, 0)
          const taken = (hold?.lines ?? [])
            .filter((l) => l.purpose === 'awaiting_collection')
            .reduce((sum, l) => sum + l.amount, 0)
          this.add(this.received, sale.venue, own)
          this.add(this.received, sale.venue, -(others - taken))
        }
        return
      }
      case 'settle': {
        for (const holder of venues) {
          const holdings = this.holdings(holder)
          const claims = this.claimsHeldBy(holder).map((claim) => ({
            ...claim,
            route:
              claim.role === 'platform' || claim.partyId === platform
                ? ('platform' as const)
                : (this.routes.get(claim.agreementId ?? '') ?? 'platform'),
          }))
          const plan = settleHolder({
            holderId: holder,
            holdings: [...holdings.values()].reduce((a, b) => a + b, 0),
            claims,
            pending: this.pending(holder),
            owed: this.payable(holder),
          })
          const owedBefore = this.payable(holder)
          const sourceId = `stl_${this.n++}:${holder}`
          if (plan.credit > 0) {
            this.post(
              holderCreditEntry({
                sourceId,
                holderId: holder,
                currency: 'IDR',
                amount: plan.credit,
                purpose: 'commission_revenue',
              }),
            )
            holdings.set('cash_at_venue', (holdings.get('cash_at_venue') ?? 0) + plan.credit)
          }
          if (plan.netted.length > 0) {
            this.post(
              ...handOverEntries({
                kind: 'netting',
                sourceId,
                holderId: holder,
                currency: 'IDR',
                how: { kind: 'netting', purpose: 'commission_revenue' },
                claims: plan.netted,
                holdings,
              }),
            )
            this.add(
              this.received,
              holder,
              plan.netted.reduce((sum, claim) => sum + claim.amount, 0),
            )
          }
          // Netting takes no more of its commission than the platform owes it.
          expect(this.payable(holder)).toBeGreaterThanOrEqual(Math.min(0, owedBefore))
          for (const due of plan.dues) {
            this.remittances.push({
              id: `rem_${this.n++}`,
              holder,
              to: due.toPartyId ?? platform,
              route: due.route,
              claims: due.claims,
              status: 'due',
              posted: [],
            })
          }
        }
        // Payouts in party order while the funds last; the rest waits.
        let funds = this.funds()
        for (const party of [...everyone].sort()) {
          const due = this.payable(party)
          if (due <= 0 || due < c.minimum || due > funds) continue
          funds -= due
          const b = this.balances()
          const entry = payoutEntry({
            payoutId: `po_${this.n++}`,
            partyId: party,
            currency: 'IDR',
            items: payablePurposes
              .filter((p) => (b.get(`${party}/${p}`) ?? 0) !== 0)
              .map((purpose, position) => ({
                transactionId: '',
                position,
                purpose,
                amount: b.get(`${party}/${purpose}`) ?? 0,
              })),
          })
          this.post(entry)
          this.payouts.push({ entry, party, amount: due, back: false })
          this.add(this.received, party, due)
          this.moneyOut += due
        }
        return
      }
      case 'remit': {
        const open = this.remittances.filter((r) => r.status === 'due' || r.status === 'disputed')
        if (open.length === 0) return
        const r = open[c.n % open.length]!
        if (c.how === 'dispute') {
          r.status = 'disputed'
          return
        }
        const total = r.claims.reduce((sum, claim) => sum + claim.amount, 0)
        if (c.how === 'part' && total > 1) {
          // A part payment: the rest stays due as a remittance of its own.
          const paid = shareClaims(r.claims, Math.floor(total / 2))
          this.remittances.push({
            ...r,
            id: `rem_${this.n++}`,
            claims: claimsLess(r.claims, paid),
            status: 'due',
            posted: [],
          })
          r.claims = paid
        }
        r.posted = handOverEntries({
          kind: 'remittance',
          sourceId: r.id,
          holderId: r.holder,
          currency: 'IDR',
          how:
            r.route === 'direct' ? { kind: 'direct' } : { kind: 'platform', platformId: platform },
          claims: r.claims,
          holdings: this.holdings(r.holder),
        })
        this.post(...r.posted)
        r.status = 'confirmed'
        const amount = r.claims.reduce((sum, claim) => sum + claim.amount, 0)
        if (r.route === 'direct') this.add(this.received, r.to, amount)
        else this.moneyIn += amount
        return
      }
      case 'bounce': {
        const confirmed = this.remittances.filter((r) => r.status === 'confirmed')
        if (confirmed.length === 0) return
        const r = confirmed[c.n % confirmed.length]!
        const amount = r.claims.reduce((sum, claim) => sum + claim.amount, 0)
        // Money paid in to the platform comes back only while its funds hold it.
        if (r.route === 'platform' && amount > this.funds()) return
        this.post(...r.posted.map((e) => mirrorEntry(e, 'remittance_reversal', e.source.id)))
        r.status = 'bounced'
        this.remittances.push({ ...r, id: `rem_${this.n++}`, status: 'due', posted: [] })
        if (r.route === 'direct') this.add(this.received, r.to, -amount)
        else this.moneyIn -= amount
        return
      }
      case 'payoutBack': {
        const live = this.payouts.filter((p) => !p.back)
        if (live.length === 0) return
        const payout = live[c.n % live.length]!
        this.post(payoutReversalEntry(payout.entry))
        payout.back = true
        this.add(this.received, payout.party, -payout.amount)
        this.moneyOut -= payout.amount
        return
      }
    }
  }

  check(): void {
    const b = this.balances()
    // The whole ledger adds up to zero.
    expect([...b.values()].reduce((sum, x) => sum + x, 0)).toBe(0)
    // Payouts never exceed the money collected: the funds are what came in less what left.
    expect(this.funds()).toBe(this.moneyIn - this.moneyOut)
    expect(this.moneyOut).toBeLessThanOrEqual(this.moneyIn)
    for (const venue of venues) {
      const held = this.claimsHeldBy(venue).reduce((sum, claim) => sum + claim.amount, 0)
      const holds = [...this.holdings(venue).values()].reduce((sum, x) => sum + x, 0)
      // A venue never holds money owed to nobody; less only when it gave back from its own.
      expect(holds).toBeLessThanOrEqual(held)
    }
    for (const party of everyone) {
      const awaiting = this.entries
        .flatMap((e) => e.lines)
        .filter((l) => l.partyId === party && l.purpose === 'awaiting_collection')
        .reduce((sum, l) => sum - l.amount, 0)
      const isHolder = venues.includes(party)
      const credit = isHolder
        ? this.claimsHeldBy(party).reduce((sum, claim) => sum + claim.amount, 0) -
          [...this.holdings(party).values()].reduce((sum, x) => sum + x, 0)
        : 0
      // Its view — owed, collected or held by others, plus what it gave from its own pocket —
      // is what it earned less what reached it.
      expect(this.payable(party) + awaiting + credit).toBe(
        (this.earned.get(party) ?? 0) - (this.received.get(party) ?? 0),
      )
    }
  }
}

function shareClaims(claims: readonly Claim[], amount: number): Claim[] {
  const out: Claim[] = []
  let rest = amount
  for (const claim of claims) {
    const take = Math.min(rest, claim.amount)
    if (take > 0) out.push({ ...claim, amount: take })
    rest -= take
  }
  return out
}

describe('who holds the money (model)', () => {
  it('never pays out more than was collected, and every view equals the ledger', () => {
    const seen = new Map<string, number>()
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<Route>('platform', 'direct'), { minLength: 4, maxLength: 4 }),
        fc.array(command, { minLength: 1, maxLength: 40 }),
        (routeList, commands) => {
          const routes = new Map(
            ['agr_0_0', 'agr_0_1', 'agr_1_0', 'agr_1_1'].map((a, i) => [a, routeList[i] as Route]),
          )
          const month = new Month(routes)
          for (const c of commands) {
            month.run(c)
            month.check()
          }
          // Settling and confirming everything leaves no venue holding anything.
          for (let i = 0; i < 3; i++) {
            month.run({ t: 'settle', minimum: 1 })
            while (month.remittances.some((r) => r.status === 'due' || r.status === 'disputed')) {
              month.run({ t: 'remit', n: 0, how: 'confirm' })
            }
          }
          month.check()
          for (const venue of venues) {
            expect(claimsLess(month.claimsHeldBy(venue), [])).toEqual([])
          }
          for (const entry of month.entries) seen.set(entry.kind, (seen.get(entry.kind) ?? 0) + 1)
          for (const r of month.remittances)
            seen.set(`${r.route}:${r.status}`, (seen.get(`${r.route}:${r.status}`) ?? 0) + 1)
        },
      ),
      { numRuns: 1_000 },
    )
    for (const kind of [
      'sale',
      'refund',
      'return',
      'collection_hold',
      'netting',
      'remittance',
      'payout',
      'payout_reversal',
      'direct:confirmed',
      'platform:confirmed',
    ]) {
      expect(seen.get(kind) ?? 0, kind).toBeGreaterThan(20)
    }
    // Bounces need a confirmed remittance first: rarer (about a dozen in 1,000 runs), still seen.
    expect(seen.get('remittance_reversal') ?? 0).toBeGreaterThan(0)
    expect(seen.get('direct:bounced') ?? 0).toBeGreaterThan(0)
  })
})
