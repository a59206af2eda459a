import { newId } from '@mitra/core'
import { asc, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { parties, paymentEvents } from './schema/index.js'
import { insertRows, isOneOf, recordset, rowsOf } from './sets.js'
import { testDatabaseKinds, useTestDatabase } from './testing/index.js'

const party = (slug: string) => ({
  id: newId('pty'),
  kind: 'producer' as const,
  name: `Batik ${slug}`,
  slug,
})

describe.each(testDatabaseKinds())('sets on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('inserts rows as one JSON parameter: enums, timestamps, JSON and defaults arrive intact', async () => {
    const { db } = database()
    const at = new Date('2026-11-20T03:04:05.678Z')
    const rows = [
      {
        provider: 'demo' as const,
        eventId: 'evt_a',
        orderId: null,
        state: 'paid',
        outcome: 'paid',
        payload: { amount: 150_000, items: [{ sku: 'KB-1' }], note: 'ä "quoted"' },
        receivedAt: at,
      },
      {
        provider: 'stripe' as const,
        eventId: 'evt_b',
        orderId: null,
        state: 'expired',
        outcome: 'expired',
        payload: {},
        receivedAt: at,
      },
    ]
    await insertRows(db, paymentEvents, rows)
    const read = await db.select().from(paymentEvents).orderBy(asc(paymentEvents.eventId))
    expect(read).toEqual(rows)

    // A column left out takes its default.
    const gemawang = party('gemawang-sets')
    await insertRows(db, parties, [gemawang])
    const [stored] = await db.select().from(parties).where(eq(parties.id, gemawang.id))
    expect(stored).toMatchObject(gemawang)
    expect(stored?.createdAt).toBeInstanceOf(Date)
  })

  it('skips conflicts when asked, returns what it inserted, and keeps only rows `where` allows', async () => {
    const { db } = database()
    const first = party('first-sets')
    await insertRows(db, parties, [first])
    const second = party('second-sets')
    const inserted = await insertRows(db, parties, [{ ...first, name: 'Batik again' }, second], {
      onConflictDoNothing: true,
      returning: ['id'],
    })
    expect(inserted).toEqual([{ id: second.id }])
    const [kept] = await db.select().from(parties).where(eq(parties.id, first.id))
    expect(kept?.name).toBe(first.name)

    const third = party('third-sets')
    const fourth = party('fourth-sets')
    await insertRows(db, parties, [third, fourth], { where: sql`r.slug <> ${fourth.slug}` })
    const ids = (await db.select({ id: parties.id }).from(parties)).map((row) => row.id)
    expect(ids).toContain(third.id)
    expect(ids).not.toContain(fourth.id)
  })

  it('falls back to a plain insert when rows give different columns, and refuses what it cannot do then', async () => {
    const { db } = database()
    const plain = party('plain-sets')
    const dated = { ...party('dated-sets'), createdAt: new Date('2026-01-01T00:00:00Z') }
    await insertRows(db, parties, [plain, dated])
    const [read] = await db.select().from(parties).where(eq(parties.id, dated.id))
    expect(read?.createdAt).toEqual(dated.createdAt)
    await expect(
      insertRows(db, parties, [party('a-sets'), { ...party('b-sets'), createdAt: new Date() }], {
        where: sql`true`,
      }),
    ).rejects.toThrow(/same columns/)
  })

  it('reads many rows and id lists as one parameter, whatever their number', async () => {
    const { db } = database()
    const made = [party('one-sets'), party('two-sets'), party('three-sets')]
    await insertRows(db, parties, made)
    const wanted = [made[0]?.id, made[2]?.id, 'pty_00000000000000000000000000']
    const found = await db
      .select({ id: parties.id })
      .from(parties)
      .where(isOneOf(parties.id, wanted))
      .orderBy(asc(parties.id))
    expect(found.map((row) => row.id)).toEqual([made[0]?.id, made[2]?.id].sort())
    const joined = rowsOf<{ slug: string; weight: number }>(
      await db.execute(
        sql`select p.slug, t.weight from ${recordset(
          't',
          { id: 'text', weight: 'int' },
          made.map((row, index) => ({ id: row.id, weight: index * 10 })),
        )} join ${parties} p on p.id = t.id order by t.weight`,
      ),
    )
    expect(joined).toEqual(made.map((row, index) => ({ slug: row.slug, weight: index * 10 })))
  })
})
