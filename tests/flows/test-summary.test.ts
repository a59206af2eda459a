import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { summary } from '../../scripts/summary-reporter.js'

const root = join(import.meta.dirname, '..', '..')

describe('the test summary', () => {
  it('says plainly when the Postgres suites did not run, and when they did', () => {
    const counts = { passed: 3, failed: 0, skipped: 1 }
    expect(summary(counts, {})).toBe(
      '\n3 passed, 0 failed, 1 skipped\nPostgres suites: not run (TEST_DATABASE_URL not set)\n',
    )
    expect(summary(counts, { TEST_DATABASE_URL: '' })).toContain('Postgres suites: not run')
    expect(summary(counts, { TEST_DATABASE_URL: 'postgres://mitra@127.0.0.1/mitra' })).toContain(
      'Postgres suites: run',
    )
  })

  it('ends a package’s own `pnpm test` (run in its folder) with it', () => {
    const { TEST_DATABASE_URL: _url, CI: _ci, ...env } = process.env
    const test = (extra: NodeJS.ProcessEnv) =>
      spawnSync('pnpm', ['test', 'ids.test'], {
        cwd: join(root, 'packages', 'core'),
        env: { ...env, ...extra },
        encoding: 'utf8',
      })
    const without = test({})
    expect(without.status, without.stdout + without.stderr).toBe(0)
    expect(without.stdout).toMatch(/\d+ passed, 0 failed, 0 skipped\n/)
    expect(without.stdout).toContain('Postgres suites: not run (TEST_DATABASE_URL not set)')
    // The core package has no database suites: any URL will do to see the other line.
    const withUrl = test({ TEST_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' })
    expect(withUrl.stdout).toContain('Postgres suites: run (TEST_DATABASE_URL is set)')
  }, 120_000)
})
