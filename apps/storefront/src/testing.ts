import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..', '..')

export interface StartedMitra {
  child: ChildProcess
  /** The address it printed, e.g. `http://127.0.0.1:40123`. */
  url: string
  /** Everything printed so far, stdout and stderr. */
  output: () => string
  /** The exit code, once it has exited. */
  exited: Promise<number | null>
  /** Stops it as Ctrl-C (SIGINT to its process group) or a process manager would. */
  stop: (signal?: 'SIGINT' | 'SIGTERM') => Promise<number | null>
}

/**
 * Runs the README's start command (`node scripts/mitra.mjs start`, or `npm start`) on a free
 * port and its own data folder, as a newcomer would, and resolves once it has printed its
 * address and the list under it. For flows, benchmarks and screenshots.
 */
export function startMitra(options: {
  dataDir: string
  command?: 'node' | 'npm'
  env?: Record<string, string>
}): Promise<StartedMitra> {
  const [file, args] =
    options.command === 'npm'
      ? ['npm', ['start', '--silent']]
      : [process.execPath, ['scripts/mitra.mjs', 'start']]
  const child = spawn(file, args, {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      MITRA_DATA_DIR: join(options.dataDir, 'data'),
      DATABASE_URL: '',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so the whole tree stops with it
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  const stop = (signal: 'SIGINT' | 'SIGTERM' = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-(child.pid as number), signal)
    }
    return exited
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`no address printed:\n${output}`))
    }, 60_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      // The address, and the list under it down to its last line.
      const match = /running at (http:\/\/\S+)[\s\S]*\n {2}data: .*\n/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1] as string, output: () => output, exited, stop })
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    void exited.then((code) => reject(new Error(`exited with ${code}:\n${output}`)))
  })
}
