// `pnpm --filter @mitra/tests scores:console`: Lighthouse's scores for the console's main
// screens, signed in as each role's demo person, with Lighthouse's mobile settings in the
// system's Chromium (best of `--runs N`, default 2). It runs the README's start command on
// fresh embedded data. The aim: accessibility and best practices ≥ 95 on every screen (the
// console is not for search engines: its pages are noindex, so SEO is not scored). It exits
// non-zero when a screen misses the aim.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromiumMissing } from '@mitra/browser-testing'
import { startMitra } from '@mitra/storefront/testing'

if (chromiumMissing) {
  console.log(`console scores: not measured (${chromiumMissing})`)
  process.exit(0)
}
const aim = 95
const runsArg = process.argv.indexOf('--runs')
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 2
const dataDir = mkdtempSync(join(tmpdir(), 'mitra-console-scores-'))
const mitra = await startMitra({ dataDir, env: { MITRA_GALLERY: '0' } })
type Keys = Record<string, { party_id: string; person?: { phone: string; password: string } }>
const keys = JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8')) as Keys

/** Signs in as a party's demo person; the session cookie to send. */
async function session(party: string): Promise<string> {
  const person = keys[party]?.person
  if (person === undefined) throw new Error(`no demo person for ${party}`)
  const form = await fetch(`${mitra.url}/console/sign-in`)
  const visitor = /mitra_console_visitor=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1]
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? ''
  const answer = await fetch(`${mitra.url}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: `mitra_console_visitor=${visitor}`,
    },
    body: new URLSearchParams({ csrf, contact: person.phone, password: person.password }),
  })
  const token = /mitra_session=([^;]+)/.exec(answer.headers.get('set-cookie') ?? '')?.[1]
  if (token === undefined) throw new Error(`could not sign in as ${party}: ${answer.status}`)
  return `mitra_session=${token}`
}

const screens = [
  { role: 'producer', party: 'batik', path: '' },
  { role: 'producer', party: 'batik', path: '/deliveries' },
  { role: 'venue', party: 'kafe', path: '' },
  { role: 'venue', party: 'kafe', path: '/counter' },
  { role: 'cooperative', party: 'cluster', path: '' },
  { role: 'platform', party: 'platform', path: '' },
]
let missed = 0
try {
  const { lighthouseScores } = await import('@mitra/browser-testing/lighthouse')
  console.log(
    `Lighthouse, mobile settings, best of ${runs} (aim ${aim}: accessibility, best practices)`,
  )
  console.log(
    `  ${'screen'.padEnd(24)}${['performance', 'accessibility', 'best-practices'].map((c) => c.padStart(15)).join('')}`,
  )
  for (const screen of screens) {
    const cookie = await session(screen.party)
    const url = `${mitra.url}/console/p/${keys[screen.party]?.party_id}${screen.path}`
    const results = await lighthouseScores(Array(runs).fill(url), { headers: { Cookie: cookie } })
    // Scored signed in: the screen itself, not the sign-in page it would redirect to.
    const elsewhere = results.find((run) => run.finalUrl !== url)
    if (elsewhere) throw new Error(`${url} ended on ${elsewhere.finalUrl}`)
    const best = (category: 'performance' | 'accessibility' | 'best-practices') =>
      Math.max(...results.map((run) => run.scores[category]))
    const scores = [best('performance'), best('accessibility'), best('best-practices')]
    console.log(
      `  ${`${screen.role} ${screen.path || '/'}`.padEnd(24)}${scores.map((s) => String(s).padStart(15)).join('')}`,
    )
    if ((scores[1] as number) < aim || (scores[2] as number) < aim) {
      missed++
      for (const audit of new Set(results.flatMap((run) => run.failing)))
        console.log(`      ${audit}`)
    }
  }
} finally {
  await mitra.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
if (missed > 0) {
  console.log(`${missed} screen(s) below the aim`)
  process.exitCode = 1
}
