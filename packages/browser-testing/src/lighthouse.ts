import { launch } from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { chromiumFlags, chromiumPath } from './index.js'

/** Lighthouse's four categories, each scored 0–100. */
export const lighthouseCategories = [
  'performance',
  'accessibility',
  'best-practices',
  'seo',
] as const
export type LighthouseCategory = (typeof lighthouseCategories)[number]
export type LighthouseScores = Record<LighthouseCategory, number>

export interface LighthouseRun {
  /** Scores 0–100 by category. */
  scores: LighthouseScores
  /** The audits that cost points (score below 0.9), as `id: title`, for fixing. */
  failing: string[]
  /** The page Lighthouse ended on (a redirect would show here). */
  finalUrl: string
}

/**
 * Scores pages with Lighthouse's default settings, which are its mobile ones (a Moto G Power
 * screen, slow 4G and a 4× slower CPU, simulated), in the system's Chromium, headless, one
 * browser for all pages. Pages are scored one after the other: Lighthouse measures one page at
 * a time. `headers` go with every request (e.g. a session's `Cookie`).
 */
export async function lighthouseScores(
  urls: readonly string[],
  options: { headers?: Record<string, string> } = {},
): Promise<LighthouseRun[]> {
  const chrome = await launch({
    chromePath: chromiumPath,
    chromeFlags: ['--headless=new', ...chromiumFlags],
    logLevel: 'silent',
  })
  try {
    const runs: LighthouseRun[] = []
    for (const url of urls) {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: [...lighthouseCategories],
        // A signed-in page: the session cookie, sent with every request of the run.
        ...(options.headers ? { extraHeaders: options.headers } : {}),
      })
      if (result === undefined) throw new Error(`Lighthouse gave no result for ${url}`)
      const { categories, audits, finalDisplayedUrl } = result.lhr
      const scores = Object.fromEntries(
        lighthouseCategories.map((name) => [
          name,
          Math.round((categories[name]?.score ?? 0) * 100),
        ]),
      ) as LighthouseScores
      const failing = Object.values(audits)
        .filter(
          (audit) =>
            audit.score !== null &&
            audit.score < 0.9 &&
            audit.scoreDisplayMode !== 'informative' &&
            audit.scoreDisplayMode !== 'manual',
        )
        .map((audit) => `${audit.id}: ${audit.displayValue ?? audit.title}`)
      runs.push({ scores, failing, finalUrl: finalDisplayedUrl })
    }
    return runs
  } finally {
    chrome.kill()
  }
}
