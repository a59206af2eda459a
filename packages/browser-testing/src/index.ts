import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

/**
 * Browser tests drive the system's Chromium (Debian's `chromium` package; `CHROMIUM_PATH`
 * overrides), never a downloaded one. CI installs it and must run these tests; on a machine
 * without it they are skipped, and `chromiumMissing` says why, for the test's name.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const inCi = process.env.CI === 'true' || process.env.CI === '1'

if (inCi && !existsSync(chromiumPath)) {
  // A silently skipped browser suite would hide failures.
  throw new Error(
    `Chromium must be installed in CI for the browser tests (looked at ${chromiumPath})`,
  )
}

/** Set when Chromium is missing here: skip with `describe.skipIf(chromiumMissing)`. */
export const chromiumMissing: string | false = existsSync(chromiumPath)
  ? false
  : `Chromium not found at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`

/** Headless Chromium with the flags this closed network needs (no background connections). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
