import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatMoney, isMitraApiError, Mitra, MitraConnectionError } from '@mitra/sdk'

/** `keys.json` as `npm start` writes it on a new database: every demo party's keys. */
export type DemoKeys = Record<
  string,
  { party_id: string; secret_key: string; publishable_key?: string }
>

/**
 * Where `npm start` wrote the demo keys: `keys.json` beside its data directory, which is
 * `MITRA_DATA_DIR` or `.mitra/data` at the repository root. `MITRA_KEYS_FILE` overrides.
 */
export function demoKeysFile(env = process.env): string {
  if (env.MITRA_KEYS_FILE) return resolve(env.MITRA_KEYS_FILE)
  const dataDir = env.MITRA_DATA_DIR
    ? resolve(env.MITRA_DATA_DIR)
    : fileURLToPath(new URL('../../../.mitra/data', import.meta.url))
  return join(dirname(dataDir), 'keys.json')
}

/** The demo keys `npm start` wrote, or an error saying how to get them. */
export function readDemoKeys(env = process.env): { file: string; keys: DemoKeys } {
  const file = demoKeysFile(env)
  if (!existsSync(file)) {
    throw new Error(
      `No MITRA_SECRET_KEY, and no demo keys at ${file}.\n` +
        'Start the demo with `npm start` at the repository root (it writes that file the first time it\n' +
        'creates its database), or set MITRA_SECRET_KEY (and MITRA_URL).',
    )
  }
  return { file, keys: JSON.parse(readFileSync(file, 'utf8')) as DemoKeys }
}

export interface Connection {
  mitra: Mitra
  baseUrl: string
  /** The party the demo key belongs to (undefined with keys from the environment). */
  demoPartyId: string | undefined
  /** Where the keys came from, for the first line of output. */
  keysFrom: string
}

/**
 * A client for `MITRA_URL` (default http://localhost:3000) with `MITRA_SECRET_KEY` and
 * `MITRA_PUBLISHABLE_KEY`, or, when those are unset, the demo party `demoParty`'s keys.
 */
export function connect(demoParty: string, env = process.env): Connection {
  const baseUrl = env.MITRA_URL ?? 'http://localhost:3000'
  if (env.MITRA_SECRET_KEY) {
    return {
      mitra: new Mitra({
        baseUrl,
        secretKey: env.MITRA_SECRET_KEY,
        ...(env.MITRA_PUBLISHABLE_KEY ? { publishableKey: env.MITRA_PUBLISHABLE_KEY } : {}),
      }),
      baseUrl,
      demoPartyId: undefined,
      keysFrom: 'MITRA_SECRET_KEY',
    }
  }
  const { file, keys } = readDemoKeys(env)
  const party = keys[demoParty]
  if (party === undefined) {
    throw new Error(`${file} has no '${demoParty}' (it has ${Object.keys(keys).join(', ')})`)
  }
  return {
    mitra: new Mitra({ baseUrl, secretKey: party.secret_key }),
    baseUrl,
    demoPartyId: party.party_id,
    keysFrom: `${file} (${demoParty})`,
  }
}

/** Whole rupiah as Indonesians write them, `Rp350.000` (the SDK's `formatMoney`). */
export function rupiah(amount: number): string {
  return formatMoney({ amount, currency: 'IDR' })
}

/**
 * What an example prints when it stops on an error: mitra's refusal (code, detail, request id,
 * then a line per field at fault), a hint to start mitra when it cannot be reached, or else
 * the error's message.
 */
export function reportFailure(error: unknown, print: (line: unknown) => void = console.error) {
  if (isMitraApiError(error)) {
    print(`mitra refused: ${error.code}: ${error.detail} (request ${error.requestId})`)
    for (const field of error.errors) print(`  ${field.path}: ${field.message}`)
  } else if (error instanceof MitraConnectionError) {
    print(`${error.message}. Is mitra running? Start it with \`npm start\`.`)
  } else {
    print(error instanceof Error ? error.message : error)
  }
}
