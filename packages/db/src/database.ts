import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from './schema/index.js'
import { readPgliteTemplate, writePgliteTemplate } from './template.js'

export type Schema = typeof schema
/** The one database type every service takes: the same on PGlite and on Postgres. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>
/** A database or an open transaction: services accept either, so they compose. */
export type Executor = Database | PgTransaction<PgQueryResultHKT, Schema>

export type DatabaseKind = 'pglite' | 'postgres'

export interface DatabaseHandle {
  db: Database
  kind: DatabaseKind
  /** Where the data lives: a folder, `memory://`, or the server URL without its password. */
  location: string
  close(): Promise<void>
}

export interface CreateDatabaseOptions {
  /** A Postgres URL. Default: `DATABASE_URL`; without one, embedded PGlite is used. */
  url?: string
  /** PGlite's data folder (default `.mitra/data`); `memory://` keeps it in memory. */
  dataDir?: string
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean
  /** Postgres pool size (default 10). */
  maxConnections?: number
  /** A PGlite instance to use as it is (tests load one from a template). */
  pglite?: PGlite
  /**
   * On an empty PGlite data folder, start from the migrated empty database kept in the OS
   * temp folder (see template.ts) instead of running initdb, which takes seconds; when there
   * is none yet, keep one after migrating, for next time. Default false.
   */
  fromTemplate?: boolean
}

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url))

// Any fixed 64-bit number: every mitra instance migrating one database waits on this lock.
const MIGRATION_LOCK = 7_236_841_902_115_337n

/**
 * Opens mitra's database: a Postgres server when a URL is given (or `DATABASE_URL` is set),
 * otherwise embedded PGlite with its data in a local folder. Same schema, same migrations.
 *
 * @example
 * const { db, close } = await createDatabase()             // .mitra/data, embedded
 * const pg = await createDatabase({ url: 'postgres://…' }) // a server, for many instances
 */
export async function createDatabase(options: CreateDatabaseOptions = {}): Promise<DatabaseHandle> {
  const url = options.url ?? process.env.DATABASE_URL
  if (url !== undefined && url !== '' && options.pglite === undefined) {
    const handle = openPostgres(url, options.maxConnections ?? 10)
    if (options.migrate !== false) await migrateDatabase(handle)
    return handle
  }
  const { handle, client, keepTemplate } = await openPglite(options)
  if (options.migrate !== false) {
    await migrateDatabase(handle)
    // Only a cache: a template that cannot be written is made again next time.
    if (keepTemplate) await writePgliteTemplate(await client.dumpDataDir('none')).catch(() => {})
  }
  return handle
}

type PostgresHandle = DatabaseHandle & { url: string }

function openPostgres(url: string, max: number): PostgresHandle {
  // Quiet NOTICEs (e.g. "relation already exists, skipping") from migrations.
  const sql = postgres(url, { max, onnotice: () => {} })
  const db = drizzlePostgres(preparedStatements(sql), { schema }) as unknown as Database
  const location = redactUrl(url)
  return { db, kind: 'postgres', location, url, close: () => sql.end({ timeout: 5 }) }
}

/**
 * The client drizzle talks to, with every parameterised query run as a named prepared
 * statement (postgres-js keeps them per connection, keyed by the query text). Drizzle asks
 * for unnamed ones, which Postgres parses and plans again on every call: on the checkout
 * path that was about 40 % of the server's CPU. Queries without parameters (migrations)
 * stay on the simple protocol.
 */
function preparedStatements<T extends postgres.Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, key, receiver) {
      if (key === 'unsafe') {
        return (query: string, args: unknown[] = [], options: Record<string, unknown> = {}) =>
          target.unsafe(
            query,
            args as never,
            args.length > 0 ? { ...options, prepare: true } : options,
          )
      }
      if (key === 'begin' || key === 'savepoint') {
        return (...params: unknown[]) => {
          const work = params.pop() as (client: postgres.Sql) => unknown
          const open = Reflect.get(target, key, receiver) as (...p: unknown[]) => unknown
          return open.apply(target, [
            ...params,
            (client: postgres.Sql) => work(preparedStatements(client)),
          ])
        }
      }
      return Reflect.get(target, key, receiver)
    },
  })
}

async function openPglite(
  options: CreateDatabaseOptions,
): Promise<{ handle: DatabaseHandle; client: PGlite; keepTemplate: boolean }> {
  let client = options.pglite
  let location = 'memory://'
  let keepTemplate = false
  if (client === undefined) {
    const dataDir = options.dataDir ?? '.mitra/data'
    location = dataDir
    if (dataDir.startsWith('memory://')) {
      client = new PGlite(dataDir)
    } else {
      mkdirSync(dataDir, { recursive: true })
      const empty = options.fromTemplate === true && readdirSync(dataDir).length === 0
      const template = empty ? readPgliteTemplate() : undefined
      const opened = await openFolder(dataDir, template)
      client = opened.client
      keepTemplate = empty && !opened.fromTemplate
    }
  }
  await client.waitReady
  const pglite = client
  const db = drizzlePglite(pglite, { schema }) as unknown as Database
  return {
    handle: { db, kind: 'pglite', location, close: () => pglite.close() },
    client: pglite,
    keepTemplate,
  }
}

/** PGlite on `dataDir`, loaded from `template` if given; a template that fails is skipped. */
async function openFolder(
  dataDir: string,
  template: Blob | undefined,
): Promise<{ client: PGlite; fromTemplate: boolean }> {
  if (template !== undefined) {
    const client = new PGlite(dataDir, { loadDataDir: template })
    try {
      await client.waitReady
      return { client, fromTemplate: true }
    } catch {
      // The folder was empty before: clear what was unpacked and run initdb instead.
      await client.close().catch(() => {})
      for (const entry of readdirSync(dataDir)) {
        rmSync(join(dataDir, entry), { recursive: true, force: true })
      }
    }
  }
  return { client: new PGlite(dataDir), fromTemplate: false }
}

/**
 * Applies the committed SQL migrations. On Postgres it holds an advisory lock while doing so,
 * so instances that start together take turns and the later ones find nothing to do. PGlite
 * is one process's own database, so there is nobody to wait for.
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as never, { migrationsFolder })
    return
  }
  // The lock lives on its own connection so that it never takes a slot the migrator needs.
  const lock = postgres((handle as PostgresHandle).url, { max: 1, onnotice: () => {} })
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK.toString()}::bigint)`
    await migratePostgres(handle.db as never, { migrationsFolder })
  } finally {
    await lock.end({ timeout: 5 }) // ending the session releases the lock
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'postgres://(unparseable url)'
  }
}
