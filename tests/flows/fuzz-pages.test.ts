import { partyRoutes } from '@mitra/console'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { type ConsoleClient, useConsoleNetwork } from './console-support.js'
import { collectIds, encodeHostile, hostileStrings, type IdPool } from './fuzz-support.js'

/*
 * The HTML side attacked as the API is in fuzz.test.ts: every page of the shop and every
 * screen and form of the console (signed in as each demo party), with ids from the seeded
 * world, other parties' ids, and hostile path segments, queries and form fields. Whatever
 * comes in, no answer is a 5xx.
 */

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
const perScreen = Number(process.env.FUZZ_PAGE_REQUESTS ?? 4)

const hostileQuery = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        'q',
        'lang',
        'page',
        'cursor',
        'sort',
        'venue',
        'from',
        'to',
        'status',
        'period',
      ),
      fc.constantFrom(...hostileStrings, '-1', '2147483648', '9007199254740993'),
    ),
    { maxLength: 3 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${encodeHostile(v)}`).join('&'))

describe('fuzzing the shop and the console pages', () => {
  const network = useConsoleNetwork()
  const pool: IdPool = new Map()
  const clients = new Map<string, { client: ConsoleClient; partyId: string; kind: string }>()

  beforeAll(async () => {
    const keys = network.keys()
    for (const [name, party] of Object.entries(keys)) {
      const own = await network.api.call('GET', '/v1/admin/party', { token: party.secret_key })
      for (const list of [
        '/v1/admin/products',
        '/v1/admin/agreements',
        '/v1/admin/deliveries',
        '/v1/admin/stock_counts',
        '/v1/admin/payouts',
        '/v1/admin/statements',
        '/v1/admin/remittances',
        '/v1/admin/returns',
      ]) {
        collectIds(pool, (await network.api.call('GET', list, { token: party.secret_key })).text)
      }
      if (party.person !== undefined) {
        clients.set(name, {
          client: await network.signIn(name),
          partyId: party.party_id,
          kind: own.json.kind,
        })
      }
    }
  }, 180_000)

  it('answers every console screen and form, as each party, with no 5xx', async () => {
    const ids = [...pool.values()].flat()
    const segment = fc.oneof(
      { arbitrary: fc.constantFrom(...ids), weight: 6 },
      {
        arbitrary: fc.constantFrom(
          'x',
          '0',
          'prod_00000000000000000000000000',
          '-',
          '_'.repeat(300),
        ),
        weight: 1,
      },
    )
    const failures: string[] = []
    let sent = 0
    let index = 0
    for (const { client, partyId, kind } of clients.values()) {
      const screens = partyRoutes()
        .list()
        .filter((screen) => screen.kinds.includes(kind))
      for (const screen of screens) {
        const samples = fc.sample(
          fc.tuple(fc.array(segment, { minLength: 4, maxLength: 4 }), hostileQuery, fc.nat(99)),
          {
            numRuns: perScreen,
            seed: seed + index++,
          },
        )
        for (const [segments, query, roll] of samples) {
          let n = 0
          const path = `/console/p/${partyId}${screen.path.replace(/:\w+/g, () => segments[n++] as string)}`
          let answer: { status: number; html: string }
          if (screen.method === 'GET') {
            answer = await client.get(query === '' ? path : `${path}?${query}`)
          } else {
            // The form's own fields, from the page that shows it, filled with what a hostile
            // person might type.
            const page = await client.get(path.replace(/\/[a-z_-]+$/, ''))
            const names = [
              ...new Set([...page.html.matchAll(/name="([^"]+)"/g)].map((m) => m[1] as string)),
            ].filter((f) => f !== 'csrf')
            const fields = Object.fromEntries(
              names.map((name, i) => [
                name,
                hostileStrings[(roll + i) % hostileStrings.length] as string,
              ]),
            )
            answer = await client.post(path, fields)
          }
          sent++
          if (answer.status >= 500)
            failures.push(`${screen.method} ${path}?${query} → ${answer.status}`)
        }
      }
    }
    console.info(`fuzz pages: ${sent} console requests as ${clients.size} parties`)
    expect(sent).toBeGreaterThan(100)
    expect(failures.slice(0, 10)).toEqual([])
  }, 600_000)

  it('answers every shop page with hostile paths and queries, with no 5xx', async () => {
    const routes = network.api
      .app()
      .routes.filter(
        (r) =>
          r.method === 'GET' &&
          !/^\/(v1|console|openapi|widget|demo-pay)/.test(r.path) &&
          r.path !== '/*' &&
          r.path !== '*',
      )
    const paths = [...new Set(routes.map((r) => r.path))]
    const failures: string[] = []
    let sent = 0
    for (const [i, template] of paths.entries()) {
      const samples = fc.sample(
        fc.tuple(fc.constantFrom(...hostileStrings, 'batik-gemawangi', 'id', 'en'), hostileQuery),
        {
          numRuns: perScreen,
          seed: seed + 10_000 + i,
        },
      )
      for (const [value, query] of samples) {
        const path = template.replace(/:\w+(\{[^}]*\})?/g, encodeHostile(value))
        const response = await network.api.app().request(`${path}?${query}`)
        await response.arrayBuffer()
        sent++
        if (response.status >= 500) failures.push(`GET ${path}?${query} → ${response.status}`)
      }
    }
    console.info(`fuzz pages: ${sent} shop requests over ${paths.length} routes`)
    expect(paths.length).toBeGreaterThan(5)
    expect(failures.slice(0, 10)).toEqual([])
  }, 300_000)
})
