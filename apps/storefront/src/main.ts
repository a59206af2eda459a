import { createDatabase } from '@mitra/db'
import { createApp, listen } from '@mitra/server'

/**
 * Starts mitra: the API on embedded PGlite (data in MITRA_DATA_DIR, default .mitra/data),
 * or on the Postgres server named by DATABASE_URL.
 */
const port = Number(process.env.PORT ?? 3000)
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a whole number from 0 to 65535, not '${process.env.PORT}'`)
  process.exit(2)
}

const database = await createDatabase({ dataDir: process.env.MITRA_DATA_DIR ?? '.mitra/data' })
const server = await listen(createApp({ database }), port, process.env.HOST ?? '127.0.0.1')
console.log(`mitra is running at ${server.url}`)
console.log(`  health:  ${server.url}/health`)
console.log(`  openapi: ${server.url}/openapi.json`)
console.log(`  data:    ${database.kind} (${database.location})`)

let stopping = false
async function stop(signal: string) {
  if (stopping) return
  stopping = true
  console.log(`${signal}: stopping`)
  await server.close()
  await database.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
