import { type SQL, sql } from 'drizzle-orm'

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
