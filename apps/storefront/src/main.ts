import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { LocalDiskImageStore } from '@mitra/branding'
import { databaseDemoBank } from '@mitra/checkout'
import { mountConsole } from '@mitra/console'
import { MitraError } from '@mitra/core'
import { createDatabase, type DatabaseHandle, inTransaction } from '@mitra/db'
import { type GallerySite, type RunningGallery, startGallery } from '@mitra/example-gallery-embed'
import {
  createApp,
  ensurePlatform,
  listen,
  paymentProvidersFromEnv,
  payoutProvidersFromEnv,
  type RunningServer,
  startWorkers,
  type Workers,
} from '@mitra/server'
import { loadWidgetBundle, type WidgetBundle } from '@mitra/widget/bundle'
import { type DemoPictures, prepareDemoPictures, seedDemo } from './demo.js'
import { gallerySite } from './gallery.js'
import { mitraPaths } from './paths.js'
import { mountShop } from './shop/index.js'

/**
 * Starts mitra: the API on embedded PGlite (data in MITRA_DATA_DIR, default .mitra/data), or
 * on the Postgres server named by DATABASE_URL; images in MITRA_MEDIA_DIR (default beside the
 * data). On an empty database it creates the platform operator and, unless MITRA_DEMO=0,
 * the demo network, and writes their keys to keys.json beside the data (see paths.ts). It
 * serves the widget at /widget/v1.js and, unless MITRA_GALLERY=0, the example gallery
 * (examples/gallery-embed) on a second port (MITRA_GALLERY_PORT, default PORT + 1): another
 * origin, as a real gallery's site would be. SIGINT (Ctrl-C) and SIGTERM stop it: the
 * server, the workers and the database are closed and it exits with 0.
 */
const started = performance.now()
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`

const wantedPort = Number(process.env.PORT ?? 3000)
if (!Number.isInteger(wantedPort) || wantedPort < 0 || wantedPort > 65_535) {
  console.error(`PORT must be a whole number from 0 to 65535, not '${process.env.PORT}'`)
  process.exit(2)
}
const host = process.env.HOST ?? '127.0.0.1'
// PORT=0 (any free port): the port is chosen now, as the public URL below (the demo payment
// page, return URLs) must name it.
const port = wantedPort === 0 ? await freePort(host) : wantedPort
let payoutProviders: ReturnType<typeof payoutProvidersFromEnv>
try {
  payoutProviders = payoutProvidersFromEnv()
} catch (error) {
  console.error(`Payout configuration: ${(error as Error).message}`)
  process.exit(2)
}
// The URL buyers and providers reach this server at (demo pay pages, webhooks, return pages).
const baseUrl =
  process.env.MITRA_PUBLIC_URL ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`
// The payment configuration is checked now, before anything is set up; the providers
// are built once the database is open (the demo bank keeps its records there).
const paymentsOver = (bank?: ReturnType<typeof databaseDemoBank>) => {
  try {
    return paymentProvidersFromEnv(process.env, { baseUrl, ...(bank ? { bank } : {}) })
  } catch (error) {
    const fields = (error as { errors?: { path: string }[] }).errors?.map((e) => e.path) ?? []
    console.error(
      `Payment configuration: ${(error as Error).message}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`,
    )
    process.exit(2)
  }
}
paymentsOver()
const paths = mitraPaths(process.env, process.cwd())
const store = new LocalDiskImageStore(paths.media)
const demo = process.env.MITRA_DEMO !== '0'

// Stopping: whatever is open by then is closed, last opened first, and the exit code is 0.
let gallery: RunningGallery | undefined
let database: DatabaseHandle | undefined
let server: RunningServer | undefined
let workers: Workers | undefined
let stopping = false
async function stop() {
  if (stopping) process.exit(0) // a second Ctrl-C: now
  stopping = true
  workers?.stop()
  await Promise.allSettled([server?.close(), gallery?.close()])
  await database?.close().catch(() => {})
  console.log('mitra stopped')
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())

// An empty data folder: the first start. The demo's pictures are made from here on, on
// sharp's threads, while the database is set up.
const firstStart =
  (process.env.DATABASE_URL ?? '') === '' && !existsSync(join(paths.data, 'PG_VERSION'))
const setUp = `setting up ${demo ? 'the database and the demo network' : 'the database'}`
let pictures: DemoPictures | undefined
if (firstStart) {
  console.log(`First start: ${setUp}`)
  if (demo) pictures = prepareDemoPictures(store)
}

// The gallery listens first: its origin goes into the demo keys' allowed origins.
let site: GallerySite | undefined
if (process.env.MITRA_GALLERY !== '0') {
  const galleryPort = Number(process.env.MITRA_GALLERY_PORT ?? (wantedPort === 0 ? 0 : port + 1))
  gallery = await startGallery({
    port: galleryPort,
    host,
    site: () => site ?? { api: '', key: '', venue: '' },
  }).catch((error: Error) => {
    console.error(`The example gallery could not start on port ${galleryPort}: ${error.message}`)
    return undefined
  })
}
const galleryOrigins = gallery
  ? [gallery.url, ...(host === '127.0.0.1' ? [`http://localhost:${gallery.port}`] : [])]
  : []

