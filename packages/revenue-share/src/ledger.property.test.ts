import { newId } from '@mitra/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  advanceDeduction,
  advanceDeductionEntry,
  advanceEntry,
  amountDue,
  balancesOf,
  isPayable,
  type JournalEntry,
  liabilityEntry,
  liabilitySplit,
  owedTo,
  type PayableItem,
  payoutEntry,
  payoutReversalEntry,
  penaltyEntry,
  reversalEntry,
  saleEntry,
  validateEntry,
} from './entries.js'
import { fparse, frac, fsub } from './fraction.js'
import type { SplitPolicy } from './policy.js'
import {
  type LineReversal,
  type LineSplit,
  type ReversalRequest,
  reverseShares,
  type SplitLineInput,
  splitLine,
} from './split.js'
import { consignmentPolicy, idr, ids, saleLine } from './testing.js'

/*
 * A pure model of the ledger: the entries the posting functions write, kept in memory, with
 * payouts on items. Random sequences of sales, refunds, returns, damage, advances, their
 * deductions, penalties, payouts and payout reversals must leave every transaction and the
 * whole ledger balanced, pay no line twice, and leave every party owed exactly its shares
 * (and adjustments) minus what it was paid — computed independently of the ledger.
 */

const producers: string[] = [ids.producer, newId('pty')]
const venues: string[] = [ids.venue, newId('pty')]
const everyone = [...producers, ...venues, ids.cooperative, ids.platform, ids.core, ids.buyer]

