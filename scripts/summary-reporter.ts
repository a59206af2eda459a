import type { Reporter, TestModule } from 'vitest/node'

/**
 * Ends a run with plain lines that any CI can read: `N passed, N failed, N skipped`, and
 * whether the Postgres suites ran. They run only when TEST_DATABASE_URL names a server (CI
 * sets it, and fails without it); otherwise every database suite runs on PGlite alone, which
 * the skipped count cannot show, as those suites are never declared.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped++
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++
    }
    process.stdout.write(summary({ passed, failed, skipped }, process.env))
  }
}

/** The lines the run ends with. */
export function summary(
  counts: { passed: number; failed: number; skipped: number },
  env: NodeJS.ProcessEnv,
): string {
  const url = env.TEST_DATABASE_URL
  const postgres =
    url === undefined || url === ''
      ? 'Postgres suites: not run (TEST_DATABASE_URL not set)'
      : 'Postgres suites: run (TEST_DATABASE_URL is set)'
  return `\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n${postgres}\n`
}
