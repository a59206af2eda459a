import { connect } from '@mitra/example-connect'
import { isMitraApiError, MitraConnectionError } from '@mitra/sdk'
import { runCounterDay } from './counter.js'

/**
 * The café's counter day against a running mitra: `MITRA_URL` (default
 * http://localhost:3000) with `MITRA_SECRET_KEY`, or the demo's Kafe Banaran 9.
 */
try {
  const { mitra, baseUrl, keysFrom } = connect('kafe')
  console.log(`mitra at ${baseUrl}, keys from ${keysFrom}\n`)
  // The venue is the key's own party.
  const venue = await mitra.admin.party.get()
  await runCounterDay(mitra, { venueId: venue.id })
} catch (error) {
  if (isMitraApiError(error)) {
    console.error(`mitra refused: ${error.code}: ${error.detail} (request ${error.requestId})`)
    for (const field of error.errors) console.error(`  ${field.path}: ${field.message}`)
  } else if (error instanceof MitraConnectionError) {
    console.error(`${error.message}. Is mitra running? Start it with \`npm start\`.`)
  } else {
    console.error(error instanceof Error ? error.message : error)
  }
  process.exitCode = 1
}
