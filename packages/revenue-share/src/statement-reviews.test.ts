import { createHash } from 'node:crypto'
import { sampleTerms } from '@mitra/consignment/testing'
import { type Id, isMitraError, newId } from '@mitra/core'
import { agreements, agreementVersions, type Executor } from '@mitra/db'
import { testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { postSale } from './ledger.js'
import { policyFromConsignmentTerms } from './policy.js'
import { splitLine } from './split.js'
import {
  acknowledgeStatement,
  agreementStatement,
  disputeStatementLine,
  periodOfSpec,
  resolveDispute,
  reviewStatus,
  type StatementCycle,
  settlementPeriodOf,
  settlementPeriods,
  statementHash,
  statementReview,
} from './statement-reviews.js'
import { buildStatement } from './statements.js'
import { createParty, idr, ids } from './testing.js'

const cycles: StatementCycle[] = ['weekly', 'twice_monthly', 'monthly']
const wib = 7 * 3_600_000
/** The WIB calendar parts of an instant. */
const local = (d: Date) => {
  const l = new Date(d.getTime() + wib)
  return {
    y: l.getUTCFullYear(),
    m: l.getUTCMonth(),
    d: l.getUTCDate(),
    dow: l.getUTCDay(),
    h: l.getUTCHours(),
    min: l.getUTCMinutes(),
    s: l.getUTCSeconds(),
    ms: l.getUTCMilliseconds(),
  }
}
const instant = fc
  .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) })
  .map((t) => new Date(t))

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (isMitraError(error)) return `${error.status}:${error.code}`
    throw error
  }
  return 'resolved'
}