const progress = (line: string) => console.log(`  ${line}`)
if (firstStart) progress(`database  ${paths.data}`)
database = await createDatabase({ dataDir: paths.data, fromTemplate: true })
const { db } = database
const payments = paymentsOver(databaseDemoBank(db))

// An empty database gets the platform operator and the demo network, as one transaction: a
// first start stopped half-way leaves nothing, and the next start begins again.
const origins = [`http://${host}:${port}`, `http://localhost:${port}`, ...galleryOrigins]
const keys = await inTransaction(
  db,
  async (tx) => {
    const platform = await ensurePlatform(tx)
    if (platform.secretKey === null) return undefined
    if (!firstStart) console.log(`An empty database: ${setUp}`)
    const made: Record<string, unknown> = {
      platform: { party_id: platform.partyId, secret_key: platform.secretKey },
    }
    if (demo) {
      const demoKeys = await seedDemo(tx, store, origins, {
        progress,
        ...(pictures ? { pictures } : {}),
      })
      // The platform's secret key is ensurePlatform's; the demo adds its person.
      Object.assign(made, demoKeys, {
        platform: { ...(made.platform as object), ...demoKeys.platform },
      })
    }
    return made
  },
  // Two instances starting on one empty Postgres database: one sets up, the other finds it.
  { isolationLevel: 'serializable' },
)
if (keys !== undefined) {
  mkdirSync(dirname(paths.keys), { recursive: true })
  writeFileSync(paths.keys, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 })
  progress(`keys      ${paths.keys} (every party's keys; secret keys are shown only now)`)
  progress(`ready in ${seconds()}`)
}

// The widget's script: built from its sources when running from them (this command), else
// the file `pnpm build` wrote (see packages/widget/src/bundle.ts). Built once the server
// listens, so that it does not compete with the database for the first start's seconds; a
// request for it meanwhile waits. One that could not be built is a 404.
let widget: WidgetBundle | undefined
const widgetLoading = async () => {
  try {
    widget = await loadWidgetBundle()
    return widget
  } catch (error) {
    throw new MitraError('not_found', `The widget is not served: ${(error as Error).message}`)
  }
}
const app = createApp({
  database,
  imageStore: store,
  payoutProviders,
  payments,
  baseUrl,
  logRequest: process.env.MITRA_LOG_REQUESTS === '0' ? undefined : (line) => console.log(line),
  widget: widgetLoading,
  // Instances on one database share the secret buyers' addresses are hashed with.
  ...(process.env.MITRA_BUYER_KEY_SECRET
    ? { buyerKeySecret: process.env.MITRA_BUYER_KEY_SECRET }
    : {}),
  trustProxy: process.env.MITRA_TRUST_PROXY === '1',
})
// The console at `/console`, then the shop at `/`, after every other route: the shop answers
// unknown browser paths with its 404 page.
await mountConsole(app, { database, baseUrl })
await mountShop(app, { database, baseUrl, providers: payments.names() })
server = await listen(app, port, host)
workers = startWorkers(db, { payments })
if (gallery) {
  site = await gallerySite(db, process.env.MITRA_PUBLIC_URL ?? server.url, galleryOrigins)
  if (site === undefined) {
    await gallery.close()
    gallery = undefined
  }
}
await widgetLoading().catch((error: Error) => console.error(error.message))

const url = server.url
const people = demoPeopleIn(paths.keys)
const lines: [string, string | false][] = [
  ['shop', `${url}/ (in English: ${url}/en)`],
  [
    'console',
    `${url}/console${people.length > 0 ? ` (demo password: ${people[0]?.password})` : ''}`,
  ],
  ...people.map(
    ({ party, name, phone }) => ['', `${phone}  ${name} (${party})`] as [string, string],
  ),
  ['gallery', !!gallery && `${gallery.url} (Galeri Gemawangi's own site, selling with the widget)`],
  ['API docs', `${url}/docs (OpenAPI document: ${url}/openapi.json)`],
  ['keys', existsSync(paths.keys) ? paths.keys : `none at ${paths.keys} (made on a first start)`],
  ['widget', !!widget && `${url}/widget/v1.js (${(widget.gzipped / 1024).toFixed(1)} KB gzipped)`],
  ['payments', `${payments.names().join(', ')}${payments.demo ? ' (demo: no real money)' : ''}`],
  ['data', `${database.kind} in ${database.location}, images in ${store.dir}`],
]
console.log(`mitra is running at ${url} (Ctrl-C stops it)`)
for (const [name, value] of lines) {
  if (value) console.log(`  ${name ? `${name}:`.padEnd(10) : ' '.repeat(10)} ${value}`)
}

/** A port free on `host` now, as the system picks one for port 0. */
function freePort(on: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, on, () => {
      const { port: free } = probe.address() as { port: number }
      probe.close(() => resolve(free))
    })
  })
}

/** Who signs in to the console in the demo, from the keys file: one person per party. */
function demoPeopleIn(
  keysFile: string,
): { party: string; name: string; phone: string; password: string }[] {
  if (!existsSync(keysFile)) return []
  const keys = JSON.parse(readFileSync(keysFile, 'utf8')) as Record<
    string,
    { person?: { name: string; phone: string; password: string } }
  >
  return Object.entries(keys).flatMap(([party, { person }]) =>
    person ? [{ party, ...person }] : [],
  )
}
