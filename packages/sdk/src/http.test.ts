import { delay, HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { isMitraApiError, MitraApiError, MitraConnectionError } from './errors.js'
import { retryAfterMs } from './http.js'
import { Mitra } from './index.js'
import { createStoreClient } from './store.js'

// The transport against a mocked network: what a real API answers cannot be made to fail on
// cue, msw can.
const base = 'https://mitra.test'
const network = setupServer()
beforeAll(() => network.listen({ onUnhandledRequest: 'error' }))
afterEach(() => network.resetHandlers())
afterAll(() => network.close())

const fast = { retryBaseDelayMs: 1, maxRetryDelayMs: 2_000 }
const admin = (options: Partial<ConstructorParameters<typeof Mitra>[0]> = {}) =>
  new Mitra({ baseUrl: base, secretKey: 'sk_test_1', ...fast, ...options }).admin

const problem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  HttpResponse.json(
    {
      type: `${base}/docs/errors#${code}`,
      title: code,
      status,
      detail: `${code} happened`,
      code,
      ...extra,
    },
    { status, headers: { 'Content-Type': 'application/problem+json', 'Request-Id': 'req_header' } },
  )

const party = { id: 'pty_1', object: 'party', kind: 'producer', name: 'Batik Gemawang' }

/** Records each attempt's method, Idempotency-Key and Authorization. */
function attempts() {
  const seen: { method: string; key: string | null; auth: string | null; at: number }[] = []
  return {
    seen,
    record(request: Request) {
      seen.push({
        method: request.method,
        key: request.headers.get('Idempotency-Key'),
        auth: request.headers.get('Authorization'),
        at: performance.now(),
      })
    },
  }
}

describe('idempotency keys', () => {
  it('sends a generated key on every POST and the same key on its retries', async () => {
    const log = attempts()
    network.use(
      http.post(`${base}/v1/admin/payouts/:id/execute`, ({ request }) => {
        log.record(request)
        return log.seen.length < 3 ? problem(503, 'unavailable') : HttpResponse.json(party)
      }),
    )
    await admin().payouts.execute('pay_1')
    expect(log.seen).toHaveLength(3)
    const [first] = log.seen
    expect(first?.key).toMatch(/^[0-9a-f]{32}$/)
    expect(new Set(log.seen.map((attempt) => attempt.key)).size).toBe(1)
    expect(first?.auth).toBe('Bearer sk_test_1')
  })

  it('uses the key given, and a new one for the next call', async () => {
    const log = attempts()
    network.use(
      http.post(`${base}/v1/admin/api_keys/:id/revoke`, ({ request }) => {
        log.record(request)
        return HttpResponse.json({})
      }),
    )
    const client = admin()
    await client.apiKeys.revoke('key_1', { idempotencyKey: 'revoke-key_1' })
    await client.apiKeys.revoke('key_2')
    await client.apiKeys.revoke('key_3')
    expect(log.seen[0]?.key).toBe('revoke-key_1')
    expect(log.seen[1]?.key).not.toBe(log.seen[2]?.key)
  })

  it('sends no key on GET, PUT, PATCH or DELETE', async () => {
    const log = attempts()
    network.use(
      http.all(`${base}/v1/admin/*`, ({ request }) => {
        log.record(request)
        return HttpResponse.json({})
      }),
    )
    const client = admin()
    await client.party.get()
    await client.party.update({ name: 'Batik' })
    await client.brandKit.get()
    await client.variants.delete('var_1')
    expect(log.seen.map((attempt) => [attempt.method, attempt.key])).toEqual([
      ['GET', null],
      ['PATCH', null],
      ['GET', null],
      ['DELETE', null],
    ])
  })
})

describe('retries', () => {
  it('retries network errors on reads, then succeeds', async () => {
    let calls = 0
    network.use(
      http.get(`${base}/v1/admin/party`, () => {
        calls++
        return calls === 1 ? HttpResponse.error() : HttpResponse.json(party)
      }),
    )
    await expect(admin().party.get()).resolves.toMatchObject({ name: 'Batik Gemawang' })
    expect(calls).toBe(2)
  })

  it('gives up after maxRetries with the last error', async () => {
    let calls = 0
    network.use(
      http.get(`${base}/v1/admin/party`, () => {
        calls++
        return problem(502, 'unavailable')
      }),
    )
    const error = await admin({ maxRetries: 3 })
      .party.get()
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(MitraApiError)
    expect(error).toMatchObject({ status: 502 })
    expect(calls).toBe(4)
  })

  it('does not repeat a PATCH whose answer was lost, nor one that failed with 5xx', async () => {
    let calls = 0
    network.use(
      http.patch(`${base}/v1/admin/party`, () => {
        calls++
        return calls === 1 ? HttpResponse.error() : problem(500, 'internal')
      }),
    )
    await expect(admin().party.update({ name: 'x' })).rejects.toBeInstanceOf(MitraConnectionError)
    await expect(admin().party.update({ name: 'x' })).rejects.toMatchObject({ status: 500 })
    expect(calls).toBe(2)
  })

  it('repeats a PATCH refused with 429 (it was not processed)', async () => {
    let calls = 0
    network.use(
      http.patch(`${base}/v1/admin/party`, () => {
        calls++
        return calls === 1 ? problem(429, 'rate_limited') : HttpResponse.json(party)
      }),
    )
    await expect(admin().party.update({ name: 'x' })).resolves.toMatchObject({ id: 'pty_1' })
    expect(calls).toBe(2)
  })

  it('does not retry 4xx answers but 409 idempotency_in_progress', async () => {
    let conflicts = 0
    let invalid = 0
    network.use(
      http.post(`${base}/v1/admin/settlements`, () => {
        conflicts++
        return conflicts === 1 ? problem(409, 'idempotency_in_progress') : HttpResponse.json({})
      }),
      http.post(`${base}/v1/admin/payouts`, () => {
        invalid++
        return problem(422, 'validation_failed')
      }),
    )
    await admin().settlements.create({ minimum: 0 })
    await expect(
      admin().payouts.create({ party_id: 'pty_1', currency: 'IDR', minimum: 0 }),
    ).rejects.toMatchObject({ status: 422 })
    expect([conflicts, invalid]).toEqual([2, 1])
  })

  it('waits as long as Retry-After says', async () => {
    const log = attempts()
    network.use(
      http.get(`${base}/v1/admin/party`, ({ request }) => {
        log.record(request)
        return log.seen.length === 1
          ? HttpResponse.json(
              { code: 'rate_limited' },
              { status: 429, headers: { 'Retry-After': '1' } },
            )
          : HttpResponse.json(party)
      }),
    )
    await admin().party.get()
    const [first, second] = log.seen
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990)
  })

  it('gives up at once when Retry-After asks for longer than it will wait', async () => {
    let calls = 0
    network.use(
      http.get(`${base}/v1/admin/party`, () => {
        calls++
        return HttpResponse.json(
          { code: 'rate_limited' },
          { status: 429, headers: { 'Retry-After': '3600' } },
        )
      }),
    )
    await expect(admin().party.get()).rejects.toMatchObject({ status: 429 })
    expect(calls).toBe(1)
  })

  it('backs off exponentially with jitter between attempts', async () => {
    const log = attempts()
    network.use(
      http.get(`${base}/v1/admin/party`, ({ request }) => {
        log.record(request)
        return problem(503, 'unavailable')
      }),
    )
    await admin({ retryBaseDelayMs: 40, maxRetries: 3 })
      .party.get()
      .catch(() => undefined)
    const gaps = log.seen.slice(1).map((attempt, index) => attempt.at - (log.seen[index]?.at ?? 0))
    // Attempt n waits between half and all of 40 ms × 2^n.
    gaps.forEach((gap, n) => {
      expect(gap).toBeGreaterThanOrEqual(20 * 2 ** n - 2)
      expect(gap).toBeLessThan(40 * 2 ** n + 60)
    })
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000)
    expect(retryAfterMs(null)).toBeUndefined()
    expect(retryAfterMs('soon')).toBeUndefined()
    const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString()
    expect(retryAfterMs(inFiveSeconds)).toBeGreaterThan(3_000)
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:00 GMT')).toBe(0)
  })
})

