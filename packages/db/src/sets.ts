import { getTableColumns, type SQL, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Executor } from './database.js'

/** The rows of `db.execute`: postgres-js returns an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  const r = result as { rows: T[] } | T[]
  return Array.isArray(r) ? r : r.rows
}

/**
 * Many rows as one relation, for set-based statements (`update … from`, `where (a, b) in`):
 * `jsonb_to_recordset($1::jsonb) as alias(column type, …)`. The rows travel as one JSON
 * parameter, so the statement's text is the same whatever their number, and a prepared
 * statement serves every batch size.
 *
 * @example
 * recordset('v', { venue_id: 'text', quantity: 'int' }, [{ venue_id: 'ven_1', quantity: 2 }])
 */
export function recordset(
  alias: string,
  columns: Readonly<Record<string, string>>,
  rows: readonly Readonly<Record<string, unknown>>[],
): SQL {
  const shape = Object.entries(columns)
    .map(([name, type]) => `${name} ${type}`)
    .join(', ')
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as ${sql.raw(`${alias}(${shape})`)}`
}

/**
 * Inserts many rows by one statement with one parameter: the rows as JSON, read back by
 * `jsonb_to_recordset`. Drizzle's multi-row insert binds every cell as its own parameter
 * and inspects each one's column type, which on a batch of orders cost more than the
 * database's work. Every row must give the same columns (a column left out takes its
 * default); rows that do not are inserted by drizzle as they are. `onConflictDoNothing`
 * skips rows that would break a unique constraint; `returning` names the (text) columns
 * to read back from the rows inserted; `where` keeps only the rows (`r.column`) it holds for.
 */
export async function insertRows<T extends PgTable>(
  db: Executor,
  table: T,
  rows: readonly T['$inferInsert'][],
  options: {
    onConflictDoNothing?: boolean
    /** What to do on a conflict, e.g. sql`(a, b) do update set n = excluded.n`. */
    onConflict?: SQL
    returning?: readonly string[]
    /** Inserts only the rows (`r`) this condition holds for. */
    where?: SQL
  } = {},
): Promise<Record<string, string>[]> {
  if (rows.length === 0) return []
  const columns = getTableColumns(table) as Record<string, PgColumn>
  const given = Object.keys(columns).filter((key) =>
    rows.some((row) => (row as Record<string, unknown>)[key] !== undefined),
  )
  const uniform = rows.every((row) =>
    given.every((key) => (row as Record<string, unknown>)[key] !== undefined),
  )
  const conflict =
    options.onConflict !== undefined
      ? sql` on conflict ${options.onConflict}`
      : options.onConflictDoNothing === true
        ? sql` on conflict do nothing`
        : sql``
  const returning =
    options.returning === undefined || options.returning.length === 0
      ? sql``
      : sql` returning ${sql.raw(options.returning.map((name) => `"${name}"`).join(', '))}`
  if (!uniform) {
    if (options.where !== undefined || options.onConflict !== undefined) {
      throw new Error('insertRows: `where` and `onConflict` need rows that give the same columns')
    }
    const query = db.insert(table).values(rows as never)
    const done = options.onConflictDoNothing === true ? query.onConflictDoNothing() : query
    if (options.returning === undefined) {
      await done
      return []
    }
    const byName = Object.fromEntries(
      Object.values(columns)
        .filter((column) => options.returning?.includes(column.name))
        .map((column) => [column.name, column]),
    )
    return (await done.returning(byName as never)) as Record<string, string>[]
  }
  const names = given.map((key) => (columns[key] as PgColumn).name)
  const shape: Record<string, string> = {}
  for (const key of given) {
    const column = columns[key] as PgColumn
    shape[`"${column.name}"`] = column.getSQLType()
  }
  const json = rows.map((row) => {
    const out: Record<string, unknown> = {}
    for (const key of given) {
      out[(columns[key] as PgColumn).name] = (row as Record<string, unknown>)[key]
    }
    return out
  })
  const list = sql.raw(names.map((name) => `"${name}"`).join(', '))
  return rowsOf<Record<string, string>>(
    await db.execute(
      sql`insert into ${table} (${list}) select ${list} from ${recordset('r', shape, json)}${
        options.where === undefined ? sql`` : sql` where ${options.where}`
      }${conflict}${returning}`,
    ),
  )
}

/**
 * `column in (…values)` with the values as one JSON parameter: the statement's text is the
 * same however many there are, so one prepared statement serves every batch size (drizzle's
 * `inArray` binds each value, and each count is a statement of its own).
 */
export function isOneOf(column: SQL.Aliased | PgColumn | SQL, values: readonly unknown[]): SQL {
  return sql`${column} in (select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`
}
