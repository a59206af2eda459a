import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newId } from '@mitra/core'
import { eq, sql } from 'drizzle-orm'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { createDatabase, migrateDatabase } from './database.js'
import { parties } from './schema/index.js'
import { pgliteTemplateFile } from './template.js'
import { createTestDatabase, testDatabaseKinds, useTestDatabase } from './testing/index.js'
import {
  atomically,
  constraintOf,
  inTransaction,
  mapUniqueViolation,
  sqlState,
  sqlStateOf,
} from './transaction.js'

function party(slug: string) {
  return { id: newId('pty'), kind: 'producer' as const, name: `Batik ${slug}`, slug }
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}

describe.each(testDatabaseKinds())('database on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('stores and reads parties through the migrated schema', async () => {
    const { db } = database()
    const row = party('gemawang-batik')
    await db.insert(parties).values(row)
    const [found] = await db.select().from(parties).where(eq(parties.id, row.id))
    expect(found).toMatchObject({ ...row, kind: 'producer' })
    expect(found?.createdAt).toBeInstanceOf(Date)
  })

  it('enforces uniqueness and format in the database itself', async () => {
    const { db } = database()
    await db.insert(parties).values(party('kafe-banaran'))
    const duplicate = await caught(db.insert(parties).values(party('kafe-banaran')))
    expect(sqlStateOf(duplicate)).toBe(sqlState.uniqueViolation)
    expect(constraintOf(duplicate)).toBe('parties_slug_unique')
    const badId = await caught(db.insert(parties).values({ ...party('ok-slug'), id: 'prod_x' }))
    expect(sqlStateOf(badId)).toBe(sqlState.checkViolation)
    const badSlug = await caught(db.insert(parties).values(party('Not A Slug')))
    expect(constraintOf(badSlug)).toBe('parties_slug_format')
  })

  it('rolls a failed transaction back completely', async () => {
    const { db } = database()
    const first = party('madu-gemawang')
    await expect(
      inTransaction(db, async (tx) => {
        await tx.insert(parties).values(first)
        await tx.insert(parties).values(party('madu-gemawang')) // duplicate slug
      }),
    ).rejects.toThrow()
    expect(await db.select().from(parties).where(eq(parties.id, first.id))).toHaveLength(0)
  })

  it('retries a transaction the database asked to retry, and only that', async () => {
    const { db } = database()
    let attempts = 0
    const row = party('pasta-indigo')
    await inTransaction(db, async (tx) => {
      attempts++
      await tx.insert(parties).values(row)
      if (attempts < 3) throw Object.assign(new Error('could not serialize'), { code: '40001' })
    })
    expect(attempts).toBe(3)
    expect(await db.select().from(parties).where(eq(parties.id, row.id))).toHaveLength(1)

    let plainAttempts = 0
    await expect(
      inTransaction(db, async () => {
        plainAttempts++
        throw new Error('bug')
      }),
    ).rejects.toThrow('bug')
    expect(plainAttempts).toBe(1)
  })

  it('applies migrations once: running them again changes nothing', async () => {
    const handle = database()
    const count = async () =>
      await handle.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
    const before = await count()
    await migrateDatabase(handle)
    expect(await count()).toEqual(before)
  })
})

describe('embedded database', () => {
  it('keeps its data in a local folder across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mitra-data-'))
    try {
      const first = await createDatabase({ dataDir, url: '' })
      expect(first.kind).toBe('pglite')
      const row = party('ape-gemawang')
      await first.db.insert(parties).values(row)
      await first.close()
      const second = await createDatabase({ dataDir, url: '' })
      expect(await second.db.select().from(parties).where(eq(parties.id, row.id))).toHaveLength(1)
      await second.close()
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('starts an empty folder from the kept template, migrated, and keeps the data there', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'mitra-data-'))
    try {
      // The first makes the template if no test or start has yet; the second loads it.
      const first = await createDatabase({
        dataDir: join(folder, 'a'),
        url: '',
        fromTemplate: true,
      })
      expect(existsSync(pgliteTemplateFile())).toBe(true)
      await first.db.insert(parties).values(party('only-in-a'))
      await first.close()
      const dataDir = join(folder, 'b')
      const second = await createDatabase({ dataDir, url: '', fromTemplate: true })
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true)
      expect(await second.db.select().from(parties)).toHaveLength(0)
      const row = party('ape-gemawang')
      await second.db.insert(parties).values(row)
      await second.close()
      const reopened = await createDatabase({ dataDir, url: '', fromTemplate: true })
      expect(await reopened.db.select().from(parties)).toMatchObject([{ id: row.id }])
      await reopened.close()
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('gives every test database its own data', async () => {
    const a = await createTestDatabase('pglite')
    const b = await createTestDatabase('pglite')
    await a.db.insert(parties).values(party('only-in-a'))
    expect(await b.db.select().from(parties).where(eq(parties.slug, 'only-in-a'))).toHaveLength(0)
    await Promise.all([a.close(), b.close()])
  })
})

