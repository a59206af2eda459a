import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Folders are found beside this file, not in the working directory, so that a package's own
// `pnpm test` (`vitest run --root ../.. --project core`, run in packages/core) finds them too.
const root = fileURLToPath(new URL('.', import.meta.url))

// Every workspace package with tests is a vitest project; `vitest run` at the root runs all.
const folders = ['packages', 'apps', 'examples'].flatMap((group) =>
  existsSync(join(root, group))
    ? readdirSync(join(root, group)).map((name) => `${group}/${name}`)
    : [],
)
const projects = [...folders, 'tests']
  .filter((folder) => existsSync(join(root, folder, 'package.json')))
  .map((folder) => ({
    extends: true as const,
    test: {
      name: folder === 'tests' ? 'flows' : (folder.split('/')[1] as string),
      root: join(root, folder),
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
    reporters: ['default', join(root, 'scripts', 'summary-reporter.ts')],
  },
})
