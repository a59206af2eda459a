import { writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { LocalDiskImageStore } from '@mitra/branding'
import { createDatabase } from '@mitra/db'
import {
  createApp,
  ensurePlatform,
  listen,
  paymentProvidersFromEnv,
  payoutProvidersFromEnv,
  startWorkers,
} from '@mitra/server'
import { seedDemo } from './demo.js'

/**
 * Starts mitra: the API on embedded PGlite (data in MITRA_DATA_DIR, default .mitra/data), or
 * on the Postgres server named by DATABASE_URL; images in MITRA_MEDIA_DIR (default beside the
 * data). On an empty database it creates the platform operator and, unless MITRA_DEMO=0,
 * the demo network, and writes their keys to keys.json beside the data.
 */
const port = Number(process.env.PORT ?? 3000)
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a whole number from 0 to 65535, not '${process.env.PORT}'`)
  process.exit(2)
}
const host = process.env.HOST ?? '127.0.0.1'
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
let payments: ReturnType<typeof paymentProvidersFromEnv>
try {
  payments = paymentProvidersFromEnv(process.env, { baseUrl })
} catch (error) {
  const fields = (error as { errors?: { path: string }[] }).errors?.map((e) => e.path) ?? []
  console.error(
    `Payment configuration: ${(error as Error).message}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`,
  )
  process.exit(2)
}
const dataDir = resolve(process.env.MITRA_DATA_DIR ?? '.mitra/data')
const home = dirname(dataDir)
const store = new LocalDiskImageStore(process.env.MITRA_MEDIA_DIR ?? join(home, 'media'))

const database = await createDatabase({ dataDir })
const platform = await ensurePlatform(database.db)
if (platform.secretKey !== null) {
  const keys: Record<string, unknown> = {
    platform: { party_id: platform.partyId, secret_key: platform.secretKey },
  }
  if (process.env.MITRA_DEMO !== '0') {
    const origins = [`http://${host}:${port}`, `http://localhost:${port}`]
    Object.assign(keys, await seedDemo(database.db, store, origins))
  }
  const keysFile = join(home, 'keys.json')
  writeFileSync(keysFile, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 })
  console.log(
    `New database: the platform key and the demo keys are in ${keysFile} (shown only now).`,
  )
}

const app = createApp({
  database,
  imageStore: store,
  payoutProviders,
  payments,
  baseUrl,
  logRequest: process.env.MITRA_LOG_REQUESTS === '0' ? undefined : (line) => console.log(line),
})
const server = await listen(app, port, host)
const workers = startWorkers(database.db, { payments })
console.log(`mitra is running at ${server.url}`)
console.log(`  health:    ${server.url}/health`)
console.log(`  reference: ${server.url}/docs`)
console.log(
  `  payments:  ${payments.names().join(', ')}${payments.demo ? ' (demo: no real money)' : ''}`,
)
console.log(`  data:      ${database.kind} (${database.location}), images in ${store.dir}`)

let stopping = false
async function stop(signal: string) {
  if (stopping) return
  stopping = true
  console.log(`${signal}: stopping`)
  workers.stop()
  await server.close()
  await database.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
