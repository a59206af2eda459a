// Typed calls over `fetch`: openapi-fetch's `Client` type over the generated `paths`, with a
// runtime of our own. openapi-fetch's runtime (about 2 KB gzipped) serves every parameter
// style, middleware and body format OpenAPI allows; this API uses one of each (path segments,
// `name=value` queries with repeated names for arrays, JSON bodies or a FormData), and the
// widget carries this client in a 12 KB budget. The behaviour kept is openapi-fetch's:
// an answer is `{ data, response }` or `{ error, response }`, errors parsed as JSON when
// they are JSON, and nothing parsed from a 204.
import type { Client } from 'openapi-fetch'

type Value = string | number | boolean | null | undefined

interface CallInit {
  params?: { path?: Record<string, Value>; query?: Record<string, Value | Value[]> }
  body?: unknown
  /** Makes the body (a `FormData` for an upload); by default it is sent as JSON. */
  bodySerializer?: (body: unknown) => BodyInit
  parseAs?: 'json' | 'text' | 'blob'
  headers?: Record<string, string>
  signal?: AbortSignal
}

export interface TypedClientOptions {
  baseUrl: string
  fetch: (request: Request) => Promise<Response>
  /** Sent with every call (the key, a `User-Agent`). */
  headers: Record<string, string>
}

/** `/v1/x/{id}` with its path parameters, and the query string (absent values left out). */
export function callUrl(path: string, params: CallInit['params'] = {}): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String(params.path?.[name] ?? '')),
  )
  const query = Object.entries(params.query ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value])
      .filter((item) => item !== undefined && item !== null)
      .map((item) => `${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`),
  )
  return query.length > 0 ? `${filled}?${query.join('&')}` : filled
}

export function typedClient<Paths extends object>(options: TypedClientOptions): Client<Paths> {
  const call =
    (method: string) =>
    async (path: string, init: CallInit = {}) => {
      const headers = new Headers({ ...options.headers, ...init.headers })
      let body: BodyInit | undefined
      if (init.bodySerializer) body = init.bodySerializer(init.body)
      else if (init.body !== undefined) {
        body = JSON.stringify(init.body)
        headers.set('Content-Type', 'application/json')
      }
      const response = await options.fetch(
        new Request(`${options.baseUrl}${callUrl(path, init.params)}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body }),
          ...(init.signal ? { signal: init.signal } : {}),
        }),
      )
      if (response.status === 204 || response.headers.get('Content-Length') === '0') {
        return response.ok ? { data: undefined, response } : { error: undefined, response }
      }
      if (response.ok) return { data: await response[init.parseAs ?? 'json'](), response }
      let error: unknown = await response.text()
      try {
        error = JSON.parse(error as string)
      } catch {
        // Not JSON (a proxy's HTML page): the text is the error.
      }
      return { error, response }
    }
  const methods = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'] as const
  return Object.fromEntries(
    methods.map((method) => [method, call(method)]),
  ) as unknown as Client<Paths>
}