function forParties(policy: SplitPolicy, producer: string, venue: string): SplitPolicy {
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

type Command =
  | { t: 'sale'; policy: SplitPolicy; line: SplitLineInput; p: number; v: number; online: boolean }
  | {
      t: 'reverse'
      sale: number
      kind: 'refund' | 'return'
      how: 'amount' | 'fraction' | 'quantity'
      a: number
      b: number
    }
  | { t: 'damage'; p: number; v: number; value: number; bearer: 'venue' | 'producer' | 'shared' }
  | { t: 'advance'; p: number; amount: number }
  | { t: 'deduct'; p: number; bps: number }
  | { t: 'penalty'; p: number; amount: number }
  | { t: 'payout'; party: number; minimum: number }
  | { t: 'reversePayout'; n: number }

const index2 = fc.integer({ min: 0, max: 1 })
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('sale' as const),
      policy: consignmentPolicy,
      line: saleLine,
      p: index2,
      v: index2,
      online: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('reverse' as const),
      sale: fc.nat(),
      kind: fc.constantFrom('refund' as const, 'return' as const),
      how: fc.constantFrom('amount' as const, 'fraction' as const, 'quantity' as const),
      a: fc.integer({ min: 1, max: 10_000_000 }),
      b: fc.integer({ min: 1, max: 12 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('damage' as const),
      p: index2,
      v: index2,
      value: fc.integer({ min: 0, max: 2_000_000 }),
      bearer: fc.constantFrom('venue' as const, 'producer' as const, 'shared' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      p: index2,
      amount: fc.integer({ min: 1, max: 3_000_000 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('deduct' as const),
      p: index2,
      bps: fc.integer({ min: 0, max: 10_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('penalty' as const),
      p: index2,
      amount: fc.integer({ min: 1, max: 500_000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('payout' as const),
      party: fc.integer({ min: 0, max: everyone.length - 1 }),
      minimum: fc.integer({ min: 0, max: 200_000 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('reversePayout' as const), n: fc.nat() }) },
)

class LedgerModel {
  readonly entries: JournalEntry[] = []
  /** `entry:position` → the payout (entry index) that paid it, while not reversed. */
  readonly paidBy = new Map<string, number>()
  readonly payouts: {
    entry: number
    party: string
    amount: number
    keys: string[]
    reversed: boolean
  }[] = []
  readonly sales: {
    id: string
    split: LineSplit
    online: boolean
    collector: string
    reversals: LineReversal[]
  }[] = []
  /** Independent expectations. */
  readonly earned = new Map<string, number>()
  readonly paid = new Map<string, number>()
  readonly outstanding = new Map<string, number>()
  collected = 0

  post(entry: JournalEntry): number {
    validateEntry(entry)
    this.entries.push(entry)
    return this.entries.length - 1
  }

  add(map: Map<string, number>, key: string, amount: number): void {
    map.set(key, (map.get(key) ?? 0) + amount)
  }

  unpaid(party: string): (PayableItem & { key: string })[] {
    const items: (PayableItem & { key: string })[] = []
    this.entries.forEach((entry, e) => {
      if (entry.kind === 'payout' || entry.kind === 'payout_reversal') return
      entry.lines.forEach((line, position) => {
        const key = `${e}:${position}`
        if (line.partyId !== party || !isPayable(line.purpose) || this.paidBy.has(key)) return
        items.push({
          key,
          transactionId: String(e),
          position,
          purpose: line.purpose,
          amount: line.amount,
        })
      })
    })
    return items
  }

  run(c: Command): void {
    switch (c.t) {
      case 'sale': {
        const producer = producers[c.p] as string
        const venue = venues[c.v] as string
        const split = splitLine(forParties(c.policy, producer, venue), c.line)
        const id = `sl_${this.sales.length}`
        const collector = c.online ? ids.platform : venue
        this.post(
          saleEntry({
            saleLineId: id,
            channel: c.online ? 'online' : 'in_venue',
            collectorId: collector,
            split,
          }),
        )
        this.sales.push({ id, split, online: c.online, collector, reversals: [] })
        this.collected += split.gross.amount
        for (const share of split.shares) {
          if (share.role !== 'payment_fee')
            this.add(this.earned, share.partyId, share.amount.amount)
        }
        return
      }
      case 'reverse': {
        if (this.sales.length === 0) return
        const sale = this.sales[c.sale % this.sales.length]!
        const request = this.request(sale.split, sale.reversals, c)
        if (request === null) return
        const reversal = reverseShares(sale.split, request, sale.reversals)
        sale.reversals.push(reversal)
        this.post(
          reversalEntry({
            kind: c.kind,
            sourceId: `${c.kind}_${this.entries.length}`,
            saleLineId: sale.id,
            collector: {
              partyId: sale.collector,
              purpose: sale.online ? 'provider_clearing' : 'cash_at_venue',
            },
            policy: sale.split,
            reversal,
          }),
        )
        this.collected -= reversal.amount.amount
        for (const share of reversal.shares) {
          if (share.role !== 'payment_fee')
            this.add(this.earned, share.partyId, share.amount.amount)
        }
        return
      }
      case 'damage': {
        const { venue } = liabilitySplit(idr(c.value), c.bearer)
        if (venue.amount === 0) return
        const producerId = producers[c.p] as string
        this.post(
          liabilityEntry({
            kind: 'damage',
            sourceId: `dmg_${this.entries.length}`,
            venueId: venues[c.v] as string,
            producerId,
            venueOwes: venue,
          }),
        )
        this.add(this.earned, producerId, venue.amount)
        return
      }
      case 'advance': {
        const producerId = producers[c.p] as string
        this.post(
          advanceEntry({
            sourceId: `adv_${this.entries.length}`,
            producerId,
            corePartnerId: ids.core,
            amount: idr(c.amount),
          }),
        )
        this.add(this.outstanding, producerId, c.amount)
        return
      }
      case 'deduct': {
        const producerId = producers[c.p] as string
        const settlement = (this.earned.get(producerId) ?? 0) - (this.paid.get(producerId) ?? 0)
        const deduction = advanceDeduction(
          idr(this.outstanding.get(producerId) ?? 0),
          idr(settlement),
          c.bps,
        )
        expect(deduction.amount).toBeGreaterThanOrEqual(0)
        if (deduction.amount === 0) return
        this.post(
          advanceDeductionEntry({
            sourceId: `ded_${this.entries.length}`,
            producerId,
            corePartnerId: ids.core,
            amount: deduction,
          }),
        )
        this.add(this.outstanding, producerId, -deduction.amount)
        this.add(this.earned, producerId, -deduction.amount)
        this.add(this.earned, ids.core, deduction.amount)
        return
      }
      case 'penalty': {
        const producerId = producers[c.p] as string
        this.post(
          penaltyEntry({
            sourceId: `pen_${this.entries.length}`,
            producerId,
            buyerId: ids.buyer,
            amount: idr(c.amount),
          }),
        )
        this.add(this.earned, producerId, -c.amount)
        return
      }
      case 'payout': {
        const party = everyone[c.party] as string
        const items = this.unpaid(party)
        const due = amountDue(items)
        if (due <= 0 || due < c.minimum) return
        const entry = this.post(
          payoutEntry({
            payoutId: `po_${this.entries.length}`,
            partyId: party,
            currency: 'IDR',
            items,
          }),
        )
        for (const item of items) {
          // A payout never pays an item twice.
          expect(this.paidBy.has(item.key)).toBe(false)
          this.paidBy.set(item.key, entry)
        }
        this.payouts.push({
          entry,
          party,
          amount: due,
          keys: items.map((i) => i.key),
          reversed: false,
        })
        this.add(this.paid, party, due)
        return
      }
      case 'reversePayout': {
        const active = this.payouts.filter((p) => !p.reversed)
        if (active.length === 0) return
        const payout = active[c.n % active.length]!
        this.post(payoutReversalEntry(this.entries[payout.entry] as JournalEntry))
        payout.reversed = true
        for (const key of payout.keys) this.paidBy.delete(key)
        this.add(this.paid, payout.party, -payout.amount)
        return
      }
    }
  }

  request(
    split: LineSplit,
    done: readonly LineReversal[],
    c: Extract<Command, { t: 'reverse' }>,
  ): ReversalRequest | null {
    const left = split.gross.amount - done.reduce((acc, r) => acc + r.amount.amount, 0)
    const fraction = done.length === 0 ? frac(0) : fparse(done.at(-1)!.reversedFraction)
    if (c.how === 'amount') return left > 0 ? { amount: idr(1 + (c.a % left)) } : null
    if (c.how === 'quantity') {
      const units = fsub(
        frac(split.quantity),
        frac(fraction.n * BigInt(split.quantity), fraction.d),
      )
      if (units.d !== 1n || units.n < 1n) return null
      return { quantity: 1 + (c.a % Number(units.n)) }
    }
    const step = frac(1 + (c.a % c.b), c.b + 1)
    const after = frac(fraction.n * step.d + step.n * fraction.d, fraction.d * step.d)
    return after.n <= after.d
      ? { fraction: { numerator: Number(step.n), denominator: Number(step.d) } }
      : null
  }

  check(): void {
    const balances = balancesOf(this.entries)
    // Trial balance: the whole ledger adds up to zero.
    expect([...balances.values()].reduce((acc, b) => acc + b, 0)).toBe(0)
    for (const party of everyone) {
      const owed = owedTo(balances, party)
      // Every party is owed its shares and adjustments minus what it was paid …
      expect(owed).toBe((this.earned.get(party) ?? 0) - (this.paid.get(party) ?? 0))
      // … which is exactly the items no payout has paid yet.
      expect(owed).toBe(amountDue(this.unpaid(party)))
    }
    for (const producer of producers) {
      expect(balances.get(`${producer}/advances_receivable`) ?? 0).toBe(
        this.outstanding.get(producer) ?? 0,
      )
      expect(this.outstanding.get(producer) ?? 0).toBeGreaterThanOrEqual(0)
    }
    const clearing = [...balances.entries()]
      .filter(([key]) => key.endsWith('/provider_clearing') || key.endsWith('/cash_at_venue'))
      .reduce((acc, [, b]) => acc + b, 0)
    expect(clearing).toBe(this.collected)
    const inTransit = [...balances.entries()]
      .filter(([key]) => key.endsWith('/payouts_in_transit'))
      .reduce((acc, [, b]) => acc + b, 0)
    expect(inTransit + [...this.paid.values()].reduce((acc, p) => acc + p, 0)).toBe(0)
  }
}

describe('ledger model (invariants 2, 5, 6)', () => {
  it('stays balanced, pays no line twice, and owes every party its shares minus its payouts', () => {
    const seen = new Map<string, number>()
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 40 }), (commands) => {
        const model = new LedgerModel()
        for (const c of commands) {
          model.run(c)
          for (const entry of model.entries.slice(-1)) {
            expect(entry.lines.reduce((acc, l) => acc + l.amount, 0)).toBe(0)
          }
        }
        model.check()
        for (const entry of model.entries) seen.set(entry.kind, (seen.get(entry.kind) ?? 0) + 1)
        // Paying everyone everything leaves nothing owed and every item paid once.
        for (let party = 0; party < everyone.length; party++)
          model.run({ t: 'payout', party, minimum: 0 })
        model.check()
        for (const party of everyone) {
          const owed = owedTo(balancesOf(model.entries), party)
          expect(owed).toBeLessThanOrEqual(0)
        }
      }),
      { numRuns: 1_000 },
    )
    // The sequences exercise every kind of posting.
    for (const kind of [
      'sale',
      'refund',
      'return',
      'damage',
      'advance',
      'advance_deduction',
      'penalty',
      'payout',
      'payout_reversal',
    ]) {
      expect(seen.get(kind) ?? 0, kind).toBeGreaterThan(20)
    }
  })
})
