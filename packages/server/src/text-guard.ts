import { type FieldError, MitraError } from '@mitra/core'
import type { MiddlewareHandler } from 'hono'

/*
 * Text the API stores must be storable: Postgres text holds no NUL character, and a lone
 * UTF-16 surrogate has no UTF-8 form. Either one, anywhere in a request (the URL's path, a
 * query value, a JSON string or key), is refused here with a 422 naming where it was,
 * before any handler or database sees it. (Raw bytes that are not UTF-8 at all are read as
 * U+FFFD by the decoder, as the Fetch standard does, and so arrive already cleaned.)
 */

// NUL, or a high surrogate not followed by a low one, or a low one not preceded by a high one.
const unstorable = new RegExp(
  `${String.fromCharCode(0)}|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`,
)

/** Why `text` cannot be stored, or undefined when it can. */
export function unstorableText(text: string): string | undefined {
  const found = unstorable.exec(text)
  if (found === null) return undefined
  return found[0] === '\u0000'
    ? 'must not contain a NUL character (U+0000)'
    : 'must be valid Unicode text: it holds a lone UTF-16 surrogate'
}

/** Every string (and object key) in a parsed JSON value that cannot be stored. */
export function unstorableFields(value: unknown, path: string[] = []): FieldError[] {
  if (typeof value === 'string') {
    const why = unstorableText(value)
    return why === undefined
      ? []
      : [{ path: path.join('.') || 'body', code: 'invalid_text', message: why }]
  }
  if (Array.isArray(value))
    return value.flatMap((item, index) => unstorableFields(item, [...path, String(index)]))
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const why = unstorableText(key)
      const keyError =
        why === undefined
          ? []
          : [
              {
                path: [...path, key].join('.'),
                code: 'invalid_text',
                message: `a field name ${why}`,
              },
            ]
      return [...keyError, ...unstorableFields(item, [...path, key])]
    })
  }
  return []
}

/** Decodes a percent-encoded URL part; bytes that are not UTF-8 come out as U+FFFD. */
function decodeLoosely(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    const bytes = raw.replace(
      /%([0-9a-f]{2})|([\s\S])/giu,
      (_, hex: string | undefined, char: string | undefined) =>
        hex === undefined ? encodeURIComponent(char as string) : `%${hex}`,
    )
    const octets = bytes.match(/%[0-9a-f]{2}/gi) ?? []
    return new TextDecoder().decode(
      Uint8Array.from(octets, (octet) => Number.parseInt(octet.slice(1), 16)),
    )
  }
}

/** Refuses requests carrying text that cannot be stored (see above), naming each place. */
export function refuseUnstorableText(): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url)
    const errors: FieldError[] = []
    const path = decodeLoosely(url.pathname)
    const pathProblem = unstorableText(path)
    if (pathProblem !== undefined)
      errors.push({ path: 'path', code: 'invalid_text', message: pathProblem })
    for (const [name, raw] of url.search
      .slice(1)
      .split('&')
      .filter(Boolean)
      .map((pair) => pair.split('='))) {
      const key = decodeLoosely((name ?? '').replace(/\+/g, ' '))
      const value = decodeLoosely((raw ?? '').replace(/\+/g, ' '))
      const why = unstorableText(key) ?? unstorableText(value)
      if (why !== undefined)
        errors.push({
          path: unstorableText(key) === undefined ? key : 'query',
          code: 'invalid_text',
          message: why,
        })
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && isJson(c.req.header('Content-Type'))) {
      // Read once here; the validator reads the same cached body after.
      const body: unknown = await c.req.json().catch(() => undefined)
      errors.push(...unstorableFields(body))
    }
    if (errors.length > 0) {
      const first = errors[0] as FieldError
      throw new MitraError('validation_failed', `'${first.path}': ${first.message}`, { errors })
    }
    await next()
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/([\w.+-]*\+)?json\b/i.test(contentType)
}
