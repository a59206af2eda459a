import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'

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

/** The flags this closed network needs: no sandbox (containers), no background connections. */
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const

/** Headless Chromium, driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumFlags] })
}

let axeSource: string | undefined

/**
 * axe-core's serious and critical violations on the page as it is now (each as `rule:
 * targets`): an accessibility check for any page a test has opened.
 */
export async function axeSeriousOrCritical(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(): Promise<{
            violations: { id: string; impact: string; nodes: { target: unknown }[] }[]
          }>
        }
      }
    ).axe
    const result = await axe.run()
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) => `${violation.id}: ${JSON.stringify(violation.nodes.map((n) => n.target))}`,
      )
  })
}

/**
 * A new page in `context` that keeps every script error and console error it shows, for the
 * test to expect none: a page that breaks quietly fails the test.
 */
export async function pageWithErrors(
  context: BrowserContext,
): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  return { page, errors }
}
