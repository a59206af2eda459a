import { serve } from '@hono/node-server'
import { type Connection, connect } from '@mitra/example-connect'
import { isMitraApiError, MitraConnectionError } from '@mitra/sdk'
import { createGalleryBackend } from './backend.js'

/**
 * The gallery's backend on http://localhost:8787 (PORT), in front of a running mitra:
 * `MITRA_URL` (default http://localhost:3000) with `MITRA_SECRET_KEY` (and `MITRA_VENUE_ID`
 * when the key is not the venue's own), or the demo's Galeri Gemawangi.
 */
try {
  let connection: Connection = connect('galeri')
  let venue = process.env.MITRA_VENUE_ID ?? (await connection.mitra.admin.party.get()).id
  const shelf = await connection.mitra.store.venues.available(venue).toArray()
  if (shelf.length === 0 && connection.demoPartyId !== undefined && !process.env.MITRA_VENUE_ID) {
    // The demo stocks only Kafe Banaran 9: serve its shelf rather than an empty one.
    console.log('Galeri Gemawangi has nothing on its shelf in the demo (no producer has')
    console.log('delivered to it yet), so this backend serves Kafe Banaran 9 instead.\n')
    connection = connect('kafe')
    venue = (await connection.mitra.admin.party.get()).id
  }
  const { mitra, baseUrl, keysFrom } = connection
  const name = (await mitra.admin.party.get()).name
  const port = Number(process.env.PORT ?? 8787)
  const app = createGalleryBackend(mitra, { venueId: venue })
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
    const url = `http://localhost:${info.port}`
    console.log(`mitra at ${baseUrl}, keys from ${keysFrom}`)
    console.log(`${name}'s backend at ${url}`)
    console.log(`  curl ${url}/shelf`)
    console.log(
      `  curl -X POST ${url}/checkout -H 'Content-Type: application/json' \\\n` +
        `    -d '{"items":[{"variant_id":"var_…","quantity":1}],"customer":{"name":"Sari"}}'`,
    )
    console.log(`  curl ${url}/orders/<order_id>`)
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => server.close(() => process.exit(0)))
  }
} catch (error) {
  if (isMitraApiError(error)) {
    console.error(`mitra refused: ${error.code}: ${error.detail} (request ${error.requestId})`)
  } else if (error instanceof MitraConnectionError) {
    console.error(`${error.message}. Is mitra running? Start it with \`npm start\`.`)
  } else {
    console.error(error instanceof Error ? error.message : error)
  }
  process.exitCode = 1
}