/** A refusal as the API shows it: status, code and the request fields it names. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (isMitraError(error)) {
      return { status: error.status, code: error.code, paths: error.errors.map((e) => e.path) }
    }
    throw error
  }
  return 'resolved'
}

describe('settlementPeriods', () => {
  it('uses WIB boundaries: Monday–Sunday, 1–15 / 16–end, calendar months', () => {
    // 2026-01-31 17:30 UTC is Sunday 1 February 00:30 WIB.
    const at = new Date('2026-01-31T17:30:00Z')
    expect(settlementPeriodOf('monthly', at)).toEqual({
      cycle: 'monthly',
      from: new Date('2026-01-31T17:00:00Z'),
      to: new Date('2026-02-28T17:00:00Z'),
    })
    expect(settlementPeriodOf('twice_monthly', at)).toMatchObject({
      from: new Date('2026-01-31T17:00:00Z'),
      to: new Date('2026-02-15T17:00:00Z'),
    })
    expect(settlementPeriodOf('twice_monthly', new Date('2026-02-20T00:00:00Z'))).toMatchObject({
      from: new Date('2026-02-15T17:00:00Z'),
      to: new Date('2026-02-28T17:00:00Z'),
    })
    // Sunday 1 February WIB belongs to the week that began on Monday 26 January.
    expect(settlementPeriodOf('weekly', at)).toMatchObject({
      from: new Date('2026-01-25T17:00:00Z'),
      to: new Date('2026-02-01T17:00:00Z'),
    })
    // A leap year's February.
    expect(settlementPeriodOf('monthly', new Date('2028-02-29T10:00:00Z')).to).toEqual(
      new Date('2028-02-29T17:00:00Z'),
    )
    const { previous, current, next } = settlementPeriods('monthly', at)
    expect([previous.from, current.from, next.from, next.to]).toEqual([
      new Date('2025-12-31T17:00:00Z'),
      new Date('2026-01-31T17:00:00Z'),
      new Date('2026-02-28T17:00:00Z'),
      new Date('2026-03-31T17:00:00Z'),
    ])
  })

  it('contains its moment, and its neighbours meet it without gap or overlap', () => {
    fc.assert(
      fc.property(fc.constantFrom(...cycles), instant, (cycle, around) => {
        const { previous, current, next } = settlementPeriods(cycle, around)
        expect(current.from.getTime()).toBeLessThanOrEqual(around.getTime())
        expect(around.getTime()).toBeLessThan(current.to.getTime())
        expect(previous.to).toEqual(current.from)
        expect(next.from).toEqual(current.to)
        // The period of any instant inside is the same period (no overlaps).
        expect(settlementPeriodOf(cycle, current.from)).toEqual(current)
        expect(settlementPeriodOf(cycle, new Date(current.to.getTime() - 1))).toEqual(current)
      }),
      { numRuns: 2_000 },
    )
  })

  it('starts each period at midnight WIB on the cycle’s first day', () => {
    fc.assert(
      fc.property(fc.constantFrom(...cycles), instant, (cycle, around) => {
        const { from, to } = settlementPeriodOf(cycle, around)
        const start = local(from)
        expect([start.h, start.min, start.s, start.ms]).toEqual([0, 0, 0, 0])
        const days = (to.getTime() - from.getTime()) / 86_400_000
        if (cycle === 'weekly') {
          expect(start.dow).toBe(1)
          expect(days).toBe(7)
        } else if (cycle === 'twice_monthly') {
          expect([1, 16]).toContain(start.d)
          expect(days).toBeGreaterThanOrEqual(start.d === 1 ? 15 : 13)
          expect(days).toBeLessThanOrEqual(16)
        } else {
          expect(start.d).toBe(1)
          expect(days).toBeGreaterThanOrEqual(28)
          expect(days).toBeLessThanOrEqual(31)
        }
      }),
      { numRuns: 2_000 },
    )
  })

  it('tiles a stretch of time: walking period by period covers every instant once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...cycles),
        instant,
        fc.array(fc.integer({ min: 0, max: 400 * 86_400_000 }), { maxLength: 30 }),
        (cycle, start, offsets) => {
          const walk = [settlementPeriodOf(cycle, start)]
          for (let i = 0; i < 30; i++) {
            const last = walk[walk.length - 1] as (typeof walk)[number]
            const next = settlementPeriods(cycle, last.from).next
            expect(next.from).toEqual(last.to)
            walk.push(next)
          }
          const end = (walk[walk.length - 1] as (typeof walk)[number]).to.getTime()
          for (const offset of offsets) {
            const t = (walk[0] as (typeof walk)[number]).from.getTime() + offset
            if (t >= end) continue
            const containing = walk.filter((p) => p.from.getTime() <= t && t < p.to.getTime())
            expect(containing).toHaveLength(1)
            expect(containing[0]).toEqual(settlementPeriodOf(cycle, new Date(t)))
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('refuses an invalid date', () => {
    expect(() => settlementPeriodOf('weekly', new Date(Number.NaN))).toThrow(/not a valid date/)
  })
})

describe('periodOfSpec', () => {
  const wib = (iso: string) => new Date(`${iso}T00:00:00+07:00`)
  const codeAndPath = (run: () => unknown) => {
    try {
      run()
      return null
    } catch (error) {
      return isMitraError(error) ? [error.code, error.errors[0]?.path] : error
    }
  }

  it('names a period by its month, a day in it, or its start', () => {
    const december = { from: wib('2026-12-01'), to: wib('2027-01-01') }
    expect(periodOfSpec('monthly', { period: '2026-12' })).toMatchObject(december)
    expect(periodOfSpec('monthly', { period: '2026-12-31' })).toMatchObject(december)
    expect(periodOfSpec('monthly', { from: '2026-12-01' })).toEqual(december)
    expect(periodOfSpec('monthly', { from: '2026-11-30T17:00:00Z', to: '2027-01-01' })).toEqual(
      december,
    )
    expect(periodOfSpec('twice_monthly', { period: '2026-12-20' })).toMatchObject({
      from: wib('2026-12-16'),
      to: wib('2027-01-01'),
    })
    expect(periodOfSpec('weekly', { period: '2026-12-06' })).toMatchObject({
      from: wib('2026-11-30'),
      to: wib('2026-12-07'),
    })
  })

  it('says what to send when the period is missing, malformed or not of the cycle', () => {
    expect(codeAndPath(() => periodOfSpec('monthly', {}))).toEqual(['validation_failed', 'period'])
    expect(codeAndPath(() => periodOfSpec('monthly', { period: '2026-13' }))).toEqual([
      'validation_failed',
      'period',
    ])
    expect(codeAndPath(() => periodOfSpec('monthly', { period: 'desember' }))).toEqual([
      'validation_failed',
      'period',
    ])
    expect(codeAndPath(() => periodOfSpec('twice_monthly', { period: '2026-12' }))).toEqual([
      'validation_failed',
      'period',
    ])
    expect(codeAndPath(() => periodOfSpec('monthly', { from: '01/12/2026' }))).toEqual([
      'validation_failed',
      'from',
    ])
  })
})

describe('statementHash and reviewStatus', () => {
  const s = buildStatement({
    partyId: ids.producer,
    currency: 'IDR',
    from: new Date('2026-01-01T00:00:00Z'),
    to: new Date('2026-02-01T00:00:00Z'),
    openingBalance: 5_000,
    transactions: [],
  })

  it('hashes the canonical statement: key order does not matter, numbers do', () => {
    const reordered = Object.fromEntries(Object.entries(s).reverse()) as typeof s
    expect(statementHash(reordered)).toBe(statementHash(s))
    expect(statementHash(s)).toMatch(/^[0-9a-f]{64}$/)
    expect(statementHash({ ...s, openingBalance: idr(5_001) })).not.toBe(statementHash(s))
  })

  it('an open dispute wins; fresh acknowledgments of both sides acknowledge', () => {
    const ack = (side: 'producer' | 'venue', stale = false) => ({ side, stale })
    expect(reviewStatus([], [])).toBe('open')
    expect(reviewStatus([ack('producer')], [])).toBe('partly_acknowledged')
    expect(reviewStatus([ack('producer'), ack('venue', true)], [])).toBe('partly_acknowledged')
    expect(reviewStatus([ack('producer', true)], [])).toBe('open')
    expect(reviewStatus([ack('producer'), ack('venue')], [])).toBe('acknowledged')
    expect(reviewStatus([ack('producer'), ack('venue')], [{ status: 'open' }])).toBe('disputed')
    expect(reviewStatus([ack('producer'), ack('venue')], [{ status: 'withdrawn' }])).toBe(
      'acknowledged',
    )
  })
})

/** An agreement in force between them (as the agreements service leaves it). */
async function activeAgreement(
  db: Executor,
  producerId: string,
  venueId: string,
  settlementCycle: StatementCycle,
): Promise<string> {
  const id = newId('agr')
  const terms = { ...sampleTerms, currency: 'IDR', settlement_cycle: settlementCycle }
  const at = new Date('2025-01-01T00:00:00Z')
  await db.insert(agreements).values({
    id,
    model: 'consignment',
    producerId,
    venueId,
    initiatorId: producerId,
    status: 'active',
    activeVersion: 1,
    latestVersion: 1,
  })
  await db.insert(agreementVersions).values({
    agreementId: id,
    version: 1,
    state: 'accepted',
    terms,
    termsHash: createHash('sha256').update(JSON.stringify(terms)).digest('hex'),
    authorId: producerId,
    producerAcceptedAt: at,
    venueAcceptedAt: at,
    effectiveAt: at,
  })
  return id
}

