import { newId } from '@mitra/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { collectionHoldEntry } from './collection.js'
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
import { consignmentPolicy, idr, ids, policyFor, saleLine } from './testing.js'

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

type Command =
  | {
      t: 'sale'
      policy: SplitPolicy
      line: SplitLineInput
      p: number
      v: number
      online: boolean
      /** Its database transaction is still open when the next payout takes its snapshot. */
      late: boolean
    }
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
  | {
      t: 'payout'
      party: number
      minimum: number
      /** Money collected for the party in the payout's own transaction, before it (0: none). */
      before: number
      /** … and after it. */
      after: number
      /** Its transaction began (took an xid) before the previous commands ran. */
      early: boolean
    }
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
      late: fc.boolean(),
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
      before: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300_000 })),
      after: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300_000 })),
      early: fc.boolean(),
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
  /** Payouts as the database keeps them: coverage by snapshot, rows for the rest. */
  readonly coverage = new SnapshotCoverage()

  post(entry: JournalEntry, xid?: number): number {
    validateEntry(entry)
    this.entries.push(entry)
    this.coverage.wrote(entry, xid)
    return this.entries.length - 1
  }

  add(map: Map<string, number>, key: string, amount: number): void {
    map.set(key, (map.get(key) ?? 0) + amount)
  }

  /** The unpaid items of the party that a transaction (`own`, or none) can see. */
  unpaid(party: string, own?: number): (PayableItem & { key: string })[] {
    const items: (PayableItem & { key: string })[] = []
    this.entries.forEach((entry, e) => {
      if (entry.kind === 'payout' || entry.kind === 'payout_reversal') return
      if (!this.coverage.visible(e, own)) return
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

  /** A transaction that took its xid early and has written nothing yet. */
  private reserved: number | undefined

  run(c: Command): void {
    this.reserved ??= this.coverage.begin()
    if (c.t !== 'sale' && c.t !== 'payout') this.coverage.commitAll(this.reserved)
    switch (c.t) {
      case 'sale': {
        const producer = producers[c.p] as string
        const venue = venues[c.v] as string
        const split = splitLine(policyFor(c.policy, producer, venue), c.line)
        const id = `sl_${this.sales.length}`
        const collector = c.online ? ids.platform : venue
        const sale = saleEntry({
          saleLineId: id,
          channel: c.online ? 'online' : 'in_venue',
          collectorId: collector,
          split,
        })
        // A venue's counter sale is posted with its hold, in the same transaction.
        const hold = collectionHoldEntry(sale, { platformId: ids.platform })
        const xid = c.late || hold !== null ? this.coverage.begin() : undefined
        this.post(sale, xid)
        if (hold !== null) this.post(hold, xid)
        if (xid !== undefined && !c.late) this.coverage.commit(xid)
        this.sales.push({ id, split, online: c.online, collector, reversals: [] })
        if (c.online) this.collected += split.gross.amount
        for (const share of split.shares) {
          // Shares of money a venue holds are owed by it, not paid out: none is payable.
          if (share.role !== 'payment_fee' && c.online)
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
        const entry = reversalEntry({
          kind: c.kind,
          sourceId: `${c.kind}_${this.entries.length}`,
          saleLineId: sale.id,
          collector: {
            partyId: sale.collector,
            purpose: sale.online ? 'provider_clearing' : 'cash_at_venue',
          },
          policy: sale.split,
          reversal,
        })
        // Nothing is ever handed over here: the venue still holds every share it gives back.
        const hold = collectionHoldEntry(entry, { platformId: ids.platform })
        const xid = hold === null ? undefined : this.coverage.begin()
        this.post(entry, xid)
        if (hold !== null) this.post(hold, xid)
        if (xid !== undefined) this.coverage.commit(xid)
        if (sale.online) this.collected -= reversal.amount.amount
        for (const share of reversal.shares) {
          if (share.role !== 'payment_fee' && sale.online)
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
        // Owed by the venue, awaiting collection: not payable.
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
        let xid = this.coverage.begin()
        if (c.early && this.reserved !== undefined) {
          // It was running, with a lower xid, while earlier payouts took their snapshots.
          this.coverage.commit(xid)
          xid = this.reserved
          this.reserved = undefined
        }
        // Money collected for the party in the payout's own transaction (an online sale).
        const damage = (value: number, sourceId: string) => {
          if (value === 0 || !producers.includes(party)) return
          this.post(
            {
              kind: 'sale',
              source: { type: 'sale_line', id: sourceId },
              currency: 'IDR',
              lines: [
                { partyId: ids.platform, purpose: 'provider_clearing', amount: value },
                { partyId: party, purpose: 'payable_to_producer', amount: -value },
              ],
            },
            xid,
          )
          this.collected += value
          this.add(this.earned, party, value)
        }
        damage(c.before, `dmg_before_${this.entries.length}`)
        const items = this.unpaid(party, xid)
        // The database's rule finds exactly these items.
        expect(this.coverage.unpaidKeys(this.entries, party, xid)).toEqual(items.map((i) => i.key))
        const due = amountDue(items)
        if (due > 0 && due >= c.minimum) {
          const entry = this.post(
            payoutEntry({
              payoutId: `po_${this.entries.length}`,
              partyId: party,
              currency: 'IDR',
              items,
            }),
            xid,
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
          this.coverage.payout(entry, party, xid, items)
          this.add(this.paid, party, due)
        }
        damage(c.after, `dmg_after_${this.entries.length}`)
        this.coverage.commit(xid)
        // Transactions open during the snapshot commit after it.
        this.coverage.commitAll(this.reserved)
        return
      }
      case 'reversePayout': {
        const active = this.payouts.filter((p) => !p.reversed)
        if (active.length === 0) return
        const payout = active[c.n % active.length]!
        this.post(payoutReversalEntry(this.entries[payout.entry] as JournalEntry))
        payout.reversed = true
        this.coverage.reverse(payout.entry)
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
    this.coverage.commitAll()
    for (const party of everyone) {
      expect(this.coverage.unpaidKeys(this.entries, party)).toEqual(
        this.unpaid(party).map((i) => i.key),
      )
    }
    // Each payout's items, derived as the database derives them, are the ones it paid.
    for (const payout of this.payouts) {
      expect(this.coverage.itemsOf(this.entries, payout.entry)).toEqual([...payout.keys].sort())
    }
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
    // The provider holds what was collected online; each venue holds exactly what it owes
    // others (its counter money less what it kept, and damage it is liable for).
    expect(balances.get(`${ids.platform}/provider_clearing`) ?? 0).toBe(this.collected)
    for (const venue of venues) {
      const held = this.entries
        .flatMap((entry) => entry.lines)
        .filter((line) => line.purpose === 'awaiting_collection' && line.counterpartyId === venue)
        .reduce((acc, line) => acc - line.amount, 0)
      expect(
        (balances.get(`${venue}/cash_at_venue`) ?? 0) +
          (balances.get(`${venue}/damages_receivable`) ?? 0),
      ).toBe(held)
    }
    const inTransit = [...balances.entries()]
      .filter(([key]) => key.endsWith('/payouts_in_transit'))
      .reduce((acc, [, b]) => acc + b, 0)
    expect(inTransit + [...this.paid.values()].reduce((acc, p) => acc + p, 0)).toBe(0)
  }
}

interface SnapshotPayout {
  entry: number
  party: string
  xid: number
  /** The transactions committed when it took its snapshot. */
  seen: ReadonlySet<number>
  position: number
  reversed: boolean
}

/**
 * The payouts' coverage rule (the `payouts` table), over simulated database transactions:
 * each entry is written by a transaction (xid), which commits at once or stays open (a late
 * sale, a payout's own transaction) while payouts take snapshots. A payout covers, without
 * rows, the lines of transactions its snapshot sees and the previous payout of its chain did
 * not; everything else it pays gets a row. The model checks that this finds exactly the
 * unpaid items and each payout's items that plain bookkeeping finds.
 */
class SnapshotCoverage {
  private nextXid = 1
  private readonly xidOf: number[] = []
  private readonly committed = new Set<number>()
  private readonly open = new Set<number>()
  private readonly chains = new Map<string, SnapshotPayout[]>()
  private readonly byEntry = new Map<number, SnapshotPayout>()
  /** `entry:position` → rows: the payout (entry) and whether the row was released. */
  private readonly rows = new Map<string, { payout: SnapshotPayout; released: boolean }[]>()

  begin(): number {
    const xid = this.nextXid++
    this.open.add(xid)
    return xid
  }

  commit(xid: number): void {
    this.open.delete(xid)
    this.committed.add(xid)
  }

  commitAll(except?: number): void {
    for (const xid of [...this.open]) if (xid !== except) this.commit(xid)
  }

  wrote(_entry: JournalEntry, xid?: number): void {
    if (xid === undefined) {
      const own = this.begin()
      this.xidOf.push(own)
      this.commit(own)
    } else {
      this.xidOf.push(xid)
    }
  }

  visible(entry: number, own?: number): boolean {
    const xid = this.xidOf[entry] as number
    return this.committed.has(xid) || xid === own
  }

  private seenBy(p: SnapshotPayout | undefined, xid: number): boolean {
    return p !== undefined && xid !== p.xid && p.seen.has(xid)
  }

  /** The payout that covers a transaction's lines by snapshot, if any yet. */
  private owner(party: string, xid: number): SnapshotPayout | undefined {
    const chain = this.chains.get(party) ?? []
    return chain.find((p, i) => this.seenBy(p, xid) && !this.seenBy(chain[i - 1], xid))
  }

  private isUnpaid(party: string, key: string, xid: number): boolean {
    const rows = this.rows.get(key) ?? []
    if (rows.length > 0) return rows.every((r) => r.released)
    const owner = this.owner(party, xid)
    return owner === undefined || owner.reversed
  }

  private payableKeys(
    entries: readonly JournalEntry[],
    party: string,
    own?: number,
  ): { key: string; xid: number }[] {
    const keys: { key: string; xid: number }[] = []
    entries.forEach((entry, e) => {
      if (entry.kind === 'payout' || entry.kind === 'payout_reversal') return
      if (!this.visible(e, own)) return
      entry.lines.forEach((line, position) => {
        if (line.partyId !== party || !isPayable(line.purpose)) return
        keys.push({ key: `${e}:${position}`, xid: this.xidOf[e] as number })
      })
    })
    return keys
  }

  unpaidKeys(entries: readonly JournalEntry[], party: string, own?: number): string[] {
    return this.payableKeys(entries, party, own)
      .filter(({ key, xid }) => this.isUnpaid(party, key, xid))
      .map(({ key }) => key)
  }

  /** A payout of the items, made by transaction `xid` after the snapshot it takes now. */
  payout(entry: number, party: string, xid: number, items: readonly { key: string }[]): void {
    const chain = this.chains.get(party) ?? []
    const payout: SnapshotPayout = {
      entry,
      party,
      xid,
      seen: new Set(this.committed),
      position: chain.length + 1,
      reversed: false,
    }
    for (const item of items) {
      const line = Number(item.key.split(':')[0])
      const lineXid = this.xidOf[line] as number
      const coveredBySnapshot =
        (this.rows.get(item.key) ?? []).length === 0 &&
        this.seenBy(payout, lineXid) &&
        !this.seenBy(chain.at(-1), lineXid)
      if (!coveredBySnapshot) {
        this.rows.set(item.key, [...(this.rows.get(item.key) ?? []), { payout, released: false }])
      }
    }
    this.chains.set(party, [...chain, payout])
    this.byEntry.set(entry, payout)
  }

  reverse(entry: number): void {
    const payout = this.byEntry.get(entry) as SnapshotPayout
    payout.reversed = true
    for (const rows of this.rows.values()) {
      for (const row of rows) if (row.payout === payout) row.released = true
    }
  }

  /** A payout's items: its rows, and the lines it covers that no earlier payout had a row for. */
  itemsOf(entries: readonly JournalEntry[], entry: number): string[] {
    const payout = this.byEntry.get(entry) as SnapshotPayout
    const chain = this.chains.get(payout.party) ?? []
    const previous = chain[payout.position - 2]
    const items = this.payableKeys(entries, payout.party).filter(({ key, xid }) => {
      const rows = this.rows.get(key) ?? []
      if (rows.some((r) => r.payout === payout)) return true
      return (
        this.seenBy(payout, xid) &&
        !this.seenBy(previous, xid) &&
        !rows.some((r) => r.payout.position < payout.position)
      )
    })
    return items.map(({ key }) => key).sort()
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
          model.run({ t: 'payout', party, minimum: 0, before: 0, after: 0, early: false })
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