describe('timeouts and cancelling', () => {
  it('abandons a slow attempt, retries it, and reports the timeout', async () => {
    let calls = 0
    network.use(
      http.get(`${base}/v1/admin/party`, async () => {
        calls++
        await delay(500)
        return HttpResponse.json(party)
      }),
    )
    const error = await admin({ timeoutMs: 50, maxRetries: 1 })
      .party.get()
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(MitraConnectionError)
    expect(error).toMatchObject({ timedOut: true })
    expect(calls).toBe(2)
  })

  it('takes a per-call timeout over the client’s', async () => {
    network.use(
      http.get(`${base}/v1/admin/party`, async () => {
        await delay(150)
        return HttpResponse.json(party)
      }),
    )
    const client = admin({ timeoutMs: 20, maxRetries: 0 })
    await expect(client.party.get()).rejects.toMatchObject({ timedOut: true })
    await expect(client.party.get({ timeoutMs: 2_000 })).resolves.toMatchObject({ id: 'pty_1' })
  })

  it('stops at once, without retrying, when the caller aborts', async () => {
    let calls = 0
    network.use(
      http.get(`${base}/v1/admin/party`, async () => {
        calls++
        await delay(1_000)
        return HttpResponse.json(party)
      }),
    )
    const controller = new AbortController()
    const pending = admin().party.get({ signal: controller.signal })
    setTimeout(() => controller.abort(new Error('left the page')), 20)
    await expect(pending).rejects.toThrow('left the page')
    expect(calls).toBe(1)
  })
})

