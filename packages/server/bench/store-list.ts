/**
 * Store product list vs a bare Hono handler, on the same server stack (@hono/node-server),
 * measured in one run. The server runs in a child process so the load generator does not
 * share its event loop; both endpoints live in that one process and are measured alternately.
 *
 *   pnpm --filter @mitra/server bench            (PGlite, in memory)
 *   DATABASE_URL=postgres://… pnpm --filter @mitra/server bench
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const PRODUCTS = 500
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const CONNECTIONS = 16

async function serve() {
  const { serve: listenNode } = await import('@hono/node-server')
  const { Hono } = await import('hono')
  const { createDatabase } = await import('@mitra/db')
  const { createParty, createProducts, setProductStatus } = await import('@mitra/catalog')
  const { createApp, createApiKey } = await import('../src/index.js')

  const database = await createDatabase({ dataDir: 'memory://' })
  const producer = await createParty(database.db, {
    kind: 'producer',
    name: 'Batik Gemawangi',
    slug: `bench-${Date.now()}`,
  })
  const scope = { partyId: producer.id, role: 'owner' as const }
  const inputs = Array.from({ length: PRODUCTS }, (_, i) => ({
    title: { id: `Batik tulis motif ${i}`, en: `Hand-drawn batik pattern ${i}` },
    description: { id: 'Kain katun, pewarna alami indigo', en: 'Cotton, natural indigo dye' },
    category: 'batik' as const,
    materials: ['katun', 'indigo'],
    tags: ['gemawang', `motif-${i % 10}`],
    origin: {
      village: 'Gemawang',
      district: 'Jambu',
      regency: 'Semarang',
      province: 'Jawa Tengah',
    },
    variants: [
      {
        sku: `BTK-${i}-M`,
        options: { size: '2m' },
        weight_grams: 300,
        price: { amount: 250_000 + i * 1000, currency: 'IDR' },
      },
      {
        sku: `BTK-${i}-L`,
        options: { size: '2.5m' },
        weight_grams: 380,
        price: { amount: 320_000 + i * 1000, currency: 'IDR' },
      },
    ],
  }))
  const created = await createProducts(database.db, scope, inputs)
  for (const product of created) await setProductStatus(database.db, scope, product.id, 'active')
  const { token } = await createApiKey(database.db, { partyId: producer.id, kind: 'publishable' })

  const app = createApp({ database })
  const path = '/v1/store/products'
  const sample = await app.request(path, { headers: { Authorization: `Bearer ${token}` } })
  const payload = await sample.text()
  if (sample.status !== 200) throw new Error(`store list answered ${sample.status}: ${payload}`)

  // The baseline: the same bytes from a bare Hono handler on the same server stack.
  const bare = new Hono()
  bare.get(path, (c) => c.body(payload, 200, { 'Content-Type': 'application/json' }))

  const ports = await Promise.all(
    [app.fetch, bare.fetch].map(
      (fetch) =>
        new Promise<number>((resolve) => {
          listenNode({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port))
        }),
    ),
  )
  process.stdout.write(
    `${JSON.stringify({ store: ports[0], bare: ports[1], token, path, bytes: payload.length, kind: database.kind })}\n`,
  )
}

interface Run {
  rps: number
  p99: number
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<Run> {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds })
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  }
  return { rps: result.requests.average, p99: result.latency.p99 }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

async function measure() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', fileURLToPath(import.meta.url), '--serve'],
    { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
  )
  const info = await new Promise<{
    store: number
    bare: number
    token: string
    path: string
    bytes: number
    kind: string
  }>((resolve, reject) => {
    let buffer = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const line = buffer.split('\n').find((l) => l.startsWith('{'))
      if (line) resolve(JSON.parse(line))
    })
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
  try {
    const storeUrl = `http://127.0.0.1:${info.store}${info.path}`
    const bareUrl = `http://127.0.0.1:${info.bare}${info.path}`
    const auth = { Authorization: `Bearer ${info.token}` }
    console.log(
      `store product list: ${PRODUCTS} products on ${info.kind}, first page ${info.bytes} bytes`,
    )
    console.log(`${CONNECTIONS} connections, ${SECONDS} s per round, 2 rounds each, alternating`)
    await load(storeUrl, auth, 2) // warm-up: JIT, caches, connection pools
    await load(bareUrl, {}, 2)
    const bare: Run[] = []
    const store: Run[] = []
    for (let round = 0; round < 2; round++) {
      bare.push(await load(bareUrl, {}, SECONDS))
      store.push(await load(storeUrl, auth, SECONDS))
    }
    const bareRps = median(bare.map((r) => r.rps))
    const storeRps = median(store.map((r) => r.rps))
    const ratio = storeRps / bareRps
    console.log(
      `bare Hono handler   ${bareRps.toFixed(0).padStart(7)} req/s   p99 ${median(bare.map((r) => r.p99))} ms`,
    )
    console.log(
      `store product list  ${storeRps.toFixed(0).padStart(7)} req/s   p99 ${median(store.map((r) => r.p99))} ms`,
    )
    console.log(
      `ratio store/bare: ${(ratio * 100).toFixed(1)} % (target ≥ 50 %) ${ratio >= 0.5 ? 'PASS' : 'FAIL'}`,
    )
    process.exitCode = ratio >= 0.5 ? 0 : 1
  } finally {
    child.kill('SIGTERM')
  }
}

if (process.argv.includes('--serve')) await serve()
else await measure()
