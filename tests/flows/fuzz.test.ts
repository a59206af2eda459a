import { MemoryImageStore } from '@mitra/branding'
import { testDatabaseKinds } from '@mitra/db/testing'
import { useTestApi } from '@mitra/server/testing'
import { seedDemo } from '@mitra/storefront/demo'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  collectIds,
  type FuzzRequest,
  type IdPool,
  type OpenApiDocument,
  operationsOf,
  requestOf,
} from './fuzz-support.js'

/*
 * The API attacked from its own OpenAPI document: every operation called as a real party
 * with generated parameters and bodies, valid and hostile. Whatever comes in, the answer is
 * never a 5xx, and every refusal is problem+json naming the failing field. `FUZZ_REQUESTS`
 * sets the budget per database (CI: the default; `pnpm --filter @mitra/tests fuzz:soak`: more);
 * `FUZZ_SEED` replays a run.
 */

const budget = Number(process.env.FUZZ_REQUESTS ?? 2500)
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)

interface Failure {
  operation: string
  request: string
  status: number
  why: string
  body: string
}

describe.each(testDatabaseKinds())('fuzzing the API from /openapi.json on %s', (kind) => {
  const imageStore = new MemoryImageStore()
  const api = useTestApi(kind, { imageStore })
  const pool: IdPool = new Map()
  let doc: OpenApiDocument
  const secrets: string[] = []
  const publishables: string[] = []

  beforeAll(async () => {
    await api.platformOwner()
    const keys = await seedDemo(api.database().db, imageStore, ['https://galeri.example'])
    for (const party of Object.values(keys)) {
      if (party.secret_key !== undefined) secrets.push(party.secret_key)
      if (party.publishable_key !== undefined) publishables.push(party.publishable_key)
    }
    doc = (await api.call('GET', '/openapi.json')).json as OpenApiDocument
    // Real ids to aim at: whatever each party's lists show. The keys the fuzzer itself uses
    // are left out, so that revoking one cannot end the run.
    const ownKeys = new Set<string>()
    for (const token of secrets) {
      const listed = await api.call('GET', '/v1/admin/api_keys', { token })
      for (const key of listed.json?.data ?? []) ownKeys.add(key.id)
    }
    for (const { method, template } of operationsOf(doc)) {
      if (method !== 'GET' || template.includes('{')) continue
      const tokens = template.startsWith('/v1/store/') ? publishables : secrets
      for (const token of tokens) {
        collectIds(pool, (await api.call('GET', template, { token })).text, ownKeys)
      }
    }
  }, 120_000)

  it(`answers ${budget} generated requests with no 5xx, every refusal naming its field (seed ${seed})`, async () => {
    const operations = operationsOf(doc)
    const perOperation = Math.max(4, Math.ceil(budget / operations.length))
    const failures: Failure[] = []
    const statuses = new Map<number, number>()
    let sent = 0
    for (const [index, { method, template, operation }] of operations.entries()) {
      const tokens = template.startsWith('/v1/store/')
        ? publishables
        : template.startsWith('/v1/admin/')
          ? secrets
          : ['']
      // Half of the requests valid for their schemas, to reach the code behind validation;
      // half with hostile values in them.
      const arbitrary = fc.tuple(
        fc.oneof(
          requestOf(doc, method, template, operation, pool, 0),
          requestOf(doc, method, template, operation, pool, 0.3),
        ),
        fc.constantFrom(...tokens),
      )
      for (const [request, token] of fc.sample(arbitrary, {
        numRuns: perOperation,
        seed: seed + index,
      })) {
        const answer = await send(request, token)
        sent++
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
        const why = judge(answer)
        const operationName = `${method} ${template}`
        // One example of each way an operation fails is enough to read.
        if (
          why !== undefined &&
          !failures.some((f) => f.operation === operationName && f.why === why)
        ) {
          const logged = answer.status >= 500 ? String(api.logged.at(-1) ?? '') : ''
          failures.push({
            operation: operationName,
            request:
              `${request.method} ${request.path}${request.query ? `?${request.query}` : ''} ${request.body ?? ''}`.slice(
                0,
                400,
              ),
            status: answer.status,
            why,
            body: `${answer.text.slice(0, 300)} ${logged.slice(0, 300)}`,
          })
        }
      }
    }
    const summary = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')
    console.info(
      `fuzz on ${kind}: ${sent} requests over ${operations.length} operations (seed ${seed}): ${summary}`,
    )
    expect(sent).toBeGreaterThanOrEqual(Math.min(budget, operations.length * 4))
    // Enough requests got past validation to have reached the code behind it.
    expect([...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(
      sent / 10,
    )
    expect(failures.slice(0, 15)).toEqual([])
  }, 900_000)

  async function send(request: FuzzRequest, token: string) {
    const headers: Record<string, string> = {}
    if (token !== '') headers.Authorization = `Bearer ${token}`
    if (request.contentType !== undefined) headers['Content-Type'] = request.contentType
    if (request.method !== 'GET') headers['Idempotency-Key'] = crypto.randomUUID()
    const url = `${request.path}${request.query ? `?${request.query}` : ''}`
    const response = await api.app().request(url, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    })
    return { status: response.status, headers: response.headers, text: await response.text() }
  }
})

/** Why an answer breaks the API's promises, or undefined when it keeps them. */
function judge(answer: { status: number; headers: Headers; text: string }): string | undefined {
  if (answer.status >= 500) return 'a 5xx'
  if (answer.status < 400) return undefined
  if (!answer.headers.get('Content-Type')?.startsWith('application/problem+json')) {
    return 'a refusal that is not problem+json'
  }
  let problem: { status?: number; errors?: { path?: unknown }[] }
  try {
    problem = JSON.parse(answer.text)
  } catch {
    return 'a problem+json body that is not JSON'
  }
  if (problem.status !== answer.status) return 'a problem whose status differs from the answer'
  const errors = problem.errors ?? []
  if (errors.length === 0) return 'a refusal that names no field'
  if (errors.some((e) => typeof e.path !== 'string' || e.path === '')) {
    return 'a refusal with an empty field path'
  }
  return undefined
}