describe.runIf(testDatabaseKinds().includes('postgres'))('Postgres server', () => {
  it('lets instances that start together migrate one fresh database without colliding', async () => {
    const url = process.env.TEST_DATABASE_URL as string
    const admin = postgres(url, { max: 1, onnotice: () => {} })
    const name = `mitra_race_${process.pid}_${Date.now()}`
    await admin.unsafe(`create database "${name}"`)
    const target = new URL(url)
    target.pathname = `/${name}`
    try {
      const instances = await Promise.all(
        Array.from({ length: 4 }, () =>
          createDatabase({ url: target.toString(), maxConnections: 2 }),
        ),
      )
      const [first] = instances
      const rows = await first!.db.execute(
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      )
      expect(Number((rows as unknown as { n: number }[])[0]?.n)).toBeGreaterThan(0)
      await Promise.all(instances.map((instance) => instance.close()))
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`)
      await admin.end()
    }
  })

  it('runs parameterised queries as prepared statements, in transactions and savepoints too', async () => {
    const handle = await createTestDatabase('postgres')
    try {
      const seen = await inTransaction(handle.db, async (tx) => {
        await tx.select().from(parties).where(eq(parties.slug, 'prepared-outer'))
        await tx.transaction((inner) =>
          inner.select({ id: parties.id }).from(parties).where(eq(parties.name, 'prepared-inner')),
        )
        // Same transaction, same connection: its prepared statements are listed here.
        return tx.execute(sql`select statement from pg_prepared_statements`)
      })
      const statements = (seen as unknown as { statement: string }[]).map((r) => r.statement)
      expect(statements.some((text) => text.includes('"parties"."slug" = $1'))).toBe(true)
      expect(statements.some((text) => text.includes('"parties"."name" = $1'))).toBe(true)
    } finally {
      await handle.close()
    }
  })

  it('hides the password when it names where the data lives', async () => {
    const handle = await createTestDatabase('postgres')
    expect(handle.location).not.toContain('mitra:mitra@')
    await handle.close()
  })
})

describe.each(testDatabaseKinds())('unit-of-work helpers on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('joins the caller’s transaction, so an outer failure undoes the inner work', async () => {
    const { db } = database()
    const row = party('joined-work')
    await expect(
      inTransaction(db, async (tx) => {
        await atomically(tx, (inner) => inner.insert(parties).values(row))
        throw new Error('outer step failed')
      }),
    ).rejects.toThrow('outer step failed')
    expect(await db.select().from(parties).where(eq(parties.id, row.id))).toHaveLength(0)
    await atomically(db, (tx) => tx.insert(parties).values(row))
    expect(await db.select().from(parties).where(eq(parties.id, row.id))).toHaveLength(1)
  })

  it('turns a known unique violation into a 409 naming the field', async () => {
    const { db } = database()
    await db.insert(parties).values(party('unique-slug'))
    const error = await caught(
      db
        .insert(parties)
        .values(party('unique-slug'))
        .catch((e: unknown) =>
          mapUniqueViolation(e, { parties_slug_unique: { path: 'slug', message: 'taken' } }),
        ),
    )
    expect(error).toMatchObject({ status: 409, code: 'conflict', errors: [{ path: 'slug' }] })
  })
})
