import { connect, reportFailure } from '@mitra/example-connect'
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
  reportFailure(error)
  process.exitCode = 1
}
