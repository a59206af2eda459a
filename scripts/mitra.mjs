#!/usr/bin/env node
// `npm start` and `npm test` on a machine with only Node and npm: install the workspace with
// the pinned pnpm on first use (or when the lockfile changed), then run the task.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const pnpmVersion = JSON.parse(
  readFileSync(join(root, 'package.json'), 'utf8'),
).packageManager.split('@')[1]
const [task, ...rest] = process.argv.slice(2)

function pnpmCommand() {
  const found = spawnSync('pnpm', ['--version'], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
  })
  if (found.status === 0 && found.stdout.trim() === pnpmVersion) return ['pnpm', []]
  return ['npx', ['--yes', `pnpm@${pnpmVersion}`]]
}

function needsInstall() {
  const installed = join(root, 'node_modules', '.pnpm', 'lock.yaml')
  if (!existsSync(installed)) return true
  return statSync(join(root, 'pnpm-lock.yaml')).mtimeMs > statSync(installed).mtimeMs
}

function run(args, env = {}) {
  const [command, prefix] = pnpmCommand()
  return new Promise((resolve) => {
    const child = spawn(command, [...prefix, ...args], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
      shell: process.platform === 'win32',
    })
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

const tasks = {
  start: () =>
    run(['--filter', '@mitra/storefront', 'start', ...rest], {
      MITRA_DATA_DIR: process.env.MITRA_DATA_DIR ?? join(root, '.mitra', 'data'),
    }),
  test: () => run(['exec', 'vitest', 'run', ...rest]),
}

if (!(task in tasks)) {
  console.error(`usage: node scripts/mitra.mjs <${Object.keys(tasks).join('|')}> [args…]`)
  process.exit(2)
}
if (needsInstall()) {
  const code = await run(['install', '--frozen-lockfile'])
  if (code !== 0) process.exit(code)
}
process.exit(await tasks[task]())
