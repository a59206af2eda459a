import { dirname, join, resolve } from 'node:path'

/** Where `npm start` keeps what it makes. */
export interface MitraPaths {
  /** The embedded database (PGlite): `MITRA_DATA_DIR`, default `.mitra/data`. */
  data: string
  /** Uploaded images: `MITRA_MEDIA_DIR`, default `media` beside the data folder. */
  media: string
  /** The keys made on the first start: always `keys.json` beside the data folder. */
  keys: string
}

/**
 * The one rule for where things are: everything lives in one folder, `.mitra` by default —
 * `data/`, `media/` and `keys.json`. `MITRA_DATA_DIR` names the data folder, and the keys
 * and images go beside it (`MITRA_DATA_DIR=/tmp/x/data` → `/tmp/x/keys.json`). Relative
 * paths are taken from `cwd`.
 */
export function mitraPaths(env: NodeJS.ProcessEnv, cwd: string): MitraPaths {
  const data = resolve(cwd, nonEmpty(env.MITRA_DATA_DIR) ?? join('.mitra', 'data'))
  const home = dirname(data)
  const media = resolve(cwd, nonEmpty(env.MITRA_MEDIA_DIR) ?? join(home, 'media'))
  return { data, media, keys: join(home, 'keys.json') }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
