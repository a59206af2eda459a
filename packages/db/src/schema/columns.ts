import { sql } from 'drizzle-orm'
import { check, timestamp } from 'drizzle-orm/pg-core'

/** A moment in time: `timestamptz`, read as a Date. */
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/** A check that an id column holds `prefix_` and a lower-case ULID. */
export const idFormat = (table: string, column: unknown, prefix: string) =>
  check(`${table}_id_format`, sql`${column} ~ ${sql.raw(`'^${prefix}_[0-9a-z]{26}$'`)}`)
