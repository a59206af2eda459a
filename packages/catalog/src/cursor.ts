import { isId, MitraError } from '@mitra/core'

/**
 * Where a page ends, as the sort key of its last row. Listings sort by id (ids are
 * time-ordered ULIDs) or, when searching, by relevance and then id; both are stable under
 * inserts because the key of a row never changes while the same query is paged.
 */
export type Cursor = { kind: 'id'; id: string } | { kind: 'rank'; rank: number; id: string }

export type CursorKind = Cursor['kind']

const maxCursorLength = 256

/** An opaque, URL-safe cursor: base64url of the sort key and id. */
export function encodeCursor(cursor: Cursor): string {
  const key = cursor.kind === 'id' ? ['i', cursor.id] : ['r', cursor.rank, cursor.id]
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url')
}

function invalidCursor(message: string): MitraError {
  return new MitraError('invalid_cursor', `'cursor': ${message}`, {
    errors: [{ path: 'cursor', code: 'invalid_cursor', message }],
  })
}

/**
 * Reads a cursor made by `encodeCursor` for a listing sorted by `kind`. Anything else
 * (garbage, a tampered value, a cursor of a search used without the search) is a 422
 * naming `cursor`.
 */
export function decodeCursor(value: string, kind: CursorKind): Cursor {
  if (value.length === 0 || value.length > maxCursorLength || !/^[A-Za-z0-9_-]+$/.test(value)) {
    throw invalidCursor('not a cursor returned by this listing')
  }
  const bytes = Buffer.from(value, 'base64url')
  // Node decodes leniently; only the canonical encoding is accepted.
  if (bytes.toString('base64url') !== value) throw invalidCursor('not a valid cursor encoding')
  let key: unknown
  try {
    key = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw invalidCursor('not a cursor returned by this listing')
  }
  if (!Array.isArray(key)) throw invalidCursor('not a cursor returned by this listing')
  const tag = kind === 'id' ? 'i' : 'r'
  if (key[0] !== tag) {
    throw invalidCursor(
      kind === 'id'
        ? 'this cursor belongs to a search; repeat the search to use it'
        : 'this cursor does not belong to a search; drop q or start again',
    )
  }
  if (kind === 'id') {
    if (key.length !== 2 || !isId(key[1])) throw invalidCursor('malformed cursor')
    return { kind: 'id', id: key[1] }
  }
  const [, rank, id] = key
  if (key.length !== 3 || typeof rank !== 'number' || !Number.isFinite(rank) || !isId(id)) {
    throw invalidCursor('malformed cursor')
  }
  return { kind: 'rank', rank, id }
}

/** The id to continue after, from a cursor of `encodeCursor`; a bad cursor is a 422. */
export function cursorId(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined
  const decoded = decodeCursor(cursor, 'id')
  return decoded.kind === 'id' ? decoded.id : undefined
}

/** Cuts a `limit + 1` query result to a page and the opaque cursor of the next one. */
export function pageOf<T>(rows: T[], limit: number, idOf: (row: T) => string) {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  const next =
    rows.length > limit && last !== undefined ? encodeCursor({ kind: 'id', id: idOf(last) }) : null
  return { page, next }
}
