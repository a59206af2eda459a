import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { connect, reportFailure } from '@mitra/example-connect'
import { runProducerMonth } from './month.js'

/**
 * A producer's month against a running mitra: `MITRA_URL` (default http://localhost:3000)
 * with `MITRA_SECRET_KEY`, or a demo producer's keys (`MITRA_DEMO_PRODUCER`: madu, batik or
 * ape; default madu).
 *
 *   start [YYYY-MM] [--out <dir>]   the report, each statement written to <dir> as CSV
 *   start [YYYY-MM] --stdout        the CSV on stdout, the report on stderr
 */
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')

try {
  const { values, positionals } = parseArgs({
    // `pnpm start -- --stdout` passes the `--` on.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    allowPositionals: true,
    options: { out: { type: 'string', default: '.' }, stdout: { type: 'boolean', default: false } },
  })
  const { mitra, baseUrl, keysFrom } = connect(process.env.MITRA_DEMO_PRODUCER ?? 'madu')
  // With --stdout the CSV owns stdout: the report goes to stderr.
  const print = values.stdout ? console.error : console.log
  print(`mitra at ${baseUrl}, keys from ${keysFrom}\n`)
  const producer = await mitra.admin.party.get()
  const written: string[] = []
  await runProducerMonth(
    mitra,
    {
      ...(positionals[0] === undefined ? {} : { period: positionals[0] }),
      writeCsv: ({ venueName, period, csv }) => {
        if (values.stdout) {
          process.stdout.write(csv)
          return
        }
        const file = resolve(
          join(values.out, `${slug(producer.name)}_${slug(venueName)}_${period}.csv`),
        )
        writeFileSync(file, csv)
        written.push(`  ${file} (${csv.trimEnd().split('\n').length - 1} rows)`)
      },
    },
    print,
  )
  if (written.length > 0) print(['', 'Statements as CSV', ...written].join('\n'))
} catch (error) {
  reportFailure(error)
  process.exitCode = 1
}
