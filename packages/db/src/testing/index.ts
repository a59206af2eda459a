import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { MitraError } from '@mitra/core'
import postgres from 'postgres'
import { afterAll, beforeAll, expect } from 'vitest'
import { createDatabase, type DatabaseHandle, type DatabaseKind } from '../database.js'
import {
  migrationsHash,
  pgliteTemplateFile,
  readPgliteTemplate,
  templateDir,
  writePgliteTemplate,
} from '../template.js'

/**
 * Fresh, migrated databases for tests, fast.
 *
 * PGlite's initdb takes seconds, so the migrated data folder is built once (per migration
 * set) as a tarball and every test file loads its own copy from it. On Postgres the same
 * trick is `CREATE DATABASE … TEMPLATE`: one migrated template, one database per test file.
 */

/** Which databases the suites run on: PGlite always, Postgres when `TEST_DATABASE_URL` is set. */
export function testDatabaseKinds(): DatabaseKind[] {
  const url = process.env.TEST_DATABASE_URL
  if (url !== undefined && url !== '') return ['pglite', 'postgres']
  if (process.env.CI === 'true' || process.env.CI === '1') {
    // CI must exercise Postgres; a silently skipped Postgres suite would hide failures.
    throw new Error('TEST_DATABASE_URL must be set in CI so that Postgres tests run')
  }
  return ['pglite']
}

/** A fresh migrated database of `kind`, dropped again by `close()`. */
export async function createTestDatabase(kind: DatabaseKind = 'pglite'): Promise<DatabaseHandle> {
  return kind === 'pglite' ? createPgliteTestDatabase() : createPostgresTestDatabase()
}

let templateBlob: Promise<Blob> | undefined

/** The migrated empty database (see ../template.ts), made here when it is not there yet. */
async function pgliteTemplate(): Promise<Blob> {
  templateBlob ??= (async () => {
    const file = pgliteTemplateFile()
    await withFileLock(`${file}.lock`, async () => {
      if (exists(file)) return
      const client = new PGlite()
      const handle = await createDatabase({ pglite: client })
      const dump = await client.dumpDataDir('none')
      await handle.close()
      await writePgliteTemplate(dump)
    })
    const template = readPgliteTemplate()
    if (template === undefined) throw new Error(`The template ${file} vanished`)
    return template
  })()
  return templateBlob
}

async function createPgliteTestDatabase(): Promise<DatabaseHandle> {
  const client = new PGlite({ loadDataDir: await pgliteTemplate() })
  // Migrating again is a cheap no-op on an up-to-date template, and catches a stale one.
  return createDatabase({ pglite: client })
}

function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}

/** Cross-process mutual exclusion with `mkdir`, which is atomic; stale locks expire. */
async function withFileLock(path: string, work: () => Promise<void>): Promise<void> {
  mkdirSync(templateDir, { recursive: true })
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      mkdirSync(path)
      break
    } catch {
      const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > 60_000) rmSync(path, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${path}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  try {
    await work()
  } finally {
    rmSync(path, { recursive: true, force: true })
  }
}

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL
  if (url === undefined || url === '') throw new Error('TEST_DATABASE_URL is not set')
  return url
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

let postgresTemplate: Promise<string> | undefined

async function ensurePostgresTemplate(admin: postgres.Sql): Promise<string> {
  postgresTemplate ??= (async () => {
    const template = `mitra_tpl_${migrationsHash()}`
    const lockKey = BigInt(`0x${migrationsHash().slice(0, 15)}`).toString()
    const session = await admin.reserve()
    try {
      await session`select pg_advisory_lock(${lockKey}::bigint)`
      const found = await session`select 1 from pg_database where datname = ${template}`
      if (found.length === 0) {
        const building = `${template}_build`
        await session.unsafe(`drop database if exists "${building}" with (force)`)
        await session.unsafe(`create database "${building}"`)
        const handle = await createDatabase({
          url: withDatabase(serverUrl(), building),
          maxConnections: 1,
        })
        await handle.close()
        // Renaming last means a template that exists is always complete.
        await session.unsafe(`alter database "${building}" rename to "${template}"`)
      }
    } finally {
      await session`select pg_advisory_unlock(${lockKey}::bigint)`
      session.release()
    }
    return template
  })()
  return postgresTemplate
}

async function createPostgresTestDatabase(): Promise<DatabaseHandle> {
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} })
  try {
    const template = await ensurePostgresTemplate(admin)
    const name = `mitra_test_${process.pid}_${randomBytes(4).toString('hex')}`
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${template}"`)
        break
      } catch (error) {
        // Another test file may be creating from the same template this very instant.
        if (attempt > 20 || !String(error).includes('is being accessed by other users')) throw error
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100))
      }
    }
    const handle = await createDatabase({
      url: withDatabase(serverUrl(), name),
      maxConnections: 20,
    })
    return {
      ...handle,
      close: async () => {
        await handle.close()
        const dropper = postgres(serverUrl(), { max: 1, onnotice: () => {} })
        await dropper.unsafe(`drop database if exists "${name}" with (force)`)
        await dropper.end()
      },
    }
  } finally {
    await admin.end()
  }
}

/**
 * Registers hooks that open a fresh database of `kind` before a suite and drop it after;
 * call the returned function inside tests to get the handle.
 *
 * @example
 * describe.each(testDatabaseKinds())('on %s', (kind) => {
 *   const database = useTestDatabase(kind)
 *   it('…', async () => { await database().db.select().from(parties) })
 * })
 */
export function useTestDatabase(kind: DatabaseKind): () => DatabaseHandle {
  let handle: DatabaseHandle | undefined
  beforeAll(async () => {
    handle = await createTestDatabase(kind)
  })
  afterAll(async () => {
    await handle?.close()
  })
  return () => {
    if (handle === undefined)
      throw new Error('useTestDatabase: the database is opened in beforeAll')
    return handle
  }
}

/** Awaits a rejection and checks it is a MitraError with `code`, status and field path. */
export async function expectMitraError(
  promise: Promise<unknown>,
  expected: { code: string; status: number; path?: string },
): Promise<MitraError> {
  let caught: unknown
  try {
    await promise
  } catch (error) {
    caught = error
  }
  expect(caught, 'expected a MitraError').toBeInstanceOf(MitraError)
  const error = caught as MitraError
  expect({ code: error.code, status: error.status }).toEqual({
    code: expected.code,
    status: expected.status,
  })
  if (expected.path !== undefined) {
    expect(error.errors.map((e) => e.path)).toContain(expected.path)
  }
  return error
}
