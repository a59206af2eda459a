import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

/** Runs the README's start command and waits for the address it prints. */
function start(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['scripts/mitra.mjs', 'start'], {
    cwd: root,
    env: { ...process.env, PORT: '0', MITRA_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so the whole tree stops with it
  })
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`no address printed:\n${output}`)), 60_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /running at (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1] as string })
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)))
  })
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    process.kill(-(child.pid as number), 'SIGTERM')
  })
}

describe('the start command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mitra-start-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('serves the health check on embedded data and starts again on the same data folder', async () => {
    const first = await start(dataDir)
    const health = await fetch(`${first.url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', database: { kind: 'pglite' } })
    await stop(first.child)

    const second = await start(dataDir)
    expect((await fetch(`${second.url}/health`)).status).toBe(200)
    await stop(second.child)
  }, 120_000)
})