describe.each(testDatabaseKinds())('statement reviews on %s', (kind) => {
  const database = useTestDatabase(kind)
  const none = '' as Id<'pty'>
  const p = { producer: none, venue: none, stranger: none }
  let agreementId = ''
  let weeklyId = ''
  const january = {
    from: new Date('2025-12-31T17:00:00Z'),
    to: new Date('2026-01-31T17:00:00Z'),
  }
  const producerUser = newId('usr')
  const venueKey = newId('key')

  const sell = (lineId: string, price: number, occurredAt: string, agreement = agreementId) => {
    const policy = policyFromConsignmentTerms(
      {
        currency: 'IDR',
        commission: { kind: 'percent', bps: 2_000 },
        cooperative_fee_bps: 0,
        cooperative_id: null,
        platform_fee_bps: 0,
        payment_fee_bearer: 'producer',
        markdown_bearer: 'producer',
      },
      { producerId: p.producer, venueId: p.venue, platformId: p.venue },
    )
    return postSale(
      database().db,
      {
        saleLineId: lineId,
        channel: 'in_venue',
        collectorId: p.venue,
        agreementId: agreement,
        split: splitLine(policy, { gross: idr(price), quantity: 1, unitPrice: idr(price) }),
      },
      { occurredAt: new Date(occurredAt) },
    )
  }

  beforeAll(async () => {
    const { db } = database()
    p.producer = await createParty(db, 'producer')
    p.venue = await createParty(db, 'venue')
    p.stranger = await createParty(db, 'venue')
    agreementId = await activeAgreement(db, p.producer, p.venue, 'monthly')
    weeklyId = await activeAgreement(db, p.producer, p.stranger, 'weekly')
    await sell(`rv-1-${kind}`, 100_000, '2026-01-05T03:00:00Z')
    await sell(`rv-2-${kind}`, 50_000, '2026-01-20T03:00:00Z')
    // After the period in WIB (1 February 01:00 WIB), though still 31 January in UTC.
    await sell(`rv-3-${kind}`, 70_000, '2026-01-31T18:00:00Z')
  })

  const producer = () => ({ partyId: p.producer, role: 'owner' as const })
  const venue = () => ({ partyId: p.venue, role: 'staff' as const })
  const stranger = () => ({ partyId: p.stranger, role: 'owner' as const })

  it('shows both parties the same statement of the settlement period, in WIB', async () => {
    const { db } = database()
    const target = { agreementId, period: january }
    const mine = await agreementStatement(db, producer(), target)
    const theirs = await agreementStatement(db, venue(), {
      agreementId,
      period: { from: january.from.toISOString(), to: january.to.toISOString() },
    })
    expect(theirs.statementHash).toBe(mine.statementHash)
    expect(mine.cycle).toBe('monthly')
    expect(mine.statement.partyId).toBe(p.producer)
    expect(mine.statement.entries.map((e) => [e.saleLineId, e.amount.amount])).toEqual([
      [`rv-1-${kind}`, 80_000],
      [`rv-2-${kind}`, 40_000],
    ])
    expect(mine.statement.entries[0]?.shares.map((s) => [s.role, s.amount.amount])).toEqual([
      ['venue', 20_000],
      ['producer', 80_000],
    ])
    expect(await codeOf(agreementStatement(db, stranger(), target))).toBe('404:not_found')
    // Not a period of the agreement's cycle: the bound that is off is named, as sent.
    expect(
      await failure(
        agreementStatement(db, producer(), {
          agreementId,
          period: { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') },
        }),
      ),
    ).toEqual({ status: 422, code: 'validation_failed', paths: ['from'] })
    expect(
      await failure(
        agreementStatement(db, producer(), {
          agreementId,
          period: { from: january.from, to: new Date('2026-02-15T00:00:00Z') },
        }),
      ),
    ).toEqual({ status: 422, code: 'validation_failed', paths: ['to'] })
    expect(
      await codeOf(
        agreementStatement(db, producer(), { agreementId: newId('agr'), period: january }),
      ),
    ).toBe('404:not_found')
  })

  it('is acknowledged when both sides acknowledge the same numbers', async () => {
    const { db } = database()
    const target = { agreementId, period: january }
    const { statementHash: hash } = await agreementStatement(db, producer(), target)
    expect((await statementReview(db, venue(), target)).status).toBe('open')

    const first = await acknowledgeStatement(
      db,
      producer(),
      { ...target, statementHash: hash, acknowledgedBy: producerUser },
      { now: new Date('2026-02-02T02:00:00Z') },
    )
    expect(first.status).toBe('partly_acknowledged')
    const again = await acknowledgeStatement(db, producer(), {
      ...target,
      statementHash: hash,
      acknowledgedBy: producerUser,
    })
    expect(again.acknowledgments).toHaveLength(1)

    const both = await acknowledgeStatement(db, venue(), {
      ...target,
      statementHash: hash,
      acknowledgedBy: venueKey,
    })
    expect(both.status).toBe('acknowledged')
    expect(both.acknowledgments.map((a) => [a.side, a.partyId, a.acknowledgedBy, a.stale])).toEqual(
      [
        ['producer', p.producer, producerUser, false],
        ['venue', p.venue, venueKey, false],
      ],
    )
    expect(both.acknowledgments[0]?.acknowledgedAt).toEqual(new Date('2026-02-02T02:00:00Z'))
    expect(await statementReview(db, producer(), target)).toEqual(both)
  })

  it('refuses a stale hash with 409 and marks old acknowledgments stale when numbers change', async () => {
    const { db } = database()
    const target = { agreementId, period: january }
    const before = await agreementStatement(db, producer(), target)
    // A late sale in the period changes the numbers both sides acknowledged.
    await sell(`rv-late-${kind}`, 10_000, '2026-01-25T03:00:00Z')
    const after = await agreementStatement(db, venue(), target)
    expect(after.statementHash).not.toBe(before.statementHash)

    expect(
      await failure(
        acknowledgeStatement(db, venue(), {
          ...target,
          statementHash: before.statementHash,
          acknowledgedBy: venueKey,
        }),
      ),
    ).toEqual({ status: 409, code: 'statement_stale', paths: ['statement_hash'] })
    expect(
      await failure(
        acknowledgeStatement(db, venue(), {
          ...target,
          statementHash: 'not a hash',
          acknowledgedBy: venueKey,
        }),
      ),
    ).toEqual({ status: 422, code: 'validation_failed', paths: ['statement_hash'] })

    const review = await statementReview(db, producer(), target)
    expect(review.status).toBe('open')
    expect(review.statementHash).toBe(after.statementHash)
    expect(review.acknowledgments.map((a) => a.stale)).toEqual([true, true])

    const renewed = await acknowledgeStatement(db, venue(), {
      ...target,
      statementHash: after.statementHash,
      acknowledgedBy: venueKey,
    })
    expect(renewed.status).toBe('partly_acknowledged')
    expect(renewed.acknowledgments.map((a) => [a.side, a.stale])).toEqual([
      ['producer', true],
      ['venue', true],
      ['venue', false],
    ])
  })

  it('shows a disputed line to both sides until its author withdraws it', async () => {
    const { db } = database()
    const target = { agreementId, period: january }
    const current = await agreementStatement(db, producer(), target)
    await acknowledgeStatement(db, producer(), {
      ...target,
      statementHash: current.statementHash,
      acknowledgedBy: producerUser,
    })
    const dispute = await disputeStatementLine(db, venue(), {
      ...target,
      lineRef: `rv-2-${kind}`,
      comment: 'Kain ini dikembalikan pembeli <b>keesokan harinya</b>',
      by: venueKey,
    })
    expect(dispute).toMatchObject({
      side: 'venue',
      status: 'open',
      statementHash: current.statementHash,
    })

    for (const scope of [producer(), venue()]) {
      const review = await statementReview(db, scope, target)
      expect(review.status).toBe('disputed')
      expect(review.disputes.map((d) => [d.partyId, d.lineRef, d.comment])).toEqual([
        [p.venue, `rv-2-${kind}`, 'Kain ini dikembalikan pembeli <b>keesokan harinya</b>'],
      ])
    }

    const byTransaction = current.statement.entries[0]?.transactionId as string
    const second = await disputeStatementLine(db, producer(), {
      ...target,
      lineRef: byTransaction,
      comment: 'Commission looks too high',
      by: producerUser,
    })
    // Each refusal names the request's field (`line_ref`, `comment`), not ours.
    expect(
      await failure(
        disputeStatementLine(db, venue(), {
          ...target,
          lineRef: 'nope',
          comment: 'x',
          by: venueKey,
        }),
      ),
    ).toEqual({ status: 422, code: 'validation_failed', paths: ['line_ref'] })
    expect(
      await failure(
        disputeStatementLine(db, venue(), {
          ...target,
          lineRef: 'x'.repeat(201),
          comment: 'x',
          by: venueKey,
        }),
      ),
    ).toEqual({ status: 422, code: 'validation_failed', paths: ['line_ref'] })
    expect(
      await failure(
        disputeStatementLine(db, venue(), {
          ...target,
          lineRef: byTransaction,
          comment: '  ',
          by: venueKey,
        }),
      ),
    ).toEqual({ status: 422, code: 'validation_failed', paths: ['comment'] })

    // Only the author withdraws; the other party may not, strangers do not see it.
    const withdraw = { disputeId: dispute.id, note: 'Sudah dicek, retur tercatat', by: venueKey }
    expect(await codeOf(resolveDispute(db, producer(), withdraw))).toBe('403:forbidden')
    expect(await codeOf(resolveDispute(db, stranger(), withdraw))).toBe('404:not_found')
    const resolved = await resolveDispute(db, venue(), withdraw, {
      now: new Date('2026-02-03T01:00:00Z'),
    })
    expect(resolved).toMatchObject({
      status: 'withdrawn',
      resolvedBy: venueKey,
      resolutionNote: 'Sudah dicek, retur tercatat',
      resolvedAt: new Date('2026-02-03T01:00:00Z'),
    })
    expect(await codeOf(resolveDispute(db, venue(), withdraw))).toBe('409:dispute_closed')
    expect((await statementReview(db, venue(), target)).status).toBe('disputed')

    await resolveDispute(db, producer(), {
      disputeId: second.id,
      note: 'Rate is as agreed',
      by: producerUser,
    })
    const settled = await statementReview(db, venue(), target)
    // Both acknowledged these numbers (the venue in the test before), and no dispute is open.
    expect(settled.status).toBe('acknowledged')
    expect(settled.disputes.map((d) => [d.status, d.resolutionNote])).toEqual([
      ['withdrawn', 'Sudah dicek, retur tercatat'],
      ['withdrawn', 'Rate is as agreed'],
    ])
  })

  it('gives strangers 404 for every action, and validates who acts', async () => {
    const { db } = database()
    const target = { agreementId, period: january }
    const { statementHash: hash } = await agreementStatement(db, producer(), target)
    expect(await codeOf(statementReview(db, stranger(), target))).toBe('404:not_found')
    expect(
      await codeOf(
        acknowledgeStatement(db, stranger(), {
          ...target,
          statementHash: hash,
          acknowledgedBy: venueKey,
        }),
      ),
    ).toBe('404:not_found')
    expect(
      await codeOf(
        disputeStatementLine(db, stranger(), {
          ...target,
          lineRef: `rv-1-${kind}`,
          comment: 'x',
          by: venueKey,
        }),
      ),
    ).toBe('404:not_found')
    expect(
      await codeOf(
        acknowledgeStatement(db, producer(), {
          ...target,
          statementHash: hash,
          acknowledgedBy: 'someone',
        }),
      ),
    ).toBe('422:validation_failed')
    expect(
      await codeOf(
        resolveDispute(db, producer(), { disputeId: newId('stmt'), note: 'x', by: producerUser }),
      ),
    ).toBe('404:not_found')
    // The dispute is the URL's `id`.
    expect(
      await failure(
        resolveDispute(db, producer(), { disputeId: 'x', note: 'x', by: producerUser }),
      ),
    ).toEqual({ status: 422, code: 'validation_failed', paths: ['id'] })
  })

  it('follows the agreement’s own cycle (weekly, Monday to Sunday WIB)', async () => {
    const { db } = database()
    await sell(`rv-w-${kind}`, 30_000, '2026-01-07T03:00:00Z', weeklyId)
    const week = settlementPeriodOf('weekly', new Date('2026-01-07T03:00:00Z'))
    expect(week.from).toEqual(new Date('2026-01-04T17:00:00Z'))
    const s = await agreementStatement(
      db,
      { partyId: p.stranger },
      { agreementId: weeklyId, period: week },
    )
    expect(s.statement.entries.map((e) => e.saleLineId)).toEqual([`rv-w-${kind}`])
    expect(
      await codeOf(
        agreementStatement(db, { partyId: p.stranger }, { agreementId: weeklyId, period: january }),
      ),
    ).toBe('422:validation_failed')
    // The monthly agreement's parties other than the producer do not see it.
    expect(
      await codeOf(agreementStatement(db, venue(), { agreementId: weeklyId, period: week })),
    ).toBe('404:not_found')
  })
})
