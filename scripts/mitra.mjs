#!/usr/bin/env node
// `npm start` and `npm test` on a machine with only Node and npm: install the workspace with
// the pinned pnpm on first use (or when the lockfile changed), then run the task.
//
// `start` runs the storefront with node itself (TypeScript through tsx's loader), not
// through `pnpm run`: Ctrl-C reaches the server, which closes everything and exits with 0,
// and nothing in between turns that into an error.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
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

/** Runs `command` in the repository, passing Ctrl-C and SIGTERM on; resolves its exit code. */
function spawnHere(command, args, env = {}, shell = false) {
  return new Promise((done) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
      shell,
    })
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)))
  })
}

function run(args, env = {}) {
  const [command, prefix] = pnpmCommand()
  return spawnHere(command, [...prefix, ...args], env, process.platform === 'win32')
}

/** A path from the environment, taken from where the command was typed (npm's INIT_CWD). */
function pathFromEnv(name, fallback) {
  const value = process.env[name]
  if (value === undefined || value === '') return fallback
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: npm's own, not a setting of mitra's
  return resolve(process.env.INIT_CWD ?? process.cwd(), value)
}

const tasks = {
  start: () => {
    const dataDir = pathFromEnv('MITRA_DATA_DIR', join(root, '.mitra', 'data'))
    const mediaDir = pathFromEnv('MITRA_MEDIA_DIR', undefined)
    const main = join(root, 'apps', 'storefront', 'src', 'main.ts')
    return spawnHere(
      process.execPath,
      ['--conditions=source', '--import', import.meta.resolve('tsx'), main, ...rest],
      { MITRA_DATA_DIR: dataDir, ...(mediaDir ? { MITRA_MEDIA_DIR: mediaDir } : {}) },
    )
  },
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
