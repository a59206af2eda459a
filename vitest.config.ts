import { existsSync, readdirSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

// Every workspace package with tests is a vitest project; `vitest run` at the root runs all.
const folders = ['packages', 'apps', 'examples'].flatMap((group) =>
  existsSync(group) ? readdirSync(group).map((name) => `${group}/${name}`) : [],
)
const projects = [...folders, 'tests']
  .filter((root) => existsSync(`${root}/package.json`))
  .map((root) => ({
    extends: true as const,
    test: {
      name: root === 'tests' ? 'flows' : (root.split('/')[1] as string),
      root,
      include: ['**/*.test.ts'],
    },
  }))

export default defineConfig({
  // Workspace packages export their TypeScript sources under the `source` condition, so tests
  // run against src/ without a build.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
})