describe('errors', () => {
  it('carries status, code, detail, the failing fields and the request id', async () => {
    network.use(
      http.post(`${base}/v1/admin/sales`, () =>
        problem(422, 'validation_failed', {
          errors: [{ path: 'lines.0.quantity', code: 'too_small', message: 'at least 1' }],
          request_id: 'req_body',
        }),
      ),
    )
    const error = await admin()
      .sales.create({
        venue_id: 'pty_1',
        receipt_number: 'R-1',
        payment_method: 'cash',
        lines: [{ variant_id: 'var_1', quantity: 0 }],
      } as never)
      .catch((caught: unknown) => caught)
    expect(isMitraApiError(error, 'validation_failed')).toBe(true)
    expect(error).toMatchObject({
      status: 422,
      code: 'validation_failed',
      detail: 'validation_failed happened',
      errors: [{ path: 'lines.0.quantity', code: 'too_small', message: 'at least 1' }],
      requestId: 'req_body',
      message: 'validation_failed happened',
    })
  })

  it('takes the request id from the header when the body has none, and keeps extra members', async () => {
    network.use(
      http.post(`${base}/v1/admin/payouts`, () =>
        problem(409, 'insufficient_funds', { amount_due: { amount: 10, currency: 'IDR' } }),
      ),
    )
    const error = await admin()
      .payouts.create({ party_id: 'pty_1', currency: 'IDR', minimum: 0 })
      .catch((caught: unknown) => caught)
    if (!isMitraApiError(error, 'insufficient_funds'))
      throw new Error('expected insufficient_funds')
    expectTypeOf(error.code).toEqualTypeOf<'insufficient_funds'>()
    expect(error.requestId).toBe('req_header')
    expect(error.problem.amount_due).toEqual({ amount: 10, currency: 'IDR' })
    expect(isMitraApiError(error, 'not_found')).toBe(false)
  })

  it('maps an answer that is not problem+json (a proxy page) to unexpected_response', async () => {
    network.use(
      http.get(
        `${base}/v1/admin/party`,
        () =>
          new HttpResponse('<html>Bad gateway</html>', {
            status: 502,
            headers: { 'Content-Type': 'text/html' },
          }),
      ),
    )
    await expect(admin({ maxRetries: 0 }).party.get()).rejects.toMatchObject({
      status: 502,
      code: 'unexpected_response',
      detail: expect.stringContaining('Bad gateway'),
    })
  })

  it('narrows a code to the API’s list of codes', () => {
    expectTypeOf<MitraApiError['code']>().toExtend<string>()
    // @ts-expect-error: not a code the API answers with
    isMitraApiError(new Error(), 'no_such_code')
  })
})

describe('keys', () => {
  it('sends the publishable key to the store and the secret key to the admin API', async () => {
    const seen: string[] = []
    network.use(
      http.get(`${base}/v1/*`, ({ request }) => {
        seen.push(`${new URL(request.url).pathname} ${request.headers.get('Authorization')}`)
        return HttpResponse.json({ object: 'list', data: [], next_cursor: null })
      }),
    )
    const mitra = new Mitra({ baseUrl: `${base}/`, publishableKey: 'pk_1', secretKey: 'sk_1' })
    await mitra.store.products.list()
    await mitra.admin.products.list()
    expect(seen).toEqual(['/v1/store/products Bearer pk_1', '/v1/admin/products Bearer sk_1'])
  })

  it('refuses a secret key in a browser, and the admin API without one', () => {
    const globals = globalThis as Record<string, unknown>
    globals.window = {}
    globals.document = {}
    try {
      expect(() => new Mitra({ baseUrl: base, secretKey: 'sk_1' })).toThrow(/must stay on a server/)
      expect(() => createStoreClient({ baseUrl: base, key: 'sk_1' })).toThrow(
        /must stay on a server/,
      )
      expect(() => createStoreClient({ baseUrl: base, key: 'pk_1' })).not.toThrow()
    } finally {
      delete globals.window
      delete globals.document
    }
    expect(() => new Mitra({ baseUrl: base, publishableKey: 'pk_1' }).admin).toThrow(/secret key/)
    expect(() => new Mitra({ baseUrl: base, publishableKey: 'sk_1' })).toThrow(/pk_/)
    expect(() => new Mitra({ baseUrl: base, secretKey: 'pk_1' })).toThrow(/sk_/)
    expect(() => new Mitra({ baseUrl: base })).toThrow(/publishableKey/)
  })
})

describe('pagination', () => {
  it('awaits the first page, and iterates every item across pages', async () => {
    const cursors: (string | null)[] = []
    network.use(
      http.get(`${base}/v1/admin/products`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor')
        cursors.push(cursor)
        const page = Number(cursor ?? 0)
        return HttpResponse.json({
          object: 'list',
          data: [{ id: `prod_${page}a` }, { id: `prod_${page}b` }],
          next_cursor: page < 2 ? String(page + 1) : null,
        })
      }),
    )
    const products = admin().products
    const first = await products.list({ limit: 2 })
    expect(first.data.map((product) => product.id)).toEqual(['prod_0a', 'prod_0b'])
    const ids: string[] = []
    for await (const product of products.list({ limit: 2 })) ids.push(product.id)
    expect(ids).toEqual(['prod_0a', 'prod_0b', 'prod_1a', 'prod_1b', 'prod_2a', 'prod_2b'])
    expect(await products.list().toArray({ max: 3 })).toHaveLength(3)
    expect(cursors.slice(0, 4)).toEqual([null, null, '1', '2'])
  })
})
